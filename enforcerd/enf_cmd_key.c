/* enf_cmd_key.c -- key rollover, key generate, key purge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/update.h"
#include "enf_cmd.h"
#include "enf_enforce.h"
#include "enf_keypool.h"
#include "enf_store_hsmkey.h"
#include "enf_store_zone.h"
#include "enf_zones.h"
#include "log/log.h"
#include "util/clock.h"
#include "util/duration.h"

/* The zone named --zone, or every zone of --policy. */
static int targets(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a, int64_t **ids,
                   size_t *n)
{
    const char *zone = ods_cmd_get(a, "zone"), *policy = ods_cmd_get(a, "policy");
    ods_err_t err;
    if (!!zone == !!policy) {
        enf_errout(r, "expected either --zone <zone> or --policy <policy> option\n");
        return ENF_EXIT_USAGE;
    }
    if (policy) {
        int pi = enf_policies_find(d->policies, policy);
        if (pi < 0) {
            enf_errout(r, "Unable to find policy %s\n", policy);
            return ENF_EXIT_FAIL;
        }
        if (enf_store_zone_ids(d->store, d->policies->recs[pi].id, ids, n, &err) != ODS_OK)
            return enf_fail(r, &err);
        return ENF_EXIT_OK;
    }
    enf_zone_info_t zi;
    if (enf_zones_find(d, zone, &zi, &err) != ODS_OK)
        return enf_fail(r, &err);
    *ids = malloc(sizeof(**ids));
    if (*ids)
        (*ids)[0] = zi.id;
    *n = *ids ? 1 : 0;
    enf_zone_info_clear(&zi);
    return ENF_EXIT_OK;
}

/* Enforce every target zone after fn; stops at the first failure. */
static int on_targets(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a, enf_mutate_fn fn,
                      void *arg)
{
    int64_t *ids = NULL;
    size_t n = 0;
    int status = targets(d, r, a, &ids, &n);
    ods_err_t err;
    for (size_t i = 0; status == ENF_EXIT_OK && i < n; i++)
        if (enf_enforce_zone(d, ids[i], fn, arg, NULL, &err) != ODS_OK)
            status = enf_fail(r, &err);
    free(ids);
    return status;
}

/* ---- key rollover ---- */

typedef struct roll_ctx {
    enf_reply_t *r;
    int role;
} roll_ctx_t;

static int roll(enf_daemon_t *d, enf_zone_t *z, const enf_policy_t *p, void *arg, enf_events_t *ev,
                ods_err_t *err)
{
    roll_ctx_t *c = arg;
    int n = enf_rollover(z, p, c->role, err);
    if (n < 0)
        return n;
    if (c->role)
        ods_log_notice("Manual rollover initiated for %s on Zone: %s", enf_role_name(c->role),
                       z->name);
    else
        ods_log_notice("Manual rollover initiated for all keys on Zone: %s", z->name);
    enf_out(c->r, "Manual rollover initiated for %s on Zone: %s\n",
            c->role ? enf_role_name(c->role) : "all keys", z->name);
    return n;
}

int enf_cmd_key_rollover(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    roll_ctx_t c = { r, enf_cmd_role(ods_cmd_get(a, "keytype")) };
    if (c.role < 0) {
        enf_errout(r, "unknown keytype, should be one of KSK, ZSK, or CSK\n");
        return ENF_EXIT_USAGE;
    }
    return on_targets(d, r, a, roll, &c);
}

/* ---- key generate ---- */

static void generated(enf_daemon_t *d, void *arg, size_t made, size_t failed)
{
    enf_reply_t *r = arg;
    enf_out(r, "%zu new key(s) generated.\n", made);
    if (failed)
        enf_errout(r, "%zu key(s) could not be generated (see the log).\n", failed);
    enf_reply_finish(d, r, failed ? ENF_EXIT_FAIL : ENF_EXIT_OK);
}

