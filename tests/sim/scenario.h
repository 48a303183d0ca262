/*
 * scenario.h -- helpers shared by the deterministic scenario tests.
 */
#ifndef ODS_SIM_SCENARIO_H
#define ODS_SIM_SCENARIO_H

#include "policies.h"
#include "world.h"

#define T0 ((time_t)1700000000)

/* The signer model the scenarios run with: ODS_SIM_SIGNER=ods|signerd|
 * signerd-asis (the meson tests set it), SIM_SIGNER_ODS by default. */
int scn_signer_model(void);

/* A world around zone example.com at T0 with scn_signer_model()'s signer,
 * where the operator and the parent act at once (no random delays). */
int scn_world(sim_world_t *w, const enf_policy_t *p);

/* The same with the signer model given (SIM_SIGNER_*). */
int scn_world_with(sim_world_t *w, const enf_policy_t *p, int signer_model);

/* The newest key of `role` whose goal is `introducing`, or NULL. */
const enf_key_t *scn_key(const enf_zone_t *z, int role, int introducing);

/* "DS;DNSKEY;RRSIGDNSKEY;RRSIG;publish;active" as `key list -d -p` prints it. */
const char *scn_states(const enf_key_t *k, char *buf, size_t len);

/* 1 if the world has not failed; otherwise prints the reason and the keys (as
 * TAP comments) and returns 0. Use as ok(scn_valid(w), "..."). */
int scn_valid(sim_world_t *w);

/* 1 if every introducing key is fully omnipresent (DS seen) and every other key dead. */
int scn_settled(const enf_zone_t *z);

/* Run until the zone has settled (checked daily) or `limit` seconds passed;
 * returns 1 if it settled. */
int scn_settle(sim_world_t *w, time_t limit);

/* A world as scn_world() whose zone has settled (first keys done); -1 on failure. */
int scn_established(sim_world_t *w, const enf_policy_t *p);

/* Fault injection: move a record of key `id` to `state` now, as a different
 * engine would (bypassing the rules), and let the world go on. */
void scn_force(sim_world_t *w, int64_t id, enf_rec_t rec, enf_state_t state);

/* 1 if ev has an event of `type` about key `id` (0: any key). */
int scn_has_event(const enf_events_t *ev, enf_event_type_t type, int64_t id);

/* signerd's rule on the world now (signerd models): every RRset carries
 * exactly one signature per key with <ZSK/>, and the DNSKEY RRset in memory
 * and as last published one per key with <KSK/>. 1 if so; otherwise 0 and
 * what differs in why. */
int scn_signerd_rule(const sim_world_t *w, char *why, size_t len);

#endif
