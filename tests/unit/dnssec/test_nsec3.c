/* Unit tests for common/dnssec/nsec3: RFC 5155 Appendix A, ldns_nsec3_hash_name, base32hex. */
#include "tap.h"
#include "helpers.h"

#include "dnssec/bitmap.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"

#include <pthread.h>
#include <stdint.h>

static const uint8_t rfc_salt[] = { 0xaa, 0xbb, 0xcc, 0xdd };
static const ods_nsec3_params_t rfc_params = { 1, 0, 12, 4, rfc_salt };

/* Every hash listed in RFC 5155 Appendix A (zone "example", salt aabbccdd, 12 iterations). */
static const char *const rfc_hashes[][2] = {
    { "example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom" },
    { "a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl" },
    { "ai.example", "gjeqe526plbf1g8mklp59enfd789njgi" },
    { "ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr" },
    { "ns2.example", "q04jkcevqvmu85r014c7dkba38o0ji5r" },
    { "w.example", "k8udemvp1j2f7eg6jebps17vp3n8i58h" },
    { "*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en" },
    { "x.w.example", "b4um86eghhds6nea196smvmlo4ors995" },
    { "y.w.example", "ji6neoaepv8b5o6k4ev33abha8ht9fgc" },
    { "x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s" },
    { "xx.example", "t644ebqk9bibcna874givr6joj62mlhv" },
};

static void hash_text(const char *name, const ods_nsec3_params_t *p, char *b32)
{
    uint8_t wire[ODS_NAME_MAX_LEN], h[ODS_NSEC3_HASH_LEN];
    size_t len;
    b32[0] = '\0';
    if (ods_name_from_text(name, strlen(name), wire, &len, NULL) == ODS_OK &&
        ods_nsec3_hash(wire, p, h) == ODS_OK)
        ods_base32hex_encode(h, sizeof(h), b32, ODS_NSEC3_B32_LEN + 1);
}

static void test_rfc5155(void)
{
    char b32[ODS_NSEC3_B32_LEN + 1];
    for (size_t i = 0; i < sizeof(rfc_hashes) / sizeof(rfc_hashes[0]); i++) {
        hash_text(rfc_hashes[i][0], &rfc_params, b32);
        is_str(b32, rfc_hashes[i][1], "RFC 5155 A: H(%s)", rfc_hashes[i][0]);
    }
    hash_text("X.Y.W.EXAMPLE.", &rfc_params, b32);
    is_str(b32, "2vptu5timamqttgl4luu9kg21e0aor3s", "upper-case input hashes the same");
    uint8_t h[ODS_NSEC3_HASH_LEN];
    ods_nsec3_params_t bad = rfc_params;
    bad.algorithm = 2;
    is_int(ods_nsec3_hash((const uint8_t *)"", &bad, h), ODS_EMECH, "hash algorithm 2: EMECH");
}

static void test_against_ldns(unsigned rounds)
{
    unsigned bad = 0;
    for (unsigned r = 0; r < rounds; r++) {
        uint8_t name[ODS_NAME_MAX_LEN], salt[255], h[ODS_NSEC3_HASH_LEN];
        th_random_name(name, 6);
        ods_nsec3_params_t p = { 1, 0, (uint16_t)th_below(r % 10 == 0 ? 200 : 3),
                                 (uint8_t)(th_below(3) ? th_below(9) : th_below(256)), salt };
        for (size_t i = 0; i < p.salt_len; i++)
            salt[i] = (uint8_t)th_rand();
        char ours[ODS_NSEC3_B32_LEN + 2];
        ods_nsec3_hash(name, &p, h);
        ods_base32hex_encode(h, sizeof(h), ours, sizeof(ours));
        strcat(ours, ".");
        ldns_rdf *n = th_ldns_name(name);
        ldns_rdf *lh = ldns_nsec3_hash_name(n, 1, p.iterations, p.salt_len, salt);
        char *theirs = lh ? ldns_rdf2str(lh) : NULL;
        if (theirs == NULL || strcmp(ours, theirs) != 0) {
            if (bad++ < 3)
                tap_diag("hash differs: ours %s, ldns %s", ours, theirs ? theirs : "(null)");
        }
        free(theirs);
        ldns_rdf_deep_free(lh);
        ldns_rdf_deep_free(n);
    }
    is_int(bad, 0, "NSEC3 hashes equal ldns_nsec3_hash_name on %u random names, salts, iterations",
           rounds);
}

