/* rundir.c -- create the directory of a runtime file (see rundir.h). */
#include "svc/rundir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int errno_code(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return ODS_ENOTFOUND;
    case EACCES:
    case EPERM:
    case EROFS:
        return ODS_EPERM;
    default:
        return ODS_EIO;
    }
}

int ods_svc_rundir_ensure(const char *path, mode_t mode, ods_err_t *err)
{
    if (path == NULL || path[0] != '/')
        return ods_err_set(err, ODS_EINVAL, "'%s' is not an absolute path", path ? path : "");
    char *dir = strdup(path);
    if (dir == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    char *slash = strrchr(dir, '/');
    if (slash == dir) { /* a file in / */
        free(dir);
        return ODS_OK;
    }
    *slash = '\0';
    int rc = ODS_OK;
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            rc = ods_err_set(err, ODS_EIO, "%s (the directory for %s) is not a directory", dir,
                             path);
    } else if (mkdir(dir, mode) != 0 && errno != EEXIST) {
        int e = errno;
        rc = ods_err_set(err, errno_code(e), "cannot create directory %s for %s: %s%s", dir, path,
                         strerror(e), e == ENOENT ? " (create its parent first)" : "");
    }
    free(dir);
    return rc;
}
