/*
 * Unit tests for common/dnssec/rrsig and verify: the signed data against ldns's
 * own construction, signatures made with OpenSSL checked by verify.h and by
 * ldns_verify_rrsig_keylist_time, and signatures made by ldns checked by
 * verify.h over data built by rrsig.h.
 */
#include "tap.h"
#include "helpers.h"

#include "dnssec/keytag.h"
#include "dnssec/name.h"
#include "dnssec/rrsig.h"
#include "dnssec/verify.h"

#include <openssl/err.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define MAX_RRS 8

typedef struct scenario {
    const char *what;
    const char *signer;
    const char *expanded; /* an owner the wildcard expands to, or NULL */
    const char *rrs[MAX_RRS];
} scenario_t;

static char long_rr[600]; /* an AAAA RR at a 255-octet owner, built in main */

static const scenario_t scenarios[] = {
    { "MX, mixed case, unsorted",
      "Example.COM.",
      NULL,
      { "Mail.Example.COM. 3600 IN MX 20 Backup.EXAMPLE.com.",
        "Mail.Example.COM. 3600 IN MX 10 mx1.Example.COM.",
        "Mail.Example.COM. 3600 IN MX 10 MX0.example.com." } },
    { "A at a wildcard",
      "example.com.",
      "Host.Sub.Wild.Example.com.",
      { "*.Wild.Example.COM. 300 IN A 192.0.2.7", "*.Wild.Example.COM. 300 IN A 192.0.2.3" } },
    { "TXT, prefixes",
      "example.com.",
      NULL,
      { "txt.example.com. 60 IN TXT \"a\" \"b\"", "txt.example.com. 60 IN TXT \"ab\"",
        "txt.example.com. 60 IN TXT \"\"", "txt.example.com. 60 IN TXT \"a\"" } },
    { "NSEC keeps its next name's case",
      "example.COM.",
      NULL,
      { "a.Example.COM. 3600 IN NSEC B.Example.COM. A RRSIG NSEC TYPE1234 CAA" } },
    { "NS at the root",
      ".",
      NULL,
      { ". 518400 IN NS B.ROOT-SERVERS.NET.", ". 518400 IN NS a.root-servers.net." } },
    { "SOA",
      "Example.COM.",
      NULL,
      { "Example.COM. 3600 IN SOA NS1.Example.COM. HostMaster.Example.COM. 2024010101 7200 "
        "3600 1209600 300" } },
    { "SRV",
      "example.com.",
      NULL,
      { "_sip._tcp.Example.com. 3600 IN SRV 0 5 5060 SIP.Example.com.",
        "_sip._tcp.Example.com. 3600 IN SRV 10 5 5060 Sip2.Example.com." } },
    { "AAAA at a 255-octet owner", "com.", NULL, { long_rr } },
};
#define N_SCEN (sizeof(scenarios) / sizeof(scenarios[0]))

static const struct {
    uint8_t alg;
    unsigned bits;
    ldns_signing_algorithm ldns_alg;
} algs[] = {
    { 5, 1024, LDNS_SIGN_RSASHA1 },         { 7, 1024, LDNS_SIGN_RSASHA1_NSEC3 },
    { 8, 2048, LDNS_SIGN_RSASHA256 },       { 10, 1024, LDNS_SIGN_RSASHA512 },
    { 13, 256, LDNS_SIGN_ECDSAP256SHA256 }, { 14, 384, LDNS_SIGN_ECDSAP384SHA384 },
    { 15, 256, LDNS_SIGN_ED25519 },         { 16, 456, LDNS_SIGN_ED448 },
};
#define N_ALGS (sizeof(algs) / sizeof(algs[0]))

/* An RRset parsed by ldns, with wire-format views for our functions. */
typedef struct rrset {
    ldns_rr_list *list;
    uint8_t owner[ODS_NAME_MAX_LEN];
    uint16_t type, rrclass;
    uint32_t ttl;
    size_t n;
    uint8_t rdata[MAX_RRS][1024];
    uint16_t rdlen[MAX_RRS];
    const uint8_t *rdatas[MAX_RRS];
} rrset_t;

