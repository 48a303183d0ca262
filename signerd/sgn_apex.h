/*
 * sgn_apex.h -- the records the signer owns at the zone apex: the SOA (new
 * serial, TTL and MINIMUM from the signer configuration), the DNSKEY RRset
 * (published keys, plus DNSKEYs the input already had that are not ours)
 * and NSEC3PARAM.
 */
#ifndef SGN_APEX_H
#define SGN_APEX_H

#include <stdint.h>

#include "conf/signconf.h"
#include "dns/zone.h"
#include "sgn_keys.h"

/* The serial of the zone's SOA (input or current). */
int sgn_apex_serial(const ods_zone_t *z, uint32_t *serial);

/* Rewrite the apex SOA with serial, TTL and MINIMUM. */
int sgn_apex_set_soa(ods_zone_t *z, uint32_t serial, uint32_t ttl, uint32_t minimum,
                     ods_err_t *err);

/*
 * The DNSKEY RRset: every published key of ks, plus the DNSKEYs of input
 * (the apex DNSKEYs of the input zone, may be NULL) that are not ours.
 */
int sgn_apex_set_dnskeys(ods_zone_t *z, const sgn_keyset_t *ks, const ods_rrset_t *input,
                         uint32_t ttl, ods_err_t *err);

/* NSEC3PARAM from the signer configuration (removed for NSEC zones). */
int sgn_apex_set_nsec3param(ods_zone_t *z, const ods_signconf_t *sc, ods_err_t *err);

#endif
