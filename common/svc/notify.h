/*
 * notify.h -- the service manager's readiness protocol (sd_notify(3)
 * compatible), implemented here without libsystemd.
 *
 * A service manager that starts a daemon with Type=notify sets
 * $NOTIFY_SOCKET to the address of a datagram socket: a path, or an abstract
 * socket when it starts with '@'. The daemon sends newline-separated
 * "KEY=value" assignments, one datagram per message: "READY=1" when it
 * serves, "RELOADING=1" / "STOPPING=1" around a reload or a stop,
 * "STATUS=text" for `systemctl status`.
 *
 * Blocking, no shared state: thread-safe. Never raises SIGPIPE.
 */
#ifndef ODS_SVC_NOTIFY_H
#define ODS_SVC_NOTIFY_H

#include "util/status.h"

/* The environment variable a service manager sets. */
#define ODS_SVC_NOTIFY_ENV "NOTIFY_SOCKET"

/*
 * Send state (e.g. "READY=1") as one datagram to the socket at address
 * (the value of $NOTIFY_SOCKET). address NULL or empty: nothing to do,
 * ODS_OK. Errors: ODS_EINVAL (address not absolute, not '@...', or too
 * long), ODS_EIO (socket or send failed; err names the address and errno).
 */
int ods_svc_notify_send(const char *address, const char *state, ods_err_t *err);

#endif
