/*
 * Unit tests for common/svc signals.c: SIGHUP, SIGTERM, SIGINT and SIGCHLD
 * reach callbacks run by the libevent loop, also when a worker thread that
 * masked them is running; SIGPIPE is ignored; bad registrations are refused.
 */
#include "tap.h"
#include "svc_test.h"

#include "svc/signals.h"

#include <event2/event.h>
#include <pthread.h>
#include <signal.h>

typedef struct seen {
    struct event_base *base;
    int hup, term, intr, chld;
    pthread_t loop_thread;
    int other_thread; /* a callback ran outside the loop's thread */
} seen_t;

static void on_sig(int signo, void *arg)
{
    seen_t *s = arg;
    if (!pthread_equal(pthread_self(), s->loop_thread))
        s->other_thread = 1;
    if (signo == SIGHUP)
        s->hup++;
    else if (signo == SIGINT)
        s->intr++;
    else if (signo == SIGCHLD)
        s->chld++;
    else if (signo == SIGTERM) {
        s->term++;
        event_base_loopbreak(s->base);
    }
}

/* A worker: masks the signals, reports whether SIGHUP is blocked, waits. */
static pthread_mutex_t wlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wcond = PTHREAD_COND_INITIALIZER;
static int worker_blocked = -1, worker_stop;

static void *worker(void *arg)
{
    (void)arg;
    int rc = ods_svc_signals_mask_thread();
    sigset_t cur;
    pthread_sigmask(SIG_BLOCK, NULL, &cur);
    pthread_mutex_lock(&wlock);
    worker_blocked = rc == ODS_OK && sigismember(&cur, SIGHUP) && sigismember(&cur, SIGTERM);
    pthread_cond_broadcast(&wcond);
    while (!worker_stop)
        pthread_cond_wait(&wcond, &wlock);
    pthread_mutex_unlock(&wlock);
    return NULL;
}

/* A child that sends the parent HUP, INT, HUP and exits; TERM follows from the loop. */
static pid_t signal_sender(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        kill(parent, SIGHUP);
        usleep(50000);
        kill(parent, SIGINT);
        usleep(50000);
        kill(parent, SIGHUP);
        _exit(0);
    }
    return pid;
}

static void send_term(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    seen_t *s = arg;
    if (s->hup >= 1 && s->intr >= 1 && s->chld >= 1)
        kill(getpid(), SIGTERM);
}

static void test_delivery(void)
{
    seen_t s = { 0 };
    s.base = event_base_new();
    s.loop_thread = pthread_self();
    ods_svc_signals_t *sigs = NULL;
    ods_err_t err = { 0 };
    is_int(ods_svc_signals_new(s.base, &sigs, &err), ODS_OK, "signals_new");
    int sigv[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD };
    int rc = ODS_OK;
    for (size_t i = 0; i < 4 && rc == ODS_OK; i++)
        rc = ods_svc_signals_on(sigs, sigv[i], on_sig, &s, &err);
    is_int(rc, ODS_OK, "HUP, TERM, INT, CHLD routed (%s)", err.msg);

    struct sigaction sa;
    ok(sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN, "SIGPIPE ignored");

    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    pthread_mutex_lock(&wlock);
    while (worker_blocked < 0)
        pthread_cond_wait(&wcond, &wlock);
    pthread_mutex_unlock(&wlock);
    ok(worker_blocked == 1, "mask_thread blocks the daemon's signals in a worker");

    pid_t child = signal_sender();
    struct event *tick = event_new(s.base, -1, EV_PERSIST, send_term, &s);
    struct timeval tv = { 0, 20000 };
    event_add(tick, &tv);
    struct timeval limit = { 20, 0 };
    event_base_loopexit(s.base, &limit);
    event_base_dispatch(s.base);
    svc_wait(child);

    ok(s.hup >= 1 && s.hup <= 2, "SIGHUP callback ran (%d; deliveries may coalesce)", s.hup);
    is_int(s.intr, 1, "SIGINT callback ran once");
    ok(s.chld >= 1, "SIGCHLD callback ran when the sender exited");
    is_int(s.term, 1, "SIGTERM callback ran and stopped the loop");
    ok(!s.other_thread, "every callback ran on the loop's thread");

    pthread_mutex_lock(&wlock);
    worker_stop = 1;
    pthread_cond_broadcast(&wcond);
    pthread_mutex_unlock(&wlock);
    pthread_join(th, NULL);
    event_free(tick);
    ods_svc_signals_free(sigs);
    event_base_free(s.base);
}

static void nop(int signo, void *arg)
{
    (void)signo;
    (void)arg;
}

static void test_refused(void)
{
    struct event_base *base = event_base_new();
    ods_svc_signals_t *sigs = NULL;
    ods_err_t err = { 0 };
    ods_svc_signals_new(base, &sigs, &err);
    is_int(ods_svc_signals_on(sigs, SIGKILL, nop, NULL, &err), ODS_EINVAL, "SIGKILL refused");
    is_int(ods_svc_signals_on(sigs, 0, nop, NULL, &err), ODS_EINVAL, "signal 0 refused");
    is_int(ods_svc_signals_on(sigs, SIGHUP, nop, NULL, &err), ODS_OK, "SIGHUP accepted");
    is_int(ods_svc_signals_on(sigs, SIGHUP, nop, NULL, &err), ODS_EEXIST,
           "a second SIGHUP handler");
    has_str(err.msg, "already has a handler", "... explained");
    int more[] = { SIGTERM, SIGINT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH };
    int rc = ODS_OK;
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]) && rc == ODS_OK; i++)
        rc = ods_svc_signals_on(sigs, more[i], nop, NULL, &err);
    is_int(rc, ODS_OK, "eight handlers fit");
    is_int(ods_svc_signals_on(sigs, SIGURG, nop, NULL, &err), ODS_EFULL, "a ninth does not");
    ods_svc_signals_free(sigs);
    ods_svc_signals_free(NULL);
    event_base_free(base);
}

int main(void)
{
    test_delivery();
    test_refused();
    return tap_done();
}
