/*
 * test_engine.c -- the engine's smaller parts on hand-built states: the
 * validity rules (swaps in the right and the wrong order, lingering
 * signatures), one move's approval, the look-ahead, the views and the model.
 */
#include "scenario.h"
#include "engine/versions.h"
#include "tap.h"

#include <string.h>

static enf_zone_t *zone;

/* Add a key whose records are given as state letters "DS DNSKEY KRRSIG RRSIG"
 * (H R O U -), all arriving at `in` and (unretentive ones) leaving at `out`. */
static enf_key_t *key(int64_t id, int role, const char *states, int64_t in, int64_t out)
{
    enf_key_t k;
    enf_key_init(&k, role, T0);
    k.id = id;
    k.algorithm = 8;
    k.keytag = (uint16_t)(100 + id);
    for (int r = 0; r < ENF_REC_COUNT; r++) {
        switch (states[r]) {
        case 'R':
            k.rec[r].state = ENF_RUMOURED;
            break;
        case 'O':
            k.rec[r].state = ENF_OMNIPRESENT;
            break;
        case 'U':
            k.rec[r].state = ENF_UNRETENTIVE;
            break;
        case 'H':
            k.rec[r].state = ENF_HIDDEN;
            break;
        default:
            k.rec[r].state = ENF_NA;
            break;
        }
        if (k.rec[r].state != ENF_HIDDEN && k.rec[r].state != ENF_NA) {
            k.rec[r].order_in = in;
            k.rec[r].order_out = k.rec[r].state == ENF_UNRETENTIVE ? out : 0;
        }
    }
    enf_zone_add_key(zone, &k);
    return enf_zone_find_key(zone, id);
}

/* An empty zone whose keys will all have arrived at change 1 or later: as the
 * engine would have it, nothing older is cached any more. */
static void reset(void)
{
    enf_zone_free(zone);
    zone = enf_zone_new("example.com");
    zone->order = 100;
    for (int l = 0; l < ENF_LINE_COUNT; l++)
        *enf_zone_oldest(zone, (enf_line_t)l, 8) = 1;
}

static void test_rules(void)
{
    reset();
    key(1, ENF_ROLE_KSK, "OOO-", 1, 0);
    key(2, ENF_ROLE_ZSK, "-O-O", 1, 0);
    is_int(enf_rules_eval(zone, 8), ENF_RULES_ALL, "good KSK and good ZSK: all rules hold");
    ok(enf_rules_zone_valid(zone, 1), "zone valid");

    key(3, ENF_ROLE_ZSK, "-O-R", 10, 0);
    enf_key_t *old = enf_zone_find_key(zone, 2);
    old->rec[ENF_REC_RRSIG].state = ENF_UNRETENTIVE;
    old->rec[ENF_REC_RRSIG].order_out = 11;
    is_int(enf_rules_eval(zone, 8), ENF_RULES_ALL, "signatures swapped in order: valid");
    old->rec[ENF_REC_RRSIG].order_out = 9;
    is_int(enf_rules_eval(zone, 8) & ENF_RULE3, 0, "old signatures gone before new: invalid");
    old->rec[ENF_REC_RRSIG].order_out = 11;
    old->rec[ENF_REC_DNSKEY].state = ENF_UNRETENTIVE;
    old->rec[ENF_REC_DNSKEY].order_out = 12;
    is_int(enf_rules_eval(zone, 8) & ENF_RULE3, 0,
           "old DNSKEY withdrawn while its signatures may be the only ones: invalid");

    reset();
    key(1, ENF_ROLE_KSK, "ORR-", 5, 0);
    key(2, ENF_ROLE_ZSK, "-O-O", 1, 0);
    is_int(enf_rules_eval(zone, 8) & ENF_RULE2, 0, "DS of a key whose DNSKEY is rumoured: invalid");
    reset();
    key(1, ENF_ROLE_KSK, "OUU-", 1, 8);
    key(2, ENF_ROLE_KSK, "ORR-", 6, 0);
    key(3, ENF_ROLE_ZSK, "-O-O", 1, 0);
    enf_zone_find_key(zone, 2)->rec[ENF_REC_DS].state = ENF_OMNIPRESENT;
    is_int(enf_rules_eval(zone, 8), ENF_RULES_ALL, "DNSKEY swapped under both DSes in order");
    enf_zone_find_key(zone, 2)->rec[ENF_REC_DNSKEY].order_in = 9;
    is_int(enf_rules_eval(zone, 8) & ENF_RULE2, 0, "new DNSKEY after the old left: invalid");
    reset();
    key(1, ENF_ROLE_KSK, "UOO-", 1, 7);
    key(2, ENF_ROLE_ZSK, "-O-O", 1, 0);
    is_int(enf_rules_eval(zone, 8) & ENF_RULE1, 0, "last DS withdrawn: rule 1 fails");
    is_int(enf_rules_eval(zone, 8) & (ENF_RULE2 | ENF_RULE3), ENF_RULE2 | ENF_RULE3,
           "but the chain holds while it is cached");
}

