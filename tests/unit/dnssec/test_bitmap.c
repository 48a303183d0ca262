/* Unit tests for common/dnssec/bitmap: NSEC type bitmaps against RFC 4034 4.3 and ldns. */
#include "tap.h"
#include "helpers.h"

#include "dnssec/bitmap.h"

#include <stdint.h>

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void test_rfc(void)
{
    /* RFC 4034 4.3: A MX RRSIG NSEC TYPE1234 */
    static const uint8_t want[] = { 0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x04, 0x1b,
                                    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
                                    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
                                    0,    0,    0,    0,    0,    0,    0x20 };
    const uint16_t types[] = { 1234, 47, 1, 46, 15, 1 }; /* unsorted, with a duplicate */
    uint8_t out[ODS_BITMAP_MAX_LEN] = { 0 };
    size_t len = 0;
    int rc = ods_bitmap_encode(types, 6, out, sizeof(out), &len);
    ok(rc == ODS_OK && len == sizeof(want) && memcmp(out, want, len) == 0,
       "RFC 4034 4.3 bitmap (A MX RRSIG NSEC TYPE1234): %s", th_hex(out, len));
    uint16_t dec[16];
    size_t n = 0;
    ok(ods_bitmap_decode(out, len, dec, 16, &n) == ODS_OK && n == 5 && dec[0] == 1 &&
           dec[1] == 15 && dec[2] == 46 && dec[3] == 47 && dec[4] == 1234,
       "decodes to A MX RRSIG NSEC TYPE1234");
    ok(ods_bitmap_has(out, len, 1234) && ods_bitmap_has(out, len, 15) &&
           !ods_bitmap_has(out, len, 16) && !ods_bitmap_has(out, len, 1233) &&
           !ods_bitmap_has(out, len, 257),
       "has() finds present types only");

    /* A, CAA (257, window 1), TYPE1234 (window 4) */
    const uint16_t three[] = { 257, 1234, 1 };
    static const uint8_t w3[] = { 0, 1, 0x40, 1, 1, 0x40, 4, 0x1b };
    ok(ods_bitmap_encode(three, 3, out, sizeof(out), &len) == ODS_OK && len == 3 + 3 + 2 + 27 &&
           memcmp(out, w3, sizeof(w3)) == 0 && out[len - 1] == 0x20,
       "A CAA TYPE1234 in windows 0, 1 and 4");
    ok(ods_bitmap_encode(NULL, 0, out, sizeof(out), &len) == ODS_OK && len == 0,
       "no types: empty bitmap");
    const uint16_t top[] = { 65535, 0 };
    ok(ods_bitmap_encode(top, 2, out, sizeof(out), &len) == ODS_OK && len == 3 + 34 &&
           out[0] == 0 && out[1] == 1 && out[2] == 0x80 && out[3] == 255 && out[4] == 32 &&
           out[36] == 0x01,
       "types 0 and 65535: first and last bits");
    ok(ods_bitmap_encode(three, 3, out, 10, &len) == ODS_EINVAL, "output too small");
}

static void test_malformed(void)
{
    uint16_t t[8];
    size_t n;
    static const struct {
        const char *what;
        const char *bm;
        size_t len;
    } bad[] = {
        { "windows out of order", "\1\1\100\0\1\100", 6 },
        { "repeated window", "\0\1\100\0\1\100", 6 },
        { "zero length", "\0\0", 2 },
        { "length 33", "\0\41", 2 },
        { "trailing zero octet", "\0\2\100\0", 4 },
        { "truncated", "\0\3\100", 3 },
        { "lone window octet", "\0", 1 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ok(ods_bitmap_check((const uint8_t *)bad[i].bm, bad[i].len) == ODS_EINVAL &&
               ods_bitmap_decode((const uint8_t *)bad[i].bm, bad[i].len, t, 8, &n) == ODS_EINVAL,
           "malformed bitmap refused: %s", bad[i].what);
    ok(ods_bitmap_decode((const uint8_t *)"\0\1\340", 3, t, 2, &n) == ODS_EINVAL,
       "decode refuses when types[] is too small");
    ok(ods_bitmap_check((const uint8_t *)"", 0) == ODS_OK, "an empty bitmap is well-formed");
}

static void test_against_ldns(unsigned rounds)
{
    unsigned bad = 0, bad_rt = 0, bad_has = 0;
    for (unsigned r = 0; r < rounds; r++) {
        uint16_t types[64], sorted[64], dec[64];
        ldns_rr_type lt[64];
        size_t n = 1 + th_below(20);
        for (size_t i = 0; i < n; i++) {
            unsigned kind = th_below(4);
            types[i] = (uint16_t)(kind == 0   ? th_below(65536)
                                  : kind == 1 ? 256 + th_below(512)
                                              : th_below(70));
            sorted[i] = types[i];
        }
        qsort(sorted, n, sizeof(sorted[0]), cmp_u16);
        for (size_t i = 0; i < n; i++)
            lt[i] = (ldns_rr_type)sorted[i];
        uint8_t out[ODS_BITMAP_MAX_LEN];
        size_t len = 0, dn = 0;
        ods_bitmap_encode(types, n, out, sizeof(out), &len);
        ldns_rdf *ref = ldns_dnssec_create_nsec_bitmap(lt, n, LDNS_RR_TYPE_NSEC);
        if (ref == NULL || ldns_rdf_size(ref) != len || memcmp(ldns_rdf_data(ref), out, len) != 0)
            bad++;
        /* decode gives the sorted unique types */
        size_t un = 0;
        for (size_t i = 0; i < n; i++)
            if (un == 0 || sorted[un - 1] != sorted[i])
                sorted[un++] = sorted[i];
        if (ods_bitmap_decode(out, len, dec, 64, &dn) != ODS_OK || dn != un ||
            memcmp(dec, sorted, un * sizeof(dec[0])) != 0)
            bad_rt++;
        for (int k = 0; k < 20; k++) {
            uint16_t q = k < 5 ? types[th_below((unsigned)n)] : (uint16_t)th_below(1300);
            if (ods_bitmap_has(out, len, q) != ldns_nsec_bitmap_covers_type(ref, q))
                bad_has++;
        }
        ldns_rdf_deep_free(ref);
    }
    is_int(bad, 0, "bitmaps equal ldns_dnssec_create_nsec_bitmap on %u random type sets", rounds);
    is_int(bad_rt, 0, "decode returns the sorted unique types");
    is_int(bad_has, 0, "has() agrees with ldns_nsec_bitmap_covers_type");
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_rfc();
    test_malformed();
    test_against_ldns(3000);
    return tap_done();
}
