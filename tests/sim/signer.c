/*
 * signer.c -- the simulated signer: publishes what the signconf flags say.
 * This file holds what both models share and the OpenDNSSEC model, which
 * replaces data signatures gradually as OpenDNSSEC's signer does (world.h);
 * the signerd model is in signer_sgnd.c.
 */
#include "sim.h"

#include <string.h>

static const char *const model_names[] = { "ods", "signerd", "signerd-asis" };

const char *sim_signer_name(int model)
{
    return model >= 0 && model <= SIM_SIGNER_SIGNERD_ASIS ? model_names[model] : "?";
}

int sim_signer_parse(const char *name)
{
    for (int m = 0; m <= SIM_SIGNER_SIGNERD_ASIS; m++)
        if (strcmp(name, model_names[m]) == 0)
            return m;
    return -1;
}

static void flags_of(const sim_world_t *w, int64_t id, enf_flags_t *f)
{
    const enf_key_t *k = enf_zone_find_key(w->zone, id);
    if (k) {
        enf_key_flags(k, f);
    } else {
        f->publish = f->ksk = f->zsk = 0; /* purged: no longer in the signconf */
    }
}

static time_t negative_ttl(const enf_policy_t *p)
{
    return p->zone_soa_ttl < p->zone_soa_minimum ? p->zone_soa_ttl : p->zone_soa_minimum;
}

time_t sim_rrset_ttl(const enf_policy_t *p, int kind)
{
    switch (kind) {
    case SIM_RR_DENIAL:
        return negative_ttl(p);
    case SIM_RR_N3PARAM:
        return p->nsec3param_ttl;
    case SIM_RR_DNSKEY:
        return p->keys_ttl;
    default:
        return p->max_zone_ttl;
    }
}

static time_t validity(const enf_policy_t *p, int kind)
{
    return kind == SIM_RR_DENIAL ? p->sig_validity_denial : p->sig_validity_default;
}

static int has_sig_by(const sim_rrset_t *rr, int64_t key)
{
    for (int i = 0; i < rr->nsig; i++)
        if (rr->sig[i].key == key)
            return 1;
    return 0;
}

/* A signature of this algorithm by a published key that no longer signs. */
static int has_lingering(const sim_world_t *w, const sim_rrset_t *rr, int algorithm)
{
    for (int i = 0; i < rr->nsig; i++) {
        enf_flags_t f;
        flags_of(w, rr->sig[i].key, &f);
        if (rr->sig[i].algorithm == algorithm && f.publish && !f.zsk)
            return 1;
    }
    return 0;
}

/* Drop signatures due for refresh or of keys neither active nor published;
 * *renew gets the active keys whose own signature was due. */
static void drop_sigs(sim_world_t *w, sim_rrset_t *rr, sim_set_t *renew)
{
    int keep = 0;
    time_t refresh = w->pol.sig_refresh;
    sim_set_clear(renew);
    for (int i = 0; i < rr->nsig; i++) {
        enf_flags_t f;
        flags_of(w, rr->sig[i].key, &f);
        int due = refresh <= 0 || rr->sig[i].expire < w->now + refresh;
        if (due && f.zsk)
            sim_set_add(renew, rr->sig[i].key);
        if (due || (!f.zsk && !f.publish))
            continue;
        rr->sig[keep++] = rr->sig[i];
    }
    rr->nsig = keep;
}

/* Active keys sign; a key new to the RRset waits while a signature of its
 * algorithm by a published inactive key lingers (gradual replacement), but a
 * key always renews its own signature. */
