/* enf_setup.c -- configuration files into the database (see enf_setup.h). */
#include "enf_setup.h"

#include "conf/diag.h"
#include "conf/kasp.h"
#include "enf_enforce.h"
#include "enf_keypool.h"
#include "enf_resalt.h"
#include "enf_store_zone.h"
#include "enf_zonelist.h"
#include "enf_zones.h"
#include "log/log.h"
#include "util/clock.h"

static int load_kasp(enf_daemon_t *d, ods_kasp_t **kasp, ods_err_t *err)
{
    ods_diag_t *diag = ods_diag_new();
    if (!diag)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = ods_kasp_load(d->conf->policy_file, d->conf, kasp, diag);
    if (rc != ODS_OK && ods_diag_to_err(diag, rc, err) == ODS_OK)
        ods_err_set(err, rc, "cannot load %s", d->conf->policy_file);
    ods_diag_free(diag);
    return rc;
}

int enf_setup_policies(enf_daemon_t *d, int remove_missing, ods_buf_t *out, ods_err_t *err)
{
    ods_kasp_t *kasp = NULL;
    size_t changed = 0;
    int rc = load_kasp(d, &kasp, err);
    if (rc == ODS_OK && (rc = enf_store_begin(d->store, err)) == ODS_OK) {
        rc = enf_policy_import(d->store, kasp, d->policies, remove_missing, out, &changed, err);
        /* zones of changed policies: enforce again now (all: cheap, and simple) */
        if (rc == ODS_OK && changed)
            rc = enf_store_zone_set_next(d->store, 0, 0, ods_clock_now(), err);
        if (rc == ODS_OK)
            rc = enf_store_commit(d->store, err);
        else
            enf_store_rollback(d->store);
    }
    ods_kasp_free(kasp);
    if (rc == ODS_OK)
        rc = enf_daemon_reload_policies(d, err);
    if (rc == ODS_OK)
        rc = enf_resalt_due(d, -1, NULL, err);
    if (rc == ODS_OK && d->pool)
        enf_keypool_plan_soon(d);
    return rc;
}

int enf_setup_wipe(enf_daemon_t *d, ods_err_t *err)
{
    int rc = enf_store_begin(d->store, err);
    if (rc == ODS_OK)
        rc = enf_store_wipe(d->store, err);
    if (rc == ODS_OK)
        rc = enf_store_commit(d->store, err);
    else
        enf_store_rollback(d->store);
    if (rc == ODS_OK)
        rc = enf_daemon_reload_policies(d, err);
    if (rc == ODS_OK) {
        enf_zonelist_clear(d->zonelist);
        ods_log_notice("database %s wiped", d->conf->enforcer.datastore);
    }
    return rc;
}

int enf_setup_all(enf_daemon_t *d, ods_buf_t *out, ods_err_t *err)
{
    int rc = enf_setup_wipe(d, err);
    if (rc == ODS_OK)
        rc = enf_setup_policies(d, 0, out, err);
    if (rc == ODS_OK)
        rc = enf_zones_import(d, NULL, 0, out, err);
    if (rc == ODS_OK)
        rc = enf_zones_write_lists(d, err); /* also when the zone list is empty */
    return rc;
}

void enf_settle_now(enf_daemon_t *d)
{
    size_t done;
    ods_err_t err;
    if (enf_store_zone_due_keyless(d->store, ods_clock_now(), &err) != ODS_OK)
        ods_log_error("scheduling new zones: %s", err.msg);
    do {
        if (enf_enforce_due(d, 1024, &done, &err) != ODS_OK) {
            ods_log_error("enforcing: %s", err.msg);
            break;
        }
    } while (done > 0);
}

static void settle_done(enf_daemon_t *d, void *arg, size_t made, size_t failed)
{
    enf_reply_t *r = arg;
    if (failed)
        enf_errout(r, "%zu key(s) could not be generated (see the log)\n", failed);
    enf_settle_now(d);
    enf_reply_finish(d, r, r->status);
}

int enf_settle(enf_daemon_t *d, enf_reply_t *r, int status)
{
    size_t requested = 0;
    ods_err_t err;
    if (d->keygen && !d->conf->enforcer.manual_keygen &&
        enf_keypool_generate(d, -1, 0, settle_done, r, &requested, &err) != ODS_OK)
        ods_log_error("asking for keys: %s", err.msg);
    if (requested) {
        r->status = status;
        return ENF_CMD_PENDING;
    }
    enf_settle_now(d);
    return status;
}