static int rrset_load(rrset_t *s, const char *const *texts)
{
    memset(s, 0, sizeof(*s));
    s->list = ldns_rr_list_new();
    for (size_t i = 0; i < MAX_RRS && texts[i] != NULL; i++) {
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, texts[i], 3600, NULL, NULL) != LDNS_STATUS_OK)
            return -1;
        ldns_rr_list_push_rr(s->list, rr);
        ldns_rdf *o = ldns_rr_owner(rr);
        memcpy(s->owner, ldns_rdf_data(o), ldns_rdf_size(o));
        s->type = (uint16_t)ldns_rr_get_type(rr);
        s->rrclass = (uint16_t)ldns_rr_get_class(rr);
        s->ttl = ldns_rr_ttl(rr);
        s->rdlen[i] = (uint16_t)th_ldns_rdata(rr, s->rdata[i], sizeof(s->rdata[i]));
        s->rdatas[i] = s->rdata[i];
        s->n = i + 1;
    }
    return 0;
}

/* The same RRset with another owner (a wildcard expansion). */
static ldns_rr_list *rrset_with_owner(const rrset_t *s, const char *owner)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (size_t i = 0; i < s->n; i++) {
        ldns_rr *rr = ldns_rr_clone(ldns_rr_list_rr(s->list, i));
        ldns_rdf_deep_free(ldns_rr_owner(rr));
        ldns_rr_set_owner(rr, ldns_dname_new_frm_str(owner));
        ldns_rr_list_push_rr(l, rr);
    }
    return l;
}

/* What ldns signs (its ldns_prepare_for_verify, from public ldns functions). */
static size_t ldns_signed_data(const ldns_rr_list *rrset, const ldns_rr *rrsig, uint8_t *out,
                               size_t outlen)
{
    ldns_rr_list *c = ldns_rr_list_clone(rrset);
    uint8_t labels = ldns_rdf2native_int8(ldns_rr_rrsig_labels(rrsig));
    uint32_t ttl = ldns_rdf2native_int32(ldns_rr_rrsig_origttl(rrsig));
    for (size_t i = 0; i < ldns_rr_list_rr_count(c); i++) {
        ldns_rr *rr = ldns_rr_list_rr(c, i);
        ldns_rdf *owner = ldns_rr_owner(rr);
        uint8_t have = ldns_dname_label_count(owner);
        ldns_rr_set_ttl(rr, ttl);
        if (labels < have) {
            ldns_rdf *w = ldns_dname_new_frm_str("*");
            ldns_rdf *suffix = ldns_dname_clone_from(owner, have - labels);
            ldns_dname_cat(w, suffix);
            ldns_rdf_deep_free(suffix);
            ldns_rdf_deep_free(owner);
            ldns_rr_set_owner(rr, w);
        }
        ldns_rr2canonical(rr);
    }
    ldns_rr_list_sort(c);
    ldns_buffer *b = ldns_buffer_new(4096);
    size_t n = 0;
    if (ldns_rrsig2buffer_wire(b, rrsig) == LDNS_STATUS_OK &&
        ldns_rr_list2buffer_wire(b, c) == LDNS_STATUS_OK && ldns_buffer_position(b) <= outlen) {
        n = ldns_buffer_position(b);
        memcpy(out, ldns_buffer_begin(b), n);
    }
    ldns_buffer_free(b);
    ldns_rr_list_deep_free(c);
    return n;
}

static ldns_status ldns_check(const ldns_rr_list *rrset, ldns_rr *rrsig, ldns_rr *key, time_t when)
{
    ldns_rr_list *keys = ldns_rr_list_new(), *good = ldns_rr_list_new();
    ldns_rr_list_push_rr(keys, key);
    ldns_status st = ldns_verify_rrsig_keylist_time(rrset, rrsig, keys, when, good);
    ldns_rr_list_free(keys);
    ldns_rr_list_free(good);
    return st;
}

