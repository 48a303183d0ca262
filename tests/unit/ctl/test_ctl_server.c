/*
 * Unit tests for common/ctl server and client: a real server on a libevent loop in
 * a thread, a socket in a mkdtemp directory, real clients (ods_ctl_call and raw
 * sockets that misbehave) and fake daemons for the client's error paths.
 */
#include "tap.h"

#include "ctl/client.h"
#include "ctl/proto.h"
#include "ctl/server.h"
#include "ctl/sock.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#define KIB 1024u

static const ods_ctl_limits_t test_limits = {
    .request_timeout_ms = 1000,
    .write_timeout_ms = 2000,
    .output_max = 256 * KIB,
    .drain_low = 32 * KIB,
    .max_conns = 8,
};

/* What the handlers saw; written on the loop thread, read by the test thread. */
static struct {
    pthread_mutex_t mu;
    int closed;        /* close callbacks */
    int held;          /* "hold" commands started */
    int dead_write_rc; /* ods_ctl_printf after the client went away */
    int dead_alive;    /* ods_ctl_conn_alive then */
    int dead_finished; /* ods_ctl_finish after the client went away */
    int efull;         /* ODS_EFULL answers seen by "big" */
    size_t max_pending;
    size_t max_conns;
} st = { .mu = PTHREAD_MUTEX_INITIALIZER };

static ods_ctl_server_t *the_srv;

static void stat_add(int *field, int delta)
{
    pthread_mutex_lock(&st.mu);
    *field += delta;
    pthread_mutex_unlock(&st.mu);
}

static void stat_max(size_t *field, size_t v)
{
    pthread_mutex_lock(&st.mu);
    if (v > *field)
        *field = v;
    pthread_mutex_unlock(&st.mu);
}

static size_t stat_size(const size_t *field)
{
    pthread_mutex_lock(&st.mu);
    size_t v = *field;
    pthread_mutex_unlock(&st.mu);
    return v;
}

static int stat_get(const int *field)
{
    pthread_mutex_lock(&st.mu);
    int v = *field;
    pthread_mutex_unlock(&st.mu);
    return v;
}

/* Wait up to 10 s for *field to reach want. */
static int stat_wait(const int *field, int want)
{
    for (int i = 0; i < 1000; i++) {
        if (stat_get(field) >= want)
            return 1;
        usleep(10000);
    }
    return 0;
}

static char pattern_byte(size_t i)
{
    return (i % 64 == 63) ? '\n' : (char)('a' + i % 23);
}

/* ---- handler commands ---- */

static void cmd_echo(ods_ctl_conn_t *conn, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        ods_ctl_printf(conn, "%s%s", argv[i], i + 1 < argc ? " " : "\n");
    ods_ctl_finish(conn, 0);
}

typedef struct later {
    ods_ctl_conn_t *conn;
    struct event *ev;
} later_t;

static void later_fire(evutil_socket_t fd, short what, void *ctx)
{
    later_t *l = ctx;
    ods_ctl_printf(l->conn, "done later\n");
    ods_ctl_finish(l->conn, 0);
    event_free(l->ev);
    free(l);
}

static void later_close(ods_ctl_conn_t *conn, void *ctx)
{
    later_t *l = ctx;
    stat_add(&st.closed, 1);
    ods_ctl_finish(conn, 1);
    event_free(l->ev);
    free(l);
}

static void cmd_later(ods_ctl_conn_t *conn, struct event_base *base, int ms)
{
    later_t *l = calloc(1, sizeof(*l));
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    l->conn = conn;
    l->ev = evtimer_new(base, later_fire, l);
    evtimer_add(l->ev, &tv);
    ods_ctl_conn_set_close_cb(conn, later_close, l);
}

typedef struct big {
    size_t sent, total;
} big_t;

static void big_note(ods_ctl_conn_t *conn, int rc)
{
    stat_max(&st.max_pending, ods_ctl_conn_pending(conn));
    if (rc == ODS_EFULL)
        stat_add(&st.efull, 1);
}

/* Write until ODS_EFULL, then continue from the drain callback. */
static void big_pump(ods_ctl_conn_t *conn, void *ctx)
{
    big_t *b = ctx;
    char chunk[32 * KIB];
    while (b->sent < b->total) {
        size_t n = b->total - b->sent < sizeof(chunk) ? b->total - b->sent : sizeof(chunk);
        for (size_t i = 0; i < n; i++)
            chunk[i] = pattern_byte(b->sent + i);
        int rc = ods_ctl_write(conn, 0, chunk, n);
        big_note(conn, rc);
        if (rc == ODS_EFULL) {
            ods_ctl_conn_set_drain_cb(conn, big_pump, b);
            return;
        }
        if (rc != ODS_OK)
            return; /* the close callback cleans up */
        b->sent += n;
    }
    ods_ctl_finish(conn, 0);
    free(b);
}

