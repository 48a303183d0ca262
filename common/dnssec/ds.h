/*
 * ds.h -- DS RDATA from a DNSKEY (RFC 4034 5.1.4, RFC 4509, RFC 6605).
 *
 * DS RDATA = key tag | algorithm | digest type | digest, where
 * digest = digest_type(lowered owner name || DNSKEY RDATA).
 * Digest types: 1 SHA-1, 2 SHA-256, 4 SHA-384 (3, GOST, is not supported).
 *
 * CDS and CDNSKEY (RFC 7344) carry exactly the same RDATA as DS and DNSKEY:
 * build a CDS RDATA with ods_ds_rdata and publish the DNSKEY RDATA as CDNSKEY.
 *
 * Pure and thread-safe; no allocation after the first call in a thread (see
 * digest.h).
 */
#ifndef ODS_DNSSEC_DS_H
#define ODS_DNSSEC_DS_H

#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

#define ODS_DS_SHA1   1
#define ODS_DS_SHA256 2
#define ODS_DS_SHA384 4

#define ODS_DS_RDATA_MAX (4 + 48) /* the longest DS RDATA we build */

/* Digest length for a DS digest type, 0 if unsupported. */
size_t ods_ds_digest_len(uint8_t digest_type);

/*
 * Build the DS RDATA for the DNSKEY RDATA dnskey (dnskey_len octets, at least
 * the 4 fixed octets and one octet of key) owned by the valid wire name
 * owner. out needs ODS_DS_RDATA_MAX octets; *outlen receives the length.
 * ODS_EMECH for an unsupported digest type, ODS_EINVAL for a short DNSKEY.
 */
int ods_ds_rdata(const uint8_t *owner, const uint8_t *dnskey, size_t dnskey_len,
                 uint8_t digest_type, uint8_t *out, size_t *outlen);

#endif
