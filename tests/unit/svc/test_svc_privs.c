/*
 * Unit tests for common/svc privs.c and privs_chown.c: User/Group from a
 * real conf.xml (with the file and line in errors), the switch to them in a
 * forked child (root only: nobody/nogroup; root cannot be regained), group
 * only, not root, chroot, and handing a working directory to the user.
 */
#include "tap.h"
#include "svc_test.h"

#include "conf/conf.h"
#include "svc/privs.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#define USER_LINE  7
#define GROUP_LINE 8

/* Write conf.xml with the given Enforcer privileges (NULL: element left out); load it. */
static ods_conf_t *load_conf(const char *user, const char *group, const char *dir)
{
    char path[300], text[2048], u[300] = "<!-- -->", g[300] = "<!-- -->", d[300] = "<!-- -->";
    if (user)
        snprintf(u, sizeof(u), "<User>%s</User>", user);
    if (group)
        snprintf(g, sizeof(g), "<Group>%s</Group>", group);
    if (dir)
        snprintf(d, sizeof(d), "<Directory>%s</Directory>", dir);
    snprintf(text, sizeof(text),
             "<?xml version=\"1.0\"?>\n"
             "<Configuration>\n"
             "  <RepositoryList/>\n"
             "  <Common/>\n"
             "  <Enforcer>\n"
             "    <Privileges>\n"
             "      %s\n"
             "      %s\n"
             "      %s\n"
             "    </Privileges>\n"
             "  </Enforcer>\n"
             "  <Signer><Privileges><Group>nogroup</Group></Privileges></Signer>\n"
             "</Configuration>\n",
             u, g, d);
    svc_path(path, sizeof(path), "conf.xml");
    svc_write_file(path, text, 0644);
    ods_conf_t *conf = NULL;
    ods_diag_t *diag = ods_diag_new();
    if (ods_conf_load(path, &conf, diag) != ODS_OK)
        ods_diag_print(diag, stdout);
    ods_diag_free(diag);
    return conf;
}

/* Resolve the Enforcer privileges of a conf with these settings. */
static int resolve(const char *user, const char *group, const char *dir, ods_svc_privs_t *p,
                   ods_err_t *err)
{
    ods_conf_t *conf = load_conf(user, group, dir);
    if (conf == NULL)
        return ods_err_set(err, ODS_EINVAL, "test conf.xml did not load");
    int rc = ods_svc_privs_resolve(conf, ODS_SVC_ENFORCER, p, err);
    ods_conf_free(conf);
    return rc;
}

static void test_resolve(void)
{
    struct passwd *nobody = getpwnam("nobody");
    struct group *nogroup = getgrnam("nogroup");
    if (nobody == NULL || nogroup == NULL) {
        ok(1, "# SKIP resolve needs user nobody and group nogroup");
        return;
    }
    uid_t nobody_uid = nobody->pw_uid;
    gid_t nobody_gid = nobody->pw_gid, nogroup_gid = nogroup->gr_gid;
    ods_svc_privs_t p;
    ods_err_t err = { 0 };
    int rc = resolve("nobody", "nogroup", NULL, &p, &err);
    ok(rc == ODS_OK && p.set_user && p.set_group && p.uid == nobody_uid && p.gid == nogroup_gid,
       "User nobody, Group nogroup resolved (%s)", err.msg);
    is_str(p.user, "nobody", "user name kept for initgroups");
    is_int(ods_svc_privs_group(&p), nogroup_gid, "socket group = Group");

    rc = resolve("nobody", NULL, NULL, &p, &err);
    ok(rc == ODS_OK && p.set_user && p.gid == nobody_gid, "User only: the user's primary group");

    rc = resolve(NULL, "nogroup", NULL, &p, &err);
    ok(rc == ODS_OK && !p.set_user && p.set_group && p.gid == nogroup_gid,
       "Group only: group set, user unchanged");

    rc = resolve(NULL, NULL, NULL, &p, &err);
    ok(rc == ODS_OK && !p.set_user && !p.set_group, "nothing configured: nothing to change");
    is_int(ods_svc_privs_group(&p), (gid_t)-1, "... and no socket group");

    char want[400], conf_path[300];
    svc_path(conf_path, sizeof(conf_path), "conf.xml");
    memset(&p, 0x5a, sizeof(p));
    rc = resolve("odsng-no-such-user", "nogroup", NULL, &p, &err);
    is_int(rc, ODS_ECONFIG, "unknown user refused");
    snprintf(want, sizeof(want),
             "user 'odsng-no-such-user' from %s line %d (Enforcer/Privileges/User) does not exist",
             conf_path, USER_LINE);
    has_str(err.msg, want, "... naming conf.xml and the line");
    ok(p.set_user == 0x5a5a5a5a, "... and *out untouched");
    rc = resolve("nobody", "odsng-no-such-group", NULL, &p, &err);
    snprintf(want, sizeof(want), "group 'odsng-no-such-group' from %s line %d", conf_path,
             GROUP_LINE);
    ok(rc == ODS_ECONFIG, "unknown group refused");
    has_str(err.msg, want, "... naming conf.xml and the line");

    ods_conf_t *conf = load_conf(NULL, NULL, NULL);
    rc = conf ? ods_svc_privs_resolve(conf, ODS_SVC_SIGNER, &p, &err) : ODS_EINVAL;
    ok(rc == ODS_OK && !p.set_user && p.set_group && p.gid == nogroup_gid,
       "the signer's section is separate");
    ods_conf_free(conf);
}

