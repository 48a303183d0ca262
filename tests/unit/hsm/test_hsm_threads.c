/*
 * Concurrent signing on a real SoftHSMv2 token: 2 and then 4 threads, each
 * with its own context, sharing one key object; every signature is verified
 * afterwards from the exported DNSKEY. The achieved rate is printed next to
 * the token's raw C_SignInit+C_Sign rate on a precomputed digest (same
 * threads, own sessions) as TAP diagnostics; no time is asserted.
 * ODS_HSM_TEST_SIGS sets the signatures per thread (default 300). Rates from a
 * sanitizer build are not representative (SoftHSM's allocations go through
 * ASan with full unwinding); measure with a plain build.
 */
#include "softhsm.h"
#include "tap.h"

#include "dnssec/verify.h"
#include "hsm/alg.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "hsm/sign.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 4

static fx_t fx;
static size_t per_thread = 300;

struct worker {
    ods_hsm_t *hsm;
    const ods_hsm_key_t *key;
    const char *locator;
    int algorithm;
    int id;
    bool raw; /* baseline: the module directly, no layer */
    pthread_barrier_t *barrier;
    uint8_t *sigs; /* per_thread * ODS_HSM_SIG_MAX */
    size_t *siglens;
    size_t done;
    int errors;
    char first_error[ODS_ERR_MSG_MAX];
    struct timespec t0, t1;
};

static size_t message(int thread, size_t i, uint8_t *buf)
{
    return (size_t)snprintf((char *)buf, 64, "thread %d message %zu", thread, i);
}

static void layer_loop(struct worker *w)
{
    ods_hsm_ctx_t *ctx = NULL;
    ods_err_t err = { 0 };
    uint8_t msg[64];
    int rc = ods_hsm_ctx_new(w->hsm, &ctx, &err);
    size_t len = sizeof(msg);
    /* one signature before the clock starts, so session opening is not timed */
    if (rc == ODS_OK) {
        size_t l = ODS_HSM_SIG_MAX;
        rc = ods_hsm_sign(ctx, w->key, w->algorithm, msg, 1, w->sigs, &l, &err);
    }
    pthread_barrier_wait(w->barrier);
    clock_gettime(CLOCK_MONOTONIC, &w->t0);
    for (size_t i = 0; rc == ODS_OK && i < per_thread; i++) {
        len = message(w->id, i, msg);
        w->siglens[i] = ODS_HSM_SIG_MAX;
        rc = ods_hsm_sign(ctx, w->key, w->algorithm, msg, len, w->sigs + i * ODS_HSM_SIG_MAX,
                          &w->siglens[i], &err);
        w->done += rc == ODS_OK;
    }
    clock_gettime(CLOCK_MONOTONIC, &w->t1);
    if (rc != ODS_OK) {
        w->errors++;
        snprintf(w->first_error, sizeof(w->first_error), "%s", err.msg);
    }
    ods_hsm_ctx_free(ctx);
}

/* The module directly: C_SignInit + C_Sign over a fixed SHA-256 digest. */
static void raw_loop(struct worker *w)
{
    CK_FUNCTION_LIST_PTR f = fx_p11(&fx);
    CK_SESSION_HANDLE s = fx_session(&fx, "speed");
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_BYTE id[16];
    for (size_t i = 0; i < 16; i++)
        sscanf(w->locator + 2 * i, "%2hhx", &id[i]);
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_ID, id, sizeof(id) } };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ULONG n = 0;
    f->C_FindObjectsInit(s, t, 2);
    f->C_FindObjects(s, &h, 1, &n);
    f->C_FindObjectsFinal(s);
    CK_BYTE digest[32] = { 1, 2, 3 }, sig[128];
    CK_MECHANISM mech = { CKM_ECDSA, NULL, 0 };
    pthread_barrier_wait(w->barrier);
    clock_gettime(CLOCK_MONOTONIC, &w->t0);
    for (size_t i = 0; i < per_thread; i++) {
        CK_ULONG len = sizeof(sig);
        digest[31] = (CK_BYTE)i;
        if (f->C_SignInit(s, &mech, h) != CKR_OK || f->C_Sign(s, digest, 32, sig, &len) != CKR_OK)
            w->errors++;
        else
            w->done++;
    }
    clock_gettime(CLOCK_MONOTONIC, &w->t1);
    f->C_CloseSession(s);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    if (w->raw)
        raw_loop(w);
    else
        layer_loop(w);
    return NULL;
}

