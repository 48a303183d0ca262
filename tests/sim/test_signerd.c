/*
 * test_signerd.c -- our signer's behaviour in the simulated world (the
 * signerd models, world.h), and the two defects of today's signerd that the
 * random simulation found, each as a minimal scenario:
 *  - the rule: after every step, every RRset (SOA, data, denial,
 *    NSEC3PARAM) carries exactly one signature per key with <ZSK/> and the
 *    DNSKEY RRset one per key with <KSK/> -- a new key signs in the run
 *    where it becomes active, an inactive key's signatures go in that run;
 *  - only the first 64 keys of a signer configuration sign (SGN_MAX_KEYS in
 *    signerd/sgn_rrsign.c). Without Keys/Purge dead keys stay in the signconf;
 *    once 64 keys precede it, a new KSK is published but never signs the
 *    DNSKEY RRset, sgn_check_zone passes (the old KSK's signature covers the
 *    algorithm), and when the parent swaps the DS every resolver fails;
 *  - a zone whose keys are all withdrawn ("zone will become unsigned
 *    eventually") is never published again: sgn_check_zone refuses a zone
 *    without a DNSKEY RRset, so input changes never reach the secondaries
 *    and the old signatures expire;
 *  - and a run whose signatures are all fresh publishes nothing.
 * Each defect runs with signerd as it is (SIM_SIGNER_SIGNERD_ASIS: the world
 * must catch it) and with the fix proposed for it (SIM_SIGNER_SIGNERD: every
 * resolver must validate).
 */
#include "scenario.h"
#include "tap.h"

#include <string.h>

#define TEN_YEARS (3650 * SIM_DAY)

/* Step through rolls of every kind; after each step the rule holds. */
static void test_rule(int layout, int role, const char *rolltype)
{
    enf_policy_t p;
    sim_world_t w;
    char why[600] = "";
    sim_policy_default(&p, layout);
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = TEN_YEARS;
    sim_policy_key(&p, role)->minimize = enf_rolltype_minimize(rolltype);
    if (!ok(scn_world_with(&w, &p, SIM_SIGNER_SIGNERD) == 0 && scn_settle(&w, 30 * SIM_DAY),
            "%s: established", rolltype)) {
        sim_world_free(&w);
        return;
    }
    int held = scn_signerd_rule(&w, why, sizeof(why)), steps = 0;
    sim_world_rollover(&w, role);
    while (held && !w.failed && steps++ < 20000 && !scn_settled(w.zone)) {
        held = scn_signerd_rule(&w, why, sizeof(why));
        sim_world_run_until(&w, w.now + 1800);
    }
    held = held && scn_signerd_rule(&w, why, sizeof(why));
    if (!ok(held, "%s: one signature per active key on every RRset at every step", rolltype))
        printf("#   %s\n", why);
    ok(scn_settled(w.zone) && scn_valid(&w), "%s: the roll completes, every resolver validated",
       rolltype);
    ok(w.sgnd.refused == 0, "%s: signerd's check never refused", rolltype);
    sim_world_free(&w);
}

/* Zone with 64 keys in its signconf (Purge never), then a KSK roll. */
static void test_64_keys(int model)
{
    enf_policy_t p;
    sim_world_t w;
    const char *name = sim_signer_name(model);
    sim_policy_default(&p, SIM_SPLIT);
    p.purge = -1;
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = TEN_YEARS;
    if (!ok(scn_world_with(&w, &p, model) == 0 && scn_settle(&w, 30 * SIM_DAY),
            "%s, 64 keys: established", name)) {
        sim_world_free(&w);
        return;
    }
    while (!w.failed && w.zone->nkeys < 64) {
        sim_world_rollover(&w, ENF_ROLE_ZSK);
        sim_world_run_until(&w, w.now + SIM_HOUR);
    }
    scn_settle(&w, 150 * SIM_DAY);
    ok(!w.failed && w.zone->nkeys == 64, "%s: 62 ZSK rolls later the signconf holds 64 keys", name);
    sim_world_rollover(&w, ENF_ROLE_KSK);
    const enf_key_t *k = scn_key(w.zone, ENF_ROLE_KSK, 1);
    ok(k && k == &w.zone->keys[64], "%s: the new KSK is the 65th key", name);
    scn_settle(&w, 150 * SIM_DAY);
    if (model == SIM_SIGNER_SIGNERD_ASIS) {
        ok(w.failed && strstr(w.why, "no DS->DNSKEY chain"),
           "%s: the 65th key never signs the DNSKEY RRset; bogus once its DS replaces the old",
           name);
        if (w.failed)
            printf("#   (expected) %s\n", w.why);
    } else {
        ok(scn_settled(w.zone) && scn_valid(&w),
           "%s: the KSK roll completes, every resolver "
           "validated",
           name);
    }
    sim_world_free(&w);
}

