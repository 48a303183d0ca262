/* world.c -- the simulated world's event loop, key source and checks (see world.h). */
#include "sim.h"
#include "oracle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_world_fail(sim_world_t *w, const char *fmt, ...)
{
    if (w->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, sizeof(w->why), fmt, ap);
    va_end(ap);
    w->failed = 1;
}

const sim_keyinfo_t *sim_world_keyinfo(const sim_world_t *w, int64_t id)
{
    if (id >= 1 && (size_t)id <= w->nkeys && w->keys[id - 1].id == id)
        return &w->keys[id - 1]; /* ids are handed out in order from 1 */
    for (size_t i = 0; i < w->nkeys; i++)
        if (w->keys[i].id == id)
            return &w->keys[i];
    return NULL;
}

static int key_algorithm(void *ctx, int64_t id)
{
    const sim_keyinfo_t *ki = sim_world_keyinfo(ctx, id);
    return ki ? ki->algorithm : -1;
}

/* The key source: fresh identities, as many as asked. */
static int world_key(void *ctx, const enf_policy_t *p, const enf_policy_key_t *pk,
                     const enf_zone_t *z, time_t now, enf_key_material_t *out)
{
    sim_world_t *w = ctx;
    (void)p;
    (void)z;
    if (w->keys_unavailable || w->nkeys == SIM_KEYS)
        return ODS_ENOTFOUND;
    memset(out, 0, sizeof(*out));
    uint16_t keytag = w->next_tag++;
    snprintf(out->locator, sizeof(out->locator), "%016llx%016llx",
             (unsigned long long)(0x5eed0000ULL + (uint64_t)w->next_id),
             (unsigned long long)((uint64_t)now ^ 0xa5a5a5a5ULL));
    char why[256];
    if (w->keygen && w->keygen(w->keygen_ctx, pk->role, pk->algorithm, out->locator,
                               sizeof(out->locator), &keytag, why, sizeof(why)) != 0) {
        sim_world_fail(w, "key generation: %s", why);
        return ODS_ENOTFOUND;
    }
    sim_keyinfo_t *ki = &w->keys[w->nkeys++];
    memset(ki, 0, sizeof(*ki));
    ki->id = w->next_id++;
    ki->algorithm = pk->algorithm;
    ki->role = pk->role;
    ki->keytag = keytag;
    out->id = ki->id;
    out->keytag = ki->keytag;
    out->bits = pk->bits;
    out->backup_required = w->backup_required;
    snprintf(out->repository, sizeof(out->repository), "%s", pk->repository);
    return ODS_OK;
}

/* Probes must not touch the registry: the engine numbers their keys. The
 * pool is as empty or full as the world's: it is one of the engine's inputs. */
static int probe_key(void *ctx, const enf_policy_t *p, const enf_policy_key_t *pk,
                     const enf_zone_t *z, time_t now, enf_key_material_t *out)
{
    const sim_world_t *w = ctx;
    if (w->keys_unavailable)
        return ODS_ENOTFOUND;
    (void)p;
    (void)z;
    (void)now;
    memset(out, 0, sizeof(*out));
    out->bits = pk->bits;
    snprintf(out->repository, sizeof(out->repository), "%s", pk->repository);
    snprintf(out->locator, sizeof(out->locator), "probe");
    return ODS_OK;
}

int sim_world_init(sim_world_t *w, const enf_policy_t *p, const char *zone, time_t t0,
                   uint64_t seed, int signer_model)
{
    memset(w, 0, sizeof(*w));
    w->pol = *p;
    w->signer_model = signer_model;
    w->zone = enf_zone_new(zone);
    if (!w->zone)
        return -1;
    w->now = t0;
    w->rng.s = seed;
    w->next_id = 1;
    w->next_tag = 1000;
    w->enf_next = -1;
    w->enf_asap = 1;
    w->probe_next = 1;
    w->op_delay = 3600;
    w->op_submit_pct = 50;
    w->op_locator_pct = 20;
    enf_events_init(&w->events);
    sim_parent_init(w);
    sim_signer_init(w);
    return w->failed ? -1 : 0;
}