/* In a child: drop with p, then write what the process looks like to "facts". */
static int drop_in_child(const ods_svc_privs_t *p, int first_become, char *facts, size_t len)
{
    char file[300];
    svc_path(file, sizeof(file), "facts");
    unlink(file);
    pid_t pid = fork();
    if (pid == 0) {
        if (first_become > 0 && (setgid((gid_t)first_become) != 0 || setuid(first_become) != 0))
            _exit(3);
        ods_err_t err = { 0 };
        int rc = ods_svc_privs_drop(p, &err);
        gid_t groups[64];
        int n = getgroups(64, groups), root_group = 0;
        for (int i = 0; i < n; i++)
            root_group |= groups[i] == 0;
        char cwd[64] = "";
        char text[512];
        snprintf(text, sizeof(text),
                 "rc=%d uid=%ld euid=%ld gid=%ld egid=%ld setuid0=%d seteuid0=%d rootgroup=%d "
                 "marker=%d cwd=%s err=%s",
                 rc, (long)getuid(), (long)geteuid(), (long)getgid(), (long)getegid(),
                 setuid(0) == 0, seteuid(0) == 0, root_group, access("/odsng-marker", F_OK) == 0,
                 getcwd(cwd, sizeof(cwd)) ? cwd : "?", err.msg);
        /* a chrooted child cannot reach file: tell through the exit status instead */
        if (svc_write_file(file, text, 0644) != 0)
            _exit(rc == ODS_OK && access("/odsng-marker", F_OK) == 0 ? 10 : 11);
        _exit(0);
    }
    int st = svc_wait(pid);
    svc_read_file(file, facts, len);
    return st;
}

static void test_drop(void)
{
    struct passwd *nobody = getpwnam("nobody");
    struct group *nogroup = getgrnam("nogroup");
    if (geteuid() != 0 || nobody == NULL || nogroup == NULL) {
        ok(1, "# SKIP dropping privileges needs root, nobody and nogroup");
        return;
    }
    uid_t nobody_uid = nobody->pw_uid;
    gid_t nogroup_gid = nogroup->gr_gid;
    ods_svc_privs_t p;
    ods_err_t err = { 0 };
    char facts[512], want[256];
    ok(resolve("nobody", "nogroup", NULL, &p, &err) == ODS_OK, "resolve nobody/nogroup");
    is_int(drop_in_child(&p, 0, facts, sizeof(facts)), 0, "child ran");
    snprintf(want, sizeof(want),
             "rc=0 uid=%ld euid=%ld gid=%ld egid=%ld setuid0=0 seteuid0=0 rootgroup=0",
             (long)nobody_uid, (long)nobody_uid, (long)nogroup_gid, (long)nogroup_gid);
    has_str(facts, want, "dropped to nobody/nogroup; setuid(0), seteuid(0) fail; no root group");

    ok(resolve(NULL, "nogroup", NULL, &p, &err) == ODS_OK, "resolve Group only");
    drop_in_child(&p, 0, facts, sizeof(facts));
    snprintf(want, sizeof(want), "rc=0 uid=0 euid=0 gid=%ld egid=%ld", (long)nogroup_gid,
             (long)nogroup_gid);
    has_str(facts, want, "Group only: root keeps its uid, switches group");

    ok(resolve("root", NULL, NULL, &p, &err) == ODS_OK, "resolve User root");
    drop_in_child(&p, (int)nobody_uid, facts, sizeof(facts));
    snprintf(want, sizeof(want), "rc=0 uid=%ld euid=%ld", (long)nobody_uid, (long)nobody_uid);
    has_str(facts, want, "not started as root: drop changes nothing and succeeds");
}

