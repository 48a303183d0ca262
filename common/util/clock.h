/*
 * clock.h -- the one source of "now" for every module.
 *
 * Nothing in the project calls time(2) for protocol decisions (signature
 * inception, key transitions, schedules): it calls ods_clock_now(). The clock
 * is the real clock plus an offset, so `time leap` can move a daemon forward
 * and tests can pin it. The state is process-wide and thread-safe (atomics).
 */
#ifndef ODS_UTIL_CLOCK_H
#define ODS_UTIL_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Seconds since the epoch as the project sees them. */
time_t ods_clock_now(void);

/* From now on ods_clock_now() runs from t at real speed (offset mode). */
void ods_clock_set(time_t t);

/* From now on ods_clock_now() returns exactly t until changed (tests). */
void ods_clock_freeze(time_t t);

/* Move the clock forward or back by delta seconds (keeps frozen/running mode). */
void ods_clock_advance(int64_t delta);

/* Back to the real clock. */
void ods_clock_reset(void);

/* Non-zero when the clock is not the real clock (offset or frozen). */
int ods_clock_is_simulated(void);

/* Real wall-clock time, for log time stamps and measuring durations. */
double ods_clock_monotonic(void);

/* Format t as "YYYY-MM-DD HH:MM:SS" in UTC into buf (at least 20 bytes). */
void ods_clock_format(time_t t, char *buf, size_t len);

/*
 * Parse "YYYY-MM-DD[ HH:MM[:SS]]", "YYYY-MM-DDTHH:MM:SS[Z]", OpenDNSSEC's
 * "YYYY-MM-DD-HH:MM:SS" or epoch seconds (UTC).
 */
int ods_clock_parse(const char *text, time_t *out);

#endif
