/* enf_zones.c -- add, delete, move zones; the zone list files (see enf_zones.h). */
#include "enf_zones.h"

#include <stdlib.h>
#include <string.h>

#include "conf/zonelist.h"
#include "conf/zonename.h"
#include "enf_enforce.h"
#include "enf_path.h"
#include "enf_signer.h"
#include "enf_store_hsmkey.h"
#include "enf_zonelist.h"
#include "log/log.h"
#include "util/clock.h"

int enf_zones_find(enf_daemon_t *d, const char *name, enf_zone_info_t *zi, ods_err_t *err)
{
    char *norm = NULL;
    int rc = ods_zone_name_normalize(name, &norm, NULL);
    rc = rc == ODS_OK ? enf_store_zone_get(d->store, norm, zi, err) : ODS_ENOTFOUND;
    free(norm);
    if (rc == ODS_ENOTFOUND)
        return ods_err_set(err, rc, "Unable to find zone %s", name);
    return rc;
}

char *enf_zones_signer_list_path(const enf_daemon_t *d)
{
    return enf_path_join(d->conf->signer.workdir, "zones.xml", "");
}

int enf_zones_write_lists(enf_daemon_t *d, ods_err_t *err)
{
    char *signer_list = enf_zones_signer_list_path(d);
    if (!signer_list)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = enf_zonelist_write(d->zonelist, signer_list, err);
    free(signer_list);
    ods_err_t copy_err;
    /* ZoneListFile is a copy of the database for the operator, often in a
     * directory the daemon's user (Privileges) cannot write: not a failure */
    if (rc == ODS_OK &&
        enf_zonelist_write(d->zonelist, d->conf->zonelist_file, &copy_err) != ODS_OK)
        ods_log_warning("%s: ZoneListFile is not updated (the database is); let the enforcer's "
                        "user write it, or use `odsctl zonelist export`",
                        copy_err.msg);
    enf_signer_list_changed(d->signer);
    return rc;
}

/* A path from the command line: absolute, or relative to the working directory. */
static char *path_or_default(const enf_daemon_t *d, const char *given, const char *sub,
                             const char *name, const char *suffix)
{
    if (given && given[0] == '/')
        return strdup(given);
    if (given)
        return enf_path_join(d->conf->enforcer.workdir, given, "");
    char *dir = enf_path_join(d->conf->enforcer.workdir, sub, "");
    char *p = dir ? enf_path_join(dir, name, suffix) : NULL;
    free(dir);
    return p;
}

static int adapter_type(const char *given, int *type, ods_err_t *err)
{
    *type = given ? ods_adapter_type_parse(given) : ODS_ADAPTER_FILE;
    if (*type == 0)
        return ods_err_set(err, ODS_EINVAL, "unknown adapter type '%s': use File or DNS", given);
    return ODS_OK;
}

int enf_zones_prepare(enf_daemon_t *d, const enf_zone_req_t *req, enf_zone_info_t *zi, int *pi,
                      ods_err_t *err)
{
    char *name = NULL;
    memset(zi, 0, sizeof(*zi));
    int rc = ods_zone_name_normalize(req->name ? req->name : "", &name, err);
    if (rc != ODS_OK)
        return rc;
    snprintf(zi->name, sizeof(zi->name), "%s", name);
    free(name);
    const char *policy = req->policy ? req->policy : "default";
    if ((*pi = enf_policies_find(d->policies, policy)) < 0)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "Unable to find policy %s needed for adding the zone!", policy);
    zi->policy_id = d->policies->recs[*pi].id;
    if ((rc = adapter_type(req->in_type, &zi->input_type, err)) != ODS_OK ||
        (rc = adapter_type(req->out_type, &zi->output_type, err)) != ODS_OK)
        return rc;
    zi->signconf = path_or_default(d, req->signconf, "signconf", zi->name, ".xml");
    zi->input = path_or_default(d, req->input, "unsigned", zi->name, "");
    zi->output = path_or_default(d, req->output, "signed", zi->name, "");
    zi->suspended = req->suspend;
    time_t now = ods_clock_now();
    zi->next_change = -1; /* zone add enforces it once its first keys are there */
    for (int r = 1; r <= 3; r++)
        zi->next_roll[r] = now;
    if (!zi->signconf || !zi->input || !zi->output) {
        enf_zone_info_clear(zi);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    return ODS_OK;
}

