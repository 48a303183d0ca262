/*
 * server.h -- the daemons' side of the control socket, on a libevent 2.1 loop.
 *
 * A server listens on a UNIX socket. For each connection it reads one request
 * (see proto.h) within the request timeout, then calls the handler with the
 * command's argv. The handler writes text with ods_ctl_printf / ods_ctl_eprintf
 * and ends the command with ods_ctl_finish, at once or later from another event
 * callback (a timer, the end of a signing run).
 *
 * Malformed requests (bad lengths, garbage, truncated frames, invalid UTF-8, no
 * request in time) never reach the handler: the server answers them with a
 * STDERR frame and exit status ODS_CTL_EXIT_PROTOCOL, or with a VERSION frame
 * for another protocol version, and closes the connection.
 *
 * Connection lifetime (the rules a handler relies on):
 *  - The handler must call ods_ctl_finish(conn, status) exactly once for every
 *    conn it is given. Until then conn stays valid, whatever happens to the
 *    client or the server; after it, conn must not be used.
 *  - If the client goes away first (closes, errors, reads nothing for the write
 *    timeout, or the server is freed), the socket is closed at once, later output
 *    is discarded (printf returns ODS_EIO), ods_ctl_conn_alive returns 0, and the
 *    close callback, if set, is called once. The handler still calls
 *    ods_ctl_finish (from the close callback or later) to release conn.
 *  - After ods_ctl_finish no callback is called for conn; the server sends what
 *    is buffered, then the exit status, and closes.
 *  - argv and its strings belong to conn and stay valid until ods_ctl_finish.
 *
 * Back-pressure: a connection buffers at most limits.output_max unsent bytes;
 * ods_ctl_printf refuses more with ODS_EFULL (it never queues part of a text). A
 * handler with a lot to say writes until ODS_EFULL and sets a drain callback,
 * which is called each time the unsent output falls to limits.drain_low; a
 * client that reads nothing for limits.write_timeout_ms is dropped.
 *
 * Threads: every function here must be called from the thread that runs the
 * event base (handlers and callbacks run there). Work done by other threads
 * hands its result back to the loop (e.g. event_active on a locked base) and
 * writes to conn from there.
 *
 * SIGPIPE: a client that disconnects mid-answer makes writes fail with EPIPE;
 * ods_ctl_server_new sets SIGPIPE to SIG_IGN when it is SIG_DFL, so that this can
 * never kill the daemon.
 */
#ifndef ODS_CTL_SERVER_H
#define ODS_CTL_SERVER_H

#include "util/status.h"

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

struct event_base;

typedef struct ods_ctl_server ods_ctl_server_t;
typedef struct ods_ctl_conn ods_ctl_conn_t;

/* Called once per valid request; argv[argc] is NULL. */
typedef void (*ods_ctl_handler_fn)(ods_ctl_conn_t *conn, int argc, char **argv, void *arg);

/* Close and drain callbacks. */
typedef void (*ods_ctl_conn_cb_fn)(ods_ctl_conn_t *conn, void *arg);

typedef struct ods_ctl_limits {
    int request_timeout_ms; /* a client has this long to send its request (10000) */
    int write_timeout_ms;   /* drop a client that reads nothing this long while output waits
                               (60000) */
    size_t output_max;      /* unsent bytes per connection before ODS_EFULL (4 MiB) */
    size_t drain_low;       /* drain callback when unsent output falls to this (64 KiB) */
    int max_conns;          /* open connections at once; more wait in the backlog (64) */
} ods_ctl_limits_t;

/* Fill *limits with the defaults above. */
void ods_ctl_limits_default(ods_ctl_limits_t *limits);

/*
 * Listen on socket_path with the given mode (0660) and group ((gid_t)-1 leaves
 * it). A stale socket file (nobody answers) is replaced; when another process
 * listens there: ODS_EEXIST "another daemon is already listening on PATH".
 * Other errors: ODS_EINVAL (path too long), ODS_EPERM, ODS_ENOTFOUND (no such
 * directory), ODS_EIO, ODS_ENOMEM. The server does not own base.
 */
int ods_ctl_server_new(struct event_base *base, const char *socket_path, mode_t mode, gid_t gid,
                       ods_ctl_handler_fn handler, void *arg, ods_ctl_server_t **out,
                       ods_err_t *err);

/* Change the limits for connections accepted from now on. ODS_EINVAL on a zero/negative value. */
int ods_ctl_server_set_limits(ods_ctl_server_t *srv, const ods_ctl_limits_t *limits,
                              ods_err_t *err);

/* Connections that still have a socket (reading, handling or flushing). */
size_t ods_ctl_server_nconns(const ods_ctl_server_t *srv);

/*
 * Close the listener and every connection, then remove the socket file if it is
 * still ours. Unfinished connections get their close callback (see above) and
 * stay valid until the handler finishes them. Not from inside a handler or
 * callback of this server (break the loop first). NULL is a no-op.
 */
void ods_ctl_server_free(ods_ctl_server_t *srv);

/*
 * Write text to the client's stdout (printf) or stderr (eprintf). ODS_OK when
 * queued; ODS_EFULL when it would exceed output_max while output is pending
 * (nothing queued: retry from the drain callback; a text larger than output_max
 * is accepted when nothing is pending); ODS_EIO when the client is gone;
 * ODS_ENOMEM.
 */
int ods_ctl_printf(ods_ctl_conn_t *conn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ods_ctl_eprintf(ods_ctl_conn_t *conn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ods_ctl_vprintf(ods_ctl_conn_t *conn, int to_stderr, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Write len bytes as they are (same results as ods_ctl_printf). */
int ods_ctl_write(ods_ctl_conn_t *conn, int to_stderr, const void *data, size_t len);

/*
 * End the command with exit_status (0..255; anything else is sent as 1) and
 * release conn. Exactly once per conn; conn is invalid afterwards.
 */
void ods_ctl_finish(ods_ctl_conn_t *conn, int exit_status);

/*
 * Called once if the client goes away before ods_ctl_finish. The callback may
 * call ods_ctl_finish. Not called if the client was already gone when it was set:
 * check ods_ctl_conn_alive. cb NULL removes it.
 */
void ods_ctl_conn_set_close_cb(ods_ctl_conn_t *conn, ods_ctl_conn_cb_fn cb, void *arg);

/*
 * Called from the loop whenever the unsent output has fallen to drain_low or
 * below (soon after setting it, if it already has). The callback may write,
 * finish, or set another drain callback. cb NULL removes it.
 */
void ods_ctl_conn_set_drain_cb(ods_ctl_conn_t *conn, ods_ctl_conn_cb_fn cb, void *arg);

/* 1 while the client is connected, 0 once it has gone. */
int ods_ctl_conn_alive(const ods_ctl_conn_t *conn);

/* Bytes queued for the client and not yet sent (0 once it has gone). */
size_t ods_ctl_conn_pending(const ods_ctl_conn_t *conn);

/*
 * The client's credentials as the kernel saw them at connect time
 * (SO_PEERCRED; getpeereid where there is none, pid then -1). Any pointer may be NULL.
 */
void ods_ctl_conn_peer(const ods_ctl_conn_t *conn, pid_t *pid, uid_t *uid, gid_t *gid);

#endif
