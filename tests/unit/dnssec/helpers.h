/*
 * helpers.h -- shared helpers for the common/dnssec unit tests: a seeded
 * PRNG (the seed is printed so a failure can be replayed with
 * ODS_TEST_SEED=<seed>), random wire names, ldns conversions and OpenSSL key
 * generation and signing, used as references independent of the module.
 */
#ifndef ODS_TEST_DNSSEC_HELPERS_H
#define ODS_TEST_DNSSEC_HELPERS_H

#include <ldns/ldns.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

/* Seed from ODS_TEST_SEED or the clock; returns the seed used. */
uint64_t th_seed(void);
uint64_t th_rand(void);
unsigned th_below(unsigned n); /* uniform in [0, n) */

/*
 * A random valid wire name of at most maxlabels labels. Labels come from a
 * small pool of tricky octets (case pairs, '_' '[' '`' '{' between the
 * letter ranges, 0x00, 0xff, '.', '\\') so that equal labels, prefixes and
 * case-only differences are frequent. Returns the length.
 */
size_t th_random_name(uint8_t *out, unsigned maxlabels);

/* ldns DNAME rdf holding a copy of a wire name (caller frees). */
ldns_rdf *th_ldns_name(const uint8_t *wire);

/* ldns RR from wire parts (caller frees); NULL on error. */
ldns_rr *th_ldns_rr(const uint8_t *owner, uint16_t type, uint16_t rrclass, uint32_t ttl,
                    const uint8_t *rdata, size_t rdlen);

/* The RDATA of an ldns RR in wire format into out (outlen octets); returns length or 0. */
size_t th_ldns_rdata(const ldns_rr *rr, uint8_t *out, size_t outlen);

/* Generate a key for a DNSSEC algorithm (bits for RSA only); NULL on error. */
EVP_PKEY *th_keygen(uint8_t alg, unsigned bits);

/* DNSKEY RDATA for an OpenSSL key; returns length or 0. */
size_t th_dnskey_rdata(EVP_PKEY *key, uint16_t flags, uint8_t alg, uint8_t *out, size_t outlen);

/* A DNSSEC signature (r | s for ECDSA) over data; returns length or 0. */
size_t th_sign(EVP_PKEY *key, uint8_t alg, const uint8_t *data, size_t len, uint8_t *sig,
               size_t siglen);

/* Hex dump into a static buffer (single-threaded tests only). */
const char *th_hex(const uint8_t *p, size_t n);

#endif
