/*
 * sgn_check: a zone signed with real keys (SoftHSMv2) passes; each defect,
 * made by hand in a copy of it, is refused with a message that names the
 * owner, the type and what is wrong. The signed zone is first checked
 * independently: ldns verifies every one of its signatures.
 */
#include "tap.h"

#include "sgn_apex.h"
#include "sgn_check.h"
#include "sgn_test.h"

#include "dns/denial.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "hsm/alg.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1700000000u
#define DAY 86400u

static st_env_t env;
static sgn_thread_t thr;
static char ksk[ODS_HSM_LOCATOR_LEN + 1], zsk[ODS_HSM_LOCATOR_LEN + 1],
    zsk2[ODS_HSM_LOCATOR_LEN + 1], stranger[ODS_HSM_LOCATOR_LEN + 1],
    edkey[ODS_HSM_LOCATOR_LEN + 1];
static sgn_keyset_t *ks;  /* KSK + ZSK, both published and active */
static sgn_keyset_t *ks3; /* ... and a second active, published ZSK */
static sgn_keyset_t *kss; /* the ZSK and a stranger: active, unpublished */
static sgn_keyset_t *ked; /* an Ed25519 key, published only (no role) */
static int keyset_count;

static const char *ZONE = "$ORIGIN example.com.\n$TTL 600\n"
                          "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                          "@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nwww AAAA 2001:db8::2\n"
                          "sub NS ns.sub\nns.sub A 192.0.2.53\n"
                          "sub DS 12345 13 2 "
                          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                          "insecure NS ns.other.net.\n* TXT \"wild\"\n";

static sgn_keyset_t *keyset(const char *const *loc, const int *alg, const uint16_t *flags,
                            const bool *ksk_role, const bool *zsk_role, const bool *pub, size_t n)
{
    ods_signconf_t *sc = st_signconf("example.com");
    sgn_keyset_t *out = NULL;
    ods_err_t err = { 0 };
    for (size_t i = 0; sc && i < n; i++)
        st_signconf_key(sc, loc[i], alg[i], flags[i], ksk_role[i], zsk_role[i], pub[i]);
    if (sc == NULL || sgn_keyset_load(sc, env.ctx, &out, &err) != ODS_OK)
        tap_diag("key set: %s", err.msg);
    else
        keyset_count++;
    ods_signconf_free(sc);
    return out;
}

static sgn_sigctx_t sigctx(const sgn_keyset_t *k)
{
    return (sgn_sigctx_t){ .apex = st_name("example.com"),
                           .keys = k,
                           .now = NOW,
                           .refresh = 3 * DAY,
                           .inception_offset = 3600,
                           .val_default = 14 * DAY,
                           .val_denial = 7 * DAY,
                           .val_keyset = 21 * DAY };
}

/* The zone signed by keys (plus input DNSKEYs), NSEC or NSEC3; NULL on error. */
static ods_zone_t *signed_zone(const sgn_keyset_t *keys, const ods_rrset_t *extra_dnskeys,
                               bool nsec3)
{
    static int serial;
    char why[1024] = "", file[64];
    ods_err_t err = { 0 };
    unsigned nnew = 0;
    snprintf(file, sizeof(file), "check%d.zone", serial++);
    ods_zone_t *z = st_zone(&env, "example.com", file, ZONE, why, sizeof(why));
    ods_nsec3_params_t p = { 1, 0, 0, 0, NULL };
    int rc = z ? sgn_apex_set_dnskeys(z, keys, extra_dnskeys, 3600, &err) : ODS_EZONE;
    if (rc == ODS_OK)
        rc =
            nsec3 ? ods_denial_nsec3(z, &p, false, 300, NULL, &err) : ods_denial_nsec(z, 300, &err);
    if (rc == ODS_OK) {
        sgn_sigctx_t c = sigctx(keys);
        rc = st_sign_zone(z, &thr, &c, &nnew, &err);
    }
    if (rc != ODS_OK) {
        tap_diag("cannot make the signed zone: %s%s", why, err.msg);
        ods_zone_free(z);
        return NULL;
    }
    return z;
}

static ods_rrset_t *rrset(ods_zone_t *z, const char *owner, uint16_t type)
{
    ods_zname_t *n = ods_zone_find(z, st_name(owner));
    return n ? ods_zname_rrset(n, type) : NULL;
}

