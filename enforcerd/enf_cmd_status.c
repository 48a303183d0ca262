/* enf_cmd_status.c -- zone status, rollover list, look-ahead. */
#include <stdlib.h>
#include <string.h>

#include "engine/lookahead.h"
#include "engine/view.h"
#include "enf_cmd.h"
#include "enf_json.h"
#include "enf_walk.h"
#include "util/clock.h"

typedef struct status_ctx {
    enf_daemon_t *d;
    enf_reply_t *r;
    int json;
    size_t n;
} status_ctx_t;

static void key_status_text(enf_reply_t *r, const enf_key_t *k)
{
    enf_wait_t w = enf_key_wait(k);
    enf_out(r, "  %s %u (%s): %s%s%s\n", enf_role_name(k->role), k->keytag, k->locator,
            enf_kl_name(enf_key_list_state(k)), w != ENF_WAIT_NONE ? "; " : "",
            w != ENF_WAIT_NONE ? enf_wait_action(w) : "");
}

static void status_text(status_ctx_t *c, const enf_zone_info_t *zi, const char *policy,
                        const enf_zone_t *z)
{
    char when[32] = "nothing scheduled";
    if (zi->next_change >= 0)
        ods_clock_format(zi->next_change, when, sizeof(when));
    enf_out(c->r, "Zone %s (policy %s): next change %s%s%s\n", zi->name, policy, when,
            zi->suspended ? "; suspended" : "",
            zi->waiting_keys ? "; waiting for key generation" : "");
    for (size_t i = 0; i < z->nkeys; i++)
        key_status_text(c->r, &z->keys[i]);
}

static void status_json(status_ctx_t *c, const enf_zone_info_t *zi, const char *policy,
                        const enf_zone_t *z)
{
    ods_buf_t *b = &c->r->out;
    enf_out(c->r, "%s{", c->n ? "," : "");
    enf_json_kv_str(b, 1, "zone", zi->name);
    enf_json_kv_str(b, 0, "policy", policy);
    enf_json_kv_time(b, 0, "next_change", zi->next_change);
    enf_json_kv_bool(b, 0, "suspended", zi->suspended);
    enf_json_kv_bool(b, 0, "waiting_for_keys", zi->waiting_keys);
    enf_out(c->r, ",\"keys\":[");
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        enf_wait_t w = enf_key_wait(k);
        enf_out(c->r, "%s{", i ? "," : "");
        enf_json_kv_str(b, 1, "role", enf_role_name(k->role));
        enf_json_kv_int(b, 0, "keytag", k->keytag);
        enf_json_kv_str(b, 0, "cka_id", k->locator);
        enf_json_kv_str(b, 0, "state", enf_kl_name(enf_key_list_state(k)));
        enf_json_kv_str(b, 0, "action", w != ENF_WAIT_NONE ? enf_wait_action(w) : NULL);
        enf_out(c->r, "}");
    }
    enf_out(c->r, "]}");
}

static int status_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    status_ctx_t *c = arg;
    const char *policy = pi >= 0 ? c->d->policies->recs[pi].pol.name : "?";
    if (c->json)
        status_json(c, zi, policy, z);
    else
        status_text(c, zi, policy, z);
    c->n++;
    return 0;
}

int enf_cmd_zone_status(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    status_ctx_t c = { d, r, ods_cmd_has(a, "json"), 0 };
    ods_err_t err;
    if (c.json)
        enf_out(r, "[");
    if (enf_walk_zones(d, ods_cmd_get(a, "zone"), status_zone, &c, &err) != ODS_OK)
        return enf_fail(r, &err);
    if (c.json)
        enf_out(r, "]\n");
    else if (c.n == 0)
        enf_out(r, "No zones in database.\n");
    return ENF_EXIT_OK;
}

/* ---- rollover list ---- */

