#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ods_strerror(int code)
{
    switch (code) {
    case ODS_OK:
        return "success";
    case ODS_ENOMEM:
        return "out of memory";
    case ODS_EINVAL:
        return "invalid argument";
    case ODS_EIO:
        return "input/output error";
    case ODS_ENOTFOUND:
        return "not found";
    case ODS_EEXIST:
        return "already exists";
    case ODS_EPARSE:
        return "parse error";
    case ODS_ECONFIG:
        return "configuration error";
    case ODS_EHSM:
        return "HSM error";
    case ODS_ETRANSIENT:
        return "temporary failure";
    case ODS_EPIN:
        return "incorrect PIN";
    case ODS_EMECH:
        return "mechanism not supported";
    case ODS_EFULL:
        return "capacity reached";
    case ODS_EDB:
        return "database error";
    case ODS_EPROTO:
        return "protocol error";
    case ODS_EPERM:
        return "permission denied";
    case ODS_ESTATE:
        return "not allowed in the current state";
    case ODS_ECONFLICT:
        return "conflict";
    case ODS_ETIMEOUT:
        return "timed out";
    case ODS_EZONE:
        return "unusable zone data";
    default:
        return "unknown error";
    }
}

int ods_err_set(ods_err_t *err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

int ods_err_prefix(ods_err_t *err, const char *fmt, ...)
{
    if (err == NULL)
        return ODS_EINVAL;
    char prefix[ODS_ERR_MSG_MAX];
    char old[ODS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    snprintf(err->msg, sizeof(err->msg), "%s%s", prefix, old);
    return err->code;
}

void ods_err_clear(ods_err_t *err)
{
    if (err == NULL)
        return;
    err->code = ODS_OK;
    err->msg[0] = '\0';
}