static void big_close(ods_ctl_conn_t *conn, void *ctx)
{
    stat_add(&st.closed, 1);
    ods_ctl_finish(conn, 1);
    free(ctx);
}

static void cmd_big(ods_ctl_conn_t *conn, size_t total)
{
    big_t *b = calloc(1, sizeof(*b));
    b->total = total;
    ods_ctl_conn_set_close_cb(conn, big_close, b);
    big_pump(conn, b);
}

static void dead_finish(ods_ctl_conn_t *conn)
{
    ods_ctl_finish(conn, 0);
    stat_add(&st.dead_finished, 1);
}

static void holdlate_fire(evutil_socket_t fd, short what, void *ctx)
{
    dead_finish(ctx);
}

/* The client is gone: writing fails, and finishing (now or later) releases conn. */
static void hold_close(ods_ctl_conn_t *conn, void *base)
{
    int rc = ods_ctl_printf(conn, "nobody reads this\n");
    int alive = ods_ctl_conn_alive(conn);
    pthread_mutex_lock(&st.mu);
    st.dead_write_rc = rc;
    st.dead_alive = alive;
    st.closed++;
    pthread_mutex_unlock(&st.mu);
    if (base == NULL) {
        dead_finish(conn);
        return;
    }
    struct timeval tv = { 0, 50000 };
    event_base_once(base, -1, EV_TIMEOUT, holdlate_fire, conn, &tv);
}

static void cmd_whoami(ods_ctl_conn_t *conn)
{
    pid_t pid;
    uid_t uid;
    gid_t gid;
    ods_ctl_conn_peer(conn, &pid, &uid, &gid);
    ods_ctl_printf(conn, "pid=%ld uid=%ld gid=%ld\n", (long)pid, (long)uid, (long)gid);
    ods_ctl_finish(conn, 0);
}

static void handler(ods_ctl_conn_t *conn, int argc, char **argv, void *arg)
{
    struct event_base *base = arg;
    stat_max(&st.max_conns, ods_ctl_server_nconns(the_srv));
    if (strcmp(argv[0], "echo") == 0) {
        cmd_echo(conn, argc, argv);
    } else if (strcmp(argv[0], "fail") == 0) {
        ods_ctl_eprintf(conn, "went wrong\n");
        ods_ctl_printf(conn, "partial\n");
        ods_ctl_finish(conn, 3);
    } else if (strcmp(argv[0], "status") == 0 && argc == 2) {
        ods_ctl_finish(conn, atoi(argv[1]));
    } else if (strcmp(argv[0], "later") == 0 && argc == 2) {
        cmd_later(conn, base, atoi(argv[1]));
    } else if (strcmp(argv[0], "big") == 0 && argc == 2) {
        cmd_big(conn, strtoul(argv[1], NULL, 10));
    } else if (strcmp(argv[0], "hold") == 0 || strcmp(argv[0], "holdlate") == 0) {
        ods_ctl_conn_set_close_cb(conn, hold_close, argv[0][4] ? base : NULL);
        stat_add(&st.held, 1);
    } else if (strcmp(argv[0], "whoami") == 0) {
        cmd_whoami(conn);
    } else if (strcmp(argv[0], "nconns") == 0) {
        ods_ctl_printf(conn, "%zu\n", ods_ctl_server_nconns(the_srv));
        ods_ctl_finish(conn, 0);
    } else {
        ods_ctl_eprintf(conn, "unknown command %s\n", argv[0]);
        ods_ctl_finish(conn, 2);
    }
}

/* ---- the server fixture ---- */

typedef struct fixture {
    char dir[64];
    char path[128];
    struct event_base *base;
    ods_ctl_server_t *srv;
    pthread_t thr;
} fixture_t;

static void *loop_main(void *arg)
{
    fixture_t *fx = arg;
    event_base_dispatch(fx->base);
    return NULL;
}