/* ldns verifies every signature of z with its DNSKEY RRset: the independent view. */
static int ldns_check_all(const ods_zone_t *z, size_t *count)
{
    const ods_rrset_t *dk = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    int bad = 0;
    uint8_t owner[ODS_NAME_MAX_LEN];
    size_t olen, nn = ods_zone_count(z), n3 = ods_zone_nsec3_count(z);
    *count = 0;
    for (size_t i = 0; i < nn + n3; i++) {
        const ods_zname_t *n = i < nn ? ods_zone_name(z, i) : NULL;
        const ods_znsec3_t *r = i < nn ? NULL : ods_zone_nsec3(z, i - nn);
        if (r && ods_nsec3_owner(r->hash, 20, ods_zone_apex(z), owner, &olen) != ODS_OK)
            return -1;
        for (uint16_t k = 0; k < (n ? n->nrrsets : 1); k++) {
            const ods_rrset_t *s = n ? &n->rrsets[k] : &r->rrset;
            for (uint16_t g = 0; g < s->nsigs; g++) {
                uint32_t off = 0;
                const uint8_t *rd;
                uint16_t len;
                bool good = false;
                char why[1024];
                while (!good && ods_rrset_next(dk, &off, &rd, &len))
                    good = st_sig_ok(n ? n->owner : owner, s, &s->sigs[g], rd, len, NOW, why,
                                     sizeof(why));
                bad += !good;
                (*count)++;
            }
        }
    }
    return bad;
}

/* Run the check; true if it refuses with a message containing each of want[]. */
static bool refused(const ods_zone_t *z, uint32_t now, size_t every, const sgn_keyset_t *keys,
                    const char *what, const char *const *want, size_t nwant)
{
    ods_err_t err = { 0 };
    int rc = sgn_check_zone(z, now, every, keys, NULL, &err);
    bool all = rc == ODS_EZONE;
    for (size_t i = 0; i < nwant; i++)
        all = all && strstr(err.msg, want[i]) != NULL;
    ok(all, "%s: refused: %s", what, err.msg);
    return all;
}

#define REFUSED(z, now, every, keys, what, ...)                                                    \
    do {                                                                                           \
        const char *want_[] = { __VA_ARGS__ };                                                     \
        refused(z, now, every, keys, what, want_, sizeof(want_) / sizeof(want_[0]));               \
    } while (0)

static void test_good(bool nsec3)
{
    const char *kind = nsec3 ? "NSEC3" : "NSEC";
    ods_zone_t *z = signed_zone(ks, NULL, nsec3);
    if (!ok(z != NULL, "%s zone signed", kind))
        return;
    size_t count = 0;
    is_int(ldns_check_all(z, &count), 0, "%s: ldns verifies all %zu signatures", kind, count);
    sgn_check_stats_t st = { 0 };
    ods_err_t err = { 0 };
    ok(sgn_check_zone(z, NOW, 1, ks, &st, &err) == ODS_OK, "%s: the correct zone passes (%s)", kind,
       err.msg);
    ok(st.sigs == count && st.verified == count,
       "%s: every signature checked and verified (%zu RRsets, %zu signatures, %zu verified)", kind,
       st.rrsets, st.sigs, st.verified);
    int rc = sgn_check_zone(z, NOW + 7 * DAY - 1, 0, NULL, &st, &err);
    /* KSK: DNSKEY; ZSK: SOA NS A AAAA TXT DS, and NSEC or NSEC3 */
    ok(rc == ODS_OK && st.verified == 8,
       "%s: passes until the last second of the shortest validity; without verify_every the "
       "first signature of each key and type is verified (%zu)",
       kind, st.verified);
    ok(sgn_check_zone(z, NOW, 1, kss, NULL, &err) == ODS_EZONE,
       "%s: a key set with a key that never signed: refused", kind);
    ods_zone_free(z);
}

