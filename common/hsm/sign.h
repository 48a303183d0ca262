/*
 * sign.h -- DNSSEC signatures made in the HSM, and random bytes from it.
 *
 * ods_hsm_sign is the signer's hot path: it digests in software (OpenSSL,
 * with the digests fetched once per ods_hsm_t and a digest context kept in
 * the ods_hsm_ctx_t), then calls C_SignInit and C_Sign on the context's own
 * session with the key's cached private-key handle. No C_FindObjects, no
 * allocation of ours, no lock of ours.
 *
 *   RSA (5, 7: SHA-1; 8: SHA-256; 10: SHA-512): DER DigestInfo || digest,
 *       CKM_RSA_PKCS; the signature is the modulus-sized PKCS #1 v1.5 block.
 *   ECDSA (13: SHA-256; 14: SHA-384): CKM_ECDSA over the digest; the result
 *       is r || s, each left-padded to 32 / 48 bytes (RFC 6605).
 *   EdDSA (15, 16): CKM_EDDSA over the whole data (RFC 8080); 64 / 114 bytes.
 *
 * Errors: ODS_EINVAL (algorithm does not fit the key, buffer too small),
 * ODS_ETRANSIENT (session lost and the retry after reopening failed: retry
 * later), ODS_ENOTFOUND (the key has gone from the token), ODS_EHSM.
 * Thread-safety: as for the context; the key may be shared by many contexts.
 */
#ifndef ODS_HSM_SIGN_H
#define ODS_HSM_SIGN_H

#include "hsm/key.h"
#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Sign data (for DNSSEC: the RRSIG RDATA prefix and the canonical RRset) with
 * key for algorithm. sig has capacity *siglen (ODS_HSM_SIG_MAX always
 * suffices); *siglen is set to the signature length.
 */
int ods_hsm_sign(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm, const uint8_t *data,
                 size_t len, uint8_t *sig, size_t *siglen, ods_err_t *err);

/* Fill buf with len random bytes from the first repository's token (C_GenerateRandom). */
int ods_hsm_random(ods_hsm_ctx_t *ctx, void *buf, size_t len, ods_err_t *err);

#endif
