/*
 * enf_keypool.c -- the key pool: storing generated keys, waiters, public
 * keys and key tags, dropping keys no zone uses (see enf_keypool.h).
 */
#include "enf_keypool.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec/keytag.h"
#include "enf_keypool_internal.h"
#include "enf_store_hsmkey.h"
#include "enf_store_zone.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "log/log.h"
#include "util/clock.h"

int enf_keypool_new(enf_daemon_t *d, enf_keypool_t **out, ods_err_t *err)
{
    enf_keypool_t *kp = calloc(1, sizeof(*kp));
    if (!kp)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    kp->d = d;
    *out = kp;
    return ODS_OK;
}

void enf_keypool_free(enf_keypool_t *kp)
{
    if (!kp)
        return;
    while (kp->nwaiters > 0) { /* shutting down: let them answer */
        waiter_t w = kp->waiters[--kp->nwaiters];
        w.fn(kp->d, w.arg, w.made, w.failed + 1);
        free(w.reqs);
    }
    free(kp->waiters);
    if (kp->plan_ev)
        event_free(kp->plan_ev);
    free(kp);
}

size_t enf_keypool_waiting(const enf_keypool_t *kp)
{
    return kp->nwaiters;
}

/* ---- waiters ---- */

int enf_keypool_add_waiter(enf_keypool_t *kp, const uint64_t *reqs, size_t nreqs,
                           enf_keypool_wait_fn fn, void *arg)
{
    if (kp->nwaiters == kp->capwaiters) {
        size_t cap = kp->capwaiters ? kp->capwaiters * 2 : 8;
        waiter_t *nw = realloc(kp->waiters, cap * sizeof(*nw));
        if (!nw)
            return ODS_ENOMEM;
        kp->waiters = nw;
        kp->capwaiters = cap;
    }
    waiter_t *w = &kp->waiters[kp->nwaiters];
    memset(w, 0, sizeof(*w));
    if (!(w->reqs = malloc(nreqs * sizeof(*reqs))))
        return ODS_ENOMEM;
    memcpy(w->reqs, reqs, nreqs * sizeof(*reqs));
    w->nreqs = nreqs;
    w->fn = fn;
    w->arg = arg;
    kp->nwaiters++;
    return ODS_OK;
}

static void count_for_waiters(enf_keypool_t *kp, const enf_newkey_t *k)
{
    for (size_t i = 0; i < kp->nwaiters; i++)
        for (size_t j = 0; j < kp->waiters[i].nreqs; j++)
            if (kp->waiters[i].reqs[j] == k->request) {
                if (k->rc == ODS_OK)
                    kp->waiters[i].made++;
                else
                    kp->waiters[i].failed++;
            }
}

static int waiter_done(enf_daemon_t *d, const waiter_t *w)
{
    for (size_t j = 0; j < w->nreqs; j++)
        if (enf_keygen_left(d->keygen, w->reqs[j]) > 0)
            return 0;
    return 1;
}

/* Call (and remove) every waiter whose keys are all there. */
static void wake_waiters(enf_daemon_t *d)
{
    enf_keypool_t *kp = d->pool;
    size_t i = 0;
    while (i < kp->nwaiters) {
        if (!waiter_done(d, &kp->waiters[i])) {
            i++;
            continue;
        }
        waiter_t w = kp->waiters[i];
        kp->waiters[i] = kp->waiters[--kp->nwaiters];
        w.fn(d, w.arg, w.made, w.failed);
        free(w.reqs);
        i = 0; /* the callback may have changed the list */
    }
}

/* ---- storing generated keys ---- */

static int require_backup(enf_daemon_t *d, const char *repository)
{
    const ods_conf_repository_t *r = ods_conf_find_repository(d->conf, repository);
    return r && r->require_backup;
}

static int store_keys(enf_daemon_t *d, const enf_newkey_t *keys, size_t n, size_t *stored,
                      ods_err_t *err)
{
    int rc = enf_store_begin(d->store, err);
    time_t now = ods_clock_now();
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        if (keys[i].rc != ODS_OK)
            continue;
        enf_hsmkey_t hk;
        memset(&hk, 0, sizeof(hk));
        memcpy(hk.locator, keys[i].locator, sizeof(hk.locator));
        memcpy(hk.repository, keys[i].spec.repository, sizeof(hk.repository));
        hk.algorithm = keys[i].spec.algorithm;
        hk.bits = keys[i].spec.bits;
        memcpy(hk.pubkey, keys[i].pub, keys[i].publen);
        hk.publen = keys[i].publen;
        hk.state = ENF_HSMKEY_UNUSED;
        hk.backup = require_backup(d, hk.repository) ? ENF_BACKUP_REQUIRED : ENF_BACKUP_NONE;
        hk.generated = now;
        rc = enf_store_hsmkey_insert(d->store, &hk, err);
        (*stored)++;
    }
    if (rc == ODS_OK)
        rc = enf_store_exec(d->store, "UPDATE zones SET next_change = 0 WHERE waiting_keys = 1",
                            err);
    if (rc == ODS_OK)
        rc = enf_store_commit(d->store, err);
    else
        enf_store_rollback(d->store);
    return rc;
}

