#include "dnssec/validity.h"
#include "util/status.h"

#include <stdio.h>
#include <time.h>

#define HALF 0x80000000u /* 2^31 */

bool ods_serial_lt(uint32_t a, uint32_t b)
{
    return (a < b && b - a < HALF) || (a > b && a - b > HALF);
}

bool ods_serial_gt(uint32_t a, uint32_t b)
{
    return ods_serial_lt(b, a);
}

bool ods_serial_le(uint32_t a, uint32_t b)
{
    return a == b || ods_serial_lt(a, b);
}

uint32_t ods_serial_add(uint32_t s, uint32_t n)
{
    return s + (n < HALF ? n : HALF - 1);
}

uint32_t ods_rrsig_time(int64_t t)
{
    return (uint32_t)(uint64_t)t;
}

int64_t ods_rrsig_time_resolve(uint32_t ts, int64_t ref)
{
    /* The signed 32-bit distance from ref's low bits to ts. */
    uint32_t d = ts - ods_rrsig_time(ref);
    int64_t delta = d < HALF ? (int64_t)d : (int64_t)d - ((int64_t)1 << 32);
    return ref + delta;
}

int ods_rrsig_time_format(uint32_t ts, int64_t ref, char *out)
{
    time_t t = (time_t)ods_rrsig_time_resolve(ts, ref);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return ODS_EINVAL;
    snprintf(out, ODS_RRSIG_TIME_TEXT, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return ODS_OK;
}

int ods_validity_window(int64_t now, const ods_validity_policy_t *p, uint64_t rnd,
                        uint32_t *inception, uint32_t *expiration)
{
    uint64_t span = (uint64_t)p->inception_offset + p->validity + p->jitter;
    if (p->validity <= p->jitter || span >= HALF)
        return ODS_EINVAL;
    int64_t j = (int64_t)(rnd % (2 * (uint64_t)p->jitter + 1)) - (int64_t)p->jitter;
    *inception = ods_rrsig_time(now - (int64_t)p->inception_offset);
    *expiration = ods_rrsig_time(now + (int64_t)p->validity + j);
    return ODS_OK;
}

bool ods_validity_is_fresh(uint32_t inception, uint32_t expiration, int64_t now, uint32_t refresh)
{
    uint32_t n = ods_rrsig_time(now);
    if (!ods_serial_le(inception, n) || !ods_serial_gt(expiration, n))
        return false;
    return expiration - n > refresh;
}
