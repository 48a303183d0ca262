/*
 * sgn_check.h -- the signer's own validity check before it publishes a zone.
 *
 * A zone is published only if: the apex has an SOA and a DNSKEY RRset; for
 * every algorithm in the DNSKEY RRset, every authoritative RRset (at a
 * delegation only DS and NSEC; NSEC3 records too) has a signature of that
 * algorithm made by a key of the DNSKEY RRset; every signature is inside its
 * validity window now; every key the signer configuration makes active has
 * its signature on every RRset it covers (KSK role: the DNSKEY RRset; ZSK
 * role: the rest); delegation NS and glue carry none; and a sample of
 * signatures (the first of every key and RRset type, and every Nth)
 * verifies cryptographically against its DNSKEY. This is what stops a bogus
 * zone from ever reaching nsd (OpenDNSSEC's SUPPORT-229).
 */
#ifndef SGN_CHECK_H
#define SGN_CHECK_H

#include <stdint.h>

#include "dns/zone.h"
#include "sgn_keys.h"
#include "util/status.h"

typedef struct sgn_check_stats {
    size_t rrsets;   /* RRsets checked */
    size_t sigs;     /* signatures checked structurally */
    size_t verified; /* signatures verified cryptographically */
} sgn_check_stats_t;

/*
 * Check z at time now against the active keys of ks (may be NULL: skip that
 * part); err names the first problem and counts the rest.
 */
int sgn_check_zone(const ods_zone_t *z, uint32_t now, size_t verify_every, const sgn_keyset_t *ks,
                   sgn_check_stats_t *st, ods_err_t *err);

#endif
