/*
 * test_overlap.c -- overlapping rollovers (OPENDNSSEC-914 territory) and the
 * regressions where OpenDNSSEC's rules as described go wrong:
 *  - a ZSK roll during a KSK roll; a roll started before the previous one
 *    finished (ZSK twice, KSK again while waiting for ds-seen, CSK twice);
 *    an algorithm rollover during a ZSK roll; KSK+ZSK -> CSK during a KSK roll;
 *  - signatures lingering from a pre-publication roll when a double-signature
 *    roll follows: OpenDNSSEC adds the smooth-ZSK time only when the new key's
 *    DNSKEY is already omnipresent, so it declares the new signatures
 *    omnipresent too early (the oracle catches that when injected; with
 *    signerd's signer, which signs with a new key at once, it is harmless);
 *  - a DNSKEY swap interrupted by an algorithm change: with OpenDNSSEC's masks
 *    no single move is valid any more and the zone is stuck;
 *  - a policy changed back and forth, and ManualRollover with a new key size:
 *    OpenDNSSEC's "has a key" counts retired keys, so no new key was made.
 */
#include "scenario.h"
#include "tap.h"

#include <string.h>

static int established(sim_world_t *w, int layout)
{
    enf_policy_t p;
    sim_policy_default(&p, layout);
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = 3650 * SIM_DAY;
    return scn_established(w, &p);
}

static int introducing(const enf_zone_t *z, int role, int alg)
{
    int n = 0;
    for (size_t i = 0; i < z->nkeys; i++)
        n += z->keys[i].introducing && z->keys[i].role == role && z->keys[i].algorithm == alg;
    return n;
}

static void finish(sim_world_t *w, const char *what)
{
    ok(scn_settle(w, 150 * SIM_DAY), "%s: everything completes", what);
    ok(scn_valid(w), "%s: every resolver validated at every step", what);
    sim_world_free(w);
}

static void test_two_roles(void)
{
    sim_world_t w;
    if (!ok(established(&w, SIM_SPLIT) == 0, "ZSK during KSK roll: established"))
        return;
    sim_world_rollover(&w, ENF_ROLE_KSK);
    sim_world_run_until(&w, w.now + SIM_DAY);
    sim_world_rollover(&w, ENF_ROLE_ZSK);
    finish(&w, "ZSK roll during a KSK roll");
}

static void test_twice(int layout, int role, time_t gap, int hold, const char *what)
{
    sim_world_t w;
    if (!ok(established(&w, layout) == 0, "%s: established", what))
        return;
    w.op_hold = hold;
    sim_world_rollover(&w, role);
    sim_world_run_until(&w, w.now + gap);
    int64_t second = scn_key(w.zone, role, 1)->id;
    sim_world_rollover(&w, role);
    ok(!enf_zone_find_key(w.zone, second)->introducing, "%s: the unfinished key retires", what);
    sim_world_run_until(&w, w.now + SIM_DAY);
    w.op_hold = 0;
    finish(&w, what);
}

static void test_algorithm_during_zsk(void)
{
    sim_world_t w;
    if (!ok(established(&w, SIM_SPLIT) == 0, "algorithm during ZSK roll: established"))
        return;
    sim_world_rollover(&w, ENF_ROLE_ZSK);
    sim_world_run_until(&w, w.now + 2 * SIM_DAY);
    enf_policy_t p = w.pol;
    sim_policy_set_algorithm(&p, 13);
    sim_world_set_policy(&w, &p);
    ok(scn_settle(&w, 150 * SIM_DAY) && introducing(w.zone, ENF_ROLE_ZSK, 13) == 1 &&
           introducing(w.zone, ENF_ROLE_KSK, 13) == 1,
       "algorithm rollover during a ZSK roll ends on algorithm 13");
    ok(scn_valid(&w), "algorithm during ZSK roll: every resolver validated");
    sim_world_free(&w);
}

