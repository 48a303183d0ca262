/*
 * rdtext.h -- presentation-format fields of master files to wire format.
 *
 * Fast, strict converters for the record types that make up nearly all of
 * real zones (A, AAAA, NS, CNAME, DNAME, PTR, MX, SRV, TXT, SPF, SOA, DS, CDS,
 * DNSKEY, CDNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM) and the RFC 3597 generic
 * form; other types are left to ldns by the caller (ODS_EMECH). Extra or
 * missing fields are errors. Pure and thread-safe.
 */
#ifndef ODS_DNS_RDTEXT_H
#define ODS_DNS_RDTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/zlex.h"
#include "util/buf.h"
#include "util/status.h"

/*
 * Parse a domain name token: "@" is origin, a name without a final
 * (unescaped) dot is relative to origin (origin may be NULL: then it is an
 * error). out needs 255 octets.
 */
int ods_dns_name_parse(const ods_ztoken_t *t, const uint8_t *origin, uint8_t *out, size_t *len,
                       ods_err_t *err);

/* A TTL: seconds, or BIND units ("1h30m", "2d", "1w"). Max 2^31-1. */
int ods_dns_ttl_parse(const ods_ztoken_t *t, uint32_t *ttl);

/* A record type mnemonic or TYPEnnn; ODS_ENOTFOUND if unknown. */
int ods_dns_type_parse(const ods_ztoken_t *t, uint16_t *type);

/*
 * Append the wire RDATA of type from tokens tok[0..n). ODS_EMECH when this
 * module does not handle the type (use a general parser); ODS_EPARSE with a
 * message otherwise.
 */
int ods_rdata_from_text(uint16_t type, const ods_ztoken_t *tok, size_t n, const uint8_t *origin,
                        ods_buf_t *out, ods_err_t *err);

/*
 * True if rd (len octets) is well-formed RDATA for type: every field ldns knows
 * for the type present (those that may be empty excepted), nothing left over,
 * embedded names valid and uncompressed. Always true for types ldns does not know.
 */
bool ods_rdata_wire_valid(uint16_t type, const uint8_t *rd, size_t len);

/* Decode base64 text of several tokens (white space between them allowed). */
int ods_base64_decode_tokens(const ods_ztoken_t *tok, size_t n, ods_buf_t *out);

#endif
