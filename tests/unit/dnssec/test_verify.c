/* Unit tests for common/dnssec/verify: keys from DNSKEY RDATA, bad keys and signatures, threads. */
#include "tap.h"
#include "helpers.h"

#include "dnssec/keytag.h"
#include "dnssec/rrsig.h"
#include "dnssec/verify.h"

#include <openssl/err.h>
#include <pthread.h>
#include <stdint.h>

static const uint8_t algs[] = { 5, 7, 8, 10, 13, 14, 15, 16 };

static void test_pkey_roundtrip(void)
{
    for (size_t i = 0; i < sizeof(algs); i++) {
        EVP_PKEY *k = th_keygen(algs[i], algs[i] == 8 ? 2048 : 1024);
        uint8_t rd[1024];
        size_t len = k ? th_dnskey_rdata(k, 256, algs[i], rd, sizeof(rd)) : 0;
        EVP_PKEY *back = NULL;
        ods_err_t err = { 0 };
        int rc = ods_verify_pkey_from_dnskey(rd, len, &back, &err);
        ok(len > 0 && rc == ODS_OK && EVP_PKEY_eq(k, back) == 1,
           "alg %u: the key built from DNSKEY RDATA is the original public key%s%s", algs[i],
           err.msg[0] ? ": " : "", err.msg);
        ods_verify_key_t *vk = NULL;
        ok(ods_verify_key_new(rd, len, &vk, NULL) == ODS_OK &&
               ods_verify_key_algorithm(vk) == algs[i] &&
               ods_verify_key_tag(vk) == ods_dnssec_keytag(rd, len),
           "alg %u: verification key reports algorithm and tag", algs[i]);
        ods_verify_key_free(vk);
        EVP_PKEY_free(back);
        EVP_PKEY_free(k);
    }
    ods_verify_key_free(NULL);
    ok(1, "ods_verify_key_free(NULL) is a no-op");
}

/* Signature examples published in RFC 5702 6.1 / 6.2 and RFC 6605 6.1 / 6.2. */
static const struct {
    const char *what, *dnskey, *rr, *rrsig;
} rfc_sigs[] = {
    { "RFC 5702 RSASHA256 (512-bit key)",
      "example.net. 3600 IN DNSKEY 256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36Bp"
      "oncwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=",
      "www.example.net. 3600 IN A 192.0.2.91",
      "www.example.net. 3600 IN RRSIG A 8 3 3600 20300101000000 20000101000000 9033 "
      "example.net. kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/"
      "lPtPiVYP4bwg==" },
    { "RFC 5702 RSASHA512",
      "example.net. 3600 IN DNSKEY 256 3 10 AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROU"
      "kN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz"
      "1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL",
      "www.example.net. 3600 IN A 192.0.2.91",
      "www.example.net. 3600 IN RRSIG A 10 3 3600 20300101000000 20000101000000 3740 "
      "example.net. tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep9"
      "4PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fth"
      "PgxdDLw=" },
    { "RFC 6605 ECDSAP256SHA256",
      "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF6"
      "4cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
      "www.example.net. 3600 IN A 192.0.2.1",
      "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 "
      "example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7Zwm"
      "wWep666VCw==" },
    { "RFC 6605 ECDSAP384SHA384",
      "example.net. 3600 IN DNSKEY 257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvS"
      "ADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40",
      "www.example.net. 3600 IN A 192.0.2.1",
      "www.example.net. 3600 IN RRSIG A 14 3 3600 20100909102025 20100812102025 10771 "
      "example.net. /L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbav"
      "RKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm" },
};

static size_t rdata_of(const char *text, uint8_t *out, size_t outlen, uint8_t *owner)
{
    ldns_rr *rr = NULL;
    if (ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL) != LDNS_STATUS_OK)
        return 0;
    size_t n = th_ldns_rdata(rr, out, outlen);
    if (owner != NULL)
        memcpy(owner, ldns_rdf_data(ldns_rr_owner(rr)), ldns_rdf_size(ldns_rr_owner(rr)));
    ldns_rr_free(rr);
    return n;
}

