/* Unit tests for common/dnssec keytag, ds and algorithm: RFC vectors, ldns as reference. */
#include "tap.h"
#include "helpers.h"

#include "dnssec/algorithm.h"
#include "dnssec/ds.h"
#include "dnssec/keytag.h"
#include "dnssec/name.h"

#include <stdint.h>

static size_t rr_rdata(const char *text, uint8_t *out, size_t outlen, uint8_t *owner)
{
    ldns_rr *rr = NULL;
    if (ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL) != LDNS_STATUS_OK)
        return 0;
    size_t n = th_ldns_rdata(rr, out, outlen);
    memcpy(owner, ldns_rdf_data(ldns_rr_owner(rr)), ldns_rdf_size(ldns_rr_owner(rr)));
    ldns_rr_free(rr);
    return n;
}

/* DNSKEYs with their key tags and DS records, from RFC 4034 5.4, 4509 2.3, 6605 6, 8080 6. */
static const struct {
    const char *dnskey;
    uint16_t tag;
    uint8_t digest_type;
    const char *digest;
} rfc_ds[] = {
    { "dskey.example.com. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/"
      "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2"
      "wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==",
      60485, 1, "2bb183af5f22588179a53b0a98631fad1a292118" },
    { "DSKEY.Example.COM. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/"
      "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2"
      "wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==",
      60485, 2, "d4b7d520e7bb5f0f67674a0cceb1e3e0614b93c4f9e99b8383f6a1e4469da50a" },
    { "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64c"
      "YbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
      55648, 2, "b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17" },
    { "example.net. 3600 IN DNSKEY 257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSA"
      "DtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40",
      10771, 4,
      "72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0563a9b5f4d288405c3008a946df9"
      "83d6" },
    { "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", 3613, 2,
      "3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b" },
    { "example.com. 3600 IN DNSKEY 257 3 16 3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSf"
      "Podx1FYYUcJKm1MDpJtIA",
      9713, 2, "6ccf18d5bc5d7fc2fceb1d59d17321402f2aa8d368048db93dd811f5cb2b19c7" },
};

static void test_rfc_vectors(void)
{
    for (size_t i = 0; i < sizeof(rfc_ds) / sizeof(rfc_ds[0]); i++) {
        uint8_t key[512], owner[ODS_NAME_MAX_LEN], ds[ODS_DS_RDATA_MAX];
        size_t klen = rr_rdata(rfc_ds[i].dnskey, key, sizeof(key), owner), dlen = 0;
        is_int(ods_dnssec_keytag(key, klen), rfc_ds[i].tag, "RFC key tag %u", rfc_ds[i].tag);
        int rc = ods_ds_rdata(owner, key, klen, rfc_ds[i].digest_type, ds, &dlen);
        char hex[2 * ODS_DS_RDATA_MAX + 1];
        strcpy(hex, th_hex(ds + 4, dlen > 4 ? dlen - 4 : 0));
        ok(rc == ODS_OK && dlen == 4 + ods_ds_digest_len(rfc_ds[i].digest_type) &&
               (ds[0] << 8 | ds[1]) == rfc_ds[i].tag && ds[2] == key[3] &&
               ds[3] == rfc_ds[i].digest_type && strcmp(hex, rfc_ds[i].digest) == 0,
           "RFC DS %u %u %u %s", rfc_ds[i].tag, key[3], rfc_ds[i].digest_type, hex);
    }
}

static void test_keytag_ldns(void)
{
    static const uint8_t algs[] = { 5, 7, 8, 10, 13, 14, 15, 16 };
    for (size_t i = 0; i < sizeof(algs); i++) {
        EVP_PKEY *k = th_keygen(algs[i], 1024);
        uint8_t rd[1024];
        size_t len = th_dnskey_rdata(k, 257, algs[i], rd, sizeof(rd));
        ldns_rr *rr = th_ldns_rr((const uint8_t *)"\7example", 48, 1, 3600, rd, len);
        is_int(ods_dnssec_keytag(rd, len), ldns_calc_keytag(rr),
               "alg %u: key tag equals ldns_calc_keytag", algs[i]);
        ldns_rr_free(rr);
        EVP_PKEY_free(k);
    }
    unsigned bad = 0;
    for (int r = 0; r < 5000; r++) {
        uint8_t rd[600];
        size_t len = 4 + th_below(500);
        for (size_t k = 0; k < len; k++)
            rd[k] = (uint8_t)th_rand();
        if (th_below(4) == 0)
            rd[3] = 1; /* RSAMD5: the key tag is taken from the modulus */
        if (ods_dnssec_keytag(rd, len) != ldns_calc_keytag_raw(rd, len))
            bad++;
    }
    is_int(bad, 0, "key tag equals ldns_calc_keytag_raw on random RDATA (odd and even lengths)");
}