static int fixture_start(fixture_t *fx)
{
    ods_err_t err = { 0 };
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/ods-ctl-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return 0;
    snprintf(fx->path, sizeof(fx->path), "%s/ctl.sock", fx->dir);
    fx->base = event_base_new();
    int rc =
        ods_ctl_server_new(fx->base, fx->path, 0660, getgid(), handler, fx->base, &fx->srv, &err);
    is_int(rc, ODS_OK, "server listens on %s (%s)", fx->path, err.msg);
    if (rc != ODS_OK)
        return 0;
    ods_ctl_limits_t bad = test_limits;
    bad.drain_low = bad.output_max;
    is_int(ods_ctl_server_set_limits(fx->srv, &bad, &err), ODS_EINVAL, "bad limits refused");
    is_int(ods_ctl_server_set_limits(fx->srv, &test_limits, &err), ODS_OK, "test limits set");
    the_srv = fx->srv;
    pthread_create(&fx->thr, NULL, loop_main, fx);
    return 1;
}

static void fixture_stop(fixture_t *fx)
{
    event_base_loopexit(fx->base, NULL);
    pthread_join(fx->thr, NULL);
    ods_ctl_server_free(fx->srv);
    event_base_free(fx->base);
}

/* ---- client helpers ---- */

typedef struct result {
    int rc, status;
    char *out, *errout;
    size_t outlen, errlen;
    ods_err_t err;
} result_t;

static void call(result_t *r, const char *path, int timeout_ms, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    memset(r, 0, sizeof(*r));
    r->status = -1;
    FILE *out = open_memstream(&r->out, &r->outlen);
    FILE *errout = open_memstream(&r->errout, &r->errlen);
    r->rc = ods_ctl_call(path, argc, argv, out, errout, timeout_ms, &r->status, &r->err);
    fclose(out);
    fclose(errout);
}

static void result_free(result_t *r)
{
    free(r->out);
    free(r->errout);
}

static int raw_connect(const char *path)
{
    struct sockaddr_un sa;
    socklen_t len;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ods_ctl_sock_addr(path, &sa, &len, NULL) != ODS_OK ||
        connect(fd, (struct sockaddr *)&sa, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void raw_send(int fd, const void *data, size_t len)
{
    if (send(fd, data, len, MSG_NOSIGNAL) != (ssize_t)len)
        tap_diag("raw send: %s", strerror(errno));
}

/* Read until EOF or error (at most 10 s). */
static void raw_read_all(int fd, ods_buf_t *b)
{
    char chunk[4096];
    for (int i = 0; i < 1000; i++) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 10) == 0)
            continue;
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0)
            return;
        ods_buf_append(b, chunk, (size_t)n);
    }
}

typedef struct answer {
    char text[1024]; /* stdout and stderr text */
    int status;      /* -1 without an exit frame */
    int version;     /* -1 without a version frame */
} answer_t;

/* Send raw bytes (then optionally shut down writing) and decode what comes back. */
static void raw_exchange(const char *path, const void *data, size_t len, int shut, answer_t *a)
{
    memset(a, 0, sizeof(*a));
    a->status = a->version = -1;
    int fd = raw_connect(path);
    if (fd < 0)
        return;
    raw_send(fd, data, len);
    if (shut)
        shutdown(fd, SHUT_WR);
    ods_buf_t b = ODS_BUF_INIT;
    raw_read_all(fd, &b);
    close(fd);
    ods_ctl_decoder_t d;
    ods_ctl_frame_t f;
    ods_ctl_response_t r;
    ods_ctl_decoder_init(&d, ODS_CTL_RESPONSE_MAX);
    ods_ctl_decoder_feed(&d, b.data, b.len, NULL);
    while (ods_ctl_decoder_next(&d, &f, NULL) == 1 && ods_ctl_response_decode(&f, &r, NULL) == 0) {
        if (r.type == ODS_CTL_FRAME_EXIT)
            a->status = r.exit_status;
        else if (r.type == ODS_CTL_FRAME_VERSION)
            a->version = r.version;
        else if (strlen(a->text) + r.len < sizeof(a->text))
            strncat(a->text, r.text, r.len);
    }
    ods_ctl_decoder_free(&d);
    ods_buf_free(&b);
}

/* The server still answers a well-behaved client. */
static void check_still_serving(const char *path, const char *after)
{
    result_t r;
    call(&r, path, 5000, (char *[]){ "echo", "still", "here", NULL });
    ok(r.rc == ODS_OK && r.status == 0 && r.out && strcmp(r.out, "still here\n") == 0,
       "server still serves after %s", after);
    result_free(&r);
}

/* ---- tests against the real server ---- */