static double seconds(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* Verify every signature the layer made from the DNSKEY (OpenSSL, not the HSM). */
static size_t verify_all(ods_hsm_t *hsm, struct worker *w, int nthreads)
{
    ods_hsm_ctx_t *ctx = NULL;
    uint8_t rdata[ODS_HSM_DNSKEY_MAX], msg[64];
    size_t rdlen = sizeof(rdata), good = 0;
    if (ods_hsm_ctx_new(hsm, &ctx, NULL) != ODS_OK ||
        ods_hsm_dnskey_rdata(ctx, w[0].key, w[0].algorithm, 256, rdata, &rdlen, NULL) != ODS_OK) {
        ods_hsm_ctx_free(ctx);
        return 0;
    }
    for (int t = 0; t < nthreads; t++)
        for (size_t i = 0; i < w[t].done; i++) {
            size_t len = message(w[t].id, i, msg);
            good += ods_verify_dnskey(rdata, rdlen, msg, len, w[t].sigs + i * ODS_HSM_SIG_MAX,
                                      w[t].siglens[i], NULL) == ODS_OK;
        }
    ods_hsm_ctx_free(ctx);
    return good;
}

/* Run nthreads workers; returns signatures per second, or 0 on failure. */
static double run(ods_hsm_t *hsm, const ods_hsm_key_t *key, const char *locator, int nthreads,
                  bool raw, size_t *verified)
{
    struct worker w[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
    int errors = 0;
    for (int t = 0; t < nthreads; t++) {
        w[t] = (struct worker){ .hsm = hsm,
                                .key = key,
                                .locator = locator,
                                .algorithm = 13,
                                .id = t,
                                .raw = raw,
                                .barrier = &barrier };
        w[t].sigs = malloc(per_thread * ODS_HSM_SIG_MAX);
        w[t].siglens = calloc(per_thread, sizeof(size_t));
        pthread_create(&tid[t], NULL, worker_main, &w[t]);
    }
    struct timespec start = { 0 }, end = { 0 };
    size_t done = 0;
    for (int t = 0; t < nthreads; t++) {
        pthread_join(tid[t], NULL);
        if (t == 0 || seconds(w[t].t0, start) > 0)
            start = w[t].t0;
        if (t == 0 || seconds(end, w[t].t1) > 0)
            end = w[t].t1;
        done += w[t].done;
        errors += w[t].errors;
        if (w[t].errors && w[t].first_error[0])
            tap_diag("thread %d: %s", t, w[t].first_error);
    }
    if (verified)
        *verified = raw ? 0 : verify_all(hsm, w, nthreads);
    for (int t = 0; t < nthreads; t++) {
        free(w[t].sigs);
        free(w[t].siglens);
    }
    pthread_barrier_destroy(&barrier);
    return errors || done == 0 ? 0 : (double)done / seconds(start, end);
}

static void test_threads(ods_hsm_t *hsm, const ods_hsm_key_t *key, const char *locator,
                         int nthreads)
{
    size_t verified = 0, want = per_thread * (size_t)nthreads;
    double ours = run(hsm, key, locator, nthreads, false, &verified);
    ok(ours > 0, "%d threads signed %zu messages with their own contexts", nthreads, want);
    ok(verified == want, "%d threads: all %zu signatures verify (%zu)", nthreads, want, verified);
    double raw = run(hsm, key, locator, nthreads, true, NULL);
    ok(raw > 0, "%d threads: raw C_Sign baseline ran", nthreads);
    tap_diag("%d threads: %.0f ECDSA P-256 signatures/s through the layer, %.0f/s raw "
             "C_SignInit+C_Sign on a fixed digest (%.0f%%)",
             nthreads, ours, raw, raw > 0 ? 100.0 * ours / raw : 0.0);
#ifdef __SANITIZE_ADDRESS__
    tap_diag("(sanitizer build: these rates are not representative)");
#endif
}

int main(void)
{
    const char *env = getenv("ODS_HSM_TEST_SIGS");
    if (env && atol(env) > 0)
        per_thread = (size_t)atol(env);
    if (fx_init(&fx, "threads", NULL) != 0 || fx_token(&fx, "speed", "1234") != 0)
        return ok(0, "fixture"), tap_done();
    ods_hsm_repo_spec_t spec = { "speed", fx.module, "speed", "1234", 0, 0, 0 };
    ods_hsm_t *hsm = NULL;
    ods_hsm_ctx_t *ctx = NULL;
    ods_hsm_key_t *key = NULL;
    ods_err_t err = { 0 };
    char locator[ODS_HSM_LOCATOR_LEN + 1];
    if (ok(ods_hsm_open(&spec, 1, &hsm, &err) == ODS_OK, "open (%s)", err.msg) &&
        ok(ods_hsm_ctx_new(hsm, &ctx, &err) == ODS_OK &&
               ods_hsm_generate(ctx, "speed", 13, 0, locator, &err) == ODS_OK &&
               ods_hsm_key_find(ctx, locator, &key, &err) == ODS_OK,
           "P-256 key (%s)", err.msg)) {
        test_threads(hsm, key, locator, 2);
        test_threads(hsm, key, locator, 4);
    }
    ods_hsm_key_free(key);
    ods_hsm_ctx_free(ctx);
    ods_hsm_close(hsm);
    fx_cleanup(&fx);
    return tap_done();
}
