/*
 * test_sgnd_real.c -- the simulated world with signerd's own signing code
 * making the signer's decisions (sgnd_real.h): sgn_keyset_load,
 * sgn_rrset_needs_work and sgn_rrset_sign on a SoftHSMv2 token in a temp
 * directory, every simulated key a real key pair in it. At every RRset of
 * every signer run the re-implementation (sgnd_plan.c, the model the other
 * sim tests use) makes the same decision on a copy and must agree: same
 * "needs work", same signatures kept, same keys signing anew, new validity
 * windows as the rule says. The world models signerd as it is
 * (SIM_SIGNER_SIGNERD: every key of the signer configuration, however many);
 * ODS_SIM_SIGNER=signerd-asis checks the old model, which capped the keys at
 * 64, against a signerd built with that cap.
 *  - every roll type: the rule holds after every step, every resolver
 *    validates, real and model agree;
 *  - the 64-key scenario of test_signerd.c: the 65th key signs, the KSK roll
 *    completes and every resolver validates (signerd capped its keys at 64
 *    until this test found that the zone went bogus at the DS swap);
 *  - random policies and actions (chaos.h) for half a simulated year each,
 *    from fixed seeds (ODS_SIM_MASTER, ODS_SIM_RUNS, ODS_SIM_DAYS change them).
 * Every signature is a real one made in the token, so this is the slow sim
 * test; the random ones (test_random.c) cover years with the model alone.
 */
#include "chaos.h"
#include "scenario.h"
#include "sgnd_real.h"
#include "softhsm.h"
#include "tap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define TEN_YEARS   (3650 * SIM_DAY)
#define REAL_RUNS   3
#define REAL_DAYS   180
#define REAL_MASTER 20240917ULL

static sim_sgnd_real_t *real;
static int model = SIM_SIGNER_SIGNERD;

/* A world whose signer decisions and keys are signerd's and the token's. */
static int world(sim_world_t *w, const enf_policy_t *p)
{
    if (scn_world_with(w, p, model) != 0)
        return -1;
    sim_sgnd_real_reset(real);
    w->sgnd.ops = sim_sgnd_real_ops(real);
    w->keygen = sim_sgnd_real_keygen;
    w->keygen_ctx = real;
    return 0;
}

/* 1 unless the world failed because real and model disagreed (said in why). */
static int agreed(const sim_world_t *w)
{
    if (!w->failed || !strstr(w->why, sim_sgnd_real_ops(real)->name))
        return 1;
    printf("#   %s\n", w->why);
    return 0;
}

static void roll(int layout, int role, const char *rolltype)
{
    enf_policy_t p;
    sim_world_t w;
    char why[600] = "";
    sim_policy_default(&p, layout);
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = TEN_YEARS;
    sim_policy_key(&p, role)->minimize = enf_rolltype_minimize(rolltype);
    if (!ok(world(&w, &p) == 0 && scn_settle(&w, 30 * SIM_DAY), "%s: established", rolltype)) {
        scn_valid(&w);
        sim_world_free(&w);
        return;
    }
    int held = 1, steps = 0;
    sim_world_rollover(&w, role);
    while (held && !w.failed && steps++ < 20000 && !scn_settled(w.zone)) {
        held = scn_signerd_rule(&w, why, sizeof(why));
        sim_world_run_until(&w, w.now + 1800);
    }
    if (!ok(held, "%s: one signature per active key on every RRset at every step", rolltype))
        printf("#   %s\n", why);
    ok(agreed(&w), "%s: signerd's code and the model made the same decisions", rolltype);
    ok(scn_settled(w.zone) && scn_valid(&w), "%s: the roll completes, every resolver validated",
       rolltype);
    sim_world_free(&w);
}

