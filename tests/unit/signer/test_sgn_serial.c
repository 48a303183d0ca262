/*
 * sgn_serial: the SOA serial of the next version, for every policy, against
 * hand-worked vectors and an independent model of RFC 1982 written with
 * 64-bit arithmetic (no uint32 wrap-around tricks), over seeded random
 * inputs concentrated near the wrap points (ODS_TEST_SEED replays a run).
 */
#include "tap.h"

#include "conf/params.h"
#include "sgn_serial.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define HALF 2147483648ull /* 2^31 */
#define MOD  4294967296ull /* 2^32 */

/* RFC 1982 3.2, literally: s1 is greater than s2. */
static bool ref_gt(uint64_t s1, uint64_t s2)
{
    return (s1 < s2 && s2 - s1 > HALF) || (s1 > s2 && s1 - s2 < HALF);
}

static uint32_t datestamp(time_t now)
{
    struct tm tm;
    char text[16];
    gmtime_r(&now, &tm);
    strftime(text, sizeof(text), "%Y%m%d", &tm);
    return (uint32_t)(strtoul(text, NULL, 10) * 100);
}

/* The documented rule (sgn_serial.h), recomputed; -1 when it must refuse. */
static int64_t ref_next(const sgn_serial_in_t *in)
{
    uint64_t prev = in->inbound;
    if (in->have_outbound && ref_gt(in->outbound, in->inbound))
        prev = in->outbound;
    if (in->forced) {
        bool first_equal = !in->have_outbound && in->forced_serial == in->inbound;
        return ref_gt(in->forced_serial, prev) || first_equal ? (int64_t)in->forced_serial : -1;
    }
    uint64_t want;
    switch (in->policy) {
    case ODS_SERIAL_KEEP:
        if (in->have_outbound && !ref_gt(in->inbound, in->outbound))
            return -1;
        return in->inbound;
    case ODS_SERIAL_UNIXTIME:
        want = (uint64_t)in->now % MOD;
        break;
    case ODS_SERIAL_DATECOUNTER:
        want = datestamp(in->now);
        break;
    default:
        want = ((uint64_t)in->inbound + 1) % MOD;
        break;
    }
    return ref_gt(want, prev) ? (int64_t)want : (int64_t)((prev + 1) % MOD);
}

static const char *pname(int policy)
{
    return ods_serial_name(policy);
}

/* One case: the result is want (-1: refused with ODS_ECONFLICT and a message). */
static void expect(sgn_serial_in_t in, int64_t want, const char *what)
{
    uint32_t out = 0xDEADBEEF;
    ods_err_t err = { 0 };
    int rc = sgn_serial_next(&in, &out, &err);
    if (want < 0) {
        ok(rc == ODS_ECONFLICT && out == 0xDEADBEEF && err.msg[0] != '\0',
           "%s: %s refused, out untouched (%s)", pname(in.policy), what, err.msg);
        return;
    }
    if (!ok(rc == ODS_OK && out == (uint32_t)want, "%s: %s -> %" PRId64, pname(in.policy), what,
            want))
        tap_diag("rc %d, got %" PRIu32 " (%s)", rc, out, err.msg);
}

static sgn_serial_in_t mk(int policy, uint32_t inbound, bool have_out, uint32_t out, time_t now)
{
    return (sgn_serial_in_t){ policy, inbound, have_out, out, now, false, 0 };
}

static void test_gt(void)
{
    static const uint32_t v[][2] = { { 1, 0 },
                                     { 0, 0xFFFFFFFF },
                                     { 0x7FFFFFFF, 0 },
                                     { 0x80000000, 0 },
                                     { 0, 0x80000000 },
                                     { 0xFFFFFFF0, 0xFFFFFFEF },
                                     { 5, 0xFFFFFFF0 },
                                     { 0xFFFFFFF0, 5 },
                                     { 7, 7 },
                                     { 0x80000001, 1 },
                                     { 0x80000000, 1 },
                                     { 0, 0x7FFFFFFF },
                                     { 0x7FFFFFFF, 0x80000000 },
                                     { 0x80000000, 0x7FFFFFFF } };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        is_int(sgn_serial_gt(v[i][0], v[i][1]), ref_gt(v[i][0], v[i][1]),
               "sgn_serial_gt(%#" PRIx32 ", %#" PRIx32 ") per RFC 1982", v[i][0], v[i][1]);
    ok(!sgn_serial_gt(0x80000000, 0) && !sgn_serial_gt(0, 0x80000000),
       "2^31 apart: neither is greater (undefined in RFC 1982)");
}

