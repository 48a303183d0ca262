#include "util/clock.h"
#include "util/status.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic int64_t clock_offset;
static _Atomic int64_t clock_frozen_at; /* 0 = running */

time_t ods_clock_now(void)
{
    int64_t frozen = atomic_load(&clock_frozen_at);
    if (frozen != 0)
        return (time_t)frozen;
    return time(NULL) + (time_t)atomic_load(&clock_offset);
}

void ods_clock_set(time_t t)
{
    atomic_store(&clock_frozen_at, 0);
    atomic_store(&clock_offset, (int64_t)t - (int64_t)time(NULL));
}

void ods_clock_freeze(time_t t)
{
    atomic_store(&clock_frozen_at, (int64_t)t);
}

void ods_clock_advance(int64_t delta)
{
    if (atomic_load(&clock_frozen_at) != 0)
        atomic_fetch_add(&clock_frozen_at, delta);
    else
        atomic_fetch_add(&clock_offset, delta);
}

void ods_clock_reset(void)
{
    atomic_store(&clock_frozen_at, 0);
    atomic_store(&clock_offset, 0);
}

int ods_clock_is_simulated(void)
{
    return atomic_load(&clock_frozen_at) != 0 || atomic_load(&clock_offset) != 0;
}

double ods_clock_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ods_clock_format(time_t t, char *buf, size_t len)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

int ods_clock_parse(const char *text, time_t *out)
{
    struct tm tm;
    const char *end;
    char *num_end;

    if (text == NULL || *text == '\0')
        return ODS_EINVAL;
    long long epoch = strtoll(text, &num_end, 10);
    if (*num_end == '\0' && num_end != text && strlen(text) != 8) {
        *out = (time_t)epoch;
        return ODS_OK;
    }
    static const char *formats[] = {
        "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d-%H:%M:%S", "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y%m%d%H%M%S",      "%Y-%m-%d",          "%Y%m%d",
    };
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(text, formats[i], &tm);
        if (end != NULL && (*end == '\0' || (end[0] == 'Z' && end[1] == '\0'))) {
            *out = timegm(&tm);
            return ODS_OK;
        }
    }
    return ODS_EPARSE;
}