static void test_structure(void)
{
    ods_zone_t *z = signed_zone(ks, NULL, false);
    if (!ok(z != NULL, "zone for the structural checks"))
        return;
    REFUSED(z, NOW + 14 * DAY + 1, 0, NULL, "a day after expiration",
            "example.com. NS: signature by key", "is not valid now", "more problems");
    REFUSED(z, NOW - 3601, 0, NULL, "before the inception", "is not valid now");

    /* delegation NS and glue signed */
    sgn_sigctx_t c = sigctx(ks);
    unsigned nn = 0, nr = 0;
    ods_err_t err = { 0 };
    sgn_rrset_sign(&thr, &c, st_name("sub.example.com"), rrset(z, "sub.example.com", 2), &nn, &nr,
                   &err);
    REFUSED(z, NOW, 0, ks, "signed delegation NS",
            "sub.example.com. NS: signed, but it is not "
            "authoritative data");
    ods_rrset_t *ns = rrset(z, "sub.example.com", 2);
    ods_rrset_set_sigs(ns, NULL, 0);
    ods_zone_adopt_arena(z, thr.arena);
    thr.arena = ods_arena_new();
    sgn_rrset_sign(&thr, &c, st_name("ns.sub.example.com"), rrset(z, "ns.sub.example.com", 1), &nn,
                   &nr, &err);
    REFUSED(z, NOW, 0, ks, "signed glue",
            "ns.sub.example.com. A: signed, but it is not "
            "authoritative data");
    ods_rrset_set_sigs(rrset(z, "ns.sub.example.com", 1), NULL, 0);
    ok(sgn_check_zone(z, NOW, 1, ks, NULL, &err) == ODS_OK, "signatures removed: passes again (%s)",
       err.msg);

    /* a missing signature: the only one of the ZSK's algorithm on www A */
    ods_rrset_set_sigs(rrset(z, "www.example.com", 1), NULL, 0);
    REFUSED(z, NOW, 0, NULL, "unsigned RRset",
            "www.example.com. A: no signature of algorithm 13 by a published key");
    ods_zone_adopt_arena(z, thr.arena);
    thr.arena = ods_arena_new();
    ods_zone_free(z);

    /* no SOA, no DNSKEY, no usable zone key */
    char why[1024] = "";
    z = st_zone(&env, "example.com", "nokey.zone", ZONE, why, sizeof(why));
    if (z == NULL)
        return;
    REFUSED(z, NOW, 0, NULL, "no DNSKEY RRset", "no DNSKEY RRset");
    sgn_apex_set_dnskeys(z, ks, NULL, 3600, &err);
    ods_rrset_t *dk = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
    uint8_t revoked[2][ODS_HSM_DNSKEY_MAX];
    const uint8_t *rds[2];
    uint16_t lens[2];
    uint32_t off = 0;
    for (int i = 0; i < 2 && ods_rrset_next(dk, &off, &rds[i], &lens[i]); i++) {
        memcpy(revoked[i], rds[i], lens[i]);
        revoked[i][1] |= 0x80; /* REVOKE: such keys need not sign */
        rds[i] = revoked[i];
    }
    ods_zone_set_rrset(z, ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY, 3600, rds, lens, 2);
    REFUSED(z, NOW, 0, NULL, "only revoked keys", "example.com. DNSKEY: no usable zone key");
    ods_zone_set_rrset(z, ods_zone_apex_name(z), LDNS_RR_TYPE_SOA, 0, NULL, NULL, 0);
    REFUSED(z, NOW, 0, NULL, "no SOA", "no SOA at its apex");
    ods_zone_free(z);
}

