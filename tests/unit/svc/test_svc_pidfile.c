/*
 * Unit tests for common/svc pidfile.c and rundir.c: one holder per pid file
 * across processes, the running instance's pid in the refusal, stale files
 * taken over, removal (also after a privilege drop), missing directories.
 */
#include "tap.h"
#include "svc_test.h"

#include "svc/pidfile.h"
#include "svc/rundir.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>

/* A child that creates the pid file, says so on a pipe and waits to be killed. */
static pid_t spawn_holder(const char *path)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        ods_svc_pidfile_t *pf = NULL;
        char c = ods_svc_pidfile_create(path, &pf, NULL) == ODS_OK ? 'y' : 'n';
        if (write(p[1], &c, 1) != 1)
            _exit(2);
        pause();
        _exit(0);
    }
    close(p[1]);
    char c = 0;
    if (read(p[0], &c, 1) != 1 || c != 'y') {
        kill(pid, SIGKILL);
        svc_wait(pid);
        pid = -1;
    }
    close(p[0]);
    return pid;
}

/* In a child: try to create path; the child's message comes back in msg. */
static int create_in_child(const char *path, char *msg, size_t len)
{
    char file[300];
    svc_path(file, sizeof(file), "child-msg");
    pid_t pid = fork();
    if (pid == 0) {
        ods_err_t err = { 0 };
        ods_svc_pidfile_t *pf = NULL;
        int rc = ods_svc_pidfile_create(path, &pf, &err);
        svc_write_file(file, err.msg, 0644);
        _exit(rc == ODS_OK ? 0 : rc == ODS_EEXIST ? 1 : 2);
    }
    int st = svc_wait(pid);
    svc_read_file(file, msg, len);
    return st;
}

/* In a child: the holder pid as ods_svc_pidfile_holder sees it (0 when none). */
static long holder_in_child(const char *path)
{
    char file[300], buf[64];
    svc_path(file, sizeof(file), "child-holder");
    pid_t pid = fork();
    if (pid == 0) {
        pid_t h = 0;
        int rc = ods_svc_pidfile_holder(path, &h, NULL);
        snprintf(buf, sizeof(buf), "%ld", rc == ODS_OK ? (long)h : 0L);
        svc_write_file(file, buf, 0644);
        _exit(0);
    }
    svc_wait(pid);
    return atol(svc_read_file(file, buf, sizeof(buf)));
}

static void test_create_and_refuse(void)
{
    char path[300], buf[512], want[64];
    svc_path(path, sizeof(path), "run/daemon.pid");
    ods_svc_pidfile_t *pf = NULL;
    ods_err_t err = { 0 };
    int rc = ods_svc_pidfile_create(path, &pf, &err);
    is_int(rc, ODS_OK, "create pid file in a missing run directory (%s)", err.msg);
    if (rc != ODS_OK)
        return;
    is_str(ods_svc_pidfile_path(pf), path, "path kept");
    snprintf(want, sizeof(want), "%ld\n", (long)getpid());
    is_str(svc_read_file(path, buf, sizeof(buf)), want, "the file holds our pid");
    struct stat st;
    ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644, "mode 0644 under umask 022");

    is_int(create_in_child(path, buf, sizeof(buf)), 1, "a second process is refused");
    snprintf(want, sizeof(want), "another instance (pid %ld)", (long)getpid());
    has_str(buf, want, "the refusal names the running instance's pid");
    has_str(buf, path, "... and the pid file");
    is_int(holder_in_child(path), getpid(), "holder() in another process sees our pid");
    pid_t self = 0;
    ok(ods_svc_pidfile_holder(path, &self, NULL) == ODS_OK && self == getpid(),
       "holder() in the daemon itself sees its pid ...");
    is_int(create_in_child(path, buf, sizeof(buf)), 1, "... and did not release the lock");

    ods_svc_pidfile_remove(pf);
    ok(access(path, F_OK) != 0, "remove deletes the file");
    is_int(holder_in_child(path), 0, "no holder after removal");
    pid_t h;
    is_int(ods_svc_pidfile_holder(path, &h, &err), ODS_ENOTFOUND, "holder: no file");
    ods_svc_pidfile_remove(NULL);
}

