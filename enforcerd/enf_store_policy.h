/*
 * enf_store_policy.h -- policies in the database: every value of a kasp.xml
 * policy (so `policy export` gives back what was imported) and the NSEC3
 * salt currently in use with the time it was made.
 *
 * Ownership: records returned by enf_store_policy_load_all belong to the
 * caller (enf_policy_rec_free_all). Thread-safety: as the store.
 */
#ifndef ENF_STORE_POLICY_H
#define ENF_STORE_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/kasp.h"
#include "conf/signconf.h"
#include "enf_store.h"

#define ENF_SALT_HEX_MAX (2 * ODS_SIGNCONF_MAX_SALT + 1)

typedef struct enf_policy_rec {
    int64_t id;
    ods_policy_t pol;            /* owned strings; pol.src is NULL */
    char salt[ENF_SALT_HEX_MAX]; /* lower-case hex, "" for none */
    time_t salt_last_change;
} enf_policy_rec_t;

/* Every policy, ordered by name. *recs is NULL when *n is 0. */
int enf_store_policy_load_all(enf_store_t *s, enf_policy_rec_t **recs, size_t *n, ods_err_t *err);

/* Free n records and the array. */
void enf_policy_rec_free_all(enf_policy_rec_t *recs, size_t n);

/* Insert the policy, or update the one with its name (keeping its salt); *id
 * (may be NULL) receives its id. Within the caller's transaction. */
int enf_store_policy_put(enf_store_t *s, const ods_policy_t *p, int64_t *id, ods_err_t *err);

/* Delete a policy (its zones must be gone: ODS_EDB otherwise). */
int enf_store_policy_delete(enf_store_t *s, int64_t id, ods_err_t *err);

/* Record a new salt. */
int enf_store_policy_set_salt(enf_store_t *s, int64_t id, const char *salt_hex, time_t when,
                              ods_err_t *err);

/* A deep copy of a policy (strings and keys; src is not copied). ODS_ENOMEM. */
int enf_policy_copy(const ods_policy_t *in, ods_policy_t *out);

#endif
