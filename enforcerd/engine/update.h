/*
 * update.h -- the enforcer's rule engine: one zone, one policy, one moment.
 *
 * enf_update() is OpenDNSSEC's update(): a pure function of the policy, the
 * zone's state, `now` and the key material the caller can supply. No I/O, no
 * clock, no database, no HSM. In order it
 *   1. applies the policy (updatePolicy): retires keys no policy key matches
 *      any more (algorithm, bits, repository or role changed), creates a key
 *      for every policy key that has none, whose newest key has reached its
 *      Lifetime (counted from inception), or whose role was rolled with
 *      enf_rollover() -- unless <ManualRollover/> -- and retires the key it
 *      replaces; refuses lifetimes shorter than DS TTL + Keys TTL (KSK) or
 *      MaxZoneTTL + Keys TTL (ZSK);
 *   2. moves records toward their goal, repeating until nothing can move:
 *      goal -> DS waits for operator -> policy order -> DNSSEC validity ->
 *      timing -> backup gate -> move (approval.h, timing.h, ds.h);
 *   3. purges keys dead for Keys/Purge (if the policy purges);
 * and returns the earliest time at which it can do more (-1: nothing is
 * scheduled; operator input or a policy change is needed). It never returns
 * a time at or before `now`.
 *
 * New key material comes from the caller's enf_key_source_t. In the daemon it
 * is the HSM key pool (which honours ShareKeys: a key of another zone of the
 * policy, never one this zone already uses); in tests it hands out fresh
 * identities. It returns ODS_OK and fills *out, or ODS_ENOTFOUND when no key
 * is available (the engine retries in ENF_NOKEY_RETRY seconds and reports
 * ENF_EV_NO_KEYS). out->bits and out->repository, when set, must be the
 * policy key's; out->id, when 0, is chosen by the engine (highest id in the
 * zone + 1).
 *
 * Not thread-safe: one zone at a time per thread; the policy is read-only.
 */
#ifndef ODS_ENF_UPDATE_H
#define ODS_ENF_UPDATE_H

#include "engine/events.h"
#include "engine/model.h"
#include "util/status.h"

#define ENF_NOKEY_RETRY  60 /* seconds until the next try when no key is available */
#define ENF_BACKUP_RETRY 60 /* seconds until the next try when a key is not backed up */

typedef struct enf_key_material {
    int64_t id; /* 0: let the engine choose */
    char locator[ENF_LOCATOR_MAX];
    char repository[ENF_REPO_MAX];
    int bits;
    uint16_t keytag; /* computed with the flags the key will have (257 for KSK/CSK) */
    int backup_required;
} enf_key_material_t;

typedef int (*enf_key_get_fn)(void *ctx, const enf_policy_t *p, const enf_policy_key_t *pk,
                              const enf_zone_t *z, time_t now, enf_key_material_t *out);

typedef struct enf_key_source {
    enf_key_get_fn get;
    void *ctx;
} enf_key_source_t;

/* Run the engine on zone z at time now. Events go to ev (may be NULL). Returns
 * the next time to run, or -1. On allocation failure ev->status is set and
 * the zone is left consistent (a move either happened or not). */
time_t enf_update(const enf_policy_t *p, enf_zone_t *z, time_t now, enf_key_source_t *src,
                  enf_events_t *ev);

/* `key rollover`: the next enf_update() replaces the keys of `role` (ENF_ROLE_KSK,
 * _ZSK or _CSK; 0 = every role of the policy). Returns the number of policy
 * keys that will roll, or ODS_ENOTFOUND when the policy has no key of that role. */
int enf_rollover(enf_zone_t *z, const enf_policy_t *p, int role, ods_err_t *err);

#endif
