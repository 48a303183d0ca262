/*
 * rdprint.h -- wire-format RDATA to presentation format, for writing signed
 * zones. Our own code for the common types (fast, and the output is what
 * nsd, BIND, Knot and ldns read), ldns for the rest. Pure, thread-safe.
 */
#ifndef ODS_DNS_RDPRINT_H
#define ODS_DNS_RDPRINT_H

#include <stdint.h>

#include "util/buf.h"

/* Append the mnemonic of a type ("A", "TYPE65280"). */
int ods_type_append(ods_buf_t *out, uint16_t type);

/* Append the presentation form of one RDATA of the given type. */
int ods_rdata_append_text(ods_buf_t *out, uint16_t type, const uint8_t *rdata, uint16_t len);

/* The same with the owner already in presentation form (formatted once per name). */
int ods_rr_append_text_owner(ods_buf_t *out, const char *owner, size_t owner_len, uint32_t ttl,
                             uint16_t type, const uint8_t *rdata, uint16_t len);

/* Append one whole RR line: owner TTL IN TYPE RDATA and a newline. */
int ods_rr_append_text(ods_buf_t *out, const uint8_t *owner, uint32_t ttl, uint16_t type,
                       const uint8_t *rdata, uint16_t len);

#endif
