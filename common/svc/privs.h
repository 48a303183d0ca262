/*
 * privs.h -- run as the User and Group of conf.xml after opening, as root,
 * what needs root (pid file, control socket, HSM, listener ports).
 *
 *   ods_svc_privs_resolve(conf, ODS_SVC_ENFORCER, &p, &err)   before forking
 *   ... pid file, socket (group ods_svc_privs_group(&p), mode 0660), HSM ...
 *   ods_svc_privs_chown(&p, workdir, ODS_SVC_CHOWN_RECURSIVE | ODS_SVC_CHOWN_PRIVATE, &err)
 *   ods_svc_privs_chown(&p, socket path, 0, &err) ...
 *   ods_svc_privs_drop(&p, &err)
 *
 * Rules:
 *  - User given: the daemon runs as that user, with Group (or, without
 *    Group, the user's primary group) as its group and the user's
 *    supplementary groups (initgroups).
 *  - Only Group given: the user is unchanged; the group owns the control
 *    socket and the working files, and a root daemon also switches its group.
 *  - Neither: nothing changes.
 *  - Not started as root: nothing can change; drop and chown do nothing.
 *  - Directory (chroot, from OpenDNSSEC): chroot there before switching
 *    user. Every path the daemon opens afterwards (reload of conf.xml,
 *    zones, working directory) is then inside that directory.
 * After switching, drop checks that root cannot be regained (setuid(0)
 * and seteuid(0) fail, real, effective and saved ids all the user's).
 *
 * Resolution errors name conf.xml and the line ("user 'odsng' from
 * /etc/odsng/conf.xml line 12 (Enforcer/Privileges/User) does not exist: ...").
 *
 * ods_svc_privs_t is a plain value (no allocation, nothing to free). drop
 * changes the whole process: call it before starting threads, or from the
 * only thread that matters knowing that glibc applies it to every thread.
 */
#ifndef ODS_SVC_PRIVS_H
#define ODS_SVC_PRIVS_H

#include "conf/conf.h"
#include "util/status.h"

#include <limits.h>
#include <sys/types.h>

enum ods_svc_which {
    ODS_SVC_ENFORCER = 1, /* Enforcer/Privileges */
    ODS_SVC_SIGNER = 2,   /* Signer/Privileges */
};

/* ods_svc_privs_chown flags */
#define ODS_SVC_CHOWN_RECURSIVE 1 /* everything below a directory too (symlinks not followed) */
#define ODS_SVC_CHOWN_PRIVATE   2 /* also remove every permission of "others" (o-rwx) */

typedef struct ods_svc_privs {
    int set_user;          /* a User is configured */
    int set_group;         /* a User or a Group is configured */
    uid_t uid;             /* the User's uid (valid when set_user) */
    gid_t gid;             /* Group's gid, else the User's primary group (when set_group) */
    char user[256];        /* User, for initgroups ("" when none) */
    char group[256];       /* Group as configured, for messages ("" when none) */
    char chroot[PATH_MAX]; /* Privileges/Directory ("" when none) */
} ods_svc_privs_t;

/*
 * Look up the User and Group of the daemon's section of conf. On success
 * *out is filled. Errors: ODS_ECONFIG (no such user or group, message with
 * file and line), ODS_EINVAL (name or path too long), ODS_EIO (lookup failed).
 */
int ods_svc_privs_resolve(const ods_conf_t *conf, int which, ods_svc_privs_t *out, ods_err_t *err);

/*
 * Give path to the daemon's user and group (whichever are configured), so the
 * daemon can keep writing it after the drop; flags ODS_SVC_CHOWN_*. ODS_OK
 * and no change when not root or nothing is configured. Errors: ODS_ENOTFOUND
 * (no such path), ODS_EPERM, ODS_EIO.
 */
int ods_svc_privs_chown(const ods_svc_privs_t *p, const char *path, int flags, ods_err_t *err);

/*
 * The group for the control socket and shared files: the configured gid, or
 * (gid_t)-1 when there is none (what ods_ctl_server_new expects to leave it).
 */
gid_t ods_svc_privs_group(const ods_svc_privs_t *p);

/*
 * Switch to the configured user and group (see the rules above) and check
 * that root cannot be regained. Errors: ODS_EPERM (a switch failed, or root
 * could be regained: the caller must not go on), ODS_ENOTFOUND (chroot
 * directory missing).
 */
int ods_svc_privs_drop(const ods_svc_privs_t *p, ods_err_t *err);

#endif
