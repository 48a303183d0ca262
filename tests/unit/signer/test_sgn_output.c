/*
 * sgn_output: the file output adapter and the NotifyCommand. The written
 * zone is read back with ldns (an independent parser); a failed write
 * (directory not writable, file size limit reached half way) leaves the old
 * file as it was and no temporary file behind. As root the unwritable
 * directory is tested from a child process that drops to user nobody.
 * NotifyCommand: argument splitting, quotes, %zone / %zonefile, shell
 * metacharacters passed literally, exit status and signals, missing programs.
 */
#include "tap.h"

#include "sgn_output.h"
#include "dns/denial.h"
#include "sgn_test.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static st_env_t env;

/* Records in a master file according to ldns; -1 if ldns rejects it. */
static long ldns_count(const char *path, const char *origin)
{
    FILE *f = fopen(path, "r");
    ldns_zone *z = NULL;
    ldns_rdf *o = ldns_dname_new_frm_str(origin);
    long n = -1;
    if (f && ldns_zone_new_frm_fp(&z, f, o, 3600, LDNS_RR_CLASS_IN) == LDNS_STATUS_OK)
        n = (long)ldns_rr_list_rr_count(ldns_zone_rrs(z)) + 1; /* + SOA */
    if (f)
        fclose(f);
    ldns_zone_deep_free(z);
    ldns_rdf_deep_free(o);
    return n;
}

static const char *zone_text(int hosts)
{
    static char *text;
    size_t cap = 200 + (size_t)hosts * 40, off;
    free(text);
    text = malloc(cap);
    off = (size_t)snprintf(text, cap,
                           "$ORIGIN example.com.\n$TTL 600\n"
                           "@ SOA ns1 hostmaster 7 7200 3600 1209600 300\n@ NS ns1\n"
                           "ns1 A 192.0.2.1\n");
    for (int i = 0; i < hosts; i++)
        off += (size_t)snprintf(text + off, cap - off, "h%d TXT \"record %d\"\n", i, i);
    return text;
}

static void test_write(void)
{
    char why[1024] = "";
    ods_zone_t *z = st_zone(&env, "example.com", "in.zone", zone_text(1000), why, sizeof(why));
    if (!ok(z != NULL, "input zone (%s)", why))
        return;
    const char *out = st_path(&env, "out.zone");
    size_t nrr = 0;
    ods_err_t err = { 0 };
    struct stat sb1, sb2;
    int rc = sgn_output_write(z, out, NULL, &nrr, &err);
    ok(rc == ODS_OK && nrr == 1003, "written: %zu records (%s)", nrr, err.msg);
    is_int(ldns_count(out, "example.com."), 1003, "ldns reads the same number of records back");
    ok(stat(out, &sb1) == 0 && (sb1.st_mode & 0777) == 0644, "mode 0644 (nsd must read it)");
    is_int(st_entries(env.dir, ".tmp"), 0, "no temporary file left");
    rc = sgn_output_write(z, out, NULL, &nrr, &err);
    if (rc != ODS_OK || stat(out, &sb2) != 0)
        sb2.st_ino = sb1.st_ino;
    ok(sb2.st_ino != sb1.st_ino,
       "written again: a new file renamed over the old one (inode %lu -> %lu)",
       (unsigned long)sb1.st_ino, (unsigned long)sb2.st_ino);
    ods_zone_free(z);
}

/* Formatted on a pool of signing threads: the same file, byte for byte, in
 * several waves (20000 names, NSEC3 records included, is many pieces). */
static void test_write_pool(void)
{
    char why[1024] = "";
    ods_zone_t *z = st_zone(&env, "example.com", "big.zone", zone_text(20000), why, sizeof(why));
    if (!ok(z != NULL, "a 20000-name zone (%s)", why))
        return;
    ods_err_t err = { 0 };
    ods_nsec3_params_t p = { 1, 0, 0, 0, NULL };
    ok(ods_denial_nsec3(z, &p, false, 300, NULL, &err) == ODS_OK, "with NSEC3 (%s)", err.msg);
    sgn_pool_t *pool = NULL;
    if (!ok(sgn_pool_new(env.hsm, 2, &pool, &err) == ODS_OK, "pool (%s)", err.msg)) {
        ods_zone_free(z);
        return;
    }
    size_t n1 = 0, n2 = 0;
    const char *a = st_path(&env, "serial.zone"), *b = st_path(&env, "pooled.zone");
    ok(sgn_output_write(z, a, NULL, &n1, &err) == ODS_OK, "written by one thread (%s)", err.msg);
    ok(sgn_output_write(z, b, pool, &n2, &err) == ODS_OK, "written by the pool (%s)", err.msg);
    char *ta = st_read(a), *tb = st_read(b);
    ok(ta && tb && strcmp(ta, tb) == 0 && n1 == n2 && n1 == 40005,
       "the same text and record count (%zu and %zu records)", n1, n2);
    is_int(ldns_count(b, "example.com."), 40005, "ldns reads every record of the pooled write");
    free(ta);
    free(tb);
    sgn_pool_free(pool);
    ods_zone_free(z);
}

