/*
 * pidfile.h -- the daemon's pid file: one running instance per pid file.
 *
 * The pid file is locked (flock(2), exclusive) for as long as the daemon
 * runs; the lock, not the file's existence, says "running". A pid file
 * nobody holds a lock on is stale (the daemon crashed or was killed) and is
 * simply taken over. A second instance is refused with the pid of the
 * running one, read from the file.
 *
 * The lock belongs to the open file, not to the process: other code of the
 * daemon may open and close the pid file without losing it (unlike fcntl
 * record locks), and a fork shares it until exec (the descriptor is
 * close-on-exec). Create the pid file after ods_svc_daemon_start, so that
 * it holds the daemon's pid, and before dropping privileges when its
 * directory is root's. The file gets mode 0644 less the umask.
 *
 * Ownership: *out belongs to the caller, released by ods_svc_pidfile_remove.
 * Not thread-safe per object.
 */
#ifndef ODS_SVC_PIDFILE_H
#define ODS_SVC_PIDFILE_H

#include "util/status.h"

#include <sys/types.h>

typedef struct ods_svc_pidfile ods_svc_pidfile_t;

/*
 * Create or take over path, lock it and write the caller's pid. The
 * directory is created (mode 0755) when it is missing and its parent exists.
 * Errors: ODS_EEXIST "another instance (pid N) holds the pid file PATH: ..."
 * (after retrying for 100 ms),
 * ODS_EPERM (no permission), ODS_ENOTFOUND (no such directory), ODS_EINVAL
 * (empty or relative path), ODS_EIO, ODS_ENOMEM.
 */
int ods_svc_pidfile_create(const char *path, ods_svc_pidfile_t **out, ods_err_t *err);

/* The path given to ods_svc_pidfile_create. */
const char *ods_svc_pidfile_path(const ods_svc_pidfile_t *pf);

/*
 * Release the pid file: remove it if it is still ours (after a privilege
 * drop the directory may not allow that: the file is then emptied, which
 * marks it stale), unlock, free. NULL is a no-op.
 */
void ods_svc_pidfile_remove(ods_svc_pidfile_t *pf);

/*
 * The pid of the process holding the lock on path (for other processes:
 * odsctl, scripts, tests). ODS_OK and *pid (pid may be NULL); ODS_ENOTFOUND when there is no
 * file or nobody holds it (stale); ODS_EPERM, ODS_EIO.
 */
int ods_svc_pidfile_holder(const char *path, pid_t *pid, ods_err_t *err);

#endif