static void check_b32(const char *raw, const char *want)
{
    char out[64];
    uint8_t back[64];
    size_t n = strlen(raw), got = 0;
    ok(ods_base32hex_encode((const uint8_t *)raw, n, out, sizeof(out)) == ODS_OK &&
           strcmp(out, want) == 0 && strlen(out) == ods_base32hex_len(n),
       "base32hex('%s') = '%s' (got '%s')", raw, want, out);
    ok(ods_base32hex_decode(want, strlen(want), back, sizeof(back), &got) == ODS_OK && got == n &&
           memcmp(back, raw, n) == 0,
       "decode '%s'", want);
}

static void bad_b32(const char *text, const char *why)
{
    uint8_t out[64];
    size_t got = 999;
    ok(ods_base32hex_decode(text, strlen(text), out, sizeof(out), &got) == ODS_EINVAL && got == 999,
       "decode '%s' refused: %s", text, why);
}

static void test_base32hex(void)
{
    /* RFC 4648 section 10, lower-case and unpadded */
    check_b32("", "");
    check_b32("f", "co");
    check_b32("fo", "cpng");
    check_b32("foo", "cpnmu");
    check_b32("foob", "cpnmuog");
    check_b32("fooba", "cpnmuoj1");
    check_b32("foobar", "cpnmuoj1e8");
    uint8_t out[8];
    size_t got;
    ok(ods_base32hex_decode("CPNMUOJ1E8", 10, out, 6, &got) == ODS_OK && got == 6 &&
           memcmp(out, "foobar", 6) == 0,
       "decode accepts upper case");
    bad_b32("co======", "padding");
    bad_b32("cw", "w is outside the alphabet");
    bad_b32("c", "length 1");
    bad_b32("cpn", "length 3");
    bad_b32("cpnmuo", "length 6");
    bad_b32("cp", "non-zero unused bits");
    ok(ods_base32hex_decode("cpnmuoj1e8", 10, out, 5, &got) == ODS_EINVAL, "decode: out too small");
    char small[4];
    ok(ods_base32hex_encode((const uint8_t *)"foo", 3, small, sizeof(small)) == ODS_EINVAL,
       "encode: out too small");
    /* all 2^8 values in each position round-trip */
    unsigned bad = 0;
    for (int i = 0; i < 2000; i++) {
        uint8_t raw[40], back[40];
        size_t n = th_below(41);
        char text[80];
        for (size_t k = 0; k < n; k++)
            raw[k] = (uint8_t)th_rand();
        if (ods_base32hex_encode(raw, n, text, sizeof(text)) != ODS_OK ||
            ods_base32hex_decode(text, strlen(text), back, sizeof(back), &got) != ODS_OK ||
            got != n || memcmp(raw, back, n) != 0)
            bad++;
    }
    is_int(bad, 0, "random data round-trips through base32hex");
}

static void test_owner(void)
{
    uint8_t h[ODS_NSEC3_HASH_LEN], out[ODS_NAME_MAX_LEN];
    size_t len;
    ods_nsec3_hash((const uint8_t *)"\7example", &rfc_params, h);
    ok(ods_nsec3_owner(h, sizeof(h), (const uint8_t *)"\7example", out, &len) == ODS_OK &&
           len == 1 + 32 + 9 &&
           memcmp(out, "\0400p9mhaveqvm6t7vbl5lop2u3t2rp3tom\7example", len) == 0,
       "hashed owner 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.");
    uint8_t zone[ODS_NAME_MAX_LEN];
    memset(zone, 'z', sizeof(zone));
    for (int i = 0; i < 22; i++) /* 22 labels of 10 octets: 242 octets + root */
        zone[i * 11] = 10;
    zone[242] = 0;
    ok(ods_nsec3_owner(h, sizeof(h), zone, out, &len) == ODS_EINVAL,
       "a hashed owner over 255 octets is refused");
    zone[220] = 0; /* 20 labels: 220 + root = 221, + 33 = 254 */
    ok(ods_nsec3_owner(h, sizeof(h), zone, out, &len) == ODS_OK && len == 254,
       "a long zone that still fits");
}

static size_t ldns_rdata_of(const char *text, uint8_t *out, size_t outlen)
{
    ldns_rr *rr = NULL;
    if (ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL) != LDNS_STATUS_OK)
        return 0;
    size_t n = th_ldns_rdata(rr, out, outlen);
    ldns_rr_free(rr);
    return n;
}

