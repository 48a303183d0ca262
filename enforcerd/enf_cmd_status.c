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

static void key_status_json(ods_buf_t *b, int first, const enf_key_t *k)
{
    enf_wait_t w = enf_key_wait(k);
    enf_json_item_open(b, first);
    ods_json_kv_str(b, 1, "role", enf_role_name(k->role));
    ods_json_kv_int(b, 0, "keytag", k->keytag);
    ods_json_kv_str(b, 0, "cka_id", k->locator);
    ods_json_kv_str(b, 0, "state", enf_kl_name(enf_key_list_state(k)));
    ods_json_kv_str(b, 0, "action", w != ENF_WAIT_NONE ? enf_wait_action(w) : NULL);
    ods_buf_append_u8(b, '}');
}

static void status_json(status_ctx_t *c, const enf_zone_info_t *zi, const char *policy,
                        const enf_zone_t *z)
{
    ods_buf_t *b = &c->r->out;
    enf_json_item_open(b, c->n == 0);
    ods_json_kv_str(b, 1, "zone", zi->name);
    ods_json_kv_str(b, 0, "policy", policy);
    ods_json_kv_time(b, 0, "next_change", zi->next_change);
    ods_json_kv_bool(b, 0, "suspended", zi->suspended);
    ods_json_kv_bool(b, 0, "waiting_for_keys", zi->waiting_keys);
    ods_json_key(b, 0, "keys");
    ods_buf_append_u8(b, '[');
    for (size_t i = 0; i < z->nkeys; i++)
        key_status_json(b, i == 0, &z->keys[i]);
    ods_buf_append(b, "]}", 2);
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
        enf_json_list_open(&r->out, "zones");
    if (enf_walk_zones(d, ods_cmd_get(a, "zone"), status_zone, &c, &err) != ODS_OK)
        return c.json ? enf_json_fail(r, &err) : enf_fail(r, &err);
    if (c.json)
        enf_json_list_close(&r->out);
    else if (c.n == 0)
        enf_out(r, "No zones in database.\n");
    return ENF_EXIT_OK;
}

/* ---- rollover list ---- */

static void roll_one(status_ctx_t *c, const enf_zone_info_t *zi, const ods_policy_key_t *pk)
{
    time_t t = zi->next_roll[pk->role & 3];
    if (c->json) {
        ods_buf_t *b = &c->r->out;
        enf_json_item_open(b, c->n == 0);
        ods_json_kv_str(b, 1, "zone", zi->name);
        ods_json_kv_str(b, 0, "role", enf_role_name(pk->role));
        ods_json_kv_bool(b, 0, "manual", pk->manual_rollover);
        ods_json_kv_time(b, 0, "rollover_expected", t > 0 ? t : -1);
        ods_buf_append_u8(b, '}');
    } else {
        char when[32] = "-";
        if (pk->manual_rollover)
            snprintf(when, sizeof(when), "Manual rollover");
        else if (t > 0)
            ods_clock_format(t, when, sizeof(when));
        enf_out(c->r, "%-31s %-13s %s\n", zi->name, enf_role_name(pk->role), when);
    }
    c->n++;
}

/* The zone's policy keys, KSK, then ZSK, then CSK. */
static int roll_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    status_ctx_t *c = arg;
    if (pi < 0)
        return 0;
    const ods_policy_t *p = &c->d->policies->recs[pi].pol;
    static const int roles[] = { ENF_ROLE_KSK, ENF_ROLE_ZSK, ENF_ROLE_CSK };
    for (size_t r = 0; r < sizeof(roles) / sizeof(roles[0]); r++)
        for (size_t i = 0; i < p->n_keys; i++)
            if (p->keys[i].role == roles[r])
                roll_one(c, zi, &p->keys[i]);
    return 0;
}

int enf_cmd_rollover_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    status_ctx_t c = { d, r, ods_cmd_has(a, "json"), 0 };
    ods_err_t err;
    if (c.json)
        enf_json_list_open(&r->out, "rollovers");
    else
        enf_out(r, "Keys:\n%-31s %-13s %s\n", "Zone:", "Keytype:", "Rollover expected:");
    if (enf_walk_zones(d, ods_cmd_get(a, "zone"), roll_zone, &c, &err) != ODS_OK)
        return c.json ? enf_json_fail(r, &err) : enf_fail(r, &err);
    if (c.json)
        enf_json_list_close(&r->out);
    return ENF_EXIT_OK;
}

/* ---- look-ahead ---- */

typedef struct ahead_ctx {
    enf_daemon_t *d;
    enf_reply_t *r;
    int json, steps;
} ahead_ctx_t;

static void ahead_text(ahead_ctx_t *c, const enf_lookahead_t *la)
{
    for (size_t i = 0; i < la->count; i++) {
        const enf_events_t *ev = &la->step[i].events;
        char when[32];
        ods_clock_format(la->step[i].when, when, sizeof(when));
        enf_out(c->r, "%s:\n", when);
        for (size_t j = 0; j < ev->count; j++)
            if (ev->ev[j].type != ENF_EV_SIGNCONF)
                enf_out(c->r, "  %s\n", ev->ev[j].text);
    }
}

static void ahead_json(ahead_ctx_t *c, const enf_zone_info_t *zi, const enf_lookahead_t *la)
{
    ods_buf_t *b = &c->r->out;
    ods_buf_append_u8(b, '{');
    ods_json_kv_str(b, 1, "zone", zi->name);
    ods_json_key(b, 0, "steps");
    ods_buf_append_u8(b, '[');
    for (size_t i = 0; i < la->count; i++) {
        const enf_events_t *ev = &la->step[i].events;
        enf_json_item_open(b, i == 0);
        ods_json_kv_time(b, 1, "time", la->step[i].when);
        ods_json_key(b, 0, "events");
        ods_buf_append_u8(b, '[');
        for (size_t j = 0, n = 0; j < ev->count; j++) {
            if (ev->ev[j].type == ENF_EV_SIGNCONF)
                continue;
            ods_json_sep(b, n++ == 0);
            ods_json_str(b, ev->ev[j].text);
        }
        ods_buf_append(b, "]}", 2);
    }
    enf_json_list_close(b);
}

static int ahead_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    ahead_ctx_t *c = arg;
    enf_lookahead_t la;
    if (pi < 0 || enf_lookahead(&c->d->policies->eng[pi], z, ods_clock_now(), c->steps,
                                ENF_LOOKAHEAD_AUTO_DS, &la) != ODS_OK)
        return ODS_ENOMEM;
    if (c->json)
        ahead_json(c, zi, &la);
    else
        ahead_text(c, &la);
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
    if (rc == ODS_OK)
        return ENF_EXIT_OK;
    return c.json ? enf_json_fail(r, &err) : enf_fail(r, &err);
}
