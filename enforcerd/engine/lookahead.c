/* lookahead.c -- the engine run forward on a copy (see lookahead.h). */
#include "engine/lookahead.h"

#include "engine/ds.h"
#include "engine/update.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int placeholder_key(void *ctx, const enf_policy_t *p, const enf_policy_key_t *pk,
                           const enf_zone_t *z, time_t now, enf_key_material_t *out)
{
    (void)ctx;
    (void)p;
    (void)z;
    (void)now;
    memset(out, 0, sizeof(*out));
    snprintf(out->locator, sizeof(out->locator), "(not generated yet)");
    snprintf(out->repository, sizeof(out->repository), "%s", pk->repository);
    out->bits = pk->bits;
    return ODS_OK;
}

/* The operator confirms every DS as soon as asked; 1 if anything changed. */
static int auto_ds(enf_zone_t *z, time_t now, enf_events_t *ev)
{
    enf_key_select_t all = { ENF_SELECT_ALL, 0, NULL };
    int seen = enf_ds_seen(z, &all, now, ev, NULL);
    int gone = enf_ds_gone(z, &all, now, ev, NULL);
    return seen > 0 || gone > 0;
}

void enf_lookahead_free(enf_lookahead_t *la)
{
    if (!la)
        return;
    for (size_t i = 0; i < la->count; i++)
        enf_events_free(&la->step[i].events);
    free(la->step);
    enf_zone_free(la->zone);
    memset(la, 0, sizeof(*la));
}

static int run_steps(const enf_policy_t *p, enf_lookahead_t *la, time_t now, int steps, int flags)
{
    enf_key_source_t src = { placeholder_key, NULL };
    time_t t = now;
    for (int i = 0; i < steps; i++) {
        enf_lookahead_step_t *st = &la->step[la->count++];
        st->when = t;
        enf_events_init(&st->events);
        time_t next = enf_update(p, la->zone, t, &src, &st->events);
        if (st->events.status != ODS_OK)
            return st->events.status;
        if ((flags & ENF_LOOKAHEAD_AUTO_DS) && auto_ds(la->zone, t, &st->events))
            continue; /* run again at the same time */
        if (next < 0)
            break;
        t = next;
    }
    return ODS_OK;
}

int enf_lookahead(const enf_policy_t *p, const enf_zone_t *z, time_t now, int steps, int flags,
                  enf_lookahead_t *out)
{
    if (steps < 1)
        return ODS_EINVAL;
    enf_lookahead_t la;
    memset(&la, 0, sizeof(la));
    la.zone = enf_zone_copy(z);
    la.step = calloc((size_t)steps, sizeof(*la.step));
    if (!la.zone || !la.step) {
        enf_lookahead_free(&la);
        return ODS_ENOMEM;
    }
    int rc = run_steps(p, &la, now, steps, flags);
    if (rc != ODS_OK) {
        enf_lookahead_free(&la);
        return rc;
    }
    *out = la;
    return ODS_OK;
}

static int key_moved(const enf_events_t *ev, int64_t key_id)
{
    for (size_t i = 0; i < ev->count; i++)
        if ((ev->ev[i].type == ENF_EV_TRANSITION || ev->ev[i].type == ENF_EV_KEY_PURGE) &&
            ev->ev[i].key_id == key_id)
            return 1;
    return 0;
}

time_t enf_key_next_transition(const enf_policy_t *p, const enf_zone_t *z, int64_t key_id,
                               time_t now, int steps)
{
    enf_lookahead_t la;
    if (enf_lookahead(p, z, now, steps, 0, &la) != ODS_OK)
        return -1;
    time_t when = -1;
    for (size_t i = 0; i < la.count && when < 0; i++)
        if (key_moved(&la.step[i].events, key_id))
            when = la.step[i].when;
    enf_lookahead_free(&la);
    return when;
}
