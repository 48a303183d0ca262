/*
 * Who may talk to a daemon: its control socket is mode 0660, owned by the
 * Group of conf.xml. A process running as a member of that group gets an
 * answer; one that is not (after dropping to nobody/nogroup with
 * ods_svc_privs_drop, as a daemon would) is refused with "permission denied".
 * Needs root (skipped otherwise) and the groups nogroup and daemon.
 */
#include "tap.h"
#include "svc_test.h"

#include "conf/conf.h"
#include "ctl/client.h"
#include "ctl/server.h"
#include "svc/privs.h"
#include "svc/signals.h"

#include <event2/event.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

static void handler(ods_ctl_conn_t *conn, int argc, char **argv, void *arg)
{
    (void)argc;
    (void)arg;
    ods_ctl_printf(conn, "pong %s\n", argv[0]);
    ods_ctl_finish(conn, 0);
}

static void on_child(int signo, void *arg)
{
    (void)signo;
    event_base_loopbreak(arg);
}

static int privs_for(const char *user, const char *group, ods_svc_privs_t *p)
{
    char path[300], text[1024];
    snprintf(text, sizeof(text),
             "<?xml version=\"1.0\"?>\n<Configuration><RepositoryList/><Common/>\n"
             "<Enforcer><Privileges><User>%s</User><Group>%s</Group></Privileges></Enforcer>\n"
             "</Configuration>\n",
             user, group);
    svc_path(path, sizeof(path), "conf.xml");
    svc_write_file(path, text, 0644);
    ods_conf_t *conf = NULL;
    int rc = ods_conf_load(path, &conf, NULL);
    if (rc == ODS_OK)
        rc = ods_svc_privs_resolve(conf, ODS_SVC_ENFORCER, p, NULL);
    ods_conf_free(conf);
    return rc;
}

/* Fork a client that drops to p and calls "ping"; serve until it exits. */
static void client_as(struct event_base *base, const char *sock, const ods_svc_privs_t *p,
                      char *result, size_t len)
{
    char file[300];
    svc_path(file, sizeof(file), "result");
    unlink(file);
    pid_t pid = fork();
    if (pid == 0) {
        char out[256] = "";
        ods_err_t err = { 0 };
        int status = -1, rc = ods_svc_privs_drop(p, &err);
        FILE *fp = fmemopen(out, sizeof(out), "w");
        char *argv[] = { "ping", NULL };
        if (rc == ODS_OK)
            rc = ods_ctl_call(sock, 1, argv, fp, NULL, 5000, &status, &err);
        fclose(fp);
        out[strcspn(out, "\n")] = '\0';
        char text[1536];
        snprintf(text, sizeof(text), "uid=%ld rc=%d status=%d out=%s err=%s", (long)getuid(), rc,
                 status, out, err.msg);
        svc_write_file(file, text, 0644); /* the directory is world-writable */
        _exit(0);
    }
    struct timeval limit = { 20, 0 };
    event_base_loopexit(base, &limit);
    event_base_dispatch(base);
    svc_wait(pid);
    svc_read_file(file, result, len);
}

int main(void)
{
    /* getgrnam returns a static buffer: keep each answer before the next call */
    int have_nobody = getpwnam("nobody") != NULL, have_nogroup = getgrnam("nogroup") != NULL;
    struct group *daemon_grp = getgrnam("daemon");
    gid_t daemon_gid = daemon_grp ? daemon_grp->gr_gid : 0;
    if (geteuid() != 0 || !have_nobody || !have_nogroup || daemon_grp == NULL) {
        printf("1..0 # SKIP needs root, user nobody, groups daemon and nogroup\n");
        return 0;
    }
    svc_tmpdir("svc-access");
    chmod(svc_tmp, 0777); /* like a run directory any client may look into */
    char sock[300], result[2048];
    svc_path(sock, sizeof(sock), "enforcer.sock");

    struct event_base *base = event_base_new();
    ods_svc_signals_t *sigs = NULL;
    ods_ctl_server_t *srv = NULL;
    ods_err_t err = { 0 };
    ok(ods_svc_signals_new(base, &sigs, &err) == ODS_OK &&
           ods_svc_signals_on(sigs, SIGCHLD, on_child, base, &err) == ODS_OK,
       "SIGCHLD routed into the loop");
    int rc = ods_ctl_server_new(base, sock, 0660, daemon_gid, handler, NULL, &srv, &err);
    is_int(rc, ODS_OK, "control socket for group daemon (%s)", err.msg);
    struct stat st;
    ok(stat(sock, &st) == 0 && (st.st_mode & 0777) == 0660 && st.st_gid == daemon_gid,
       "socket mode 0660, group daemon");

    ods_svc_privs_t member, outsider;
    ok(privs_for("nobody", "daemon", &member) == ODS_OK, "nobody in group daemon");
    ok(privs_for("nobody", "nogroup", &outsider) == ODS_OK, "nobody in group nogroup");

    client_as(base, sock, &member, result, sizeof(result));
    has_str(result, "rc=0 status=0 out=pong ping", "a member of the socket's group is answered");
    client_as(base, sock, &outsider, result, sizeof(result));
    has_str(result, "rc=-15", "a non-member is refused (ODS_EPERM)");
    has_str(result, "permission denied", "... with 'permission denied' in the message");
    ok(strstr(result, "pong") == NULL, "... and gets no answer");

    ods_ctl_server_free(srv);
    ods_svc_signals_free(sigs);
    event_base_free(base);
    svc_tmpdir_remove();
    return tap_done();
}