typedef struct signer {
    uint8_t alg;
    EVP_PKEY *pkey;
    uint8_t dnskey[1024];
    size_t dnskey_len;
    uint16_t tag;
} signer_t;

/* Sign one scenario with OpenSSL over our data; check with verify.h and ldns. */
static void sign_scenario(const signer_t *k, const scenario_t *sc, time_t now)
{
    rrset_t s;
    if (rrset_load(&s, sc->rrs) != 0) {
        ok(0, "ldns parses scenario %s", sc->what);
        return;
    }
    uint8_t signer[ODS_NAME_MAX_LEN];
    size_t slen;
    ods_name_from_text(sc->signer, strlen(sc->signer), signer, &slen, NULL);
    ods_rrsig_fields_t f = { s.type,
                             k->alg,
                             (uint8_t)ods_name_rrsig_labels(s.owner),
                             s.ttl,
                             (uint32_t)now + 86400,
                             (uint32_t)now - 3600,
                             k->tag,
                             signer };
    ods_buf_t data = ODS_BUF_INIT, rdata = ODS_BUF_INIT;
    ods_buf_append(&data, "junk", 4); /* appends after existing content */
    int rc = ods_rrsig_signed_data(&data, &f, s.owner, s.rrclass, s.rdatas, s.rdlen, s.n);
    uint8_t sig[1024];
    size_t siglen = th_sign(k->pkey, k->alg, data.data + 4, data.len - 4, sig, sizeof(sig));
    ods_err_t err = { 0 };
    int vrc =
        ods_verify_dnskey(k->dnskey, k->dnskey_len, data.data + 4, data.len - 4, sig, siglen, &err);
    ok(rc == ODS_OK && siglen > 0 && vrc == ODS_OK, "alg %u, %s: signed and verified%s%s", k->alg,
       sc->what, err.msg[0] ? ": " : "", err.msg);
    data.data[4 + data.len / 2 % (data.len - 4)] ^= 1;
    ok(ods_verify_dnskey(k->dnskey, k->dnskey_len, data.data + 4, data.len - 4, sig, siglen,
                         NULL) == ODS_EZONE,
       "alg %u, %s: altered data is bogus", k->alg, sc->what);
    data.data[4 + data.len / 2 % (data.len - 4)] ^= 1;

    ods_rrsig_rdata(&rdata, &f, sig, siglen);
    ldns_rr *rrsig = th_ldns_rr(s.owner, 46, s.rrclass, s.ttl, rdata.data, rdata.len);
    ldns_rr *key = th_ldns_rr(signer, 48, 1, 3600, k->dnskey, k->dnskey_len);
    uint8_t theirs[8192];
    size_t tlen = ldns_signed_data(s.list, rrsig, theirs, sizeof(theirs));
    ok(tlen == data.len - 4 && memcmp(theirs, data.data + 4, tlen) == 0,
       "alg %u, %s: signed data equals ldns's", k->alg, sc->what);
    ldns_status st = ldns_check(s.list, rrsig, key, now);
    ok(st == LDNS_STATUS_OK, "alg %u, %s: ldns verifies our RRSIG (%s)", k->alg, sc->what,
       ldns_get_errorstr_by_id(st));
    if (sc->expanded != NULL) {
        ldns_rr_list *exp = rrset_with_owner(&s, sc->expanded);
        st = ldns_check(exp, rrsig, key, now);
        ok(st == LDNS_STATUS_OK, "alg %u, %s: ldns verifies the expansion %s (%s)", k->alg,
           sc->what, sc->expanded, ldns_get_errorstr_by_id(st));
        ldns_rr_list_deep_free(exp);
    }
    ldns_rr_free(rrsig);
    ldns_rr_free(key);
    ldns_rr_list_deep_free(s.list);
    ods_buf_free(&data);
    ods_buf_free(&rdata);
}

