/*
 * sgn_rrsign: which signatures an RRset keeps and which keys sign it, with
 * real keys in a SoftHSMv2 token. Every new signature is verified twice
 * (common/dnssec/verify.h and ldns, see sgn_test.h) against the DNSKEY of
 * the key whose tag it carries, and its fields (inception, expiration with
 * jitter, labels, original TTL, signer) are checked against the signer
 * configuration. Keys: a KSK, two ZSKs, a CSK, an Ed25519 ZSK, 70 more
 * ZSKs, and two keys whose tags clash (searched for among fresh keys).
 */
#include "tap.h"

#include "sgn_apex.h"
#include "sgn_check.h"
#include "sgn_test.h"

#include "dnssec/keytag.h"
#include "dnssec/name.h"
#include "dnssec/rrsig.h"
#include "dns/denial.h"
#include "hsm/alg.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW     1700000000u
#define DAY     86400u
#define MANY    70 /* more keys than the signer's plans keep on the stack (64) */
#define MAX_GEN 1500

static st_env_t env;
static sgn_thread_t thr;
static ods_zone_t *zone;
static const uint8_t *apex;

typedef struct tkey {
    char loc[ODS_HSM_LOCATOR_LEN + 1];
    int alg;
    uint16_t flags;
} tkey_t;

static tkey_t ksk = { .alg = 13, .flags = 257 }, zsk = { .alg = 13, .flags = 256 },
              zsk2 = { .alg = 13, .flags = 256 }, csk = { .alg = 13, .flags = 257 },
              ed = { .alg = 15, .flags = 256 };
static tkey_t many[MANY];
static tkey_t clash[2];
static bool have_clash;

/* Roles of one key in a key set. */
typedef struct role {
    const tkey_t *k;
    bool ksk, zsk, publish, deactivate;
} role_t;

static sgn_keyset_t *keyset(const role_t *r, size_t n)
{
    ods_signconf_t *sc = st_signconf("example.com");
    sgn_keyset_t *ks = NULL;
    ods_err_t err = { 0 };
    for (size_t i = 0; sc && i < n; i++) {
        st_signconf_key(sc, r[i].k->loc, r[i].k->alg, r[i].k->flags, r[i].ksk, r[i].zsk,
                        r[i].publish);
        sc->keys[i].deactivate = r[i].deactivate;
    }
    if (sc == NULL || sgn_keyset_load(sc, env.ctx, &ks, &err) != ODS_OK)
        tap_diag("key set: %s", err.msg);
    ods_signconf_free(sc);
    return ks;
}

static sgn_sigctx_t sigctx(const sgn_keyset_t *ks, uint32_t now)
{
    return (sgn_sigctx_t){ .apex = apex,
                           .keys = ks,
                           .now = now,
                           .refresh = 3 * DAY,
                           .inception_offset = 3600,
                           .jitter = 0,
                           .val_default = 14 * DAY,
                           .val_denial = 7 * DAY,
                           .val_keyset = 21 * DAY };
}

static ods_rrset_t *rrset(const char *owner, uint16_t type)
{
    ods_zname_t *n = ods_zone_find(zone, st_name(owner));
    return n ? ods_zname_rrset(n, type) : NULL;
}

/* A signature of s not among before[0..nb) (by RDATA pointer): a new one. */
static bool is_new(const ods_rrsig_t *g, const ods_rrsig_t *before, size_t nb)
{
    for (size_t i = 0; i < nb; i++)
        if (before[i].rdata == g->rdata)
            return false;
    return true;
}

/*
 * Check every new signature of s: it verifies with the DNSKEY of its key,
 * its fields follow c. Returns the number of new signatures that passed.
 */