static int roll_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    status_ctx_t *c = arg;
    if (pi < 0)
        return 0;
    const ods_policy_t *p = &c->d->policies->recs[pi].pol;
    for (size_t i = 0; i < p->n_keys; i++) {
        const ods_policy_key_t *pk = &p->keys[i];
        time_t t = zi->next_roll[pk->role & 3];
        char when[32] = "-";
        if (pk->manual_rollover)
            snprintf(when, sizeof(when), "Manual rollover");
        else if (t > 0)
            ods_clock_format(t, when, sizeof(when));
        if (c->json) {
            enf_out(c->r, "%s{", c->n ? "," : "");
            enf_json_kv_str(&c->r->out, 1, "zone", zi->name);
            enf_json_kv_str(&c->r->out, 0, "keytype", enf_role_name(pk->role));
            enf_json_kv_bool(&c->r->out, 0, "manual", pk->manual_rollover);
            enf_json_kv_time(&c->r->out, 0, "rollover_expected", t > 0 ? t : -1);
            enf_out(c->r, "}");
        } else {
            enf_out(c->r, "%-31s %-13s %s\n", zi->name, enf_role_name(pk->role), when);
        }
        c->n++;
    }
    return 0;
}

int enf_cmd_rollover_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    status_ctx_t c = { d, r, ods_cmd_has(a, "json"), 0 };
    ods_err_t err;
    if (c.json)
        enf_out(r, "[");
    else
        enf_out(r, "Keys:\n%-31s %-13s %s\n", "Zone:", "Keytype:", "Rollover expected:");
    if (enf_walk_zones(d, ods_cmd_get(a, "zone"), roll_zone, &c, &err) != ODS_OK)
        return enf_fail(r, &err);
    if (c.json)
        enf_out(r, "]\n");
    return ENF_EXIT_OK;
}

/* ---- look-ahead ---- */

typedef struct ahead_ctx {
    enf_daemon_t *d;
    enf_reply_t *r;
    int json, steps;
} ahead_ctx_t;

static void ahead_print(ahead_ctx_t *c, const enf_lookahead_t *la)
{
    if (c->json)
        enf_out(c->r, "[");
    for (size_t i = 0; i < la->count; i++) {
        const enf_events_t *ev = &la->step[i].events;
        char when[32];
        ods_clock_format(la->step[i].when, when, sizeof(when));
        if (c->json) {
            enf_out(c->r, "%s{", i ? "," : "");
            enf_json_kv_time(&c->r->out, 1, "time", la->step[i].when);
            enf_out(c->r, ",\"events\":[");
        } else {
            enf_out(c->r, "%s:\n", when);
        }
        for (size_t j = 0, n = 0; j < ev->count; j++) {
            if (ev->ev[j].type == ENF_EV_SIGNCONF)
                continue;
            if (c->json) {
                enf_out(c->r, "%s", n++ ? "," : "");
                enf_json_str(&c->r->out, ev->ev[j].text);
            } else {
                enf_out(c->r, "  %s\n", ev->ev[j].text);
            }
        }
        if (c->json)
            enf_out(c->r, "]}");
    }
    if (c->json)
        enf_out(c->r, "]\n");
}

static int ahead_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    ahead_ctx_t *c = arg;
    enf_lookahead_t la;
    if (pi < 0 || enf_lookahead(&c->d->policies->eng[pi], z, ods_clock_now(), c->steps,
                                ENF_LOOKAHEAD_AUTO_DS, &la) != ODS_OK)
        return ODS_ENOMEM;
    ahead_print(c, &la);
    enf_lookahead_free(&la);
    return 0;
}

int enf_cmd_look_ahead(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_get(a, "zone"), *steps = ods_cmd_get(a, "steps");
    ahead_ctx_t c = { d, r, ods_cmd_has(a, "json"), steps ? atoi(steps) : 10 };
    if (!zone || c.steps < 1) {
        enf_errout(r, "expected --zone <zone> [--steps N] with N >= 1\n");
        return ENF_EXIT_USAGE;
    }
    ods_err_t err;
    int rc = enf_walk_zones(d, zone, ahead_zone, &c, &err);
    if (rc == ODS_ENOMEM)
        ods_err_set(&err, rc, "out of memory looking ahead");
    return rc == ODS_OK ? ENF_EXIT_OK : enf_fail(r, &err);
}
