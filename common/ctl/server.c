/* server.c -- control socket server on libevent (see server.h for the lifetime rules). */
#include "ctl/server.h"
#include "ctl/proto.h"
#include "ctl/sock.h"
#include "log/log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

enum conn_state {
    CONN_READING,  /* waiting for the request */
    CONN_HANDLING, /* handler owns it, client connected */
    CONN_FLUSHING, /* finished or rejected: sending the rest, then closing */
    CONN_DEAD,     /* client gone before finish: no socket, waits for ods_ctl_finish */
};

struct ods_ctl_conn {
    ods_ctl_server_t *srv;   /* NULL once the socket is closed */
    struct bufferevent *bev; /* NULL once the socket is closed */
    struct event *timer;     /* reading: request deadline; handling: runs the drain callback */
    ods_ctl_conn_t *prev, *next;
    enum conn_state state;
    ods_ctl_decoder_t dec;
    ods_ctl_request_t *req;
    pid_t pid;
    uid_t uid;
    gid_t gid;
    ods_ctl_conn_cb_fn close_cb, drain_cb;
    void *close_arg, *drain_arg;
    ods_ctl_limits_t limits; /* as when accepted */
};

struct ods_ctl_server {
    struct event_base *base;
    struct evconnlistener *lev;
    struct event *retry; /* re-enables accepting after an accept error */
    char *path;
    struct stat st; /* the socket file we created */
    ods_ctl_handler_fn handler;
    void *arg;
    ods_ctl_limits_t limits;
    ods_ctl_conn_t *conns; /* connections with a socket */
    size_t nconns;
    int listening, backoff;
};

static void tv_ms(struct timeval *tv, int ms)
{
    tv->tv_sec = ms / 1000;
    tv->tv_usec = (ms % 1000) * 1000;
}

void ods_ctl_limits_default(ods_ctl_limits_t *l)
{
    l->request_timeout_ms = 10000;
    l->write_timeout_ms = 60000;
    l->output_max = 4u << 20;
    l->drain_low = 64u << 10;
    l->max_conns = 64;
}

/* ---- listener ---- */

static void server_update_listener(ods_ctl_server_t *srv)
{
    if (srv->lev == NULL)
        return;
    int want = srv->nconns < (size_t)srv->limits.max_conns && !srv->backoff;
    if (want == srv->listening)
        return;
    if (want)
        evconnlistener_enable(srv->lev);
    else
        evconnlistener_disable(srv->lev);
    srv->listening = want;
}

/* ---- connection teardown ---- */

static void conn_detach(ods_ctl_conn_t *conn)
{
    ods_ctl_server_t *srv = conn->srv;
    if (conn->timer) {
        event_free(conn->timer);
        conn->timer = NULL;
    }
    if (conn->bev == NULL)
        return;
    bufferevent_free(conn->bev);
    conn->bev = NULL;
    if (conn->prev)
        conn->prev->next = conn->next;
    else
        srv->conns = conn->next;
    if (conn->next)
        conn->next->prev = conn->prev;
    conn->prev = conn->next = NULL;
    conn->srv = NULL;
    srv->nconns--;
    server_update_listener(srv);
}

static void conn_free(ods_ctl_conn_t *conn)
{
    conn_detach(conn);
    ods_ctl_decoder_free(&conn->dec);
    ods_ctl_request_free(conn->req);
    free(conn);
}

/* The client went away (or the server is closing). Handlers learn it; others are freed. */
static void conn_gone(ods_ctl_conn_t *conn)
{
    if (conn->state != CONN_HANDLING) {
        conn_free(conn);
        return;
    }
    conn_detach(conn);
    conn->state = CONN_DEAD;
    ods_ctl_conn_cb_fn cb = conn->close_cb;
    void *arg = conn->close_arg;
    conn->close_cb = conn->drain_cb = NULL;
    if (cb)
        cb(conn, arg); /* may finish, and so free, conn */
}

/* Queue b's bytes for the client. */
static int conn_send(ods_ctl_conn_t *conn, const ods_buf_t *b)
{
    if (evbuffer_add(bufferevent_get_output(conn->bev), b->data, b->len) != 0)
        return ODS_ENOMEM;
    return ODS_OK;
}

