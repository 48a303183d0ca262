/*
 * enf_enforce_after.c -- what an enforcement does once its transaction is
 * committed (or rolled back): logs, HSM deletion of purged keys,
 * DelegationSigner commands, refilling the key pool (see enf_enforce.h).
 */
#include <stdlib.h>
#include <string.h>

#include "enf_enforce_internal.h"
#include "enf_keypool.h"
#include "enf_parent.h"
#include "enf_signconf.h"
#include "enf_signer.h"
#include "log/log.h"
#include "util/buf.h"

static int level_of(const enf_event_t *e)
{
    switch (e->type) {
    case ENF_EV_DS_SUBMIT:
    case ENF_EV_DS_RETRACT:
        return e->fresh ? ODS_LOG_WARNING : ODS_LOG_INFO;
    case ENF_EV_NO_KEYS:
    case ENF_EV_BACKUP:
    case ENF_EV_UNSIGNED:
        return ODS_LOG_WARNING;
    case ENF_EV_LIFETIME:
        return ODS_LOG_ERR;
    case ENF_EV_KEY_NEW:
    case ENF_EV_KEY_RETIRE:
    case ENF_EV_KEY_PURGE:
    case ENF_EV_DS_COMMAND:
        return ODS_LOG_NOTICE;
    case ENF_EV_SIGNCONF:
        return ODS_LOG_DEBUG;
    default:
        return ODS_LOG_INFO;
    }
}

static void log_event(const enf_event_t *e)
{
    if (e->type == ENF_EV_DS_SUBMIT || e->type == ENF_EV_DS_RETRACT)
        ods_log_msg(level_of(e), "[enforce_task] %s", e->text);
    else
        ods_log_msg(level_of(e), "[enforcer] %s", e->text);
}

/* Start the DelegationSigner command for a key that just entered SUBMIT/RETRACT. */
static void start_ds_command(enf_daemon_t *d, const run_t *run, const enf_event_t *e)
{
    enf_ds_cmd_t kind = e->type == ENF_EV_DS_SUBMIT ? ENF_DS_CMD_SUBMIT : ENF_DS_CMD_RETRACT;
    const char *cmd = enf_parent_command(d, kind);
    if (!cmd || !e->fresh)
        return;
    const ods_policy_t *p = &d->policies->recs[run->pi].pol;
    uint8_t rdata[ODS_HSM_DNSKEY_MAX];
    size_t len = sizeof(rdata);
    ods_buf_t in = ODS_BUF_INIT;
    ods_err_t err;
    int rc = enf_keypool_dnskey(d, e->locator, e->algorithm, e->role, rdata, &len, &err);
    if (rc == ODS_OK)
        rc = enf_parent_input(cmd, run->zi.name, e->locator, rdata, len, (uint32_t)p->keys_ttl,
                              (uint32_t)p->parent_ds_ttl, &in, &err);
    if (rc == ODS_OK && ods_buf_cstr(&in))
        rc = enf_parent_run(d, kind, run->zi.name, e->locator, (const char *)in.data, &err);
    if (rc != ODS_OK)
        ods_log_error("zone %s: DS command for keytag %u: %s", run->zi.name, e->keytag, err.msg);
    ods_buf_free(&in);
}

void enf_enforce_after(enf_daemon_t *d, const run_t *run)
{
    int took = 0;
    if (run->wrote_signconf) {
        ods_log_info("signconf done for zone %s, notifying signer", run->zi.name);
        enf_signer_zone_changed(d->signer, run->zi.name);
    }
    for (size_t i = 0; i < run->ev.count; i++) {
        const enf_event_t *e = &run->ev.ev[i];
        ods_err_t err;
        log_event(e);
        if (e->type == ENF_EV_KEY_PURGE && enf_keypool_drop(d, e->locator, &err) != ODS_OK)
            ods_log_error("zone %s: purging key %s: %s", run->zi.name, e->locator, err.msg);
        if (e->type == ENF_EV_DS_SUBMIT || e->type == ENF_EV_DS_RETRACT)
            start_ds_command(d, run, e);
        took |= e->type == ENF_EV_KEY_NEW;
    }
    /* the planner counts the keys starving zones need; when they arrive the
     * zones are enforced again at once (enf_keypool_on_keys) */
    if (took || run->starved)
        enf_keypool_plan_soon(d);
}

int enf_enforce_write_signconf(enf_daemon_t *d, int64_t zone_id, ods_err_t *err)
{
    enf_zone_info_t zi;
    enf_zone_t *z = NULL;
    int rc = enf_store_zone_get_id(d->store, zone_id, &zi, err);
    if (rc != ODS_OK)
        return rc;
    int pi = enf_policies_find_id(d->policies, zi.policy_id);
    if (pi < 0)
        rc = ods_err_set(err, ODS_ENOTFOUND, "zone %s: its policy is gone", zi.name);
    if (rc == ODS_OK)
        rc = enf_store_zone_load(d->store, zi.id, zi.name, &z, err);
    if (rc == ODS_OK)
        rc = enf_signconf_write(&d->policies->recs[pi], z, zi.signconf, err);
    if (rc == ODS_OK)
        enf_signer_zone_changed(d->signer, zi.name);
    enf_zone_free(z);
    enf_zone_info_clear(&zi);
    return rc;
}

void enf_enforce_repair(enf_daemon_t *d, const run_t *run)
{
    ods_err_t err;
    if (enf_enforce_write_signconf(d, run->zi.id, &err) != ODS_OK)
        ods_log_error("zone %s: cannot restore the signer configuration: %s", run->zi.name,
                      err.msg);
}
