/*
 * enf_walk.h -- read-only walks over the zones with their engine state,
 * for the commands that show keys (key list, key export, zone status,
 * rollover list). Event loop only.
 */
#ifndef ENF_WALK_H
#define ENF_WALK_H

#include "engine/model.h"
#include "enf_daemon.h"
#include "enf_store_zone.h"

/* Called per zone; pi is the zone's policy index (-1 if missing). A
 * non-zero return stops the walk and is returned. */
typedef int (*enf_walk_fn)(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z);

/* Walk one zone (name given: ODS_ENOTFOUND "Unable to find zone %s" when
 * unknown) or every zone (NULL), in name order. */
int enf_walk_zones(enf_daemon_t *d, const char *zone, enf_walk_fn fn, void *arg, ods_err_t *err);

/* The order keys are listed in: KSK, CSK, ZSK, then by inception. */
void enf_walk_sort_keys(enf_key_t **keys, size_t n);

/* For key_id of z: when its next record change will happen, from a
 * look-ahead la of the zone (engine/lookahead.h); -1 if none in sight. */
struct enf_lookahead;
time_t enf_walk_key_next(const struct enf_lookahead *la, int64_t key_id);

#endif
