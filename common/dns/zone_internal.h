/* zone_internal.h -- what the zone's own files share (not for other modules). */
#ifndef ODS_DNS_ZONE_INTERNAL_H
#define ODS_DNS_ZONE_INTERNAL_H

#include "dns/zone.h"

struct ods_zone {
    uint8_t apex[255];
    ods_arena_t *arena;
    ods_arena_t **extra; /* adopted arenas (per-thread signature storage) */
    size_t nextra;
    size_t extra_cap;
    ods_zname_t **names; /* canonical order */
    size_t nnames;
    ods_znsec3_t *nsec3;
    size_t nnsec3;
};

/* Build an RRset blob from references (sorted, deduplicated); returns count. */
int ods_zone_build_rrset(ods_zone_t *z, ods_rrset_t *s, uint16_t type, uint32_t ttl,
                         const uint8_t *const *rdatas, const uint16_t *rdlens, size_t count);

/* Mark apex, delegations, DNAMEs and occluded names (names sorted). */
void ods_zone_classify(ods_zone_t *z);

#endif
