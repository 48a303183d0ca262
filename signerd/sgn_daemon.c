/*
 * sgn_daemon.c -- the signer's event loop: schedule zones, queue them for
 * the workers, take their results back, answer waiting clients.
 */
#include "sgn_daemon.h"
#include "hsm/hsm.h"
#include "log/log.h"
#include "util/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Retry a failed zone after 60 s, doubling up to the Resign interval. */
static time_t retry_delay(const sgn_slot_t *s)
{
    time_t delay = 60;
    for (int i = 1; i < s->failures && delay < 86400; i++)
        delay *= 2;
    time_t resign = s->zs->sc && s->zs->sc->resign > 0 ? (time_t)s->zs->sc->resign : 7200;
    return delay < resign ? delay : resign;
}

void sgn_stats_log(const sgn_zone_t *zs, const sgn_stats_t *st)
{
    double rate = st->t_sign > 0 ? st->sig_new / st->t_sign : 0;
    ods_log_notice("[STATS] %s %" PRIu32
                   " RR[count=%zu time=%.2f(sec)] %s[count=%zu time=%.2f(sec)] "
                   "RRSIG[new=%u reused=%u time=%.2f(sec) avg=%.0f(sig/sec)] TOTAL[time=%.2f(sec)] "
                   "CHECK[time=%.2f(sec)] WRITE[time=%.2f(sec)] MEM[%zuMB]",
                   zs->name, st->serial, st->rrsets, st->t_read, st->nsec3 ? "NSEC3" : "NSEC",
                   st->denial, st->t_denial, st->sig_new, st->sig_reused, st->t_sign, rate,
                   st->t_total, st->t_check, st->t_write, st->memory >> 20);
}

/* Queue a slot for the workers (lock held). */
static void enqueue(sgn_daemon_t *d, sgn_slot_t *s)
{
    if (s->queued || s->busy || s->removed)
        return;
    if (d->qlen == d->qcap) {
        size_t cap = d->qcap ? d->qcap * 2 : 64;
        sgn_slot_t **q = malloc(cap * sizeof(*q));
        if (q == NULL)
            return; /* stays scheduled: the timer tries again */
        for (size_t i = 0; i < d->qlen; i++)
            q[i] = d->queue[(d->qhead + i) % d->qcap];
        free(d->queue);
        d->queue = q;
        d->qcap = cap;
        d->qhead = 0;
    }
    d->queue[(d->qhead + d->qlen) % d->qcap] = s;
    d->qlen++;
    s->queued = true;
    s->next_run = 0;
    pthread_cond_signal(&d->jobs);
}

void sgn_daemon_schedule(sgn_daemon_t *d, sgn_slot_t *s, time_t t)
{
    pthread_mutex_lock(&d->lock);
    if (!s->queued && !s->busy)
        s->next_run = t == 0 ? ods_clock_now() : t;
    else if (s->busy && t == 0)
        s->next_run = ods_clock_now(); /* again right after the current run */
    pthread_mutex_unlock(&d->lock);
    sgn_daemon_rearm(d);
}

/* Queue every zone that is due; returns the earliest future time (0: none). */
static time_t dispatch_due(sgn_daemon_t *d)
{
    time_t now = ods_clock_now(), next = 0;
    pthread_mutex_lock(&d->lock);
    for (size_t i = 0; i < d->nslots; i++) {
        sgn_slot_t *s = d->slots[i];
        if (s->next_run == 0 || s->busy || s->queued)
            continue;
        if (s->next_run <= now && !d->stopping)
            enqueue(d, s);
        else if (next == 0 || s->next_run < next)
            next = s->next_run;
    }
    pthread_mutex_unlock(&d->lock);
    return next;
}

void sgn_daemon_rearm(sgn_daemon_t *d)
{
    time_t next = dispatch_due(d);
    event_del(d->timer);
    if (next == 0)
        return;
    time_t now = ods_clock_now();
    struct timeval tv = { next > now ? next - now : 0, 0 };
    if (tv.tv_sec > 3600)
        tv.tv_sec = 3600; /* the clock may be moved (time leap): look again hourly */
    event_add(d->timer, &tv);
}

