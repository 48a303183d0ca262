/*
 * test_rolltypes.c -- `key rollover` for every RollType: the new key's record
 * states right after the command match OpenDNSSEC's (behaviour brief a.4,
 * "What the daily tests observe right after key rollover"; the CSK rows
 * follow from the same rules), the roll completes with the old key dead, and
 * the oracle validates every resolver's view throughout. Two rolls are also
 * checked against OpenDNSSEC's timing formulas to the second.
 */
#include "scenario.h"
#include "tap.h"

#include <string.h>

#define TEN_YEARS (3650 * SIM_DAY)

static void long_lifetimes(enf_policy_t *p)
{
    for (size_t i = 0; i < p->nkeys; i++)
        p->keys[i].lifetime = TEN_YEARS;
}

static void roll(int layout, int role, const char *rolltype, const char *want)
{
    enf_policy_t p;
    sim_world_t w;
    char buf[128];
    sim_policy_default(&p, layout);
    long_lifetimes(&p);
    sim_policy_key(&p, role)->minimize = enf_rolltype_minimize(rolltype);
    if (!ok(scn_established(&w, &p) == 0, "%s: zone established", rolltype)) {
        sim_world_free(&w);
        return;
    }
    int64_t old = scn_key(w.zone, role, 1)->id;
    ok(sim_world_rollover(&w, role) == 1, "%s: key rollover accepted", rolltype);
    const enf_key_t *k = scn_key(w.zone, role, 1);
    ok(k && k->id != old, "%s: a new key", rolltype);
    is_str(scn_states(k, buf, sizeof(buf)), want, "%s: new key right after key rollover", rolltype);
    ok(!enf_zone_find_key(w.zone, old)->introducing, "%s: the old key retires", rolltype);
    ok(scn_settle(&w, 120 * SIM_DAY), "%s: the roll completes", rolltype);
    const enf_key_t *o = enf_zone_find_key(w.zone, old);
    ok(!o || enf_key_list_state(o) == ENF_KL_DEAD, "%s: old key dead or purged", rolltype);
    ok(scn_valid(&w), "%s: every resolver validated at every step", rolltype);
    sim_world_free(&w);
}

static void test_table(void)
{
    roll(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleDS", "rumoured;hidden;hidden;NA;0;0");
    roll(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleRRset", "rumoured;rumoured;rumoured;NA;1;1");
    roll(SIM_SPLIT, ENF_ROLE_KSK, "KskDoubleSignature", "hidden;rumoured;rumoured;NA;1;1");
    roll(SIM_SPLIT, ENF_ROLE_ZSK, "ZskPrePublication", "NA;rumoured;NA;hidden;1;0");
    roll(SIM_SPLIT, ENF_ROLE_ZSK, "ZskDoubleSignature", "NA;rumoured;NA;rumoured;1;1");
    roll(SIM_SPLIT, ENF_ROLE_ZSK, "ZskDoubleRRsig", "NA;hidden;NA;rumoured;0;1");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskDoubleRRset", "rumoured;rumoured;rumoured;rumoured;1;1");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskSingleSignature", "rumoured;rumoured;rumoured;hidden;1;1");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskDoubleDS", "rumoured;hidden;hidden;rumoured;0;1");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskDoubleSignature", "hidden;rumoured;rumoured;rumoured;1;1");
    roll(SIM_CSK, ENF_ROLE_CSK, "CskPrePublication", "hidden;rumoured;rumoured;hidden;1;1");
}

static enf_state_t state_of(const sim_world_t *w, int64_t id, enf_rec_t r)
{
    const enf_key_t *k = enf_zone_find_key(w->zone, id);
    return k ? k->rec[r].state : ENF_NA;
}

