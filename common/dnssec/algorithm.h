/*
 * algorithm.h -- the DNSSEC algorithm table (IANA "DNS Security Algorithm
 * Numbers", RFC 8624 implementation guidance).
 *
 * Entries are static and constant: pointers stay valid for the life of the
 * process. Thread-safe.
 */
#ifndef ODS_DNSSEC_ALGORITHM_H
#define ODS_DNSSEC_ALGORITHM_H

#include "dnssec/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ods_keytype {
    ODS_KEYTYPE_OTHER = 0, /* DSA, GOST, ...: not implemented */
    ODS_KEYTYPE_RSA,       /* RFC 3110 public key, PKCS#1 v1.5 signatures */
    ODS_KEYTYPE_ECDSA,     /* RFC 6605: x | y public key, r | s signature */
    ODS_KEYTYPE_EDDSA,     /* RFC 8080: raw public key and signature */
} ods_keytype_t;

typedef struct ods_algorithm {
    uint8_t number;
    const char *mnemonic; /* IANA mnemonic: "RSASHA256", "ECDSAP256SHA256", ... */
    ods_keytype_t keytype;
    ods_digest_t digest; /* applied to the signed data; NONE for EdDSA */
    const char *curve;   /* OpenSSL group or key type name; NULL for RSA */
    uint16_t min_bits;   /* key size: RSA modulus bits; the curve size otherwise */
    uint16_t max_bits;
    uint16_t default_bits;
    uint16_t pubkey_len; /* DNSKEY public key octets; 0 for RSA (variable) */
    uint16_t sig_len;    /* signature octets; 0 for RSA (modulus length) */
    bool nsec3;          /* may be used in an NSEC3 zone (not 1, 3 or 5; RFC 5155 2) */
    bool can_sign;       /* we create keys and signatures with it */
    bool can_verify;     /* verify.h checks its signatures */
    bool deprecated;     /* RFC 8624: signing NOT RECOMMENDED or MUST NOT */
} ods_algorithm_t;

/* The entry for an algorithm number, NULL if unknown. */
const ods_algorithm_t *ods_algorithm_by_number(uint8_t number);

/*
 * The entry for a mnemonic (case-insensitive) or a decimal number ("13"),
 * NULL if unknown.
 */
const ods_algorithm_t *ods_algorithm_by_name(const char *name);

/* The whole table, in increasing number order; *n receives its size. */
const ods_algorithm_t *ods_algorithm_list(size_t *n);

/*
 * Signature length in octets for a key of key_bits bits: sig_len, or
 * (key_bits + 7) / 8 for RSA.
 */
size_t ods_algorithm_sig_len(const ods_algorithm_t *a, unsigned key_bits);

#endif
