/* signals.c -- signals as libevent events (see signals.h). */
#include "svc/signals.h"

#include <event2/event.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef struct route {
    struct event *ev;
    int signo;
    ods_svc_signal_fn cb;
    void *arg;
} route_t;

struct ods_svc_signals {
    struct event_base *base;
    route_t routes[ODS_SVC_SIGNALS_MAX];
    int n;
};

static void on_signal(evutil_socket_t signo, short what, void *arg)
{
    (void)what;
    route_t *r = arg;
    r->cb((int)signo, r->arg);
}

int ods_svc_signals_new(struct event_base *base, ods_svc_signals_t **out, ods_err_t *err)
{
    ods_svc_signals_t *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    signal(SIGPIPE, SIG_IGN);
    s->base = base;
    *out = s;
    return ODS_OK;
}

int ods_svc_signals_on(ods_svc_signals_t *s, int signo, ods_svc_signal_fn cb, void *arg,
                       ods_err_t *err)
{
    if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP || cb == NULL)
        return ods_err_set(err, ODS_EINVAL, "signal %d cannot be handled", signo);
    for (int i = 0; i < s->n; i++)
        if (s->routes[i].signo == signo)
            return ods_err_set(err, ODS_EEXIST, "signal %s already has a handler",
                               strsignal(signo));
    if (s->n == ODS_SVC_SIGNALS_MAX)
        return ods_err_set(err, ODS_EFULL, "more than %d signal handlers", ODS_SVC_SIGNALS_MAX);
    route_t *r = &s->routes[s->n];
    r->signo = signo;
    r->cb = cb;
    r->arg = arg;
    r->ev = evsignal_new(s->base, signo, on_signal, r);
    if (r->ev == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (evsignal_add(r->ev, NULL) != 0) {
        event_free(r->ev);
        r->ev = NULL;
        return ods_err_set(err, ODS_EIO, "cannot handle signal %s in the event loop",
                           strsignal(signo));
    }
    s->n++;
    return ODS_OK;
}

void ods_svc_signals_free(ods_svc_signals_t *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n; i++)
        event_free(s->routes[i].ev);
    free(s);
}

int ods_svc_signals_mask_thread(void)
{
    static const int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD, SIGUSR1, SIGUSR2 };
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaddset(&set, sigs[i]);
    return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 ? ODS_OK : ODS_EIO;
}
