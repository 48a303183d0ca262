/*
 * enf_store_hsmkey.h -- the HSM key pool in the database.
 *
 * Every key pair the enforcer generated (or adopted) has one row: where it
 * is (locator = CKA_ID in hex, repository), its shape (algorithm, bits), its
 * public key as DNSKEY RDATA with flags 256 (so key tags, DNSKEY and DS
 * records need no HSM access), its use and its backup state:
 *   UNUSED   in the pool, free to take;
 *   PRIVATE  used by one zone;
 *   SHARED   used by the zones of one policy (<ShareKeys/>);
 *   DELETE   no longer used (zone deleted); kept until `key purge --delete`.
 * Backup (RequireBackup repositories): NONE (not required), REQUIRED (not
 * backed up), REQUESTED (`backup prepare`), DONE (`backup commit`). Records of
 * a key in REQUIRED or REQUESTED may not become omnipresent.
 *
 * Thread-safety: as the store.
 */
#ifndef ENF_STORE_HSMKEY_H
#define ENF_STORE_HSMKEY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/model.h"
#include "enf_store.h"
#include "hsm/alg.h"

enum {
    ENF_HSMKEY_UNUSED = 0,
    ENF_HSMKEY_PRIVATE = 1,
    ENF_HSMKEY_SHARED = 2,
    ENF_HSMKEY_DELETE = 3,
};

enum {
    ENF_BACKUP_NONE = 0,
    ENF_BACKUP_REQUIRED = 1,
    ENF_BACKUP_REQUESTED = 2,
    ENF_BACKUP_DONE = 3,
};

typedef struct enf_hsmkey {
    int64_t id;
    char locator[ENF_LOCATOR_MAX];
    char repository[ENF_REPO_MAX];
    int algorithm;
    int bits;
    uint8_t pubkey[ODS_HSM_DNSKEY_MAX]; /* DNSKEY RDATA, flags 256 */
    size_t publen;                      /* 0: unknown (ask the HSM) */
    int state;                          /* ENF_HSMKEY_* */
    int64_t policy_id;                  /* 0: none */
    int role;                           /* role it was first used in; 0 while unused */
    int backup;                         /* ENF_BACKUP_* */
    time_t generated;
} enf_hsmkey_t;

/* Insert k (id ignored; set on success). */
int enf_store_hsmkey_insert(enf_store_t *s, enf_hsmkey_t *k, ods_err_t *err);

/* The key with this locator (case-insensitive). ODS_ENOTFOUND without a message. */
int enf_store_hsmkey_get(enf_store_t *s, const char *locator, enf_hsmkey_t *out, ods_err_t *err);

/* The oldest UNUSED key of this shape. ODS_ENOTFOUND without a message. */
int enf_store_hsmkey_take(enf_store_t *s, const char *repository, int algorithm, int bits,
                          enf_hsmkey_t *out, ods_err_t *err);

/* ShareKeys: SHARED keys of policy_id whose role covers `role`, of this shape,
 * that zone_id does not use, newest first; fn is called for each until it
 * returns non-zero (that value is returned; 0 when the list ran out). */
typedef int (*enf_hsmkey_iter_fn)(void *arg, const enf_hsmkey_t *k);
int enf_store_hsmkey_shared(enf_store_t *s, int64_t policy_id, int role, const char *repository,
                            int algorithm, int bits, int64_t zone_id, enf_hsmkey_iter_fn fn,
                            void *arg, ods_err_t *err);

/* Set a key's use. */
int enf_store_hsmkey_assign(enf_store_t *s, int64_t id, int state, int64_t policy_id, int role,
                            ods_err_t *err);

/* Number of keys in `state` (-1: any) of this shape (repository NULL, algorithm
 * or bits 0: any). */
int enf_store_hsmkey_count(enf_store_t *s, const char *repository, int algorithm, int bits,
                           int state, size_t *n, ods_err_t *err);

/* Number of zone keys using HSM key id. */
int enf_store_hsmkey_refs(enf_store_t *s, int64_t id, size_t *n, ods_err_t *err);

int enf_store_hsmkey_delete(enf_store_t *s, int64_t id, ods_err_t *err);

/* Mark PRIVATE and SHARED keys that no zone key uses any more as DELETE. */
int enf_store_hsmkey_release(enf_store_t *s, time_t now, ods_err_t *err);

/* Call fn for every key in `state` (-1: any) of policy_id (0: any policy), by id. */
int enf_store_hsmkey_foreach(enf_store_t *s, int state, int64_t policy_id, enf_hsmkey_iter_fn fn,
                             void *arg, ods_err_t *err);

/* Move the backup state of the keys of repository (NULL: all) from `from` to
 * `to`; *changed (may be NULL) receives how many. */
int enf_store_hsmkey_backup(enf_store_t *s, const char *repository, int from, int to,
                            size_t *changed, ods_err_t *err);

/* Key counts by backup state (counts[ENF_BACKUP_*]) of repository (NULL: all). */
int enf_store_hsmkey_backup_counts(enf_store_t *s, const char *repository, size_t counts[4],
                                   ods_err_t *err);

#endif
