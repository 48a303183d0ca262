#include "sgn_serial.h"
#include "conf/params.h"

bool sgn_serial_gt(uint32_t a, uint32_t b)
{
    return a != b && (uint32_t)(a - b) < 0x80000000u;
}

/* Move from prev to want, or to prev + 1 when want is not ahead. */
static uint32_t ahead_of(uint32_t prev, uint32_t want)
{
    if (sgn_serial_gt(want, prev) && (uint32_t)(want - prev) <= 0x7FFFFFFFu)
        return want;
    return prev + 1;
}

int sgn_serial_next(const sgn_serial_in_t *in, uint32_t *out, ods_err_t *err)
{
    uint32_t prev = in->inbound;
    if (in->have_outbound && sgn_serial_gt(in->outbound, prev))
        prev = in->outbound;
    if (in->forced) {
        if (!sgn_serial_gt(in->forced_serial, prev) &&
            !(!in->have_outbound && in->forced_serial == in->inbound))
            return ods_err_set(err, ODS_ECONFLICT,
                               "serial %u is not ahead of %u: choose a larger serial",
                               in->forced_serial, prev);
        *out = in->forced_serial;
        return ODS_OK;
    }
    struct tm tm;
    switch (in->policy) {
    case ODS_SERIAL_UNIXTIME:
        *out = ahead_of(prev, (uint32_t)in->now);
        return ODS_OK;
    case ODS_SERIAL_DATECOUNTER:
        gmtime_r(&in->now, &tm);
        *out = ahead_of(prev, (uint32_t)((tm.tm_year + 1900) * 1000000u + (tm.tm_mon + 1) * 10000u +
                                         tm.tm_mday * 100u));
        return ODS_OK;
    case ODS_SERIAL_KEEP:
        if (in->have_outbound && !sgn_serial_gt(in->inbound, in->outbound))
            return ods_err_set(err, ODS_ECONFLICT,
                               "cannot keep the input serial %u: it is not ahead of the last "
                               "published serial %u (raise the serial in the input zone)",
                               in->inbound, in->outbound);
        *out = in->inbound;
        return ODS_OK;
    case ODS_SERIAL_COUNTER:
    default:
        *out = ahead_of(prev, in->inbound + 1);
        return ODS_OK;
    }
}
