/* enf_path.c -- file-system helpers (see enf_path.h). */
#include "enf_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int enf_path_ensure_parent(const char *path, ods_err_t *err)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return ODS_OK;
    *slash = '\0';
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? ODS_OK
                                   : ods_err_set(err, ODS_EIO, "%s is not a directory", dir);
    if (mkdir(dir, 0755) == 0 || errno == EEXIST)
        return ODS_OK;
    return ods_err_set(err, errno == EACCES ? ODS_EPERM : ODS_EIO, "cannot create directory %s: %s",
                       dir, strerror(errno));
}

char *enf_path_join(const char *dir, const char *a, const char *b)
{
    size_t n = strlen(dir) + strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s", dir, a, b);
    return p;
}