static void test_records(void)
{
    uint8_t next[32], bm[64], want[512];
    size_t nlen, bmlen;
    ods_base32hex_decode("2t7b4g4vsa5smi47k61mv5bv1a22bojr", 32, next, sizeof(next), &nlen);
    const uint16_t types[] = { 15, 48, 2, 6, 51, 46 }; /* MX DNSKEY NS SOA NSEC3PARAM RRSIG */
    ods_bitmap_encode(types, 6, bm, sizeof(bm), &bmlen);
    ods_nsec3_params_t p = rfc_params;
    p.flags = ODS_NSEC3_FLAG_OPTOUT;
    ods_buf_t b = ODS_BUF_INIT;
    size_t wlen = ldns_rdata_of("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 1 12 "
                                "aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA "
                                "NSEC3PARAM RRSIG",
                                want, sizeof(want));
    ok(ods_nsec3_rdata(&b, &p, next, nlen, bm, bmlen) == ODS_OK && wlen == b.len &&
           memcmp(b.data, want, wlen) == 0,
       "NSEC3 RDATA of RFC 5155 Appendix A's apex equals ldns's");
    ods_nsec3_params_t q;
    size_t rest = 0;
    ok(ods_nsec3param_parse(b.data, b.len, &q, &rest) == ODS_OK && q.algorithm == 1 &&
           q.flags == 1 && q.iterations == 12 && q.salt_len == 4 &&
           memcmp(q.salt, rfc_salt, 4) == 0 && rest == 9 && b.data[rest] == 20,
       "NSEC3 parameters parse back");
    ods_buf_reset(&b);
    p.flags = 0;
    wlen = ldns_rdata_of("example. 0 IN NSEC3PARAM 1 0 12 aabbccdd", want, sizeof(want));
    ok(ods_nsec3param_rdata(&b, &p) == ODS_OK && wlen == b.len && memcmp(b.data, want, wlen) == 0,
       "NSEC3PARAM RDATA equals ldns's");
    ods_buf_reset(&b);
    ods_nsec3_params_t none = { 1, 0, 0, 0, NULL };
    wlen = ldns_rdata_of("example. 0 IN NSEC3PARAM 1 0 0 -", want, sizeof(want));
    ok(ods_nsec3param_rdata(&b, &none) == ODS_OK && wlen == b.len &&
           memcmp(b.data, want, wlen) == 0,
       "NSEC3PARAM with no salt (RFC 9276) equals ldns's");
    size_t before = b.len;
    ok(ods_nsec3_rdata(&b, &none, next, 0, bm, bmlen) == ODS_EINVAL && b.len == before,
       "an empty next hash is refused");
    ok(ods_nsec3param_parse(want, 4, &q, NULL) == ODS_EINVAL, "parse: truncated");
    ok(ods_nsec3param_parse((const uint8_t *)"\1\0\0\0\5ab", 7, &q, NULL) == ODS_EINVAL,
       "parse: salt overruns");
    ods_buf_free(&b);
}

typedef struct hash_job {
    const uint8_t (*names)[ODS_NAME_MAX_LEN];
    const uint8_t (*want)[ODS_NSEC3_HASH_LEN];
    size_t n;
    unsigned bad;
} hash_job_t;

static void *hash_many(void *arg)
{
    hash_job_t *j = arg;
    uint8_t h[ODS_NSEC3_HASH_LEN];
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < j->n; i++)
            if (ods_nsec3_hash(j->names[i], &rfc_params, h) != ODS_OK ||
                memcmp(h, j->want[i], sizeof(h)) != 0)
                j->bad++;
    return NULL;
}

/* Each thread hashes with its own digest context (freed when it exits). */
static void test_threads(void)
{
    static uint8_t names[64][ODS_NAME_MAX_LEN], want[64][ODS_NSEC3_HASH_LEN];
    for (size_t i = 0; i < 64; i++) {
        th_random_name(names[i], 4);
        ods_nsec3_hash(names[i], &rfc_params, want[i]);
    }
    pthread_t t[4];
    hash_job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (hash_job_t){ (const uint8_t(*)[ODS_NAME_MAX_LEN])names,
                                (const uint8_t(*)[ODS_NSEC3_HASH_LEN])want, 64, 0 };
        pthread_create(&t[i], NULL, hash_many, &jobs[i]);
    }
    unsigned bad = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        bad += jobs[i].bad;
    }
    is_int(bad, 0, "4 threads hashing at once get the single-thread results");
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_rfc5155();
    test_against_ldns(3000);
    test_base32hex();
    test_owner();
    test_records();
    test_threads();
    return tap_done();
}
