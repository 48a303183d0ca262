/*
 * internal.h -- the steps of enf_update(), shared between the engine's files.
 * Not for use outside enforcerd/engine/.
 */
#ifndef ODS_ENF_INTERNAL_H
#define ODS_ENF_INTERNAL_H

#include "engine/update.h"

/* minTime(): the earlier of t and *acc, ignoring negative values. */
static inline void enf_min_time(time_t t, time_t *acc)
{
    if (t >= 0 && (*acc < 0 || t < *acc))
        *acc = t;
}

/* Step 1 (updatePolicy). Sets *allow_unsigned when the policy has no keys. */
time_t enf_policy_update(const enf_policy_t *p, enf_zone_t *z, time_t now, enf_key_source_t *src,
                         enf_events_t *ev, int *allow_unsigned);

/* Step 2 (updateZone): the fix-point loop over every record of every key. */
time_t enf_zone_update(const enf_policy_t *p, enf_zone_t *z, time_t now, int allow_unsigned,
                       enf_events_t *ev);

/* Step 3 (removeDeadKeys), only when p->purge >= 0. */
time_t enf_purge(const enf_policy_t *p, enf_zone_t *z, time_t now, enf_events_t *ev);

/* 1 if key k belongs to policy key pk (role, algorithm, bits, repository). */
int enf_key_matches(const enf_key_t *k, const enf_policy_key_t *pk);

#endif
