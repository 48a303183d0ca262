/*
 * enf_cmd_key_ds.c -- key ds-submit, ds-seen, ds-retract, ds-gone.
 *
 * Select keys with --zone and --keytag or --cka_id, or --all (every zone);
 * without options, list the keys waiting for the step. Prints OpenDNSSEC's
 * "%d KSK matches found." and "%d KSKs changed."; fails (exit 1, with the
 * engine's explanation) when no key changed. The zone is enforced at once.
 * ds-seen is accepted from "submit" too, so it works right after "please
 * submit DS" whether or not a DelegationSignerSubmitCommand is configured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ds.h"
#include "enf_cmd.h"
#include "enf_enforce.h"
#include "enf_keypool.h"
#include "enf_parent.h"
#include "enf_store_zone.h"
#include "enf_walk.h"
#include "enf_zones.h"
#include "util/clock.h"

#define BIT(x) (1u << (x))

typedef int (*ds_fn)(enf_zone_t *, const enf_key_select_t *, time_t, enf_events_t *, ods_err_t *);

typedef struct ds_op {
    const char *name; /* "ds-seen" */
    ds_fn fn;
    unsigned from; /* ds_at_parent states the step starts from */
    int run_cmd;   /* 1: run the submit/retract command for changed keys */
    enf_ds_cmd_t kind;
} ds_op_t;

typedef struct ds_ctx {
    const ds_op_t *op;
    enf_key_select_t sel;
    int matches, changed;
    ods_err_t miss; /* why nothing changed (last zone) */
    enf_reply_t *r;
    enf_event_t moved[16]; /* keys changed in the current zone */
    size_t nmoved;
} ds_ctx_t;

static int count_matches(const enf_zone_t *z, const ds_ctx_t *c)
{
    int n = 0;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        if (!enf_key_selected(k, &c->sel))
            continue;
        if (c->sel.by != ENF_SELECT_ALL || (c->op->from & BIT(k->ds_at_parent)))
            n++;
    }
    return n;
}

static int apply(enf_daemon_t *d, enf_zone_t *z, const enf_policy_t *p, void *arg, enf_events_t *ev,
                 ods_err_t *err)
{
    ds_ctx_t *c = arg;
    c->matches += count_matches(z, c);
    c->nmoved = 0;
    size_t before = ev->count;
    int n = c->op->fn(z, &c->sel, ods_clock_now(), ev, &c->miss);
    if (n < 0)
        return 0; /* nothing to change here: not an error for the transaction */
    c->changed += n;
    for (size_t i = before; i < ev->count && c->nmoved < 16; i++)
        if (ev->ev[i].type == ENF_EV_DS_COMMAND)
            c->moved[c->nmoved++] = ev->ev[i];
    return n;
}

/* Run the configured command for the keys this command moved (after the commit). */
static void run_commands(enf_daemon_t *d, const ds_ctx_t *c, const char *zone,
                         const ods_policy_t *p)
{
    const char *cmd = enf_parent_command(d, c->op->kind);
    for (size_t i = 0; cmd && c->op->run_cmd && i < c->nmoved; i++) {
        const enf_event_t *e = &c->moved[i];
        uint8_t rdata[ODS_HSM_DNSKEY_MAX];
        size_t len = sizeof(rdata);
        ods_buf_t in = ODS_BUF_INIT;
        ods_err_t err;
        int rc = enf_keypool_dnskey(d, e->locator, e->algorithm, e->role, rdata, &len, &err);
        if (rc == ODS_OK)
            rc = enf_parent_input(cmd, zone, e->locator, rdata, len, (uint32_t)p->keys_ttl,
                                  (uint32_t)p->parent_ds_ttl, &in, &err);
        if (rc == ODS_OK && ods_buf_cstr(&in))
            rc = enf_parent_run(d, c->op->kind, zone, e->locator, (const char *)in.data, &err);
        if (rc == ODS_OK)
            enf_out(c->r, "key %s of zone %s: running %s\n", e->locator, zone, cmd);
        else
            enf_errout(c->r, "%s\n", err.msg);
        ods_buf_free(&in);
    }
}

static int one_zone(enf_daemon_t *d, ds_ctx_t *c, int64_t zone_id, ods_err_t *err)
{
    int rc = enf_enforce_zone(d, zone_id, apply, c, NULL, err);
    if (rc != ODS_OK || c->nmoved == 0)
        return rc;
    enf_zone_info_t zi;
    if (enf_store_zone_get_id(d->store, zone_id, &zi, err) != ODS_OK)
        return ODS_OK;
    int pi = enf_policies_find_id(d->policies, zi.policy_id);
    if (pi >= 0)
        run_commands(d, c, zi.name, &d->policies->recs[pi].pol);
    enf_zone_info_clear(&zi);
    return ODS_OK;
}

typedef struct waiting_ctx {
    enf_reply_t *r;
    unsigned from;
} waiting_ctx_t;

static int list_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    waiting_ctx_t *c = arg;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        if ((k->role & ENF_ROLE_KSK) && (c->from & BIT(k->ds_at_parent)))
            enf_out(c->r, "%-31s %-13s %-13u %-40s\n", zi->name, enf_role_name(k->role), k->keytag,
                    k->locator);
    }
    return 0;
}