static unsigned check_new(const ods_rrset_t *s, const uint8_t *owner, const sgn_sigctx_t *c,
                          const ods_rrsig_t *before, size_t nb, uint32_t validity)
{
    unsigned good = 0;
    for (uint16_t i = 0; i < s->nsigs; i++) {
        const ods_rrsig_t *g = &s->sigs[i];
        if (!is_new(g, before, nb))
            continue;
        const sgn_key_t *k = st_key_of(c->keys, g);
        ods_rrsig_fields_t f;
        const uint8_t *sb;
        size_t sl;
        char why[1024] = "no key with this tag";
        bool v = false;
        for (size_t j = 0; k && j < c->keys->n && !v; j++) { /* tags may clash */
            const sgn_key_t *kj = &c->keys->keys[j];
            if (kj->keytag == g->keytag && kj->algorithm == g->algorithm)
                v = st_sig_ok(owner, s, g, kj->dnskey, kj->dnskey_len, c->now, why, sizeof(why));
        }
        bool fields = ods_rrsig_parse(g->rdata, g->len, &f, &sb, &sl) == ODS_OK &&
                      f.type_covered == s->type && f.original_ttl == s->ttl &&
                      f.labels == ods_name_rrsig_labels(owner) && ods_name_equal(f.signer, apex) &&
                      f.inception == c->now - c->inception_offset && f.inception == g->inception &&
                      f.expiration == g->expiration && f.key_tag == g->keytag &&
                      (int32_t)(g->expiration - (c->now + validity)) <= (int32_t)c->jitter &&
                      (int32_t)(c->now + validity - g->expiration) <= (int32_t)c->jitter;
        if (!v || !fields)
            tap_diag("%s type %u key %u: %s%s", st_ntext(owner), s->type, g->keytag, why,
                     fields ? "" : ", fields wrong");
        good += v && fields;
    }
    return good;
}

/* Sign s with c; returns new and reused counts through the pointers. */
static int sign_wire(const uint8_t *owner, ods_rrset_t *s, const sgn_sigctx_t *c, unsigned *nnew,
                     unsigned *nreused, ods_err_t *err)
{
    *nnew = *nreused = 0;
    return sgn_rrset_sign(&thr, c, owner, s, nnew, nreused, err);
}

static int sign(const char *owner, ods_rrset_t *s, const sgn_sigctx_t *c, unsigned *nnew,
                unsigned *nreused, ods_err_t *err)
{
    return sign_wire(st_name(owner), s, c, nnew, nreused, err);
}

/* The key tags of s's signatures, sorted into a string ("1234 5678"). */
static const char *tags(const ods_rrset_t *s)
{
    static char bufs[2][4096];
    static int next;
    char *buf = bufs[next++ % 2];
    unsigned v[512];
    size_t n = 0, off = 0;
    for (uint16_t i = 0; i < s->nsigs && n < 512; i++)
        v[n++] = s->sigs[i].keytag;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            unsigned t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < n && off < sizeof(bufs[0]) - 8; i++)
        off += (size_t)snprintf(buf + off, sizeof(bufs[0]) - off, "%s%u", i ? " " : "", v[i]);
    return buf;
}

static const char *tag_list(const sgn_keyset_t *ks, const size_t *idx, size_t n)
{
    ods_rrset_t s = { 0 };
    ods_rrsig_t g[512];
    for (size_t i = 0; i < n; i++)
        g[i].keytag = ks->keys[idx[i]].keytag;
    s.sigs = g;
    s.nsigs = (uint16_t)n;
    return tags(&s);
}

/* ---- sgn_sig_fresh ---- */

static ods_rrsig_t sig_of(const sgn_keyset_t *ks, size_t k, uint32_t inception, uint32_t expiration)
{
    return (
        ods_rrsig_t){ NULL, 0, ks->keys[k].keytag, ks->keys[k].algorithm, inception, expiration };
}

