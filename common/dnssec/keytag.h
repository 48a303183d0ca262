/*
 * keytag.h -- the DNSKEY key tag (RFC 4034 Appendix B). Pure, thread-safe.
 */
#ifndef ODS_DNSSEC_KEYTAG_H
#define ODS_DNSSEC_KEYTAG_H

#include <stddef.h>
#include <stdint.h>

/*
 * Key tag of a DNSKEY RDATA (flags, protocol, algorithm, public key); 0 for
 * RDATA shorter than 4 octets, or an RSAMD5 (algorithm 1) key without key
 * material.
 */
uint16_t ods_dnssec_keytag(const uint8_t *rdata, size_t len);

#endif