void sim_world_free(sim_world_t *w)
{
    enf_zone_free(w->zone);
    enf_events_free(&w->events);
    sim_history_free(&w->dnskey);
    sim_history_free(&w->ds);
    for (size_t r = 0; r < SIM_RRSETS; r++)
        sim_history_free(&w->rrhist[r]);
    sim_queue_free(&w->parent);
    sim_queue_free(&w->ops);
    sim_signer_free(w);
    w->zone = NULL;
}

static int is_change(const enf_event_t *e)
{
    return e->type == ENF_EV_TRANSITION || e->type == ENF_EV_KEY_NEW ||
           e->type == ENF_EV_KEY_RETIRE || e->type == ENF_EV_KEY_PURGE;
}

/* Run a copy of the zone at time t: it must change nothing. */
static void probe_at(sim_world_t *w, time_t t, time_t next)
{
    enf_zone_t *copy = enf_zone_copy(w->zone);
    enf_key_source_t src = { probe_key, w };
    enf_events_t ev;
    enf_events_init(&ev);
    if (copy) {
        enf_update(&w->pol, copy, t, &src, &ev);
        for (size_t i = 0; i < ev.count && !w->failed; i++)
            if (is_change(&ev.ev[i]))
                sim_world_fail(w,
                               "enforcer run at %lld said next run at %lld, but a run at %lld "
                               "changes the zone: %s",
                               (long long)w->now, (long long)next, (long long)t, ev.ev[i].text);
    }
    enf_events_free(&ev);
    enf_zone_free(copy);
}

static void probe_next_run(sim_world_t *w, time_t next)
{
    if (next >= 0 && next <= w->now) {
        sim_world_fail(w, "enforcer run at %lld returned next run %lld, not in the future",
                       (long long)w->now, (long long)next);
        return;
    }
    if (next < 0) {
        probe_at(w, w->now + 400 * 86400, next);
        return;
    }
    if (next - 1 > w->now) {
        probe_at(w, next - 1, next);
        probe_at(w, sim_rng_range(&w->rng, w->now + 1, next - 1), next);
    }
}

static void track_keys(sim_world_t *w, const enf_events_t *ev)
{
    for (size_t i = 0; i < ev->count; i++) {
        sim_keyinfo_t *ki = (sim_keyinfo_t *)sim_world_keyinfo(w, ev->ev[i].key_id);
        if (!ki)
            continue;
        if (ev->ev[i].type == ENF_EV_KEY_RETIRE && !ki->retired)
            ki->retired = w->now;
        if (ev->ev[i].type == ENF_EV_KEY_PURGE && !ki->dead)
            ki->dead = w->now;
    }
    for (size_t i = 0; i < w->zone->nkeys; i++) {
        sim_keyinfo_t *ki = (sim_keyinfo_t *)sim_world_keyinfo(w, w->zone->keys[i].id);
        if (ki && !ki->dead && enf_key_is_dead(&w->zone->keys[i]))
            ki->dead = w->now;
    }
}

static void print_events(const sim_world_t *w, const enf_events_t *ev)
{
    for (size_t i = 0; i < ev->count; i++)
        if (ev->ev[i].type != ENF_EV_SIGNCONF)
            printf("# %lld: %s\n", (long long)w->now, ev->ev[i].text);
}

static void enforce(sim_world_t *w)
{
    enf_key_source_t src = { world_key, w };
    enf_events_clear(&w->events);
    time_t next = enf_update(&w->pol, w->zone, w->now, &src, &w->events);
    w->enf_runs++;
    w->enf_asap = 0;
    if (w->events.status != ODS_OK)
        sim_world_fail(w, "enf_update failed: %s", ods_strerror(w->events.status));
    if (w->verbose)
        print_events(w, &w->events);
    if (w->probe_next)
        probe_next_run(w, next);
    w->enf_next = next;
    if (w->zone->signconf_needs_writing) {
        w->signer_asap = 1;
        w->zone->signconf_needs_writing = 0;
    }
    track_keys(w, &w->events);
    sim_operator_observe(w, &w->events);
}