static void test_socket_file(const fixture_t *fx)
{
    struct stat sb;
    ok(stat(fx->path, &sb) == 0 && S_ISSOCK(sb.st_mode), "socket file exists");
    is_int(sb.st_mode & 07777, 0660, "socket mode is 0660");
    is_int(sb.st_gid, getgid(), "socket group as requested");
}

static void test_basic_commands(const fixture_t *fx)
{
    result_t r;
    call(&r, fx->path, 5000, (char *[]){ "echo", "key", "list", "--verbose", NULL });
    is_int(r.rc, ODS_OK, "echo answered (%s)", r.err.msg);
    is_str(r.out, "key list --verbose\n", "echo stdout");
    ok(r.errlen == 0 && r.status == 0, "echo: no stderr, exit 0");
    result_free(&r);

    call(&r, fx->path, 5000, (char *[]){ "fail", NULL });
    ok(r.rc == ODS_OK && r.status == 3, "fail: exit status 3");
    is_str(r.out, "partial\n", "fail: stdout");
    is_str(r.errout, "went wrong\n", "fail: stderr");
    result_free(&r);

    call(&r, fx->path, 5000, (char *[]){ "status", "300", NULL });
    ok(r.rc == ODS_OK && r.status == 1, "exit status 300 is sent as 1 (got %d)", r.status);
    result_free(&r);
    call(&r, fx->path, 5000, (char *[]){ "status", "255", NULL });
    ok(r.rc == ODS_OK && r.status == 255, "exit status 255 kept");
    result_free(&r);

    call(&r, fx->path, 5000, (char *[]){ "later", "200", NULL });
    ok(r.rc == ODS_OK && r.status == 0 && r.out && strcmp(r.out, "done later\n") == 0,
       "deferred finish from a timer (%s)", r.err.msg);
    result_free(&r);

    call(&r, fx->path, 5000, (char *[]){ "whoami", NULL });
    char want[128];
    snprintf(want, sizeof(want), "pid=%ld uid=%ld gid=%ld\n", (long)getpid(), (long)getuid(),
             (long)getgid());
    is_str(r.out, want, "peer credentials visible to the handler");
    result_free(&r);
}

static void test_big_output(const fixture_t *fx)
{
    size_t total = 6u << 20;
    char arg[32];
    snprintf(arg, sizeof(arg), "%zu", total);
    result_t r;
    call(&r, fx->path, 30000, (char *[]){ "big", arg, NULL });
    ok(r.rc == ODS_OK && r.status == 0, "6 MiB answer completed (%s)", r.err.msg);
    is_int(r.outlen, total, "all 6 MiB arrived");
    size_t bad = 0;
    for (size_t i = 0; i < r.outlen && bad == 0; i++)
        if (r.out[i] != pattern_byte(i))
            bad = i + 1;
    ok(bad == 0, "content intact (first difference at %zu)", bad ? bad - 1 : 0);
    result_free(&r);
    size_t maxp = stat_size(&st.max_pending);
    int efull = stat_get(&st.efull);
    ok(efull > 0, "back-pressure path used (%d times ODS_EFULL)", efull);
    ok(maxp <= test_limits.output_max, "never more than output_max buffered (%zu)", maxp);
}

typedef struct worker {
    const char *path;
    int id, failures;
} worker_t;

static int worker_call(worker_t *w, int kind)
{
    char a[16], b[16];
    result_t r;
    int good;
    snprintf(a, sizeof(a), "w%d", w->id);
    snprintf(b, sizeof(b), "k%d", kind);
    if (kind == 0) {
        call(&r, w->path, 20000, (char *[]){ "echo", a, b, NULL });
        char want[40];
        snprintf(want, sizeof(want), "%s %s\n", a, b);
        good = r.rc == ODS_OK && r.out && strcmp(r.out, want) == 0;
    } else if (kind == 1) {
        call(&r, w->path, 20000, (char *[]){ "later", "50", NULL });
        good = r.rc == ODS_OK && r.out && strcmp(r.out, "done later\n") == 0;
    } else {
        call(&r, w->path, 20000, (char *[]){ "big", "300000", NULL });
        good = r.rc == ODS_OK && r.outlen == 300000 && r.out[299999] == pattern_byte(299999);
    }
    if (!good)
        tap_diag("worker %d kind %d: rc %d %s", w->id, kind, r.rc, r.err.msg);
    result_free(&r);
    return good;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    for (int i = 0; i < 3; i++)
        if (!worker_call(w, (w->id + i) % 3))
            w->failures++;
    return NULL;
}

