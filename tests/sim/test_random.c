/*
 * test_random.c -- property-based simulation over years of random policies and
 * random operator actions, checked by the oracle at every step.
 *
 * Each run draws a policy (key layout: KSK+ZSK, CSK or two algorithms; roll
 * types, lifetimes, TTLs, delays, safety margins, signature timings, purge),
 * an operator (reaction delay, whether ds-submit/ds-retract are used) and
 * then, for SIM_YEARS simulated years, random actions at random moments,
 * often in bursts so that they land while other rollovers are in progress:
 * key rollovers of any role, algorithm changes, key size and repository
 * changes (the old keys retire), layout changes (KSK+ZSK <-> CSK, adding or
 * dropping a second algorithm), TTL changes, roll type and ManualRollover
 * changes, extra enforcer runs, and hours without key material. The world
 * (world.h) checks at every step that every resolver
 * validates (oracle.h) and that the engine's next-run time is right.
 * Liveness: a retired key must be dead within SIM_DEATH_MAX; and after the
 * random phase, with rollovers stopped, the zone must settle: every key in
 * use fully omnipresent, every other key dead (and purged, if the policy
 * purges), exactly one key per policy key, and nothing left for the operator
 * to do.
 *
 * The signer model (world.h) is the program's argument or ODS_SIM_SIGNER:
 * "ods" (OpenDNSSEC's gradual replacement of signatures, the default),
 * "signerd" (our signer: one signature per active key at once, a check
 * before publishing, the input re-read now and then; with the fixes
 * proposed for its known defects, test_signerd.c) or "signerd-asis" (the
 * same without those fixes: as signerd/ is today);
 * meson runs "ods" and "signerd".
 *
 * Every run prints its seed. ODS_SIM_SEED=<seed> replays that run with a
 * trace of every enforcer event; ODS_SIM_RUNS=<n> changes the number of runs;
 * ODS_SIM_SGND_MAX_KEYS=<n> sets how many signconf keys the signerd models
 * look at (signerd-asis: 64, signerd: 0 = all).
 */
#include "chaos.h"
#include "scenario.h"
#include "tap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SIM_YEARS     3
#define SIM_RUNS      120
#define SIM_DEATH_MAX (120 * SIM_DAY)
#define SIM_SETTLE    (200 * SIM_DAY)

#define SIM_REREAD_PCT 5 /* signerd model: chance per signer run of an input re-read */

typedef struct stats {
    long runs_ok, enf_runs, checks, keys, actions, ds_commands;
    long sg_runs, sg_published, sg_refused, sg_rereads, sg_sigs, sg_refusing_runs;
    time_t max_death, sg_longest_refusal;
} stats_t;

/* Liveness: a retired key is dead (or purged) within SIM_DEATH_MAX. */
static void check_deaths(sim_world_t *w, stats_t *st)
{
    for (size_t i = 0; i < w->nkeys && !w->failed; i++) {
        const sim_keyinfo_t *ki = &w->keys[i];
        if (!ki->retired)
            continue;
        time_t age = (ki->dead ? ki->dead : w->now) - ki->retired;
        if (age > st->max_death)
            st->max_death = age;
        if (!ki->dead && age > SIM_DEATH_MAX)
            sim_world_fail(w, "key %lld retired at %lld is still not dead at %lld",
                           (long long)ki->id, (long long)ki->retired, (long long)w->now);
    }
}

static int keys_for(const enf_zone_t *z, const enf_policy_key_t *pk)
{
    int n = 0;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        n += k->introducing && k->role == pk->role && k->algorithm == pk->algorithm &&
             k->bits == pk->bits && strcmp(k->repository, pk->repository) == 0;
    }
    return n;
}