static void test_stale(void)
{
    char path[300], buf[64], want[64];
    svc_path(path, sizeof(path), "stale.pid");
    svc_write_file(path, "99999\n", 0644);
    pid_t h = 0;
    ods_err_t err = { 0 };
    is_int(ods_svc_pidfile_holder(path, &h, &err), ODS_ENOTFOUND, "an unlocked file is stale");
    has_str(err.msg, "stale", "... and said to be");
    ods_svc_pidfile_t *pf = NULL;
    is_int(ods_svc_pidfile_create(path, &pf, &err), ODS_OK, "a stale pid file is taken over");
    snprintf(want, sizeof(want), "%ld\n", (long)getpid());
    is_str(svc_read_file(path, buf, sizeof(buf)), want, "... and holds our pid");
    ods_svc_pidfile_remove(pf);
}

static void test_holder_dies(void)
{
    char path[300], want[64];
    svc_path(path, sizeof(path), "killed.pid");
    pid_t child = spawn_holder(path);
    ok(child > 0, "a child holds the pid file");
    if (child <= 0)
        return;
    ods_svc_pidfile_t *pf = NULL;
    ods_err_t err = { 0 };
    is_int(ods_svc_pidfile_create(path, &pf, &err), ODS_EEXIST, "we are refused while it runs");
    snprintf(want, sizeof(want), "(pid %ld)", (long)child);
    has_str(err.msg, want, "the message names the child's pid");
    pid_t h = 0;
    ok(ods_svc_pidfile_holder(path, &h, NULL) == ODS_OK && h == child, "holder() = the child");
    kill(child, SIGKILL);
    svc_wait(child);
    ok(access(path, F_OK) == 0, "a killed daemon leaves its pid file");
    is_int(ods_svc_pidfile_create(path, &pf, &err), ODS_OK, "... which is taken over (%s)",
           err.msg);
    ods_svc_pidfile_remove(pf);
}

/* Root creates the pid file in a root-owned directory, then becomes nobody. */
static void test_remove_after_drop(void)
{
    struct passwd *pw = getpwnam("nobody");
    if (geteuid() != 0 || pw == NULL) {
        ok(1, "# SKIP remove after a privilege drop needs root and user nobody");
        return;
    }
    char path[300];
    svc_path(path, sizeof(path), "dropped.pid");
    chmod(svc_tmp, 0755); /* like /run/odsng: searchable, writable only by root */
    pid_t pid = fork();
    if (pid == 0) {
        ods_svc_pidfile_t *pf = NULL;
        if (ods_svc_pidfile_create(path, &pf, NULL) != ODS_OK)
            _exit(1);
        if (setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
            _exit(2);
        ods_svc_pidfile_remove(pf);
        _exit(0);
    }
    is_int(svc_wait(pid), 0, "child created the pid file and dropped to nobody");
    struct stat st;
    ok(stat(path, &st) == 0 && st.st_size == 0, "the file it could not remove is emptied");
    is_int(ods_svc_pidfile_holder(path, NULL, NULL), ODS_ENOTFOUND, "... and stale");
    unlink(path);
}

static void test_bad_paths(void)
{
    ods_svc_pidfile_t *pf = NULL;
    ods_err_t err = { 0 };
    char path[300];
    is_int(ods_svc_pidfile_create("run/x.pid", &pf, &err), ODS_EINVAL, "relative path refused");
    svc_path(path, sizeof(path), "no/such/x.pid");
    is_int(ods_svc_pidfile_create(path, &pf, &err), ODS_ENOTFOUND,
           "two missing directory levels: not created");
    has_str(err.msg, "create its parent first", "... the message says what to do");
    svc_path(path, sizeof(path), "afile");
    svc_write_file(path, "x", 0644);
    svc_path(path, sizeof(path), "afile/x.pid");
    is_int(ods_svc_rundir_ensure(path, 0755, &err), ODS_EIO, "rundir: a file in the way");
    has_str(err.msg, "is not a directory", "... explained");
    is_int(ods_svc_rundir_ensure("/x.pid", 0755, &err), ODS_OK, "rundir: a file in /");
}

int main(void)
{
    svc_tmpdir("svc-pidfile");
    umask(022);
    test_create_and_refuse();
    test_stale();
    test_holder_dies();
    test_remove_after_drop();
    test_bad_paths();
    svc_tmpdir_remove();
    return tap_done();
}