static void test_layout_during_ksk(void)
{
    sim_world_t w;
    enf_policy_t p;
    if (!ok(established(&w, SIM_SPLIT) == 0, "to CSK during KSK roll: established"))
        return;
    sim_world_rollover(&w, ENF_ROLE_KSK);
    sim_world_run_until(&w, w.now + SIM_HOUR);
    sim_policy_default(&p, SIM_CSK);
    sim_policy_set_algorithm(&p, 8);
    sim_world_set_policy(&w, &p);
    ok(scn_settle(&w, 150 * SIM_DAY) && introducing(w.zone, ENF_ROLE_CSK, 8) == 1,
       "KSK+ZSK -> CSK during a KSK roll ends with one CSK");
    ok(scn_valid(&w), "to CSK during KSK roll: every resolver validated");
    sim_world_free(&w);
}

/* Pre-publication roll with signatures lingering, then a double-signature roll.
 * The DNSKEY TTL (2 days) exceeds MaxZoneTTL (1 hour): when OpenDNSSEC
 * evaluates the new signatures their DNSKEY is still rumoured, so it adds no
 * smooth-ZSK time. */
static int linger_world(sim_world_t *w, int64_t *z3, time_t *t3)
{
    enf_policy_t p;
    sim_policy_default(&p, SIM_SPLIT);
    p.keys_ttl = 2 * SIM_DAY;
    p.max_zone_ttl = SIM_HOUR;
    for (size_t i = 0; i < p.nkeys; i++)
        p.keys[i].lifetime = 3650 * SIM_DAY;
    if (scn_established(w, &p) != 0)
        return -1;
    sim_world_rollover(w, ENF_ROLE_ZSK);
    int64_t z2 = scn_key(w->zone, ENF_ROLE_ZSK, 1)->id;
    while (!w->failed && enf_zone_find_key(w->zone, z2)->rec[ENF_REC_RRSIG].state == ENF_HIDDEN)
        sim_world_run_until(w, w->now + 600); /* signatures swap: old ones linger */
    sim_policy_key(&p, ENF_ROLE_ZSK)->minimize = enf_rolltype_minimize("ZskDoubleSignature");
    sim_world_set_policy(w, &p);
    *t3 = w->now;
    sim_world_rollover(w, ENF_ROLE_ZSK);
    const enf_key_t *k = scn_key(w->zone, ENF_ROLE_ZSK, 1);
    *z3 = k->id;
    return k->rec[ENF_REC_RRSIG].state == ENF_RUMOURED &&
                   k->rec[ENF_REC_DNSKEY].state == ENF_RUMOURED
               ? 0
               : -1;
}

static void test_lingering(void)
{
    sim_world_t w;
    int64_t z3;
    time_t t3;
    if (!ok(linger_world(&w, &z3, &t3) == 0, "lingering: double signature after pre-publication"))
        return;
    /* OpenDNSSEC: signature TTL + PropagationDelay; the DNSKEY is still rumoured then */
    time_t ods = t3 + SIM_HOUR + 43200;
    sim_world_run_until(&w, ods);
    ok(enf_zone_find_key(w.zone, z3)->rec[ENF_REC_DNSKEY].state == ENF_RUMOURED,
       "at OpenDNSSEC's time the new DNSKEY is still rumoured (no smooth-ZSK time)");
    ok(enf_zone_find_key(w.zone, z3)->rec[ENF_REC_RRSIG].state == ENF_RUMOURED,
       "we keep the new signatures rumoured while old ones may still linger");
    finish(&w, "double signature after pre-publication");

    if (!ok(linger_world(&w, &z3, &t3) == 0, "fault injection: same zone"))
        return;
    sim_world_run_until(&w, ods);
    scn_force(&w, z3, ENF_REC_RRSIG, ENF_OMNIPRESENT);
    scn_settle(&w, 150 * SIM_DAY);
    if (w.signer_model == SIM_SIGNER_ODS) {
        ok(w.failed && strstr(w.why, "DNSKEY->data"),
           "the oracle catches signatures declared omnipresent at OpenDNSSEC's time");
        if (w.failed)
            printf("#   (expected) %s\n", w.why);
    } else { /* signerd signs with a new key at once: nothing lingers in its way */
        ok(!w.failed, "with signerd's signer that early omnipresent is harmless");
        scn_valid(&w);
    }
    sim_world_free(&w);
}

/* A KSK DNSKEY swap under two omnipresent DSes (KskDoubleDS) when the
 * algorithm changes: the old key and its successor both retire. In
 * OpenDNSSEC's masks every single move then breaks rule 2 (neither DS may go,
 * neither DNSKEY may go, the successor's DNSKEY never becomes omnipresent);
 * knowing which versions caches can still hold lets the old key leave. */
