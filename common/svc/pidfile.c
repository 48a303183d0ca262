/* pidfile.c -- lock and write the daemon's pid file (see pidfile.h). */
#include "svc/pidfile.h"

#include "svc/rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Replacing a file another starter removed between our open and our lock. */
#define PIDFILE_TRIES 5
/* A busy lock is tried this often, 20 ms apart, so that a quick look by
 * ods_svc_pidfile_holder does not make a starting daemon give up. */
#define LOCK_TRIES 5

struct ods_svc_pidfile {
    char *path;
    int fd;
    struct stat st; /* identity of the file we locked */
};

static int open_error(const char *path, int e, ods_err_t *err)
{
    int code = (e == EACCES || e == EPERM || e == EROFS) ? ODS_EPERM
               : (e == ENOENT || e == ENOTDIR)           ? ODS_ENOTFOUND
                                                         : ODS_EIO;
    return ods_err_set(err, code, "cannot open pid file %s: %s%s", path, strerror(e),
                       code == ODS_EPERM ? " (start the daemon as root)" : "");
}

/* The pid written in the file open on fd; 0 when there is none. */
static pid_t pid_in_file(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *end;
    long pid = strtol(buf, &end, 10);
    return (pid > 0 && end != buf && (*end == '\n' || *end == '\0')) ? (pid_t)pid : 0;
}

static int refuse(const char *path, int fd, ods_err_t *err)
{
    pid_t pid = pid_in_file(fd);
    char who[64] = "another instance";
    if (pid > 0)
        snprintf(who, sizeof(who), "another instance (pid %ld)", (long)pid);
    return ods_err_set(err, ODS_EEXIST,
                       "%s holds the pid file %s: it is already running; stop it first, or give "
                       "this one its own PidFile and SocketFile in conf.xml",
                       who, path);
}

/* 1 when path still names the file open on fd. */
static int same_file(const char *path, int fd, struct stat *st)
{
    struct stat pst;
    return fstat(fd, st) == 0 && stat(path, &pst) == 0 && pst.st_dev == st->st_dev &&
           pst.st_ino == st->st_ino;
}

static int write_pid(const char *path, int fd, ods_err_t *err)
{
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n)
        return ods_err_set(err, ODS_EIO, "cannot write pid file %s: %s", path, strerror(errno));
    return ODS_OK;
}

/* Exclusive lock without blocking for long; 0 or -1 with errno. */
static int lock_exclusive(int fd)
{
    for (int i = 1;; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
        if (errno != EWOULDBLOCK || i == LOCK_TRIES)
            return -1;
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

/* Open and lock; 1 to retry when the file was replaced under us. */
static int lock_once(const char *path, int *fdp, struct stat *st, ods_err_t *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return open_error(path, errno, err);
    if (lock_exclusive(fd) != 0) {
        int rc = errno == EWOULDBLOCK ? refuse(path, fd, err)
                                      : ods_err_set(err, ODS_EIO, "cannot lock pid file %s: %s",
                                                    path, strerror(errno));
        close(fd);
        return rc;
    }
    if (!same_file(path, fd, st)) {
        close(fd);
        return 1;
    }
    *fdp = fd;
    return ODS_OK;
}

int ods_svc_pidfile_create(const char *path, ods_svc_pidfile_t **out, ods_err_t *err)
{
    if (path == NULL || path[0] != '/')
        return ods_err_set(err, ODS_EINVAL, "pid file '%s' is not an absolute path",
                           path ? path : "");
    int rc = ods_svc_rundir_ensure(path, 0755, err);
    if (rc != ODS_OK)
        return rc;
    ods_svc_pidfile_t *pf = calloc(1, sizeof(*pf));
    if (pf == NULL || (pf->path = strdup(path)) == NULL) {
        free(pf);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    rc = 1;
    for (int i = 0; i < PIDFILE_TRIES && rc == 1; i++)
        rc = lock_once(path, &pf->fd, &pf->st, err);
    if (rc == 1)
        rc = ods_err_set(err, ODS_EIO, "pid file %s keeps being replaced while locking it", path);
    if (rc == ODS_OK && (rc = write_pid(path, pf->fd, err)) != ODS_OK)
        close(pf->fd);
    if (rc != ODS_OK) {
        free(pf->path);
        free(pf);
        return rc;
    }
    *out = pf;
    return ODS_OK;
}

const char *ods_svc_pidfile_path(const ods_svc_pidfile_t *pf)
{
    return pf ? pf->path : NULL;
}

void ods_svc_pidfile_remove(ods_svc_pidfile_t *pf)
{
    if (pf == NULL)
        return;
    struct stat st;
    if (!same_file(pf->path, pf->fd, &st) || unlink(pf->path) != 0) {
        /* Not removed (after a privilege drop the directory may not let us): empty
         * our file instead. Once the lock is released it is stale either way. */
        int rc = ftruncate(pf->fd, 0);
        (void)rc;
    }
    close(pf->fd);
    free(pf->path);
    free(pf);
}

int ods_svc_pidfile_holder(const char *path, pid_t *pid, ods_err_t *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return ods_err_set(err, ODS_ENOTFOUND, "no pid file %s: not running", path);
        return open_error(path, errno, err);
    }
    int locked = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    pid_t holder = locked ? pid_in_file(fd) : 0;
    close(fd);
    if (!locked)
        return ods_err_set(err, ODS_ENOTFOUND, "pid file %s is stale: not running", path);
    if (pid != NULL)
        *pid = holder;
    return ODS_OK;
}
