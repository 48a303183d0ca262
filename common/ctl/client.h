/*
 * client.h -- odsctl's side of the control socket: one blocking call per command.
 *
 * Thread-safe (no shared state; each call has its own socket). A call writes to
 * out/errout from the calling thread only. It never raises SIGPIPE.
 */
#ifndef ODS_CTL_CLIENT_H
#define ODS_CTL_CLIENT_H

#include "util/status.h"

#include <stdio.h>

/*
 * Send argv[0..argc) to the daemon listening on socket_path and copy its answer,
 * as it arrives, to out (stdout text) and errout (stderr text); either may be
 * NULL to discard. timeout_ms > 0 bounds the whole call (connect to exit
 * status); <= 0 waits as long as the command runs. On ODS_OK *exit_status is the
 * command's exit status (0..255) as the daemon reported it.
 *
 * Errors (err->msg is one line a user can act on):
 *   ODS_EINVAL    an argument cannot be sent (control character, invalid UTF-8, too long)
 *   ODS_ENOTFOUND "no daemon is listening on PATH (...)": no socket file, or a stale one
 *   ODS_EPERM     "permission denied on PATH (owned by user U, group G, mode 0660): run
 *                 as root or as a member of group G"
 *   ODS_ETIMEOUT  no connection, or no complete answer, within timeout_ms
 *   ODS_EPROTO    "the daemon closed the connection without finishing the command (see
 *                 its log)", a malformed answer, or "odsctl speaks protocol 1, the daemon
 *                 2: use the odsctl that came with the daemon"
 *   ODS_EIO       other socket errors, or writing to out/errout failed
 *   ODS_ENOMEM
 * Text received before an error has already been written to out/errout.
 */
int ods_ctl_call(const char *socket_path, int argc, char *const *argv, FILE *out, FILE *errout,
                 int timeout_ms, int *exit_status, ods_err_t *err);

#endif
