/*
 * daemon.h -- start-up of a daemon: detach from the terminal and tell
 * whoever started it (the shell, rc.d, systemd) whether start-up worked.
 *
 * OpenDNSSEC detached before reading its configuration, so `service ... start`
 * reported success for a daemon that then died with the reason only in
 * syslog. Here the original process waits until the detached daemon reports:
 *
 *   load and check conf.xml                  -> errors on stderr, exit 1
 *   ods_svc_daemon_start(detach, &d, &status, &err)
 *     returns 1 in the original process once the daemon reported:
 *       exit(status)   (0 ready; 1 failed, the reason already on stderr)
 *     returns ODS_OK in the daemon:
 *       pid file, control socket, HSM, state  -> on error:
 *           ods_svc_daemon_fail(d, err.msg); exit(1)
 *       drop privileges
 *       ods_svc_daemon_ready(d)               -> the original process exits 0
 *       event loop ... ods_svc_daemon_notify(d, "STOPPING=1") ...
 *       ods_svc_daemon_free(d)
 *
 * Detaching: fork, setsid, fork again (the daemon can never regain a
 * controlling terminal), chdir /, standard input, output and error to
 * /dev/null. Start-up errors therefore travel through ods_svc_daemon_fail,
 * never through stderr. In the foreground (detach 0, the -d option) nothing
 * forks and ods_svc_daemon_fail writes the message to stderr itself.
 *
 * In both modes ods_svc_daemon_start sets the umask to 027 (working files are
 * not world-readable), and takes $NOTIFY_SOCKET out of the environment (so
 * commands the daemon runs do not inherit it): ready, fail and notify send
 * READY=1, STATUS=... and the given states there (notify.h). A service
 * manager expecting READY=1 must start the daemon in the foreground
 * (systemd Type=notify: -d), because it only accepts it from the process it
 * started.
 *
 * Ownership: *out belongs to the caller, freed with ods_svc_daemon_free.
 * Call ods_svc_daemon_start before creating threads (it forks). The other
 * functions may be called from any one thread at a time.
 */
#ifndef ODS_SVC_DAEMON_H
#define ODS_SVC_DAEMON_H

#include "util/status.h"

typedef struct ods_svc_daemon ods_svc_daemon_t;

/* ods_svc_daemon_start's result in the original process (> 0, unlike errors). */
#define ODS_SVC_ORIGINAL 1

/*
 * Start as a daemon. detach 0 stays in the foreground.
 * In the daemon (or the foreground process): ODS_OK, *out set.
 * In the original process, when detaching: ODS_SVC_ORIGINAL after the daemon
 * called ready (*exit_status 0) or fail, or died first (*exit_status 1, the
 * reason written to stderr as "PROGRAM: message"); *out untouched. The caller
 * should return *exit_status from main.
 * Errors (nothing forked): ODS_EIO (pipe, fork, /dev/null), ODS_ENOMEM.
 */
int ods_svc_daemon_start(int detach, ods_svc_daemon_t **out, int *exit_status, ods_err_t *err);

/*
 * Start-up succeeded: the original process exits 0; READY=1 to the service
 * manager. Later calls do nothing. ODS_EIO when the service manager could not
 * be told (the daemon may go on: the error is for its log).
 */
int ods_svc_daemon_ready(ods_svc_daemon_t *d, ods_err_t *err);

/*
 * Start-up failed with message (one line): the original process prints it
 * and exits 1 (in the foreground: printed to stderr here); STATUS=message to
 * the service manager. After ready, or a second time, it does nothing.
 */
void ods_svc_daemon_fail(ods_svc_daemon_t *d, const char *message);

/*
 * Send a state to the service manager ("RELOADING=1", "STOPPING=1",
 * "STATUS=..."); ODS_OK when there is none. See notify.h for errors.
 */
int ods_svc_daemon_notify(ods_svc_daemon_t *d, const char *state, ods_err_t *err);

/* 1 when the process detached (started with detach != 0), else 0. */
int ods_svc_daemon_detached(const ods_svc_daemon_t *d);

/* Free d. Before ready or fail this counts as a failure without a reason. NULL is a no-op. */
void ods_svc_daemon_free(ods_svc_daemon_t *d);

#endif