static void test_approval(void)
{
    reset();
    key(1, ENF_ROLE_KSK, "OOO-", 1, 0);
    enf_key_t *z1 = key(2, ENF_ROLE_ZSK, "-O-O", 1, 0);
    enf_key_t *z2 = key(3, ENF_ROLE_ZSK, "-O-H", 10, 0);
    z2->minimize = ENF_MIN_RRSIG;
    z1 = enf_zone_find_key(zone, 2);
    ok(!enf_dnssec_approval(zone, z1, ENF_REC_RRSIG, ENF_UNRETENTIVE, 0),
       "old signatures may not leave before new ones arrive");
    ok(enf_policy_approval(zone, z2, ENF_REC_RRSIG, ENF_RUMOURED) &&
           enf_dnssec_approval(zone, z2, ENF_REC_RRSIG, ENF_RUMOURED, 0),
       "new signatures may arrive once the DNSKEY is omnipresent");
    z2->rec[ENF_REC_DNSKEY].state = ENF_RUMOURED;
    ok(!enf_policy_approval(zone, z2, ENF_REC_RRSIG, ENF_RUMOURED),
       "pre-publication: not before the DNSKEY is omnipresent");
    is_int(enf_desired_state(1, ENF_HIDDEN), ENF_RUMOURED, "introduce: hidden -> rumoured");
    is_int(enf_desired_state(0, ENF_RUMOURED), ENF_UNRETENTIVE, "retire: rumoured -> unretentive");
    is_int(enf_desired_state(0, ENF_HIDDEN), ENF_HIDDEN, "retire: hidden stays");
}

static void test_lookahead(void)
{
    enf_policy_t p;
    sim_world_t w;
    enf_lookahead_t la;
    sim_policy_default(&p, SIM_SPLIT);
    if (!ok(scn_established(&w, &p) == 0, "lookahead: zone established"))
        return;
    enf_rollover(w.zone, &w.pol, ENF_ROLE_KSK, NULL);
    size_t nkeys = w.zone->nkeys;
    is_int(enf_lookahead(&w.pol, w.zone, w.now, 40, ENF_LOOKAHEAD_AUTO_DS, &la), ODS_OK,
           "look-ahead 40 steps with a prompt operator");
    ok(w.zone->nkeys == nkeys && w.zone->roll_ksk_now, "the zone itself is untouched");
    ok(la.count > 3 && scn_has_event(&la.step[0].events, ENF_EV_KEY_NEW, 0),
       "the first step makes the new KSK");
    int ordered = 1, placeholder = 0;
    for (size_t i = 1; i < la.count; i++)
        ordered &= la.step[i].when >= la.step[i - 1].when;
    for (size_t i = 0; i < la.zone->nkeys; i++)
        placeholder |= strcmp(la.zone->keys[i].locator, "(not generated yet)") == 0;
    ok(ordered && placeholder, "steps in time order; new keys are placeholders");
    const enf_key_t *ksk = scn_key(la.zone, ENF_ROLE_KSK, 1);
    ok(ksk && ksk->rec[ENF_REC_DS].state == ENF_OMNIPRESENT && !scn_key(la.zone, ENF_ROLE_KSK, 0),
       "the preview shows the KSK roll completed and the old KSK purged");
    enf_lookahead_free(&la);
    is_int(enf_lookahead(&w.pol, w.zone, w.now, 0, 0, &la), ODS_EINVAL, "0 steps refused");
    sim_world_rollover(&w, ENF_ROLE_ZSK);
    int64_t id = scn_key(w.zone, ENF_ROLE_ZSK, 1)->id;
    is_int(enf_key_next_transition(&w.pol, w.zone, id, w.now, 8), w.enf_next,
           "next transition of the new ZSK is the engine's next run");
    sim_world_free(&w);
}

