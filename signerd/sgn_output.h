/*
 * sgn_output.h -- publish a signed zone: the file output adapter (temporary
 * file beside the output, fsync, rename: nsd never reads half a zone) and
 * the NotifyCommand (run without a shell; %zone and %zonefile substituted
 * in each argument, so names are never interpolated into a shell line).
 */
#ifndef SGN_OUTPUT_H
#define SGN_OUTPUT_H

#include <stddef.h>

#include "dns/zone.h"
#include "sgn_pool.h"
#include "util/status.h"

/*
 * Write z to path atomically; *nrr gets the RRs written. With a pool (may be
 * NULL), a big zone's text is formatted on the signing threads, a bounded
 * window of pieces at a time, and written in order by the caller: the text
 * is the same byte for byte, and the whole file is never held in memory.
 */
int sgn_output_write(const ods_zone_t *z, const char *path, sgn_pool_t *pool, size_t *nrr,
                     ods_err_t *err);

/*
 * Run cmd (split at white space; "double quotes" group words) with %zone and
 * %zonefile replaced, wait for it; *status gets its exit status (or 128 +
 * signal). ODS_EIO when it cannot be started.
 */
int sgn_notify_run(const char *cmd, const char *zone, const char *zonefile, int *status,
                   ods_err_t *err);

#endif
