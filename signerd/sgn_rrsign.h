/*
 * sgn_rrsign.h -- sign one RRset: decide which signatures stay and make the
 * missing ones in the HSM.
 *
 * A signature stays when its RRset is unchanged, it was made by a key of the
 * signer configuration that still signs this type (KSK role for DNSKEY, ZSK
 * role for the rest), its inception has passed and it expires more than
 * Refresh from now. Every other signature goes (keys that stopped signing
 * lose theirs at once: the enforcer only stops a key's signatures once
 * another key's cover the zone). Then every signing key without a signature
 * gets a new one: inception now - InceptionOffset, expiration now + validity
 * (Keyset for DNSKEY, Denial for NSEC/NSEC3, Default otherwise) + a random
 * jitter in [-Jitter, +Jitter].
 *
 * Called from the signing threads; each call touches only its own RRset.
 */
#ifndef SGN_RRSIGN_H
#define SGN_RRSIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "dns/zone.h"
#include "sgn_keys.h"
#include "sgn_pool.h"

typedef struct sgn_sigctx {
    const uint8_t *apex;
    const sgn_keyset_t *keys;
    uint32_t now;
    uint32_t refresh;
    uint32_t inception_offset;
    uint32_t jitter;
    uint32_t val_default;
    uint32_t val_denial;
    uint32_t val_keyset;
} sgn_sigctx_t;

/* True if sig may be reused for an RRset of type that is unchanged. */
bool sgn_sig_fresh(const sgn_sigctx_t *c, const ods_rrsig_t *sig, uint16_t type);

/* Does the RRset need any work (a signature to drop or to make)? */
bool sgn_rrset_needs_work(const sgn_sigctx_t *c, const ods_rrset_t *s);

/*
 * Bring the RRset's signatures up to date (see above). *nnew and *nreused
 * are increased by the signatures made and kept.
 */
int sgn_rrset_sign(sgn_thread_t *t, const sgn_sigctx_t *c, const uint8_t *owner, ods_rrset_t *s,
                   unsigned *nnew, unsigned *nreused, ods_err_t *err);

#endif