static int make_signer(signer_t *k, uint8_t alg, unsigned bits)
{
    k->alg = alg;
    k->pkey = th_keygen(alg, bits);
    k->dnskey_len = k->pkey ? th_dnskey_rdata(k->pkey, 257, alg, k->dnskey, sizeof(k->dnskey)) : 0;
    k->tag = ods_dnssec_keytag(k->dnskey, k->dnskey_len);
    return k->dnskey_len > 0 ? 0 : -1;
}

static void test_openssl_signs(time_t now)
{
    for (size_t a = 0; a < N_ALGS; a++) {
        signer_t k;
        if (make_signer(&k, algs[a].alg, algs[a].bits) != 0) {
            ok(0, "OpenSSL makes a key for algorithm %u", algs[a].alg);
            continue;
        }
        for (size_t i = 0; i < N_SCEN; i++)
            sign_scenario(&k, &scenarios[i], now);
        EVP_PKEY_free(k.pkey);
    }
}

/* ldns signs an RRset; we rebuild the data from the RRSIG fields and verify. */
static void ldns_scenario(ldns_key_list *keys, const uint8_t *dnskey, size_t dnskey_len,
                          uint8_t alg, const scenario_t *sc)
{
    rrset_t s;
    rrset_load(&s, sc->rrs);
    ldns_rr_list *sigs = ldns_sign_public(s.list, keys);
    int good = sigs != NULL && ldns_rr_list_rr_count(sigs) == 1;
    uint8_t rd[2048];
    size_t rdlen = good ? th_ldns_rdata(ldns_rr_list_rr(sigs, 0), rd, sizeof(rd)) : 0;
    ods_rrsig_fields_t f;
    const uint8_t *sig = NULL;
    size_t siglen = 0;
    ods_buf_t data = ODS_BUF_INIT;
    ods_err_t err = { 0 };
    good = good && ods_rrsig_parse(rd, rdlen, &f, &sig, &siglen) == ODS_OK &&
           f.labels == ods_name_rrsig_labels(s.owner) && f.type_covered == s.type &&
           ods_rrsig_signed_data(&data, &f, s.owner, s.rrclass, s.rdatas, s.rdlen, s.n) == ODS_OK &&
           ods_verify_dnskey(dnskey, dnskey_len, data.data, data.len, sig, siglen, &err) == ODS_OK;
    ok(good, "alg %u, %s: ldns's signature verifies over our data%s%s", alg, sc->what,
       err.msg[0] ? ": " : "", err.msg);
    ods_buf_free(&data);
    ldns_rr_list_deep_free(sigs);
    ldns_rr_list_deep_free(s.list);
}

static void test_ldns_signs(void)
{
    for (size_t a = 0; a < N_ALGS; a++) {
        for (size_t i = 0; i < N_SCEN; i++) {
            ldns_key *k = ldns_key_new_frm_algorithm(algs[a].ldns_alg, (uint16_t)algs[a].bits);
            if (k == NULL) {
                ok(0, "ldns makes a key for algorithm %u", algs[a].alg);
                break;
            }
            ldns_key_set_pubkey_owner(k, ldns_dname_new_frm_str(scenarios[i].signer));
            ldns_key_set_flags(k, 256);
            ldns_rr *krr = ldns_key2rr(k);
            ldns_key_set_keytag(k, ldns_calc_keytag(krr));
            uint8_t dnskey[1024];
            size_t dlen = th_ldns_rdata(krr, dnskey, sizeof(dnskey));
            ldns_key_list *keys = ldns_key_list_new();
            ldns_key_list_push_key(keys, k);
            ldns_scenario(keys, dnskey, dlen, algs[a].alg, &scenarios[i]);
            ldns_key_list_free(keys); /* frees k too */
            ldns_rr_free(krr);
            if (algs[a].alg < 13 && i >= 2)
                break; /* RSA key generation is slow: three scenarios are enough */
        }
    }
}

