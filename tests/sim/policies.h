/*
 * policies.h -- policies for the simulations: OpenDNSSEC's default kasp.xml
 * numbers, in the key layouts the tests need.
 */
#ifndef ODS_SIM_POLICIES_H
#define ODS_SIM_POLICIES_H

#include "engine/engine.h"

#define SIM_HOUR 3600
#define SIM_DAY  86400

enum { SIM_SPLIT, SIM_CSK };

/* The default policy: KSK (alg 8, 2048, 1 year) + ZSK (alg 8, 1024, 90 days),
 * or one CSK (alg 13, 256, 1 year); default roll types. */
void sim_policy_default(enf_policy_t *p, int layout);

/* The policy key of a role, or NULL. */
enf_policy_key_t *sim_policy_key(enf_policy_t *p, int role);

/* Set the algorithm (and a matching key size) of every policy key. */
void sim_policy_set_algorithm(enf_policy_t *p, int algorithm);

#endif