static void test_counter(void)
{
    int C = ODS_SERIAL_COUNTER;
    expect(mk(C, 100, false, 0, 0), 101, "first sign: the input serial + 1");
    expect(mk(C, 100, true, 105, 0), 106, "input behind the last published: published + 1");
    expect(mk(C, 200, true, 105, 0), 201, "input raised past the published: input + 1");
    expect(mk(C, 105, true, 105, 0), 106, "same serial in and out: + 1");
    expect(mk(C, 0xFFFFFFFF, false, 0, 0), 0, "input 2^32-1 wraps to 0");
    expect(mk(C, 0xFFFFFFF0, true, 0xFFFFFFF0, 0), 0xFFFFFFF1, "prev 0xFFFFFFF0: 0xFFFFFFF1");
    expect(mk(C, 0xFFFFFFF0, true, 0xFFFFFFFF, 0), 0, "published 0xFFFFFFFF: next is 0");
    expect(mk(C, 5, true, 0xFFFFFFF0, 0), 6, "input 5 is ahead of published 0xFFFFFFF0: 6");
    expect(mk(C, 0xFFFFFFF0, true, 5, 0), 6, "published 5 is ahead of input 0xFFFFFFF0: 6");
}

static void test_unixtime(void)
{
    int U = ODS_SERIAL_UNIXTIME;
    time_t now = 1700000000;
    expect(mk(U, 1, false, 0, now), 1700000000, "first sign: now");
    expect(mk(U, 1, true, 1699999000, now), 1700000000, "later: now");
    expect(mk(U, 1, true, 1700000010, now), 1700000011, "published ahead of now: published + 1");
    expect(mk(U, 1700000000, false, 0, now), 1700000001, "input equal to now: + 1");
    expect(mk(U, 0xFFFFFFF0, true, 0xFFFFFFF0, now), 1700000000,
           "prev 0xFFFFFFF0: now is ahead of it in serial arithmetic");
    /* the increment cap: 2^31 - 1 is the largest step forward */
    expect(mk(U, 1, true, 1, 0x80000000), 0x80000000, "a step of exactly 2^31-1 is taken");
    expect(mk(U, 0, true, 0, 0x80000000), 1, "a step of 2^31 is not: prev + 1");
    expect(mk(U, 0, true, 0, 0x80000001), 1, "now behind prev (2^31+1 ahead): prev + 1");
    expect(mk(U, 5, true, 5, (time_t)MOD + 9), 9, "now past 2^32 is taken modulo 2^32");
}

static void test_datecounter(void)
{
    int D = ODS_SERIAL_DATECOUNTER;
    time_t now = 1718452800; /* 2024-06-15 12:00:00 UTC */
    expect(mk(D, 1, false, 0, now), 2024061500, "first sign: YYYYMMDD00 of now (UTC)");
    expect(mk(D, 2024061500, false, 0, now), 2024061501, "input already today's 00: 01");
    expect(mk(D, 2024061400, true, 2024061507, now), 2024061508, "published ahead: + 1");
    expect(mk(D, 2024061499, true, 2024061401, now), 2024061500, "a new day starts at 00");
    expect(mk(D, 2024061600, false, 0, now), 2024061601, "input from tomorrow: + 1");
    expect(mk(D, 0xFFFFFFF0, true, 0xFFFFFFF0, now), 2024061500,
           "prev 0xFFFFFFF0: the date is ahead in serial arithmetic");
    expect(mk(D, 1, false, 0, 1718495999), 2024061500, "23:59:59 UTC is still the 15th");
    expect(mk(D, 1, false, 0, 1718496000), 2024061600, "00:00:00 UTC is the 16th");
}

static void test_keep(void)
{
    int K = ODS_SERIAL_KEEP;
    expect(mk(K, 7, false, 0, 0), 7, "first sign: the input serial");
    expect(mk(K, 8, true, 7, 0), 8, "input ahead of the published: kept");
    expect(mk(K, 7, true, 7, 0), -1, "input equal to the published");
    expect(mk(K, 5, true, 7, 0), -1, "input behind the published");
    expect(mk(K, 2, true, 0xFFFFFFFE, 0), 2, "input 2 after published 0xFFFFFFFE (wrapped)");
    expect(mk(K, 0x80000007, true, 7, 0), -1, "input 2^31 after the published (undefined)");
    sgn_serial_in_t in = mk(K, 5, true, 7, 0);
    ods_err_t err = { 0 };
    uint32_t out;
    sgn_serial_next(&in, &out, &err);
    has_str(err.msg, "cannot keep the input serial 5", "keep: the message names the input serial");
    has_str(err.msg, "published serial 7", "keep: and the published one");
}

static sgn_serial_in_t forced(int policy, uint32_t inbound, bool have_out, uint32_t out,
                              uint32_t serial)
{
    sgn_serial_in_t in = mk(policy, inbound, have_out, out, 1700000000);
    in.forced = true;
    in.forced_serial = serial;
    return in;
}

