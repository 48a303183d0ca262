/*
 * duration.h -- ISO 8601 durations as kasp.xml and conf.xml use them.
 *
 * Accepted: P[nY][nM][nW][nD][T[nH][nM][nS]], e.g. PT3600S, PT1H30M, P14D,
 * P1Y. Like OpenDNSSEC, a month is 31 days and a year 365 days (durations
 * are intervals here, not calendar arithmetic). Pure functions, thread-safe.
 */
#ifndef ODS_UTIL_DURATION_H
#define ODS_UTIL_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define ODS_DURATION_MONTH (31 * 86400)
#define ODS_DURATION_YEAR  (365 * 86400)

/* Flags returned through *flags by ods_duration_parse (may be NULL). */
#define ODS_DURATION_HAS_MONTHS 0x1 /* used the M date designator */
#define ODS_DURATION_HAS_YEARS  0x2 /* used Y */

/*
 * Parse text into seconds. On failure err says what is wrong and shows an
 * example of a valid duration. *seconds is written only on success.
 */
int ods_duration_parse(const char *text, int64_t *seconds, int *flags, ods_err_t *err);

/* Format seconds as a canonical duration ("P1DT2H", "PT0S"); buf >= 32 bytes. */
void ods_duration_format(int64_t seconds, char *buf, size_t len);

#endif