static void test_views(void)
{
    reset();
    enf_key_t *k = key(1, ENF_ROLE_CSK, "ROOO", 1, 0);
    enf_flags_t f;
    enf_key_flags(k, &f);
    ok(f.publish && f.ksk && f.zsk, "CSK flags: publish, KSK, ZSK");
    is_str(enf_kl_name(enf_key_list_state(k)), "mixed", "CSK whose DS is rumoured: mixed");
    k->ds_at_parent = ENF_DSP_SEEN;
    is_str(enf_kl_name(enf_key_list_state(k)), "active", "after ds-seen: active");
    k->introducing = 0;
    for (int r = 0; r < ENF_REC_COUNT; r++)
        k->rec[r].state = ENF_HIDDEN;
    is_str(enf_kl_name(enf_key_list_state(k)), "dead", "retired and hidden: dead");
    is_int(enf_kl_parse("Retire"), ENF_KL_RETIRE, "--keystate retire");
    is_int(enf_kl_parse("bogus"), -1, "unknown key state");
    has_str(enf_wait_action(ENF_WAIT_DS_SUBMIT), "ds-seen", "the next action names ds-seen");
}

static void test_model(void)
{
    enf_policy_t p;
    enf_policy_key_t pk;
    static const char *const types[] = {
        "KskDoubleRRset",    "KskDoubleDS",        "KskDoubleSignature", "ZskDoubleSignature",
        "ZskPrePublication", "ZskDoubleRRsig",     "CskDoubleRRset",     "CskSingleSignature",
        "CskDoubleDS",       "CskDoubleSignature", "CskPrePublication"
    };
    static const int mins[] = { 0, 2, 4, 0, 1, 2, 0, 1, 2, 4, 5 };
    for (int i = 0; i < 11; i++)
        is_int(enf_rolltype_minimize(types[i]), mins[i], "minimize of %s", types[i]);
    is_int(enf_rolltype_minimize("KskTripleDS"), -1, "unknown roll type");
    enf_policy_init(&p, "p");
    memset(&pk, 0, sizeof(pk));
    int rc = ODS_OK;
    for (int i = 0; i <= ENF_POLICY_KEYS_MAX && rc == ODS_OK; i++)
        rc = enf_policy_add_key(&p, &pk);
    is_int(rc, ODS_EFULL, "a policy holds at most %d keys", ENF_POLICY_KEYS_MAX);
    reset();
    key(1, ENF_ROLE_ZSK, "-O-O", 1, 0);
    enf_key_t dup;
    enf_key_init(&dup, ENF_ROLE_ZSK, T0);
    dup.id = 1;
    is_int(enf_zone_add_key(zone, &dup), ODS_EEXIST, "duplicate key id refused");
    enf_zone_t *copy = enf_zone_copy(zone);
    ok(copy && copy->nkeys == 1 && copy->keys != zone->keys, "deep copy");
    is_int(enf_zone_remove_key(copy, 7), ODS_ENOTFOUND, "removing an unknown key");
    is_int(enf_zone_remove_key(copy, 1), ODS_OK, "removing a key");
    enf_zone_free(copy);
    enf_zone_free(NULL);
    enf_zone_free(zone);
    zone = NULL;
}

int main(void)
{
    test_rules();
    test_approval();
    test_lookahead();
    test_views();
    test_model();
    return tap_done();
}
