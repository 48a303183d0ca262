#include "util/duration.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define EXAMPLES "use ISO 8601 such as PT3600S, PT1H30M, P14D or P1Y"

static int duration_unit(char designator, int in_time, int64_t *unit, int *flag)
{
    *flag = 0;
    if (!in_time) {
        switch (designator) {
        case 'Y':
            *unit = ODS_DURATION_YEAR;
            *flag = ODS_DURATION_HAS_YEARS;
            return 0;
        case 'M':
            *unit = ODS_DURATION_MONTH;
            *flag = ODS_DURATION_HAS_MONTHS;
            return 0;
        case 'W':
            *unit = 7 * 86400;
            return 0;
        case 'D':
            *unit = 86400;
            return 0;
        }
        return -1;
    }
    switch (designator) {
    case 'H':
        *unit = 3600;
        return 0;
    case 'M':
        *unit = 60;
        return 0;
    case 'S':
        *unit = 1;
        return 0;
    }
    return -1;
}

/* Designators must come in the order of the format; returns its rank. */
static int duration_rank(char designator, int in_time)
{
    static const char date_order[] = "YMWD";
    static const char time_order[] = "HMS";
    const char *order = in_time ? time_order : date_order;
    const char *p = strchr(order, designator);
    return (int)(p - order) + (in_time ? 4 : 0);
}

int ods_duration_parse(const char *text, int64_t *seconds, int *flags, ods_err_t *err)
{
    if (text == NULL)
        return ods_err_set(err, ODS_EINVAL, "missing duration (" EXAMPLES ")");
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != 'P')
        return ods_err_set(err, ODS_EPARSE, "duration '%s' does not start with 'P' (" EXAMPLES ")",
                           text);
    p++;
    int64_t total = 0;
    int in_time = 0, any = 0, last_rank = -1, fl = 0, time_any = 0;
    while (*p != '\0' && !isspace((unsigned char)*p)) {
        if (*p == 'T') {
            if (in_time)
                return ods_err_set(err, ODS_EPARSE, "duration '%s' has two 'T' (" EXAMPLES ")",
                                   text);
            in_time = 1;
            p++;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return ods_err_set(err, ODS_EPARSE,
                               "duration '%s': expected a number at '%s' (" EXAMPLES ")", text, p);
        int64_t n = 0;
        while (isdigit((unsigned char)*p)) {
            if (n > (INT64_MAX - 9) / 10)
                return ods_err_set(err, ODS_EPARSE, "duration '%s' is too large", text);
            n = n * 10 + (*p - '0');
            p++;
        }
        if (*p == '.' || *p == ',')
            return ods_err_set(err, ODS_EPARSE,
                               "duration '%s': fractions are not supported (" EXAMPLES ")", text);
        int64_t unit;
        int f;
        if (*p == '\0' || duration_unit(*p, in_time, &unit, &f) != 0)
            return ods_err_set(err, ODS_EPARSE,
                               "duration '%s': number without a valid %s designator%s (" EXAMPLES
                               ")",
                               text, in_time ? "time (H, M, S)" : "date (Y, M, W, D)",
                               (!in_time && (*p == 'H' || *p == 'S')) ? "; put 'T' before hours, "
                                                                        "minutes and seconds"
                                                                      : "");
        int rank = duration_rank(*p, in_time);
        if (rank <= last_rank)
            return ods_err_set(
                err, ODS_EPARSE,
                "duration '%s': designator '%c' out of order or repeated (" EXAMPLES ")", text, *p);
        last_rank = rank;
        if (n != 0 && unit > INT64_MAX / n)
            return ods_err_set(err, ODS_EPARSE, "duration '%s' is too large", text);
        if (total > INT64_MAX - n * unit)
            return ods_err_set(err, ODS_EPARSE, "duration '%s' is too large", text);
        total += n * unit;
        fl |= f;
        any = 1;
        if (in_time)
            time_any = 1;
        p++;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0')
        return ods_err_set(err, ODS_EPARSE, "duration '%s' has trailing text (" EXAMPLES ")", text);
    if (!any || (in_time && !time_any))
        return ods_err_set(err, ODS_EPARSE, "duration '%s' has no value (" EXAMPLES ")", text);
    *seconds = total;
    if (flags != NULL)
        *flags = fl;
    return ODS_OK;
}

void ods_duration_format(int64_t seconds, char *buf, size_t len)
{
    if (seconds < 0)
        seconds = 0;
    int64_t days = seconds / 86400, rest = seconds % 86400;
    int64_t h = rest / 3600, m = (rest % 3600) / 60, s = rest % 60;
    size_t off = 0;
    off += (size_t)snprintf(buf + off, len - off, "P");
    if (days > 0 && off < len)
        off += (size_t)snprintf(buf + off, len - off, "%" PRId64 "D", days);
    if ((rest > 0 || days == 0) && off < len) {
        off += (size_t)snprintf(buf + off, len - off, "T");
        if (h > 0 && off < len)
            off += (size_t)snprintf(buf + off, len - off, "%" PRId64 "H", h);
        if (m > 0 && off < len)
            off += (size_t)snprintf(buf + off, len - off, "%" PRId64 "M", m);
        if ((s > 0 || rest == 0) && off < len)
            snprintf(buf + off, len - off, "%" PRId64 "S", s);
    }
}
