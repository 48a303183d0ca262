/*
 * pubkey.h -- export a key's public half as DNSKEY RDATA, and its key tag.
 *
 * The public key comes from the public key object (same CKA_ID). Without one
 * (SkipPublicKey) it comes from the private key: RSA private keys expose
 * CKA_MODULUS and CKA_PUBLIC_EXPONENT; for ECDSA/EdDSA keys the private key's
 * CKA_PUBLIC_KEY_INFO is used, which ods_hsm_generate fills in when
 * SkipPublicKey is set. EC keys made elsewhere with neither a public object
 * nor CKA_PUBLIC_KEY_INFO cannot be exported (ODS_ENOTFOUND).
 *
 * Each call looks the objects up again (C_FindObjects): export is for key
 * management, not for the signing path. Thread-safety as for the context.
 */
#ifndef ODS_HSM_PUBKEY_H
#define ODS_HSM_PUBKEY_H

#include "hsm/key.h"
#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Write the DNSKEY RDATA (flags, protocol 3, algorithm, public key in DNSSEC
 * form: RSA per RFC 3110, ECDSA x||y per RFC 6605, EdDSA per RFC 8080) to out,
 * capacity *outlen (ODS_HSM_DNSKEY_MAX always suffices); *outlen = its length.
 * The algorithm must fit the key (RSA key: 5, 7, 8 or 10; EC: its curve's).
 */
int ods_hsm_dnskey_rdata(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm,
                         uint16_t flags, uint8_t *out, size_t *outlen, ods_err_t *err);

/* The key tag (RFC 4034 appendix B) of the key's DNSKEY with these flags and algorithm. */
int ods_hsm_keytag(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm, uint16_t flags,
                   uint16_t *keytag, ods_err_t *err);

#endif
