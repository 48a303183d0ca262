/*
 * enf_store_zone.h -- zones in the database: the zone list (name, policy,
 * signer configuration and adapters), the time each zone must be enforced
 * next (indexed), and the engine's state of a zone: its keys, their four
 * records and the change numbers the validity rules reason on.
 *
 * enf_store_zone_load reads a zone's whole state in three queries;
 * enf_store_zone_save writes back only what differs from the copy loaded
 * (rows of changed keys and records), inside the caller's transaction.
 *
 * Ownership: enf_zone_info_t strings belong to the struct
 * (enf_zone_info_clear); zones from enf_store_zone_load to the caller
 * (enf_zone_free). Thread-safety: as the store.
 */
#ifndef ENF_STORE_ZONE_H
#define ENF_STORE_ZONE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/model.h"
#include "enf_store.h"

typedef struct enf_zone_info {
    int64_t id;
    char name[ENF_NAME_MAX];
    int64_t policy_id;
    char *signconf; /* SignerConfiguration path */
    int input_type; /* ODS_ADAPTER_* */
    char *input;
    int output_type;
    char *output;
    int suspended;       /* not enforced until `enforce --zone` */
    int waiting_keys;    /* the last run found no key material */
    time_t next_change;  /* -1: nothing scheduled */
    time_t next_roll[4]; /* by role (1 KSK, 2 ZSK, 3 CSK): the next automatic roll, 0 never */
} enf_zone_info_t;

void enf_zone_info_clear(enf_zone_info_t *zi);

/* Insert a zone (id and waiting_keys ignored; next_roll: when each role
 * first needs a key, normally now); zi->id is set. */
int enf_store_zone_insert(enf_store_t *s, enf_zone_info_t *zi, ods_err_t *err);

/* Change the policy, paths, adapters and suspended flag of zone zi->id. */
int enf_store_zone_update_info(enf_store_t *s, const enf_zone_info_t *zi, ods_err_t *err);

/* Look a zone up by name or id. ODS_ENOTFOUND (no message) when there is none. */
int enf_store_zone_get(enf_store_t *s, const char *name, enf_zone_info_t *out, ods_err_t *err);
int enf_store_zone_get_id(enf_store_t *s, int64_t id, enf_zone_info_t *out, ods_err_t *err);

/* Delete a zone with its keys and their states. */
int enf_store_zone_delete(enf_store_t *s, int64_t id, ods_err_t *err);

/* Call fn for every zone (of policy_id, or all when 0) in name order; a
 * non-zero return from fn stops the walk and is returned. */
typedef int (*enf_zone_iter_fn)(void *arg, const enf_zone_info_t *zi);
int enf_store_zone_foreach(enf_store_t *s, int64_t policy_id, enf_zone_iter_fn fn, void *arg,
                           ods_err_t *err);

/* Number of zones of policy_id (all when 0). */
int enf_store_zone_count(enf_store_t *s, int64_t policy_id, size_t *n, ods_err_t *err);

/* Ids of at most max zones due at `now` (next_change in [0, now], not
 * suspended), earliest first. *ids is malloc'ed (NULL when *n is 0). */
int enf_store_zone_due(enf_store_t *s, time_t now, size_t max, int64_t **ids, size_t *n,
                       ods_err_t *err);

/* The earliest next_change >= 0 of a zone that is not suspended; -1 if none. */
int enf_store_zone_next(enf_store_t *s, time_t *t, ods_err_t *err);

/* Set next_change of one zone, or (id 0) of every zone of policy_id (every zone when 0). */
int enf_store_zone_set_next(enf_store_t *s, int64_t id, int64_t policy_id, time_t t,
                            ods_err_t *err);

/* Make every zone that has no key yet (and is not suspended) due at t: new
 * zones wait for their first keys with nothing scheduled. */
int enf_store_zone_due_keyless(enf_store_t *s, time_t t, ods_err_t *err);

/* Mark zone id as (not) waiting for key material. */
int enf_store_zone_set_waiting(enf_store_t *s, int64_t id, int waiting, ods_err_t *err);

/* The engine state of zone id (named name): zone fields, keys with their
 * locator, repository and backup state from the key pool, records. */
int enf_store_zone_load(enf_store_t *s, int64_t id, const char *name, enf_zone_t **out,
                        ods_err_t *err);

/* Write z back; before is the state loaded (NULL: write every key). New keys
 * must name a locator present in the key pool. */
int enf_store_zone_save(enf_store_t *s, int64_t id, const enf_zone_t *z, const enf_zone_t *before,
                        ods_err_t *err);

/* Ids of the zones of policy_id (all when 0), by name. */
int enf_store_zone_ids(enf_store_t *s, int64_t policy_id, int64_t **ids, size_t *n, ods_err_t *err);

/* Ids of the zones with a key whose ds_at_parent is in mask (bit per
 * enf_dsp_t). *ids is malloc'ed (NULL when *n is 0). */
int enf_store_zones_with_ds(enf_store_t *s, unsigned mask, int64_t **ids, size_t *n,
                            ods_err_t *err);

/* The largest key id in the database (0 when there are none). */
int enf_store_key_max_id(enf_store_t *s, int64_t *max, ods_err_t *err);

#endif
