/*
 * sgnd_real.h -- the signerd model's decisions made by signerd's own code
 * (sgn_core: sgn_keyset_load, sgn_rrset_needs_work, sgn_rrset_sign) on a
 * real HSM token, so that the simulation runs our signer's logic itself and
 * checks the re-implementation (sgnd_plan.c) against it at every RRset.
 *
 * Every simulated key is a real key pair generated in the token (install
 * sim_sgnd_real_keygen as the world's key source, so the engine's keys carry
 * real locators and key tags; RSA keys get 1024 bits whatever the policy
 * says, to keep generation fast: the signer does not look at sizes). On each
 * change of the signer configuration's keys or flags, an ods_signconf_t with
 * those keys is built and loaded with sgn_keyset_load, as signerd does when
 * the signconf file changes. Each RRset becomes an ods_rrset_t of its type
 * with one fixed RDATA and its signatures' fields; sgn_rrset_sign signs in
 * the token and the new signatures' fields are read back from their RDATA.
 * The key of a new signature is the next key, in signconf order, with its
 * key tag and algorithm that signs the type (new signatures are appended in
 * that order).
 *
 * Not thread-safe: one world at a time.
 */
#ifndef ODS_SIM_SGND_REAL_H
#define ODS_SIM_SGND_REAL_H

#include "sgnd.h"

typedef struct sim_sgnd_real sim_sgnd_real_t;

/* Open the token (module path, token label, user PIN) as repository
 * "sim"; 0, or -1 with a reason in why. */
int sim_sgnd_real_new(const char *module, const char *token, const char *pin, sim_sgnd_real_t **out,
                      char *why, size_t len);
void sim_sgnd_real_free(sim_sgnd_real_t *r);

/* The decisions, named "signerd's sgn_rrsign.c"; owned by r. */
const sim_sgnd_ops_t *sim_sgnd_real_ops(sim_sgnd_real_t *r);

/* A sim_keygen_fn (world.h); ctx is the sim_sgnd_real_t. */
int sim_sgnd_real_keygen(void *ctx, int role, int algorithm, char *locator, size_t len,
                         uint16_t *keytag, char *why, size_t whylen);

/* Forget the cached key set (before a new world). */
void sim_sgnd_real_reset(sim_sgnd_real_t *r);

typedef struct sim_sgnd_real_stats {
    long keys, keyset_loads, needs_work_calls, signatures;
} sim_sgnd_real_stats_t;

void sim_sgnd_real_stats(const sim_sgnd_real_t *r, sim_sgnd_real_stats_t *st);

#endif