static void test_dedup_and_expansion(void)
{
    static const char *const dup[] = { "m.example. 60 IN MX 10 a.example.",
                                       "m.example. 60 IN MX 20 b.example.",
                                       "m.example. 60 IN MX 10 A.EXAMPLE.", NULL };
    rrset_t s, u;
    rrset_load(&s, dup);
    rrset_load(&u, dup);
    u.n = 2; /* the unique RRs */
    ods_rrsig_fields_t f = { 15,         13,         2,    60,
                             2000000000, 1900000000, 4711, (const uint8_t *)"\7example" };
    ods_buf_t a = ODS_BUF_INIT, b = ODS_BUF_INIT;
    ok(ods_rrsig_signed_data(&a, &f, s.owner, 1, s.rdatas, s.rdlen, 3) == ODS_OK &&
           ods_rrsig_signed_data(&b, &f, u.owner, 1, u.rdatas, u.rdlen, 2) == ODS_OK &&
           a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
       "RRs equal in canonical form are signed once");
    ldns_rr_list_deep_free(s.list);
    ldns_rr_list_deep_free(u.list);

    /* The data for an expanded owner equals the data at the wildcard itself. */
    uint8_t wild[ODS_NAME_MAX_LEN], host[ODS_NAME_MAX_LEN];
    size_t len;
    ods_name_from_text("*.W.example", 11, wild, &len, NULL);
    ods_name_from_text("a.b.w.EXAMPLE", 13, host, &len, NULL);
    const uint8_t *rd[1] = { (const uint8_t *)"\300\0\2\1" };
    uint16_t rl[1] = { 4 };
    ods_rrsig_fields_t w = { 1,          13,         2,    60,
                             2000000000, 1900000000, 4711, (const uint8_t *)"\7Example" };
    ods_buf_reset(&a);
    ods_buf_reset(&b);
    ok(ods_rrsig_signed_data(&a, &w, wild, 1, rd, rl, 1) == ODS_OK &&
           ods_rrsig_signed_data(&b, &w, host, 1, rd, rl, 1) == ODS_OK && a.len == b.len &&
           memcmp(a.data, b.data, a.len) == 0 && memmem(a.data, a.len, "\1*\1w\7example", 13),
       "an expanded owner is signed as *.w.example (lowered)");
    ok(memmem(a.data, a.len, "\7example\0", 9) == a.data + 18,
       "the signer's name is lowered in the signed data");

    /* Errors leave the buffer as it was. */
    size_t before = a.len;
    w.labels = 4;
    ok(ods_rrsig_signed_data(&a, &w, wild, 1, rd, rl, 1) == ODS_EINVAL && a.len == before,
       "Labels above the owner's label count is refused");
    w.labels = 2;
    ok(ods_rrsig_signed_data(&a, &w, wild, 1, rd, rl, 0) == ODS_EINVAL && a.len == before,
       "an empty RRset is refused");
    w.type_covered = 15;
    ok(ods_rrsig_signed_data(&a, &w, wild, 1, rd, rl, 1) == ODS_EINVAL && a.len == before,
       "a malformed MX RDATA is refused");
    ods_buf_free(&a);
    ods_buf_free(&b);
}

