/*
 * rdata.h -- canonical RDATA form and canonical RR order within an RRset
 * (RFC 4034 6.2 and 6.3, as corrected by RFC 6840 5.1; RFC 3597 7).
 *
 * Canonical RDATA is the uncompressed wire RDATA with the ASCII letters of
 * embedded domain names lowered, for these types only: NS, MD, MF, CNAME,
 * SOA, MB, MG, MR, PTR, MINFO, MX, RP, AFSDB, RT, SIG, PX, NXT, NAPTR, KX, SRV,
 * DNAME, A6 and RRSIG (HINFO is listed in RFC 4034 but holds no names). NSEC is
 * NOT in the list (RFC 6840 5.1: its Next Domain Name keeps its case), nor is
 * any type defined after RFC 3597 (RFC 3597 7). Lowering never changes the
 * length, so canonical RDATA is as long as the input.
 *
 * All functions are pure and thread-safe and never allocate.
 */
#ifndef ODS_DNSSEC_RDATA_H
#define ODS_DNSSEC_RDATA_H

#include "util/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if the canonical form of this type lowers names inside its RDATA. */
bool ods_rdata_type_lowers_names(uint16_t type);

/*
 * Write the canonical form of rdata (len octets, uncompressed wire format) to
 * out (len octets); out may be rdata itself (in-place). For the types listed
 * above the RDATA layout is checked: ODS_EINVAL if an embedded name is invalid
 * or the fields do not add up to len (out is then unspecified). Other types
 * are copied unchanged and always succeed.
 */
int ods_rdata_canonicalize(uint16_t type, const uint8_t *rdata, size_t len, uint8_t *out);

/*
 * Canonical RR order within an RRset (RFC 4034 6.3): canonical RDATA compared
 * as left-justified unsigned octet strings, a proper prefix first. Both
 * arguments must already be canonical. Returns <0, 0 or >0.
 */
int ods_rdata_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* A reference to one RDATA (not owned). */
typedef struct ods_rdata_ref {
    const uint8_t *data;
    uint16_t len;
} ods_rdata_ref_t;

/*
 * Sort n canonical RDATA references into canonical order and drop duplicates
 * (identical canonical RDATA, RFC 4034 6.3 and RFC 2181 5). Returns the new
 * count; refs[0..count) then holds the unique RDATA in order. In place, no
 * allocation; insertion sort below 16 entries (RRsets are mostly tiny and
 * often already sorted), heap sort above (O(n log n), no recursion).
 */
size_t ods_rdata_sort_unique(ods_rdata_ref_t *refs, size_t n);

#endif
