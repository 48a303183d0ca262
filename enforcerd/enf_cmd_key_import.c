/*
 * enf_cmd_key_import.c -- `key import`: adopt a key pair that already exists
 * in an HSM repository into a zone, in a given role and state:
 *   generate  every record hidden
 *   publish   DNSKEY (and, for a KSK, its RRSIG over the DNSKEY set) rumoured
 *   ready     DNSKEY (and KSK signature) omnipresent, DS and data signatures hidden
 *   active    every record of the role omnipresent (a KSK's DS seen at the parent)
 *   retire    as active, with the goal "retire"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/rules.h"
#include "engine/view.h"
#include "enf_cmd.h"
#include "enf_enforce.h"
#include "enf_keypool.h"
#include "enf_store_hsmkey.h"
#include "enf_zones.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "util/clock.h"

typedef struct import_req {
    enf_reply_t *r;
    enf_key_t key;
    int state; /* enf_kl_t */
} import_req_t;

static void move_to(enf_zone_t *z, enf_key_t *k, enf_rec_t rec, enf_state_t to)
{
    if (k->rec[rec].state == ENF_NA || to == ENF_HIDDEN)
        return;
    enf_record_move(z, k, rec, ENF_RUMOURED, ++z->order);
    if (to == ENF_OMNIPRESENT)
        enf_record_move(z, k, rec, ENF_OMNIPRESENT, ++z->order);
}

static int add_key(enf_daemon_t *d, enf_zone_t *z, const enf_policy_t *p, void *arg,
                   enf_events_t *ev, ods_err_t *err)
{
    import_req_t *q = arg;
    if (enf_zone_add_key(z, &q->key) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    enf_key_t *k = enf_zone_find_key(z, q->key.id);
    enf_state_t pub = q->state == ENF_KL_PUBLISH    ? ENF_RUMOURED
                      : q->state == ENF_KL_GENERATE ? ENF_HIDDEN
                                                    : ENF_OMNIPRESENT;
    int live = q->state == ENF_KL_ACTIVE || q->state == ENF_KL_RETIRE;
    move_to(z, k, ENF_REC_DNSKEY, pub);
    move_to(z, k, ENF_REC_KRRSIG, pub);
    move_to(z, k, ENF_REC_DS, live ? ENF_OMNIPRESENT : ENF_HIDDEN);
    move_to(z, k, ENF_REC_RRSIG, live ? ENF_OMNIPRESENT : ENF_HIDDEN);
    if (live && (k->role & ENF_ROLE_KSK))
        k->ds_at_parent = ENF_DSP_SEEN;
    k->introducing = q->state != ENF_KL_RETIRE;
    z->signconf_needs_writing = 1;
    enf_out(q->r, "Key imported into zone %s\n", z->name);
    return 1;
}

static int pool_entry(enf_daemon_t *d, const char *locator, const char *repo, int alg, int bits,
                      int64_t policy_id, int role, ods_err_t *err)
{
    enf_hsmkey_t hk;
    int rc = enf_store_hsmkey_get(d->store, locator, &hk, err);
    if (rc == ODS_OK)
        return hk.state == ENF_HSMKEY_UNUSED
                   ? enf_store_hsmkey_assign(d->store, hk.id, ENF_HSMKEY_PRIVATE, policy_id, role,
                                             err)
                   : ODS_OK;
    if (rc != ODS_ENOTFOUND)
        return rc;
    ods_hsm_key_t *key;
    if (!d->hsm_ctx || ods_hsm_key_find(d->hsm_ctx, locator, &key, NULL) != ODS_OK)
        return ods_err_set(err, ODS_ENOTFOUND, "Unable to find the key with this locator: %s",
                           locator);
    memset(&hk, 0, sizeof(hk));
    snprintf(hk.locator, sizeof(hk.locator), "%s", locator);
    snprintf(hk.repository, sizeof(hk.repository), "%s", repo);
    hk.algorithm = alg, hk.bits = bits, hk.state = ENF_HSMKEY_PRIVATE;
    hk.policy_id = policy_id, hk.role = role, hk.generated = ods_clock_now();
    hk.publen = sizeof(hk.pubkey);
    rc = ods_hsm_dnskey_rdata(d->hsm_ctx, key, alg, 256, hk.pubkey, &hk.publen, err);
    ods_hsm_key_free(key);
    return rc == ODS_OK ? enf_store_hsmkey_insert(d->store, &hk, err) : rc;
}

static int parse(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a, import_req_t *q)
{
    const char *need[] = { "zone",      "cka_id",   "repository", "bits",
                           "algorithm", "keystate", "keytype",    "inception_time" };
    for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
        if (!ods_cmd_get(a, need[i])) {
            enf_errout(r, "missing --%s\n", need[i]);
            return -1;
        }
    const char *t = ods_cmd_get(a, "keytype"), *repo = ods_cmd_get(a, "repository");
    int role = enf_cmd_role(t);
    q->state = enf_kl_parse(ods_cmd_get(a, "keystate"));
    char when[64];
    snprintf(when, sizeof(when), "%s", ods_cmd_get(a, "inception_time"));
    if (strlen(when) == 19 && when[10] == '-')
        when[10] = ' ';
    time_t inception;
    if (role <= 0 || q->state < 0 || q->state > ENF_KL_RETIRE ||
        ods_clock_parse(when, &inception) != ODS_OK) {
        enf_errout(r, "invalid --keytype, --keystate or --inception_time\n");
        return -1;
    }
    if (!ods_conf_find_repository(d->conf, repo)) {
        enf_errout(r, "Can't find repository: %s\n", repo);
        return -1;
    }
    enf_key_init(&q->key, role, inception);
    q->key.id = ++d->next_key_id;
    q->key.algorithm = atoi(ods_cmd_get(a, "algorithm"));
    q->key.bits = atoi(ods_cmd_get(a, "bits"));
    snprintf(q->key.locator, sizeof(q->key.locator), "%s", ods_cmd_get(a, "cka_id"));
    snprintf(q->key.repository, sizeof(q->key.repository), "%s", repo);
    return 0;
}

int enf_cmd_key_import(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    import_req_t q = { .r = r };
    if (parse(d, r, a, &q) != 0)
        return ENF_EXIT_USAGE;
    enf_zone_info_t zi;
    ods_err_t err;
    if (enf_zones_find(d, ods_cmd_get(a, "zone"), &zi, &err) != ODS_OK)
        return enf_fail(r, &err);
    int rc = pool_entry(d, q.key.locator, q.key.repository, q.key.algorithm, q.key.bits,
                        zi.policy_id, q.key.role, &err);
    if (rc == ODS_OK)
        rc = enf_keypool_keytag(d, q.key.locator, q.key.algorithm, q.key.role, &q.key.keytag, &err);
    if (rc == ODS_OK)
        rc = enf_enforce_zone(d, zi.id, add_key, &q, NULL, &err);
    enf_zone_info_clear(&zi);
    return rc == ODS_OK ? ENF_EXIT_OK : enf_fail(r, &err);
}
