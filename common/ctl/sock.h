/*
 * sock.h -- the control socket file: address, creation with stale-socket
 * detection, permissions and removal. Used by server.c and client.c.
 *
 * Blocking system calls only (a probe connect never waits: it is non-blocking).
 * Thread-safe: no shared state.
 */
#ifndef ODS_CTL_SOCK_H
#define ODS_CTL_SOCK_H

#include "util/status.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

/* Fill a sockaddr_un for path. ODS_EINVAL when path is empty or too long for sun_path. */
int ods_ctl_sock_addr(const char *path, struct sockaddr_un *sa, socklen_t *len, ods_err_t *err);

/*
 * Create, bind and listen on a UNIX stream socket at path (non-blocking,
 * close-on-exec). A socket file nobody answers on is replaced; if a process
 * listens on it: ODS_EEXIST "another daemon is already listening on PATH". The
 * file gets group gid (unless (gid_t)-1) and mode before listen(2), so no client
 * can connect while it has other permissions. On success *fd is the listening
 * socket and *st the socket file's identity (for ods_ctl_sock_unlink).
 * Errors: ODS_EINVAL, ODS_EEXIST, ODS_EPERM, ODS_ENOTFOUND (no directory), ODS_EIO.
 */
int ods_ctl_sock_listen(const char *path, mode_t mode, gid_t gid, int *fd, struct stat *st,
                        ods_err_t *err);

/* Remove path if it is still the socket file described by st (not a successor's). */
void ods_ctl_sock_unlink(const char *path, const struct stat *st);

#endif
