/*
 * chaos.h -- random policies and random operator actions for test_random.c.
 *
 * chaos_policy() draws a policy: key layout (KSK+ZSK 60 %, CSK 30 %, KSK+ZSK
 * in two algorithms 10 %), algorithm 8 or 13, roll types, lifetimes,
 * ManualRollover, TTLs, propagation and registration delays, safety margins,
 * signature timings, NSEC or NSEC3, Purge.
 * chaos_action() does one thing an operator may do at any moment: an extra
 * enforcer run, a few hours without key material, `key rollover` of a role or
 * of all, an algorithm change, a key size or repository change, a TTL change,
 * a layout change (KSK+ZSK <-> CSK, adding or dropping a second algorithm), a
 * roll type change, a ManualRollover toggle.
 */
#ifndef ODS_SIM_CHAOS_H
#define ODS_SIM_CHAOS_H

#include "policies.h"
#include "world.h"

void chaos_policy(sim_rng_t *r, enf_policy_t *p);
void chaos_action(sim_world_t *w, sim_rng_t *r, int verbose);

#endif
