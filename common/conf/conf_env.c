/* conf_env.c -- conf.xml checks against the running system (see conf.h). */
#include "conf/conf.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void warn(const ods_conf_t *conf, ods_diag_t *diag, const char *rel, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warn(const ods_conf_t *conf, ods_diag_t *diag, const char *rel, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    int dflt = ods_srcmap_line(conf->src, rel) == 0;
    ods_srcmap_diag(conf->src, "/Configuration", diag, ODS_DIAG_WARNING, rel, "%s%s", msg,
                    dflt ? " (this is the default; set the element to change it)" : "");
    free(msg);
}

static void check_module(const ods_conf_t *conf, const ods_conf_repository_t *r, ods_diag_t *diag)
{
    if (r->module == NULL || r->module[0] != '/' || access(r->module, R_OK) == 0)
        return;
    char rel[512];
    snprintf(rel, sizeof(rel), "RepositoryList/Repository[@name='%s']/Module", r->name);
    warn(conf, diag, rel, "PKCS#11 module %s: %s; install it or correct the path", r->module,
         strerror(errno));
}

static void check_user_group(const ods_conf_t *conf, const char *section,
                             const ods_conf_privileges_t *p, ods_diag_t *diag)
{
    char rel[128];
    char buf[16384];
    if (p->user != NULL) {
        struct passwd pw, *res = NULL;
        getpwnam_r(p->user, &pw, buf, sizeof(buf), &res);
        snprintf(rel, sizeof(rel), "%s/Privileges/User", section);
        if (res == NULL)
            warn(conf, diag, rel, "user '%s' does not exist: create it or correct the name",
                 p->user);
    }
    if (p->group != NULL) {
        struct group gr, *res = NULL;
        getgrnam_r(p->group, &gr, buf, sizeof(buf), &res);
        snprintf(rel, sizeof(rel), "%s/Privileges/Group", section);
        if (res == NULL)
            warn(conf, diag, rel, "group '%s' does not exist: create it or correct the name",
                 p->group);
    }
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void check_dir(const ods_conf_t *conf, const char *rel, const char *dir, ods_diag_t *diag)
{
    if (dir != NULL && !is_dir(dir))
        warn(conf, diag, rel,
             "directory %s does not exist: create it (owned by the daemon's user) before "
             "starting",
             dir);
}

/* The directory that will hold the file at path. */
static void check_parent_dir(const ods_conf_t *conf, const char *rel, const char *path,
                             ods_diag_t *diag)
{
    char *dir = path ? strdup(path) : NULL;
    if (dir == NULL)
        return;
    char *slash = strrchr(dir, '/');
    if (slash != NULL && slash != dir) {
        *slash = '\0';
        check_dir(conf, rel, dir, diag);
    }
    free(dir);
}

/* A DS command is an executable, optionally followed by " --cka_id". */
static void check_command(const ods_conf_t *conf, const char *rel, const char *cmd,
                          ods_diag_t *diag)
{
    if (cmd == NULL)
        return;
    char *exe = strndup(cmd, strcspn(cmd, " \t"));
    if (exe == NULL)
        return;
    if (access(exe, X_OK) != 0)
        warn(conf, diag, rel,
             "%s is not an executable file (%s): the enforcer pipes DNSKEY "
             "records to this command",
             exe, strerror(errno));
    free(exe);
}

void ods_conf_check_env(const ods_conf_t *conf, ods_diag_t *diag)
{
    if (conf == NULL)
        return;
    for (size_t i = 0; i < conf->n_repositories; i++)
        check_module(conf, &conf->repositories[i], diag);
    check_user_group(conf, "Enforcer", &conf->enforcer.privileges, diag);
    check_parent_dir(conf, "Enforcer/Datastore/SQLite", conf->enforcer.datastore, diag);
    check_command(conf, "Enforcer/DelegationSignerSubmitCommand", conf->enforcer.ds_submit_cmd,
                  diag);
    check_command(conf, "Enforcer/DelegationSignerRetractCommand", conf->enforcer.ds_retract_cmd,
                  diag);
    if (conf->has_signer) {
        check_user_group(conf, "Signer", &conf->signer.privileges, diag);
        check_dir(conf, "Signer/WorkingDirectory", conf->signer.workdir, diag);
    }
}
