#include "sgn_output.h"
#include "dns/zwrite.h"
#include "util/atomicfile.h"
#include "util/buf.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

#define OUT_CHUNK    2048 /* items (names or NSEC3 records) one pool item formats */
#define OUT_PER_WAVE 4    /* pieces per signing thread formatted before writing them */

typedef struct out_job {
    const ods_zone_t *z;
    size_t first; /* first item of this wave */
    ods_buf_t *bufs;
    size_t *nrr;
} out_job_t;

static int format_piece(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err)
{
    (void)t;
    out_job_t *j = arg;
    size_t from = j->first + i * OUT_CHUNK;
    ods_buf_reset(&j->bufs[i]);
    j->nrr[i] = 0;
    int rc = ods_zone_format_items(j->z, from, from + OUT_CHUNK, &j->bufs[i], &j->nrr[i]);
    return rc == ODS_OK ? ODS_OK
                        : ods_err_set(err, rc, "cannot format the zone: %s", ods_strerror(rc));
}

static int put(FILE *fp, const ods_buf_t *b, ods_err_t *err)
{
    if (b->len > 0 && fwrite(b->data, 1, b->len, fp) != b->len)
        return ods_err_set(err, ODS_EIO, "cannot write the zone: %s", strerror(errno));
    return ODS_OK;
}

/* Waves of pieces formatted on the pool, each wave written in order. */
static int write_pieces(const ods_zone_t *z, FILE *fp, sgn_pool_t *pool, size_t *nrr,
                        ods_err_t *err)
{
    size_t items = ods_zone_write_items(z), wave = OUT_PER_WAVE * (size_t)sgn_pool_size(pool);
    ods_buf_t *bufs = calloc(wave, sizeof(*bufs));
    size_t *counts = calloc(wave, sizeof(*counts));
    int rc = bufs && counts ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    *nrr = 0;
    if (rc == ODS_OK && (rc = ods_zone_format_soa(z, &bufs[0], nrr)) != ODS_OK)
        ods_err_set(err, rc, "cannot format the SOA record: %s", ods_strerror(rc));
    if (rc == ODS_OK)
        rc = put(fp, &bufs[0], err);
    for (size_t first = 0; rc == ODS_OK && first < items; first += wave * OUT_CHUNK) {
        size_t n = (items - first + OUT_CHUNK - 1) / OUT_CHUNK;
        out_job_t j = { z, first, bufs, counts };
        ods_arena_t **arenas = NULL;
        size_t narenas = 0;
        rc = sgn_pool_run(pool, n < wave ? n : wave, format_piece, &j, &arenas, &narenas, err);
        for (size_t i = 0; i < narenas; i++)
            ods_arena_free(arenas[i]);
        free(arenas);
        for (size_t i = 0; rc == ODS_OK && i < (n < wave ? n : wave); i++) {
            rc = put(fp, &bufs[i], err);
            *nrr += counts[i];
        }
    }
    for (size_t i = 0; bufs != NULL && i < wave; i++)
        ods_buf_free(&bufs[i]);
    free(bufs);
    free(counts);
    return rc;
}

int sgn_output_write(const ods_zone_t *z, const char *path, sgn_pool_t *pool, size_t *nrr,
                     ods_err_t *err)
{
    ods_afile_t *af;
    int rc = ods_afile_open(path, 0644, &af, err);
    if (rc != ODS_OK)
        return rc;
    FILE *fp = ods_afile_fp(af);
    static __thread char iobuf[1 << 16];
    setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));
    if (pool != NULL && ods_zone_write_items(z) > 2 * OUT_CHUNK)
        rc = write_pieces(z, fp, pool, nrr, err);
    else
        rc = ods_zone_write(z, fp, nrr, err);
    if (rc != ODS_OK) {
        ods_afile_abort(af);
        return ods_err_prefix(err, "%s: ", path);
    }
    return ods_afile_commit(af, err);
}

/* Append word w to b with %zone / %zonefile substituted. */
static int subst(ods_buf_t *b, const char *w, size_t len, const char *zone, const char *file)
{
    for (size_t i = 0; i < len; i++) {
        if (w[i] == '%' && len - i >= 9 && strncmp(w + i, "%zonefile", 9) == 0) {
            if (ods_buf_printf(b, "%s", file) != ODS_OK)
                return ODS_ENOMEM;
            i += 8;
        } else if (w[i] == '%' && len - i >= 5 && strncmp(w + i, "%zone", 5) == 0) {
            if (ods_buf_printf(b, "%s", zone) != ODS_OK)
                return ODS_ENOMEM;
            i += 4;
        } else if (ods_buf_append_u8(b, (uint8_t)w[i]) != ODS_OK) {
            return ODS_ENOMEM;
        }
    }
    return ods_buf_append_u8(b, 0);
}

/* Split cmd into words (NUL-separated in b); returns the count. */
static int split(const char *cmd, const char *zone, const char *file, ods_buf_t *b)
{
    int n = 0;
    const char *p = cmd;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *s = p;
        size_t len;
        if (*p == '"') {
            s = ++p;
            while (*p && *p != '"')
                p++;
            len = (size_t)(p - s);
            if (*p)
                p++;
        } else {
            while (*p && *p != ' ' && *p != '\t')
                p++;
            len = (size_t)(p - s);
        }
        if (subst(b, s, len, zone, file) != ODS_OK)
            return -1;
        n++;
    }
    return n;
}

int sgn_notify_run(const char *cmd, const char *zone, const char *zonefile, int *status,
                   ods_err_t *err)
{
    ods_buf_t b = ODS_BUF_INIT;
    int n = split(cmd, zone, zonefile, &b);
    if (n <= 0) {
        ods_buf_free(&b);
        return ods_err_set(err, ODS_EINVAL, "NotifyCommand is empty");
    }
    char **argv = calloc((size_t)n + 1, sizeof(*argv));
    if (argv == NULL) {
        ods_buf_free(&b);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    char *p = (char *)b.data;
    for (int i = 0; i < n; i++) {
        argv[i] = p;
        p += strlen(p) + 1;
    }
    pid_t pid;
    int rc = strchr(argv[0], '/') ? posix_spawn(&pid, argv[0], NULL, NULL, argv, environ)
                                  : posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    int ret = ODS_OK;
    if (rc != 0) {
        ret = ods_err_set(err, ODS_EIO, "cannot run NotifyCommand %s: %s", argv[0], strerror(rc));
    } else {
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    }
    free(argv);
    ods_buf_free(&b);
    return ret;
}
