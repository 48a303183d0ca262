#include "sgn_pool.h"
#include "svc/signals.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SGN_BATCH 32

typedef struct sgn_job {
    struct sgn_job *next; /* in the pool's queue */
    size_t n;
    size_t next_item;
    size_t done;
    sgn_work_fn fn;
    void *arg;
    int rc;
    _Atomic int failed; /* read without the lock by working threads */
    ods_err_t err;
    ods_arena_t **arenas; /* one slot per thread */
    pthread_cond_t finished;
} sgn_job_t;

struct sgn_pool {
    pthread_mutex_t lock;
    pthread_cond_t work;
    sgn_job_t *head, *tail;
    bool stop;
    _Atomic int aborting; /* the daemon is stopping: fail the jobs in progress */
    int nthreads;
    int nctx; /* threads[0..nctx) have an HSM context */
    sgn_thread_t *threads;
    pthread_t *tids;
};

uint64_t sgn_thread_random(sgn_thread_t *t, uint64_t bound)
{
    /* xorshift64*: fast, per thread; jitter needs spread, not secrecy */
    t->rng ^= t->rng >> 12;
    t->rng ^= t->rng << 25;
    t->rng ^= t->rng >> 27;
    uint64_t r = t->rng * 2685821657736338717ull;
    return bound ? r % bound : r;
}

/* Take the next batch (lock held); rotates the queue for fairness. */
static sgn_job_t *pool_take(sgn_pool_t *p, size_t *from, size_t *to)
{
    sgn_job_t *j = p->head;
    if (j == NULL)
        return NULL;
    *from = j->next_item;
    *to = atomic_load(&j->failed) ? j->n : (j->n - *from > SGN_BATCH ? *from + SGN_BATCH : j->n);
    j->next_item = *to;
    p->head = j->next;
    if (p->head == NULL)
        p->tail = NULL;
    j->next = NULL;
    if (j->next_item < j->n) { /* back of the queue: the next batch goes to another job */
        if (p->tail)
            p->tail->next = j;
        else
            p->head = j;
        p->tail = j;
    }
    return j;
}

static void thread_batch(sgn_pool_t *p, sgn_thread_t *t, sgn_job_t *j, size_t from, size_t to)
{
    ods_err_t err;
    int rc = ODS_OK;
    if (!atomic_load(&j->failed) && j->arenas[t->index] == NULL) {
        j->arenas[t->index] = ods_arena_new(); /* only this thread touches its slot */
        if (j->arenas[t->index] == NULL)
            rc = ods_err_set(&err, ODS_ENOMEM, "out of memory");
    }
    t->arena = j->arenas[t->index];
    for (size_t i = from; rc == ODS_OK && i < to && !atomic_load(&j->failed); i++) {
        if (atomic_load(&p->aborting))
            rc = ods_err_set(&err, ODS_ESTATE, "the signer is stopping");
        else
            rc = j->fn(t, j->arg, i, &err);
    }
    pthread_mutex_lock(&p->lock);
    if (rc != ODS_OK && j->rc == ODS_OK) {
        j->rc = rc;
        j->err = err;
        atomic_store(&j->failed, 1);
    }
    j->done += to - from;
    if (j->done == j->n)
        pthread_cond_signal(&j->finished);
}

static void *thread_main(void *arg)
{
    sgn_thread_t *t = arg;
    sgn_pool_t *p = (sgn_pool_t *)t->arena;
    ods_svc_signals_mask_thread();
        /* signals belong to the event loop */ /* set by sgn_pool_new for the start */
    t->arena = NULL;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        size_t from, to;
        sgn_job_t *j = NULL;
        while (!p->stop && (j = pool_take(p, &from, &to)) == NULL)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stop)
            break;
        pthread_mutex_unlock(&p->lock);
        thread_batch(p, t, j, from, to); /* returns with the lock held */
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int sgn_pool_new(ods_hsm_t *hsm, int nthreads, sgn_pool_t **out, ods_err_t *err)
{
    if (nthreads < 1)
        nthreads = 1;
    sgn_pool_t *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    p->threads = calloc((size_t)nthreads, sizeof(*p->threads));
    p->tids = calloc((size_t)nthreads, sizeof(*p->tids));
    if (p->threads == NULL || p->tids == NULL) {
        sgn_pool_free(p);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < nthreads; i++) {
        sgn_thread_t *t = &p->threads[i];
        t->index = i;
        if (getrandom(&t->rng, sizeof(t->rng), 0) != sizeof(t->rng) || t->rng == 0)
            t->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)t;
        int rc = ods_hsm_ctx_new(hsm, &t->ctx, err);
        if (rc == ODS_OK)
            p->nctx = i + 1;
        if (rc != ODS_OK) {
            sgn_pool_free(p);
            return rc;
        }
        t->arena = (ods_arena_t *)p;
        if (pthread_create(&p->tids[i], NULL, thread_main, t) != 0) {
            t->arena = NULL;
            sgn_pool_free(p);
            return ods_err_set(err, ODS_ENOMEM, "cannot start signing thread %d", i);
        }
        p->nthreads = i + 1;
    }
    *out = p;
    return ODS_OK;
}

void sgn_pool_free(sgn_pool_t *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->tids[i], NULL);
    for (int i = 0; i < p->nctx; i++) {
        ods_hsm_ctx_free(p->threads[i].ctx);
        ods_buf_free(&p->threads[i].data);
    }
    free(p->threads);
    free(p->tids);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void sgn_pool_abort(sgn_pool_t *p)
{
    if (p != NULL)
        atomic_store(&p->aborting, 1);
}

int sgn_pool_size(const sgn_pool_t *p)
{
    return p->nthreads;
}

int sgn_pool_run(sgn_pool_t *p, size_t n, sgn_work_fn fn, void *arg, ods_arena_t ***arenas,
                 size_t *narenas, ods_err_t *err)
{
    sgn_job_t j;
    memset(&j, 0, sizeof(j));
    j.n = n;
    j.fn = fn;
    j.arg = arg;
    j.arenas = calloc((size_t)p->nthreads, sizeof(*j.arenas));
    if (j.arenas == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    pthread_cond_init(&j.finished, NULL);
    pthread_mutex_lock(&p->lock);
    if (n > 0) {
        if (p->tail)
            p->tail->next = &j;
        else
            p->head = &j;
        p->tail = &j;
        pthread_cond_broadcast(&p->work);
        while (j.done < j.n)
            pthread_cond_wait(&j.finished, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    pthread_cond_destroy(&j.finished);
    /* the arenas go to the caller even on failure: finished items point into them */
    *arenas = j.arenas;
    *narenas = (size_t)p->nthreads;
    if (j.rc != ODS_OK && err != NULL)
        *err = j.err;
    return j.rc;
}
