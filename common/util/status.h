/*
 * status.h -- status codes and error messages shared by every module.
 *
 * Functions return int: ODS_OK (0) on success, a negative ODS_E* code on
 * failure. Where the caller needs to tell a user what went wrong, the function
 * also takes an ods_err_t * and fills it with one line that names the object
 * (file:line, zone, key, command) and what to do. The err argument may be NULL.
 * Out-parameters are written only on success.
 */
#ifndef ODS_UTIL_STATUS_H
#define ODS_UTIL_STATUS_H

#include <stddef.h>

enum ods_status {
    ODS_OK = 0,
    ODS_ENOMEM = -1,     /* out of memory */
    ODS_EINVAL = -2,     /* invalid argument or input */
    ODS_EIO = -3,        /* system call or file error */
    ODS_ENOTFOUND = -4,  /* no such file, zone, key, slot, ... */
    ODS_EEXIST = -5,     /* already exists */
    ODS_EPARSE = -6,     /* syntax error in a file or message */
    ODS_ECONFIG = -7,    /* configuration is valid XML but wrong */
    ODS_EHSM = -8,       /* permanent PKCS#11 failure */
    ODS_ETRANSIENT = -9, /* temporary failure: retrying may help (HSM session lost, ...) */
    ODS_EPIN = -10,      /* wrong or missing PIN */
    ODS_EMECH = -11,     /* mechanism or algorithm not supported */
    ODS_EFULL = -12,     /* capacity reached */
    ODS_EDB = -13,       /* database error */
    ODS_EPROTO = -14,    /* control protocol violation */
    ODS_EPERM = -15,     /* permission denied */
    ODS_ESTATE = -16,    /* operation not allowed in the current state */
    ODS_ECONFLICT = -17, /* conflicting data (serial, duplicate, ...) */
    ODS_ETIMEOUT = -18,
    ODS_EZONE = -19, /* zone data is unusable (bad input, failed checks) */
};

#define ODS_ERR_MSG_MAX 1024

typedef struct ods_err {
    int code;
    char msg[ODS_ERR_MSG_MAX];
} ods_err_t;

/* Short, constant name of a status code ("out of memory", ...). */
const char *ods_strerror(int code);

/*
 * Record an error: sets err->code and formats err->msg. Returns code, so that
 * "return ods_err_set(err, ODS_EIO, ...);" works. err may be NULL.
 */
int ods_err_set(ods_err_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with more context ("zone example.com: " + msg). */
int ods_err_prefix(ods_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reset to "no error". */
void ods_err_clear(ods_err_t *err);

#endif
