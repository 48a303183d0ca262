/*
 * denial.h -- authenticated denial of existence for a zone: the NSEC chain
 * (RFC 4034 4, RFC 4035 2.3) or the NSEC3 chain (RFC 5155 7.1).
 *
 * NSEC: every authoritative name and every delegation owns one NSEC pointing
 * to the next such name in canonical order, the last back to the apex;
 * occluded names (glue, data below a DNAME) and empty non-terminals own none.
 * NSEC3: every authoritative name, every delegation and every empty
 * non-terminal has one NSEC3 at the hash of its name (insecure delegations
 * are left out with opt-out, and every NSEC3 then carries the opt-out flag).
 * TTL: the caller passes min(SOA TTL, SOA MINIMUM) (RFC 9077).
 *
 * Call after the apex RRsets (SOA, DNSKEY, NSEC3PARAM) are final, since the
 * apex bitmap lists them. Single-threaded over the zone.
 */
#ifndef ODS_DNS_DENIAL_H
#define ODS_DNS_DENIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dns/zone.h"
#include "dnssec/nsec3.h"

/* Build the NSEC chain (NSEC RRsets on the names), removing any NSEC3. */
int ods_denial_nsec(ods_zone_t *z, uint32_t ttl, ods_err_t *err);

/*
 * Build the NSEC3 chain with parameters p (p->flags ignored: optout decides),
 * removing any NSEC RRsets. hashes, if not NULL, holds the hash of each name
 * in z's canonical order (computed by the caller, e.g. on several threads,
 * with ods_denial_nsec3_hash_range); otherwise they are computed here.
 */
int ods_denial_nsec3(ods_zone_t *z, const ods_nsec3_params_t *p, bool optout, uint32_t ttl,
                     const uint8_t (*hashes)[20], ods_err_t *err);

/*
 * The NSEC3 chain of old, carried over to z, when the two have the same names
 * with the same flags and RRset types (only RDATA or TTLs changed): then the
 * chain is the same, record for record, and need not be hashed, sorted and
 * built again. Same parameters (salt, iterations, opt-out, TTL) assumed: the
 * caller knows. ODS_ENOTFOUND when the chain must be built (ods_denial_nsec3).
 */
int ods_denial_nsec3_carry(ods_zone_t *z, const ods_zone_t *old, ods_err_t *err);

/* Hash the names [from, to) of z into hashes[from..to) (thread-safe). */
int ods_denial_nsec3_hash_range(const ods_zone_t *z, const ods_nsec3_params_t *p, size_t from,
                                size_t to, uint8_t (*hashes)[20]);

/* True if the name owns an NSEC3 (see above). */
bool ods_denial_nsec3_covers(const ods_zname_t *n, bool optout);

#endif
