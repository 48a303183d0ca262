/*
 * rundir.h -- the directories that hold runtime files (pid files, control
 * sockets): /run is a tmpfs, so /run/odsng is gone after a reboot unless a
 * service manager creates it (systemd RuntimeDirectory=); the daemons create
 * it themselves otherwise (FreeBSD rc.d, a manual start).
 *
 * Stateless, thread-safe.
 */
#ifndef ODS_SVC_RUNDIR_H
#define ODS_SVC_RUNDIR_H

#include "util/status.h"

#include <sys/types.h>

/*
 * Make sure the directory that will hold the file at path exists: create it
 * with mode (less the umask) when it is missing and its own parent exists
 * (one level only: a typo in a path does not grow a tree). ODS_OK when it
 * exists (as a directory) or was created. Errors: ODS_EINVAL (relative path),
 * ODS_ENOTFOUND (the parent is missing too), ODS_EPERM, ODS_EIO (e.g. the
 * name exists and is not a directory).
 */
int ods_svc_rundir_ensure(const char *path, mode_t mode, ods_err_t *err);

#endif
