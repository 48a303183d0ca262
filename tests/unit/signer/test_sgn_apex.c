/*
 * sgn_apex: the records the signer owns at the apex. SOA and NSEC3PARAM are
 * compared byte for byte with RDATA that ldns builds from presentation text;
 * the DNSKEY RRset with the set worked out by hand from real keys of a
 * SoftHSMv2 token (published keys, foreign input keys, our own keys in the
 * input with and without the REVOKE bit).
 */
#include "tap.h"

#include "sgn_apex.h"
#include "sgn_test.h"

#include "hsm/alg.h"

#include "conf/params.h"

#include <ldns/ldns.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static st_env_t env;

/* A test key: locator, DNSKEY RDATA with its flags. */
typedef struct tkey {
    char loc[ODS_HSM_LOCATOR_LEN + 1];
    uint8_t rd[ODS_HSM_DNSKEY_MAX];
    size_t len;
    uint16_t tag;
} tkey_t;

static int make_key(tkey_t *k, int alg, uint16_t flags)
{
    k->len = sizeof(k->rd);
    return st_keygen(&env, alg, k->loc) == 0 &&
                   st_dnskey(&env, k->loc, alg, flags, k->rd, &k->len, &k->tag) == 0
               ? 0
               : -1;
}

/* "DNSKEY flags 3 alg base64" of a key with other flags. */
static const char *dnskey_text(const tkey_t *k, uint16_t flags)
{
    static char buf[8][4096];
    static int next;
    char *p = buf[next++ % 8];
    char b64[4096]; /* (1024 bytes of key) * 4/3 fits */
    EVP_EncodeBlock((unsigned char *)b64, k->rd + 4, (int)(k->len - 4));
    snprintf(p, sizeof(buf[0]), "DNSKEY %u 3 %u %s", flags, k->rd[3], b64);
    return p;
}

/* RDATA of one record in presentation form, as ldns makes it; length or 0. */
static size_t ldns_rdata(const char *rr, uint8_t *out, size_t size)
{
    ldns_rr *r = NULL;
    size_t n = 0;
    if (ldns_rr_new_frm_str(&r, rr, 0, NULL, NULL) != LDNS_STATUS_OK)
        return 0;
    ldns_rr2canonical(r); /* the zone keeps names in RDATA lowered (RFC 4034 6.2) */
    ldns_buffer *b = ldns_buffer_new(512);
    if (b && ldns_rr_rdata2buffer_wire(b, r) == LDNS_STATUS_OK && ldns_buffer_position(b) <= size) {
        n = ldns_buffer_position(b);
        memcpy(out, ldns_buffer_begin(b), n);
    }
    ldns_buffer_free(b);
    ldns_rr_free(r);
    return n;
}

/* The single RDATA of an RRset equals want (wlen bytes). */
static bool rdata_is(const ods_rrset_t *s, const uint8_t *want, size_t wlen)
{
    uint32_t off = 0;
    const uint8_t *rd;
    uint16_t len;
    return s != NULL && s->count == 1 && ods_rrset_next(s, &off, &rd, &len) && len == wlen &&
           memcmp(rd, want, wlen) == 0;
}

static const char *hex(const uint8_t *p, size_t n)
{
    static char buf[2][2048];
    static int next;
    char *b = buf[next++ % 2];
    for (size_t i = 0; i < n && i < 1000; i++)
        snprintf(b + 2 * i, 3, "%02x", p[i]);
    return b;
}