int enf_zones_add(enf_daemon_t *d, enf_zone_info_t *zi, ods_err_t *err)
{
    enf_zone_info_t old;
    int rc = enf_store_zone_get(d->store, zi->name, &old, err);
    if (rc == ODS_OK) {
        enf_zone_info_clear(&old);
        return ods_err_set(err, ODS_EEXIST, "Unable to add zone, zone already exists!");
    }
    if (rc != ODS_ENOTFOUND)
        return rc;
    if ((rc = enf_store_zone_insert(d->store, zi, err)) != ODS_OK)
        return rc;
    int pi = enf_policies_find_id(d->policies, zi->policy_id);
    if (enf_zonelist_put(d->zonelist, zi, d->policies->recs[pi].pol.name) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    ods_log_info("zone %s added (policy %s)", zi->name, d->policies->recs[pi].pol.name);
    return enf_zones_write_lists(d, err);
}

static int delete_locked(enf_daemon_t *d, int64_t id, ods_err_t *err)
{
    int rc = enf_store_zone_delete(d->store, id, err);
    if (rc == ODS_OK)
        rc = enf_store_hsmkey_release(d->store, ods_clock_now(), err);
    return rc;
}

int enf_zones_delete(enf_daemon_t *d, const char *name, ods_err_t *err)
{
    enf_zone_info_t zi;
    int rc = enf_zones_find(d, name, &zi, err);
    if (rc == ODS_ENOTFOUND)
        rc = ods_err_set(err, rc, "Unable to delete zone, zone %s not found!", name);
    if (rc == ODS_OK) {
        if ((rc = enf_store_begin(d->store, err)) == ODS_OK &&
            (rc = delete_locked(d, zi.id, err)) == ODS_OK)
            rc = enf_store_commit(d->store, err);
        else
            enf_store_rollback(d->store);
        if (rc == ODS_OK) {
            enf_zonelist_remove(d->zonelist, zi.name);
            ods_log_info("zone %s deleted", zi.name);
            rc = enf_zones_write_lists(d, err);
        }
        enf_zone_info_clear(&zi);
    }
    return rc;
}

int enf_zones_delete_all(enf_daemon_t *d, size_t *n, ods_err_t *err)
{
    int rc = enf_store_zone_count(d->store, 0, n, err);
    if (rc == ODS_OK && (rc = enf_store_begin(d->store, err)) == ODS_OK) {
        rc = enf_store_exec(d->store, "DELETE FROM zones", err);
        if (rc == ODS_OK)
            rc = enf_store_hsmkey_release(d->store, ods_clock_now(), err);
        if (rc == ODS_OK)
            rc = enf_store_commit(d->store, err);
        else
            enf_store_rollback(d->store);
    }
    if (rc == ODS_OK) {
        enf_zonelist_clear(d->zonelist);
        rc = enf_zones_write_lists(d, err);
    }
    return rc;
}

int enf_zones_set_policy(enf_daemon_t *d, const char *name, const char *policy, int64_t *zone_id,
                         ods_err_t *err)
{
    enf_zone_info_t zi;
    int pi = enf_policies_find(d->policies, policy);
    if (pi < 0)
        return ods_err_set(err, ODS_ENOTFOUND, "Unable to find policy %s", policy);
    int rc = enf_zones_find(d, name, &zi, err);
    if (rc != ODS_OK)
        return rc;
    zi.policy_id = d->policies->recs[pi].id;
    rc = enf_store_zone_update_info(d->store, &zi, err);
    if (rc == ODS_OK && enf_zonelist_put(d->zonelist, &zi, policy) != ODS_OK)
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK)
        rc = enf_zones_write_lists(d, err);
    if (rc == ODS_OK)
        *zone_id = zi.id;
    enf_zone_info_clear(&zi);
    return rc;
}