static void log_failures(enf_keypool_t *kp, const enf_newkey_t *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (keys[i].rc == ODS_OK)
            continue;
        if (keys[i].rc == ODS_EFULL)
            ods_log_error("Repository %s is full, cannot create more keys (algorithm %d, %d "
                          "bits): %s",
                          keys[i].spec.repository, keys[i].spec.algorithm, keys[i].spec.bits,
                          keys[i].err);
        else
            ods_log_error("key generation in repository %s failed: %s", keys[i].spec.repository,
                          keys[i].err);
        kp->failed_at = ods_clock_now();
    }
}

void enf_keypool_on_keys(void *arg, const enf_newkey_t *keys, size_t n)
{
    enf_daemon_t *d = arg;
    ods_err_t err;
    size_t stored = 0;
    log_failures(d->pool, keys, n);
    if (store_keys(d, keys, n, &stored, &err) != ODS_OK) {
        /* the keys are in the HSM but not in the pool: say which */
        ods_log_crit("cannot store %zu new keys in the database: %s", n, err.msg);
        for (size_t i = 0; i < n; i++)
            if (keys[i].rc == ODS_OK)
                ods_log_crit("orphaned HSM key %s in repository %s", keys[i].locator,
                             keys[i].spec.repository);
    } else {
        ods_log_info("%zu new key(s) stored in the key pool", stored);
    }
    for (size_t i = 0; i < n; i++)
        count_for_waiters(d->pool, &keys[i]);
    wake_waiters(d);
    enf_daemon_reschedule(d);
}

/* ---- public keys and key tags ---- */

static int pubkey_from_hsm(enf_daemon_t *d, const char *locator, int algorithm, uint16_t flags,
                           uint8_t *rdata, size_t *len, ods_err_t *err)
{
    if (!d->hsm_ctx)
        return ods_err_set(err, ODS_EHSM, "key %s: no HSM to read its public key from", locator);
    ods_hsm_key_t *key;
    int rc = ods_hsm_key_find(d->hsm_ctx, locator, &key, err);
    if (rc != ODS_OK)
        return rc;
    rc = ods_hsm_dnskey_rdata(d->hsm_ctx, key, algorithm, flags, rdata, len, err);
    ods_hsm_key_free(key);
    return rc;
}

int enf_keypool_dnskey(enf_daemon_t *d, const char *locator, int algorithm, int role,
                       uint8_t *rdata, size_t *len, ods_err_t *err)
{
    uint16_t flags = (role & ENF_ROLE_KSK) ? 257 : 256;
    enf_hsmkey_t *hk = malloc(sizeof(*hk));
    if (!hk)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = enf_store_hsmkey_get(d->store, locator, hk, err);
    if (rc == ODS_OK && hk->publen >= 4 && hk->publen <= *len) {
        memcpy(rdata, hk->pubkey, hk->publen);
        rdata[0] = (uint8_t)(flags >> 8);
        rdata[1] = (uint8_t)flags;
        *len = hk->publen;
    } else if (rc == ODS_OK || rc == ODS_ENOTFOUND) {
        rc = pubkey_from_hsm(d, locator, algorithm, flags, rdata, len, err);
    }
    free(hk);
    return rc;
}

int enf_keypool_keytag(enf_daemon_t *d, const char *locator, int algorithm, int role, uint16_t *tag,
                       ods_err_t *err)
{
    uint8_t rdata[ODS_HSM_DNSKEY_MAX];
    size_t len = sizeof(rdata);
    int rc = enf_keypool_dnskey(d, locator, algorithm, role, rdata, &len, err);
    if (rc == ODS_OK)
        *tag = ods_dnssec_keytag(rdata, len);
    return rc;
}

/* ---- dropping keys ---- */

int enf_keypool_drop(enf_daemon_t *d, const char *locator, ods_err_t *err)
{
    enf_hsmkey_t *hk = malloc(sizeof(*hk));
    size_t refs = 1;
    if (!hk)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = enf_store_hsmkey_get(d->store, locator, hk, err);
    if (rc == ODS_OK)
        rc = enf_store_hsmkey_refs(d->store, hk->id, &refs, err);
    if (rc != ODS_OK || refs > 0) {
        free(hk);
        return rc == ODS_ENOTFOUND ? ODS_OK : rc;
    }
    if (d->hsm_ctx) {
        ods_err_t herr;
        int hrc = ods_hsm_delete(d->hsm_ctx, locator, &herr);
        if (hrc != ODS_OK && hrc != ODS_ENOTFOUND) {
            ods_log_error("key %s could not be deleted from the HSM: %s", locator, herr.msg);
            rc = enf_store_hsmkey_assign(d->store, hk->id, ENF_HSMKEY_DELETE, hk->policy_id,
                                         hk->role, err);
            free(hk);
            return rc;
        }
    }
    rc = enf_store_hsmkey_delete(d->store, hk->id, err);
    if (rc == ODS_OK)
        ods_log_notice("key %s deleted from repository %s", locator, hk->repository);
    free(hk);
    return rc;
}
