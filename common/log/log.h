/*
 * log.h -- the daemons' and odsctl's logging: stderr (foreground, tests) or
 * syslog (facility and verbosity from conf.xml).
 *
 * Levels follow syslog. A message is emitted when its level <= verbosity;
 * ODS_LOG_CRIT and ODS_LOG_ERR are always emitted. Library modules (common/)
 * log only at ODS_LOG_DEBUG: they return errors and let the daemons decide.
 *
 * Secrets registered with ods_log_secret_add (HSM PINs) are replaced by
 * "********" in every message, as a second line of defence: code never passes
 * a PIN to the logger on purpose.
 *
 * Thread-safe: each message is formatted into a local buffer and written with
 * one write(2) or syslog(3) call.
 */
#ifndef ODS_LOG_LOG_H
#define ODS_LOG_LOG_H

#include <syslog.h>

enum ods_log_level {
    ODS_LOG_CRIT = LOG_CRIT,       /* 2 */
    ODS_LOG_ERR = LOG_ERR,         /* 3 */
    ODS_LOG_WARNING = LOG_WARNING, /* 4 */
    ODS_LOG_NOTICE = LOG_NOTICE,   /* 5 */
    ODS_LOG_INFO = LOG_INFO,       /* 6 */
    ODS_LOG_DEBUG = LOG_DEBUG,     /* 7 */
};

/*
 * Verbosity as conf.xml's Logging/Verbosity and `odsctl verbosity N` give it:
 * 0..1 errors only, 2 warnings, 3 notices (default), 4 info, 5+ debug.
 */
#define ODS_LOG_DEFAULT_VERBOSITY 3

/* Log to stderr (or to fd when fd >= 0) with a time stamp and the ident. */
void ods_log_open_stderr(const char *ident, int verbosity);
void ods_log_open_fd(const char *ident, int fd, int verbosity);

/* Log to syslog with the given facility (LOG_DAEMON, LOG_LOCAL0, ...). */
void ods_log_open_syslog(const char *ident, int facility, int verbosity);

/* Stop logging to syslog/fd; messages go to stderr again. */
void ods_log_close(void);

void ods_log_set_verbosity(int verbosity);
int ods_log_get_verbosity(void);

/* Parse "local0".."local7", "daemon", "user": returns ODS_OK and sets *facility. */
int ods_log_facility_parse(const char *name, int *facility);

/* Register a secret (>= 4 characters) to be redacted from all messages. */
void ods_log_secret_add(const char *secret);
/* Forget all secrets (wipes the copies). */
void ods_log_secret_clear(void);

void ods_log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ods_log_crit(...)    ods_log_msg(ODS_LOG_CRIT, __VA_ARGS__)
#define ods_log_error(...)   ods_log_msg(ODS_LOG_ERR, __VA_ARGS__)
#define ods_log_warning(...) ods_log_msg(ODS_LOG_WARNING, __VA_ARGS__)
#define ods_log_notice(...)  ods_log_msg(ODS_LOG_NOTICE, __VA_ARGS__)
#define ods_log_info(...)    ods_log_msg(ODS_LOG_INFO, __VA_ARGS__)
#define ods_log_debug(...)   ods_log_msg(ODS_LOG_DEBUG, __VA_ARGS__)

#endif
