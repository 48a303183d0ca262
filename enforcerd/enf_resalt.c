/* enf_resalt.c -- NSEC3 salts (see enf_resalt.h). */
#include "enf_resalt.h"

#include <openssl/rand.h>
#include <string.h>

#include "enf_enforce.h"
#include "enf_store_policy.h"
#include "enf_store_zone.h"
#include "hsm/sign.h"
#include "log/log.h"
#include "util/clock.h"

static int random_salt(enf_daemon_t *d, size_t len, char *hex, ods_err_t *err)
{
    uint8_t salt[ODS_SIGNCONF_MAX_SALT];
    if (len > sizeof(salt))
        return ods_err_set(err, ODS_EINVAL, "salt length %zu is too long", len);
    if (d->hsm_ctx) {
        int rc = ods_hsm_random(d->hsm_ctx, salt, len, err);
        if (rc != ODS_OK)
            return rc;
    } else if (RAND_bytes(salt, (int)len) != 1) { /* no repository configured */
        return ods_err_set(err, ODS_EIO, "no random bytes for a salt");
    }
    enf_hex(salt, len, hex);
    return ODS_OK;
}

static int rewrite_zone(void *arg, const enf_zone_info_t *zi)
{
    enf_daemon_t *d = arg;
    ods_err_t err;
    if (enf_enforce_write_signconf(d, zi->id, &err) != ODS_OK)
        ods_log_error("zone %s: %s", zi->name, err.msg);
    return 0;
}

static int resalt_one(enf_daemon_t *d, size_t i, int force, int *done, ods_err_t *err)
{
    const enf_policy_rec_t *r = &d->policies->recs[i];
    size_t len = 0;
    time_t now = ods_clock_now();
    int due = enf_policy_salt_due(r, now, &len);
    if (force && r->pol.denial == ODS_DENIAL_NSEC3 && r->pol.nsec3_salt_length > 0)
        due = 1;
    if (!due)
        return ODS_OK;
    char hex[ENF_SALT_HEX_MAX] = "";
    int rc = due == 1 ? random_salt(d, len, hex, err) : ODS_OK;
    int64_t id = r->id;
    char name[ENF_NAME_MAX];
    snprintf(name, sizeof(name), "%s", r->pol.name);
    if (rc == ODS_OK)
        rc = enf_store_policy_set_salt(d->store, id, hex, now, err);
    if (rc == ODS_OK)
        rc = enf_daemon_reload_policies(d, err); /* r is invalid from here */
    if (rc == ODS_OK) {
        ods_log_notice("policy %s: new NSEC3 salt '%s'", name, hex);
        rc = enf_store_zone_foreach(d->store, id, rewrite_zone, d, err);
        *done = 1;
    }
    return rc;
}

int enf_resalt_due(enf_daemon_t *d, int pi, size_t *n, ods_err_t *err)
{
    size_t count = 0;
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < d->policies->n; i++) {
        if (pi >= 0 && (size_t)pi != i)
            continue;
        int done = 0;
        rc = resalt_one(d, i, pi >= 0, &done, err);
        count += (size_t)done;
    }
    if (n)
        *n = count;
    return rc;
}
