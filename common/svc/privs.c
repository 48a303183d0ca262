/* privs.c -- resolve the configured user and group, and switch to them (see privs.h). */
#include "svc/privs.h"

#include "log/log.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PW_BUF 16384

static const ods_conf_privileges_t *section_privs(const ods_conf_t *conf, int which,
                                                  const char **section)
{
    *section = which == ODS_SVC_SIGNER ? "Signer" : "Enforcer";
    return which == ODS_SVC_SIGNER ? &conf->signer.privileges : &conf->enforcer.privileges;
}

/* "FILE line N (Section/Privileges/Elem)" for messages. */
static void origin(const ods_conf_t *conf, const char *section, const char *elem, char *buf,
                   size_t len)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "%s/Privileges/%s", section, elem);
    int line = ods_srcmap_line(conf->src, rel);
    const char *file = conf->path ? conf->path : "conf.xml";
    if (line > 0)
        snprintf(buf, len, "%s line %d (%s)", file, line, rel);
    else
        snprintf(buf, len, "%s (%s)", file, rel);
}

/* getpwnam_r/getgrnam_r report "not found" as 0 or as one of these. */
static int not_found(int rc)
{
    return rc == 0 || rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM;
}

static int lookup_user(const ods_conf_t *conf, const char *section, const char *name,
                       ods_svc_privs_t *p, ods_err_t *err)
{
    char buf[PW_BUF], where[PATH_MAX + 64];
    struct passwd pw, *res = NULL;
    int rc = getpwnam_r(name, &pw, buf, sizeof(buf), &res);
    origin(conf, section, "User", where, sizeof(where));
    if (res == NULL && not_found(rc))
        return ods_err_set(err, ODS_ECONFIG,
                           "user '%s' from %s does not exist: create it or correct the name", name,
                           where);
    if (res == NULL)
        return ods_err_set(err, ODS_EIO, "cannot look up user '%s' from %s: %s", name, where,
                           strerror(rc));
    p->set_user = p->set_group = 1;
    p->uid = pw.pw_uid;
    p->gid = pw.pw_gid;
    return ODS_OK;
}

static int lookup_group(const ods_conf_t *conf, const char *section, const char *name,
                        ods_svc_privs_t *p, ods_err_t *err)
{
    char buf[PW_BUF], where[PATH_MAX + 64];
    struct group gr, *res = NULL;
    int rc = getgrnam_r(name, &gr, buf, sizeof(buf), &res);
    origin(conf, section, "Group", where, sizeof(where));
    if (res == NULL && not_found(rc))
        return ods_err_set(err, ODS_ECONFIG,
                           "group '%s' from %s does not exist: create it or correct the name", name,
                           where);
    if (res == NULL)
        return ods_err_set(err, ODS_EIO, "cannot look up group '%s' from %s: %s", name, where,
                           strerror(rc));
    p->set_group = 1;
    p->gid = gr.gr_gid;
    return ODS_OK;
}

static int copy_name(char *dst, size_t len, const char *src, const char *what, ods_err_t *err)
{
    if (src == NULL)
        return ODS_OK;
    if (strlen(src) >= len)
        return ods_err_set(err, ODS_EINVAL, "%s '%.40s...' in conf.xml is too long", what, src);
    strcpy(dst, src);
    return ODS_OK;
}

int ods_svc_privs_resolve(const ods_conf_t *conf, int which, ods_svc_privs_t *out, ods_err_t *err)
{
    const char *section;
    const ods_conf_privileges_t *cp = section_privs(conf, which, &section);
    ods_svc_privs_t p;
    memset(&p, 0, sizeof(p));
    int rc = copy_name(p.user, sizeof(p.user), cp->user, "User", err);
    if (rc == ODS_OK)
        rc = copy_name(p.group, sizeof(p.group), cp->group, "Group", err);
    if (rc == ODS_OK)
        rc = copy_name(p.chroot, sizeof(p.chroot), cp->chroot, "Directory", err);
    if (rc == ODS_OK && cp->user != NULL)
        rc = lookup_user(conf, section, cp->user, &p, err);
    if (rc == ODS_OK && cp->group != NULL)
        rc = lookup_group(conf, section, cp->group, &p, err);
    if (rc == ODS_OK)
        *out = p;
    return rc;
}

gid_t ods_svc_privs_group(const ods_svc_privs_t *p)
{
    return p->set_group ? p->gid : (gid_t)-1;
}

/* After the switch: the ids are the configured ones and root is out of reach. */
static int verify_dropped(const ods_svc_privs_t *p, ods_err_t *err)
{
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
        return ods_err_set(err, ODS_EPERM, "cannot read the process ids: %s", strerror(errno));
    int bad = 0;
    if (p->set_user)
        bad |= ru != p->uid || eu != p->uid || su != p->uid;
    if (p->set_group)
        bad |= rg != p->gid || eg != p->gid || sg != p->gid;
    if (p->set_user && p->uid != 0)
        bad |= setuid(0) == 0 || seteuid(0) == 0;
    if (p->set_user && p->uid != 0 && p->gid != 0)
        bad |= setgid(0) == 0 || setegid(0) == 0;
    if (bad)
        return ods_err_set(err, ODS_EPERM,
                           "after switching to user '%s' group '%s' the process could still "
                           "regain root: refusing to run",
                           p->user, p->group[0] ? p->group : p->user);
    return ODS_OK;
}

static int switch_group(const ods_svc_privs_t *p, ods_err_t *err)
{
    int rc = p->set_user ? initgroups(p->user, p->gid) : setgroups(1, &p->gid);
    if (rc != 0 || setresgid(p->gid, p->gid, p->gid) != 0)
        return ods_err_set(err, ODS_EPERM, "cannot switch to group %s (gid %ld): %s",
                           p->group[0] ? p->group : p->user, (long)p->gid, strerror(errno));
    return ODS_OK;
}

static int enter_chroot(const ods_svc_privs_t *p, ods_err_t *err)
{
    if (chroot(p->chroot) != 0 || chdir("/") != 0)
        return ods_err_set(err, errno == ENOENT ? ODS_ENOTFOUND : ODS_EPERM,
                           "cannot change root to Privileges/Directory %s: %s", p->chroot,
                           strerror(errno));
    return ODS_OK;
}

int ods_svc_privs_drop(const ods_svc_privs_t *p, ods_err_t *err)
{
    if (geteuid() != 0) {
        if (p->set_user && p->uid != geteuid())
            ods_log_debug("not started as root: staying uid %ld instead of user '%s'",
                          (long)geteuid(), p->user);
        return ODS_OK;
    }
    int rc = p->chroot[0] ? enter_chroot(p, err) : ODS_OK;
    if (rc == ODS_OK && p->set_group)
        rc = switch_group(p, err);
    if (rc == ODS_OK && p->set_user && setresuid(p->uid, p->uid, p->uid) != 0)
        rc = ods_err_set(err, ODS_EPERM, "cannot switch to user %s (uid %ld): %s", p->user,
                         (long)p->uid, strerror(errno));
    if (rc == ODS_OK)
        rc = verify_dropped(p, err);
    return rc;
}
