/* enf_keygen.c -- key generation threads (see enf_keygen.h). */
#include "enf_keygen.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hsm/ctx.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "log/log.h"
#include "svc/signals.h"

typedef struct job {
    enf_keyspec_t spec;
    uint64_t request;
    size_t left; /* keys not yet started */
    int urgent;
} job_t;

typedef struct request {
    uint64_t id;
    enf_keyspec_t spec;
    size_t undelivered;
} request_t;

struct enf_keygen {
    ods_hsm_t *hsm;
    enf_inbox_t *inbox;
    enf_keygen_done_fn done;
    void *arg;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stop;
    job_t *jobs; /* urgent ones first, each class in request order */
    size_t njobs, capjobs;
    request_t *reqs;
    size_t nreqs, capreqs;
    enf_newkey_t *results; /* made, not yet delivered */
    size_t nresults, capresults;
    uint64_t next_id;
    pthread_t *threads;
    int nthreads;
};

int enf_keyspec_equal(const enf_keyspec_t *a, const enf_keyspec_t *b)
{
    return a->algorithm == b->algorithm && a->bits == b->bits &&
           strcmp(a->repository, b->repository) == 0;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, ncap * size);
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}

/* ---- delivery (loop thread) ---- */

static void account(enf_keygen_t *g, uint64_t id)
{
    for (size_t i = 0; i < g->nreqs; i++) {
        if (g->reqs[i].id != id)
            continue;
        if (--g->reqs[i].undelivered == 0)
            g->reqs[i] = g->reqs[--g->nreqs];
        return;
    }
}

static void deliver(void *arg)
{
    enf_keygen_t *g = arg;
    pthread_mutex_lock(&g->lock);
    enf_newkey_t *res = g->results;
    size_t n = g->nresults;
    g->results = NULL;
    g->nresults = g->capresults = 0;
    for (size_t i = 0; i < n; i++)
        account(g, res[i].request);
    pthread_mutex_unlock(&g->lock);
    if (n)
        g->done(g->arg, res, n);
    free(res);
}

/* ---- workers ---- */

/* Failures worth another try (SoftHSMv2 sometimes answers CKR_GENERAL_ERROR
 * to concurrent generations); a full token or a bad shape is not. */
static int retryable(int rc)
{
    return rc == ODS_EHSM || rc == ODS_ETRANSIENT;
}

/* A short pause after failed try number tries (20 ms, 40 ms, ...), none after the last. */
static void pause_before_retry(int tries)
{
    struct timespec ts = { 0, (tries + 1) * 20 * 1000 * 1000 };
    if (tries + 1 < ENF_KEYGEN_TRIES)
        nanosleep(&ts, NULL);
}

static void make_key(ods_hsm_ctx_t *ctx, enf_newkey_t *k)
{
    ods_err_t err;
    ods_err_clear(&err);
    char loc[ODS_HSM_LOCATOR_LEN + 1];
    ods_hsm_key_t *key = NULL;
    for (int tries = 0; tries < ENF_KEYGEN_TRIES; tries++) {
        k->rc = ods_hsm_generate(ctx, k->spec.repository, k->spec.algorithm, (unsigned)k->spec.bits,
                                 loc, &err);
        if (!retryable(k->rc))
            break;
        pause_before_retry(tries);
    }
    if (k->rc != ODS_OK) {
        snprintf(k->err, sizeof(k->err), "%s", err.msg);
        return;
    }
    snprintf(k->locator, sizeof(k->locator), "%s", loc);
    /* The pair exists now; reading it back can meet the same concurrency trouble
     * (and a token that has not yet listed the new objects): retry that too. */
    for (int tries = 0; tries < ENF_KEYGEN_TRIES; tries++) {
        k->rc = ods_hsm_key_find(ctx, loc, &key, &err);
        if (k->rc == ODS_OK) {
            k->publen = sizeof(k->pub);
            k->rc =
                ods_hsm_dnskey_rdata(ctx, key, k->spec.algorithm, 256, k->pub, &k->publen, &err);
        }
        ods_hsm_key_free(key);
        key = NULL;
        if (k->rc == ODS_OK || (!retryable(k->rc) && k->rc != ODS_ENOTFOUND))
            break;
        pause_before_retry(tries);
    }
    if (k->rc != ODS_OK) {
        /* made but unusable: say which, so that it can be removed (odsctl hsm remove) */
        snprintf(k->err, sizeof(k->err), "%s (the key pair %s was made but cannot be read back)",
                 err.msg, loc);
    }
}

/* Take one key of the first job; 0 when told to stop. Called with the lock held. */
static int next_job(enf_keygen_t *g, enf_newkey_t *k)
{
    while (!g->stop && g->njobs == 0)
        pthread_cond_wait(&g->cond, &g->lock);
    if (g->stop)
        return 0;
    job_t *j = &g->jobs[0];
    memset(k, 0, sizeof(*k));
    k->spec = j->spec;
    k->request = j->request;
    if (--j->left == 0)
        memmove(&g->jobs[0], &g->jobs[1], --g->njobs * sizeof(*g->jobs));
    return 1;
}

