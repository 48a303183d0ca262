/*
 * Unit tests for common/svc daemon.c and notify.c: the original process exits
 * with the daemon's start-up result (status and message on stderr), the daemon
 * is detached (new session, cwd /, stdio on /dev/null, umask 027), and the
 * service manager gets READY=1 / STATUS= datagrams on $NOTIFY_SOCKET.
 */
#include "tap.h"
#include "svc_test.h"

#include "svc/daemon.h"
#include "svc/notify.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

enum outcome { DAEMON_READY, DAEMON_FAIL, DAEMON_DIES };

#define FAIL_MSG "cannot open /nonexistent/conf.xml: No such file or directory"

/* In the detached daemon: write what it sees to facts, then report. */
static void daemon_body(ods_svc_daemon_t *d, const char *facts, enum outcome how)
{
    char cwd[256] = "";
    struct stat in, null;
    int in_null = fstat(0, &in) == 0 && stat("/dev/null", &null) == 0 && in.st_rdev == null.st_rdev;
    mode_t mask = umask(0);
    char text[512];
    snprintf(text, sizeof(text), "pid=%ld sid=%ld ppid=%ld cwd=%s stdin_null=%d umask=%03o\n",
             (long)getpid(), (long)getsid(0), (long)getppid(), getcwd(cwd, sizeof(cwd)), in_null,
             (unsigned)mask);
    svc_write_file(facts, text, 0644);
    if (how == DAEMON_READY)
        ods_svc_daemon_ready(d, NULL);
    else if (how == DAEMON_FAIL)
        ods_svc_daemon_fail(d, FAIL_MSG);
    _exit(how == DAEMON_DIES ? 3 : 0);
}

/* Fork the "daemon's main": it detaches; returns its pid. stderr goes to errfile. */
static pid_t start_original(const char *facts, const char *errfile, enum outcome how)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    ods_svc_daemon_t *d = NULL;
    int status = 99;
    int rc = ods_svc_daemon_start(1, &d, &status, NULL);
    if (rc == ODS_SVC_ORIGINAL)
        _exit(status);
    if (rc != ODS_OK)
        _exit(98);
    daemon_body(d, facts, how);
    return 0;
}

static void test_detach(enum outcome how, const char *name, int want_status, const char *want_err)
{
    char facts[300], errfile[300], buf[1024];
    svc_path(facts, sizeof(facts), "facts");
    svc_path(errfile, sizeof(errfile), "stderr");
    unlink(facts);
    pid_t original = start_original(facts, errfile, how);
    int status = svc_wait(original);
    is_int(status, want_status, "%s: the original process exits %d", name, want_status);
    svc_read_file(errfile, buf, sizeof(buf));
    if (want_err == NULL)
        is_str(buf, "", "%s: nothing on stderr", name);
    else
        has_str(buf, want_err, "%s: stderr says why", name);

    long pid = 0, sid = 0, ppid = 0;
    int in_null = 0;
    unsigned mask = 0;
    char cwd[256] = "";
    svc_read_file(facts, buf, sizeof(buf));
    buf[strcspn(buf, "\n")] = '\0';
    int n = sscanf(buf, "pid=%ld sid=%ld ppid=%ld cwd=%255s stdin_null=%d umask=%o", &pid, &sid,
                   &ppid, cwd, &in_null, &mask);
    ok(n == 6, "%s: the daemon ran and reported (%s)", name, buf);
    ok(pid != original && pid > 0, "%s: the daemon is another process", name);
    ok(sid != pid && sid > 0, "%s: in a new session, not its leader (cannot get a tty)", name);
    is_str(cwd, "/", "%s: working directory /", name);
    ok(in_null, "%s: stdin is /dev/null", name);
    is_int(mask, 027, "%s: umask 027", name);
}

static void test_foreground(void)
{
    char errfile[300], buf[512];
    svc_path(errfile, sizeof(errfile), "fg-stderr");
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 2);
        pid_t me = getpid();
        ods_svc_daemon_t *d = NULL;
        int status = 99;
        int rc = ods_svc_daemon_start(0, &d, &status, NULL);
        if (rc != ODS_OK || getpid() != me || ods_svc_daemon_detached(d))
            _exit(10);
        ods_svc_daemon_fail(d, "second instance");
        ods_svc_daemon_fail(d, "not printed: only the first report counts");
        ods_svc_daemon_free(d);
        _exit(0);
    }
    is_int(svc_wait(pid), 0, "foreground: start returns in the same process");
    svc_read_file(errfile, buf, sizeof(buf));
    has_str(buf, "test_svc_daemon: second instance", "foreground: fail prints to stderr");
    ok(strstr(buf, "not printed") == NULL, "foreground: a second report is ignored");
}

