/*
 * rrsig.h -- RRSIG RDATA and the data an RRSIG signs (RFC 4034 3.1.8.1).
 *
 * The signed data is
 *     RRSIG RDATA without the signature (signer's name lowered)
 *  || for each RR of the RRset, in canonical order, duplicates removed:
 *         owner | type | class | original TTL | RDLENGTH | canonical RDATA
 * where the owner is lowered and, when the RRSIG Labels field is smaller than
 * the owner's label count (a wildcard expansion), replaced by "*." followed by
 * the rightmost Labels labels of the owner (RFC 4035 5.3.2).
 *
 * Functions append to a caller-owned ods_buf_t: reusing one buffer per thread
 * (ods_buf_reset between RRsets) makes building the data allocation-free once
 * the buffer has grown. On failure the buffer's length is what it was before
 * the call. Names must be valid wire names (see name.h). Pure, thread-safe
 * (one buffer per thread).
 */
#ifndef ODS_DNSSEC_RRSIG_H
#define ODS_DNSSEC_RRSIG_H

#include "util/buf.h"
#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

#define ODS_RRSIG_FIXED_LEN 18 /* octets before the signer's name */

/* The RRSIG RDATA fields other than the signature. */
typedef struct ods_rrsig_fields {
    uint16_t type_covered;
    uint8_t algorithm;
    uint8_t labels;        /* usually ods_name_rrsig_labels(owner) */
    uint32_t original_ttl; /* the RRset's TTL */
    uint32_t expiration;   /* seconds since the epoch, modulo 2^32 */
    uint32_t inception;
    uint16_t key_tag;
    const uint8_t *signer; /* wire name of the zone apex; not owned */
} ods_rrsig_fields_t;

/*
 * Append the RRSIG RDATA prefix: the 18 fixed octets and the signer's name,
 * lowered (its canonical form). ODS_ENOMEM.
 */
int ods_rrsig_append_prefix(ods_buf_t *out, const ods_rrsig_fields_t *f);

/*
 * Append the RR part of the signed data for the RRset (owner, type, class)
 * with n RDATA (rdatas[i], rdlens[i] octets, uncompressed wire format, in any
 * order): this function canonicalizes, sorts and removes duplicates itself.
 * labels is the RRSIG Labels field and ttl the original TTL. The buffer also
 * serves as scratch space for the sort, so it may grow to about twice the
 * size of the result. ODS_EINVAL if n is 0, labels exceeds the owner's
 * label count or an RDATA is malformed for its type (see rdata.h); ODS_ENOMEM.
 */
int ods_rrsig_append_rrset(ods_buf_t *out, const uint8_t *owner, uint8_t labels, uint16_t type,
                           uint16_t rrclass, uint32_t ttl, const uint8_t *const *rdatas,
                           const uint16_t *rdlens, size_t n);

/*
 * Append the complete signed data: ods_rrsig_append_prefix(f), then
 * ods_rrsig_append_rrset with f->type_covered, f->labels and f->original_ttl.
 */
int ods_rrsig_signed_data(ods_buf_t *out, const ods_rrsig_fields_t *f, const uint8_t *owner,
                          uint16_t rrclass, const uint8_t *const *rdatas, const uint16_t *rdlens,
                          size_t n);

/*
 * Append a complete RRSIG RDATA: the prefix as above (signer's name lowered,
 * so the published RDATA is exactly what was signed) followed by the
 * signature. ODS_EINVAL for an empty signature, ODS_ENOMEM.
 */
int ods_rrsig_rdata(ods_buf_t *out, const ods_rrsig_fields_t *f, const uint8_t *sig, size_t siglen);

/*
 * Split an RRSIG RDATA into its fields and signature; f->signer and *sig
 * point into rdata. ODS_EINVAL if it is truncated, the signer's name is
 * invalid or the signature is empty.
 */
int ods_rrsig_parse(const uint8_t *rdata, size_t len, ods_rrsig_fields_t *f, const uint8_t **sig,
                    size_t *siglen);

#endif