static void check(sim_world_t *w)
{
    sim_oracle_input_t in = { &w->ds, &w->dnskey, w->rrhist, w->nrr, key_algorithm, w };
    char why[1024];
    w->checks++;
    if (!sim_oracle_check(&in, w->now, why, sizeof(why)))
        sim_world_fail(w, "at %lld a resolver cannot validate: %s", (long long)w->now, why);
    sim_history_prune(&w->ds, w->now);
    sim_history_prune(&w->dnskey, w->now);
    for (size_t r = 0; r < w->nrr; r++)
        sim_history_prune(&w->rrhist[r], w->now);
}

static void step(sim_world_t *w)
{
    sim_parent_process(w);
    sim_operator_process(w);
    if (w->enf_asap || (w->enf_next >= 0 && w->enf_next <= w->now))
        enforce(w);
    if (w->signer_asap || w->resign_next <= w->now)
        sim_signer_run(w);
    check(w);
}

static time_t min_t(time_t a, time_t b)
{
    return a < b ? a : b;
}

static time_t next_event(const sim_world_t *w)
{
    if (w->enf_asap || w->signer_asap)
        return w->now;
    time_t t = w->resign_next;
    if (w->enf_next >= 0)
        t = min_t(t, w->enf_next);
    t = min_t(t, sim_queue_next(&w->parent));
    return w->op_hold ? t : min_t(t, sim_queue_next(&w->ops));
}

void sim_world_run_until(sim_world_t *w, time_t t_end)
{
    while (!w->failed) {
        time_t t = next_event(w);
        if (t > t_end) {
            if (t_end > w->now)
                w->now = t_end;
            return;
        }
        if (t > w->now)
            w->now = t;
        step(w);
    }
}

void sim_world_enforce_now(sim_world_t *w)
{
    w->enf_asap = 1;
    if (!w->failed)
        step(w);
}

void sim_world_set_policy(sim_world_t *w, const enf_policy_t *p)
{
    w->pol = *p;
    sim_parent_republish(w);
    w->signer_asap = 1;
    sim_world_enforce_now(w);
}

int sim_world_rollover(sim_world_t *w, int role)
{
    int rc = enf_rollover(w->zone, &w->pol, role, NULL);
    sim_world_enforce_now(w);
    return rc;
}

void sim_world_dump(const sim_world_t *w, FILE *out)
{
    char buf[512];
    fprintf(out, "# zone %s at %lld, parent DS %s\n", w->zone->name, (long long)w->now,
            sim_set_str(&w->parent_ds, buf, sizeof(buf)));
    for (size_t i = 0; i < w->zone->nkeys; i++) {
        const enf_key_t *k = &w->zone->keys[i];
        fprintf(out, "#  key %lld %s alg %d tag %u %s dsp=%s:", (long long)k->id,
                enf_role_name(k->role), k->algorithm, k->keytag,
                k->introducing ? "introducing" : "retiring", enf_dsp_name(k->ds_at_parent));
        for (int r = 0; r < ENF_REC_COUNT; r++)
            fprintf(out, " %s=%s@%lld#%lld/%lld", enf_rec_name((enf_rec_t)r),
                    enf_state_name(k->rec[r].state), (long long)k->rec[r].last_change,
                    (long long)k->rec[r].order, (long long)k->rec[r].order_in);
        fprintf(out, "\n");
    }
    if (w->signer_model != SIM_SIGNER_ODS && w->sgnd.refused)
        fprintf(out, "#  signerd refused %ld runs, last at %lld: %s\n", w->sgnd.refused,
                (long long)w->sgnd.refusing_since, w->sgnd.last_refusal);
}
