/* privs_chown.c -- hand files to the daemon's user before the drop (see privs.h). */
#include "svc/privs.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* nftw has no user pointer: the walk's parameters, per thread. */
static __thread const ods_svc_privs_t *walk_privs;
static __thread int walk_flags;
static __thread int walk_errno;
static __thread char walk_failed[PATH_MAX];

/* chown (never following a symlink) and, for PRIVATE, o-rwx. 0 or an errno. */
static int own_one(const char *path, const struct stat *st, const ods_svc_privs_t *p, int flags)
{
    uid_t uid = p->set_user ? p->uid : (uid_t)-1;
    gid_t gid = p->set_group ? p->gid : (gid_t)-1;
    if (lchown(path, uid, gid) != 0)
        return errno;
    if ((flags & ODS_SVC_CHOWN_PRIVATE) && !S_ISLNK(st->st_mode) && (st->st_mode & S_IRWXO) &&
        chmod(path, st->st_mode & 07777 & ~(mode_t)S_IRWXO) != 0)
        return errno;
    return 0;
}

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    int e =
        (type == FTW_NS || type == FTW_DNR) ? EACCES : own_one(path, st, walk_privs, walk_flags);
    if (e == 0)
        return 0;
    walk_errno = e;
    snprintf(walk_failed, sizeof(walk_failed), "%s", path);
    return 1;
}

static int chown_error(const char *path, int e, ods_err_t *err)
{
    int code = e == ENOENT ? ODS_ENOTFOUND : (e == EPERM || e == EACCES) ? ODS_EPERM : ODS_EIO;
    return ods_err_set(err, code, "cannot give %s to the daemon's user and group: %s", path,
                       strerror(e));
}

int ods_svc_privs_chown(const ods_svc_privs_t *p, const char *path, int flags, ods_err_t *err)
{
    if (geteuid() != 0 || (!p->set_user && !p->set_group))
        return ODS_OK;
    struct stat st;
    if (lstat(path, &st) != 0)
        return chown_error(path, errno, err);
    if (!(flags & ODS_SVC_CHOWN_RECURSIVE) || !S_ISDIR(st.st_mode)) {
        int e = own_one(path, &st, p, flags);
        return e == 0 ? ODS_OK : chown_error(path, e, err);
    }
    walk_privs = p;
    walk_flags = flags;
    walk_errno = 0;
    int rc = nftw(path, walk_one, 16, FTW_PHYS | FTW_MOUNT);
    walk_privs = NULL;
    if (rc < 0)
        return chown_error(path, errno, err);
    if (rc > 0)
        return chown_error(walk_failed, walk_errno, err);
    return ODS_OK;
}
