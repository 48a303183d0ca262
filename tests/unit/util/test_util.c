/* Unit tests for common/util: status, clock, duration, atomic file, buffer. */
#include "tap.h"

#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/status.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

static void test_duration_ok(const char *text, int64_t want, int want_flags)
{
    int64_t got = -1;
    int flags = -1;
    ods_err_t err = { 0 };
    int rc = ods_duration_parse(text, &got, &flags, &err);
    ok(rc == ODS_OK && got == want && flags == want_flags, "duration %s = %lld (got %lld, rc %d%s%s)",
       text, (long long)want, (long long)got, rc, rc ? ": " : "", err.msg);
}

static void test_duration_bad(const char *text, const char *want_msg)
{
    int64_t got = 12345;
    ods_err_t err = { 0 };
    int rc = ods_duration_parse(text, &got, NULL, &err);
    ok(rc != ODS_OK && got == 12345, "duration '%s' rejected", text ? text : "(null)");
    has_str(err.msg, want_msg, "message for %s explains the problem", text ? text : "(null)");
}

static void test_durations(void)
{
    test_duration_ok("PT3600S", 3600, 0);
    test_duration_ok("PT1H30M", 5400, 0);
    test_duration_ok("P14D", 14 * 86400, 0);
    test_duration_ok("P3M", 3 * 31 * 86400, ODS_DURATION_HAS_MONTHS);
    test_duration_ok("P1Y", 365 * 86400, ODS_DURATION_HAS_YEARS);
    test_duration_ok("P1Y2M", 365 * 86400 + 62 * 86400,
                     ODS_DURATION_HAS_YEARS | ODS_DURATION_HAS_MONTHS);
    test_duration_ok("P2W", 14 * 86400, 0);
    test_duration_ok("P1DT12H", 86400 + 12 * 3600, 0);
    test_duration_ok("PT0S", 0, 0);
    test_duration_ok("P0D", 0, 0);
    test_duration_ok("PT1M", 60, 0);
    test_duration_ok(" PT5M ", 300, 0);
    test_duration_ok("P1DT1H1M1S", 90061, 0);

    test_duration_bad("3600", "does not start with 'P'");
    test_duration_bad("P", "has no value");
    test_duration_bad("PT", "has no value");
    test_duration_bad("P1H", "put 'T' before hours");
    test_duration_bad("PT1D", "time (H, M, S)");
    test_duration_bad("P1.5D", "fractions are not supported");
    test_duration_bad("P1D2Y", "out of order");
    test_duration_bad("P1DD", "expected a number");
    test_duration_bad("PT1H1H", "out of order or repeated");
    test_duration_bad("P1X", "date (Y, M, W, D)");
    test_duration_bad("P1D junk", "trailing text");
    test_duration_bad("P99999999999999999999D", "too large");
    test_duration_bad(NULL, "missing duration");

    char buf[64];
    ods_duration_format(3600, buf, sizeof(buf));
    is_str(buf, "PT1H", "format 3600");
    ods_duration_format(0, buf, sizeof(buf));
    is_str(buf, "PT0S", "format 0");
    ods_duration_format(86400 * 14, buf, sizeof(buf));
    is_str(buf, "P14D", "format 14 days");
    ods_duration_format(90061, buf, sizeof(buf));
    is_str(buf, "P1DT1H1M1S", "format mixed");
    int64_t back;
    ods_duration_parse(buf, &back, NULL, NULL);
    is_int(back, 90061, "format and parse round-trip");
}

