/*
 * test_first_keys.c -- a zone's first keys, from nothing to omnipresent, with
 * OpenDNSSEC's timing formulas checked to the second and every resolver's
 * view checked by the oracle along the way.
 */
#include "scenario.h"
#include "tap.h"

static void test_split(void)
{
    enf_policy_t p;
    sim_world_t w;
    char buf[128];
    sim_policy_default(&p, SIM_SPLIT);
    if (!ok(scn_world(&w, &p) == 0, "world set up"))
        return;
    w.op_delay = 0;
    sim_world_run_until(&w, T0);
    const enf_key_t *ksk = scn_key(w.zone, ENF_ROLE_KSK, 1);
    const enf_key_t *zsk = scn_key(w.zone, ENF_ROLE_ZSK, 1);
    ok(ksk && zsk && w.zone->nkeys == 2, "first run makes one KSK and one ZSK");
    is_str(scn_states(ksk, buf, sizeof(buf)), "hidden;rumoured;rumoured;NA;1;1",
           "KSK publishes its DNSKEY first (KskDoubleSignature)");
    is_str(scn_states(zsk, buf, sizeof(buf)), "NA;rumoured;NA;rumoured;1;1",
           "first ZSK publishes DNSKEY and signatures at once (no usable ZSK yet)");
    is_str(enf_kl_name(enf_key_list_state(ksk)), "publish", "KSK shows 'publish'");
    is_str(enf_kl_name(enf_key_list_state(zsk)), "ready", "ZSK shows 'ready'");
    /* DNSKEY: max(Keys TTL, min(SOA TTL, Minimum)) + PropagationDelay + PublishSafety */
    time_t dnskey_o = T0 + 3600 + 43200 + 3600;
    /* RRSIG: max(MaxZoneTTL, NSEC3 TTL, min(SOA TTL, Minimum)) + PropagationDelay */
    time_t rrsig_o = T0 + 86400 + 43200;
    is_int(w.enf_next, dnskey_o, "next run when the DNSKEYs can be omnipresent");

    sim_world_run_until(&w, dnskey_o);
    ksk = scn_key(w.zone, ENF_ROLE_KSK, 1);
    is_str(scn_states(ksk, buf, sizeof(buf)), "hidden;omnipresent;omnipresent;NA;1;1",
           "KSK DNSKEY omnipresent; the DS waits for the ZSK's signatures");
    is_int(w.enf_next, rrsig_o, "next run when the signatures can be omnipresent");

    sim_world_run_until(&w, rrsig_o - 1);
    ok(!scn_has_event(&w.events, ENF_EV_DS_SUBMIT, 0), "no DS request before the signatures");
    w.op_delay = 0; /* the operator will act one minute after being asked */
    w.ops.last = rrsig_o + 60;
    sim_world_run_until(&w, rrsig_o);
    ksk = scn_key(w.zone, ENF_ROLE_KSK, 1);
    char want[128];
    snprintf(want, sizeof(want), "please submit DS with keytag %u for zone example.com",
             ksk ? ksk->keytag : 0);
    ok(ksk && ksk->rec[ENF_REC_DS].state == ENF_RUMOURED && ksk->ds_at_parent == ENF_DSP_SUBMIT,
       "DS rumoured once the signatures are omnipresent");
    ok(w.events.count && scn_has_event(&w.events, ENF_EV_DS_SUBMIT, ksk ? ksk->id : 0),
       "the run asks for the DS");
    for (size_t i = 0; i < w.events.count; i++)
        if (w.events.ev[i].type == ENF_EV_DS_SUBMIT)
            is_str(w.events.ev[i].text, want, "OpenDNSSEC's text");
    is_str(enf_wait_text(enf_key_wait(ksk)), "waiting for ds-submit", "key list shows the wait");
    sim_world_run_until(&w, rrsig_o + 60);
    ksk = scn_key(w.zone, ENF_ROLE_KSK, 1);
    ok(ksk && ksk->ds_at_parent == ENF_DSP_SEEN && ksk->rec[ENF_REC_DS].state == ENF_RUMOURED,
       "DS submitted, published by the parent and seen a minute later");
    is_str(enf_kl_name(enf_key_list_state(ksk)), "active", "KSK 'active' right after ds-seen");
    /* DS: ds-seen time + DS TTL + RegistrationDelay + Parent PropagationDelay */
    time_t ds_o = rrsig_o + 60 + 3600 + 0 + 9999;
    is_int(w.enf_next, ds_o, "DS omnipresent a DS TTL and the parent delays after ds-seen");
    sim_world_run_until(&w, ds_o);
    ok(scn_settled(w.zone), "zone settled: every record omnipresent");
    ok(scn_valid(&w), "oracle: every resolver validated at every step");
    sim_world_free(&w);
}

int main(void)
{
    test_split();
    return tap_done();
}
