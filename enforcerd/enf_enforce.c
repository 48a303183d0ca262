/* enf_enforce.c -- enforcements of zones, one or a batch per transaction (see enf_enforce.h). */
#include "enf_enforce.h"

#include <stdlib.h>
#include <string.h>

#include "engine/update.h"
#include "enf_enforce_internal.h"
#include "enf_keypool.h"
#include "enf_signconf.h"
#include "enf_signer.h"
#include "enf_store_zone.h"
#include "log/log.h"
#include "util/clock.h"

#define ENF_TXN_BATCH 64 /* zones per transaction when many are due */

/* Without a DelegationSigner command the DS moves on by itself (2.1). */
static void auto_ds(enf_daemon_t *d, enf_zone_t *z, const enf_events_t *ev, time_t now)
{
    for (size_t i = 0; i < ev->count; i++) {
        const enf_event_t *e = &ev->ev[i];
        int submit = e->type == ENF_EV_DS_SUBMIT, retract = e->type == ENF_EV_DS_RETRACT;
        if ((!submit && !retract) ||
            enf_parent_command(d, submit ? ENF_DS_CMD_SUBMIT : ENF_DS_CMD_RETRACT))
            continue;
        enf_key_select_t sel = { .by = ENF_SELECT_LOCATOR, .locator = e->locator };
        if (submit)
            enf_ds_submit(z, &sel, now, NULL, NULL);
        else
            enf_ds_retract(z, &sel, now, NULL, NULL);
    }
}

static int run_prepare(enf_daemon_t *d, run_t *run, int64_t zone_id, ods_err_t *err)
{
    memset(run, 0, sizeof(*run));
    enf_events_init(&run->ev);
    int rc = enf_store_zone_get_id(d->store, zone_id, &run->zi, err);
    if (rc == ODS_ENOTFOUND)
        return ods_err_set(err, rc, "zone %lld not found", (long long)zone_id);
    if (rc == ODS_OK && (run->pi = enf_policies_find_id(d->policies, run->zi.policy_id)) < 0)
        return ods_err_set(err, ODS_ENOTFOUND, "zone %s: its policy is gone", run->zi.name);
    return rc;
}

static void run_clear(run_t *run)
{
    enf_events_free(&run->ev);
    enf_zone_info_clear(&run->zi);
    enf_zone_free(run->z);
    enf_zone_free(run->before);
    ods_signconf_free(run->sc);
}

/* In the transaction: load, change, run the engine, build the signconf. */
static int run_engine(enf_daemon_t *d, run_t *run, enf_mutate_fn fn, void *arg, time_t now,
                      ods_err_t *err)
{
    const enf_policy_rec_t *r = &d->policies->recs[run->pi];
    const enf_policy_t *p = &d->policies->eng[run->pi];
    int rc = enf_store_zone_load(d->store, run->zi.id, run->zi.name, &run->z, err);
    if (rc == ODS_OK && !(run->before = enf_zone_copy(run->z)))
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory enforcing zone %s", run->zi.name);
    if (rc == ODS_OK && fn && (run->res = fn(d, run->z, p, arg, &run->ev, err)) < 0)
        rc = run->res;
    if (rc != ODS_OK || run->zi.suspended)
        return rc;
    enf_keysrc_t ks;
    enf_keysrc_init(&ks, d, run->zi.id, r->id);
    enf_key_source_t src = { enf_keysrc_get, &ks };
    enf_update(p, run->z, now, &src, &run->ev);
    run->starved = ks.starved;
    if (ks.failed)
        return ods_err_set(err, ks.err.code ? ks.err.code : ODS_EDB, "%s", ks.err.msg);
    if (run->ev.status != ODS_OK)
        return ods_err_set(err, run->ev.status, "zone %s: the engine ran out of memory",
                           run->zi.name);
    auto_ds(d, run->z, &run->ev, now);
    if (run->z->signconf_needs_writing)
        rc = enf_signconf_build(r, run->z, &run->sc, err);
    return rc;
}

/* In the transaction, after the signconf was (or was not) written: save. */
static int run_save(enf_daemon_t *d, run_t *run, time_t now, ods_err_t *err)
{
    enf_zone_t *z = run->z;
    if (run->sc && run->sc_rc == ODS_OK) {
        z->signconf_needs_writing = 0;
        run->wrote_signconf = 1;
    } else if (run->sc) { /* keep the flag and try again within a minute */
        ods_log_error("cannot write the signer configuration: %s", run->sc_err.msg);
        if (z->next_change < 0 || z->next_change > now + 60)
            z->next_change = now + 60;
    }
    run->next = z->next_change;
    int rc = enf_store_zone_save(d->store, run->zi.id, z, run->before, err);
    if (rc == ODS_OK && run->starved != run->zi.waiting_keys)
        rc = enf_store_zone_set_waiting(d->store, run->zi.id, run->starved, err);
    return rc;
}