static void test_ds_ldns(void)
{
    static const struct {
        uint8_t type;
        ldns_hash h;
    } digests[] = { { 1, LDNS_SHA1 }, { 2, LDNS_SHA256 }, { 4, LDNS_SHA384 } };
    static const uint8_t algs[] = { 8, 13, 15 };
    for (size_t a = 0; a < sizeof(algs); a++) {
        EVP_PKEY *k = th_keygen(algs[a], 1024);
        uint8_t rd[1024], owner[ODS_NAME_MAX_LEN], ds[ODS_DS_RDATA_MAX], want[128];
        size_t len = th_dnskey_rdata(k, 257, algs[a], rd, sizeof(rd)), olen, dlen = 0;
        ods_name_from_text("Sub.EXAMPLE.org", 15, owner, &olen, NULL);
        ldns_rr *rr = th_ldns_rr(owner, 48, 1, 3600, rd, len);
        for (size_t d = 0; d < 3; d++) {
            ldns_rr *lds = ldns_key_rr2ds(rr, digests[d].h);
            size_t wlen = lds ? th_ldns_rdata(lds, want, sizeof(want)) : 0;
            ok(ods_ds_rdata(owner, rd, len, digests[d].type, ds, &dlen) == ODS_OK && dlen == wlen &&
                   memcmp(ds, want, wlen) == 0,
               "alg %u, digest type %u: DS equals ldns_key_rr2ds (upper-case owner)", algs[a],
               digests[d].type);
            ldns_rr_free(lds);
        }
        ldns_rr_free(rr);
        EVP_PKEY_free(k);
    }
    uint8_t ds[ODS_DS_RDATA_MAX] = { 0 };
    size_t dlen = 77;
    ok(ods_ds_rdata((const uint8_t *)"", (const uint8_t *)"\1\1\3\10\1", 5, 3, ds, &dlen) ==
               ODS_EMECH &&
           dlen == 77,
       "digest type 3 (GOST) is refused with EMECH");
    ok(ods_ds_rdata((const uint8_t *)"", (const uint8_t *)"\1\1\3\10", 4, 2, ds, &dlen) ==
           ODS_EINVAL,
       "a DNSKEY without key is refused");
    is_int(ods_ds_digest_len(1) + ods_ds_digest_len(2) + ods_ds_digest_len(4) +
               ods_ds_digest_len(3),
           20 + 32 + 48, "digest lengths");
}

static void test_algorithms(void)
{
    const ods_algorithm_t *a = ods_algorithm_by_number(13);
    ok(a && strcmp(a->mnemonic, "ECDSAP256SHA256") == 0 && a->sig_len == 64 &&
           a->pubkey_len == 64 && a->nsec3 && a->can_sign && !a->deprecated &&
           a->digest == ODS_DIGEST_SHA256,
       "13 is ECDSAP256SHA256");
    ok(ods_algorithm_by_name("ed25519") == ods_algorithm_by_number(15), "by name, any case");
    ok(ods_algorithm_by_name("8") == ods_algorithm_by_number(8), "by decimal number");
    ok(ods_algorithm_by_name("8x") == NULL && ods_algorithm_by_name("256") == NULL &&
           ods_algorithm_by_name("") == NULL && ods_algorithm_by_name("RSA") == NULL &&
           ods_algorithm_by_number(2) == NULL,
       "unknown names and numbers give NULL");
    ok(!ods_algorithm_by_number(5)->nsec3 && !ods_algorithm_by_number(3)->nsec3 &&
           !ods_algorithm_by_number(1)->nsec3 && ods_algorithm_by_number(7)->nsec3 &&
           ods_algorithm_by_number(8)->nsec3,
       "1, 3 and 5 cannot be used with NSEC3; 7 and 8 can");
    ok(ods_algorithm_by_number(5)->deprecated && ods_algorithm_by_number(7)->deprecated &&
           !ods_algorithm_by_number(12)->can_sign && !ods_algorithm_by_number(1)->can_verify,
       "RFC 8624 status: SHA-1 deprecated, GOST and RSAMD5 unsupported");
    is_int(ods_algorithm_sig_len(ods_algorithm_by_number(8), 2048), 256, "RSA 2048: 256 octets");
    is_int(ods_algorithm_sig_len(ods_algorithm_by_number(16), 0), 114, "Ed448: 114 octets");

    size_t n;
    const ods_algorithm_t *all = ods_algorithm_list(&n);
    unsigned bad_name = 0, bad_size = 0;
    for (size_t i = 0; i < n; i++) {
        ldns_lookup_table *lt = ldns_lookup_by_id(ldns_algorithms, all[i].number);
        if (lt == NULL || strcmp(lt->name, all[i].mnemonic) != 0) {
            tap_diag("algorithm %u: ours %s, ldns %s", all[i].number, all[i].mnemonic,
                     lt ? lt->name : "(none)");
            bad_name++;
        }
        if (i > 0 && all[i].number <= all[i - 1].number)
            bad_name++;
        if (all[i].keytype != ODS_KEYTYPE_ECDSA && all[i].keytype != ODS_KEYTYPE_EDDSA)
            continue;
        EVP_PKEY *k = th_keygen(all[i].number, 0);
        uint8_t rd[256], sig[256];
        size_t len = th_dnskey_rdata(k, 257, all[i].number, rd, sizeof(rd));
        size_t slen = th_sign(k, all[i].number, rd, len, sig, sizeof(sig));
        if (len != 4u + all[i].pubkey_len || slen != all[i].sig_len)
            bad_size++;
        EVP_PKEY_free(k);
    }
    is_int(bad_name, 0, "the %zu mnemonics match ldns's table, in number order", n);
    is_int(bad_size, 0, "public key and signature sizes match OpenSSL's keys");
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_rfc_vectors();
    test_keytag_ldns();
    test_ds_ldns();
    test_algorithms();
    return tap_done();
}
