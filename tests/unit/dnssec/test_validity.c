/* Unit tests for common/dnssec/validity: RFC 1982 serials, signature windows, freshness. */
#include "tap.h"
#include "helpers.h"

#include "dnssec/validity.h"

#include <stdint.h>
#include <time.h>

/* The RFC 1982 definition, restated with 64-bit arithmetic. */
static bool ref_lt(uint32_t a, uint32_t b)
{
    uint64_t d = ((uint64_t)b - a) & 0xFFFFFFFFu;
    return d != 0 && d < 0x80000000u;
}

static void test_serial(void)
{
    ok(ods_serial_lt(0, 1) && ods_serial_lt(1, 0x7FFFFFFF) && !ods_serial_lt(1, 1),
       "small serials");
    ok(ods_serial_lt(0xFFFFFFFFu, 0) && ods_serial_gt(0, 0xFFFFFFFFu), "0xFFFFFFFF < 0 (wrap)");
    ok(ods_serial_lt(0x80000001u, 0) && ods_serial_lt(0, 0x7FFFFFFFu), "halfway either side");
    ok(!ods_serial_lt(0, 0x80000000u) && !ods_serial_gt(0, 0x80000000u) &&
           !ods_serial_lt(0x80000000u, 0) && !ods_serial_gt(0x80000000u, 0),
       "2^31 apart: undefined, neither < nor >");
    ok(ods_serial_le(5, 5) && ods_serial_le(0xFFFFFFF0u, 3) && !ods_serial_le(3, 0xFFFFFFF0u),
       "le");
    is_int(ods_serial_add(0xFFFFFFFFu, 2), 1, "serial add wraps");
    is_int(ods_serial_add(10, 0xFFFFFFFFu), 10u + 0x7FFFFFFFu, "serial add clamps n to 2^31-1");
    unsigned bad = 0;
    for (int i = 0; i < 200000; i++) {
        uint32_t a = (uint32_t)th_rand(),
                 b = i % 2 ? (uint32_t)th_rand() : a + (uint32_t)th_rand() % 5;
        if (i % 1000 == 0)
            b = a + 0x80000000u;
        if (ods_serial_lt(a, b) != ref_lt(a, b) || ods_serial_gt(a, b) != ref_lt(b, a))
            bad++;
    }
    is_int(bad, 0, "lt/gt agree with the RFC 1982 definition on 200000 pairs");
}

static void test_time(void)
{
    int64_t wrap = (int64_t)1 << 32;
    is_int(ods_rrsig_time(wrap + 5), 5, "64-bit time to RRSIG time (mod 2^32)");
    is_int(ods_rrsig_time_resolve(0x10, wrap - 0x10), wrap + 0x10, "resolve across the wrap");
    is_int(ods_rrsig_time_resolve(0xFFFFFFF0u, wrap + 0x10), wrap - 0x10, "resolve back across it");
    is_int(ods_rrsig_time_resolve(1893456000u, 1700000000), 1893456000, "resolve near now");
    char text[ODS_RRSIG_TIME_TEXT];
    ok(ods_rrsig_time_format(0, 0, text) == ODS_OK && strcmp(text, "19700101000000") == 0,
       "format the epoch");
    ok(ods_rrsig_time_format(100, wrap, text) == ODS_OK && strcmp(text, "21060207062956") == 0,
       "format 2^32 + 100 s: %s", text);
    /* ldns formats RRSIG times relative to now as well */
    int64_t now = time(NULL);
    unsigned bad = 0;
    for (int i = 0; i < 2000; i++) {
        uint32_t ts = ods_rrsig_time(now + (int64_t)(th_rand() % 0xF0000000u) - 0x78000000);
        uint8_t raw[4] = { (uint8_t)(ts >> 24), (uint8_t)(ts >> 16), (uint8_t)(ts >> 8),
                           (uint8_t)ts };
        ldns_rdf *r = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_TIME, 4, raw);
        char *theirs = ldns_rdf2str(r);
        if (ods_rrsig_time_format(ts, now, text) != ODS_OK || theirs == NULL ||
            strcmp(text, theirs) != 0) {
            if (bad++ < 3)
                tap_diag("time %u: ours %s, ldns %s", ts, text, theirs ? theirs : "(null)");
        }
        free(theirs);
        ldns_rdf_deep_free(r);
    }
    is_int(bad, 0, "presentation of RRSIG times equals ldns's (within 68 years of now)");
}