static void sixty_four_keys(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    p.purge = -1;
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = TEN_YEARS;
    if (!ok(world(&w, &p) == 0 && scn_settle(&w, 30 * SIM_DAY), "64 keys: established")) {
        sim_world_free(&w);
        return;
    }
    while (!w.failed && w.zone->nkeys < 64) {
        sim_world_rollover(&w, ENF_ROLE_ZSK);
        sim_world_run_until(&w, w.now + SIM_HOUR);
    }
    scn_settle(&w, 150 * SIM_DAY);
    ok(!w.failed && w.zone->nkeys == 64, "64 keys in the signconf, every resolver validated");
    sim_world_rollover(&w, ENF_ROLE_KSK);
    scn_settle(&w, 150 * SIM_DAY);
    ok(agreed(&w), "64 keys: signerd's code and the model made the same decisions");
    if (model == SIM_SIGNER_SIGNERD_ASIS) {
        ok(w.failed && strstr(w.why, "no DS->DNSKEY chain"),
           "signerd's code never signs with the 65th key: bogus at the DS swap (defect)");
        if (w.failed)
            printf("#   (expected) %s\n", w.why);
    } else {
        ok(scn_settled(w.zone) && scn_valid(&w), "64 keys: the KSK roll completes, valid");
    }
    sim_world_free(&w);
}

static void random_one(uint64_t seed, time_t days)
{
    sim_rng_t r = { seed ^ 0x5deece66dULL };
    enf_policy_t p;
    sim_world_t w;
    chaos_policy(&r, &p);
    if (world(&w, &p) != 0)
        return;
    w.op_delay = SIM_HOUR;
    w.sgnd.reread_pct = 5;
    time_t end = T0 + days * SIM_DAY, t = T0;
    while (!w.failed && t < end) {
        t += sim_rng_pct(&r, 30) ? sim_rng_range(&r, 0, 2 * SIM_DAY)
                                 : sim_rng_range(&r, SIM_DAY, 60 * SIM_DAY);
        sim_world_run_until(&w, t);
        if (!w.failed)
            chaos_action(&w, &r, 0);
    }
    ok(agreed(&w), "seed %" PRIu64 ": signerd's code and the model made the same decisions", seed);
    ok(scn_valid(&w), "seed %" PRIu64 ": every resolver validated (%zu keys, %ld signer runs)",
       seed, w.nkeys, w.sgnd.runs);
    sim_world_free(&w);
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

int main(void)
{
    fx_t fx;
    char why[512] = "";
    const char *m = getenv("ODS_SIM_SIGNER");
    if (m && *m && (model = sim_signer_parse(m)) <= SIM_SIGNER_ODS) {
        printf("Bail out! ODS_SIM_SIGNER=%s: use signerd (default) or signerd-asis\n", m);
        return 1;
    }
    printf("# model checked against signerd's code: %s\n", sim_signer_name(model));
    if (!ok(fx_init(&fx, "simreal", NULL) == 0 && fx_token(&fx, "sim", "1234") == 0,
            "SoftHSMv2 token") ||
        !ok(sim_sgnd_real_new(fx.module, "sim", "1234", &real, why, sizeof(why)) == 0,
            "signerd's key set and signing on it %s", why)) {
        fx_cleanup(&fx);
        return tap_done();
    }
    roll(SIM_SPLIT, ENF_ROLE_ZSK, "ZskPrePublication");
    roll(SIM_SPLIT, ENF_ROLE_ZSK, "ZskDoubleSignature");
    roll(SIM_SPLIT, ENF_ROLE_ZSK, "ZskDoubleRRsig");
    roll(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleRRset");
    roll(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleDS");
    roll(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleSignature");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskDoubleRRset");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskSingleSignature");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskDoubleDS");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskDoubleSignature");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskPrePublication");
    sixty_four_keys();
    sim_rng_t r = { env_u64("ODS_SIM_MASTER", REAL_MASTER) };
    long runs = (long)env_u64("ODS_SIM_RUNS", REAL_RUNS);
    time_t days = (time_t)env_u64("ODS_SIM_DAYS", REAL_DAYS);
    for (long i = 0; i < runs; i++)
        random_one(sim_rng_next(&r) | 1, days);
    sim_sgnd_real_stats_t st;
    sim_sgnd_real_stats(real, &st);
    printf("# signerd's code: %ld keys generated, %ld key sets loaded, %ld needs_work calls, "
           "%ld signatures made in the token\n",
           st.keys, st.keyset_loads, st.needs_work_calls, st.signatures);
    sim_sgnd_real_free(real);
    fx_cleanup(&fx);
    return tap_done();
}
