/*
 * validity.h -- signature validity windows and serial-number arithmetic.
 *
 * RRSIG inception and expiration are 32-bit counts of seconds since the
 * epoch, modulo 2^32, compared with RFC 1982 serial arithmetic (RFC 4034
 * 3.1.5); SOA serials use the same comparisons. Times passed in as int64_t
 * are seconds since the epoch (from the clock module: this module never reads
 * the clock). Randomness for jitter comes from the caller.
 *
 * Pure and thread-safe; no allocation.
 */
#ifndef ODS_DNSSEC_VALIDITY_H
#define ODS_DNSSEC_VALIDITY_H

#include "util/status.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * RFC 1982 comparison of 32-bit serials: a < b iff a != b and either a < b
 * with b - a < 2^31, or a > b with a - b > 2^31. When a and b differ by
 * exactly 2^31 the order is undefined: both ods_serial_lt(a, b) and
 * ods_serial_gt(a, b) are false.
 */
bool ods_serial_lt(uint32_t a, uint32_t b);
bool ods_serial_gt(uint32_t a, uint32_t b);
bool ods_serial_le(uint32_t a, uint32_t b); /* a == b or a < b */

/*
 * RFC 1982 addition: s + n for n in 0..2^31-1 (larger n is undefined by the
 * RFC and clamped to 2^31-1 here).
 */
uint32_t ods_serial_add(uint32_t s, uint32_t n);

/* A 64-bit time as the 32-bit RRSIG timestamp (modulo 2^32). */
uint32_t ods_rrsig_time(int64_t t);

/*
 * The 64-bit time a 32-bit RRSIG timestamp stands for: the one closest to
 * ref (within 2^31 seconds), e.g. ref = now.
 */
int64_t ods_rrsig_time_resolve(uint32_t ts, int64_t ref);

/*
 * Presentation format of an RRSIG timestamp (RFC 4034 3.2): YYYYMMDDHHmmSS in
 * UTC for the time ods_rrsig_time_resolve(ts, ref) gives. out receives 14
 * characters and a NUL (ODS_RRSIG_TIME_TEXT octets). ODS_EINVAL if the year
 * falls outside 1..9999.
 */
#define ODS_RRSIG_TIME_TEXT 15
int ods_rrsig_time_format(uint32_t ts, int64_t ref, char *out);

/* Policy input for a new signature (all in seconds). */
typedef struct ods_validity_policy {
    uint32_t inception_offset; /* inception = now - inception_offset */
    uint32_t validity;         /* nominal lifetime from now */
    uint32_t jitter;           /* expiration moves uniformly in [-jitter, +jitter] */
} ods_validity_policy_t;

/*
 * Inception and expiration for a signature made at now:
 *     inception  = now - inception_offset
 *     expiration = now + validity + j,  j = (rnd mod (2 jitter + 1)) - jitter
 * so j is uniform over [-jitter, +jitter] (the bias of the 64-bit modulo is
 * below 2^-30). Both are returned as 32-bit RRSIG timestamps. ODS_EINVAL if
 * validity <= jitter (a signature could expire at once) or the window from
 * inception to the latest expiration reaches 2^31 seconds (RFC 4034 3.1.5).
 */
int ods_validity_window(int64_t now, const ods_validity_policy_t *p, uint64_t rnd,
                        uint32_t *inception, uint32_t *expiration);

/*
 * True if a signature with this inception and expiration may be kept at now:
 * it is already valid (inception <= now) and will stay valid for more than
 * refresh seconds (expiration - now > refresh), in serial arithmetic.
 */
bool ods_validity_is_fresh(uint32_t inception, uint32_t expiration, int64_t now, uint32_t refresh);

#endif
