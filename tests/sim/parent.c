/*
 * parent.c -- the simulated parent zone and the operator between it and the
 * enforcer (world.h).
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

int sim_queue_push(sim_queue_t *q, time_t when, int kind, int64_t key)
{
    if (when < q->last)
        when = q->last;
    q->last = when;
    if (q->head + q->n == q->cap) {
        if (q->head) {
            memmove(q->a, q->a + q->head, q->n * sizeof(*q->a));
            q->head = 0;
        }
        if (q->n == q->cap) {
            size_t cap = q->cap ? q->cap * 2 : 16;
            sim_action_t *a = realloc(q->a, cap * sizeof(*a));
            if (!a)
                return -1;
            q->a = a;
            q->cap = cap;
        }
    }
    q->a[q->head + q->n++] = (sim_action_t){ when, kind, key };
    return 0;
}

time_t sim_queue_next(const sim_queue_t *q)
{
    return q->n ? q->a[q->head].when : SIM_NEVER;
}

int sim_queue_pop_due(sim_queue_t *q, time_t now, sim_action_t *out)
{
    if (!q->n || q->a[q->head].when > now)
        return 0;
    *out = q->a[q->head++];
    q->n--;
    return 1;
}

void sim_queue_free(sim_queue_t *q)
{
    free(q->a);
    memset(q, 0, sizeof(*q));
}

static void publish_ds(sim_world_t *w)
{
    if (sim_history_publish(&w->ds, w->now, w->pol.parent_ds_ttl, w->pol.parent_propagation_delay,
                            &w->parent_ds, NULL) < 0)
        sim_world_fail(w, "out of memory");
}

void sim_parent_init(sim_world_t *w)
{
    sim_set_clear(&w->parent_ds);
    publish_ds(w);
}

void sim_parent_republish(sim_world_t *w)
{
    publish_ds(w);
}

static void operator_later(sim_world_t *w, int kind, int64_t key)
{
    if (sim_queue_push(&w->ops, w->now + sim_rng_range(&w->rng, 0, w->op_delay), kind, key) < 0)
        sim_world_fail(w, "out of memory");
}

static void parent_request(sim_world_t *w, int kind, int64_t key)
{
    time_t when = w->now + sim_rng_range(&w->rng, 0, w->pol.parent_registration_delay);
    if (sim_queue_push(&w->parent, when, kind, key) < 0)
        sim_world_fail(w, "out of memory");
}

void sim_parent_process(sim_world_t *w)
{
    sim_action_t a;
    while (!w->failed && sim_queue_pop_due(&w->parent, w->now, &a)) {
        if (a.kind == SIM_PARENT_ADD) {
            if (sim_set_add(&w->parent_ds, a.key) < 0)
                sim_world_fail(w, "too many DS records at the parent");
            operator_later(w, SIM_OP_SEEN, a.key);
        } else {
            int keep = 0;
            for (int i = 0; i < w->parent_ds.n; i++)
                if (w->parent_ds.id[i] != a.key)
                    w->parent_ds.id[keep++] = w->parent_ds.id[i];
            w->parent_ds.n = keep;
            operator_later(w, SIM_OP_GONE, a.key);
        }
        publish_ds(w);
    }
}

static enf_key_select_t select_key(sim_world_t *w, const enf_key_t *k)
{
    enf_key_select_t sel = { ENF_SELECT_KEYTAG, k->keytag, NULL };
    if (sim_rng_pct(&w->rng, w->op_locator_pct)) {
        sel.by = ENF_SELECT_LOCATOR;
        sel.locator = k->locator;
    }
    return sel;
}

/* ds-seen / ds-gone: must work exactly when the key waits for it. */
static void confirm(sim_world_t *w, const sim_action_t *a, int seen)
{
    enf_key_t *k = enf_zone_find_key(w->zone, a->key);
    if (!k)
        return; /* purged meanwhile */
    enf_dsp_t d = k->ds_at_parent;
    int waits = seen ? (d == ENF_DSP_SUBMIT || d == ENF_DSP_SUBMITTED)
                     : (d == ENF_DSP_RETRACT || d == ENF_DSP_RETRACTED);
    enf_key_select_t sel = select_key(w, k);
    ods_err_t err = { 0, "" };
    int rc = seen ? enf_ds_seen(w->zone, &sel, w->now, NULL, &err)
                  : enf_ds_gone(w->zone, &sel, w->now, NULL, &err);
    w->ds_commands++;
    if (waits != (rc > 0))
        sim_world_fail(w, "%s on key %lld (DS at parent '%s') returned %d: %s",
                       seen ? "ds-seen" : "ds-gone", (long long)a->key, enf_dsp_name(d), rc,
                       err.msg);
    if (rc > 0)
        w->enf_asap = 1;
}

/* The operator passes a request on to the parent, sometimes telling the enforcer. */
static void send_request(sim_world_t *w, const sim_action_t *a, int submit)
{
    parent_request(w, submit ? SIM_PARENT_ADD : SIM_PARENT_REMOVE, a->key);
    enf_key_t *k = enf_zone_find_key(w->zone, a->key);
    if (!k || !sim_rng_pct(&w->rng, w->op_submit_pct))
        return;
    enf_key_select_t sel = select_key(w, k);
    int rc = submit ? enf_ds_submit(w->zone, &sel, w->now, NULL, NULL)
                    : enf_ds_retract(w->zone, &sel, w->now, NULL, NULL);
    w->ds_commands++;
    if (rc > 0)
        w->enf_asap = 1;
}

void sim_operator_process(sim_world_t *w)
{
    sim_action_t a;
    while (!w->failed && !w->op_hold && sim_queue_pop_due(&w->ops, w->now, &a)) {
        switch (a.kind) {
        case SIM_OP_SEND_SUBMIT:
        case SIM_OP_SEND_RETRACT:
            send_request(w, &a, a.kind == SIM_OP_SEND_SUBMIT);
            break;
        case SIM_OP_SEEN:
        case SIM_OP_GONE:
            confirm(w, &a, a.kind == SIM_OP_SEEN);
            break;
        default:
            break;
        }
    }
}

void sim_operator_observe(sim_world_t *w, const enf_events_t *ev)
{
    for (size_t i = 0; i < ev->count; i++) {
        const enf_event_t *e = &ev->ev[i];
        if (!e->fresh)
            continue;
        if (e->type == ENF_EV_DS_SUBMIT)
            operator_later(w, SIM_OP_SEND_SUBMIT, e->key_id);
        else if (e->type == ENF_EV_DS_RETRACT)
            operator_later(w, SIM_OP_SEND_RETRACT, e->key_id);
    }
}
