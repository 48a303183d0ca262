/*
 * signals.h -- route signals into the daemon's libevent loop.
 *
 * A signal handler may do almost nothing safely; libevent's signal events
 * turn a signal into a callback run by the loop, like any other event. The
 * daemons use:
 *   SIGHUP          reload the configuration (as `odsctl ... reload`)
 *   SIGTERM, SIGINT stop cleanly (as `odsctl ... stop`)
 *   SIGCHLD         reap commands the daemon ran (notify, DS submit)
 * ods_svc_signals_new sets SIGPIPE to SIG_IGN: a peer that goes away makes
 * writes fail with EPIPE instead of killing the daemon.
 *
 * Threads: worker threads should call ods_svc_signals_mask_thread when they
 * start, so that the signals are delivered to the loop's thread and the
 * workers' system calls are not interrupted. Every other function must be
 * called from the thread that runs the event base.
 *
 * Ownership: *out belongs to the caller, freed with ods_svc_signals_free
 * (which removes the events and restores nothing else). The base is not owned.
 */
#ifndef ODS_SVC_SIGNALS_H
#define ODS_SVC_SIGNALS_H

#include "util/status.h"

struct event_base;

typedef struct ods_svc_signals ods_svc_signals_t;

/* Called from the loop, once per delivery (several deliveries may coalesce into one). */
typedef void (*ods_svc_signal_fn)(int signo, void *arg);

/* At most this many signals per ods_svc_signals_t. */
#define ODS_SVC_SIGNALS_MAX 8

/* Start routing signals into base; ignores SIGPIPE. ODS_ENOMEM. */
int ods_svc_signals_new(struct event_base *base, ods_svc_signals_t **out, ods_err_t *err);

/*
 * Call cb(signo, arg) from the loop when signo arrives. One callback per
 * signal (a second on the same signal is ODS_EEXIST). Errors: ODS_EINVAL
 * (SIGKILL, SIGSTOP, out of range), ODS_EEXIST, ODS_EFULL
 * (ODS_SVC_SIGNALS_MAX), ODS_EIO (libevent refused), ODS_ENOMEM.
 */
int ods_svc_signals_on(ods_svc_signals_t *s, int signo, ods_svc_signal_fn cb, void *arg,
                       ods_err_t *err);

/* Remove every signal event. NULL is a no-op. */
void ods_svc_signals_free(ods_svc_signals_t *s);

/*
 * Block SIGHUP, SIGTERM, SIGINT, SIGCHLD, SIGUSR1 and SIGUSR2 in the calling
 * thread (a worker), so the loop's thread receives them. ODS_EIO on failure.
 */
int ods_svc_signals_mask_thread(void);

#endif
