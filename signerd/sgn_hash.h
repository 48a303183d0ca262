/*
 * sgn_hash.h -- the NSEC3 hashes of a zone's names, made fast: a name that
 * the previous version of the zone already hashed with the same parameters
 * keeps its hash (a one-record change does not re-hash a million names), the
 * rest are hashed on the signing pool's threads.
 */
#ifndef SGN_HASH_H
#define SGN_HASH_H

#include <stdint.h>

#include "dns/zone.h"
#include "dnssec/nsec3.h"
#include "sgn_pool.h"

/*
 * *out: a malloc'd array with the hash of each name of z, in z's order.
 * old (may be NULL) must have been built with the same parameters p.
 * *reused counts the hashes taken from old.
 */
int sgn_nsec3_hashes(const ods_zone_t *z, const ods_zone_t *old, const ods_nsec3_params_t *p,
                     sgn_pool_t *pool, uint8_t (**out)[20], size_t *reused, ods_err_t *err);

#endif