int enf_cmd_key_generate(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *dur = ods_cmd_get(a, "duration"), *policy = ods_cmd_get(a, "policy");
    int all = ods_cmd_has(a, "all");
    int64_t period;
    ods_err_t err;
    if (!dur || !!policy == all) {
        enf_errout(r, "expected --duration and either --policy <policy> or --all\n");
        return ENF_EXIT_USAGE;
    }
    if (ods_duration_parse(dur, &period, NULL, &err) != ODS_OK)
        return enf_fail(r, &err);
    int pi = all ? -1 : enf_policies_find(d->policies, policy);
    if (!all && pi < 0) {
        enf_errout(r, "Unable to find policy %s\n", policy);
        return ENF_EXIT_FAIL;
    }
    size_t requested = 0;
    if (enf_keypool_generate(d, pi, (time_t)period, generated, r, &requested, &err) != ODS_OK)
        return enf_fail(r, &err);
    if (requested) {
        enf_out(r, "Generating %zu key(s)...\n", requested);
        return ENF_CMD_PENDING;
    }
    enf_out(r,
            "No key generated: the pool holds what the zones need for %s, or a repository "
            "is full (see the log).\n",
            dur);
    return ENF_EXIT_OK;
}

/* ---- key purge ---- */

typedef struct purge_ctx {
    enf_reply_t *r;
    char (*locators)[ENF_LOCATOR_MAX];
    size_t n, cap;
} purge_ctx_t;

static int purge(enf_daemon_t *d, enf_zone_t *z, const enf_policy_t *p, void *arg, enf_events_t *ev,
                 ods_err_t *err)
{
    purge_ctx_t *c = arg;
    size_t i = 0, before = c->n;
    while (i < z->nkeys) {
        enf_key_t *k = &z->keys[i];
        if (!enf_key_is_dead(k)) {
            i++;
            continue;
        }
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 16;
            void *nv = realloc(c->locators, cap * sizeof(*c->locators));
            if (!nv)
                return ods_err_set(err, ODS_ENOMEM, "out of memory");
            c->locators = nv;
            c->cap = cap;
        }
        snprintf(c->locators[c->n++], ENF_LOCATOR_MAX, "%s", k->locator);
        enf_out(c->r, "zone %s: deleting key: %s\n", z->name, k->locator);
        enf_zone_remove_key(z, k->id);
        z->signconf_needs_writing = 1;
    }
    if (c->n == before)
        enf_out(c->r, "No keys to purge for %s\n", z->name);
    return (int)(c->n - before);
}

/* Note a key released by a deleted zone (deleted from the HSM afterwards). */
static int note_released(void *arg, const enf_hsmkey_t *k)
{
    purge_ctx_t *c = arg;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        void *nv = realloc(c->locators, cap * sizeof(*c->locators));
        if (!nv)
            return ODS_ENOMEM;
        c->locators = nv;
        c->cap = cap;
    }
    snprintf(c->locators[c->n++], ENF_LOCATOR_MAX, "%s", k->locator);
    enf_out(c->r, "deleting key: %s (its zone was deleted)\n", k->locator);
    return 0;
}

int enf_cmd_key_purge(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    purge_ctx_t c = { .r = r };
    int status = on_targets(d, r, a, purge, &c);
    int del = ods_cmd_has(a, "delete");
    const char *policy = ods_cmd_get(a, "policy");
    int pi = policy ? enf_policies_find(d->policies, policy) : -1;
    ods_err_t err;
    ods_err_clear(&err);
    if (del && pi >= 0 && status == ENF_EXIT_OK &&
        enf_store_hsmkey_foreach(d->store, ENF_HSMKEY_DELETE, d->policies->recs[pi].id,
                                 note_released, &c, &err) != ODS_OK)
        status = enf_fail(r, &err);
    for (size_t i = 0; i < c.n; i++) {
        if (del && enf_keypool_drop(d, c.locators[i], &err) != ODS_OK)
            status = enf_fail(r, &err);
    }
    if (!del && c.n && enf_store_hsmkey_release(d->store, ods_clock_now(), &err) != ODS_OK)
        status = enf_fail(r, &err);
    free(c.locators);
    return status;
}
