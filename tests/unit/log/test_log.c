/* Unit tests for common/log: levels, verbosity, format, secret redaction. */
#include "tap.h"

#include "log/log.h"

#include <fcntl.h>
#include <unistd.h>

static char logbuf[65536];

static const char *captured(int fd)
{
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, logbuf, sizeof(logbuf) - 1);
    logbuf[n < 0 ? 0 : n] = '\0';
    return logbuf;
}

static int fresh(void)
{
    char path[] = "/tmp/ods-test-log.XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    return fd;
}

int main(void)
{
    int fd = fresh();
    ods_log_open_fd("testd", fd, 3);
    ods_log_notice("zone %s signed", "example.com");
    ods_log_info("hidden at verbosity 3");
    ods_log_error("always shown");
    const char *out = captured(fd);
    has_str(out, "testd[", "ident and pid");
    has_str(out, "notice: zone example.com signed", "notice at default verbosity");
    has_str(out, "error: always shown", "errors always");
    ok(strstr(out, "hidden") == NULL, "info filtered at verbosity 3");
    close(fd);

    fd = fresh();
    ods_log_open_fd("testd", fd, 5);
    ods_log_debug("debug %d", 5);
    has_str(captured(fd), "debug: debug 5", "debug shown at verbosity 5");
    ods_log_set_verbosity(0);
    is_int(ods_log_get_verbosity(), 0, "verbosity changed at runtime");
    ods_log_warning("a warning");
    ok(strstr(captured(fd), "a warning") == NULL, "warning hidden at verbosity 0");
    close(fd);

    fd = fresh();
    ods_log_open_fd("testd", fd, 3);
    ods_log_secret_add("s3cr3t-PIN");
    ods_log_secret_add("abc"); /* too short to redact safely: ignored */
    ods_log_error("login with s3cr3t-PIN failed; again s3cr3t-PIN; abc");
    out = captured(fd);
    ok(strstr(out, "s3cr3t-PIN") == NULL, "PIN never printed");
    has_str(out, "login with ******** failed; again ********; abc", "PIN redacted");
    ods_log_secret_clear();
    close(fd);

    int facility = -1;
    ok(ods_log_facility_parse("local3", &facility) == 0 && facility == LOG_LOCAL3, "facility");
    ok(ods_log_facility_parse("DAEMON", &facility) == 0 && facility == LOG_DAEMON,
       "facility case-insensitive");
    ok(ods_log_facility_parse("local9", &facility) != 0, "bad facility rejected");

    fd = fresh();
    ods_log_open_fd("testd", fd, 3);
    char big[8000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    ods_log_error("%s", big);
    out = captured(fd);
    ok(strlen(out) < 4300 && out[strlen(out) - 1] == '\n', "long message truncated to one line");
    close(fd);
    ods_log_close();
    return tap_done();
}