static void hand_over(enf_keygen_t *g, const enf_newkey_t *k)
{
    pthread_mutex_lock(&g->lock);
    int post = g->nresults == 0;
    if (grow((void **)&g->results, &g->capresults, g->nresults, sizeof(*k)) == 0)
        g->results[g->nresults++] = *k;
    else
        account(g, k->request); /* lost for lack of memory: the planner asks again */
    pthread_mutex_unlock(&g->lock);
    if (post && enf_inbox_post(g->inbox, deliver, g) != ODS_OK)
        ods_log_error("key generation: cannot reach the event loop (out of memory)");
}

static void *worker(void *arg)
{
    enf_keygen_t *g = arg;
    ods_hsm_ctx_t *ctx = NULL;
    ods_svc_signals_mask_thread(); /* signals go to the loop */
    ods_err_t err;
    if (ods_hsm_ctx_new(g->hsm, &ctx, &err) != ODS_OK)
        ods_log_error("key generation thread: %s", err.msg);
    enf_newkey_t *k = malloc(sizeof(*k));
    pthread_mutex_lock(&g->lock);
    while (k && next_job(g, k)) {
        pthread_mutex_unlock(&g->lock);
        if (ctx) {
            make_key(ctx, k);
        } else {
            k->rc = ODS_EHSM;
            snprintf(k->err, sizeof(k->err), "no HSM context");
        }
        hand_over(g, k);
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    free(k);
    ods_hsm_ctx_free(ctx);
    return NULL;
}

/* ---- API ---- */

int enf_keygen_new(ods_hsm_t *hsm, int nthreads, enf_inbox_t *inbox, enf_keygen_done_fn done,
                   void *arg, enf_keygen_t **out, ods_err_t *err)
{
    enf_keygen_t *g = calloc(1, sizeof(*g));
    if (!g || !(g->threads = calloc((size_t)(nthreads > 0 ? nthreads : 1), sizeof(pthread_t)))) {
        free(g);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    g->hsm = hsm;
    g->inbox = inbox;
    g->done = done;
    g->arg = arg;
    g->next_id = 1;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    for (int i = 0; i < (nthreads > 0 ? nthreads : 1); i++) {
        if (pthread_create(&g->threads[i], NULL, worker, g) != 0) {
            enf_keygen_free(g);
            return ods_err_set(err, ODS_EIO, "cannot start key generation threads");
        }
        g->nthreads++;
    }
    *out = g;
    return ODS_OK;
}

void enf_keygen_free(enf_keygen_t *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stop = 1;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
    for (int i = 0; i < g->nthreads; i++)
        pthread_join(g->threads[i], NULL);
    enf_inbox_run(g->inbox); /* a delivery may be queued there */
    deliver(g);
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->lock);
    free(g->jobs);
    free(g->reqs);
    free(g->threads);
    free(g);
}

static int add_job(enf_keygen_t *g, const enf_keyspec_t *spec, size_t n, int urgent, uint64_t id)
{
    if (grow((void **)&g->jobs, &g->capjobs, g->njobs, sizeof(job_t)) != 0 ||
        grow((void **)&g->reqs, &g->capreqs, g->nreqs, sizeof(request_t)) != 0)
        return -1;
    size_t at = g->njobs;
    if (urgent)
        for (at = 0; at < g->njobs && g->jobs[at].urgent; at++)
            ;
    memmove(&g->jobs[at + 1], &g->jobs[at], (g->njobs - at) * sizeof(job_t));
    g->jobs[at] = (job_t){ .spec = *spec, .request = id, .left = n, .urgent = urgent };
    g->njobs++;
    g->reqs[g->nreqs++] = (request_t){ .id = id, .spec = *spec, .undelivered = n };
    return 0;
}

uint64_t enf_keygen_request(enf_keygen_t *g, const enf_keyspec_t *spec, size_t n, int urgent)
{
    if (n == 0)
        return 0;
    pthread_mutex_lock(&g->lock);
    uint64_t id = g->next_id++;
    if (add_job(g, spec, n, urgent, id) != 0)
        id = 0;
    else
        pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
    return id;
}

size_t enf_keygen_pending(enf_keygen_t *g, const enf_keyspec_t *spec)
{
    size_t n = 0;
    pthread_mutex_lock(&g->lock);
    for (size_t i = 0; i < g->nreqs; i++)
        if (!spec || enf_keyspec_equal(&g->reqs[i].spec, spec))
            n += g->reqs[i].undelivered;
    pthread_mutex_unlock(&g->lock);
    return n;
}

size_t enf_keygen_pending_all(enf_keygen_t *g)
{
    return enf_keygen_pending(g, NULL);
}

size_t enf_keygen_left(enf_keygen_t *g, uint64_t id)
{
    size_t n = 0;
    pthread_mutex_lock(&g->lock);
    for (size_t i = 0; i < g->nreqs; i++)
        if (g->reqs[i].id == id)
            n = g->reqs[i].undelivered;
    pthread_mutex_unlock(&g->lock);
    return n;
}
