/*
 * enf_rr.h -- DNSKEY and DS records as text, for `key export`, the
 * DelegationSigner commands and the parent: one line per record,
 * "OWNER.\tTTL\tIN\tDNSKEY\tFLAGS 3 ALG BASE64" and
 * "OWNER.\tTTL\tIN\tDS\tKEYTAG ALG DIGESTTYPE HEX" (as ldns prints them).
 * Pure; thread-safe.
 */
#ifndef ENF_RR_H
#define ENF_RR_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

/* The wire form of a zone name ("example.com", "." for the root) into out
 * (256 bytes); its length, or 0 for an invalid name. */
size_t enf_rr_name_wire(const char *zone, uint8_t *out);

/* Append the DNSKEY record of RDATA rdata[0..len). */
int enf_rr_dnskey(const char *zone, uint32_t ttl, const uint8_t *rdata, size_t len, ods_buf_t *out);

/* Append the DS record (digest type ODS_DS_SHA1/ODS_DS_SHA256/...) of that DNSKEY. */
int enf_rr_ds(const char *zone, uint32_t ttl, const uint8_t *rdata, size_t len, uint8_t digest_type,
              ods_buf_t *out, ods_err_t *err);

#endif
