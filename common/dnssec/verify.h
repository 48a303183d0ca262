/*
 * verify.h -- check a DNSSEC signature against a DNSKEY with OpenSSL 3.
 *
 * Supported: RSASHA1 (5), RSASHA1-NSEC3-SHA1 (7), RSASHA256 (8), RSASHA512
 * (10) with PKCS#1 v1.5; ECDSAP256SHA256 (13), ECDSAP384SHA384 (14), the
 * signature being r | s (RFC 6605); ED25519 (15), ED448 (16) (RFC 8080).
 *
 * The data is what the RRSIG covers (see rrsig.h: ods_rrsig_signed_data).
 * A verification key built once can check many signatures, from several
 * threads at once (it is never modified after ods_verify_key_new).
 *
 * Results: ODS_OK when the signature verifies; ODS_EZONE when it does not
 * (a bogus signature); ODS_EMECH for an algorithm this module does not
 * implement; ODS_EINVAL for a malformed DNSKEY (bad protocol, no Zone Key
 * flag, truncated RSA exponent, an RSA modulus below the algorithm's minimum
 * (512 bits, 1024 for RSASHA512: RFC 3110, RFC 5702), wrong EC / EdDSA key
 * length, a point not on the curve, ...);
 * ODS_ENOMEM. Failures fill err (may be NULL) with one line naming the key
 * tag and algorithm.
 */
#ifndef ODS_DNSSEC_VERIFY_H
#define ODS_DNSSEC_VERIFY_H

#include "util/status.h"

#include <openssl/types.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ods_verify_key ods_verify_key_t;

/*
 * Build an OpenSSL public key from DNSKEY RDATA (flags, protocol 3,
 * algorithm, public key). The caller owns *pkey (EVP_PKEY_free).
 */
int ods_verify_pkey_from_dnskey(const uint8_t *dnskey, size_t len, EVP_PKEY **pkey, ods_err_t *err);

/* A verification key from DNSKEY RDATA; free with ods_verify_key_free. */
int ods_verify_key_new(const uint8_t *dnskey, size_t len, ods_verify_key_t **key, ods_err_t *err);
void ods_verify_key_free(ods_verify_key_t *key); /* NULL is a no-op */

uint8_t ods_verify_key_algorithm(const ods_verify_key_t *key);
uint16_t ods_verify_key_tag(const ods_verify_key_t *key);

/* Check sig (siglen octets) over data (len octets). */
int ods_verify_key_check(const ods_verify_key_t *key, const uint8_t *data, size_t len,
                         const uint8_t *sig, size_t siglen, ods_err_t *err);

/* One-shot: ods_verify_key_new + ods_verify_key_check + ods_verify_key_free. */
int ods_verify_dnskey(const uint8_t *dnskey, size_t dnskey_len, const uint8_t *data, size_t len,
                      const uint8_t *sig, size_t siglen, ods_err_t *err);

#endif