/* A settled zone for 30 days: a run whose signatures are all fresh
 * publishes nothing (sgn_run: "a quiet re-sign publishes nothing"), so
 * Refresh, not Resign, paces the publications. */
static void test_quiet(int model)
{
    enf_policy_t p;
    sim_world_t w;
    const char *name = sim_signer_name(model);
    sim_policy_default(&p, SIM_SPLIT);
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = TEN_YEARS;
    if (!ok(scn_world_with(&w, &p, model) == 0 && scn_settle(&w, 30 * SIM_DAY),
            "%s, quiet: established", name)) {
        sim_world_free(&w);
        return;
    }
    long runs = w.sgnd.runs, pubs = w.sgnd.published;
    sim_world_run_until(&w, w.now + 30 * SIM_DAY);
    runs = w.sgnd.runs - runs;
    pubs = w.sgnd.published - pubs;
    ok(pubs > 0 && pubs * 10 < runs, "%s: 30 quiet days, %ld runs, %ld publications", name, runs,
       pubs);
    ok(scn_valid(&w), "%s: quiet days: every resolver validated", name);
    sim_world_free(&w);
}

/* Every key withdrawn: the zone goes unsigned. */
static void test_unsigned(int model)
{
    enf_policy_t p;
    sim_world_t w;
    const char *name = sim_signer_name(model);
    sim_policy_default(&p, SIM_SPLIT);
    if (!ok(scn_world_with(&w, &p, model) == 0 && scn_settle(&w, 30 * SIM_DAY),
            "%s, unsigned: established", name)) {
        sim_world_free(&w);
        return;
    }
    p.nkeys = 0;
    sim_world_set_policy(&w, &p);
    sim_world_run_until(&w, w.now + 60 * SIM_DAY);
    if (model == SIM_SIGNER_SIGNERD_ASIS) {
        ok(w.failed && strstr(w.why, "no DNSKEY RRset"),
           "%s: once no key is published the zone is never published again", name);
        if (w.failed)
            printf("#   (expected) %s\n", w.why);
    } else {
        const sim_version_t *dk = sim_history_current(&w.dnskey);
        ok(w.parent_ds.n == 0 && dk && dk->keys.n == 0,
           "%s: DS withdrawn, the zone published without DNSKEY", name);
        ok(scn_valid(&w), "%s: every resolver validated on the way to insecure", name);
    }
    sim_world_free(&w);
}

int main(void)
{
    test_rule(SIM_SPLIT, ENF_ROLE_ZSK, "ZskPrePublication");
    test_rule(SIM_SPLIT, ENF_ROLE_ZSK, "ZskDoubleSignature");
    test_rule(SIM_SPLIT, ENF_ROLE_ZSK, "ZskDoubleRRsig");
    test_rule(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleRRset");
    test_rule(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleDS");
    test_rule(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleSignature");
    test_rule(SIM_CSK, ENF_ROLE_CSK, "CskDoubleRRset");
    test_rule(SIM_CSK, ENF_ROLE_CSK, "CskSingleSignature");
    test_rule(SIM_CSK, ENF_ROLE_CSK, "CskDoubleDS");
    test_rule(SIM_CSK, ENF_ROLE_CSK, "CskDoubleSignature");
    test_rule(SIM_CSK, ENF_ROLE_CSK, "CskPrePublication");
    test_64_keys(SIM_SIGNER_SIGNERD_ASIS);
    test_64_keys(SIM_SIGNER_SIGNERD);
    test_unsigned(SIM_SIGNER_SIGNERD_ASIS);
    test_unsigned(SIM_SIGNER_SIGNERD);
    test_quiet(SIM_SIGNER_SIGNERD_ASIS);
    test_quiet(SIM_SIGNER_SIGNERD);
    return tap_done();
}
