/*
 * test_policy.c -- policy changes and policy-driven behaviour: algorithm
 * rollover 8 -> 13, TTL shortening (the old TTL is still waited for, and the
 * oracle catches a transition that does not), ManualRollover, Purge, a
 * lifetime that is too short, an empty key pool, the backup gate and a policy
 * without keys (the zone goes unsigned).
 */
#include "scenario.h"
#include "tap.h"

#include <string.h>

static int alive_of_algorithm(const enf_zone_t *z, int alg)
{
    int n = 0;
    for (size_t i = 0; i < z->nkeys; i++)
        n += z->keys[i].algorithm == alg && !enf_key_is_dead(&z->keys[i]);
    return n;
}

static void test_algorithm_rollover(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    if (!ok(scn_established(&w, &p) == 0, "algorithm rollover: zone established"))
        return;
    sim_policy_set_algorithm(&p, 13);
    sim_world_set_policy(&w, &p);
    ok(enf_events_count(&w.events, ENF_EV_KEY_RETIRE) == 2 &&
           enf_events_count(&w.events, ENF_EV_KEY_NEW) == 2,
       "policy change: both old keys retire, two keys of algorithm 13 arrive");
    const enf_key_t *ksk = scn_key(w.zone, ENF_ROLE_KSK, 1);
    int64_t ksk_id = ksk->id, zsk_id = scn_key(w.zone, ENF_ROLE_ZSK, 1)->id;
    int ds_early = 0, ds_seen = 0;
    while (!w.failed && !scn_settled(w.zone) && w.now < T0 + 200 * SIM_DAY) {
        sim_world_run_until(&w, w.now + 600);
        const enf_key_t *k = enf_zone_find_key(w.zone, ksk_id);
        const enf_key_t *z = enf_zone_find_key(w.zone, zsk_id);
        if (k->rec[ENF_REC_DS].state != ENF_HIDDEN) {
            ds_seen = 1;
            ds_early |= z->rec[ENF_REC_RRSIG].state != ENF_OMNIPRESENT ||
                        k->rec[ENF_REC_DNSKEY].state != ENF_OMNIPRESENT;
        }
    }
    ok(ds_seen && !ds_early,
       "the new DS is asked for only once the new signatures and DNSKEY are everywhere");
    ok(scn_settled(w.zone), "algorithm rollover completes");
    ok(alive_of_algorithm(w.zone, 8) == 0 && alive_of_algorithm(w.zone, 13) == 2,
       "only algorithm 13 keys remain in use");
    ok(scn_valid(&w), "algorithm rollover: every resolver validated");
    sim_world_free(&w);
}

/* Keys TTL 2 days (longer than MaxZoneTTL), established; shorten it to 1 hour
 * and roll the ZSK (double signature). */
static int ttl_world(sim_world_t *w, int64_t *new_id, time_t *t)
{
    enf_policy_t p;
    sim_policy_default(&p, SIM_SPLIT);
    p.keys_ttl = 2 * SIM_DAY;
    p.max_zone_ttl = SIM_HOUR;
    sim_policy_key(&p, ENF_ROLE_ZSK)->minimize = enf_rolltype_minimize("ZskDoubleSignature");
    if (scn_established(w, &p) != 0)
        return -1;
    sim_world_run_until(w, w->now + 20 * SIM_HOUR); /* the engine runs at other times too */
    p.keys_ttl = SIM_HOUR;
    sim_world_set_policy(w, &p);
    *t = w->now;
    sim_world_rollover(w, ENF_ROLE_ZSK);
    *new_id = scn_key(w->zone, ENF_ROLE_ZSK, 1)->id;
    return 0;
}