static void test_keys(void)
{
    /* an algorithm published but not signing: the Ed25519 key as a foreign input DNSKEY */
    ods_rrset_t ed = { 0 };
    uint8_t blob[2 + ODS_HSM_DNSKEY_MAX];
    const sgn_key_t *e = &ked->keys[0];
    blob[0] = (uint8_t)(e->dnskey_len >> 8);
    blob[1] = (uint8_t)e->dnskey_len;
    memcpy(blob + 2, e->dnskey, e->dnskey_len);
    ed = (ods_rrset_t){ LDNS_RR_TYPE_DNSKEY, 1, 3600, blob, 2u + e->dnskey_len, 0, 0, NULL };
    ods_zone_t *z = signed_zone(ks, &ed, false);
    if (ok(z != NULL, "zone with an Ed25519 key published that signs nothing"))
        REFUSED(z, NOW, 0, ks, "missing algorithm",
                "no signature of algorithm 15 by a published key", "more problems");
    ods_zone_free(z);

    /* a signature by a key that is not published: harmless (double-RRSIG rollovers) */
    z = signed_zone(ks, NULL, false);
    if (z == NULL)
        return;
    sgn_sigctx_t c = sigctx(kss);
    unsigned nn = 0, nr = 0;
    ods_err_t err = { 0 };
    ods_rrset_t *www = rrset(z, "www.example.com", 1);
    ok(sgn_rrset_sign(&thr, &c, st_name("www.example.com"), www, &nn, &nr, &err) == ODS_OK &&
           nn == 1 && www->nsigs == 2,
       "www A also signed by an unpublished key");
    ods_zone_adopt_arena(z, thr.arena);
    thr.arena = ods_arena_new();
    ok(sgn_check_zone(z, NOW, 1, ks, NULL, &err) == ODS_OK,
       "a signature by an unknown key is allowed (%s)", err.msg);

    /* an active, published key that has not signed */
    REFUSED(z, NOW, 0, ks3, "active key without its signature",
            "example.com. NS: no signature by active key", ks3->keys[2].locator);

    /* a corrupted signature, found by the cryptographic sample */
    ods_rrset_t *aaaa = rrset(z, "www.example.com", LDNS_RR_TYPE_AAAA);
    static uint8_t bad[2048];
    memcpy(bad, aaaa->sigs[0].rdata, aaaa->sigs[0].len);
    bad[aaaa->sigs[0].len - 1] ^= 0x01;
    aaaa->sigs[0].rdata = bad;
    REFUSED(z, NOW, 1, ks, "corrupted signature, verify_every 1",
            "www.example.com. AAAA: signature by key", "does not verify");
    ods_zone_free(z);

    /* the first signature of each key and type is always verified (sgn_check.h) */
    z = signed_zone(ks, NULL, true);
    if (z == NULL)
        return;
    ods_znsec3_t *r = ods_zone_nsec3(z, 0);
    memcpy(bad, r->rrset.sigs[0].rdata, r->rrset.sigs[0].len);
    bad[r->rrset.sigs[0].len - 1] ^= 0x01;
    r->rrset.sigs[0].rdata = bad;
    REFUSED(z, NOW, 1000, ks, "corrupted NSEC3 signature, one in 1000 sampled",
            "NSEC3: signature by key", "does not verify");
    ods_rrset_set_sigs(&r->rrset, NULL, 0);
    REFUSED(z, NOW, 0, ks, "unsigned NSEC3", "NSEC3: no signature of algorithm 13");
    ods_zone_free(z);
}

int main(void)
{
    char why[1024] = "";
    if (!ok(st_env_open(&env, "sgncheck", true, why, sizeof(why)) == 0, "token (%s)", why) ||
        !ok(st_keygen(&env, 13, ksk) == 0 && st_keygen(&env, 13, zsk) == 0 &&
                st_keygen(&env, 13, zsk2) == 0 && st_keygen(&env, 13, stranger) == 0 &&
                st_keygen(&env, 15, edkey) == 0,
            "keys generated")) {
        st_env_close(&env);
        return tap_done();
    }
    {
        const char *l[] = { ksk, zsk, zsk2 };
        const int a[] = { 13, 13, 13 };
        const uint16_t f[] = { 257, 256, 256 };
        const bool k[] = { true, false, false }, z[] = { false, true, true },
                   p[] = { true, true, true };
        ks = keyset(l, a, f, k, z, p, 2);
        ks3 = keyset(l, a, f, k, z, p, 3);
    }
    {
        const char *l[] = { zsk, stranger };
        const int a[] = { 13, 13 };
        const uint16_t f[] = { 256, 256 };
        const bool k[] = { false, false }, z[] = { true, true }, p[] = { false, false };
        kss = keyset(l, a, f, k, z, p, 2);
    }
    {
        const char *l[] = { edkey };
        const int a[] = { 15 };
        const uint16_t f[] = { 256 };
        const bool k[] = { false }, z[] = { false }, p[] = { true };
        ked = keyset(l, a, f, k, z, p, 1);
    }
    st_thread_init(&thr, env.ctx, 0);
    if (ok(keyset_count == 4, "key sets loaded")) {
        test_good(false);
        test_good(true);
        test_structure();
        test_keys();
    }
    st_thread_free(&thr, false);
    sgn_keyset_free(ks);
    sgn_keyset_free(ks3);
    sgn_keyset_free(kss);
    sgn_keyset_free(ked);
    st_env_close(&env);
    return tap_done();
}