static void test_interrupted_swap(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    sim_policy_key(&p, ENF_ROLE_KSK)->minimize = enf_rolltype_minimize("KskDoubleDS");
    sim_policy_key(&p, ENF_ROLE_KSK)->lifetime = 3650 * SIM_DAY;
    if (!ok(scn_established(&w, &p) == 0, "interrupted swap: established"))
        return;
    int64_t k1 = scn_key(w.zone, ENF_ROLE_KSK, 1)->id;
    sim_world_rollover(&w, ENF_ROLE_KSK);
    int64_t k2 = scn_key(w.zone, ENF_ROLE_KSK, 1)->id;
    while (!w.failed && enf_zone_find_key(w.zone, k2)->rec[ENF_REC_DNSKEY].state == ENF_HIDDEN)
        sim_world_run_until(&w, w.now + 600);
    char b1[128], b2[128];
    is_str(scn_states(enf_zone_find_key(w.zone, k1), b1, sizeof(b1)),
           "omnipresent;unretentive;unretentive;NA;0;0", "old KSK: DNSKEY leaving");
    is_str(scn_states(enf_zone_find_key(w.zone, k2), b2, sizeof(b2)),
           "omnipresent;rumoured;rumoured;NA;1;1", "new KSK: DNSKEY arriving under its DS");
    sim_policy_set_algorithm(&p, 13);
    sim_world_set_policy(&w, &p);
    ok(!enf_zone_find_key(w.zone, k2)->introducing, "the successor retires too");
    ok(scn_settle(&w, 150 * SIM_DAY) && introducing(w.zone, ENF_ROLE_KSK, 13) == 1,
       "both leave; the zone ends on algorithm 13");
    ok(scn_valid(&w), "interrupted swap: every resolver validated");
    sim_world_free(&w);
}

static void test_back_and_forth(void)
{
    sim_world_t w;
    if (!ok(established(&w, SIM_SPLIT) == 0, "back and forth: established"))
        return;
    enf_policy_t p = w.pol;
    sim_policy_set_algorithm(&p, 13);
    sim_world_set_policy(&w, &p);
    sim_world_run_until(&w, w.now + SIM_HOUR);
    sim_policy_set_algorithm(&p, 8);
    sim_world_set_policy(&w, &p);
    ok(introducing(w.zone, ENF_ROLE_KSK, 8) == 1 && introducing(w.zone, ENF_ROLE_ZSK, 8) == 1,
       "policy 8 -> 13 -> 8: new algorithm-8 keys are made");
    finish(&w, "algorithm 8 -> 13 -> 8");
}

static void test_manual_bits(void)
{
    sim_world_t w;
    if (!ok(established(&w, SIM_SPLIT) == 0, "manual + size: established"))
        return;
    enf_policy_t p = w.pol;
    sim_policy_key(&p, ENF_ROLE_ZSK)->manual_rollover = 1;
    sim_world_set_policy(&w, &p);
    sim_policy_key(&p, ENF_ROLE_ZSK)->bits = 2048;
    sim_world_set_policy(&w, &p);
    const enf_key_t *k = scn_key(w.zone, ENF_ROLE_ZSK, 1);
    ok(k && k->bits == 2048, "ManualRollover ZSK whose size changed gets a 2048-bit key");
    finish(&w, "ManualRollover with a new key size");
}

int main(void)
{
    test_two_roles();
    test_twice(SIM_SPLIT, ENF_ROLE_ZSK, SIM_HOUR, 0, "ZSK rolled twice an hour apart");
    test_twice(SIM_SPLIT, ENF_ROLE_ZSK, 20 * SIM_HOUR, 0, "ZSK rolled again mid signatures");
    test_twice(SIM_SPLIT, ENF_ROLE_KSK, 3 * SIM_DAY, 1, "KSK rolled again awaiting ds-seen");
    test_twice(SIM_CSK, ENF_ROLE_CSK, 2 * SIM_DAY, 0, "CSK rolled twice");
    test_algorithm_during_zsk();
    test_layout_during_ksk();
    test_lingering();
    test_interrupted_swap();
    test_back_and_forth();
    test_manual_bits();
    return tap_done();
}