static void test_concurrent_clients(const fixture_t *fx)
{
    enum { N = 16 };
    pthread_t thr[N];
    worker_t w[N];
    for (int i = 0; i < N; i++) {
        w[i] = (worker_t){ .path = fx->path, .id = i };
        pthread_create(&thr[i], NULL, worker_main, &w[i]);
    }
    int failures = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(thr[i], NULL);
        failures += w[i].failures;
    }
    is_int(failures, 0, "%d clients x 3 commands at once all answered correctly", N);
    size_t maxc = stat_size(&st.max_conns);
    ok(maxc <= (size_t)test_limits.max_conns, "at most max_conns open at once (%zu)", maxc);
}

static void test_client_vanishes(const fixture_t *fx)
{
    ods_buf_t req = ODS_BUF_INIT;
    int closed = stat_get(&st.closed);
    ods_ctl_request_encode(&req, 2, (char *[]){ "big", "8000000" }, NULL);
    int fd = raw_connect(fx->path);
    raw_send(fd, req.data, req.len);
    char buf[1000];
    ok(recv(fd, buf, sizeof(buf), MSG_WAITALL) == (ssize_t)sizeof(buf), "read part of the answer");
    close(fd);
    ok(stat_wait(&st.closed, closed + 1), "handler learned the client vanished mid-answer");

    int held = stat_get(&st.held), finished = stat_get(&st.dead_finished);
    ods_buf_reset(&req);
    ods_ctl_request_encode(&req, 1, (char *[]){ "holdlate" }, NULL);
    fd = raw_connect(fx->path);
    raw_send(fd, req.data, req.len);
    ok(stat_wait(&st.held, held + 1), "deferred command started");
    close(fd);
    ok(stat_wait(&st.dead_finished, finished + 1), "finish after the client left is safe");
    is_int(stat_get(&st.dead_write_rc), ODS_EIO, "printf to a vanished client: ODS_EIO");
    is_int(stat_get(&st.dead_alive), 0, "conn reports the client gone");

    held = stat_get(&st.held);
    finished = stat_get(&st.dead_finished);
    ods_buf_reset(&req);
    ods_ctl_request_encode(&req, 1, (char *[]){ "hold" }, NULL);
    fd = raw_connect(fx->path);
    raw_send(fd, req.data, req.len);
    ok(stat_wait(&st.held, held + 1), "second deferred command started");
    raw_send(fd, "junk", 4);
    ok(stat_wait(&st.dead_finished, finished + 1),
       "data after the request drops the client; handler told");
    close(fd);
    ods_buf_free(&req);
    check_still_serving(fx->path, "clients vanished");
}

static void test_slow_client(const fixture_t *fx)
{
    ods_buf_t req = ODS_BUF_INIT;
    int closed = stat_get(&st.closed);
    ods_ctl_request_encode(&req, 2, (char *[]){ "big", "4000000" }, NULL);
    int fd = raw_connect(fx->path);
    raw_send(fd, req.data, req.len);
    ok(stat_wait(&st.closed, closed + 1), "client that stops reading is dropped");
    close(fd);
    ods_buf_free(&req);
    size_t maxp = stat_size(&st.max_pending);
    ok(maxp <= test_limits.output_max, "memory for a stalled client stays bounded (%zu)", maxp);
    check_still_serving(fx->path, "a stalled client");
}

#define EXCHANGE(lit, shut, a) raw_exchange(fx->path, lit, sizeof(lit) - 1, shut, a)

static void expect_reject(const answer_t *a, const char *why, const char *what)
{
    char want[512];
    snprintf(want, sizeof(want), "the daemon rejected the request: %s\n", why);
    is_str(a->text, want, "%s: the client is told why", what);
    is_int(a->status, ODS_CTL_EXIT_PROTOCOL, "%s: exit status 76", what);
}