/* Enforce runs[0..n) in one transaction. */
static int enforce_runs(enf_daemon_t *d, run_t **runs, size_t n, enf_mutate_fn fn, void *arg,
                        ods_err_t *err)
{
    time_t now = ods_clock_now();
    int rc = enf_store_begin(d->store, err);
    for (size_t i = 0; rc == ODS_OK && i < n; i++)
        rc = run_engine(d, runs[i], fn, arg, now, err);
    if (rc == ODS_OK)
        enf_enforce_write_all(runs, n);
    for (size_t i = 0; rc == ODS_OK && i < n; i++)
        rc = run_save(d, runs[i], now, err);
    if (rc == ODS_OK)
        rc = enf_store_commit(d->store, err);
    else
        enf_store_rollback(d->store);
    for (size_t i = 0; i < n; i++) {
        if (rc == ODS_OK)
            enf_enforce_after(d, runs[i]);
        else if (runs[i]->wrote_signconf)
            enf_enforce_repair(d, runs[i]);
    }
    return rc;
}

int enf_enforce_zone(enf_daemon_t *d, int64_t zone_id, enf_mutate_fn fn, void *arg, int *result,
                     ods_err_t *err)
{
    run_t run, *runs[1] = { &run };
    if (result)
        *result = 0;
    if (enf_daemon_hsm_ready(d, err) != ODS_OK)
        return ODS_ESTATE; /* keys may be needed: wait for `odsctl hsm login` */
    int rc = run_prepare(d, &run, zone_id, err);
    if (rc == ODS_OK)
        rc = enforce_runs(d, runs, 1, fn, arg, err);
    if (result)
        *result = run.res;
    run_clear(&run);
    return rc;
}

/* One transaction for a batch; if it fails, each zone on its own. */
static void enforce_batch(enf_daemon_t *d, const int64_t *ids, size_t n)
{
    run_t *runs = calloc(n, sizeof(*runs));
    run_t **ptrs = calloc(n, sizeof(*ptrs));
    size_t m = 0;
    ods_err_t err;
    for (size_t i = 0; runs && ptrs && i < n; i++) {
        if (run_prepare(d, &runs[m], ids[i], &err) != ODS_OK) {
            run_clear(&runs[m]); /* deleted meanwhile */
            continue;
        }
        ptrs[m] = &runs[m];
        m++;
    }
    int rc = runs && ptrs ? enforce_runs(d, ptrs, m, NULL, NULL, &err) : ODS_ENOMEM;
    for (size_t i = 0; i < m; i++)
        run_clear(&runs[i]);
    free(runs);
    free(ptrs);
    for (size_t i = 0; rc != ODS_OK && i < n; i++) {
        if (enf_enforce_zone(d, ids[i], NULL, NULL, NULL, &err) == ODS_OK)
            continue;
        ods_log_error("enforcing a zone: %s", err.msg);
        enf_store_zone_set_next(d->store, ids[i], 0, ods_clock_now() + 60, NULL);
    }
}

int enf_enforce_due(enf_daemon_t *d, size_t max, size_t *done, ods_err_t *err)
{
    int64_t *ids = NULL;
    size_t n = 0;
    *done = 0;
    if (enf_daemon_hsm_ready(d, NULL) != ODS_OK)
        return ODS_OK; /* due zones wait for `odsctl hsm login` */
    int rc = enf_store_zone_due(d->store, ods_clock_now(), max, &ids, &n, err);
    for (size_t i = 0; rc == ODS_OK && i < n; i += ENF_TXN_BATCH)
        enforce_batch(d, ids + i, n - i < ENF_TXN_BATCH ? n - i : ENF_TXN_BATCH);
    free(ids);
    *done = n;
    enf_signer_flush(d->signer, d->conf);
    return rc;
}

static int ds_after_command(enf_daemon_t *d, enf_zone_t *z, const enf_policy_t *p, void *arg,
                            enf_events_t *ev, ods_err_t *err)
{
    const ds_cmd_arg_t *a = arg;
    enf_key_select_t sel = { .by = ENF_SELECT_LOCATOR, .locator = a->locator };
    time_t now = ods_clock_now();
    int n = a->kind == ENF_DS_CMD_SUBMIT ? enf_ds_submit(z, &sel, now, ev, NULL)
                                         : enf_ds_retract(z, &sel, now, ev, NULL);
    return n < 0 ? 0 : n; /* already moved on (ds-seen was quicker): fine */
}

void enf_enforce_ds_command_done(enf_daemon_t *d, enf_ds_cmd_t kind, const char *zone,
                                 const char *locator)
{
    enf_zone_info_t zi;
    ods_err_t err;
    if (enf_store_zone_get(d->store, zone, &zi, &err) != ODS_OK)
        return; /* the zone was deleted meanwhile */
    ds_cmd_arg_t a = { kind, locator };
    if (enf_enforce_zone(d, zi.id, ds_after_command, &a, NULL, &err) != ODS_OK)
        ods_log_error("zone %s: %s", zone, err.msg);
    enf_zone_info_clear(&zi);
    enf_signer_flush(d->signer, d->conf);
    enf_daemon_reschedule(d);
}
