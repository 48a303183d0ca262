/*
 * chaos.c -- random policies and random operator actions for the
 * property-based simulation (see chaos.h).
 */
#include "chaos.h"

#include <stdio.h>
#include <string.h>

static const time_t ttls[] = { 300, SIM_HOUR, SIM_DAY };

static void random_rolltype(sim_rng_t *r, enf_policy_key_t *pk)
{
    static const char *const ksk[] = { "KskDoubleRRset", "KskDoubleDS", "KskDoubleSignature" };
    static const char *const zsk[] = { "ZskDoubleSignature", "ZskPrePublication",
                                       "ZskDoubleRRsig" };
    static const char *const csk[] = { "CskDoubleRRset", "CskSingleSignature", "CskDoubleDS",
                                       "CskDoubleSignature", "CskPrePublication" };
    if (pk->role == ENF_ROLE_KSK)
        pk->minimize = enf_rolltype_minimize(ksk[sim_rng_below(r, 3)]);
    else if (pk->role == ENF_ROLE_ZSK)
        pk->minimize = enf_rolltype_minimize(zsk[sim_rng_below(r, 3)]);
    else
        pk->minimize = enf_rolltype_minimize(csk[sim_rng_below(r, 5)]);
}

static int bits_for(int alg, int role)
{
    if (alg == 13)
        return 256;
    if (alg == 14)
        return 384;
    return role & ENF_ROLE_KSK ? 2048 : 1024;
}

static void add_pkey(sim_rng_t *r, enf_policy_t *p, int role, int alg)
{
    static const time_t ksk_life[] = { 60 * SIM_DAY, 180 * SIM_DAY, 365 * SIM_DAY };
    static const time_t zsk_life[] = { 20 * SIM_DAY, 30 * SIM_DAY, 90 * SIM_DAY };
    enf_policy_key_t pk;
    memset(&pk, 0, sizeof(pk));
    pk.role = role;
    pk.algorithm = alg;
    pk.bits = bits_for(alg, role);
    pk.lifetime = sim_rng_pick(r, role == ENF_ROLE_ZSK ? zsk_life : ksk_life, 3);
    pk.manual_rollover = sim_rng_pct(r, 15);
    strcpy(pk.repository, "SoftHSM");
    random_rolltype(r, &pk);
    enf_policy_add_key(p, &pk);
}

/* layout: 0 KSK+ZSK, 1 CSK, 2 KSK+ZSK in algorithms 8 and 13. */
static void set_layout(sim_rng_t *r, enf_policy_t *p, int layout, int alg)
{
    p->nkeys = 0;
    if (layout == 1) {
        add_pkey(r, p, ENF_ROLE_CSK, alg);
        return;
    }
    add_pkey(r, p, ENF_ROLE_KSK, alg);
    add_pkey(r, p, ENF_ROLE_ZSK, alg);
    if (layout == 2) {
        int other = alg == 8 ? 13 : 8;
        add_pkey(r, p, ENF_ROLE_KSK, other);
        add_pkey(r, p, ENF_ROLE_ZSK, other);
    }
}

static int layout_of(const enf_policy_t *p)
{
    if (p->nkeys == 1)
        return 1;
    return p->nkeys > 2 ? 2 : 0;
}

void chaos_policy(sim_rng_t *r, enf_policy_t *p)
{
    static const time_t delays[] = { 0, 300, SIM_HOUR, 12 * SIM_HOUR };
    static const time_t pdelays[] = { 0, SIM_HOUR, 9999, SIM_DAY };
    static const time_t regs[] = { 0, SIM_HOUR, SIM_DAY, 3 * SIM_DAY };
    static const time_t safety[] = { 0, SIM_HOUR, SIM_DAY };
    static const time_t resign[] = { SIM_HOUR, 2 * SIM_HOUR, 6 * SIM_HOUR };
    static const time_t refresh[] = { SIM_DAY, 3 * SIM_DAY };
    static const time_t validity[] = { 7 * SIM_DAY, 14 * SIM_DAY, 21 * SIM_DAY };
    static const time_t jitter[] = { 0, SIM_HOUR, 12 * SIM_HOUR, SIM_DAY };
    static const time_t purge[] = { -1, -1, 0, SIM_DAY, 14 * SIM_DAY };
    enf_policy_init(p, "random");
    p->sig_resign = sim_rng_pick(r, resign, 3);
    p->sig_refresh = sim_rng_pick(r, refresh, 2);
    p->sig_validity_default = sim_rng_pick(r, validity, 3);
    p->sig_validity_denial = sim_rng_pick(r, validity, 3);
    p->sig_jitter = sim_rng_pick(r, jitter, 4);
    p->max_zone_ttl = sim_rng_pick(r, ttls, 3);
    p->nsec3 = sim_rng_pct(r, 50);
    p->nsec3param_ttl = sim_rng_pct(r, 50) ? 0 : SIM_HOUR;
    p->keys_ttl = sim_rng_pick(r, ttls, 3);
    p->retire_safety = sim_rng_pick(r, safety, 3);
    p->publish_safety = sim_rng_pick(r, safety, 3);
    p->purge = sim_rng_pick(r, purge, 5);
    p->zone_propagation_delay = sim_rng_pick(r, delays, 4);
    p->zone_soa_ttl = sim_rng_pick(r, ttls, 3);
    p->zone_soa_minimum = sim_rng_pick(r, ttls, 3);
    p->parent_propagation_delay = sim_rng_pick(r, pdelays, 4);
    p->parent_ds_ttl = sim_rng_pick(r, ttls, 3);
    p->parent_registration_delay = sim_rng_pick(r, regs, 4);
    int layout = (int)sim_rng_below(r, 10);
    set_layout(r, p, layout < 6 ? 0 : layout < 9 ? 1 : 2, sim_rng_pct(r, 50) ? 8 : 13);
}

