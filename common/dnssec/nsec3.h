/*
 * nsec3.h -- NSEC3 hashing and records (RFC 5155), base32hex (RFC 4648 7).
 *
 * Hash algorithm 1 (SHA-1) is the only one defined:
 *     IH(salt, x, 0) = H(x || salt);  IH(salt, x, k) = H(IH(salt, x, k-1) || salt)
 * and the hash of a name is IH(salt, lowered wire name, iterations).
 * RFC 9276 recommends 0 extra iterations and an empty salt.
 *
 * Pure and thread-safe; no allocation (the digest context is per thread, see
 * digest.h), except the ods_buf_t appends, which grow the caller's buffer.
 */
#ifndef ODS_DNSSEC_NSEC3_H
#define ODS_DNSSEC_NSEC3_H

#include "util/buf.h"
#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

#define ODS_NSEC3_SHA1        1  /* the only NSEC3 hash algorithm */
#define ODS_NSEC3_HASH_LEN    20 /* SHA-1 output */
#define ODS_NSEC3_B32_LEN     32 /* base32hex of a 20-octet hash */
#define ODS_NSEC3_FLAG_OPTOUT 0x01

/* NSEC3 / NSEC3PARAM parameters; salt is not owned. */
typedef struct ods_nsec3_params {
    uint8_t algorithm; /* ODS_NSEC3_SHA1 */
    uint8_t flags;     /* ODS_NSEC3_FLAG_OPTOUT in NSEC3; 0 in NSEC3PARAM */
    uint16_t iterations;
    uint8_t salt_len;
    const uint8_t *salt;
} ods_nsec3_params_t;

/*
 * Hash the valid wire name with p's algorithm, iterations and salt (flags
 * ignored) into out[ODS_NSEC3_HASH_LEN]. The name is lowered first.
 * ODS_EMECH for an algorithm other than 1.
 */
int ods_nsec3_hash(const uint8_t *name, const ods_nsec3_params_t *p, uint8_t *out);

/*
 * Base32hex without padding, lower-case output: writes
 * ods_base32hex_len(inlen) characters and a NUL to out; outlen must exceed
 * that (ODS_EINVAL otherwise).
 */
size_t ods_base32hex_len(size_t inlen);
int ods_base32hex_encode(const uint8_t *in, size_t inlen, char *out, size_t outlen);

/*
 * Decode inlen characters of unpadded base32hex (either case) into out
 * (outlen octets available); *written receives the octet count. ODS_EINVAL
 * for a character outside the alphabet, padding, an impossible length
 * (inlen % 8 of 1, 3 or 6) or non-zero unused trailing bits; ODS_EINVAL
 * also if out is too small.
 */
int ods_base32hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen,
                         size_t *written);

/*
 * The hashed owner name: one label, the base32hex of hash (hash_len octets,
 * at most 63 characters once encoded), followed by the valid wire name zone.
 * out needs ODS_NAME_MAX_LEN octets; *outlen receives the length. ODS_EINVAL
 * if the result would exceed 255 octets or the label 63.
 */
int ods_nsec3_owner(const uint8_t *hash, size_t hash_len, const uint8_t *zone, uint8_t *out,
                    size_t *outlen);

/*
 * Append an NSEC3 RDATA: algorithm, flags, iterations, salt length, salt,
 * hash length, next hashed owner (raw hash octets, not base32), type bitmap
 * (already encoded, see bitmap.h; may be empty). ODS_EINVAL if next_len is 0
 * or over 255; ODS_ENOMEM. The buffer is unchanged on failure.
 */
int ods_nsec3_rdata(ods_buf_t *out, const ods_nsec3_params_t *p, const uint8_t *next_hash,
                    size_t next_len, const uint8_t *bitmap, size_t bitmap_len);

/* Append an NSEC3PARAM RDATA (algorithm, flags, iterations, salt). ODS_ENOMEM. */
int ods_nsec3param_rdata(ods_buf_t *out, const ods_nsec3_params_t *p);

/*
 * Parse the parameters at the start of an NSEC3 or NSEC3PARAM RDATA;
 * p->salt points into rdata. For NSEC3, *rest (may be NULL) receives the
 * offset of the hash length octet. ODS_EINVAL if truncated.
 */
int ods_nsec3param_parse(const uint8_t *rdata, size_t len, ods_nsec3_params_t *p, size_t *rest);

#endif