static void test_ttl_shortening(void)
{
    sim_world_t w;
    int64_t id;
    time_t t;
    if (!ok(ttl_world(&w, &id, &t) == 0, "TTL shortening: zone established"))
        return;
    time_t old_ttl = t + 2 * SIM_DAY + 43200 + 3600, new_ttl = t + SIM_HOUR + 43200 + 3600;
    sim_world_run_until(&w, t + SIM_DAY);
    is_int(w.enf_next, old_ttl, "new DNSKEY waits for the old 2-day TTL, not the new 1 hour");
    sim_world_run_until(&w, old_ttl - 1);
    ok(enf_zone_find_key(w.zone, id)->rec[ENF_REC_DNSKEY].state == ENF_RUMOURED,
       "still rumoured a second before");
    sim_world_run_until(&w, old_ttl);
    ok(enf_zone_find_key(w.zone, id)->rec[ENF_REC_DNSKEY].state == ENF_OMNIPRESENT,
       "omnipresent once the old TTL has run out");
    ok(scn_settle(&w, 60 * SIM_DAY) && scn_valid(&w), "TTL shortening: roll completes validly");
    sim_world_free(&w);

    /* The same zone, with the DNSKEY declared omnipresent on the new TTL alone
     * (what the remaining-TTL formula of OpenDNSSEC gives when its ttl_end was
     * refreshed long before the change). */
    if (!ok(ttl_world(&w, &id, &t) == 0, "fault injection: zone established"))
        return;
    sim_world_run_until(&w, new_ttl);
    scn_force(&w, id, ENF_REC_DNSKEY, ENF_OMNIPRESENT);
    scn_settle(&w, 60 * SIM_DAY);
    ok(w.failed && strstr(w.why, "cannot validate"),
       "the oracle catches a DNSKEY declared omnipresent before the old TTL ran out");
    if (w.failed)
        printf("#   (expected) %s\n", w.why);
    sim_world_free(&w);
}

static void test_manual_rollover(void)
{
    enf_policy_t p;
    sim_world_t w;
    ods_err_t err = { 0, "" };
    sim_policy_default(&p, SIM_SPLIT);
    sim_policy_key(&p, ENF_ROLE_ZSK)->manual_rollover = 1;
    sim_policy_key(&p, ENF_ROLE_ZSK)->lifetime = 30 * SIM_DAY;
    if (!ok(scn_established(&w, &p) == 0, "manual rollover: zone established"))
        return;
    int64_t zsk = scn_key(w.zone, ENF_ROLE_ZSK, 1)->id;
    sim_world_run_until(&w, T0 + 100 * SIM_DAY);
    is_int(scn_key(w.zone, ENF_ROLE_ZSK, 1)->id, zsk, "ManualRollover: no roll after Lifetime");
    ok(sim_world_rollover(&w, ENF_ROLE_ZSK) == 1 && scn_key(w.zone, ENF_ROLE_ZSK, 1)->id != zsk,
       "key rollover rolls it");
    is_int(enf_rollover(w.zone, &w.pol, ENF_ROLE_CSK, &err), ODS_ENOTFOUND,
           "rolling a CSK on a KSK+ZSK policy is refused");
    has_str(err.msg, "has no CSK", "and says why");
    ok(scn_settle(&w, 60 * SIM_DAY) && scn_valid(&w), "manual rollover completes validly");
    sim_world_free(&w);
}

static void test_purge(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    if (!ok(scn_established(&w, &p) == 0, "purge: zone established"))
        return;
    int64_t old = scn_key(w.zone, ENF_ROLE_ZSK, 1)->id;
    char locator[ENF_LOCATOR_MAX];
    snprintf(locator, sizeof(locator), "%s", scn_key(w.zone, ENF_ROLE_ZSK, 1)->locator);
    sim_world_rollover(&w, ENF_ROLE_ZSK);
    while (!w.failed && !enf_key_is_dead(enf_zone_find_key(w.zone, old)))
        sim_world_run_until(&w, w.now + 600);
    time_t dead = 0;
    const enf_key_t *k = enf_zone_find_key(w.zone, old);
    for (int r = 0; r < ENF_REC_COUNT; r++)
        if (k->rec[r].state != ENF_NA && k->rec[r].last_change > dead)
            dead = k->rec[r].last_change;
    sim_world_run_until(&w, dead + 14 * SIM_DAY - 1);
    ok(enf_zone_find_key(w.zone, old) != NULL, "dead key kept until Keys/Purge has passed");
    sim_world_run_until(&w, dead + 14 * SIM_DAY);
    ok(enf_zone_find_key(w.zone, old) == NULL, "purged exactly Keys/Purge after it died");
    int purged = 0;
    for (size_t i = 0; i < w.events.count; i++)
        purged |=
            w.events.ev[i].type == ENF_EV_KEY_PURGE && strcmp(w.events.ev[i].locator, locator) == 0;
    ok(purged, "the caller is told to delete it from the HSM (CKA_ID %s)", locator);
    ok(scn_valid(&w), "purge: every resolver validated");
    sim_world_free(&w);
}