/* After the random phase: one fully omnipresent key per policy key, the rest dead. */
static void check_settled(sim_world_t *w)
{
    size_t introducing = 0;
    if (!scn_settled(w->zone))
        sim_world_fail(w, "zone did not settle: keys in use not omnipresent or old keys alive");
    for (size_t i = 0; i < w->zone->nkeys; i++) {
        introducing += w->zone->keys[i].introducing;
        if (enf_key_wait(&w->zone->keys[i]) != ENF_WAIT_NONE)
            sim_world_fail(w, "key %lld still waits for the operator",
                           (long long)w->zone->keys[i].id);
    }
    for (size_t i = 0; i < w->pol.nkeys; i++)
        if (keys_for(w->zone, &w->pol.keys[i]) != 1)
            sim_world_fail(w, "policy key %zu has %d keys in use", i,
                           keys_for(w->zone, &w->pol.keys[i]));
    if (introducing != w->pol.nkeys)
        sim_world_fail(w, "%zu keys in use for %zu policy keys", introducing, w->pol.nkeys);
    for (size_t i = 0; i < w->zone->nkeys && w->pol.purge >= 0; i++)
        if (enf_key_is_dead(&w->zone->keys[i]))
            sim_world_fail(w, "dead key %lld never purged", (long long)w->zone->keys[i].id);
    if (w->enf_next >= 0 && w->pol.purge < 0)
        sim_world_fail(w, "a settled zone without purge still schedules a run at %lld",
                       (long long)w->enf_next);
}

static void settle(sim_world_t *w, stats_t *st)
{
    enf_policy_t p = w->pol;
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].manual_rollover = 1;
    sim_world_set_policy(w, &p);
    time_t end = w->now + SIM_SETTLE;
    while (!w->failed && w->now < end) {
        sim_world_run_until(w, w->now + 10 * SIM_DAY);
        check_deaths(w, st);
    }
    if (!w->failed)
        check_settled(w);
}

