/* scenario.c -- helpers for the deterministic scenario tests (see scenario.h). */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>

int scn_signer_model(void)
{
    const char *v = getenv("ODS_SIM_SIGNER");
    int m = v && *v ? sim_signer_parse(v) : SIM_SIGNER_ODS;
    if (m < 0) {
        printf("Bail out! ODS_SIM_SIGNER=%s: use ods, signerd or signerd-asis\n", v);
        exit(1);
    }
    return m;
}

int scn_world(sim_world_t *w, const enf_policy_t *p)
{
    return scn_world_with(w, p, scn_signer_model());
}

int scn_world_with(sim_world_t *w, const enf_policy_t *p, int signer_model)
{
    if (sim_world_init(w, p, "example.com", T0, 42, signer_model) != 0)
        return -1;
    w->op_delay = 0;
    w->op_locator_pct = 0;
    return 0;
}

const enf_key_t *scn_key(const enf_zone_t *z, int role, int introducing)
{
    const enf_key_t *best = NULL;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        if (k->role == role && k->introducing == introducing && (!best || k->id > best->id))
            best = k;
    }
    return best;
}

const char *scn_states(const enf_key_t *k, char *buf, size_t len)
{
    enf_flags_t f;
    if (!k) {
        snprintf(buf, len, "(no key)");
        return buf;
    }
    enf_key_flags(k, &f);
    snprintf(buf, len, "%s;%s;%s;%s;%d;%d", enf_state_name(k->rec[ENF_REC_DS].state),
             enf_state_name(k->rec[ENF_REC_DNSKEY].state),
             enf_state_name(k->rec[ENF_REC_KRRSIG].state),
             enf_state_name(k->rec[ENF_REC_RRSIG].state), f.publish, f.ksk | f.zsk);
    return buf;
}

int scn_valid(sim_world_t *w)
{
    if (!w->failed)
        return 1;
    printf("#   %s\n", w->why);
    sim_world_dump(w, stdout);
    return 0;
}

int scn_settled(const enf_zone_t *z)
{
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        if (!k->introducing) {
            if (!enf_key_is_dead(k))
                return 0;
            continue;
        }
        for (int r = 0; r < ENF_REC_COUNT; r++)
            if (k->rec[r].state != ENF_OMNIPRESENT && k->rec[r].state != ENF_NA)
                return 0;
        if ((k->role & ENF_ROLE_KSK) && k->ds_at_parent != ENF_DSP_SEEN)
            return 0;
    }
    return 1;
}

int scn_has_event(const enf_events_t *ev, enf_event_type_t type, int64_t id)
{
    for (size_t i = 0; i < ev->count; i++)
        if (ev->ev[i].type == type && (id == 0 || ev->ev[i].key_id == id))
            return 1;
    return 0;
}

int scn_settle(sim_world_t *w, time_t limit)
{
    time_t end = w->now + limit;
    while (!w->failed && w->now < end) {
        if (scn_settled(w->zone) && w->zone->nkeys > 0)
            return 1;
        sim_world_run_until(w, w->now + 3600);
    }
    return !w->failed && scn_settled(w->zone);
}

int scn_established(sim_world_t *w, const enf_policy_t *p)
{
    if (scn_world(w, p) != 0)
        return -1;
    if (!scn_settle(w, 30 * SIM_DAY)) {
        scn_valid(w);
        return -1;
    }
    return 0;
}

void scn_force(sim_world_t *w, int64_t id, enf_rec_t rec, enf_state_t state)
{
    enf_key_t *k = enf_zone_find_key(w->zone, id);
    if (!k)
        return;
    enf_record_move(w->zone, k, rec, state, ++w->zone->order);
    k->rec[rec].last_change = w->now;
    w->signer_asap = 1;
    sim_world_enforce_now(w);
}

/* The keys whose signconf flag (zsk, or ksk for DNSKEY) is set. */
static void flagged(const enf_zone_t *z, int ksk, sim_set_t *out)
{
    sim_set_clear(out);
    for (size_t i = 0; i < z->nkeys; i++) {
        enf_flags_t f;
        enf_key_flags(&z->keys[i], &f);
        if (ksk ? f.ksk : f.zsk)
            sim_set_add(out, z->keys[i].id);
    }
}

/* One signature per flagged key, and no other, on rr. */
static int one_per_key(const sim_rrset_t *rr, const sim_set_t *want)
{
    sim_set_t got;
    sim_set_clear(&got);
    for (int i = 0; i < rr->nsig; i++)
        if (sim_set_add(&got, rr->sig[i].key) < 0)
            return 0;
    return got.n == rr->nsig && sim_set_equal(&got, want); /* no key signs twice */
}

int scn_signerd_rule(const sim_world_t *w, char *why, size_t len)
{
    sim_set_t zsk, ksk;
    char a[256], b[256];
    flagged(w->zone, 0, &zsk);
    flagged(w->zone, 1, &ksk);
    for (size_t r = 0; r < w->nrr; r++)
        if (!one_per_key(&w->rr[r], &zsk)) {
            snprintf(why, len, "at %lld RRset %zu (type %d) has %d signatures, active keys %s",
                     (long long)w->now, r, w->rr[r].type, w->rr[r].nsig,
                     sim_set_str(&zsk, a, sizeof(a)));
            return 0;
        }
    const sim_version_t *dk = sim_history_current(&w->dnskey);
    if (!one_per_key(&w->sgnd.dnskey, &ksk) || !dk || !sim_set_equal(&dk->signers, &ksk)) {
        snprintf(why, len, "at %lld DNSKEY RRset signed by %s, KSKs %s", (long long)w->now,
                 dk ? sim_set_str(&dk->signers, a, sizeof(a)) : "-",
                 sim_set_str(&ksk, b, sizeof(b)));
        return 0;
    }
    return 1;
}