static void test_bad_clients(const fixture_t *fx)
{
    answer_t a;
    EXCHANGE("GET / HTTP/1.0\r\n\r\n", 0, &a);
    expect_reject(&a, "frame of 1195725856 bytes exceeds the maximum of 65536 bytes", "garbage");
    EXCHANGE("\0\x01\0\x01\x01", 0, &a);
    expect_reject(&a, "frame of 65537 bytes exceeds the maximum of 65536 bytes", "oversized");
    EXCHANGE("\0\0\0\x64\x01odsc\x01", 1, &a);
    expect_reject(&a, "connection closed after 10 of 104 bytes of a frame", "truncated");
    EXCHANGE("", 0, &a);
    expect_reject(&a, "no complete request within 1000 ms", "silent client");
    EXCHANGE("\0\0\0\x03\x02hi", 0, &a);
    expect_reject(&a, "expected a request frame, got type 0x02", "wrong frame type");
    EXCHANGE("\0\0\0\x0e\x01odsc\x01\0\x02key\0\x1b\0", 0, &a);
    expect_reject(&a,
                  "argument 2 contains control character U+001B at offset 0: only printable "
                  "text and tab are allowed",
                  "control character");
    EXCHANGE("\0\0\0\x0c\x01odsc\x01\0\x01key\0xyz", 0, &a);
    expect_reject(&a, "3 bytes of data after the request", "extra data");
    EXCHANGE("\0\0\0\x0c\x01ODSC\x01\0\x01key\0", 0, &a);
    expect_reject(&a, "not an odsctl request (magic 4f 44 53 43, want \"odsc\")", "bad magic");
    EXCHANGE("\0\0\0\x0a\x01odsc\x02\0\x01x\0", 0, &a);
    ok(a.version == ODS_CTL_PROTO_VERSION && a.status == -1 && a.text[0] == '\0',
       "newer client gets a version frame (%d) and nothing else", a.version);
    check_still_serving(fx->path, "malformed requests");

    result_t r;
    call(&r, fx->path, 5000, (char *[]){ "nconns", NULL });
    is_str(r.out, "1\n", "no connection leaked: only this one is open");
    result_free(&r);
}

static void test_second_server(const fixture_t *fx)
{
    struct event_base *base = event_base_new();
    ods_ctl_server_t *srv = NULL;
    ods_err_t err = { 0 };
    char want[256];
    int rc = ods_ctl_server_new(base, fx->path, 0660, (gid_t)-1, handler, NULL, &srv, &err);
    ok(rc == ODS_EEXIST && srv == NULL, "second server on a busy socket refused");
    snprintf(want, sizeof(want), "another daemon is already listening on %s", fx->path);
    is_str(err.msg, want, "second server: message");
    event_base_free(base);
    check_still_serving(fx->path, "a second server was refused");
}

/* ---- socket file handling (no loop needed) ---- */

static void test_stale_and_bad_paths(const fixture_t *fx)
{
    char path[192], want[256];
    struct event_base *base = event_base_new();
    ods_ctl_server_t *srv = NULL;
    ods_err_t err = { 0 };
    struct sockaddr_un sa;
    socklen_t len;
    struct stat before, after;

    snprintf(path, sizeof(path), "%s/stale.sock", fx->dir);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ods_ctl_sock_addr(path, &sa, &len, NULL);
    ok(bind(fd, (struct sockaddr *)&sa, len) == 0 && stat(path, &before) == 0, "stale socket");
    close(fd);
    int rc = ods_ctl_server_new(base, path, 0600, (gid_t)-1, handler, NULL, &srv, &err);
    is_int(rc, ODS_OK, "stale socket replaced (%s)", err.msg);
    ok(stat(path, &after) == 0 && S_ISSOCK(after.st_mode) && (after.st_mode & 0777) == 0600,
       "new socket file with the requested mode (was %04o)", (unsigned)(before.st_mode & 0777));
    fd = raw_connect(path);
    ok(fd >= 0, "new socket accepts connections");
    close(fd);
    ods_ctl_server_free(srv);
    ok(stat(path, &after) != 0 && errno == ENOENT, "server_free removed its socket");

    FILE *f = fopen(path, "w");
    fclose(f);
    rc = ods_ctl_server_new(base, path, 0660, (gid_t)-1, handler, NULL, &srv, &err);
    is_int(rc, ODS_EEXIST, "a regular file is not replaced");
    snprintf(want, sizeof(want),
             "%s exists and is not a socket: remove it or choose another SocketFile", path);
    is_str(err.msg, want, "regular file: message");
    unlink(path);

    snprintf(path, sizeof(path), "%s/nodir/x.sock", fx->dir);
    rc = ods_ctl_server_new(base, path, 0660, (gid_t)-1, handler, NULL, &srv, &err);
    is_int(rc, ODS_ENOTFOUND, "missing directory");
    snprintf(want, sizeof(want), "cannot create socket %s: its directory does not exist", path);
    is_str(err.msg, want, "missing directory: message");

    char longp[200];
    memset(longp, 'x', sizeof(longp) - 1);
    longp[0] = '/';
    longp[sizeof(longp) - 1] = '\0';
    rc = ods_ctl_server_new(base, longp, 0660, (gid_t)-1, handler, NULL, &srv, &err);
    is_int(rc, ODS_EINVAL, "path too long for a UNIX socket");
    has_str(err.msg, "is too long (199 bytes, at most 107)", "long path: message");
    event_base_free(base);
}