static void test_rdata_parse(void)
{
    ods_rrsig_fields_t f = { 28,          15,   3,      86400,
                             0xFFFFFFF0u, 0x10, 0xBEEF, (const uint8_t *)"\3Foo\7example" };
    ods_buf_t b = ODS_BUF_INIT;
    ods_rrsig_fields_t g;
    const uint8_t *sig;
    size_t siglen;
    ok(ods_rrsig_rdata(&b, &f, (const uint8_t *)"SIG", 3) == ODS_OK && b.len == 18 + 13 + 3,
       "RRSIG RDATA built (%zu octets)", b.len);
    ok(ods_rrsig_parse(b.data, b.len, &g, &sig, &siglen) == ODS_OK && g.type_covered == 28 &&
           g.algorithm == 15 && g.labels == 3 && g.original_ttl == 86400 &&
           g.expiration == 0xFFFFFFF0u && g.inception == 0x10 && g.key_tag == 0xBEEF &&
           memcmp(g.signer, "\3foo\7example", 13) == 0 && siglen == 3 && memcmp(sig, "SIG", 3) == 0,
       "RRSIG RDATA parses back (signer lowered)");
    ok(ods_rrsig_parse(b.data, b.len - 3, &g, &sig, &siglen) == ODS_EINVAL, "parse: no signature");
    ok(ods_rrsig_parse(b.data, 20, &g, &sig, &siglen) == ODS_EINVAL, "parse: truncated name");
    ok(ods_rrsig_parse(b.data, 18, &g, &sig, &siglen) == ODS_EINVAL, "parse: no name");
    size_t before = b.len;
    ok(ods_rrsig_rdata(&b, &f, NULL, 0) == ODS_EINVAL && b.len == before,
       "an empty signature is refused");
    ods_buf_free(&b);
}

/* Timestamps that wrap around 2^32 (year 2106), checked by ldns at that time. */
static void test_wrap(void)
{
    signer_t k;
    if (make_signer(&k, 13, 256) != 0) {
        ok(0, "key for the wrap test");
        return;
    }
    static const char *const rrs[] = { "w.example. 60 IN A 192.0.2.1", NULL };
    rrset_t s;
    rrset_load(&s, rrs);
    ods_rrsig_fields_t f = { 1,           13,          2,     60,
                             0x00100000u, 0xFFFFF000u, k.tag, (const uint8_t *)"\7example" };
    ods_buf_t data = ODS_BUF_INIT, rdata = ODS_BUF_INIT;
    ods_rrsig_signed_data(&data, &f, s.owner, 1, s.rdatas, s.rdlen, 1);
    uint8_t sig[128];
    size_t siglen = th_sign(k.pkey, 13, data.data, data.len, sig, sizeof(sig));
    ods_rrsig_rdata(&rdata, &f, sig, siglen);
    ldns_rr *rrsig = th_ldns_rr(s.owner, 46, 1, 60, rdata.data, rdata.len);
    ldns_rr *key = th_ldns_rr((const uint8_t *)"\7example", 48, 1, 60, k.dnskey, k.dnskey_len);
    time_t after_wrap = (time_t)0x100000000LL + 100, before_inception = (time_t)0xFFFFE000LL;
    ok(ldns_check(s.list, rrsig, key, after_wrap) == LDNS_STATUS_OK,
       "ldns accepts a signature valid across the 2^32 wrap at 2106-02-07");
    ok(ldns_check(s.list, rrsig, key, before_inception) == LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED,
       "ldns sees that signature as not yet valid before its inception");
    ok(ods_verify_dnskey(k.dnskey, k.dnskey_len, data.data, data.len, sig, siglen, NULL) == ODS_OK,
       "verify.h accepts it");
    ldns_rr_free(rrsig);
    ldns_rr_free(key);
    ldns_rr_list_deep_free(s.list);
    ods_buf_free(&data);
    ods_buf_free(&rdata);
    EVP_PKEY_free(k.pkey);
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    char l63[64];
    memset(l63, 'X', 63);
    l63[63] = '\0';
    snprintf(long_rr, sizeof(long_rr), "%s.%s.%s.%.57s.com. 3600 IN AAAA 2001:db8::1", l63, l63,
             l63, l63);
    time_t now = time(NULL);
    test_openssl_signs(now);
    test_ldns_signs();
    test_dedup_and_expansion();
    test_rdata_parse();
    test_wrap();
    return tap_done();
}