static void add_sigs(sim_world_t *w, sim_rrset_t *rr, const sim_set_t *renew)
{
    const enf_policy_t *p = &w->pol;
    for (size_t i = 0; i < w->zone->nkeys; i++) {
        const enf_key_t *k = &w->zone->keys[i];
        enf_flags_t f;
        enf_key_flags(k, &f);
        if (!f.zsk || has_sig_by(rr, k->id))
            continue;
        if (!sim_set_has(renew, k->id) && has_lingering(w, rr, k->algorithm))
            continue;
        if (rr->nsig == SIM_SET_MAX) {
            sim_world_fail(w, "simulated RRset has too many signatures");
            return;
        }
        sim_sig_t *s = &rr->sig[rr->nsig++];
        s->key = k->id;
        s->algorithm = k->algorithm;
        s->expire = w->now + validity(p, rr->kind) - p->sig_jitter +
                    sim_rng_range(&w->rng, 0, 2 * p->sig_jitter);
    }
}

void sim_signer_publish_rrset(sim_world_t *w, size_t r, const sim_rrset_t *rr)
{
    sim_set_t keys;
    sim_set_clear(&keys);
    for (int i = 0; i < rr->nsig; i++)
        sim_set_add(&keys, rr->sig[i].key);
    if (sim_history_publish(&w->rrhist[r], w->now, sim_rrset_ttl(&w->pol, rr->kind),
                            w->pol.zone_propagation_delay, &keys, NULL) < 0)
        sim_world_fail(w, "out of memory");
}

void sim_signer_publish_dnskey(sim_world_t *w, const sim_set_t *pub, const sim_set_t *ksk,
                               time_t ttl)
{
    if (sim_history_publish(&w->dnskey, w->now, ttl, w->pol.zone_propagation_delay, pub, ksk) < 0)
        sim_world_fail(w, "out of memory");
}

static void publish_dnskey(sim_world_t *w)
{
    sim_set_t pub, ksk;
    sim_set_clear(&pub);
    sim_set_clear(&ksk);
    for (size_t i = 0; i < w->zone->nkeys; i++) {
        enf_flags_t f;
        enf_key_flags(&w->zone->keys[i], &f);
        if ((f.publish && sim_set_add(&pub, w->zone->keys[i].id) < 0) ||
            (f.ksk && sim_set_add(&ksk, w->zone->keys[i].id) < 0))
            sim_world_fail(w, "too many keys in the DNSKEY RRset");
    }
    sim_signer_publish_dnskey(w, &pub, &ksk, pub.n ? w->pol.keys_ttl : negative_ttl(&w->pol));
}

void sim_signer_init(sim_world_t *w)
{
    static const int kinds[] = { SIM_RR_DATA,   SIM_RR_DATA,   SIM_RR_DATA,   SIM_RR_DATA,
                                 SIM_RR_DATA,   SIM_RR_DATA,   SIM_RR_DENIAL, SIM_RR_DENIAL,
                                 SIM_RR_DENIAL, SIM_RR_N3PARAM };
    w->nrr = w->pol.nsec3 ? SIM_RRSETS : SIM_RRSETS - 1;
    for (size_t r = 0; r < w->nrr; r++) {
        memset(&w->rr[r], 0, sizeof(w->rr[r]));
        w->rr[r].kind = kinds[r];
    }
    if (w->signer_model == SIM_SIGNER_ODS)
        sim_signer_run(w);
    else
        sim_sgnd_init(w);
}

static void ods_run(sim_world_t *w)
{
    publish_dnskey(w);
    for (size_t r = 0; r < w->nrr; r++) {
        sim_set_t renew;
        drop_sigs(w, &w->rr[r], &renew);
        add_sigs(w, &w->rr[r], &renew);
        sim_signer_publish_rrset(w, r, &w->rr[r]);
    }
    w->resign_next = w->now + (w->pol.sig_resign > 0 ? w->pol.sig_resign : 7200);
}

void sim_signer_free(sim_world_t *w)
{
    if (w->signer_model != SIM_SIGNER_ODS)
        sim_sgnd_free(w);
}

void sim_signer_run(sim_world_t *w)
{
    if (w->signer_model == SIM_SIGNER_ODS)
        ods_run(w);
    else
        sim_sgnd_run(w);
    w->signer_asap = 0;
}