/* Stop reading and calling back; free once everything queued has been sent. */
static void conn_close_after_flush(ods_ctl_conn_t *conn)
{
    conn->state = CONN_FLUSHING;
    conn->close_cb = conn->drain_cb = NULL;
    event_del(conn->timer);
    bufferevent_disable(conn->bev, EV_READ);
    bufferevent_setwatermark(conn->bev, EV_WRITE, 0, 0);
    if (evbuffer_get_length(bufferevent_get_output(conn->bev)) == 0)
        conn_free(conn);
}

/* Send the last frames, encoded in b with result rc, then close once they are out. */
static void conn_send_last(ods_ctl_conn_t *conn, ods_buf_t *b, int rc)
{
    if (rc == ODS_OK)
        rc = conn_send(conn, b);
    ods_buf_free(b);
    if (rc != ODS_OK)
        conn_free(conn);
    else
        conn_close_after_flush(conn);
}

/* ---- request phase ---- */

static void conn_reject(ods_ctl_conn_t *conn, const char *why)
{
    ods_log_debug("control socket: rejected a request from pid %ld uid %ld: %s", (long)conn->pid,
                  (long)conn->uid, why);
    ods_buf_t b = ODS_BUF_INIT;
    int rc = ods_buf_printf(&b, "the daemon rejected the request: %s\n", why);
    ods_buf_t frames = ODS_BUF_INIT;
    if (rc == ODS_OK)
        rc = ods_ctl_text_encode(&frames, ODS_CTL_FRAME_STDERR, b.data, b.len, NULL);
    if (rc == ODS_OK)
        rc = ods_ctl_exit_encode(&frames, ODS_CTL_EXIT_PROTOCOL, NULL);
    ods_buf_free(&b);
    conn_send_last(conn, &frames, rc);
}

static void conn_wrong_version(ods_ctl_conn_t *conn, int version)
{
    ods_log_debug("control socket: pid %ld speaks protocol %d, we speak %d", (long)conn->pid,
                  version, ODS_CTL_PROTO_VERSION);
    ods_buf_t b = ODS_BUF_INIT;
    int rc = ods_ctl_version_encode(&b, ODS_CTL_PROTO_VERSION, NULL);
    conn_send_last(conn, &b, rc);
}

static void conn_start(ods_ctl_conn_t *conn, ods_ctl_request_t *req)
{
    conn->req = req;
    conn->state = CONN_HANDLING;
    ods_ctl_decoder_free(&conn->dec);
    event_del(conn->timer);
    bufferevent_setwatermark(conn->bev, EV_WRITE, conn->limits.drain_low, 0);
    ods_ctl_server_t *srv = conn->srv;
    srv->handler(conn, req->argc, req->argv, srv->arg);
}

static void conn_request(ods_ctl_conn_t *conn, const ods_ctl_frame_t *f, size_t extra)
{
    ods_err_t err = { 0 };
    int version = 0;
    if (f->type != ODS_CTL_FRAME_REQUEST) {
        snprintf(err.msg, sizeof(err.msg), "expected a request frame, got type 0x%02x", f->type);
        conn_reject(conn, err.msg);
        return;
    }
    if (ods_ctl_request_version(f->payload, f->len, &version, &err) != ODS_OK) {
        conn_reject(conn, err.msg);
        return;
    }
    if (version != ODS_CTL_PROTO_VERSION) {
        conn_wrong_version(conn, version);
        return;
    }
    ods_ctl_request_t *req = NULL;
    if (extra > 0)
        ods_err_set(&err, ODS_EPROTO, "%zu bytes of data after the request", extra);
    else if (ods_ctl_request_decode(f->payload, f->len, &req, &err) == ODS_OK)
        conn_start(conn, req);
    if (req == NULL)
        conn_reject(conn, err.msg);
}

static void conn_read_request(ods_ctl_conn_t *conn)
{
    struct evbuffer *in = bufferevent_get_input(conn->bev);
    uint8_t chunk[4096];
    int n;
    while ((n = evbuffer_remove(in, chunk, sizeof(chunk))) > 0) {
        ods_err_t err = { 0 };
        ods_ctl_frame_t f;
        int rc = ods_ctl_decoder_feed(&conn->dec, chunk, (size_t)n, &err);
        if (rc == ODS_OK)
            rc = ods_ctl_decoder_next(&conn->dec, &f, &err);
        if (rc < 0) {
            conn_reject(conn, err.msg);
            break;
        }
        if (rc == 1) {
            size_t extra = ods_ctl_decoder_pending(&conn->dec) + evbuffer_get_length(in);
            conn_request(conn, &f, extra);
            break;
        }
    }
    explicit_bzero(chunk, sizeof(chunk)); /* a request may carry a PIN */
}