static void bad_key(const uint8_t *rd, size_t len, int want, const char *msg, const char *what)
{
    EVP_PKEY *pkey = (EVP_PKEY *)&pkey; /* must stay untouched */
    ods_err_t err = { 0 };
    int rc = ods_verify_pkey_from_dnskey(rd, len, &pkey, &err);
    ok(rc == want && pkey == (EVP_PKEY *)&pkey, "%s: refused with %d (got %d)", what, want, rc);
    has_str(err.msg, msg, "%s: message", what);
    ok(ERR_peek_error() == 0, "%s: no OpenSSL error left in the queue", what);
}

static void test_bad_keys(void)
{
    uint8_t rd[200];
    memset(rd, 1, sizeof(rd));
    rd[0] = 1;
    rd[1] = 0;
    rd[2] = 3;
    rd[3] = 13;
    bad_key(rd, 4 + 63, ODS_EINVAL, "wrong length", "P-256 key of 63 octets");
    bad_key(rd, 4 + 64, ODS_EINVAL, "rejects the public key", "P-256 point not on the curve");
    rd[3] = 15;
    bad_key(rd, 4 + 31, ODS_EINVAL, "wrong length", "Ed25519 key of 31 octets");
    rd[3] = 8;
    rd[4] = 10; /* exponent of 10 octets, 5 present */
    bad_key(rd, 4 + 6, ODS_EINVAL, "truncated", "RSA key with a truncated exponent");
    rd[4] = 0;
    rd[5] = 0;
    rd[6] = 0;
    bad_key(rd, 4 + 40, ODS_EINVAL, "truncated", "RSA key with a zero-length exponent");
    rd[4] = 3;
    bad_key(rd, 4 + 4, ODS_EINVAL, "truncated", "RSA key with no modulus");
    uint8_t key512[100];
    size_t klen = rdata_of(rfc_sigs[0].dnskey, key512, sizeof(key512), NULL);
    key512[3] = 10;
    bad_key(key512, klen, ODS_EINVAL, "below the 1024-bit minimum", "a 512-bit RSASHA512 key");
    rd[3] = 12;
    bad_key(rd, 40, ODS_EMECH, "ECC-GOST", "algorithm 12");
    rd[3] = 200;
    bad_key(rd, 40, ODS_EMECH, "unknown", "algorithm 200");
    rd[3] = 13;
    rd[2] = 2;
    bad_key(rd, 68, ODS_EINVAL, "not a zone key", "protocol 2");
    rd[2] = 3;
    rd[0] = 0;
    bad_key(rd, 68, ODS_EINVAL, "not a zone key", "no Zone Key flag");
    bad_key(rd, 4, ODS_EINVAL, "too short", "a DNSKEY with no key");
}

static void test_bad_signatures(void)
{
    EVP_PKEY *k = th_keygen(13, 256);
    uint8_t rd[200], sig[128];
    size_t len = th_dnskey_rdata(k, 257, 13, rd, sizeof(rd));
    const uint8_t *data = (const uint8_t *)"some data to sign";
    size_t siglen = th_sign(k, 13, data, 17, sig, sizeof(sig));
    ods_err_t err = { 0 };
    ok(ods_verify_dnskey(rd, len, data, 17, sig, siglen, &err) == ODS_OK, "good P-256 signature");
    ok(ods_verify_dnskey(rd, len, data, 16, sig, siglen, &err) == ODS_EZONE, "other data: bogus");
    has_str(err.msg, "does not verify", "message says the signature does not verify");
    char tag[16];
    snprintf(tag, sizeof(tag), "key %u", ods_dnssec_keytag(rd, len));
    has_str(err.msg, tag, "message names the key tag");
    ok(ods_verify_dnskey(rd, len, data, 17, sig, siglen - 1, &err) == ODS_EZONE,
       "short signature: bogus");
    has_str(err.msg, "expected 64", "message gives the expected length");
    memset(sig, 0, 64);
    ok(ods_verify_dnskey(rd, len, data, 17, sig, 64, NULL) == ODS_EZONE, "r = s = 0: bogus");
    memset(sig, 0xff, 64);
    ok(ods_verify_dnskey(rd, len, data, 17, sig, 64, NULL) == ODS_EZONE, "r = s = 2^256-1: bogus");
    ok(ERR_peek_error() == 0, "no OpenSSL error left in the queue");
    EVP_PKEY_free(k);

    k = th_keygen(8, 1024);
    len = th_dnskey_rdata(k, 257, 8, rd, sizeof(rd));
    siglen = th_sign(k, 8, data, 17, sig, sizeof(sig));
    ok(ods_verify_dnskey(rd, len, data, 17, sig, siglen, NULL) == ODS_OK, "good RSA signature");
    sig[siglen - 1] ^= 0x40;
    ok(ods_verify_dnskey(rd, len, data, 17, sig, siglen, NULL) == ODS_EZONE,
       "RSA signature with a flipped bit: bogus");
    ok(ods_verify_dnskey(rd, len, data, 17, sig, siglen - 1, NULL) == ODS_EZONE,
       "truncated RSA signature: bogus");
    ok(ERR_peek_error() == 0, "no OpenSSL error left in the queue");
    EVP_PKEY_free(k);
}

