/*
 * enf_policy.h -- the policies the enforcer works with: kasp.xml policies
 * (conf/kasp.h) as stored in the database, their engine form
 * (engine/model.h), `policy import` and the NSEC3 salt schedule.
 *
 * The daemon keeps every policy in memory (enf_policies_t), reloaded from
 * the store after each change; there are few of them.
 *
 * Ownership: enf_policies_load returns an object owned by the caller
 * (enf_policies_free). Thread-safety: none (event loop only).
 */
#ifndef ENF_POLICY_H
#define ENF_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/kasp.h"
#include "engine/model.h"
#include "enf_store.h"
#include "enf_store_policy.h"
#include "util/buf.h"

typedef struct enf_policies {
    enf_policy_rec_t *recs; /* stored policies, by name */
    enf_policy_t *eng;      /* eng[i]: the engine form of recs[i] */
    size_t n;
} enf_policies_t;

int enf_policies_load(enf_store_t *s, enf_policies_t **out, ods_err_t *err);
void enf_policies_free(enf_policies_t *ps);

/* Index of the policy with this name or id; -1 if none. */
int enf_policies_find(const enf_policies_t *ps, const char *name);
int enf_policies_find_id(const enf_policies_t *ps, int64_t id);

/* The engine form of a kasp.xml policy. ODS_EINVAL (err says why) when it
 * has more keys than the engine takes. */
int enf_policy_to_engine(const ods_policy_t *in, enf_policy_t *out, ods_err_t *err);

/* `policy import`: create or update every policy of kasp in the store
 * (inside the caller's transaction), appending OpenDNSSEC's lines to out:
 * "Created policy %s successfully", "Updated policy %s successfully",
 * "Policy %s already up-to-date"; with remove_missing, policies no longer in
 * kasp.xml are deleted if no zone uses them. *changed counts created or
 * updated policies. */
int enf_policy_import(enf_store_t *s, const ods_kasp_t *kasp, const enf_policies_t *cur,
                      int remove_missing, ods_buf_t *out, size_t *changed, ods_err_t *err);

/* The salt the policy needs now: 1 if a new random salt of *len octets must
 * be made (none yet, wrong length, or Resalt has passed), 2 if the salt must
 * be cleared (no NSEC3 or length 0 but a salt is stored), 0 if it is fine. */
int enf_policy_salt_due(const enf_policy_rec_t *r, time_t now, size_t *len);

/* When the policy's salt must next change (-1: never). */
time_t enf_policy_resalt_time(const enf_policy_rec_t *r);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void enf_hex(const uint8_t *bytes, size_t n, char *out);

#endif
