/* sock.c -- creating and removing the control socket file (see sock.h). */
#include "ctl/sock.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int ods_ctl_sock_addr(const char *path, struct sockaddr_un *sa, socklen_t *len, ods_err_t *err)
{
    if (path == NULL || path[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "the control socket path is empty");
    size_t n = strlen(path);
    if (n >= sizeof(sa->sun_path))
        return ods_err_set(err, ODS_EINVAL,
                           "socket path %s is too long (%zu bytes, at most %zu): choose a "
                           "shorter SocketFile",
                           path, n, sizeof(sa->sun_path) - 1);
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, path, n + 1);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    return ODS_OK;
}

/* Is a process accepting connections on path? 1 yes, 0 no (stale), <0 error. */
static int sock_probe(const char *path, const struct sockaddr_un *sa, socklen_t len, ods_err_t *err)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return ods_err_set(err, ODS_EIO, "cannot create a socket to probe %s: %s", path,
                           strerror(errno));
    int rc = connect(fd, (const struct sockaddr *)sa, len);
    int e = errno;
    close(fd);
    if (rc == 0 || e == EAGAIN || e == EINPROGRESS)
        return 1; /* accepted, or its backlog is full: someone listens */
    if (e == ECONNREFUSED || e == ENOENT)
        return 0;
    return ods_err_set(err, ODS_EIO, "cannot check whether a daemon listens on %s: %s", path,
                       strerror(e));
}

/* bind(2) failed with EADDRINUSE: remove path if it is a socket nobody listens on. */
static int sock_remove_stale(const char *path, const struct sockaddr_un *sa, socklen_t len,
                             ods_err_t *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT
                   ? ODS_OK
                   : ods_err_set(err, ODS_EIO, "cannot inspect %s: %s", path, strerror(errno));
    if (!S_ISSOCK(st.st_mode))
        return ods_err_set(err, ODS_EEXIST,
                           "%s exists and is not a socket: remove it or choose another SocketFile",
                           path);
    int rc = sock_probe(path, sa, len, err);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return ods_err_set(err, ODS_EEXIST, "another daemon is already listening on %s", path);
    if (unlink(path) != 0 && errno != ENOENT)
        return ods_err_set(err, ODS_EIO, "cannot remove the stale socket %s: %s", path,
                           strerror(errno));
    return ODS_OK;
}

static int bind_error(const char *path, int e, ods_err_t *err)
{
    if (e == EACCES || e == EPERM || e == EROFS)
        return ods_err_set(err, ODS_EPERM, "cannot create socket %s: %s", path, strerror(e));
    if (e == ENOENT || e == ENOTDIR)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "cannot create socket %s: its directory does not exist", path);
    return ods_err_set(err, ODS_EIO, "cannot create socket %s: %s", path, strerror(e));
}

static int sock_bind(int fd, const char *path, const struct sockaddr_un *sa, socklen_t len,
                     ods_err_t *err)
{
    for (int attempt = 0;; attempt++) {
        if (bind(fd, (const struct sockaddr *)sa, len) == 0)
            return ODS_OK;
        if (errno != EADDRINUSE)
            return bind_error(path, errno, err);
        if (attempt == 1) /* another process bound it between our unlink and bind */
            return ods_err_set(err, ODS_EEXIST, "another daemon is already listening on %s", path);
        int rc = sock_remove_stale(path, sa, len, err);
        if (rc != ODS_OK)
            return rc;
    }
}

static int sock_set_perms(const char *path, mode_t mode, gid_t gid, ods_err_t *err)
{
    if (gid != (gid_t)-1 && lchown(path, (uid_t)-1, gid) != 0)
        return ods_err_set(err, errno == EPERM ? ODS_EPERM : ODS_EIO,
                           "cannot give socket %s to group %ld: %s", path, (long)gid,
                           strerror(errno));
    if (chmod(path, mode) != 0)
        return ods_err_set(err, ODS_EIO, "cannot set mode %04o on socket %s: %s", (unsigned)mode,
                           path, strerror(errno));
    return ODS_OK;
}

int ods_ctl_sock_listen(const char *path, mode_t mode, gid_t gid, int *fd_out, struct stat *st,
                        ods_err_t *err)
{
    struct sockaddr_un sa;
    socklen_t len;
    int rc = ods_ctl_sock_addr(path, &sa, &len, err);
    if (rc != ODS_OK)
        return rc;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return ods_err_set(err, ODS_EIO, "cannot create socket %s: %s", path, strerror(errno));
    rc = sock_bind(fd, path, &sa, len, err);
    if (rc != ODS_OK) {
        close(fd);
        return rc;
    }
    rc = sock_set_perms(path, mode, gid, err);
    if (rc == ODS_OK && listen(fd, SOMAXCONN) != 0)
        rc = ods_err_set(err, ODS_EIO, "cannot listen on socket %s: %s", path, strerror(errno));
    if (rc == ODS_OK && lstat(path, st) != 0)
        rc = ods_err_set(err, ODS_EIO, "socket %s vanished after creation: %s", path,
                         strerror(errno));
    if (rc != ODS_OK) {
        unlink(path);
        close(fd);
        return rc;
    }
    *fd_out = fd;
    return ODS_OK;
}

void ods_ctl_sock_unlink(const char *path, const struct stat *st)
{
    struct stat now;
    if (lstat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino)
        unlink(path);
}
