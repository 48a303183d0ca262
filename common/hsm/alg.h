/*
 * alg.h -- the DNSSEC algorithms the HSM layer can generate keys for and sign
 * with: RSASHA1 (5), RSASHA1-NSEC3-SHA1 (7), RSASHA256 (8), RSASHA512 (10),
 * ECDSAP256SHA256 (13), ECDSAP384SHA384 (14), ED25519 (15), ED448 (16).
 * Pure tables; thread-safe.
 */
#ifndef ODS_HSM_ALG_H
#define ODS_HSM_ALG_H

#include <stdbool.h>

/* Key families. */
enum ods_hsm_family {
    ODS_HSM_FAMILY_UNKNOWN = 0,
    ODS_HSM_RSA = 1,
    ODS_HSM_ECDSA = 2,
    ODS_HSM_EDDSA = 3,
};

/* Largest signature (RSA 8192) and DNSKEY RDATA the layer produces. */
#define ODS_HSM_SIG_MAX    1024
#define ODS_HSM_DNSKEY_MAX (4 + 3 + 8 + 1024)

/* RSA modulus sizes accepted for key generation. */
#define ODS_HSM_RSA_MIN_BITS 1024
#define ODS_HSM_RSA_MAX_BITS 4096

/* True if the layer knows the algorithm. */
bool ods_hsm_alg_known(int algorithm);

/* Mnemonic ("RSASHA256", "ECDSAP256SHA256", "ED448"), or NULL when unknown. */
const char *ods_hsm_alg_name(int algorithm);

/* The algorithm's key family, ODS_HSM_FAMILY_UNKNOWN when unknown. */
int ods_hsm_alg_family(int algorithm);

/* "RSA", "ECDSA", "EdDSA" or "unknown". */
const char *ods_hsm_family_name(int family);

#endif