static void test_fresh(void)
{
    role_t r[] = { { &ksk, true, false, true, false },
                   { &zsk, false, true, true, false },
                   { &zsk2, false, true, true, true } }; /* Deactivate */
    sgn_keyset_t *ks = keyset(r, 3);
    if (!ok(ks != NULL, "sgn_sig_fresh: key set"))
        return;
    sgn_sigctx_t c = sigctx(ks, NOW);
    uint16_t A = LDNS_RR_TYPE_A, K = LDNS_RR_TYPE_DNSKEY;
    ods_rrsig_t g = sig_of(ks, 1, NOW - 3600, NOW + 14 * DAY);
    ok(sgn_sig_fresh(&c, &g, A), "ZSK signature, valid for 14 more days: fresh");
    g.inception = NOW;
    ok(sgn_sig_fresh(&c, &g, A), "inception exactly now: fresh");
    g.inception = NOW + 1;
    ok(!sgn_sig_fresh(&c, &g, A), "inception one second in the future: not fresh");
    g.inception = NOW - 3600;
    g.expiration = NOW + 3 * DAY;
    ok(!sgn_sig_fresh(&c, &g, A), "expiration exactly now + Refresh: not fresh (due)");
    g.expiration = NOW + 3 * DAY + 1;
    ok(sgn_sig_fresh(&c, &g, A), "expiration now + Refresh + 1: fresh");
    g.expiration = NOW - 1;
    ok(!sgn_sig_fresh(&c, &g, A), "expired: not fresh");
    g.expiration = NOW + 14 * DAY;
    c.refresh = 0;
    ok(!sgn_sig_fresh(&c, &g, A), "Refresh 0: never fresh (every run re-signs)");
    c.refresh = 3 * DAY;
    ok(!sgn_sig_fresh(&c, &g, K), "ZSK signature over DNSKEY: not fresh (a ZSK never signs it)");
    g = sig_of(ks, 0, NOW - 3600, NOW + 14 * DAY);
    ok(sgn_sig_fresh(&c, &g, K), "KSK signature over DNSKEY: fresh");
    ok(!sgn_sig_fresh(&c, &g, A), "KSK signature over data: not fresh (a KSK never signs it)");
    g = sig_of(ks, 2, NOW - 3600, NOW + 14 * DAY);
    ok(!sgn_sig_fresh(&c, &g, A), "Deactivate: the key's signatures are not reused");
    g = sig_of(ks, 1, NOW - 3600, NOW + 14 * DAY);
    g.keytag ^= 0x5555;
    ok(!sgn_sig_fresh(&c, &g, A), "a key tag of no key: not fresh");
    g = sig_of(ks, 1, NOW - 3600, NOW + 14 * DAY);
    g.algorithm = 8;
    ok(!sgn_sig_fresh(&c, &g, A), "right tag, other algorithm: not fresh");

    /* wrap-around: the 32-bit times run past 2^32 */
    uint32_t late = 0xFFFFF000u;
    c = sigctx(ks, late);
    g = sig_of(ks, 1, late - 3600, late + 14 * DAY);
    ok(g.expiration < late && sgn_sig_fresh(&c, &g, A),
       "now 0xFFFFF000, expiration wrapped to %u: fresh", g.expiration);
    g.expiration = late + 3 * DAY;
    ok(!sgn_sig_fresh(&c, &g, A), "wrapped expiration exactly now + Refresh: not fresh");
    g.expiration = late + 3 * DAY + 1;
    ok(sgn_sig_fresh(&c, &g, A), "wrapped expiration now + Refresh + 1: fresh");
    g = sig_of(ks, 1, late + 0x2000, late + 14 * DAY);
    ok(!sgn_sig_fresh(&c, &g, A), "inception wrapped past 2^32 (in the future): not fresh");
    c = sigctx(ks, 0x100);
    g = sig_of(ks, 1, 0xFFFFFF00u, 0x100 + 14 * DAY);
    ok(sgn_sig_fresh(&c, &g, A), "now 0x100, inception 0xFFFFFF00 (before the wrap): fresh");
    sgn_keyset_free(ks);
}

/* ---- decisions and new signatures ---- */