static void test_forced(void)
{
    int C = ODS_SERIAL_COUNTER, K = ODS_SERIAL_KEEP, U = ODS_SERIAL_UNIXTIME;
    expect(forced(C, 90, true, 100, 101), 101, "forced 101 after 100: accepted");
    expect(forced(C, 90, true, 100, 5000), 5000, "forced 5000 after 100: accepted as is");
    expect(forced(C, 90, true, 100, 100), -1, "forced equal to the published: refused");
    expect(forced(C, 90, true, 100, 99), -1, "forced behind the published: refused");
    expect(forced(C, 120, true, 100, 110), -1, "forced behind the input: refused");
    expect(forced(C, 100, false, 0, 100), 100, "first sign: forced equal to the input accepted");
    expect(forced(C, 100, false, 0, 99), -1, "first sign: forced behind the input refused");
    expect(forced(C, 90, true, 100, 100 + 0x7FFFFFFFu), 100 + 0x7FFFFFFFu,
           "forced 2^31-1 ahead: accepted");
    expect(forced(C, 90, true, 100, 100 + 0x80000000u), -1, "forced 2^31 ahead: refused");
    expect(forced(C, 0xFFFFFFF0, true, 0xFFFFFFF0, 3), 3, "forced 3 after 0xFFFFFFF0 (wraps)");
    expect(forced(K, 5, true, 7, 8), 8, "keep: a forced serial overrides the policy");
    expect(forced(U, 5, true, 7, 8), 8, "unixtime: a forced serial overrides now");
    sgn_serial_in_t in = forced(C, 90, true, 100, 99);
    ods_err_t err = { 0 };
    uint32_t out;
    sgn_serial_next(&in, &out, &err);
    has_str(err.msg, "serial 99 is not ahead of 100", "forced: the message says why");
}

/* Values near the points where serial arithmetic turns over. */
static uint32_t edge_value(void)
{
    static const uint32_t base[] = { 0,          1,          0x7FFFFFFF, 0x80000000,
                                     0xFFFFFFFF, 2024061500, 1700000000 };
    uint32_t b = base[(unsigned)rand() % 7];
    int32_t d = (int32_t)((unsigned)rand() % 64) - 32;
    return (unsigned)rand() % 4 == 0 ? ((uint32_t)rand() << 16 ^ (uint32_t)rand())
                                     : b + (uint32_t)d;
}

static void test_random(void)
{
    unsigned seed = (unsigned)time(NULL);
    const char *env = getenv("ODS_TEST_SEED");
    if (env != NULL && *env != '\0')
        seed = (unsigned)strtoul(env, NULL, 10);
    tap_diag("random cases: seed %u (ODS_TEST_SEED=%u replays them)", seed, seed);
    srand(seed);
    static const int policies[] = { ODS_SERIAL_COUNTER, ODS_SERIAL_DATECOUNTER, ODS_SERIAL_UNIXTIME,
                                    ODS_SERIAL_KEEP };
    int mismatches = 0, capped = 0;
    for (int i = 0; i < 200000; i++) {
        sgn_serial_in_t in = mk(policies[i % 4], edge_value(), rand() % 4 != 0, edge_value(),
                                (time_t)edge_value() + (rand() % 8 == 0 ? (time_t)MOD : 0));
        if (rand() % 5 == 0) {
            in.forced = true;
            in.forced_serial = edge_value();
        }
        int64_t want = ref_next(&in);
        uint32_t out = 0;
        int rc = sgn_serial_next(&in, &out, NULL);
        bool same = want < 0 ? rc == ODS_ECONFLICT : rc == ODS_OK && out == (uint32_t)want;
        /* the invariant behind the model: forward, by at most 2^31 - 1 */
        uint64_t prev = in.inbound;
        if (in.have_outbound && ref_gt(in.outbound, in.inbound))
            prev = in.outbound;
        if (in.policy == ODS_SERIAL_KEEP && !in.forced)
            prev = in.outbound; /* keep moves from the published serial */
        bool first_kept =
            !in.have_outbound && out == in.inbound && (in.policy == ODS_SERIAL_KEEP || in.forced);
        if (rc == ODS_OK && !first_kept &&
            (!ref_gt(out, prev) || ((uint64_t)out + MOD - prev) % MOD > HALF - 1))
            capped++;
        if (!same && mismatches++ < 5)
            tap_diag("policy %d in %u out %d/%u now %lld forced %d/%u: got rc %d %u, want %lld",
                     in.policy, in.inbound, in.have_outbound, in.outbound, (long long)in.now,
                     in.forced, in.forced_serial, rc, out, (long long)want);
    }
    is_int(mismatches, 0, "200000 random cases agree with the RFC 1982 model");
    is_int(capped, 0, "every new serial is ahead of the previous one by 1 .. 2^31-1");
}

int main(void)
{
    test_gt();
    test_counter();
    test_unixtime();
    test_datecounter();
    test_keep();
    test_forced();
    test_random();
    return tap_done();
}