/* ---- bufferevent callbacks ---- */

static void conn_drain(ods_ctl_conn_t *conn)
{
    if (conn->state != CONN_HANDLING || conn->drain_cb == NULL)
        return;
    if (evbuffer_get_length(bufferevent_get_output(conn->bev)) > conn->limits.drain_low)
        return;
    conn->drain_cb(conn, conn->drain_arg); /* may finish conn */
}

static void conn_read_cb(struct bufferevent *bev, void *ctx)
{
    ods_ctl_conn_t *conn = ctx;
    if (conn->state == CONN_READING) {
        conn_read_request(conn);
        return;
    }
    /* A client sends one request, then only reads: anything more is a violation. */
    evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
    ods_log_debug("control socket: pid %ld sent data after its request; closing", (long)conn->pid);
    conn_gone(conn);
}

static void conn_write_cb(struct bufferevent *bev, void *ctx)
{
    ods_ctl_conn_t *conn = ctx;
    if (conn->state == CONN_FLUSHING) {
        if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
            conn_free(conn);
        return;
    }
    conn_drain(conn);
}

/* One deadline for the whole request, however slowly its bytes trickle in. */
static void conn_timer_cb(evutil_socket_t fd, short what, void *ctx)
{
    ods_ctl_conn_t *conn = ctx;
    char why[64];
    if (conn->state != CONN_READING) {
        conn_drain(conn);
        return;
    }
    snprintf(why, sizeof(why), "no complete request within %d ms", conn->limits.request_timeout_ms);
    conn_reject(conn, why);
}

static void conn_reading_event(ods_ctl_conn_t *conn, short what)
{
    ods_err_t err = { 0 };
    if ((what & BEV_EVENT_EOF) && ods_ctl_decoder_eof(&conn->dec, &err) != ODS_OK) {
        conn_reject(conn, err.msg); /* the client may have shut down only its writing side */
    } else {
        conn_free(conn);
    }
}

static void conn_event_cb(struct bufferevent *bev, short what, void *ctx)
{
    ods_ctl_conn_t *conn = ctx;
    if (conn->state == CONN_READING) {
        conn_reading_event(conn, what);
        return;
    }
    ods_log_debug("control socket: connection from pid %ld ended (%s%s%s)", (long)conn->pid,
                  (what & BEV_EVENT_EOF) ? "closed" : "",
                  (what & BEV_EVENT_ERROR) ? strerror(EVUTIL_SOCKET_ERROR()) : "",
                  (what & BEV_EVENT_TIMEOUT) ? "client stopped reading" : "");
    conn_gone(conn);
}

/* ---- accepting ---- */

static void conn_peercred(ods_ctl_conn_t *conn, int fd)
{
    conn->pid = -1;
    conn->uid = (uid_t)-1;
    conn->gid = (gid_t)-1;
#ifdef SO_PEERCRED
    struct ucred uc;
    socklen_t len = sizeof(uc);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0) {
        conn->pid = uc.pid;
        conn->uid = uc.uid;
        conn->gid = uc.gid;
    }
#else
    getpeereid(fd, &conn->uid, &conn->gid);
#endif
}

static ods_ctl_conn_t *conn_new(ods_ctl_server_t *srv, evutil_socket_t fd)
{
    ods_ctl_conn_t *conn = calloc(1, sizeof(*conn));
    if (conn == NULL)
        return NULL;
    conn->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
    conn->timer = evtimer_new(srv->base, conn_timer_cb, conn);
    if (conn->bev == NULL || conn->timer == NULL) {
        if (conn->bev)
            bufferevent_free(conn->bev);
        if (conn->timer)
            event_free(conn->timer);
        free(conn);
        return NULL;
    }
    conn->srv = srv;
    conn->state = CONN_READING;
    conn->limits = srv->limits;
    conn_peercred(conn, fd);
    ods_ctl_decoder_init(&conn->dec, ODS_CTL_REQUEST_MAX);
    return conn;
}

