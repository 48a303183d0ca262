#include "util/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ods_afile {
    char *path;
    char *tmp;
    FILE *fp;
};

int ods_fsync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return ODS_ENOMEM;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return ODS_EIO;
    int rc = fsync(fd) == 0 ? ODS_OK : ODS_EIO;
    close(fd);
    return rc;
}

int ods_afile_open(const char *path, mode_t mode, ods_afile_t **out, ods_err_t *err)
{
    ods_afile_t *af = calloc(1, sizeof(*af));
    if (af == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory writing %s", path);
    size_t n = strlen(path) + 16;
    af->path = strdup(path);
    af->tmp = malloc(n);
    if (af->path == NULL || af->tmp == NULL) {
        ods_afile_abort(af);
        return ods_err_set(err, ODS_ENOMEM, "out of memory writing %s", path);
    }
    snprintf(af->tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkostemp(af->tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(af->tmp);
        af->tmp = NULL;
        ods_afile_abort(af);
        return ods_err_set(err, ODS_EIO, "cannot create a temporary file beside %s: %s", path,
                           strerror(e));
    }
    if (fchmod(fd, mode) != 0 || (af->fp = fdopen(fd, "w")) == NULL) {
        int e = errno;
        close(fd);
        ods_afile_abort(af);
        return ods_err_set(err, ODS_EIO, "cannot prepare %s: %s", path, strerror(e));
    }
    *out = af;
    return ODS_OK;
}

FILE *ods_afile_fp(ods_afile_t *af)
{
    return af->fp;
}

int ods_afile_commit(ods_afile_t *af, ods_err_t *err)
{
    int e = 0;
    if (fflush(af->fp) != 0 || ferror(af->fp))
        e = errno ? errno : EIO;
    else if (fsync(fileno(af->fp)) != 0)
        e = errno;
    if (fclose(af->fp) != 0 && e == 0)
        e = errno;
    af->fp = NULL;
    if (e == 0 && rename(af->tmp, af->path) != 0)
        e = errno;
    if (e != 0) {
        int rc = ods_err_set(err, ODS_EIO, "cannot write %s: %s (the previous file is unchanged)",
                             af->path, strerror(e));
        ods_afile_abort(af);
        return rc;
    }
    ods_fsync_dir_of(af->path);
    free(af->tmp);
    af->tmp = NULL;
    ods_afile_abort(af);
    return ODS_OK;
}

void ods_afile_abort(ods_afile_t *af)
{
    if (af == NULL)
        return;
    if (af->fp != NULL)
        fclose(af->fp);
    if (af->tmp != NULL) {
        unlink(af->tmp);
        free(af->tmp);
    }
    free(af->path);
    free(af);
}

int ods_atomic_write(const char *path, const void *data, size_t len, mode_t mode, ods_err_t *err)
{
    ods_afile_t *af;
    int rc = ods_afile_open(path, mode, &af, err);
    if (rc != ODS_OK)
        return rc;
    if (len > 0 && fwrite(data, 1, len, af->fp) != len) {
        int e = errno;
        ods_afile_abort(af);
        return ods_err_set(err, ODS_EIO, "cannot write %s: %s", path, strerror(e));
    }
    return ods_afile_commit(af, err);
}