static int random_role(sim_rng_t *r, const enf_policy_t *p)
{
    if (sim_rng_pct(r, 15))
        return 0;
    return p->keys[sim_rng_below(r, (int64_t)p->nkeys)].role;
}

static void change_ttl(sim_rng_t *r, enf_policy_t *p, char *what, size_t len)
{
    time_t v = sim_rng_pick(r, ttls, 3);
    switch (sim_rng_below(r, 4)) {
    case 0:
        p->keys_ttl = v;
        snprintf(what, len, "Keys/TTL -> %lld", (long long)v);
        break;
    case 1:
        p->parent_ds_ttl = v;
        snprintf(what, len, "Parent/DS/TTL -> %lld", (long long)v);
        break;
    case 2:
        p->max_zone_ttl = v;
        snprintf(what, len, "MaxZoneTTL -> %lld", (long long)v);
        break;
    default:
        p->zone_soa_minimum = v;
        snprintf(what, len, "SOA/Minimum -> %lld", (long long)v);
        break;
    }
}

static void change_layout(sim_rng_t *r, enf_policy_t *p, char *what, size_t len)
{
    int layout = layout_of(p), alg = p->keys[0].algorithm;
    int to = (layout + 1 + (int)sim_rng_below(r, 2)) % 3;
    set_layout(r, p, to, alg);
    snprintf(what, len, "layout %d -> %d (algorithm %d)", layout, to, alg);
}

static void change_keys(sim_rng_t *r, enf_policy_t *p, int kind, char *what, size_t len)
{
    enf_policy_key_t *pk = &p->keys[sim_rng_below(r, (int64_t)p->nkeys)];
    switch (kind) {
    case 0:
        if (layout_of(p) == 2) { /* two algorithms: swap them */
            for (size_t i = 0; i < p->nkeys; i++)
                p->keys[i].algorithm = p->keys[i].algorithm == 8 ? 13 : 8;
        } else {
            sim_policy_set_algorithm(p, p->keys[0].algorithm == 8 ? 13 : 8);
        }
        for (size_t i = 0; i < p->nkeys; i++)
            p->keys[i].bits = bits_for(p->keys[i].algorithm, p->keys[i].role);
        snprintf(what, len, "algorithm change");
        break;
    case 1:
        pk->bits = pk->algorithm == 8 ? (pk->bits == 2048 ? 3072 : 2048) : pk->bits;
        strcpy(pk->repository, strcmp(pk->repository, "SoftHSM") ? "SoftHSM" : "Other");
        snprintf(what, len, "%s bits %d repository %s", enf_role_name(pk->role), pk->bits,
                 pk->repository);
        break;
    case 2:
        random_rolltype(r, pk);
        snprintf(what, len, "%s minimize -> %d", enf_role_name(pk->role), pk->minimize);
        break;
    default:
        pk->manual_rollover = !pk->manual_rollover;
        snprintf(what, len, "%s ManualRollover -> %d", enf_role_name(pk->role),
                 pk->manual_rollover);
        break;
    }
}

void chaos_action(sim_world_t *w, sim_rng_t *r, int verbose)
{
    enf_policy_t p = w->pol;
    char what[160] = "";
    int dice = (int)sim_rng_below(r, 100);
    if (dice < 5) { /* an extra run (restart, `enforce`): must change nothing early */
        sim_world_enforce_now(w);
        snprintf(what, sizeof(what), "enforce");
    } else if (dice < 8) { /* the key pool runs dry for a few hours */
        time_t until = w->now + sim_rng_range(r, 60, 6 * SIM_HOUR);
        w->keys_unavailable = 1;
        sim_world_rollover(w, random_role(r, &p));
        sim_world_run_until(w, until);
        w->keys_unavailable = 0;
        snprintf(what, sizeof(what), "rollover with no keys available until %lld",
                 (long long)until);
    } else if (dice < 45) {
        int role = random_role(r, &p);
        sim_world_rollover(w, role);
        snprintf(what, sizeof(what), "key rollover %s", role ? enf_role_name(role) : "all");
    } else {
        if (dice < 50)
            change_keys(r, &p, 0, what, sizeof(what));
        else if (dice < 58)
            change_keys(r, &p, 1, what, sizeof(what));
        else if (dice < 73)
            change_ttl(r, &p, what, sizeof(what));
        else if (dice < 83)
            change_layout(r, &p, what, sizeof(what));
        else if (dice < 93)
            change_keys(r, &p, 2, what, sizeof(what));
        else
            change_keys(r, &p, 3, what, sizeof(what));
        sim_world_set_policy(w, &p);
    }
    if (verbose)
        printf("# %lld: ACTION %s\n", (long long)w->now, what);
}