static void accept_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa,
                      int salen, void *ctx)
{
    ods_ctl_server_t *srv = ctx;
    ods_ctl_conn_t *conn = conn_new(srv, fd);
    if (conn == NULL) {
        evutil_closesocket(fd);
        return;
    }
    struct timeval rtv, wtv;
    tv_ms(&rtv, conn->limits.request_timeout_ms);
    tv_ms(&wtv, conn->limits.write_timeout_ms);
    bufferevent_setcb(conn->bev, conn_read_cb, conn_write_cb, conn_event_cb, conn);
    bufferevent_set_timeouts(conn->bev, NULL, &wtv);
    bufferevent_enable(conn->bev, EV_READ | EV_WRITE);
    evtimer_add(conn->timer, &rtv);
    conn->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = conn;
    srv->conns = conn;
    srv->nconns++;
    server_update_listener(srv);
}

/* accept(2) failed (EMFILE, ENOBUFS, ...): pause for a moment instead of spinning. */
static void accept_error_cb(struct evconnlistener *lev, void *ctx)
{
    ods_ctl_server_t *srv = ctx;
    struct timeval tv = { 0, 100 * 1000 };
    ods_log_debug("control socket %s: accept failed: %s", srv->path,
                  strerror(EVUTIL_SOCKET_ERROR()));
    srv->backoff = 1;
    server_update_listener(srv);
    evtimer_add(srv->retry, &tv);
}

static void retry_cb(evutil_socket_t fd, short what, void *ctx)
{
    ods_ctl_server_t *srv = ctx;
    srv->backoff = 0;
    server_update_listener(srv);
}

/* ---- server ---- */