static void test_clock(void)
{
    time_t real = time(NULL);
    ok(ods_clock_now() - real <= 1 && !ods_clock_is_simulated(), "clock starts real");
    ods_clock_freeze(1000000000);
    is_int(ods_clock_now(), 1000000000, "frozen clock");
    ods_clock_advance(3600);
    is_int(ods_clock_now(), 1000003600, "frozen clock advances");
    ok(ods_clock_is_simulated(), "frozen clock is simulated");
    ods_clock_set(2000000000);
    ok(ods_clock_now() - 2000000000 <= 1, "offset clock runs from the set time");
    ods_clock_advance(-100);
    ok(ods_clock_now() - 1999999900 <= 1, "offset clock moves back");
    ods_clock_reset();
    ok(ods_clock_now() - time(NULL) <= 1 && !ods_clock_is_simulated(), "clock reset");

    char buf[32];
    ods_clock_format(0, buf, sizeof(buf));
    is_str(buf, "1970-01-01 00:00:00", "format epoch");
    time_t t = 0;
    is_int(ods_clock_parse("2026-11-27 12:00:00", &t), ODS_OK, "parse date time");
    is_int(t, 1795780800, "parsed value");
    is_int(ods_clock_parse("2026-11-27T12:00:00Z", &t), ODS_OK, "parse ISO form");
    is_int(t, 1795780800, "parsed ISO value");
    is_int(ods_clock_parse("1795780800", &t), ODS_OK, "parse epoch");
    is_int(t, 1795780800, "parsed epoch value");
    is_int(ods_clock_parse("20261127", &t), ODS_OK, "parse YYYYMMDD");
    is_int(t, 1795737600, "parsed YYYYMMDD value");
    ok(ods_clock_parse("yesterday", &t) != ODS_OK, "reject garbage time");
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void test_atomicfile(void)
{
    char dir[] = "/tmp/ods-test-afile.XXXXXX";
    ok(mkdtemp(dir) != NULL, "temp dir");
    char path[256];
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    ods_err_t err = { 0 };

    is_int(ods_atomic_write(path, "one\n", 4, 0640, &err), ODS_OK, "first write");
    is_str(read_file(path), "one\n", "content after first write");
    struct stat st;
    stat(path, &st);
    is_int(st.st_mode & 0777, 0640, "mode applied");

    ods_afile_t *af;
    is_int(ods_afile_open(path, 0644, &af, &err), ODS_OK, "open for replace");
    fputs("two\n", ods_afile_fp(af));
    is_str(read_file(path), "one\n", "old content visible while writing");
    is_int(count_entries(dir), 2, "temp file beside target");
    is_int(ods_afile_commit(af, &err), ODS_OK, "commit");
    is_str(read_file(path), "two\n", "new content after commit");
    is_int(count_entries(dir), 1, "no temp file left after commit");

    is_int(ods_afile_open(path, 0644, &af, &err), ODS_OK, "open to abort");
    fputs("three\n", ods_afile_fp(af));
    ods_afile_abort(af);
    is_str(read_file(path), "two\n", "abort keeps old content");
    is_int(count_entries(dir), 1, "no temp file left after abort");
    ods_afile_abort(NULL);

    char bad[300];
    snprintf(bad, sizeof(bad), "%s/missing/out.txt", dir);
    ok(ods_atomic_write(bad, "x", 1, 0644, &err) == ODS_EIO, "write into missing directory fails");
    has_str(err.msg, "missing/out.txt", "error names the file: %s", err.msg);

    if (access("/dev/full", W_OK) == 0) {
        /* a write error must not replace the target: simulate with a closed stream */
        is_int(ods_afile_open(path, 0644, &af, &err), ODS_OK, "open for failing write");
        fputs("partial", ods_afile_fp(af));
        /* make the flush fail: replace the fd with /dev/full */
        FILE *fp = ods_afile_fp(af);
        FILE *full = fopen("/dev/full", "w");
        dup2(fileno(full), fileno(fp));
        fclose(full);
        ok(ods_afile_commit(af, &err) == ODS_EIO, "commit reports the write error");
        is_str(read_file(path), "two\n", "failed write leaves the target unchanged");
        is_int(count_entries(dir), 1, "no temp file left after failed commit");
    }
    unlink(path);
    rmdir(dir);
}

static void test_buf(void)
{
    ods_buf_t b = ODS_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        ods_buf_append_u8(&b, (uint8_t)i);
    is_int(b.len, 1000, "buffer grows");
    ods_buf_reset(&b);
    ods_buf_append_u16(&b, 0x1234);
    ods_buf_append_u32(&b, 0xdeadbeef);
    ok(b.len == 6 && b.data[0] == 0x12 && b.data[2] == 0xde && b.data[5] == 0xef,
       "network byte order");
    ods_buf_reset(&b);
    ods_buf_printf(&b, "%s-%d", "zone", 42);
    ods_buf_printf(&b, "!");
    is_str(ods_buf_cstr(&b), "zone-42!", "printf appends");
    ods_buf_free(&b);
    ok(b.data == NULL && b.len == 0, "free resets");
}

static void test_status(void)
{
    ods_err_t err;
    is_int(ods_err_set(&err, ODS_EIO, "cannot read %s", "x"), ODS_EIO, "err_set returns code");
    ods_err_prefix(&err, "zone %s: ", "example.com");
    is_str(err.msg, "zone example.com: cannot read x", "prefix");
    is_int(ods_err_set(NULL, ODS_EPARSE, "ignored"), ODS_EPARSE, "NULL err is allowed");
    is_str(ods_strerror(ODS_EPIN), "incorrect PIN", "strerror");
    ods_err_clear(&err);
    is_int(err.code, 0, "clear");
}

int main(void)
{
    test_status();
    test_durations();
    test_clock();
    test_atomicfile();
    test_buf();
    return tap_done();
}