/* ---- client errors against absent and fake daemons ---- */

typedef struct fake {
    int lfd;
    const void *reply;
    size_t len;
    int hang; /* keep the connection open until the client leaves */
} fake_t;

static void *fake_main(void *arg)
{
    fake_t *fk = arg;
    int fd = accept(fk->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    fcntl(fd, F_SETFL, 0);
    ods_ctl_decoder_t d;
    ods_ctl_frame_t f;
    char buf[4096];
    ods_ctl_decoder_init(&d, ODS_CTL_REQUEST_MAX);
    ssize_t n;
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        ods_ctl_decoder_feed(&d, buf, (size_t)n, NULL);
        if (ods_ctl_decoder_next(&d, &f, NULL) != 0)
            break;
    }
    ods_ctl_decoder_free(&d);
    send(fd, fk->reply, fk->len, MSG_NOSIGNAL);
    while (fk->hang && recv(fd, buf, sizeof(buf), 0) > 0)
        ;
    close(fd);
    return NULL;
}

/* Run one call against a fake daemon that answers reply (and maybe hangs). */
static void fake_call(const char *path, const void *reply, size_t len, int hang, int timeout,
                      result_t *r)
{
    struct stat sb;
    fake_t fk = { .reply = reply, .len = len, .hang = hang };
    pthread_t thr;
    if (ods_ctl_sock_listen(path, 0600, (gid_t)-1, &fk.lfd, &sb, NULL) != ODS_OK) {
        memset(r, 0, sizeof(*r));
        return;
    }
    fcntl(fk.lfd, F_SETFL, 0); /* the fake accepts with a blocking accept(2) */
    pthread_create(&thr, NULL, fake_main, &fk);
    call(r, path, timeout, (char *[]){ "echo", "x", NULL });
    pthread_join(thr, NULL);
    close(fk.lfd);
    ods_ctl_sock_unlink(path, &sb);
}

#define FAKE(lit, hang, timeout, r) fake_call(path, lit, sizeof(lit) - 1, hang, timeout, r)

static void expect_call_error(result_t *r, int code, const char *want, const char *what)
{
    is_int(r->rc, code, "%s: code %s", what, ods_strerror(code));
    is_str(r->err.msg, want, "%s: message", what);
    ok(r->status == -1, "%s: no exit status", what);
}

static void test_client_errors(const fixture_t *fx)
{
    char path[192], want[512];
    result_t r;
    snprintf(path, sizeof(path), "%s/fake.sock", fx->dir);

    call(&r, path, 1000, (char *[]){ "echo", NULL });
    snprintf(want, sizeof(want), "no daemon is listening on %s (the socket does not exist)", path);
    expect_call_error(&r, ODS_ENOTFOUND, want, "no socket");
    result_free(&r);

    struct sockaddr_un sa;
    socklen_t len;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ods_ctl_sock_addr(path, &sa, &len, NULL);
    bind(fd, (struct sockaddr *)&sa, len);
    close(fd);
    call(&r, path, 1000, (char *[]){ "echo", NULL });
    snprintf(want, sizeof(want), "no daemon is listening on %s (the socket file is stale)", path);
    expect_call_error(&r, ODS_ENOTFOUND, want, "stale socket");
    result_free(&r);
    unlink(path);

    call(&r, path, 1000, (char *[]){ "zone", "add\n", NULL });
    expect_call_error(&r, ODS_EINVAL,
                      "argument 2 contains control character U+000A at offset 3: only printable "
                      "text and tab are allowed",
                      "bad argument");
    result_free(&r);

    FAKE("\0\0\0\x05\x02half", 0, 5000, &r);
    expect_call_error(&r, ODS_EPROTO,
                      "the daemon closed the connection without finishing the command (see its "
                      "log)",
                      "daemon hangs up");
    is_str(r.out, "half", "daemon hangs up: text before is passed on");
    result_free(&r);

    FAKE("\0\0\0\x02\x7f\x02", 0, 5000, &r);
    expect_call_error(&r, ODS_EPROTO,
                      "odsctl speaks protocol 1, the daemon 2: use the odsctl that came with the "
                      "daemon",
                      "newer daemon");
    result_free(&r);

    FAKE("\0\0\0\x04\x04\0\0\0", 0, 5000, &r);
    snprintf(
        want, sizeof(want),
        "the daemon on %s sent a malformed answer: exit frame has a 3-byte payload, expected 4",
        path);
    expect_call_error(&r, ODS_EPROTO, want, "malformed exit frame");
    result_free(&r);

    FAKE("\x10\0\0\0\x02", 0, 5000, &r);
    snprintf(want, sizeof(want),
             "the daemon on %s sent a malformed answer: frame of 268435456 bytes exceeds the "
             "maximum of 1048576 bytes",
             path);
    expect_call_error(&r, ODS_EPROTO, want, "oversized answer frame");
    result_free(&r);

    FAKE("", 1, 200, &r);
    snprintf(want, sizeof(want), "the daemon on %s did not finish the command within 200 ms", path);
    expect_call_error(&r, ODS_ETIMEOUT, want, "daemon never answers");
    result_free(&r);
}

