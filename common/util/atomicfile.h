/*
 * atomicfile.h -- write files that other programs read (signed zones, signer
 * configurations, zone lists, state) so that readers see the old file or the
 * new one, never half of one: write a temporary file in the same directory,
 * fsync it, rename it over the target, fsync the directory.
 *
 * Ownership: ods_afile_open returns an object owned by the caller, released
 * by exactly one of ods_afile_commit or ods_afile_abort. Not thread-safe per
 * object; different objects may be used from different threads.
 */
#ifndef ODS_UTIL_ATOMICFILE_H
#define ODS_UTIL_ATOMICFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "util/status.h"

typedef struct ods_afile ods_afile_t;

/* Start writing path (mode applies to the new file, e.g. 0644). */
int ods_afile_open(const char *path, mode_t mode, ods_afile_t **out, ods_err_t *err);

/* The stdio stream to write to. */
FILE *ods_afile_fp(ods_afile_t *af);

/*
 * Flush, fsync, rename into place and fsync the directory; frees af. If any
 * write failed (disk full, ...) the target is left untouched and an error is
 * returned.
 */
int ods_afile_commit(ods_afile_t *af, ods_err_t *err);

/* Discard the temporary file; frees af. NULL is a no-op. */
void ods_afile_abort(ods_afile_t *af);

/* Convenience: replace path with len bytes of data. */
int ods_atomic_write(const char *path, const void *data, size_t len, mode_t mode, ods_err_t *err);

/* fsync the directory that holds path (after a rename or unlink). */
int ods_fsync_dir_of(const char *path);

#endif