/* Without options: the keys waiting for this step. */
static int list_waiting(enf_daemon_t *d, enf_reply_t *r, const ds_op_t *op)
{
    waiting_ctx_t c = { r, op->from };
    ods_err_t err;
    enf_out(r, "%-31s %-13s %-13s %-40s\n", "Zone:", "Key role:", "Keytag:", "Id:");
    int rc = enf_walk_zones(d, NULL, list_zone, &c, &err);
    return rc == ODS_OK ? ENF_EXIT_OK : enf_fail(r, &err);
}

static int parse_selection(enf_reply_t *r, const ods_cmd_args_t *a, enf_key_select_t *sel)
{
    const char *zone = ods_cmd_get(a, "zone"), *tag = ods_cmd_get(a, "keytag");
    const char *cka = ods_cmd_get(a, "cka_id");
    int all = ods_cmd_has(a, "all");
    if (all && zone) {
        enf_errout(r, "Error: Unable to use --zone and --all together\n");
        return -1;
    }
    if (!((all && !cka && !tag) || (!all && zone && (!cka != !tag)))) {
        enf_errout(r, "expected --zone and either --cka_id or --keytag option or expected "
                      "--all.\n");
        return -1;
    }
    memset(sel, 0, sizeof(*sel));
    sel->by = all ? ENF_SELECT_ALL : cka ? ENF_SELECT_LOCATOR : ENF_SELECT_KEYTAG;
    sel->locator = cka;
    if (tag) {
        char *end;
        long v = strtol(tag, &end, 10);
        if (*end || end == tag || v < 0 || v > 65535) {
            enf_errout(r, "value \"%s\" for --keytag is invalid\n", tag);
            return -1;
        }
        sel->keytag = (uint16_t)v;
    }
    return 0;
}

/* The zones to work on: the one named, or every zone with a key in a from-state. */
static int target_zones(enf_daemon_t *d, const ods_cmd_args_t *a, const ds_op_t *op, int64_t **ids,
                        size_t *n, ods_err_t *err)
{
    const char *zone = ods_cmd_get(a, "zone");
    if (!zone)
        return enf_store_zones_with_ds(d->store, op->from, ids, n, err);
    enf_zone_info_t zi;
    int rc = enf_zones_find(d, zone, &zi, err);
    if (rc != ODS_OK)
        return rc;
    *ids = malloc(sizeof(**ids));
    if (*ids)
        (*ids)[0] = zi.id;
    *n = *ids ? 1 : 0;
    enf_zone_info_clear(&zi);
    return *ids ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
}

static int run_ds(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a, const ds_op_t *op)
{
    if (!ods_cmd_has(a, "zone") && !ods_cmd_has(a, "all") && !ods_cmd_has(a, "keytag") &&
        !ods_cmd_has(a, "cka_id"))
        return list_waiting(d, r, op);
    ds_ctx_t c = { .op = op, .r = r };
    if (parse_selection(r, a, &c.sel) != 0)
        return ENF_EXIT_USAGE;
    int64_t *ids = NULL;
    size_t n = 0;
    ods_err_t err;
    int rc = target_zones(d, a, op, &ids, &n, &err);
    for (size_t i = 0; rc == ODS_OK && i < n; i++)
        rc = one_zone(d, &c, ids[i], &err);
    free(ids);
    if (rc != ODS_OK)
        return enf_fail(r, &err);
    enf_out(r, "%d KSK matches found.\n", c.matches);
    enf_out(r, "%d KSKs changed.\n", c.changed);
    if (c.changed > 0)
        return ENF_EXIT_OK;
    if (c.miss.msg[0])
        enf_errout(r, "%s\n", c.miss.msg);
    else
        enf_errout(r, "no key is waiting for %s%s\n", op->name,
                   c.sel.by == ENF_SELECT_ALL ? "" : " in this zone");
    return ENF_EXIT_FAIL;
}

static const ds_op_t op_submit = { "ds-submit", enf_ds_submit, BIT(ENF_DSP_SUBMIT), 1,
                                   ENF_DS_CMD_SUBMIT };
static const ds_op_t op_seen = { "ds-seen", enf_ds_seen,
                                 BIT(ENF_DSP_SUBMIT) | BIT(ENF_DSP_SUBMITTED), 0,
                                 ENF_DS_CMD_SUBMIT };
static const ds_op_t op_retract = { "ds-retract", enf_ds_retract, BIT(ENF_DSP_RETRACT), 1,
                                    ENF_DS_CMD_RETRACT };
static const ds_op_t op_gone = { "ds-gone", enf_ds_gone,
                                 BIT(ENF_DSP_RETRACT) | BIT(ENF_DSP_RETRACTED), 0,
                                 ENF_DS_CMD_RETRACT };

int enf_cmd_key_ds_submit(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return run_ds(d, r, a, &op_submit);
}

int enf_cmd_key_ds_seen(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return run_ds(d, r, a, &op_seen);
}

int enf_cmd_key_ds_retract(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return run_ds(d, r, a, &op_retract);
}

int enf_cmd_key_ds_gone(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return run_ds(d, r, a, &op_gone);
}