/* Run sgn_output_write in a child (optionally as nobody, optionally with a file size limit). */
static int child_write(const ods_zone_t *z, const char *out, bool as_nobody, rlim_t fsize,
                       char *msg, size_t msglen)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        ods_err_t err = { 0 };
        struct passwd *pw = as_nobody ? getpwnam("nobody") : NULL;
        if (as_nobody && (pw == NULL || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0))
            _exit(2);
        if (fsize != RLIM_INFINITY) {
            struct rlimit rl = { fsize, fsize };
            signal(SIGXFSZ, SIG_IGN);
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
                _exit(2);
        }
        size_t nrr;
        int rc = sgn_output_write(z, out, NULL, &nrr, &err);
        if (write(fds[1], err.msg, strlen(err.msg)) < 0)
            _exit(2);
        _exit(rc == ODS_EIO ? 0 : 1);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], msg, msglen - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_failed_write(void)
{
    char why[1024] = "", msg[2048] = "";
    ods_zone_t *z = st_zone(&env, "example.com", "big.zone", zone_text(20000), why, sizeof(why));
    if (!ok(z != NULL, "a 20000-record zone (%s)", why))
        return;
    const char *out = st_path(&env, "keep.zone");
    st_write(out, "; the previous version\n");

    /* the directory is not writable for the signer's user */
    int rc;
    if (geteuid() == 0 && getpwnam("nobody") == NULL) {
        ok(1, "# SKIP an unwritable directory needs user nobody when run as root");
    } else {
        /* nobody may enter the directory and read the file, but not write there */
        chmod(env.fx.dir, 0711);
        chmod(env.dir, geteuid() == 0 ? 0755 : 0555);
        chmod(out, 0644);
        rc = child_write(z, out, geteuid() == 0, RLIM_INFINITY, msg, sizeof(msg));
        chmod(env.dir, 0700);
        chmod(env.fx.dir, 0700);
        ok(rc == 0 && strstr(msg, out) != NULL,
           "directory not writable: ODS_EIO naming the file (%s)", msg);
        char *text = st_read(out);
        is_str(text, "; the previous version\n", "the old file is kept");
        free(text);
        is_int(st_entries(env.dir, ".tmp"), 0, "no temporary file left");
    }

    /* the disk fills up half way (a file size limit: EFBIG, also for root) */
    rc = child_write(z, out, false, 64 * 1024, msg, sizeof(msg));
    ok(rc == 0 && strstr(msg, out) != NULL,
       "write fails after 64 KiB: ODS_EIO naming the file (%s)", msg);
    char *text = st_read(out);
    is_str(text, "; the previous version\n", "the old file is kept");
    free(text);
    is_int(st_entries(env.dir, ".tmp"), 0, "no temporary file left");

    /* the output directory does not exist */
    ods_err_t err = { 0 };
    size_t nrr;
    ok(sgn_output_write(z, st_path(&env, "missing/out.zone"), NULL, &nrr, &err) == ODS_EIO &&
           strstr(err.msg, "missing/out.zone"),
       "no such directory: ODS_EIO (%s)", err.msg);
    ods_zone_free(z);
}

/* ---- NotifyCommand ---- */

static const char *script(const char *name, const char *body)
{
    const char *path = st_path(&env, name);
    char text[2048];
    snprintf(text, sizeof(text), "#!/bin/sh\n%s\n", body);
    st_write(path, text);
    chmod(path, 0755);
    return path;
}

