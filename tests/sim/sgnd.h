/*
 * sgnd.h -- the signerd model's decisions for one RRset, as our signer makes
 * them (signerd/sgn_rrsign.h), behind an interface so that signerd's own code
 * can make them instead (sgnd_real.h) and be compared with the model.
 *
 * The rule (signerd/sgn_rrsign.h): a signature stays when its RRset is
 * unchanged, its key is in the signer configuration (found by key tag and
 * algorithm, unambiguously) and signs this type (<KSK/> for DNSKEY, <ZSK/>
 * for the rest), Refresh is not 0, its inception has passed and it expires
 * more than Refresh from now (32-bit serial arithmetic); one signature per
 * key is kept. Every other signature goes, and every signing key without one
 * gets a new one: inception now - InceptionOffset, expiration now + validity
 * (Keyset, or Default when Keyset is 0, for DNSKEY; Denial for NSEC and NSEC3;
 * Default otherwise) + uniform[-Jitter, +Jitter].
 * The model keeps signerd's limit too (SIM_SGND_MAX_KEYS), or lifts it
 * (max_keys 0) to show what signerd without it would do.
 */
#ifndef ODS_SIM_SGND_H
#define ODS_SIM_SGND_H

#include "world.h"

/* DNS types the simulated RRsets stand for. */
enum {
    SIM_T_A = 1,
    SIM_T_SOA = 6,
    SIM_T_NSEC = 47,
    SIM_T_DNSKEY = 48,
    SIM_T_NSEC3 = 50,
    SIM_T_NSEC3PARAM = 51,
};

/* signerd looks at the first 64 keys of a signer configuration only
 * (SGN_MAX_KEYS in sgn_rrsign.c): the others neither sign nor keep signatures. */
#define SIM_SGND_MAX_KEYS 64

/* OpenDNSSEC's default Signatures/InceptionOffset (the engine's policy has none). */
#define SIM_INCEPTION_OFFSET 3600

/* A key of the signer configuration, as the enforcer wrote it. */
typedef struct sim_sgnd_key {
    int64_t id;
    const char *locator; /* CKA_ID hex, as the engine's key has it */
    uint16_t flags;      /* DNSKEY flags: 257 for KSK and CSK, 256 for ZSK */
    uint16_t keytag;
    int algorithm;
    int publish, ksk, zsk;
} sim_sgnd_key_t;

/* One signing run's parameters (signerd's sgn_sigctx_t). */
typedef struct sim_sgnd_ctx {
    time_t now;
    time_t refresh, jitter, inception_offset;
    time_t val_default, val_denial, val_keyset;
    const sim_sgnd_key_t *keys; /* the signer configuration's keys, in its order */
    size_t nkeys;
    size_t max_keys; /* keys looked at: SIM_SGND_MAX_KEYS as signerd, 0 for all (the fix) */
} sim_sgnd_ctx_t;

typedef struct sim_sgnd_ops {
    const char *name;
    /* 1 if the RRset has a signature to drop or to make, 0 if not, -1 on error. */
    int (*needs_work)(void *impl, const sim_sgnd_ctx_t *c, const sim_rrset_t *rr);
    /* Bring the RRset's signatures up to date: 0, or -1 with a reason in why. */
    int (*sign)(void *impl, const sim_sgnd_ctx_t *c, sim_rrset_t *rr, char *why, size_t len);
    void *impl;
} sim_sgnd_ops_t;

/* The re-implementation (sgnd_plan.c); impl is the sim_rng_t for the jitter. */
int sim_sgnd_needs_work(void *rng, const sim_sgnd_ctx_t *c, const sim_rrset_t *rr);
int sim_sgnd_sign(void *rng, const sim_sgnd_ctx_t *c, sim_rrset_t *rr, char *why, size_t len);

/* The key of the configuration that made a signature (key tag and
 * algorithm), NULL if none or ambiguous. */
const sim_sgnd_key_t *sim_sgnd_find(const sim_sgnd_ctx_t *c, uint16_t keytag, int algorithm);

/* The validity a new signature over an RRset of type gets. */
time_t sim_sgnd_validity(const sim_sgnd_ctx_t *c, int type);

#endif