static void test_soa(void)
{
    char why[1024] = "";
    ods_zone_t *z = st_zone(&env, "example.com", "soa.zone",
                            "$ORIGIN example.com.\n$TTL 600\n"
                            "@ 7200 IN SOA NS1.Example.COM. Host\\.Master.example.com. "
                            "2024010101 7200 3600 1209600 86400\n"
                            "@ NS NS1\nNS1 A 192.0.2.1\n",
                            why, sizeof(why));
    if (!ok(z != NULL, "SOA zone loads (%s)", why))
        return;
    uint32_t serial = 0;
    int rc = sgn_apex_serial(z, &serial);
    ok(rc == ODS_OK && serial == 2024010101, "sgn_apex_serial reads the input serial (%u)", serial);
    ods_err_t err = { 0 };
    static const struct {
        uint32_t serial, ttl, minimum;
    } v[] = { { 2024010150, 1800, 120 }, { 0xFFFFFFFF, 0, 0 }, { 0, 86400, 0xFFFFFFFF } };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char text[512];
        uint8_t want[600];
        snprintf(text, sizeof(text),
                 "example.com. %u IN SOA NS1.Example.COM. Host\\.Master.example.com. "
                 "%u 7200 3600 1209600 %u",
                 v[i].ttl, v[i].serial, v[i].minimum);
        size_t wlen = ldns_rdata(text, want, sizeof(want));
        rc = sgn_apex_set_soa(z, v[i].serial, v[i].ttl, v[i].minimum, &err);
        const ods_rrset_t *soa = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_SOA);
        if (!rdata_is(soa, want, wlen) && soa != NULL)
            tap_diag("got %s\n# want %s", hex(soa->rdata + 2, soa->rdlen - 2), hex(want, wlen));
        ok(rc == ODS_OK && wlen > 0 && rdata_is(soa, want, wlen),
           "SOA serial %u MINIMUM %u: RDATA equals ldns's, names and timers unchanged", v[i].serial,
           v[i].minimum);
        is_int(soa ? soa->ttl : 0, v[i].ttl, "SOA TTL %u", v[i].ttl);
        ok(sgn_apex_serial(z, &serial) == ODS_OK && serial == v[i].serial,
           "sgn_apex_serial reads the new serial back");
    }
    /* without an SOA there is nothing to rewrite */
    ods_zone_set_rrset(z, ods_zone_apex_name(z), LDNS_RR_TYPE_SOA, 0, NULL, NULL, 0);
    ok(sgn_apex_serial(z, &serial) == ODS_EZONE, "no SOA: sgn_apex_serial fails");
    ok(sgn_apex_set_soa(z, 1, 1, 1, &err) == ODS_EZONE, "no SOA: sgn_apex_set_soa fails: %s",
       err.msg);
    has_str(err.msg, "SOA", "the message names the SOA");
    ods_zone_free(z);
}