static void test_window(void)
{
    ods_validity_policy_t p = { 3600, 14 * 86400, 12 * 3600 };
    uint32_t inc = 1, exp = 2;
    int64_t now = 1700000000;
    ok(ods_validity_window(now, &p, 0, &inc, &exp) == ODS_OK && inc == now - 3600 &&
           exp == now + 14 * 86400 - 12 * 3600,
       "rnd 0: expiration - jitter");
    ok(ods_validity_window(now, &p, 2 * 12 * 3600, &inc, &exp) == ODS_OK &&
           exp == now + 14 * 86400 + 12 * 3600,
       "rnd 2 jitter: expiration + jitter");
    ok(ods_validity_window(now, &p, 12 * 3600, &inc, &exp) == ODS_OK && exp == now + 14 * 86400,
       "rnd jitter: no jitter");
    ok(ods_validity_window(now, &p, 2 * 12 * 3600 + 1, &inc, &exp) == ODS_OK &&
           exp == now + 14 * 86400 - 12 * 3600,
       "rnd wraps modulo 2 jitter + 1");
    int64_t late = ((int64_t)1 << 32) - 100;
    ok(ods_validity_window(late, &p, 12 * 3600, &inc, &exp) == ODS_OK &&
           inc == (uint32_t)(late - 3600) && exp == (uint32_t)(late + 14 * 86400) && exp < inc &&
           ods_serial_lt(inc, exp),
       "a window across 2^32: expiration wraps, still after inception in serial order");

    ods_validity_policy_t none = { 0, 100, 0 };
    ok(ods_validity_window(now, &none, 12345, &inc, &exp) == ODS_OK && inc == now &&
           exp == now + 100,
       "no jitter, no offset");
    uint32_t i2 = 7, e2 = 8;
    ods_validity_policy_t bad1 = { 0, 100, 100 };
    ok(ods_validity_window(now, &bad1, 0, &i2, &e2) == ODS_EINVAL && i2 == 7 && e2 == 8,
       "jitter as large as the validity is refused, outputs untouched");
    ods_validity_policy_t bad2 = { 3600, 0x7FFFFFFFu - 3600, 1 };
    ok(ods_validity_window(now, &bad2, 0, &i2, &e2) == ODS_EINVAL,
       "a window of 2^31 seconds or more is refused");

    /* jitter is uniform over [-3, 3] */
    ods_validity_policy_t small = { 0, 1000, 3 };
    unsigned count[7] = { 0 }, outside = 0;
    for (int i = 0; i < 70000; i++) {
        ods_validity_window(now, &small, th_rand(), &inc, &exp);
        int64_t j = (int64_t)exp - now - 1000;
        if (j < -3 || j > 3)
            outside++;
        else
            count[j + 3]++;
    }
    unsigned lo = 70000, hi = 0;
    for (int k = 0; k < 7; k++) {
        lo = count[k] < lo ? count[k] : lo;
        hi = count[k] > hi ? count[k] : hi;
    }
    ok(outside == 0 && lo > 9000 && hi < 11000, "jitter uniform over [-3, 3]: %u..%u of 10000", lo,
       hi);
}

static void test_fresh(void)
{
    int64_t now = 1700000000;
    uint32_t n = (uint32_t)now;
    ok(ods_validity_is_fresh(n - 3600, n + 1001, now, 1000), "1001 s left, refresh 1000: fresh");
    ok(!ods_validity_is_fresh(n - 3600, n + 1000, now, 1000), "1000 s left: refresh it");
    ok(!ods_validity_is_fresh(n + 1, n + 86400, now, 1000), "not yet valid: not fresh");
    ok(ods_validity_is_fresh(n, n + 86400, now, 1000), "inception == now: fresh");
    ok(!ods_validity_is_fresh(n - 86400, n - 1, now, 0), "expired: not fresh");
    int64_t after = ((int64_t)1 << 32) + 10;
    ok(ods_validity_is_fresh(0xFFFFFF00u, 1000, after, 900),
       "across 2^32: 990 s left, refresh 900: fresh");
    ok(!ods_validity_is_fresh(0xFFFFFF00u, 1000, after, 990), "across 2^32: refresh 990: stale");
    ok(!ods_validity_is_fresh(0x10, 1000, ((int64_t)1 << 32) - 10, 0),
       "across 2^32: inception after now: not fresh");
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_serial();
    test_time();
    test_window();
    test_fresh();
    return tap_done();
}