static void test_data(void)
{
    role_t r[] = { { &ksk, true, false, true, false }, { &zsk, false, true, true, false } };
    sgn_keyset_t *ks = keyset(r, 2);
    ods_rrset_t *s = rrset("WWW.Example.com", LDNS_RR_TYPE_A);
    if (!ok(ks != NULL && s != NULL, "KSK + ZSK key set, www A"))
        return;
    sgn_sigctx_t c = sigctx(ks, NOW);
    ods_err_t err = { 0 };
    unsigned nn, nr;
    ok(sgn_rrset_needs_work(&c, s), "a new RRset needs work");
    ok(sign("WWW.Example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 1 && nr == 0 &&
           s->nsigs == 1 && s->sigs[0].keytag == ks->keys[1].keytag,
       "signed once, by the ZSK only (%s)", err.msg);
    is_int(check_new(s, st_name("WWW.Example.com"), &c, NULL, 0, 14 * DAY), 1,
           "the signature verifies; inception now - 1h, expiration now + Default (no jitter)");
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    c = sigctx(ks, NOW + 3600);
    const uint8_t *kept = s->sigs[0].rdata;
    ok(!sgn_rrset_needs_work(&c, s), "an hour later, unchanged: nothing to do");
    ok(sign("www.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 0 && nr == 1 &&
           s->nsigs == 1 && s->sigs[0].rdata == kept,
       "unchanged with a fresh signature: the signature is kept");
    s->flags |= ODS_RRSET_CHANGED;
    ok(sgn_rrset_needs_work(&c, s), "changed: needs work although its signature is fresh");
    ok(sign("www.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 1 && nr == 0 &&
           s->nsigs == 1 && s->sigs[0].rdata != kept,
       "changed: re-signed, the old signature dropped");
    ods_rrsig_t before = s->sigs[0];
    is_int(check_new(s, st_name("www.example.com"), &c, NULL, 0, 14 * DAY), 1,
           "the new signature verifies");
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    c = sigctx(ks, before.expiration - 3 * DAY);
    ok(sgn_rrset_needs_work(&c, s), "at expiration - Refresh: due");
    ok(sign("www.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 1 && nr == 0 &&
           s->nsigs == 1 && check_new(s, st_name("www.example.com"), &c, &before, 1, 14 * DAY),
       "due: replaced by a new signature of the same key, which verifies");

    /* two signatures by the same key and one by a stranger: one kept, the rest dropped */
    ods_rrsig_t three[3] = { s->sigs[0], s->sigs[0], s->sigs[0] };
    three[2].keytag ^= 0x1111;
    ods_rrset_set_sigs(s, three, 3);
    ok(sgn_rrset_needs_work(&c, s), "a duplicate and a stranger's signature: work to do");
    ok(sign("www.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 0 && nr == 1 &&
           s->nsigs == 1 && s->sigs[0].keytag == ks->keys[1].keytag,
       "one signature per key kept, the unknown key's dropped, none made");
    sgn_keyset_free(ks);
}

static void test_roles(void)
{
    role_t r[] = { { &ksk, true, false, true, false },
                   { &zsk, false, true, true, false },
                   { &csk, true, true, true, false } };
    sgn_keyset_t *ks = keyset(r, 3);
    ods_err_t err = { 0 };
    if (!ok(ks != NULL, "KSK + ZSK + CSK key set"))
        return;
    ods_zname_t *an = ods_zone_apex_name(zone);
    ok(sgn_apex_set_dnskeys(zone, ks, NULL, 3600, &err) == ODS_OK, "DNSKEY RRset built");
    ods_rrset_t *dk = ods_zname_rrset(an, LDNS_RR_TYPE_DNSKEY);
    ods_rrset_t *a = rrset("ftp.example.com", LDNS_RR_TYPE_A);
    sgn_sigctx_t c = sigctx(ks, NOW);
    unsigned nn, nr;
    size_t want_dk[] = { 0, 2 }, want_a[] = { 1, 2 };
    ok(sign("example.com", dk, &c, &nn, &nr, &err) == ODS_OK && nn == 2, "DNSKEY RRset signed (%s)",
       err.msg);
    is_str(tags(dk), tag_list(ks, want_dk, 2), "DNSKEY: by the KSK and the CSK, not the ZSK");
    is_int(check_new(dk, an->owner, &c, NULL, 0, 21 * DAY), 2,
           "both verify; expiration now + Keyset validity");
    ok(sign("ftp.example.com", a, &c, &nn, &nr, &err) == ODS_OK && nn == 2, "data signed");
    is_str(tags(a), tag_list(ks, want_a, 2), "data: by the ZSK and the CSK, not the KSK");
    is_int(check_new(a, st_name("ftp.example.com"), &c, NULL, 0, 14 * DAY), 2, "both verify");

    /* Keyset validity absent: the DNSKEY RRset gets Default */
    dk->flags |= ODS_RRSET_CHANGED;
    c.val_keyset = 0;
    ok(sign("example.com", dk, &c, &nn, &nr, &err) == ODS_OK && nn == 2 &&
           check_new(dk, an->owner, &c, NULL, 0, 14 * DAY) == 2,
       "no Keyset validity: the DNSKEY signatures get Default");

    /* NSEC: Denial validity */
    ods_rrset_t *nsec = rrset("ftp.example.com", LDNS_RR_TYPE_NSEC);
    ok(nsec != NULL && sign("ftp.example.com", nsec, &c, &nn, &nr, &err) == ODS_OK && nn == 2 &&
           check_new(nsec, st_name("ftp.example.com"), &c, NULL, 0, 7 * DAY) == 2,
       "NSEC: signed by the ZSK and CSK with Denial validity");

    /* a wildcard: Labels leaves out the '*' (RFC 4034 3.1.3) */
    ods_rrset_t *w = rrset("*.example.com", LDNS_RR_TYPE_TXT);
    ok(w != NULL && sign("*.example.com", w, &c, &nn, &nr, &err) == ODS_OK && nn == 2 &&
           check_new(w, st_name("*.example.com"), &c, NULL, 0, 14 * DAY) == 2,
       "wildcard TXT: Labels 2, both signatures verify");
    sgn_keyset_free(ks);
}

static void test_rollover(void)
{
    role_t r1[] = { { &zsk, false, true, true, false }, { &zsk2, false, false, true, false } };
    role_t r2[] = { { &zsk, false, false, true, false }, { &zsk2, false, true, true, false } };
    role_t r3[] = { { &zsk, false, true, true, true }, { &zsk2, false, true, true, false } };
    role_t r4[] = { { &zsk, false, true, true, false }, { &ed, false, true, true, false } };
    sgn_keyset_t *ks1 = keyset(r1, 2), *ks2 = keyset(r2, 2), *ks3 = keyset(r3, 2),
                 *ks4 = keyset(r4, 2);
    ods_rrset_t *s = rrset("mail.example.com", LDNS_RR_TYPE_MX);
    ods_err_t err = { 0 };
    unsigned nn, nr;
    if (!ok(ks1 && ks2 && ks3 && ks4 && s, "rollover key sets"))
        goto out;
    sgn_sigctx_t c = sigctx(ks1, NOW);
    ok(sign("mail.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 1 &&
           s->sigs[0].keytag == ks1->keys[0].keytag,
       "old ZSK active, new one only published: signed by the old one");
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    ods_rrsig_t old = s->sigs[0];
    c = sigctx(ks2, NOW + 60);
    ok(sgn_rrset_needs_work(&c, s), "the old ZSK stopped signing: work to do");
    ok(sign("mail.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 1 && nr == 0 &&
           s->nsigs == 1 && s->sigs[0].keytag == ks2->keys[1].keytag &&
           check_new(s, st_name("mail.example.com"), &c, &old, 1, 14 * DAY) == 1,
       "the inactive key's fresh signature dropped, the new ZSK signs; it verifies");
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    c = sigctx(ks1, NOW + 120);
    sign("mail.example.com", s, &c, &nn, &nr, &err);
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    c = sigctx(ks3, NOW + 180);
    ok(sign("mail.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 1 && nr == 0 &&
           s->nsigs == 1 && s->sigs[0].keytag == ks3->keys[1].keytag,
       "Deactivate: the key neither keeps nor makes signatures; the other ZSK signs");
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    c = sigctx(ks4, NOW + 240);
    ok(sign("mail.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 2 && nr == 0 &&
           check_new(s, st_name("mail.example.com"), &c, NULL, 0, 14 * DAY) == 2,
       "two algorithms (13 and 15): a signature of each, both verify");
out:
    sgn_keyset_free(ks1);
    sgn_keyset_free(ks2);
    sgn_keyset_free(ks3);
    sgn_keyset_free(ks4);
}

static void test_jitter(void)
{
    role_t r[] = { { &zsk, false, true, true, false } };
    sgn_keyset_t *ks = keyset(r, 1);
    if (!ok(ks != NULL, "jitter: key set"))
        return;
    sgn_sigctx_t c = sigctx(ks, NOW);
    c.jitter = 3600;
    ods_err_t err = { 0 };
    unsigned nn, nr, good = 0, n = 0, below = 0, above = 0;
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t i = 0; i < ods_zone_count(zone); i++) {
        ods_zname_t *nm = ods_zone_name(zone, i);
        ods_rrset_t *s = ods_zname_rrset(nm, LDNS_RR_TYPE_A);
        if (s == NULL || !(nm->owner[0] > 4 && memcmp(nm->owner + 1, "host", 4) == 0))
            continue;
        s->flags |= ODS_RRSET_CHANGED;
        if (sign_wire(nm->owner, s, &c, &nn, &nr, &err) != ODS_OK || s->nsigs != 1)
            break;
        n++;
        good += check_new(s, nm->owner, &c, NULL, 0, 14 * DAY);
        uint32_t e = s->sigs[0].expiration;
        lo = e < lo ? e : lo;
        hi = e > hi ? e : hi;
        below += e < NOW + 14 * DAY;
        above += e > NOW + 14 * DAY;
    }
    ok(n == 300 && good == n,
       "300 RRsets signed with Jitter 1h: every expiration in now + Default +- 1h, every "
       "signature verifies (%u of %u)",
       good, n);
    ok(hi - lo > 3600 && below > 0 && above > 0,
       "the jitter spreads them (%u s between first and last; %u below, %u above)", hi - lo, below,
       above);
    /* a big RRset (more RDATA than the signer keeps on the stack) */
    ods_rrset_t *big = rrset("big.example.com", LDNS_RR_TYPE_A);
    c.jitter = 0;
    ok(big != NULL && big->count == 100 &&
           sign("big.example.com", big, &c, &nn, &nr, &err) == ODS_OK && nn == 1 &&
           check_new(big, st_name("big.example.com"), &c, NULL, 0, 14 * DAY) == 1,
       "an RRset of 100 records: its signature verifies");
    /* the 32-bit wrap-around: signed just before 2^32, expiring after it */
    c = sigctx(ks, 0xFFFFF000u);
    big->flags |= ODS_RRSET_CHANGED;
    int rc = sign("big.example.com", big, &c, &nn, &nr, &err);
    ok(rc == ODS_OK && nn == 1 && big->sigs[0].expiration == 0xFFFFF000u + 14 * DAY &&
           check_new(big, st_name("big.example.com"), &c, NULL, 0, 14 * DAY) == 1,
       "now 0xFFFFF000: the expiration wraps to %u and the signature verifies at that time",
       big->sigs[0].expiration);
    big->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    c.now += 3600;
    ok(!sgn_rrset_needs_work(&c, big), "and an hour later it is still fresh");
    sgn_keyset_free(ks);
}

static void test_many(void)
{
    role_t r[MANY + 1];
    r[0] = (role_t){ &ksk, true, false, true, false };
    for (int i = 0; i < MANY; i++)
        r[i + 1] = (role_t){ &many[i], false, true, true, false };
    sgn_keyset_t *ks = keyset(r, MANY + 1);
    sgn_keyset_t *fewer = keyset(r, MANY + 1 - 5);
    ods_rrset_t *s = rrset("ftp.example.com", LDNS_RR_TYPE_AAAA);
    if (!ok(ks != NULL && fewer != NULL && s != NULL, "%d ZSKs and a KSK", MANY))
        goto out;
    sgn_sigctx_t c = sigctx(ks, NOW);
    ods_err_t err = { 0 };
    unsigned nn, nr;
    ok(sign("ftp.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == MANY && s->nsigs == MANY,
       "%d signatures, one per ZSK (%s)", MANY, err.msg);
    is_int(check_new(s, st_name("ftp.example.com"), &c, NULL, 0, 14 * DAY), MANY, "all %d verify",
           MANY);
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    ok(!sgn_rrset_needs_work(&c, s), "unchanged: nothing to do with %d signatures", MANY);
    ok(sign("ftp.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 0 && nr == MANY,
       "all %d kept", MANY);
    c = sigctx(fewer, NOW + 60);
    ok(sgn_rrset_needs_work(&c, s), "five ZSKs gone: work to do");
    ok(sign("ftp.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 0 && nr == MANY - 5 &&
           s->nsigs == MANY - 5,
       "their five signatures dropped, %d kept", MANY - 5);
out:
    sgn_keyset_free(ks);
    sgn_keyset_free(fewer);
}

static void test_clash(void)
{
    if (!ok(have_clash, "two keys with the same key tag found among fresh keys"))
        return;
    role_t r[] = { { &clash[0], true, true, true, false }, { &clash[1], true, true, true, false } };
    sgn_keyset_t *ks = keyset(r, 2);
    ods_rrset_t *s = rrset("ftp.example.com", LDNS_RR_TYPE_TXT);
    if (!ok(ks != NULL && s != NULL && ks->keys[0].keytag == ks->keys[1].keytag &&
                ks->keys[0].tag_clash && ks->keys[1].tag_clash,
            "the key set marks both keys (tag %u)", ks ? ks->keys[0].keytag : 0)) {
        sgn_keyset_free(ks);
        return;
    }
    ok(sgn_keyset_find(ks, ks->keys[0].keytag, 13) == NULL,
       "sgn_keyset_find: a clashing tag names no key");
    sgn_sigctx_t c = sigctx(ks, NOW);
    ods_err_t err = { 0 };
    unsigned nn, nr;
    ok(sign("ftp.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 2 && s->nsigs == 2,
       "both keys sign");
    char why[1024];
    bool a0 = st_sig_ok(st_name("ftp.example.com"), s, &s->sigs[0], ks->keys[0].dnskey,
                        ks->keys[0].dnskey_len, NOW, why, sizeof(why));
    bool b1 = st_sig_ok(st_name("ftp.example.com"), s, &s->sigs[1], ks->keys[1].dnskey,
                        ks->keys[1].dnskey_len, NOW, why, sizeof(why));
    bool a1 = st_sig_ok(st_name("ftp.example.com"), s, &s->sigs[1], ks->keys[0].dnskey,
                        ks->keys[0].dnskey_len, NOW, why, sizeof(why));
    ok(a0 && b1 && !a1, "each signature verifies with its own key only");
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    ok(sgn_rrset_needs_work(&c, s) && !sgn_sig_fresh(&c, &s->sigs[0], LDNS_RR_TYPE_TXT),
       "a signature of a clashing tag cannot be told apart: never reused, always remade");
    ok(sign("ftp.example.com", s, &c, &nn, &nr, &err) == ODS_OK && nn == 2 && nr == 0 &&
           s->nsigs == 2,
       "re-signed by both, still one signature each");

    /* a whole zone signed by both passes the signer's own check, every signature verified */
    ods_zone_t *z = st_zone(&env, "example.com", "clash.zone",
                            "$ORIGIN example.com.\n$TTL 600\n@ SOA ns1 hostmaster 1 7200 3600 "
                            "1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww TXT \"x\"\n",
                            why, sizeof(why));
    sgn_check_stats_t st = { 0 };
    int rc = z ? sgn_apex_set_dnskeys(z, ks, NULL, 3600, &err) : ODS_EZONE;
    if (rc == ODS_OK)
        rc = ods_denial_nsec(z, 300, &err);
    if (rc == ODS_OK)
        rc = st_sign_zone(z, &thr, &c, &nn, &err);
    if (rc == ODS_OK)
        rc = sgn_check_zone(z, NOW, 1, ks, &st, &err);
    ok(rc == ODS_OK && st.verified == st.sigs && st.sigs > 0,
       "sgn_check passes the zone signed by the clashing keys (%zu of %zu verified) %s%s",
       st.verified, st.sigs, z ? "" : why, rc == ODS_OK ? "" : err.msg);
    ods_zone_free(z);
    sgn_keyset_free(ks);
}

/* ---- fixture ---- */

/* Fill the named keys, the many ZSKs and look for a tag clash among fresh keys. */
static int make_keys(void)
{
    tkey_t *named[] = { &ksk, &zsk, &zsk2, &csk, &ed };
    for (size_t i = 0; i < 5; i++)
        if (st_keygen(&env, named[i]->alg, named[i]->loc) != 0)
            return -1;
    static uint32_t seen[65536]; /* (key index + 1) << 1 | (flags & 1) */
    static bool many_tag[65536]; /* ZSK tags taken by many[]: they must differ (a clash
                                    makes the signer re-sign, which test_many rules out) */
    static tkey_t pool[MAX_GEN];
    int nmany = 0;
    { /* test_many's KSK is in the same key set */
        uint8_t rd[ODS_HSM_DNSKEY_MAX];
        size_t len = sizeof(rd);
        uint16_t tag;
        if (st_dnskey(&env, ksk.loc, ksk.alg, ksk.flags, rd, &len, &tag) != 0)
            return -1;
        many_tag[tag] = true;
    }
    for (int i = 0; i < MAX_GEN && (!have_clash || nmany < MANY); i++) {
        uint8_t rd[ODS_HSM_DNSKEY_MAX];
        size_t len = sizeof(rd);
        uint16_t tag;
        pool[i] = (tkey_t){ .alg = 13, .flags = 256 };
        if (st_keygen(&env, 13, pool[i].loc) != 0 ||
            st_dnskey(&env, pool[i].loc, 13, 256, rd, &len, &tag) != 0)
            return -1;
        if (nmany < MANY && !many_tag[tag]) {
            many_tag[tag] = true;
            many[nmany++] = pool[i];
        }
        for (uint16_t f = 256; f <= 257 && !have_clash; f++) {
            rd[1] = (uint8_t)f;
            tag = ods_dnssec_keytag(rd, len);
            uint32_t other = seen[tag];
            if (other != 0) {
                clash[0] = pool[(other >> 1) - 1];
                clash[0].flags = (uint16_t)(256 + (other & 1));
                clash[1] = pool[i];
                clash[1].flags = f;
                have_clash = true;
                tap_diag("key tag %u clashes after %d keys", tag, i + 1);
            }
            seen[tag] = (uint32_t)(i + 1) << 1 | (f & 1);
        }
    }
    return nmany == MANY ? 0 : -1;
}

static const char *zone_text(void)
{
    static char text[16384];
    size_t off = (size_t)snprintf(text, sizeof(text),
                                  "$ORIGIN example.com.\n$TTL 600\n"
                                  "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                                  "@ NS ns1\nns1 A 192.0.2.1\nWWW A 192.0.2.2\nftp A 192.0.2.3\n"
                                  "ftp 300 AAAA 2001:db8::3\nftp TXT \"clash\"\n"
                                  "mail 3600 MX 10 ns1\n* TXT \"wild\"\n");
    for (int i = 0; i < 300; i++)
        off += (size_t)snprintf(text + off, sizeof(text) - off, "host%d A 198.51.100.%d\n", i,
                                i % 250);
    for (int i = 0; i < 100; i++)
        off += (size_t)snprintf(text + off, sizeof(text) - off, "big A 203.0.113.%d\n", i);
    return text;
}

int main(void)
{
    char why[1024] = "";
    ods_err_t err = { 0 };
    if (!ok(st_env_open(&env, "sgnrrsign", true, why, sizeof(why)) == 0, "token (%s)", why) ||
        !ok(make_keys() == 0, "keys generated")) {
        st_env_close(&env);
        return tap_done();
    }
    zone = st_zone(&env, "example.com", "rrsign.zone", zone_text(), why, sizeof(why));
    if (!ok(zone != NULL && ods_denial_nsec(zone, 300, &err) == ODS_OK, "zone (%s%s)", why,
            err.msg)) {
        st_env_close(&env);
        return tap_done();
    }
    apex = ods_zone_apex(zone);
    st_thread_init(&thr, env.ctx, 0);
    test_fresh();
    test_data();
    test_roles();
    test_rollover();
    test_jitter();
    test_many();
    test_clash();
    ods_zone_free(zone);
    st_thread_free(&thr, false);
    st_env_close(&env);
    return tap_done();
}