/* Run cmd; returns the recorded arguments ("[a][b]") or NULL; *status, *rc. */
static char *notify(const char *cmd, const char *zone, const char *file, int *status, int *rc,
                    ods_err_t *err)
{
    unlink(st_path(&env, "notify.out"));
    *status = -1;
    *rc = sgn_notify_run(cmd, zone, file, status, err);
    char *text = st_read(st_path(&env, "notify.out"));
    for (char *p = text; p && *p; p++)
        if (*p == '\n')
            *p = ']';
    return text;
}

static void test_notify(void)
{
    char cmd[4096];
    int status, rc;
    ods_err_t err = { 0 };
    char *args;
    const char *rec = script("record.sh", "out=\"$(dirname \"$0\")/notify.out\"\n: > \"$out\"\n"
                                          "for a in \"$@\"; do printf '[%s\\n' \"$a\" >> \"$out\"; "
                                          "done\nexit 0");
    snprintf(cmd, sizeof(cmd), "%s %%zone %%zonefile", rec);
    args = notify(cmd, "example.com", "/var/db/signed/example.com", &status, &rc, &err);
    ok(rc == ODS_OK && status == 0, "NotifyCommand ran, exit status 0 (%s)", err.msg);
    is_str(args, "[example.com][/var/db/signed/example.com]", "%%zone and %%zonefile replaced");
    free(args);

    snprintf(cmd, sizeof(cmd),
             "  %s\t\"two  words\" \"%%zone is in %%zonefile\" x%%zone%%zonefiley \"\" "
             "%%zones %%zonefiles 100%% \"unterminated quote",
             rec);
    args = notify(cmd, "example.com", "/z", &status, &rc, &err);
    is_str(args,
           "[two  words][example.com is in /z][xexample.com/zy][][example.coms][/zs][100%]"
           "[unterminated quote]",
           "words split at blanks and tabs, \"quotes\" group, substitution inside words");
    free(args);

    char pwned[1200];
    snprintf(pwned, sizeof(pwned), "%s", st_path(&env, "pwned"));
    char zone[1400];
    snprintf(zone, sizeof(zone), "a;b$(touch %s)`touch %s`", pwned, pwned);
    snprintf(cmd, sizeof(cmd), "%s %%zone %%zonefile", rec);
    args = notify(cmd, zone, "/dir/my zone file", &status, &rc, &err);
    char want[4096];
    snprintf(want, sizeof(want), "[%s][/dir/my zone file]", zone);
    is_str(args, want,
           "a zone name with shell metacharacters and a file name with blanks: "
           "one argument each, never interpreted");
    ok(access(pwned, F_OK) != 0, "nothing was run by a shell");
    free(args);

    snprintf(cmd, sizeof(cmd), "%s", script("exit3.sh", "exit 3"));
    free(notify(cmd, "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_OK && status == 3, "exit status 3 comes back (%d)", status);
    snprintf(cmd, sizeof(cmd), "%s", script("killed.sh", "kill -TERM $$"));
    free(notify(cmd, "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_OK && status == 128 + SIGTERM, "killed by SIGTERM: status 128 + 15 (%d)", status);
    free(notify("sh -c \"exit 4\"", "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_OK && status == 4, "a program without a slash is found on PATH (%d)", status);

    free(notify("/nonexistent/dir/notify %zone", "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_EIO && status == -1 && strstr(err.msg, "/nonexistent/dir/notify"),
       "a missing program: ODS_EIO naming it, no status (%s)", err.msg);
    free(notify("no-such-notify-program-odsng %zone", "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_EIO && strstr(err.msg, "no-such-notify-program-odsng"),
       "a program not on PATH: ODS_EIO (%s)", err.msg);
    snprintf(cmd, sizeof(cmd), "%s", st_path(&env, "in.zone")); /* not executable */
    free(notify(cmd, "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_EIO, "a file that is not executable: ODS_EIO (%s)", err.msg);
    free(notify(" \t ", "example.com", "/z", &status, &rc, &err));
    ok(rc == ODS_EINVAL && strstr(err.msg, "empty"), "an empty command: ODS_EINVAL (%s)", err.msg);
}

int main(void)
{
    char why[1024] = "";
    if (!ok(st_env_open(&env, "sgnout", true, why, sizeof(why)) == 0, "directory (%s)", why)) {
        st_env_close(&env);
        return tap_done();
    }
    test_write();
    test_write_pool();
    test_failed_write();
    test_notify();
    st_env_close(&env);
    return tap_done();
}
