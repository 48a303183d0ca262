/*
 * digest.h -- message digests for DS records and NSEC3 hashes, via OpenSSL 3.
 *
 * The digest implementations are fetched from OpenSSL once per process; each
 * thread keeps one reusable digest context (freed when the thread exits), so
 * a digest costs no allocation and no provider lookup after the first call in
 * a thread. Thread-safe.
 */
#ifndef ODS_DNSSEC_DIGEST_H
#define ODS_DNSSEC_DIGEST_H

#include "util/status.h"

#include <openssl/types.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ods_digest {
    ODS_DIGEST_NONE = 0, /* the algorithm hashes internally (EdDSA) */
    ODS_DIGEST_SHA1,
    ODS_DIGEST_SHA256,
    ODS_DIGEST_SHA384,
    ODS_DIGEST_SHA512,
} ods_digest_t;

#define ODS_DIGEST_MAX_LEN 64

/* Output length in octets (0 for ODS_DIGEST_NONE or an unknown value). */
size_t ods_digest_len(ods_digest_t d);

/*
 * The fetched OpenSSL implementation (owned by this module, valid for the life
 * of the process), or NULL for ODS_DIGEST_NONE, an unknown value or a digest
 * the OpenSSL configuration does not offer.
 */
const EVP_MD *ods_digest_evp(ods_digest_t d);

/*
 * out = d(a || b); b may be NULL when blen is 0. out needs ods_digest_len(d)
 * octets. Returns ODS_EMECH if the digest is unavailable, ODS_ENOMEM.
 */
int ods_digest2(ods_digest_t d, const void *a, size_t alen, const void *b, size_t blen,
                uint8_t *out);

#endif
