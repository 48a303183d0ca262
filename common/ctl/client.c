/* client.c -- blocking control client for odsctl (see client.h). */
#include "ctl/client.h"
#include "ctl/proto.h"
#include "ctl/sock.h"
#include "util/clock.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* One call: the socket, its deadline and where the answer goes. */
typedef struct call {
    const char *path;
    int fd;
    int timeout_ms;
    double deadline; /* ods_clock_monotonic() seconds; 0 = none */
    FILE *out, *errout;
    ods_ctl_decoder_t dec;
} call_t;

/* Milliseconds left for poll(2): -1 without a deadline, 0 when it has passed. */
static int call_remaining(const call_t *c)
{
    if (c->deadline == 0)
        return -1;
    double left = c->deadline - ods_clock_monotonic();
    return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

static int call_timeout(const call_t *c, const char *what, ods_err_t *err)
{
    return ods_err_set(err, ODS_ETIMEOUT, "the daemon on %s did not %s within %d ms", c->path, what,
                       c->timeout_ms);
}

/* ---- connecting ---- */

static void name_of_user(uid_t uid, char *buf, size_t len)
{
    struct passwd pw, *res = NULL;
    char tmp[1024];
    if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
        snprintf(buf, len, "%s", res->pw_name);
    else
        snprintf(buf, len, "%ld", (long)uid);
}

static void name_of_group(gid_t gid, char *buf, size_t len)
{
    struct group gr, *res = NULL;
    char tmp[4096];
    if (getgrgid_r(gid, &gr, tmp, sizeof(tmp), &res) == 0 && res)
        snprintf(buf, len, "%s", res->gr_name);
    else
        snprintf(buf, len, "%ld", (long)gid);
}

static int permission_denied(const char *path, ods_err_t *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return ods_err_set(err, ODS_EPERM,
                           "permission denied on %s (a directory on the way is not accessible): "
                           "run as root or as a member of the daemon's group",
                           path);
    char user[64], group[64];
    name_of_user(st.st_uid, user, sizeof(user));
    name_of_group(st.st_gid, group, sizeof(group));
    return ods_err_set(err, ODS_EPERM,
                       "permission denied on %s (owned by user %s, group %s, mode %04o): run as "
                       "root or as a member of group %s",
                       path, user, group, (unsigned)(st.st_mode & 07777), group);
}

static int connect_error(const call_t *c, int e, ods_err_t *err)
{
    switch (e) {
    case ENOENT:
        return ods_err_set(err, ODS_ENOTFOUND,
                           "no daemon is listening on %s (the socket does not exist)", c->path);
    case ENOTDIR:
        return ods_err_set(err, ODS_ENOTFOUND,
                           "no daemon is listening on %s (a part of the path is not a directory)",
                           c->path);
    case ECONNREFUSED:
        return ods_err_set(err, ODS_ENOTFOUND,
                           "no daemon is listening on %s (the socket file is stale)", c->path);
    case EACCES:
    case EPERM:
        return permission_denied(c->path, err);
    case EAGAIN:
    case EINPROGRESS:
    case ETIMEDOUT:
        return call_timeout(c, "accept the connection", err);
    default:
        return ods_err_set(err, ODS_EIO, "cannot connect to %s: %s", c->path, strerror(e));
    }
}

/* Connect; SO_SNDTIMEO bounds a connect to a full backlog and the request write. */
static int call_connect(call_t *c, ods_err_t *err)
{
    struct sockaddr_un sa;
    socklen_t len;
    int rc = ods_ctl_sock_addr(c->path, &sa, &len, err);
    if (rc != ODS_OK)
        return rc;
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return ods_err_set(err, ODS_EIO, "cannot create a socket: %s", strerror(errno));
    if (c->timeout_ms > 0) {
        struct timeval tv = { c->timeout_ms / 1000, (c->timeout_ms % 1000) * 1000 };
        setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    }
    while (connect(c->fd, (struct sockaddr *)&sa, len) != 0) {
        if (errno != EINTR)
            return connect_error(c, errno, err);
    }
    return ODS_OK;
}

/* Send the request. A daemon that hangs up early may have said why: the caller reads on. */
static int call_send(call_t *c, const ods_buf_t *req, ods_err_t *err)
{
    size_t off = 0;
    while (off < req->len) {
        ssize_t n = send(c->fd, req->data + off, req->len - off, MSG_NOSIGNAL);
        if (n >= 0) {
            off += (size_t)n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EPIPE || errno == ECONNRESET)
            return ODS_OK;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return call_timeout(c, "take the command", err);
        return ods_err_set(err, ODS_EIO, "cannot send the command to %s: %s", c->path,
                           strerror(errno));
    }
    return ODS_OK;
}

/* ---- the answer ---- */

static int copy_text(FILE *f, const ods_ctl_response_t *r, ods_err_t *err)
{
    if (f == NULL || r->len == 0)
        return ODS_OK;
    if (fwrite(r->text, 1, r->len, f) != r->len || fflush(f) != 0)
        return ods_err_set(err, ODS_EIO, "cannot write the daemon's output: %s", strerror(errno));
    return ODS_OK;
}

static int malformed(const call_t *c, int rc, ods_err_t *err)
{
    ods_err_prefix(err, "the daemon on %s sent a malformed answer: ", c->path);
    return rc;
}

/* Handle one frame: ODS_OK to go on, 1 with *status at the exit frame, <0 on error. */
static int call_frame(call_t *c, const ods_ctl_frame_t *f, int *status, ods_err_t *err)
{
    ods_ctl_response_t r;
    int rc = ods_ctl_response_decode(f, &r, err);
    if (rc != ODS_OK)
        return malformed(c, rc, err);
    switch (r.type) {
    case ODS_CTL_FRAME_STDOUT:
        return copy_text(c->out, &r, err);
    case ODS_CTL_FRAME_STDERR:
        return copy_text(c->errout, &r, err);
    case ODS_CTL_FRAME_EXIT:
        *status = r.exit_status;
        return 1;
    default:
        return ods_ctl_version_mismatch(err, r.version);
    }
}

/* Feed n bytes and handle every complete frame. Same results as call_frame. */
static int call_feed(call_t *c, const void *buf, size_t n, int *status, ods_err_t *err)
{
    ods_ctl_frame_t f;
    int rc = ods_ctl_decoder_feed(&c->dec, buf, n, err);
    while (rc == ODS_OK) {
        rc = ods_ctl_decoder_next(&c->dec, &f, err);
        if (rc == 0)
            return ODS_OK;
        if (rc < 0)
            return malformed(c, rc, err);
        rc = call_frame(c, &f, status, err);
    }
    return rc;
}

static int closed_early(ods_err_t *err)
{
    return ods_err_set(err, ODS_EPROTO,
                       "the daemon closed the connection without finishing the "
                       "command (see its log)");
}

static int call_receive(call_t *c, int *status, ods_err_t *err)
{
    uint8_t buf[16384];
    for (;;) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        int pr = poll(&pfd, 1, call_remaining(c));
        if (pr == 0)
            return call_timeout(c, "finish the command", err);
        if (pr < 0 && errno != EINTR)
            return ods_err_set(err, ODS_EIO, "waiting for %s: %s", c->path, strerror(errno));
        if (pr < 0)
            continue;
        ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return closed_early(err);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return ods_err_set(err, ODS_EIO, "reading from %s: %s", c->path, strerror(errno));
        if (n < 0)
            continue;
        int rc = call_feed(c, buf, (size_t)n, status, err);
        if (rc != ODS_OK)
            return rc;
    }
}

int ods_ctl_call(const char *socket_path, int argc, char *const *argv, FILE *out, FILE *errout,
                 int timeout_ms, int *exit_status, ods_err_t *err)
{
    ods_buf_t req = ODS_BUF_INIT;
    int rc = ods_ctl_request_encode(&req, argc, argv, err);
    if (rc != ODS_OK)
        return rc;
    call_t c = {
        .path = socket_path, .fd = -1, .timeout_ms = timeout_ms, .out = out, .errout = errout
    };
    if (timeout_ms > 0)
        c.deadline = ods_clock_monotonic() + timeout_ms / 1000.0;
    ods_ctl_decoder_init(&c.dec, ODS_CTL_RESPONSE_MAX);
    int status = 0;
    rc = call_connect(&c, err);
    if (rc == ODS_OK)
        rc = call_send(&c, &req, err);
    if (rc == ODS_OK)
        rc = call_receive(&c, &status, err);
    if (c.fd >= 0)
        close(c.fd);
    ods_ctl_decoder_free(&c.dec);
    ods_buf_wipe_free(&req); /* the request may carry a PIN (odsctl hsm login) */
    if (rc == 1) {
        *exit_status = status;
        return ODS_OK;
    }
    return rc;
}
