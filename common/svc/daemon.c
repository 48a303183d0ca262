/*
 * daemon.c -- detach and report the start-up result (see daemon.h).
 *
 * The start-up pipe carries one report, then end-of-file: "R" (ready) or
 * "E" followed by the message. End-of-file without a report means the
 * daemon died during start-up.
 *
 * The two processes this file forks end themselves with _exit when they
 * cannot go on (the intermediate one always does): they never return to the
 * caller, so the rule that library code does not exit is about the caller's
 * processes, which it keeps.
 */
#include "svc/daemon.h"

#include "svc/notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPORT_READY 'R'
#define REPORT_FAIL  'E'
#define REPORT_MAX   2048
#define NO_REASON                                                                                  \
    "the daemon exited during start-up without saying why: see its log, or start it in the "       \
    "foreground with -d"

struct ods_svc_daemon {
    int report_fd; /* write end of the start-up pipe; -1 when none or already used */
    int reported;  /* ready or fail was called */
    int detached;
    char *notify; /* $NOTIFY_SOCKET as found at start, or NULL */
};

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* Send one report through the pipe and close it. */
static void report(int *fd, char kind, const char *message)
{
    if (*fd < 0)
        return;
    char buf[REPORT_MAX];
    int n = snprintf(buf, sizeof(buf), "%c%s", kind, message ? message : "");
    write_all(*fd, buf, n < 0 ? 1 : ((size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1));
    close(*fd);
    *fd = -1;
}

/* In the original process: wait for the report and decide the exit status. */
static int wait_report(int fd, pid_t child)
{
    char buf[REPORT_MAX + 1];
    size_t len = 0;
    while (len < REPORT_MAX) {
        ssize_t n = read(fd, buf + len, REPORT_MAX - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    close(fd);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
    if (len > 0 && buf[0] == REPORT_READY)
        return 0;
    const char *msg = (len > 1 && buf[0] == REPORT_FAIL) ? buf + 1 : NO_REASON;
    fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
    fflush(stderr);
    return 1;
}

/* Standard input, output and error to /dev/null. */
static int stdio_to_null(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return -1;
    for (int i = 0; i <= 2; i++)
        if (fd != i && dup2(fd, i) < 0)
            return -1;
    if (fd > 2)
        close(fd);
    return 0;
}

/* A failure in a process this file forked: tell the original process and end. */
static void child_fail(int *fd, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "cannot detach (%s: %s)", what, strerror(errno));
    report(fd, REPORT_FAIL, msg);
    _exit(1);
}

/* In the first child: new session, fork the daemon, end. Returns in the daemon only. */
static void become_daemon(int *fd)
{
    if (setsid() < 0)
        child_fail(fd, "setsid");
    pid_t pid = fork();
    if (pid < 0)
        child_fail(fd, "fork");
    if (pid > 0)
        _exit(0);
    if (chdir("/") != 0)
        child_fail(fd, "chdir /");
    if (stdio_to_null() != 0)
        child_fail(fd, "/dev/null");
}

static ods_svc_daemon_t *daemon_new(int detach, ods_err_t *err)
{
    ods_svc_daemon_t *d = calloc(1, sizeof(*d));
    const char *ns = getenv(ODS_SVC_NOTIFY_ENV);
    if (d != NULL && ns != NULL && (d->notify = strdup(ns)) == NULL) {
        free(d);
        d = NULL;
    }
    if (d == NULL) {
        ods_err_set(err, ODS_ENOMEM, "out of memory starting the daemon");
        return NULL;
    }
    d->report_fd = -1;
    d->detached = detach != 0;
    return d;
}

int ods_svc_daemon_start(int detach, ods_svc_daemon_t **out, int *exit_status, ods_err_t *err)
{
    ods_svc_daemon_t *d = daemon_new(detach, err);
    if (d == NULL)
        return ODS_ENOMEM;
    int fds[2];
    if (detach && pipe2(fds, O_CLOEXEC) != 0) {
        ods_svc_daemon_free(d);
        return ods_err_set(err, ODS_EIO, "cannot detach (pipe: %s)", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = detach ? fork() : 0;
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        ods_svc_daemon_free(d);
        return ods_err_set(err, ODS_EIO, "cannot detach (fork: %s)", strerror(saved));
    }
    if (pid > 0) {
        close(fds[1]);
        ods_svc_daemon_free(d);
        *exit_status = wait_report(fds[0], pid);
        return ODS_SVC_ORIGINAL;
    }
    if (detach) {
        close(fds[0]);
        d->report_fd = fds[1];
        become_daemon(&d->report_fd);
    }
    unsetenv(ODS_SVC_NOTIFY_ENV);
    umask(027);
    *out = d;
    return ODS_OK;
}

int ods_svc_daemon_ready(ods_svc_daemon_t *d, ods_err_t *err)
{
    if (d == NULL || d->reported)
        return ODS_OK;
    d->reported = 1;
    report(&d->report_fd, REPORT_READY, NULL);
    return ods_svc_notify_send(d->notify, "READY=1", err);
}

void ods_svc_daemon_fail(ods_svc_daemon_t *d, const char *message)
{
    if (d == NULL || d->reported)
        return;
    d->reported = 1;
    if (message == NULL || message[0] == '\0')
        message = "start-up failed";
    if (d->detached) {
        report(&d->report_fd, REPORT_FAIL, message);
    } else {
        fprintf(stderr, "%s: %s\n", program_invocation_short_name, message);
        fflush(stderr);
    }
    char state[REPORT_MAX];
    snprintf(state, sizeof(state), "STATUS=%s", message);
    ods_svc_notify_send(d->notify, state, NULL);
}

int ods_svc_daemon_notify(ods_svc_daemon_t *d, const char *state, ods_err_t *err)
{
    return d == NULL ? ODS_OK : ods_svc_notify_send(d->notify, state, err);
}

int ods_svc_daemon_detached(const ods_svc_daemon_t *d)
{
    return d != NULL && d->detached;
}

void ods_svc_daemon_free(ods_svc_daemon_t *d)
{
    if (d == NULL)
        return;
    if (d->report_fd >= 0)
        close(d->report_fd);
    free(d->notify);
    free(d);
}
