/*
 * sgn_daemon.h -- the signer daemon: one libevent loop (control socket,
 * timers), WorkerThreads zone workers running sgn_run, and the signing pool.
 *
 * Threads and locking: the loop thread owns the control socket, the timers
 * and the list of zones; d->lock protects each zone's control fields
 * (sgn_slot_t below "control") and the job queue, which workers read.
 * A worker owns a zone's sgn_zone_t while the zone is busy and hands it
 * back through d->done plus a wake-up byte on a pipe the loop watches.
 */
#ifndef SGN_DAEMON_H
#define SGN_DAEMON_H

#include <event2/event.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "conf/conf.h"
#include "ctl/server.h"
#include "hsm/hsm.h"
#include "sgn_pool.h"
#include "sgn_zone.h"
#include "svc/pin.h"

#define SGN_MAX_WAITERS 16

typedef struct sgn_slot {
    sgn_zone_t *zs;
    /* control: under d->lock */
    bool busy, queued, removed, clear_pending;
    bool force_read, forced_serial;
    uint32_t serial;
    time_t next_run; /* 0: not scheduled */
    int failures;
    int last_rc;
    char last_error[ODS_ERR_MSG_MAX];
    sgn_stats_t last;
    time_t last_run_at;
    ods_ctl_conn_t *waiters[SGN_MAX_WAITERS]; /* `sign --wait` clients */
    int nwaiters;
    struct sgn_slot *next_done;
} sgn_slot_t;

typedef struct sgn_daemon {
    char *conf_path;
    ods_conf_t *conf;
    struct event_base *base;
    ods_ctl_server_t *ctl;
    struct event *timer;
    struct event *wake_ev;
    int wake[2];
    ods_hsm_t *hsm;         /* NULL until logged in */
    sgn_pool_t *pool;       /* NULL until logged in */
    ods_svc_login_t *login; /* while a repository waits for `odsctl hsm login` */
    pthread_t *workers;
    int nworkers;
    pthread_mutex_t lock;
    pthread_cond_t jobs;
    sgn_slot_t **slots;
    size_t nslots;
    sgn_slot_t **queue; /* FIFO of queued slots (ring) */
    size_t qhead, qlen, qcap;
    sgn_slot_t *done; /* finished runs for the loop */
    bool stopping;
    int exit_code;
} sgn_daemon_t;

/*
 * Build the daemon from a loaded configuration (takes ownership of conf, also
 * on failure once *out is set): control socket (group sock_gid, or (gid_t)-1
 * to leave it), HSM, signing pool.
 */
int sgn_daemon_new(const char *conf_path, ods_conf_t *conf, gid_t sock_gid, sgn_daemon_t **out,
                   ods_err_t *err);

/*
 * `hsm login`: the PIN of repository repo (NULL: the one waiting). Once every
 * repository has its PIN, the HSM and signing pool are opened and the zone
 * workers start on the zones that waited (loop thread). Errors: see
 * ods_svc_login_give; ODS_EEXIST when the signer does not wait for a PIN.
 * Nothing changes on failure.
 */
int sgn_daemon_hsm_login(sgn_daemon_t *d, const char *repo, const char *pin, ods_err_t *err);

/* Run the loop until stopped; returns the exit code. */
int sgn_daemon_run(sgn_daemon_t *d);
void sgn_daemon_free(sgn_daemon_t *d);

/* Ask the loop to stop (from the loop thread: commands, signals). */
void sgn_daemon_stop(sgn_daemon_t *d);

/* Re-read conf.xml's run-time settings and the zone list. */
int sgn_daemon_reload(sgn_daemon_t *d, ods_err_t *err);

/* Re-read the enforcer's zone list; counts what changed. */
int sgn_zonelist_sync(sgn_daemon_t *d, int *removed, int *added, int *updated, ods_err_t *err);

/* The zone's slot, or NULL. */
sgn_slot_t *sgn_daemon_find(sgn_daemon_t *d, const char *zone);

/* Schedule a zone to run at time t (0: now) (loop thread). */
void sgn_daemon_schedule(sgn_daemon_t *d, sgn_slot_t *s, time_t t);

/* Re-arm the timer for the earliest scheduled zone (loop thread). */
void sgn_daemon_rearm(sgn_daemon_t *d);

/* The control command handler (sgn_cmd.c). */
void sgn_cmd_handle(ods_ctl_conn_t *conn, int argc, char **argv, void *arg);

/* Loop callbacks (sgn_daemon.c). */
void on_timer_cb(evutil_socket_t fd, short what, void *arg);
void on_wake_cb(evutil_socket_t fd, short what, void *arg);

/* Worker threads (sgn_workers.c). */
int sgn_workers_start(sgn_daemon_t *d, ods_err_t *err);
void sgn_workers_stop(sgn_daemon_t *d);

/* Log the [STATS] line of a finished run. */
void sgn_stats_log(const sgn_zone_t *zs, const sgn_stats_t *st);

#endif