static void test_chroot(void)
{
    if (geteuid() != 0) {
        ok(1, "# SKIP chroot needs root");
        return;
    }
    char jail[300], marker[300], facts[512];
    svc_path(jail, sizeof(jail), "jail");
    mkdir(jail, 0755);
    svc_path(marker, sizeof(marker), "jail/odsng-marker");
    svc_write_file(marker, "x", 0644);
    ods_svc_privs_t p;
    ods_err_t err = { 0 };
    ok(resolve(NULL, NULL, jail, &p, &err) == ODS_OK, "resolve Directory (chroot)");
    is_int(drop_in_child(&p, 0, facts, sizeof(facts)), 10,
           "after the drop the child sees the jail as / (a file only there is at /)");
    svc_path(jail, sizeof(jail), "no-such-jail");
    ok(resolve(NULL, NULL, jail, &p, &err) == ODS_OK, "resolve a missing chroot directory");
    drop_in_child(&p, 0, facts, sizeof(facts));
    has_str(facts, "rc=-4", "missing chroot directory: ODS_ENOTFOUND");
    has_str(facts, "cannot change root to Privileges/Directory", "... explained");
}

static void test_chown(void)
{
    struct passwd *nobody = getpwnam("nobody");
    if (geteuid() != 0 || nobody == NULL) {
        ok(1, "# SKIP chown needs root and nobody");
        return;
    }
    uid_t nobody_uid = nobody->pw_uid;
    gid_t nobody_gid = nobody->pw_gid;
    char work[300], sub[300], file[300], outside[300], link[300];
    svc_path(work, sizeof(work), "work");
    svc_path(sub, sizeof(sub), "work/sub");
    svc_path(file, sizeof(file), "work/sub/state");
    svc_path(outside, sizeof(outside), "outside");
    svc_path(link, sizeof(link), "work/link");
    mkdir(work, 0755);
    mkdir(sub, 0755);
    svc_write_file(file, "state", 0644);
    svc_write_file(outside, "not ours", 0644);
    chmod(file, 0644);
    chmod(outside, 0644);
    ok(symlink(outside, link) == 0, "a symlink to a file outside the tree");

    ods_svc_privs_t p;
    ods_err_t err = { 0 };
    ok(resolve("nobody", NULL, NULL, &p, &err) == ODS_OK, "resolve User nobody");
    int rc = ods_svc_privs_chown(&p, work, ODS_SVC_CHOWN_RECURSIVE | ODS_SVC_CHOWN_PRIVATE, &err);
    is_int(rc, ODS_OK, "chown the working directory recursively (%s)", err.msg);
    struct stat st;
    ok(stat(file, &st) == 0 && st.st_uid == nobody_uid && st.st_gid == nobody_gid &&
           (st.st_mode & 0777) == 0640,
       "a file inside: nobody's, mode 0640");
    ok(stat(sub, &st) == 0 && st.st_uid == nobody_uid && (st.st_mode & 0777) == 0750,
       "a directory inside: nobody's, mode 0750");
    ok(stat(outside, &st) == 0 && st.st_uid == 0 && (st.st_mode & 0777) == 0644,
       "the symlink's target is untouched");
    ok(lstat(link, &st) == 0 && st.st_uid == nobody_uid, "the symlink itself is nobody's");

    svc_write_file(outside, "x", 0644);
    rc = ods_svc_privs_chown(&p, outside, 0, &err);
    ok(rc == ODS_OK && stat(outside, &st) == 0 && st.st_uid == nobody_uid &&
           (st.st_mode & 0777) == 0644,
       "one file, not private: owner changed, mode kept");

    ok(resolve(NULL, NULL, NULL, &p, &err) == ODS_OK, "resolve no privileges");
    ok(chown(outside, 0, 0) == 0, "give the file back to root");
    rc = ods_svc_privs_chown(&p, outside, 0, &err);
    ok(rc == ODS_OK && stat(outside, &st) == 0 && st.st_uid == 0,
       "nothing configured: nothing changes");

    ok(resolve("nobody", NULL, NULL, &p, &err) == ODS_OK, "resolve User nobody again");
    svc_path(file, sizeof(file), "no-such-dir");
    is_int(ods_svc_privs_chown(&p, file, 0, &err), ODS_ENOTFOUND, "a missing path: ENOTFOUND");
    has_str(err.msg, file, "... naming it");
}

int main(void)
{
    svc_tmpdir("svc-privs");
    chmod(svc_tmp, 0777); /* children that dropped to nobody write their findings here */
    test_resolve();
    test_drop();
    test_chroot();
    test_chown();
    svc_tmpdir_remove();
    return tap_done();
}
