/*
 * enf_keypool.h -- the pool of key pairs generated ahead of need.
 *
 * Keys are generated in the HSM by enf_keygen's threads and stored in the
 * pool (enf_store_hsmkey.h) in batches, one transaction each. The engine
 * takes its new keys from the pool through enf_keysrc_get: with
 * <ShareKeys/> a key another zone of the policy already uses (never one the
 * zone itself uses), otherwise the oldest unused key of the right shape.
 *
 * How many keys: unless conf.xml says <ManualKeyGeneration/>, the pool
 * covers every key the zones will start within AutomaticKeyGenerationPeriod
 * (each zone's next roll, then one per Lifetime; one set per policy with
 * ShareKeys), plus a few spare keys per key shape so that zones added one by
 * one find keys waiting; never more than a repository's Capacity. A zone
 * that finds no key asks for its keys at once (urgent) and is enforced again
 * as soon as they are there, instead of waiting for the 60 s retry.
 *
 * Backup: keys of a RequireBackup repository enter the pool as "backup
 * required"; the engine keeps their records from becoming omnipresent until
 * `backup prepare` and `backup commit`.
 *
 * Thread-safety: event loop only.
 */
#ifndef ENF_KEYPOOL_H
#define ENF_KEYPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/update.h"
#include "enf_daemon.h"
#include "enf_keygen.h"

/* Called when every key asked for has been generated (made) or has failed. */
typedef void (*enf_keypool_wait_fn)(enf_daemon_t *d, void *arg, size_t made, size_t failed);

int enf_keypool_new(enf_daemon_t *d, enf_keypool_t **out, ods_err_t *err);
void enf_keypool_free(enf_keypool_t *kp);

/* The key generator's done callback (arg: the daemon): store the keys. */
void enf_keypool_on_keys(void *arg, const enf_newkey_t *keys, size_t n);

/* The engine's key source for one zone. */
typedef struct enf_keysrc {
    enf_daemon_t *d;
    int64_t zone_id;
    int64_t policy_id;
    int starved; /* a key was asked for and none was there */
    int failed;  /* a database error (err) */
    ods_err_t err;
} enf_keysrc_t;

void enf_keysrc_init(enf_keysrc_t *ks, enf_daemon_t *d, int64_t zone_id, int64_t policy_id);
int enf_keysrc_get(void *ctx, const enf_policy_t *p, const enf_policy_key_t *pk,
                   const enf_zone_t *z, time_t now, enf_key_material_t *out);

/* Automatic generation: ask for what the pool lacks for the next
 * AutomaticKeyGenerationPeriod (nothing with ManualKeyGeneration). */
int enf_keypool_plan(enf_daemon_t *d, ods_err_t *err);

/* Plan soon (coalesced: at most once per loop turn). */
void enf_keypool_plan_soon(enf_daemon_t *d);

/* `key generate`: ask (urgently) for the keys policy index pi (-1: all)
 * needs for `period`; fn(arg) when they are made. *requested: how many
 * keys (0: nothing to do, fn is not called). */
int enf_keypool_generate(enf_daemon_t *d, int pi, time_t period, enf_keypool_wait_fn fn, void *arg,
                         size_t *requested, ods_err_t *err);

/* The keys a zone of policy index pi needs for its first enforcement: 1 if
 * they are being generated (fn is called when done), 0 if the pool has them
 * (or generation is manual: nothing is asked). */
int enf_keypool_ensure(enf_daemon_t *d, int pi, int64_t zone_id, enf_keypool_wait_fn fn, void *arg,
                       ods_err_t *err);

/* The key tag of a pool key in `role` (flags 257 for KSK/CSK, else 256), from
 * its stored public key or else from the HSM. */
int enf_keypool_keytag(enf_daemon_t *d, const char *locator, int algorithm, int role, uint16_t *tag,
                       ods_err_t *err);

/* The DNSKEY RDATA of a pool key with the flags of `role`. *len in/out. */
int enf_keypool_dnskey(enf_daemon_t *d, const char *locator, int algorithm, int role,
                       uint8_t *rdata, size_t *len, ods_err_t *err);

/* Delete from the HSM and the pool the key with this locator if no zone uses
 * it any more (after a purge). Its own transaction. */
int enf_keypool_drop(enf_daemon_t *d, const char *locator, ods_err_t *err);

/* Keys being generated for requests that wait (for `queue`). */
size_t enf_keypool_waiting(const enf_keypool_t *kp);

#endif
