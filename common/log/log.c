#include "log/log.h"
#include "util/status.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX    4096
#define LOG_SECRETS_MAX 16
#define LOG_SECRET_MASK "********"

enum log_sink { SINK_STDERR, SINK_FD, SINK_SYSLOG };

static _Atomic int log_verbosity = ODS_LOG_DEFAULT_VERBOSITY;
static enum log_sink log_sink = SINK_STDERR;
static int log_fd = 2;
static char log_ident[64] = "odsng";

static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;
static char *secrets[LOG_SECRETS_MAX];
static size_t nsecrets;

static void log_set_ident(const char *ident)
{
    snprintf(log_ident, sizeof(log_ident), "%s", ident ? ident : "odsng");
}

void ods_log_open_stderr(const char *ident, int verbosity)
{
    ods_log_open_fd(ident, 2, verbosity);
    log_sink = SINK_STDERR;
}

void ods_log_open_fd(const char *ident, int fd, int verbosity)
{
    if (log_sink == SINK_SYSLOG)
        closelog();
    log_set_ident(ident);
    log_fd = fd;
    log_sink = SINK_FD;
    ods_log_set_verbosity(verbosity);
}

void ods_log_open_syslog(const char *ident, int facility, int verbosity)
{
    log_set_ident(ident);
    openlog(log_ident, LOG_PID | LOG_NDELAY, facility);
    log_sink = SINK_SYSLOG;
    ods_log_set_verbosity(verbosity);
}

void ods_log_close(void)
{
    if (log_sink == SINK_SYSLOG)
        closelog();
    log_sink = SINK_STDERR;
    log_fd = 2;
}

void ods_log_set_verbosity(int verbosity)
{
    atomic_store(&log_verbosity, verbosity < 0 ? 0 : verbosity);
}

int ods_log_get_verbosity(void)
{
    return atomic_load(&log_verbosity);
}

int ods_log_facility_parse(const char *name, int *facility)
{
    static const struct {
        const char *name;
        int value;
    } map[] = {
        { "daemon", LOG_DAEMON }, { "user", LOG_USER },     { "local0", LOG_LOCAL0 },
        { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
        { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
        { "local7", LOG_LOCAL7 },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcasecmp(name, map[i].name) == 0) {
            *facility = map[i].value;
            return ODS_OK;
        }
    }
    return ODS_EINVAL;
}

void ods_log_secret_add(const char *secret)
{
    if (secret == NULL || strlen(secret) < 4)
        return;
    pthread_mutex_lock(&secret_lock);
    for (size_t i = 0; i < nsecrets; i++) {
        if (strcmp(secrets[i], secret) == 0) {
            pthread_mutex_unlock(&secret_lock);
            return;
        }
    }
    if (nsecrets < LOG_SECRETS_MAX) {
        char *copy = strdup(secret);
        if (copy != NULL)
            secrets[nsecrets++] = copy;
    }
    pthread_mutex_unlock(&secret_lock);
}

void ods_log_secret_clear(void)
{
    pthread_mutex_lock(&secret_lock);
    for (size_t i = 0; i < nsecrets; i++) {
        explicit_bzero(secrets[i], strlen(secrets[i]));
        free(secrets[i]);
        secrets[i] = NULL;
    }
    nsecrets = 0;
    pthread_mutex_unlock(&secret_lock);
}

/* Replace every registered secret in line (in place, bounded by size). */
static void log_redact(char *line, size_t size)
{
    pthread_mutex_lock(&secret_lock);
    for (size_t i = 0; i < nsecrets; i++) {
        size_t slen = strlen(secrets[i]);
        size_t mlen = strlen(LOG_SECRET_MASK);
        char *p = line;
        while ((p = strstr(p, secrets[i])) != NULL) {
            size_t tail = strlen(p + slen);
            size_t pos = (size_t)(p - line);
            if (pos + mlen + tail + 1 > size)
                tail = size - pos - mlen - 1;
            memmove(p + mlen, p + slen, tail);
            p[mlen + tail] = '\0';
            memcpy(p, LOG_SECRET_MASK, mlen);
            p += mlen;
        }
    }
    pthread_mutex_unlock(&secret_lock);
}

static const char *log_level_name(int level)
{
    switch (level) {
    case ODS_LOG_CRIT:
        return "critical";
    case ODS_LOG_ERR:
        return "error";
    case ODS_LOG_WARNING:
        return "warning";
    case ODS_LOG_NOTICE:
        return "notice";
    case ODS_LOG_INFO:
        return "info";
    default:
        return "debug";
    }
}

/* Verbosity 0..5 -> highest syslog level shown. */
static int log_enabled(int level)
{
    if (level <= ODS_LOG_ERR)
        return 1;
    int v = atomic_load(&log_verbosity);
    return level <= v + 2;
}

void ods_log_msg(int level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char msg[LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_redact(msg, sizeof(msg));
    if (log_sink == SINK_SYSLOG) {
        syslog(level, "%s", msg);
        return;
    }
    char line[LOG_LINE_MAX + 128];
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm);
    int n =
        snprintf(line, sizeof(line), "[%s.%03ld] %s[%d]: %s: %s\n", stamp,
                 (long)(tv.tv_usec / 1000), log_ident, (int)getpid(), log_level_name(level), msg);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(line)) {
        n = (int)sizeof(line) - 1;
        line[n - 1] = '\n';
    }
    ssize_t w = write(log_fd, line, (size_t)n);
    (void)w;
}