typedef struct job {
    const ods_verify_key_t *key;
    const uint8_t *data;
    const uint8_t *sig;
    size_t siglen;
    int good;
} job_t;

static void *verify_many(void *arg)
{
    job_t *j = arg;
    for (int i = 0; i < 200; i++)
        j->good += ods_verify_key_check(j->key, j->data, 17, j->sig, j->siglen, NULL) == ODS_OK;
    return NULL;
}

static void test_threads(void)
{
    EVP_PKEY *k = th_keygen(15, 0);
    uint8_t rd[200], sig[128];
    size_t len = th_dnskey_rdata(k, 257, 15, rd, sizeof(rd));
    const uint8_t *data = (const uint8_t *)"some data to sign";
    size_t siglen = th_sign(k, 15, data, 17, sig, sizeof(sig));
    ods_verify_key_t *vk = NULL;
    ods_verify_key_new(rd, len, &vk, NULL);
    pthread_t t[4];
    job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job_t){ vk, data, sig, siglen, 0 };
        pthread_create(&t[i], NULL, verify_many, &jobs[i]);
    }
    int good = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        good += jobs[i].good;
    }
    is_int(good, 800, "one key verifies 800 signatures from 4 threads at once");
    ods_verify_key_free(vk);
    EVP_PKEY_free(k);
}

static void test_rfc_signatures(void)
{
    for (size_t i = 0; i < sizeof(rfc_sigs) / sizeof(rfc_sigs[0]); i++) {
        uint8_t key[512], rd[64], sigrd[512], owner[256];
        size_t klen = rdata_of(rfc_sigs[i].dnskey, key, sizeof(key), NULL);
        size_t rdlen = rdata_of(rfc_sigs[i].rr, rd, sizeof(rd), owner);
        size_t slen = rdata_of(rfc_sigs[i].rrsig, sigrd, sizeof(sigrd), NULL);
        ods_rrsig_fields_t f;
        const uint8_t *sig;
        size_t siglen;
        const uint8_t *rdatas[1] = { rd };
        uint16_t rdlens[1] = { (uint16_t)rdlen };
        ods_buf_t data = ODS_BUF_INIT;
        ods_err_t err = { 0 };
        int good = klen && rdlen && slen &&
                   ods_rrsig_parse(sigrd, slen, &f, &sig, &siglen) == ODS_OK &&
                   f.key_tag == ods_dnssec_keytag(key, klen) &&
                   ods_rrsig_signed_data(&data, &f, owner, 1, rdatas, rdlens, 1) == ODS_OK &&
                   ods_verify_dnskey(key, klen, data.data, data.len, sig, siglen, &err) == ODS_OK;
        ok(good, "%s example verifies%s%s", rfc_sigs[i].what, err.msg[0] ? ": " : "", err.msg);
        data.data[data.len - 1] ^= 1;
        ok(ods_verify_dnskey(key, klen, data.data, data.len, sig, siglen, NULL) == ODS_EZONE,
           "%s example with another address is bogus", rfc_sigs[i].what);
        ods_buf_free(&data);
    }
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_pkey_roundtrip();
    test_rfc_signatures();
    test_bad_keys();
    test_bad_signatures();
    test_threads();
    return tap_done();
}