static void ignore_sigpipe(void)
{
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

static int server_listen(ods_ctl_server_t *srv, mode_t mode, gid_t gid, ods_err_t *err)
{
    int fd;
    int rc = ods_ctl_sock_listen(srv->path, mode, gid, &fd, &srv->st, err);
    if (rc != ODS_OK)
        return rc;
    srv->lev = evconnlistener_new(srv->base, accept_cb, srv,
                                  LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
    if (srv->lev == NULL) {
        close(fd);
        ods_ctl_sock_unlink(srv->path, &srv->st);
        return ods_err_set(err, ODS_ENOMEM, "cannot watch socket %s: out of memory", srv->path);
    }
    evconnlistener_set_error_cb(srv->lev, accept_error_cb);
    srv->listening = 1;
    return ODS_OK;
}

int ods_ctl_server_new(struct event_base *base, const char *socket_path, mode_t mode, gid_t gid,
                       ods_ctl_handler_fn handler, void *arg, ods_ctl_server_t **out,
                       ods_err_t *err)
{
    if (base == NULL || socket_path == NULL || handler == NULL || out == NULL)
        return ods_err_set(err, ODS_EINVAL, "control server: missing event base, path or handler");
    ods_ctl_server_t *srv = calloc(1, sizeof(*srv));
    if (srv == NULL || (srv->path = strdup(socket_path)) == NULL ||
        (srv->retry = evtimer_new(base, retry_cb, srv)) == NULL) {
        if (srv)
            free(srv->path);
        free(srv);
        return ods_err_set(err, ODS_ENOMEM, "out of memory creating the control server");
    }
    srv->base = base;
    srv->handler = handler;
    srv->arg = arg;
    ods_ctl_limits_default(&srv->limits);
    ignore_sigpipe();
    int rc = server_listen(srv, mode, gid, err);
    if (rc != ODS_OK) {
        event_free(srv->retry);
        free(srv->path);
        free(srv);
        return rc;
    }
    *out = srv;
    return ODS_OK;
}

int ods_ctl_server_set_limits(ods_ctl_server_t *srv, const ods_ctl_limits_t *l, ods_err_t *err)
{
    if (l->request_timeout_ms <= 0 || l->write_timeout_ms <= 0 || l->output_max == 0 ||
        l->max_conns <= 0 || l->drain_low >= l->output_max)
        return ods_err_set(err, ODS_EINVAL,
                           "control server limits: timeouts, output_max and max_conns must be "
                           "positive, drain_low below output_max");
    srv->limits = *l;
    server_update_listener(srv);
    return ODS_OK;
}

size_t ods_ctl_server_nconns(const ods_ctl_server_t *srv)
{
    return srv->nconns;
}

void ods_ctl_server_free(ods_ctl_server_t *srv)
{
    if (srv == NULL)
        return;
    evconnlistener_free(srv->lev);
    srv->lev = NULL;
    event_free(srv->retry);
    while (srv->conns)
        conn_gone(srv->conns);
    ods_ctl_sock_unlink(srv->path, &srv->st);
    free(srv->path);
    free(srv);
}

/* ---- handler API ---- */

int ods_ctl_write(ods_ctl_conn_t *conn, int to_stderr, const void *data, size_t len)
{
    if (conn->state != CONN_HANDLING)
        return ODS_EIO;
    if (len == 0)
        return ODS_OK;
    size_t pending = evbuffer_get_length(bufferevent_get_output(conn->bev));
    size_t frames = (len + ODS_CTL_TEXT_CHUNK - 1) / ODS_CTL_TEXT_CHUNK;
    if (pending > 0 && pending + len + frames * ODS_CTL_HEADER_LEN > conn->limits.output_max)
        return ODS_EFULL;
    ods_buf_t b = ODS_BUF_INIT;
    uint8_t type = to_stderr ? ODS_CTL_FRAME_STDERR : ODS_CTL_FRAME_STDOUT;
    int rc = ods_ctl_text_encode(&b, type, data, len, NULL);
    if (rc == ODS_OK)
        rc = conn_send(conn, &b);
    ods_buf_free(&b);
    return rc;
}

int ods_ctl_vprintf(ods_ctl_conn_t *conn, int to_stderr, const char *fmt, va_list ap)
{
    char small[512];
    char *p = small;
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof(small), fmt, aq);
    va_end(aq);
    if (n < 0)
        return ODS_EINVAL;
    if ((size_t)n >= sizeof(small)) {
        p = malloc((size_t)n + 1);
        if (p == NULL)
            return ODS_ENOMEM;
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    }
    int rc = ods_ctl_write(conn, to_stderr, p, (size_t)n);
    if (p != small)
        free(p);
    return rc;
}

int ods_ctl_printf(ods_ctl_conn_t *conn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ods_ctl_vprintf(conn, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int ods_ctl_eprintf(ods_ctl_conn_t *conn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ods_ctl_vprintf(conn, 1, fmt, ap);
    va_end(ap);
    return rc;
}

void ods_ctl_finish(ods_ctl_conn_t *conn, int exit_status)
{
    if (conn == NULL)
        return;
    if (conn->state == CONN_DEAD) {
        conn_free(conn);
        return;
    }
    if (conn->state != CONN_HANDLING)
        return; /* finished twice: a handler bug; ignore rather than corrupt the stream */
    if (exit_status < 0 || exit_status > 255)
        exit_status = 1;
    ods_buf_t b = ODS_BUF_INIT;
    int rc = ods_ctl_exit_encode(&b, exit_status, NULL);
    conn_send_last(conn, &b, rc);
}

void ods_ctl_conn_set_close_cb(ods_ctl_conn_t *conn, ods_ctl_conn_cb_fn cb, void *arg)
{
    if (conn->state != CONN_HANDLING)
        return;
    conn->close_cb = cb;
    conn->close_arg = arg;
}

void ods_ctl_conn_set_drain_cb(ods_ctl_conn_t *conn, ods_ctl_conn_cb_fn cb, void *arg)
{
    if (conn->state != CONN_HANDLING)
        return;
    conn->drain_cb = cb;
    conn->drain_arg = arg;
    if (cb && evbuffer_get_length(bufferevent_get_output(conn->bev)) <= conn->limits.drain_low)
        event_active(conn->timer, EV_TIMEOUT, 0);
}

int ods_ctl_conn_alive(const ods_ctl_conn_t *conn)
{
    return conn->state == CONN_HANDLING;
}

size_t ods_ctl_conn_pending(const ods_ctl_conn_t *conn)
{
    if (conn->bev == NULL)
        return 0;
    return evbuffer_get_length(bufferevent_get_output(conn->bev));
}

void ods_ctl_conn_peer(const ods_ctl_conn_t *conn, pid_t *pid, uid_t *uid, gid_t *gid)
{
    if (pid)
        *pid = conn->pid;
    if (uid)
        *uid = conn->uid;
    if (gid)
        *gid = conn->gid;
}