/* ZskPrePublication with the default policy, OpenDNSSEC's formulas. */
static void test_prepublication_timing(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    long_lifetimes(&p);
    if (!ok(scn_established(&w, &p) == 0, "pre-publication: zone established"))
        return;
    int64_t old = scn_key(w.zone, ENF_ROLE_ZSK, 1)->id;
    time_t t = w.now;
    sim_world_rollover(&w, ENF_ROLE_ZSK);
    int64_t new = scn_key(w.zone, ENF_ROLE_ZSK, 1)->id;
    /* DNSKEY: Keys TTL + Zone PropagationDelay + PublishSafety */
    time_t dnskey_o = t + 3600 + 43200 + 3600;
    is_int(w.enf_next, dnskey_o, "new DNSKEY omnipresent after TTL, propagation, safety");
    sim_world_run_until(&w, dnskey_o);
    ok(state_of(&w, new, ENF_REC_RRSIG) == ENF_RUMOURED &&
           state_of(&w, old, ENF_REC_RRSIG) == ENF_UNRETENTIVE,
       "then signatures swap in one run");
    /* RRSIG: MaxZoneTTL + PropagationDelay + Jitter + Validity + Resign - Refresh */
    time_t rrsig_o = dnskey_o + 86400 + 43200 + (43200 + 14 * SIM_DAY + 7200 - 3 * SIM_DAY);
    is_int(w.enf_next, rrsig_o, "new signatures omnipresent after the smooth-ZSK time");
    sim_world_run_until(&w, rrsig_o - 1);
    ok(state_of(&w, new, ENF_REC_RRSIG) == ENF_RUMOURED, "not a second earlier");
    sim_world_run_until(&w, rrsig_o);
    ok(state_of(&w, new, ENF_REC_RRSIG) == ENF_OMNIPRESENT &&
           state_of(&w, old, ENF_REC_RRSIG) == ENF_HIDDEN &&
           state_of(&w, old, ENF_REC_DNSKEY) == ENF_UNRETENTIVE,
       "old signatures gone, old DNSKEY withdrawn");
    /* DNSKEY hidden: Keys TTL + PropagationDelay + RetireSafety */
    is_int(w.enf_next, rrsig_o + 3600 + 43200 + 3600, "old DNSKEY hidden after retire safety");
    ok(scn_valid(&w), "pre-publication: every resolver validated");
    sim_world_free(&w);
}

/* KskDoubleSignature with the default policy and a prompt operator. */
static void test_double_signature_timing(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    long_lifetimes(&p);
    if (!ok(scn_established(&w, &p) == 0, "double signature: zone established"))
        return;
    int64_t old = scn_key(w.zone, ENF_ROLE_KSK, 1)->id;
    time_t t = w.now;
    sim_world_rollover(&w, ENF_ROLE_KSK);
    int64_t new = scn_key(w.zone, ENF_ROLE_KSK, 1)->id;
    time_t dnskey_o = t + 3600 + 43200 + 3600;
    sim_world_run_until(&w, dnskey_o);
    const enf_key_t *n = enf_zone_find_key(w.zone, new), *o = enf_zone_find_key(w.zone, old);
    ok(n->rec[ENF_REC_DS].state == ENF_RUMOURED && n->ds_at_parent == ENF_DSP_SEEN,
       "new DS submitted once its DNSKEY is omnipresent, published and seen");
    ok(o->rec[ENF_REC_DS].state == ENF_UNRETENTIVE && o->ds_at_parent == ENF_DSP_GONE,
       "old DS retracted in the same run, after the new one was asked for");
    /* DS: ds-seen + DS TTL + RegistrationDelay + Parent PropagationDelay */
    time_t ds_o = dnskey_o + 3600 + 0 + 9999;
    is_int(w.enf_next, ds_o, "DS swap completes after DS TTL and parent delays");
    sim_world_run_until(&w, ds_o);
    ok(state_of(&w, old, ENF_REC_DNSKEY) == ENF_UNRETENTIVE &&
           state_of(&w, new, ENF_REC_DS) == ENF_OMNIPRESENT,
       "then the old DNSKEY is withdrawn");
    ok(scn_settle(&w, 30 * SIM_DAY), "double signature: roll completes");
    ok(scn_valid(&w), "double signature: every resolver validated");
    sim_world_free(&w);
}

int main(void)
{
    test_table();
    test_prepublication_timing();
    test_double_signature_timing();
    return tap_done();
}