static void test_lifetime_and_pool(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    sim_policy_key(&p, ENF_ROLE_KSK)->lifetime = SIM_HOUR; /* < DS TTL + Keys TTL */
    scn_world(&w, &p);
    w.keys_unavailable = 1;
    sim_world_run_until(&w, T0);
    ok(scn_has_event(&w.events, ENF_EV_LIFETIME, 0), "too short a lifetime is reported");
    ok(scn_has_event(&w.events, ENF_EV_NO_KEYS, 0), "an empty key pool is reported");
    for (size_t i = 0; i < w.events.count; i++)
        if (w.events.ev[i].type == ENF_EV_NO_KEYS)
            has_str(w.events.ev[i].text,
                    "No keys available in HSM for policy default, retry in 60 seconds",
                    "OpenDNSSEC's text");
    is_int(w.enf_next, T0 + 60, "and retried in 60 seconds");
    w.keys_unavailable = 0;
    sim_world_run_until(&w, T0 + 60);
    ok(scn_key(w.zone, ENF_ROLE_ZSK, 1) && !scn_key(w.zone, ENF_ROLE_KSK, 1),
       "then a ZSK, but never a KSK with that lifetime");
    sim_world_free(&w);
}

static void test_backup_gate(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    scn_world(&w, &p);
    w.backup_required = 1;
    sim_world_run_until(&w, T0 + 5 * SIM_DAY);
    const enf_key_t *k = scn_key(w.zone, ENF_ROLE_KSK, 1);
    ok(k && k->rec[ENF_REC_DNSKEY].state == ENF_RUMOURED, "key not backed up stays rumoured");
    is_int(enf_key_wait(k), ENF_WAIT_BACKUP, "key list says it waits for the backup");
    ok(scn_has_event(&w.events, ENF_EV_BACKUP, k->id), "and the run says so");
    for (size_t i = 0; i < w.zone->nkeys; i++)
        w.zone->keys[i].backup_required = 0; /* backup prepare + commit */
    ok(scn_settle(&w, 30 * SIM_DAY) && scn_valid(&w), "after the backup the zone settles");
    sim_world_free(&w);
}

static void test_unsigned(void)
{
    enf_policy_t p;
    sim_world_t w;
    sim_policy_default(&p, SIM_SPLIT);
    if (!ok(scn_established(&w, &p) == 0, "unsigned: zone established"))
        return;
    p.nkeys = 0;
    sim_world_set_policy(&w, &p);
    ok(scn_has_event(&w.events, ENF_EV_UNSIGNED, 0), "a policy without keys is reported");
    for (size_t i = 0; i < w.events.count; i++)
        if (w.events.ev[i].type == ENF_EV_UNSIGNED)
            is_str(w.events.ev[i].text,
                   "No keys configured for example.com, zone will become unsigned eventually",
                   "OpenDNSSEC's text");
    sim_world_run_until(&w, w.now + 60 * SIM_DAY);
    int alive = 0;
    for (size_t i = 0; i < w.zone->nkeys; i++)
        alive += !enf_key_is_dead(&w.zone->keys[i]);
    ok(alive == 0 && w.parent_ds.n == 0, "every key retired, the DS withdrawn: insecure");
    ok(scn_valid(&w), "unsigned: no resolver saw a bogus zone on the way");
    sim_world_free(&w);
}

int main(void)
{
    test_algorithm_rollover();
    test_ttl_shortening();
    test_manual_rollover();
    test_purge();
    test_lifetime_and_pool();
    test_backup_gate();
    test_unsigned();
    return tap_done();
}