/* A datagram socket standing in for the service manager. */
static int notify_listen(const char *address, struct sockaddr_un *sa)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    socklen_t len = sizeof(*sa);
    strncpy(sa->sun_path, address, sizeof(sa->sun_path) - 1);
    if (address[0] == '@') {
        sa->sun_path[0] = '\0';
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(address));
    }
    if (bind(fd, (struct sockaddr *)sa, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void recv_text(int fd, char *buf, size_t len)
{
    struct timeval tv = { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ssize_t n = recv(fd, buf, len - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
}

/* A child with NOTIFY_SOCKET set runs start/ready or fail; check the datagrams. */
static void test_notify_one(const char *address, int detach, int fail, const char *name)
{
    struct sockaddr_un sa;
    int fd = notify_listen(address, &sa);
    ok(fd >= 0, "%s: service manager socket bound", name);
    if (fd < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2); /* the foreground failure message is checked elsewhere */
        setenv(ODS_SVC_NOTIFY_ENV, address, 1);
        ods_svc_daemon_t *d = NULL;
        int status = 0;
        int rc = ods_svc_daemon_start(detach, &d, &status, NULL);
        if (rc == ODS_SVC_ORIGINAL)
            _exit(status);
        if (getenv(ODS_SVC_NOTIFY_ENV) != NULL)
            _exit(11); /* must not leak to the commands the daemon runs */
        if (fail)
            ods_svc_daemon_fail(d, "bad config");
        else if (ods_svc_daemon_ready(d, NULL) != ODS_OK)
            _exit(12);
        ods_svc_daemon_notify(d, "STOPPING=1", NULL);
        ods_svc_daemon_free(d);
        _exit(0);
    }
    char buf[256];
    recv_text(fd, buf, sizeof(buf));
    is_str(buf, fail ? "STATUS=bad config" : "READY=1", "%s: first datagram", name);
    recv_text(fd, buf, sizeof(buf));
    is_str(buf, "STOPPING=1", "%s: notify passes a state through", name);
    int st = svc_wait(pid);
    is_int(st, fail && detach ? 1 : 0, "%s: exit status", name);
    close(fd);
    if (address[0] == '/')
        unlink(address);
}

static void test_notify(void)
{
    char path[300], abstract[64];
    svc_path(path, sizeof(path), "notify");
    snprintf(abstract, sizeof(abstract), "@odsng-test-notify-%ld", (long)getpid());
    test_notify_one(path, 0, 0, "notify path, foreground, ready");
    test_notify_one(abstract, 0, 0, "notify abstract, foreground, ready");
    test_notify_one(path, 1, 0, "notify path, detached, ready");
    test_notify_one(path, 0, 1, "notify path, foreground, fail");
    test_notify_one(path, 1, 1, "notify path, detached, fail");

    ods_err_t err = { 0 };
    is_int(ods_svc_notify_send("relative/sock", "READY=1", &err), ODS_EINVAL,
           "a relative NOTIFY_SOCKET is refused");
    has_str(err.msg, "neither an absolute path", "... with an explanation");
    is_int(ods_svc_notify_send(NULL, "READY=1", NULL), ODS_OK, "no NOTIFY_SOCKET: nothing to do");
    svc_path(path, sizeof(path), "no-such-socket");
    is_int(ods_svc_notify_send(path, "READY=1", &err), ODS_EIO, "nobody listening: ODS_EIO");
    has_str(err.msg, path, "... naming the address");
}

int main(void)
{
    svc_tmpdir("svc-daemon");
    unsetenv(ODS_SVC_NOTIFY_ENV);
    test_detach(DAEMON_READY, "ready", 0, NULL);
    test_detach(DAEMON_FAIL, "fail", 1, "test_svc_daemon: " FAIL_MSG);
    test_detach(DAEMON_DIES, "dies", 1, "without saying why");
    test_foreground();
    test_notify();
    svc_tmpdir_remove();
    return tap_done();
}