/* The DNSKEY RDATA of the apex equal (as a set) to want[0..n). */
static bool dnskeys_are(const ods_zone_t *z, const uint8_t *const *want, const size_t *wlen,
                        size_t n, uint32_t ttl)
{
    const ods_rrset_t *s = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    if (n == 0)
        return s == NULL;
    if (s == NULL || s->count != n || s->ttl != ttl) {
        uint32_t off = 0;
        const uint8_t *rd;
        uint16_t len;
        tap_diag("DNSKEY RRset: %u keys, TTL %u; want %zu, TTL %u", s ? s->count : 0,
                 s ? s->ttl : 0, n, ttl);
        while (s != NULL && ods_rrset_next(s, &off, &rd, &len))
            tap_diag("  flags %u algorithm %u", rd[0] << 8 | rd[1], rd[3]);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t off = 0;
        const uint8_t *rd;
        uint16_t len;
        bool found = false;
        while (!found && ods_rrset_next(s, &off, &rd, &len))
            found = len == wlen[i] && memcmp(rd, want[i], len) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* k's RDATA with other flags (into buf). */
static const uint8_t *with_flags(const tkey_t *k, uint16_t flags, uint8_t *buf)
{
    memcpy(buf, k->rd, k->len);
    buf[0] = (uint8_t)(flags >> 8);
    buf[1] = (uint8_t)flags;
    return buf;
}

static void test_dnskeys(void)
{
    tkey_t ksk, zsk, standby, revoking, foreign, retired;
    if (!ok(make_key(&ksk, 13, 257) == 0 && make_key(&zsk, 13, 256) == 0 &&
                make_key(&standby, 13, 256) == 0 && make_key(&revoking, 15, 385) == 0 &&
                make_key(&foreign, 13, 257) == 0,
            "five keys generated in the token"))
        return;
    snprintf(retired.loc, sizeof(retired.loc), "0123456789abcdef0123456789abcdef");
    ods_signconf_t *sc = st_signconf("example.com");
    st_signconf_key(sc, ksk.loc, 13, 257, true, false, true);
    st_signconf_key(sc, zsk.loc, 13, 256, false, true, true);
    st_signconf_key(sc, standby.loc, 13, 256, false, true, false);  /* signs, unpublished */
    st_signconf_key(sc, revoking.loc, 15, 385, true, false, true);  /* published revoked */
    st_signconf_key(sc, retired.loc, 13, 256, false, false, false); /* gone from the HSM */
    sgn_keyset_t *ks = NULL;
    ods_err_t err = { 0 };
    if (!ok(sgn_keyset_load(sc, env.ctx, &ks, &err) == ODS_OK, "key set loads (%s)", err.msg)) {
        ods_signconf_free(sc);
        return;
    }
    char text[16384], why[1024] = "";
    snprintf(text, sizeof(text),
             "$ORIGIN example.com.\n$TTL 600\n"
             "@ SOA ns1 hostmaster 1 7200 3600 1209600 86400\n@ NS ns1\nns1 A 192.0.2.1\n"
             "@ %s\n@ %s\n@ %s\n@ %s\n@ %s\n",
             dnskey_text(&foreign, 257), /* another signer's key: kept */
             dnskey_text(&ksk, 385),     /* our KSK with REVOKE set: ours, not duplicated */
             dnskey_text(&zsk, 256),     /* our ZSK as published: not duplicated */
             dnskey_text(&standby, 256), /* ours, unpublished: the enforcer decides, dropped */
             dnskey_text(&revoking, 257) /* ours, published revoked: the input copy goes */);
    ods_zone_t *z = st_zone(&env, "example.com", "dnskey.zone", text, why, sizeof(why));
    if (!ok(z != NULL, "DNSKEY zone loads (%s)", why)) {
        sgn_keyset_free(ks);
        ods_signconf_free(sc);
        return;
    }
    ods_rrset_t input = *ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    is_int(input.count, 5, "the input has five DNSKEYs");

    uint8_t b[4][ODS_HSM_DNSKEY_MAX];
    const uint8_t *want[] = { ksk.rd, zsk.rd, with_flags(&revoking, 385, b[0]), foreign.rd };
    const size_t wlen[] = { ksk.len, zsk.len, revoking.len, foreign.len };
    ok(sgn_apex_set_dnskeys(z, ks, &input, 3600, &err) == ODS_OK &&
           dnskeys_are(z, want, wlen, 4, 3600),
       "DNSKEY RRset: the three published keys (one revoked) and the foreign key, TTL 3600");
    ok(sgn_apex_set_dnskeys(z, ks, NULL, 7200, &err) == ODS_OK &&
           dnskeys_are(z, want, wlen, 3, 7200),
       "without input DNSKEYs: only the published keys, TTL 7200");

    /* an unchanged DNSKEY RRset keeps its signatures; a changed one loses them */
    ods_rrsig_t fake = { (const uint8_t *)"x", 1, 1, 13, 0, 0 };
    ods_rrset_t *s = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    ods_rrset_set_sigs(s, &fake, 1);
    sgn_apex_set_dnskeys(z, ks, NULL, 7200, &err);
    s = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    is_int(s->nsigs, 1, "the same keys again: the RRset keeps its signature");
    sgn_apex_set_dnskeys(z, ks, &input, 7200, &err);
    s = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    ok(s->nsigs == 0 && (s->flags & ODS_RRSET_CHANGED), "a key more: signatures dropped, changed");

    /* the enforcer withdraws every key: no DNSKEY of ours, our input copies dropped */
    sgn_key_t quiet[8];
    sgn_keyset_t none = { quiet, ks->n };
    for (size_t i = 0; i < ks->n; i++) {
        quiet[i] = ks->keys[i]; /* shallow copies: the HSM handles stay with ks */
        quiet[i].publish = false;
    }
    ok(sgn_apex_set_dnskeys(z, &none, NULL, 3600, &err) == ODS_OK &&
           dnskeys_are(z, NULL, NULL, 0, 0),
       "no published key, no input key: the DNSKEY RRset is removed");
    const uint8_t *fw[] = { foreign.rd };
    ok(sgn_apex_set_dnskeys(z, &none, &input, 3600, &err) == ODS_OK &&
           dnskeys_are(z, fw, &foreign.len, 1, 3600),
       "no published key: the foreign input key alone (our own input copies dropped)");
    ods_zone_free(z);
    sgn_keyset_free(ks);
    ods_signconf_free(sc);
}

static void test_nsec3param(void)
{
    char why[1024] = "";
    ods_zone_t *z = st_zone(&env, "example.com", "n3p.zone",
                            "$ORIGIN example.com.\n$TTL 600\n"
                            "@ SOA ns1 hostmaster 1 7200 3600 1209600 86400\n@ NS ns1\n"
                            "ns1 A 192.0.2.1\n",
                            why, sizeof(why));
    if (!ok(z != NULL, "NSEC3PARAM zone loads (%s)", why))
        return;
    ods_signconf_t *sc = st_signconf("example.com");
    ods_err_t err = { 0 };
    uint8_t want[64];
    sc->denial = ODS_DENIAL_NSEC3;
    sc->nsec3_optout = 1;
    sc->nsec3_iterations = 5;
    sc->nsec3_ttl = 0;
    memcpy(sc->nsec3_salt, "\xaa\xbb\xcc\xdd", 4);
    sc->nsec3_salt_len = 4;
    size_t wlen = ldns_rdata("example.com. 0 IN NSEC3PARAM 1 0 5 AABBCCDD", want, sizeof(want));
    ok(sgn_apex_set_nsec3param(z, sc, &err) == ODS_OK &&
           rdata_is(ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_NSEC3PARAM), want, wlen),
       "NSEC3PARAM 1 0 5 aabbccdd as ldns writes it (flags 0 even with opt-out)");
    sc->nsec3_iterations = 0;
    sc->nsec3_salt_len = 0;
    sc->nsec3_ttl = 3600;
    wlen = ldns_rdata("example.com. 3600 IN NSEC3PARAM 1 0 0 -", want, sizeof(want));
    const ods_rrset_t *p = NULL;
    ok(sgn_apex_set_nsec3param(z, sc, &err) == ODS_OK &&
           rdata_is(p = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_NSEC3PARAM), want,
                    wlen) &&
           p->ttl == 3600,
       "NSEC3PARAM 1 0 0 - (RFC 9276 defaults), TTL 3600");
    sc->denial = ODS_DENIAL_NSEC;
    ok(sgn_apex_set_nsec3param(z, sc, &err) == ODS_OK &&
           ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_NSEC3PARAM) == NULL,
       "NSEC: the NSEC3PARAM record is removed");
    ok(sgn_apex_set_nsec3param(z, sc, &err) == ODS_OK, "removing it again is harmless");
    ods_signconf_free(sc);
    ods_zone_free(z);
}

int main(void)
{
    char why[1024] = "";
    if (!ok(st_env_open(&env, "sgnapex", true, why, sizeof(why)) == 0, "token (%s)", why)) {
        st_env_close(&env);
        return tap_done();
    }
    test_soa();
    test_dnskeys();
    test_nsec3param();
    st_env_close(&env);
    return tap_done();
}