void on_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    sgn_daemon_rearm(arg);
}

/* Answer the clients of `sign --wait` for a finished slot (loop thread). */
static void answer_waiters(sgn_slot_t *s, ods_ctl_conn_t **w, int n, int rc, const char *msg)
{
    for (int i = 0; i < n; i++) {
        if (rc == ODS_OK)
            ods_ctl_printf(w[i],
                           "Zone %s signed: serial %" PRIu32 ", %u new and %u reused "
                           "signatures.\n",
                           s->zs->name, s->last.serial, s->last.sig_new, s->last.sig_reused);
        else
            ods_ctl_eprintf(w[i], "Error: zone %s: %s\n", s->zs->name, msg);
        ods_ctl_finish(w[i], rc == ODS_OK ? 0 : 1);
    }
}

/* A finished run: log, reschedule, answer waiters, free removed zones. */
static void take_result(sgn_daemon_t *d, sgn_slot_t *s)
{
    ods_ctl_conn_t *w[SGN_MAX_WAITERS];
    char msg[ODS_ERR_MSG_MAX];
    pthread_mutex_lock(&d->lock);
    s->busy = false;
    int n = s->nwaiters, rc = s->last_rc;
    memcpy(w, s->waiters, sizeof(w));
    s->nwaiters = 0;
    snprintf(msg, sizeof(msg), "%s", s->last_error);
    time_t now = ods_clock_now();
    bool again = s->next_run != 0; /* asked for while it ran */
    if (rc == ODS_ESTATE)
        s->failures = 0; /* waiting for the enforcer is not a failure */
    if (!again)
        s->next_run = rc == ODS_OK       ? sgn_zone_next_resign(s->zs, now)
                      : rc == ODS_ESTATE ? now + 60
                                         : now + retry_delay(s);
    pthread_mutex_unlock(&d->lock);
    if (rc == ODS_OK && s->last.published)
        sgn_stats_log(s->zs, &s->last);
    else if (rc == ODS_OK)
        ods_log_info("zone %s: nothing to do (signatures fresh, input unchanged)", s->zs->name);
    else if (rc == ODS_ESTATE)
        ods_log_info("zone %s: %s", s->zs->name, msg);
    else
        ods_log_error("zone %s: %s (retry in %lld s)", s->zs->name, msg,
                      (long long)(s->next_run - now));
    answer_waiters(s, w, n, rc, msg);
}

static void free_removed(sgn_daemon_t *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->nslots; i++) {
        sgn_slot_t *s = d->slots[i];
        if (s->removed && !s->busy && !s->queued) {
            sgn_zone_free(s->zs);
            free(s);
        } else {
            d->slots[k++] = s;
        }
    }
    d->nslots = k;
}

void on_wake_cb(evutil_socket_t fd, short what, void *arg)
{
    sgn_daemon_t *d = arg;
    char buf[64];
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    pthread_mutex_lock(&d->lock);
    sgn_slot_t *done = d->done;
    d->done = NULL;
    pthread_mutex_unlock(&d->lock);
    for (sgn_slot_t *s = done, *next; s != NULL; s = next) {
        next = s->next_done;
        take_result(d, s);
    }
    pthread_mutex_lock(&d->lock);
    free_removed(d);
    pthread_mutex_unlock(&d->lock);
    sgn_daemon_rearm(d);
}

sgn_slot_t *sgn_daemon_find(sgn_daemon_t *d, const char *zone)
{
    for (size_t i = 0; i < d->nslots; i++)
        if (!d->slots[i]->removed && strcasecmp(d->slots[i]->zs->name, zone) == 0)
            return d->slots[i];
    return NULL;
}

void sgn_daemon_stop(sgn_daemon_t *d)
{
    event_base_loopexit(d->base, NULL);
}