static void describe(const sim_world_t *w)
{
    const enf_policy_t *p = &w->pol;
    printf("#   policy: ttl keys %lld ds %lld zone %lld soa %lld/%lld; delays zone %lld parent "
           "%lld reg %lld; safety %lld/%lld; sigs resign %lld refresh %lld validity %lld/%lld "
           "jitter %lld; purge %lld; operator delay %lld submit %d%%\n",
           (long long)p->keys_ttl, (long long)p->parent_ds_ttl, (long long)p->max_zone_ttl,
           (long long)p->zone_soa_ttl, (long long)p->zone_soa_minimum,
           (long long)p->zone_propagation_delay, (long long)p->parent_propagation_delay,
           (long long)p->parent_registration_delay, (long long)p->publish_safety,
           (long long)p->retire_safety, (long long)p->sig_resign, (long long)p->sig_refresh,
           (long long)p->sig_validity_default, (long long)p->sig_validity_denial,
           (long long)p->sig_jitter, (long long)p->purge, (long long)w->op_delay, w->op_submit_pct);
    for (size_t i = 0; i < p->nkeys; i++)
        printf("#   %s alg %d bits %d lifetime %lld minimize %d manual %d repo %s\n",
               enf_role_name(p->keys[i].role), p->keys[i].algorithm, p->keys[i].bits,
               (long long)p->keys[i].lifetime, p->keys[i].minimize, p->keys[i].manual_rollover,
               p->keys[i].repository);
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void add_signer_stats(const sim_world_t *w, stats_t *st)
{
    const sim_sgnd_t *s = &w->sgnd;
    time_t longest = s->longest_refusal;
    if (s->refusing_since && w->now - s->refusing_since > longest)
        longest = w->now - s->refusing_since;
    st->sg_runs += s->runs;
    st->sg_published += s->published;
    st->sg_refused += s->refused;
    st->sg_rereads += s->rereads;
    st->sg_sigs += s->sigs_new;
    st->sg_refusing_runs += s->refused > 0;
    if (longest > st->sg_longest_refusal)
        st->sg_longest_refusal = longest;
    if (s->refused && w->verbose)
        printf("#   signerd refused %ld runs, longest for %lld s; last: %s\n", s->refused,
               (long long)longest, s->last_refusal);
}

static int run_one(uint64_t seed, int model, int verbose, stats_t *st)
{
    static const time_t op_delays[] = { 0, SIM_HOUR, SIM_DAY };
    sim_rng_t r = { seed ^ 0x5deece66dULL };
    enf_policy_t p;
    sim_world_t w;
    chaos_policy(&r, &p);
    if (sim_world_init(&w, &p, "example.com", T0, seed, model) != 0)
        return 0;
    w.sgnd.reread_pct = SIM_REREAD_PCT;
    if (getenv("ODS_SIM_SGND_MAX_KEYS")) /* is a failure the 64-key limit's? (0: no limit) */
        w.sgnd.max_keys = (size_t)env_u64("ODS_SIM_SGND_MAX_KEYS", 0);
    w.op_delay = sim_rng_pick(&r, op_delays, 3);
    w.op_submit_pct = (int)sim_rng_below(&r, 3) * 50;
    w.verbose = verbose;
    if (verbose)
        describe(&w);
    time_t end = T0 + SIM_YEARS * 365 * SIM_DAY, t = T0;
    while (!w.failed && t < end) {
        t += sim_rng_pct(&r, 30) ? sim_rng_range(&r, 0, 2 * SIM_DAY)
                                 : sim_rng_range(&r, SIM_DAY, 60 * SIM_DAY);
        sim_world_run_until(&w, t);
        if (!w.failed)
            chaos_action(&w, &r, verbose);
        check_deaths(&w, st);
        st->actions++;
    }
    if (!w.failed)
        settle(&w, st);
    st->enf_runs += w.enf_runs;
    st->checks += w.checks;
    st->keys += (long)w.nkeys;
    st->ds_commands += w.ds_commands;
    add_signer_stats(&w, st);
    int good = scn_valid(&w);
    if (!good)
        describe(&w);
    sim_world_free(&w);
    return good;
}

static int signer_model(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : getenv("ODS_SIM_SIGNER");
    return name && *name ? sim_signer_parse(name) : SIM_SIGNER_ODS;
}

static void print_stats(const stats_t *st, long runs, int model)
{
    printf("# %ld/%ld runs ok; %ld actions, %ld enforcer runs, %ld oracle checks, %ld keys, "
           "%ld ds commands; longest retirement %lld days\n",
           st->runs_ok, runs, st->actions, st->enf_runs, st->checks, st->keys, st->ds_commands,
           (long long)(st->max_death / SIM_DAY));
    if (model != SIM_SIGNER_ODS)
        printf("# signerd: %ld signer runs, %ld publications, %ld input re-reads, %ld signatures "
               "made; %ld refused runs in %ld worlds, longest refusal %lld s\n",
               st->sg_runs, st->sg_published, st->sg_rereads, st->sg_sigs, st->sg_refused,
               st->sg_refusing_runs, (long long)st->sg_longest_refusal);
}

int main(int argc, char **argv)
{
    stats_t st;
    memset(&st, 0, sizeof(st));
    int model = signer_model(argc, argv);
    if (model < 0) {
        printf("Bail out! unknown signer model: use ods, signerd or signerd-asis\n");
        return 1;
    }
    uint64_t replay = env_u64("ODS_SIM_SEED", 0);
    if (replay) {
        printf("# replaying seed %" PRIu64 " with the %s signer\n", replay, sim_signer_name(model));
        ok(run_one(replay, model, 1, &st),
           "seed %" PRIu64 ": every resolver validates, zone settles", replay);
        print_stats(&st, 1, model);
        return tap_done();
    }
    uint64_t master = env_u64("ODS_SIM_MASTER", (uint64_t)time(NULL));
    long runs = (long)env_u64("ODS_SIM_RUNS", SIM_RUNS);
    sim_rng_t r = { master };
    printf("# master seed %" PRIu64 ", %ld runs of %d simulated years, %s signer\n", master, runs,
           SIM_YEARS, sim_signer_name(model));
    for (long i = 0; i < runs; i++) {
        uint64_t seed = sim_rng_next(&r) | 1;
        if (ok(run_one(seed, model, 0, &st),
               "seed %" PRIu64 ": every resolver validates, zone settles", seed))
            st.runs_ok++;
        else
            printf("#   replay with ODS_SIM_SEED=%" PRIu64 " ODS_SIM_SIGNER=%s\n", seed,
                   sim_signer_name(model));
    }
    print_stats(&st, runs, model);
    return tap_done();
}