/* As an unprivileged user, try the root-owned 0660 socket; report rc and message. */
static int perm_child_call(const char *path, char *msg, size_t msglen)
{
    int p[2];
    if (pipe(p) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        ods_err_t err = { 0 };
        int status, rc = ODS_EIO;
        close(p[0]);
        if (setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0)
            rc = ods_ctl_call(path, 1, (char *[]){ "echo", NULL }, NULL, NULL, 2000, &status, &err);
        if (write(p[1], &rc, sizeof(rc)) < 0 || write(p[1], err.msg, strlen(err.msg) + 1) < 0)
            _exit(1);
        _exit(0);
    }
    close(p[1]);
    int rc = 0;
    memset(msg, 0, msglen);
    if (read(p[0], &rc, sizeof(rc)) != sizeof(rc) || read(p[0], msg, msglen - 1) < 0)
        rc = 0;
    close(p[0]);
    waitpid(pid, NULL, 0);
    return rc;
}

static void test_permission_denied(const fixture_t *fx)
{
    if (geteuid() != 0) {
        ok(1, "permission messages # skip needs root to switch users");
        return;
    }
    char msg[ODS_ERR_MSG_MAX], want[512];
    int rc = perm_child_call(fx->path, msg, sizeof(msg));
    is_int(rc, ODS_EPERM, "private directory: permission denied");
    snprintf(want, sizeof(want),
             "permission denied on %s (a directory on the way is not accessible): run as root "
             "or as a member of the daemon's group",
             fx->path);
    is_str(msg, want, "private directory: message");

    chmod(fx->dir, 0711);
    struct group *gr = getgrgid(getgid());
    const char *g = gr ? gr->gr_name : "?";
    rc = perm_child_call(fx->path, msg, sizeof(msg));
    is_int(rc, ODS_EPERM, "socket mode 0660: permission denied");
    snprintf(want, sizeof(want),
             "permission denied on %s (owned by user root, group %s, mode 0660): run as root or "
             "as a member of group %s",
             fx->path, g, g);
    is_str(msg, want, "socket mode 0660: message names owner, group and mode");
    chmod(fx->dir, 0700);
}

/* Freeing the server with a command in progress tells its handler and removes the socket. */
static void test_free_with_live_conn(fixture_t *fx)
{
    ods_buf_t req = ODS_BUF_INIT;
    int held = stat_get(&st.held), finished = stat_get(&st.dead_finished);
    ods_ctl_request_encode(&req, 1, (char *[]){ "hold" }, NULL);
    int fd = raw_connect(fx->path);
    raw_send(fd, req.data, req.len);
    ok(stat_wait(&st.held, held + 1), "command in progress at shutdown");
    fixture_stop(fx);
    is_int(stat_get(&st.dead_finished), finished + 1,
           "server_free told the handler, which finished");
    struct stat sb;
    ok(stat(fx->path, &sb) != 0 && errno == ENOENT, "socket removed by server_free");
    char c;
    ok(recv(fd, &c, 1, 0) == 0, "client sees the connection closed");
    close(fd);
    ods_buf_free(&req);
}

int main(void)
{
    fixture_t fx;
    evthread_use_pthreads();
    if (!fixture_start(&fx))
        return tap_done();
    test_socket_file(&fx);
    test_basic_commands(&fx);
    test_big_output(&fx);
    test_concurrent_clients(&fx);
    test_client_vanishes(&fx);
    test_slow_client(&fx);
    test_bad_clients(&fx);
    test_second_server(&fx);
    test_stale_and_bad_paths(&fx);
    test_client_errors(&fx);
    test_permission_denied(&fx);
    test_free_with_live_conn(&fx);
    rmdir(fx.dir);
    libevent_global_shutdown();
    return tap_done();
}
