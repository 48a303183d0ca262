/*
 * sgn_workers.c -- the zone workers: take queued zones, run sgn_run on each
 * with the worker's own HSM context, hand the result back to the loop.
 */
#include "sgn_daemon.h"
#include "hsm/ctx.h"
#include "log/log.h"
#include "svc/signals.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct worker_arg {
    sgn_daemon_t *d;
    int index;
} worker_arg_t;

/* Pop the next queued zone (lock held); NULL when stopping. */
static sgn_slot_t *next_job(sgn_daemon_t *d)
{
    while (!d->stopping && d->qlen == 0)
        pthread_cond_wait(&d->jobs, &d->lock);
    if (d->stopping)
        return NULL;
    sgn_slot_t *s = d->queue[d->qhead];
    d->qhead = (d->qhead + 1) % d->qcap;
    d->qlen--;
    s->queued = false;
    s->busy = true;
    return s;
}

static void finish_job(sgn_daemon_t *d, sgn_slot_t *s, int rc, const ods_err_t *err,
                       const sgn_stats_t *st)
{
    pthread_mutex_lock(&d->lock);
    /* s stays busy until the loop has taken the result (take_result): queued
     * again before that, it could sit on the done list twice */
    s->last_rc = rc;
    s->last_run_at = ods_clock_now();
    if (rc == ODS_OK) {
        s->failures = 0;
        s->last_error[0] = '\0';
        s->last = *st;
    } else {
        s->failures++;
        snprintf(s->last_error, sizeof(s->last_error), "%s", err->msg);
    }
    s->next_done = d->done;
    d->done = s;
    pthread_mutex_unlock(&d->lock);
    char b = 1;
    ssize_t w = write(d->wake[1], &b, 1);
    (void)w;
}

static void *worker_main(void *p)
{
    worker_arg_t *wa = p;
    sgn_daemon_t *d = wa->d;
    ods_svc_signals_mask_thread(); /* signals belong to the event loop */
    ods_hsm_ctx_t *ctx = NULL;
    ods_err_t err;
    if (ods_hsm_ctx_new(d->hsm, &ctx, &err) != ODS_OK)
        ods_log_crit("worker %d: cannot open an HSM session: %s", wa->index, err.msg);
    pthread_mutex_lock(&d->lock);
    sgn_slot_t *s;
    while ((s = next_job(d)) != NULL) {
        sgn_run_opts_t o = { .force_read = s->force_read,
                             .forced_serial = s->forced_serial,
                             .serial = s->serial,
                             .notify_cmd = d->conf->signer.notify_cmd };
        bool clear = s->clear_pending;
        s->force_read = s->forced_serial = s->clear_pending = false;
        pthread_mutex_unlock(&d->lock);
        if (clear)
            sgn_zone_clear(s->zs);
        sgn_stats_t st;
        ods_err_clear(&err);
        int rc = ctx ? sgn_run(s->zs, &o, d->pool, ctx, &st, &err)
                     : ods_err_set(&err, ODS_ETRANSIENT, "no HSM session");
        finish_job(d, s, rc, &err, &st);
        pthread_mutex_lock(&d->lock);
    }
    pthread_mutex_unlock(&d->lock);
    ods_hsm_ctx_free(ctx);
    free(wa);
    return NULL;
}

int sgn_workers_start(sgn_daemon_t *d, ods_err_t *err)
{
    int n = d->conf->signer.worker_threads > 0 ? d->conf->signer.worker_threads : 4;
    d->workers = calloc((size_t)n, sizeof(*d->workers));
    if (d->workers == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        worker_arg_t *wa = malloc(sizeof(*wa));
        if (wa == NULL)
            return ods_err_set(err, ODS_ENOMEM, "out of memory");
        wa->d = d;
        wa->index = i;
        if (pthread_create(&d->workers[i], NULL, worker_main, wa) != 0) {
            free(wa);
            return ods_err_set(err, ODS_ENOMEM, "cannot start zone worker %d", i);
        }
        d->nworkers = i + 1;
    }
    return ODS_OK;
}

void sgn_workers_stop(sgn_daemon_t *d)
{
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_broadcast(&d->jobs);
    pthread_mutex_unlock(&d->lock);
    for (int i = 0; i < d->nworkers; i++)
        pthread_join(d->workers[i], NULL);
    d->nworkers = 0;
    free(d->workers);
    d->workers = NULL;
}
