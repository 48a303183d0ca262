/*
 * Unit tests for the compact zone (dns/zone, dns/zload, dns/zsort): the load
 * checks (exact messages with file:line), TTL normalisation and duplicate
 * warnings, canonical order against ldns_dname_compare, empty non-terminals
 * and delegation / occlusion / DNAME classification against a brute-force
 * computation, look-up, RRset replacement and signature adoption.
 */
#include "tap.h"
#include "helpers.h"

#include "dns/denial.h"
#include "dns/zone.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "util/arena.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER                                                                                     \
    "$ORIGIN example.\n$TTL 300\n@ SOA ns1 host 1 3600 900 604800 300\n@ NS ns1\n"                 \
    "ns1 A 192.0.2.53\n"

static ods_zone_t *load_text(const char *file, const char *apex, const char *text, dt_read_t *res)
{
    const char *path = dt_write(file, text);
    ods_zone_t *z = ods_zone_new(dt_name(apex));
    dt_zone_load(z, path, res);
    return z;
}

typedef struct zcase {
    const char *name;
    const char *text;
    const char *msg; /* expected message; %s stands for the file path (any number) */
} zcase_t;

static const zcase_t errors[] = {
    { "out-of-zone", HEADER "www.example.org. A 192.0.2.1\n",
      "%s:6: www.example.org. is outside the zone example." },
    { "out-of-zone-origin", HEADER "a A 192.0.2.1\n$ORIGIN other.\nx A 192.0.2.1\n",
      "%s:8: x.other. is outside the zone example." },
    { "out-of-zone-root", HEADER ". A 192.0.2.1\n", "%s:6: . is outside the zone example." },
    { "no-soa", "$TTL 300\n$ORIGIN example.\n@ NS ns1\nns1 A 192.0.2.1\n",
      "%s: the zone has no SOA record at its apex example." },
    { "empty", "", "%s: the zone has no SOA record at its apex example." },
    { "comments-only", "; nothing\n\n", "%s: the zone has no SOA record at its apex example." },
    { "two-soa", HEADER "@ SOA ns1 host 2 3600 900 604800 300\n",
      "%s:6: a second SOA record (the first is at %s:3): a zone has exactly one" },
    { "soa-not-apex", HEADER "sub SOA ns1 host 1 3600 900 604800 300\n",
      "%s:6: SOA at sub.example., which is not the zone apex" },
    { "cname-then-a", HEADER "www CNAME x\nwww A 192.0.2.1\n",
      "%s:6: www.example. has a CNAME and other data (A at %s:7): a CNAME must stand alone "
      "(RFC 1034 3.6.2)" },
    { "a-then-cname", HEADER "www A 192.0.2.1\nwww TXT \"x\"\nwww CNAME x\n",
      "%s:8: www.example. has a CNAME and other data (A at %s:6): a CNAME must stand alone "
      "(RFC 1034 3.6.2)" },
    { "cname-apex", HEADER "@ CNAME x\n",
      "%s:6: example. has a CNAME and other data (SOA at %s:3): a CNAME must stand alone "
      "(RFC 1034 3.6.2)" },
    { "cname-comes-back", HEADER "www CNAME x\nother A 192.0.2.1\nwww A 192.0.2.1\n",
      "%s:6: www.example. has a CNAME and other data (A at %s:8): a CNAME must stand alone "
      "(RFC 1034 3.6.2)" },
    { "a-comes-back-as-cname", HEADER "www A 192.0.2.1\nother A 192.0.2.2\nwww CNAME x\n",
      "%s:8: www.example. has a CNAME and other data (A at %s:6): a CNAME must stand alone "
      "(RFC 1034 3.6.2)" },
    { "cname-twice-apart", HEADER "www CNAME x\nb A 192.0.2.1\nc A 192.0.2.1\nwww CNAME y\n",
      "%s:9: www.example. has more than one CNAME record (the other is at %s:6): keep one" },
    { "two-cnames", HEADER "www CNAME x\nwww CNAME y\n",
      "%s:7: www.example. has more than one CNAME record (the other is at %s:6): keep one" },
    { "rrsig", HEADER "a RRSIG A 13 2 300 20260101000000 20251201000000 1 example. AQID\n",
      "%s:6: RRSIG records are made by the signer: remove them from the input" },
    { "nsec", HEADER "a NSEC b.example. A\n",
      "%s:6: NSEC records are made by the signer: remove them from the input" },
    { "nsec3",
      HEADER "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s A\n",
      "%s:6: NSEC3 records are made by the signer: remove them from the input" },
    { "nsec3param", HEADER "@ NSEC3PARAM 1 0 0 -\n",
      "%s:6: NSEC3PARAM records are made by the signer: remove them from the input" },
    { "ds-apex", HEADER "@ DS 1 13 2 abcd\n",
      "%s:6: DS at the zone apex belongs in the parent zone: remove it" },
    { "bad-syntax", HEADER "a A 192.0.2.1 (\n", "%s:6: '(' is never closed (end of file)" },
};

/* Expand every %s in fmt to path. */
static void expand(const char *fmt, const char *path, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = fmt; *p && k + 1 < cap; p++) {
        if (p[0] == '%' && p[1] == 's') {
            k += (size_t)snprintf(out + k, cap - k, "%s", path);
            p++;
        } else {
            out[k++] = *p;
        }
    }
    out[k < cap ? k : cap - 1] = '\0';
}

static void test_load_errors(void)
{
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        char file[80], want[2048];
        snprintf(file, sizeof(file), "%s.zone", errors[i].name);
        dt_read_t res;
        ods_zone_t *z = load_text(file, "example.", errors[i].text, &res);
        expand(errors[i].msg, dt_path(file), want, sizeof(want));
        ok(res.rc == (i + 1 == sizeof(errors) / sizeof(errors[0]) ? ODS_EPARSE : ODS_EZONE),
           "%s: rejected (rc %d)", errors[i].name, res.rc);
        is_str(res.err, want, "%s: exact message", errors[i].name);
        ods_zone_free(z);
    }
    /* an error in an included file names that file */
    dt_write("inc-bad.zone", "x A 192.0.2.1\nx CNAME y\n");
    dt_read_t res;
    ods_zone_t *z = load_text("inc-main.zone", "example.", HEADER "$INCLUDE inc-bad.zone\n", &res);
    char want[2048];
    snprintf(want, sizeof(want),
             "%s:2: x.example. has a CNAME and other data (A at %s:1): a CNAME must stand alone "
             "(RFC 1034 3.6.2)",
             dt_path("inc-bad.zone"), dt_path("inc-bad.zone"));
    is_str(res.err, want, "an error in an included file names the included file");
    ods_zone_free(z);
}

static void test_load_warnings(void)
{
    dt_read_t res;
    ods_zone_t *z = load_text("ttl.zone", "example.",
                              HEADER "a 100 A 192.0.2.1\na 50 A 192.0.2.2\na 200 A 192.0.2.3\n"
                                     "b A 192.0.2.1\nb A 192.0.2.1\nb A 192.0.2.1\n"
                                     "c NS NS.example.\nc NS ns.example.\n"
                                     "d 10 TXT \"x\"\nd 20 TXT \"x\"\n",
                              &res);
    const char *p = dt_path("ttl.zone");
    char want[4096];
    snprintf(want, sizeof(want),
             "%s:6: a.example. A: the records of this RRset have different TTLs; using the "
             "lowest, 50 (RFC 2181 5.2)\n"
             "%s:9: b.example. A: 2 duplicate record(s) dropped\n"
             "%s:12: c.example. NS: 1 duplicate record(s) dropped\n"
             "%s:14: d.example. TXT: the records of this RRset have different TTLs; using the "
             "lowest, 10 (RFC 2181 5.2)\n"
             "%s:14: d.example. TXT: 1 duplicate record(s) dropped\n",
             p, p, p, p, p);
    ok(res.rc == 0, "TTL and duplicate findings are warnings (%s)", res.err);
    is_str(res.warn, want, "one warning per RRset and finding, naming file:line");
    ods_zname_t *a = ods_zone_find(z, dt_name("a.example."));
    ods_rrset_t *s = a ? ods_zname_rrset(a, LDNS_RR_TYPE_A) : NULL;
    ok(s && s->ttl == 50 && s->count == 3, "the A RRset has TTL 50 and 3 records");
    s = ods_zname_rrset(ods_zone_find(z, dt_name("b.example.")), LDNS_RR_TYPE_A);
    ok(s && s->count == 1 && s->ttl == 300, "duplicates dropped: one record left");
    s = ods_zname_rrset(ods_zone_find(z, dt_name("c.example.")), LDNS_RR_TYPE_NS);
    ok(s && s->count == 1, "names differing only in case are duplicates in canonical form");
    ods_zone_free(z);

    /* owners that come back after a few others (a delegation's NS around its glue) merge as
     * if they were together: findings name the first record of the RRset */
    z = load_text("back.zone", "example.",
                  HEADER "a 100 A 192.0.2.1\nb A 192.0.2.9\na 50 A 192.0.2.2\n"
                         "a TXT \"t\"\nb A 192.0.2.9\n@ NS ns2\na 100 A 192.0.2.1\n",
                  &res);
    p = dt_path("back.zone");
    snprintf(want, sizeof(want),
             "%s:6: a.example. A: the records of this RRset have different TTLs; using the "
             "lowest, 50 (RFC 2181 5.2)\n"
             "%s:6: a.example. A: 1 duplicate record(s) dropped\n"
             "%s:7: b.example. A: 1 duplicate record(s) dropped\n",
             p, p, p);
    ok(res.rc == 0, "owners that come back load (%s)", res.err);
    is_str(res.warn, want, "findings name the first record of each RRset");
    a = ods_zone_find(z, dt_name("a.example."));
    s = a ? ods_zname_rrset(a, LDNS_RR_TYPE_A) : NULL;
    ok(s && s->ttl == 50 && s->count == 2 && a->nrrsets == 2 &&
           ods_zname_rrset(a, LDNS_RR_TYPE_TXT) != NULL,
       "a.example.: one A RRset of 2 records (TTL 50) and a TXT");
    s = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_NS);
    ok(s && s->count == 2 && ods_zone_count(z) == 4, "the apex NS RRset has both records; 4 names");
    ods_zone_free(z);

    /* ... and after hundreds of others (its RRsets were built already): taken apart and
     * merged; findings name the line of the record that came back */
    char far[65536];
    size_t fl = (size_t)snprintf(far, sizeof(far), HEADER "a 100 A 192.0.2.1\na TXT \"t\"\n");
    for (int i = 0; i < 300; i++)
        fl += (size_t)snprintf(far + fl, sizeof(far) - fl, "f%d A 192.0.2.1\n", i);
    fl += (size_t)snprintf(far + fl, sizeof(far) - fl,
                           "a 50 A 192.0.2.2\na 100 A 192.0.2.1\n@ NS ns3\n");
    z = load_text("far.zone", "example.", far, &res);
    p = dt_path("far.zone");
    snprintf(want, sizeof(want),
             "%s:308: a.example. A: the records of this RRset have different TTLs; using the "
             "lowest, 50 (RFC 2181 5.2)\n"
             "%s:308: a.example. A: 1 duplicate record(s) dropped\n",
             p, p);
    ok(res.rc == 0, "owners that come back after 300 others load (%s)", res.err);
    is_str(res.warn, want, "findings name the line of the record that came back");
    a = ods_zone_find(z, dt_name("a.example."));
    s = a ? ods_zname_rrset(a, LDNS_RR_TYPE_A) : NULL;
    ok(s && s->ttl == 50 && s->count == 2 && a->nrrsets == 2 &&
           ods_zname_rrset(a, LDNS_RR_TYPE_TXT) != NULL,
       "a.example.: its A RRset merged (2 records, TTL 50), its TXT kept");
    s = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_NS);
    ok(s && s->count == 2 && ods_zone_count(z) == 303, "the apex NS RRset has both; 303 names");
    ods_zone_free(z);
    /* an error across such a comeback still names both lines (the first by reading again) */
    fl = (size_t)snprintf(far, sizeof(far), HEADER "a CNAME x\n");
    for (int i = 0; i < 300; i++)
        fl += (size_t)snprintf(far + fl, sizeof(far) - fl, "f%d A 192.0.2.1\n", i);
    snprintf(far + fl, sizeof(far) - fl, "a A 192.0.2.2\n");
    z = load_text("far-cname.zone", "example.", far, &res);
    p = dt_path("far-cname.zone");
    snprintf(want, sizeof(want),
             "%s:6: a.example. has a CNAME and other data (A at %s:307): a CNAME must stand "
             "alone (RFC 1034 3.6.2)",
             p, p);
    is_str(res.err, want, "a CNAME far from the other data: both lines named");
    ods_zone_free(z);

    /* cap: 25 RRsets with TTL differences -> 20 warnings and a summary */
    char text[8192];
    size_t len = (size_t)snprintf(text, sizeof(text), HEADER);
    for (int i = 0; i < 25; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "n%d 10 A 192.0.2.1\n"
                                "n%d 20 A 192.0.2.2\n",
                                i, i);
    z = load_text("cap.zone", "example.", text, &res);
    snprintf(want, sizeof(want), "%s: 5 more warnings not shown\n", dt_path("cap.zone"));
    ok(res.rc == 0 && res.nwarn == 21, "25 findings give 20 warnings and a summary (%u)",
       res.nwarn);
    size_t wl = strlen(res.warn), ml = strlen(want);
    ok(wl >= ml && strcmp(res.warn + wl - ml, want) == 0, "the last line summarises the rest");
    has_str(res.warn, "cap.zone:44: n19.example. A", "the 20th finding is shown");
    ok(strstr(res.warn, "n20.example.") == NULL, "the 21st finding is not shown");
    ods_zone_free(z);

    z = load_text("nons.zone", "example.", "$TTL 1\n@ SOA ns1 host 1 2 3 4 5\n", &res);
    snprintf(want, sizeof(want), "%s: the zone has no NS records at its apex example.\n",
             dt_path("nons.zone"));
    ok(res.rc == 0, "a zone without apex NS loads");
    is_str(res.warn, want, "with a warning");
    ods_zone_free(z);
}

/* ---- random names: order, ENTs, classification, look-up ---- */

#define NNAMES 3000

typedef struct rname {
    uint8_t wire[255];
    int kind; /* 0 A, 1 NS (cut), 2 DNAME, 3 NS+DS */
} rname_t;

/* A label from a pool of tricky octets: case pairs, bytes between the letter ranges, 0x00,
 * 0xff, '.', '\\', digits. */
static size_t rand_label(uint8_t *out)
{
    static const uint8_t pool[] = { 'a', 'A', 'b', 'B',  'z',  'Z',  '_',  '[', '`',  '{',
                                    '-', '0', '9', 0x00, 0x01, 0xff, 0x80, '.', '\\', '*' };
    unsigned len = 1 + dt_below(dt_below(10) == 0 ? 63 : 3);
    out[0] = (uint8_t)len;
    for (unsigned i = 1; i <= len; i++)
        out[i] = pool[dt_below(sizeof(pool))];
    return len + 1;
}

static void rand_name_below(uint8_t *out, const uint8_t *apex)
{
    unsigned labels = 1 + dt_below(4);
    size_t k = 0;
    for (unsigned i = 0; i < labels && k + 64 + ods_name_len(apex) <= 255; i++)
        k += rand_label(out + k);
    memcpy(out + k, apex, ods_name_len(apex));
}

/* Flip the case of random ASCII letters. */
static void recase(uint8_t *dst, const uint8_t *src)
{
    size_t len = ods_name_len(src);
    memcpy(dst, src, len);
    for (size_t pos = 0; dst[pos] != 0; pos += dst[pos] + 1u)
        for (size_t i = pos + 1; i <= pos + dst[pos]; i++)
            if (((dst[i] | 0x20) >= 'a' && (dst[i] | 0x20) <= 'z') && dt_below(2))
                dst[i] ^= 0x20;
}

static int ldns_cmp_wire(const uint8_t *a, const uint8_t *b)
{
    ldns_rdf *x = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, ods_name_len(a), a);
    ldns_rdf *y = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, ods_name_len(b), b);
    int c = ldns_dname_compare(x, y);
    ldns_rdf_deep_free(x);
    ldns_rdf_deep_free(y);
    return c;
}

/* Brute force: index of the name equal to w in set (case-insensitive), or -1. */
static long find_in(const rname_t *set, size_t n, const uint8_t *w)
{
    for (size_t i = 0; i < n; i++)
        if (ods_name_equal(set[i].wire, w))
            return (long)i;
    return -1;
}

static uint8_t expected_flags(const rname_t *set, size_t n, const uint8_t *w, const uint8_t *apex)
{
    long self = find_in(set, n, w);
    uint8_t f = self < 0 ? ODS_ZNAME_ENT : 0;
    if (ods_name_equal(w, apex))
        f |= ODS_ZNAME_APEX;
    /* occluded: a strict ancestor (at or below the apex) is a cut (not the apex) or a DNAME */
    for (const uint8_t *a = ods_name_parent(w); a && ods_name_is_subdomain(a, apex);
         a = ods_name_parent(a)) {
        long k = find_in(set, n, a);
        if (k >= 0 && (set[k].kind == 2 || ((set[k].kind & 1) && !ods_name_equal(a, apex))))
            return f | ODS_ZNAME_OCCLUDED;
    }
    if (self >= 0 && set[self].kind == 2)
        f |= ODS_ZNAME_DNAME;
    if (self >= 0 && (set[self].kind & 1) && !(f & ODS_ZNAME_APEX))
        f |= ODS_ZNAME_DELEG;
    return f;
}

static void write_random_zone(const char *file, rname_t *set, size_t *n, const uint8_t *apex)
{
    FILE *f = fopen(dt_path(file), "w");
    fprintf(f, "$TTL 60\n%s SOA ns1 host 1 2 3 4 5\n%s NS ns1.example.\n", dt_ntext(apex),
            dt_ntext(apex));
    memcpy(set[0].wire, apex, ods_name_len(apex));
    set[0].kind = 1;
    *n = 1;
    for (size_t i = 1; i < NNAMES; i++) {
        uint8_t w[255], cased[255];
        if (i > 10 && dt_below(10) == 0) /* the same name again, in another case */
            memcpy(w, set[dt_below((unsigned)*n)].wire, 255);
        else if (i > 10 && dt_below(4) == 0) { /* below an existing name */
            uint8_t lab[70];
            size_t ll = rand_label(lab);
            const uint8_t *base = set[dt_below((unsigned)*n)].wire;
            if (ll + ods_name_len(base) > 255)
                continue;
            memcpy(w, lab, ll);
            memcpy(w + ll, base, ods_name_len(base));
        } else {
            rand_name_below(w, apex);
        }
        recase(cased, w);
        long k = find_in(set, *n, w);
        if (k < 0) {
            k = (long)(*n)++;
            memcpy(set[k].wire, w, ods_name_len(w));
            set[k].kind = ods_name_equal(w, apex) ? 1
                          : (int)dt_below(10) < 6 ? 0
                                                  : (int)dt_below(4);
        }
        const char *t = dt_ntext(cased);
        switch (set[k].kind) {
        case 0:
            fprintf(f, "%s A 192.0.2.%u\n", t, dt_below(256));
            break;
        case 1:
            fprintf(f, "%s NS ns.example.net.\n", t);
            break;
        case 2:
            fprintf(f, "%s DNAME example.net.\n", t);
            break;
        default:
            fprintf(f, "%s NS ns.example.net.\n%s DS 1 13 2 abcd\n", t, t);
            break;
        }
    }
    fclose(f);
}

static void test_random_zone(void)
{
    const uint8_t *apex = dt_name("Zone.Example.");
    uint8_t apexw[255];
    memcpy(apexw, apex, ods_name_len(apex));
    rname_t *set = calloc(NNAMES, sizeof(*set));
    size_t n;
    write_random_zone("random.zone", set, &n, apexw);
    ods_zone_t *z = ods_zone_new(apexw);
    dt_read_t res;
    dt_zone_load(z, dt_path("random.zone"), &res);
    if (!ok(res.rc == 0, "random zone of %zu names loads", n))
        printf("#   %s\n", res.err);
    size_t count = ods_zone_count(z);
    /* canonical order, strictly increasing by ldns's comparison */
    size_t bad_order = 0;
    for (size_t i = 1; i < count; i++)
        if (ldns_cmp_wire(ods_zone_name(z, i - 1)->owner, ods_zone_name(z, i)->owner) >= 0)
            bad_order++;
    ok(count > 0 && bad_order == 0, "%zu names in strictly increasing ldns_dname_compare order",
       count);
    /* every name present; ENTs exactly the missing ancestors */
    size_t missing = 0, ents = 0, bad_ent = 0, bad_flags = 0, bad_index = 0;
    for (size_t i = 0; i < n; i++)
        if (ods_zone_find(z, set[i].wire) == NULL)
            missing++;
    for (size_t i = 0; i < count; i++) {
        ods_zname_t *zn = ods_zone_name(z, i);
        long k = find_in(set, n, zn->owner);
        bool is_ent = k < 0;
        ents += is_ent;
        /* an ENT must be a strict ancestor of some name, below the apex */
        if (is_ent) {
            bool anc = false;
            for (size_t j = 0; j < n && !anc; j++)
                anc = ods_name_is_below(set[j].wire, zn->owner);
            bad_ent += !anc || !ods_name_is_below(zn->owner, apexw) || zn->nrrsets != 0;
        }
        uint8_t want = expected_flags(set, n, zn->owner, apexw);
        if (zn->flags != want && bad_flags++ < 5)
            printf("# %s: flags %02x, want %02x\n", dt_ntext(zn->owner), zn->flags, want);
        bad_index += zn->index != i;
    }
    /* brute-force count of ENTs: distinct ancestors below the apex not in the set */
    size_t want_ents = 0;
    rname_t *anc = calloc(NNAMES * 8, sizeof(*anc));
    for (size_t i = 0; i < n; i++)
        for (const uint8_t *a = ods_name_parent(set[i].wire); a && ods_name_is_below(a, apexw);
             a = ods_name_parent(a))
            if (find_in(set, n, a) < 0 && find_in(anc, want_ents, a) < 0)
                memcpy(anc[want_ents++].wire, a, ods_name_len(a));
    free(anc);
    ok(missing == 0, "every name of the file is in the zone (%zu missing)", missing);
    ok(count == n + want_ents && ents == want_ents && bad_ent == 0,
       "ENTs exactly where needed: %zu (brute force %zu), %zu names in all", ents, want_ents,
       count);
    ok(bad_flags == 0, "apex/delegation/occluded/DNAME flags equal the brute force (%zu differ)",
       bad_flags);
    ok(bad_index == 0, "each name's index is its position");
    ok(ods_zone_apex_name(z) == ods_zone_name(z, 0), "the apex is the first name");
    /* look-up in any case; absent names */
    size_t bad_find = 0;
    for (size_t i = 0; i < count; i++) {
        uint8_t cased[255];
        recase(cased, ods_zone_name(z, i)->owner);
        bad_find += ods_zone_find(z, cased) != ods_zone_name(z, i);
    }
    size_t false_hits = 0;
    for (int i = 0; i < 2000; i++) {
        uint8_t w[255];
        rand_name_below(w, apexw);
        long k = find_in(set, n, w);
        ods_zname_t *got = ods_zone_find(z, w);
        if (k < 0 && got != NULL && !(got->flags & ODS_ZNAME_ENT))
            false_hits++;
        if (k >= 0 && got == NULL)
            false_hits++;
    }
    ok(bad_find == 0 && false_hits == 0,
       "ods_zone_find finds every name in any case, and no other");
    ok(ods_zone_find(z, dt_name("example.")) == NULL, "a name above the apex is not found");
    ods_zone_free(z);
    free(set);
}

/* Hand-made classification: glue below cuts, nested cuts, DNAME, wildcards. */
static void test_classify(void)
{
    dt_read_t res;
    ods_zone_t *z = load_text("classify.zone", "example.",
                              HEADER "deleg NS ns.deleg\nns.deleg A 192.0.2.1\n"
                                     "deep.ns.deleg A 192.0.2.2\nsub.deleg NS x\n"
                                     "x.sub.deleg A 192.0.2.3\ndeleg2 NS ns.other.\n"
                                     "deleg2 DS 1 13 2 abcd\na.b.deleg3 NS ns.other.\n"
                                     "dn DNAME target.\nbelow.dn A 192.0.2.4\n"
                                     "x.y.dn A 192.0.2.5\nwww A 192.0.2.6\n"
                                     "*.wild A 192.0.2.7\n",
                              &res);
    static const struct {
        const char *name;
        uint8_t flags;
    } want[] = {
        { "example.", ODS_ZNAME_APEX },
        { "b.deleg3.example.", ODS_ZNAME_ENT },
        { "deleg3.example.", ODS_ZNAME_ENT },
        { "a.b.deleg3.example.", ODS_ZNAME_DELEG },
        { "deleg.example.", ODS_ZNAME_DELEG },
        { "ns.deleg.example.", ODS_ZNAME_OCCLUDED },
        { "deep.ns.deleg.example.", ODS_ZNAME_OCCLUDED },
        { "sub.deleg.example.", ODS_ZNAME_OCCLUDED },
        { "x.sub.deleg.example.", ODS_ZNAME_OCCLUDED },
        { "deleg2.example.", ODS_ZNAME_DELEG },
        { "dn.example.", ODS_ZNAME_DNAME },
        { "below.dn.example.", ODS_ZNAME_OCCLUDED },
        { "y.dn.example.", ODS_ZNAME_OCCLUDED | ODS_ZNAME_ENT },
        { "x.y.dn.example.", ODS_ZNAME_OCCLUDED },
        { "ns1.example.", 0 },
        { "wild.example.", ODS_ZNAME_ENT },
        { "*.wild.example.", 0 },
        { "www.example.", 0 },
    };
    ok(res.rc == 0, "classification zone loads (%s)", res.err);
    is_int(ods_zone_count(z), sizeof(want) / sizeof(want[0]), "name count");
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ods_zname_t *n = ods_zone_find(z, dt_name(want[i].name));
        ok(n && n->flags == want[i].flags, "%s: flags %02x (got %02x)", want[i].name, want[i].flags,
           n ? n->flags : 0xff);
    }
    ods_zone_free(z);

    /* DNAME at the apex occludes the whole zone below it */
    z = load_text("dname-apex.zone", "example.",
                  HEADER "@ DNAME other.\nx A 192.0.2.1\na.b A 192.0.2.2\n", &res);
    ods_zname_t *apex = ods_zone_apex_name(z);
    ods_zname_t *x = ods_zone_find(z, dt_name("x.example."));
    ods_zname_t *b = ods_zone_find(z, dt_name("b.example."));
    ok(res.rc == 0 && apex && apex->flags == (ODS_ZNAME_APEX | ODS_ZNAME_DNAME),
       "DNAME at the apex: apex flagged DNAME, not a cut");
    ok(x && x->flags == ODS_ZNAME_OCCLUDED, "names below an apex DNAME are occluded");
    ok(b && b->flags == (ODS_ZNAME_OCCLUDED | ODS_ZNAME_ENT), "an ENT below it too");
    ods_zone_free(z);
}

/* ---- ods_zone_set_rrset ---- */

static ods_rrsig_t *fake_sigs(ods_zone_t *z, uint16_t covered, uint16_t keytag, uint16_t n)
{
    ods_rrsig_t *sigs = ods_arena_alloc(ods_zone_arena(z), n * sizeof(*sigs));
    for (uint16_t i = 0; i < n; i++) {
        uint8_t rd[64] = { (uint8_t)(covered >> 8),
                           (uint8_t)covered,
                           13,
                           1,
                           0,
                           0,
                           1,
                           0x2c,
                           0x70,
                           0,
                           0,
                           0,
                           0x60,
                           0,
                           0,
                           0,
                           (uint8_t)(keytag >> 8),
                           (uint8_t)(keytag + i) };
        memcpy(rd + 18, "\007example\000", 9);
        memset(rd + 27, 0xab, 37);
        ods_rrsig_from_rdata(&sigs[i], ods_arena_dup(ods_zone_arena(z), rd, 64), 64);
    }
    return sigs;
}

static void test_set_rrset(void)
{
    dt_read_t res;
    ods_zone_t *z = load_text("set.zone", "example.",
                              HEADER "h A 192.0.2.1\nh A 192.0.2.2\nh MX 10 mail\n", &res);
    ods_zname_t *h = ods_zone_find(z, dt_name("h.example."));
    ods_rrset_t *a = ods_zname_rrset(h, LDNS_RR_TYPE_A);
    ods_rrset_set_sigs(a, fake_sigs(z, 1, 100, 2), 2);
    a->flags = 0;
    static const uint8_t ip1[4] = { 192, 0, 2, 1 }, ip2[4] = { 192, 0, 2, 2 },
                         ip3[4] = { 192, 0, 2, 3 };
    const uint8_t *rd[3] = { ip2, ip1, ip2 };
    uint16_t rl[3] = { 4, 4, 4 };
    /* same data (other order, a duplicate), same TTL: signatures kept */
    ok(ods_zone_set_rrset(z, h, LDNS_RR_TYPE_A, 300, rd, rl, 3) == ODS_OK, "set the same A RRset");
    a = ods_zname_rrset(h, LDNS_RR_TYPE_A);
    ok(a->nsigs == 2 && a->count == 2 && !(a->flags & ODS_RRSET_CHANGED),
       "unchanged data and TTL: signatures kept, not flagged");
    /* same data, other TTL: signatures dropped */
    ods_zone_set_rrset(z, h, LDNS_RR_TYPE_A, 301, rd, rl, 3);
    a = ods_zname_rrset(h, LDNS_RR_TYPE_A);
    ok(a->nsigs == 0 && a->ttl == 301 && (a->flags & ODS_RRSET_CHANGED),
       "a new TTL drops the signatures and flags the RRset");
    ods_rrset_set_sigs(a, fake_sigs(z, 1, 200, 1), 1);
    a->flags = 0;
    rd[0] = ip3;
    ods_zone_set_rrset(z, h, LDNS_RR_TYPE_A, 301, rd, rl, 2);
    a = ods_zname_rrset(h, LDNS_RR_TYPE_A);
    uint32_t off = 0;
    const uint8_t *d1 = NULL, *d2 = NULL;
    uint16_t l1 = 0, l2 = 0;
    ods_rrset_next(a, &off, &d1, &l1);
    ods_rrset_next(a, &off, &d2, &l2);
    ok(a->nsigs == 0 && (a->flags & ODS_RRSET_CHANGED) && a->count == 2 && l1 == 4 &&
           memcmp(d1, ip1, 4) == 0 && memcmp(d2, ip3, 4) == 0,
       "new data: signatures dropped, records in canonical order");
    /* add a type between A and MX; remove MX; removing an absent type is a no-op */
    static const uint8_t txt[] = { 3, 'a', 'b', 'c' };
    const uint8_t *trd = txt;
    uint16_t tl = sizeof(txt);
    ods_zone_set_rrset(z, h, LDNS_RR_TYPE_NS, 60, &trd, &tl, 0);
    ok(ods_zone_set_rrset(z, h, LDNS_RR_TYPE_HINFO, 60, &trd, &tl, 1) == ODS_OK &&
           h->nrrsets == 3 && h->rrsets[0].type == LDNS_RR_TYPE_A &&
           h->rrsets[1].type == LDNS_RR_TYPE_HINFO && h->rrsets[2].type == LDNS_RR_TYPE_MX &&
           (h->rrsets[1].flags & ODS_RRSET_CHANGED),
       "a new RRset is inserted in type order and flagged");
    ods_zone_set_rrset(z, h, LDNS_RR_TYPE_MX, 0, NULL, NULL, 0);
    ok(h->nrrsets == 2 && ods_zname_rrset(h, LDNS_RR_TYPE_MX) == NULL &&
           ods_zname_rrset(h, LDNS_RR_TYPE_A) != NULL && ods_zname_rrset(h, LDNS_RR_TYPE_HINFO),
       "count 0 removes the RRset");
    ok(ods_zone_set_rrset(z, h, LDNS_RR_TYPE_MX, 0, NULL, NULL, 0) == ODS_OK && h->nrrsets == 2,
       "removing an absent RRset is a no-op");
    static const uint8_t badmx[] = { 0, 10, 5, 'a' };
    const uint8_t *brd = badmx;
    uint16_t bl = sizeof(badmx);
    ok(ods_zone_set_rrset(z, h, LDNS_RR_TYPE_MX, 60, &brd, &bl, 1) < 0 && h->nrrsets == 2,
       "malformed MX data is refused and changes nothing");
    ods_zone_free(z);
}

/* ---- adoption of signatures ---- */

static void sign_all(ods_zone_t *z)
{
    for (size_t i = 0; i < ods_zone_count(z); i++) {
        ods_zname_t *n = ods_zone_name(z, i);
        for (uint16_t k = 0; k < n->nrrsets; k++) {
            ods_rrset_set_sigs(&n->rrsets[k], fake_sigs(z, n->rrsets[k].type, (uint16_t)i, 2), 2);
            n->rrsets[k].flags = 0;
        }
    }
    for (size_t i = 0; i < ods_zone_nsec3_count(z); i++) {
        ods_znsec3_t *r = ods_zone_nsec3(z, i);
        ods_rrset_set_sigs(&r->rrset, fake_sigs(z, LDNS_RR_TYPE_NSEC3, (uint16_t)(i + 7), 1), 1);
        r->rrset.flags = 0;
    }
}

static const char *const old_body = "a A 192.0.2.1\nb A 192.0.2.2\nc TXT \"same\"\n"
                                    "d 60 A 192.0.2.4\ne A 192.0.2.5\nf MX 1 mail\n"
                                    "gone A 192.0.2.9\nsub.x A 192.0.2.10\n";
static const char *const new_body = "a A 192.0.2.1\nb A 192.0.2.22\nc TXT \"same\"\n"
                                    "d 61 A 192.0.2.4\ne A 192.0.2.5\ne AAAA ::1\nf MX 1 mail\n"
                                    "new A 192.0.2.11\nsub.x A 192.0.2.10\n";

static bool same_sigs(const ods_rrset_t *a, const ods_rrset_t *b)
{
    if (a->nsigs != b->nsigs)
        return false;
    for (uint16_t i = 0; i < a->nsigs; i++)
        if (a->sigs[i].len != b->sigs[i].len ||
            memcmp(a->sigs[i].rdata, b->sigs[i].rdata, a->sigs[i].len) != 0 ||
            a->sigs[i].keytag != b->sigs[i].keytag)
            return false;
    return true;
}

static void test_adopt(void)
{
    char text[4096];
    dt_read_t r1, r2;
    snprintf(text, sizeof(text), HEADER "%s", old_body);
    ods_zone_t *old = load_text("old.zone", "example.", text, &r1);
    snprintf(text, sizeof(text), HEADER "%s", new_body);
    ods_zone_t *cur = load_text("new.zone", "example.", text, &r2);
    ok(r1.rc == 0 && r2.rc == 0, "old and new zones load");
    ods_nsec3_params_t p = { ODS_NSEC3_SHA1, 0, 0, 0, NULL };
    ods_denial_nsec3(old, &p, false, 300, NULL, NULL);
    ods_denial_nsec3(cur, &p, false, 300, NULL, NULL);
    sign_all(old);
    /* expected outcome, by brute force over the two zones */
    size_t want_adopt = 0, nsec3_same = 0;
    for (size_t i = 0; i < ods_zone_count(cur); i++) {
        ods_zname_t *n = ods_zone_name(cur, i), *o = ods_zone_find(old, n->owner);
        for (uint16_t k = 0; k < n->nrrsets; k++) {
            ods_rrset_t *s = &n->rrsets[k], *os = o ? ods_zname_rrset(o, s->type) : NULL;
            want_adopt += os && os->ttl == s->ttl && os->rdlen == s->rdlen &&
                          memcmp(os->rdata, s->rdata, s->rdlen) == 0;
        }
    }
    for (size_t i = 0; i < ods_zone_nsec3_count(cur); i++)
        for (size_t j = 0; j < ods_zone_nsec3_count(old); j++) {
            ods_znsec3_t *a = ods_zone_nsec3(cur, i), *b = ods_zone_nsec3(old, j);
            nsec3_same += memcmp(a->hash, b->hash, 20) == 0 && a->rrset.rdlen == b->rrset.rdlen &&
                          memcmp(a->rrset.rdata, b->rrset.rdata, a->rrset.rdlen) == 0;
        }
    size_t adopted = 0;
    ok(ods_zone_adopt_signatures(cur, old, &adopted) == ODS_OK, "adopt signatures");
    is_int(adopted, want_adopt + nsec3_same, "adopted = unchanged RRsets %zu + NSEC3 %zu",
           want_adopt, nsec3_same);
    ok(nsec3_same > 0 && nsec3_same < ods_zone_nsec3_count(cur),
       "some NSEC3 records are unchanged, some changed (%zu of %zu)", nsec3_same,
       ods_zone_nsec3_count(cur));
    /* per-RRset outcome, checked after the old zone is gone (the copies must be deep) */
    static const struct {
        const char *name;
        uint16_t type;
        bool changed;
    } want[] = {
        { "a.example.", LDNS_RR_TYPE_A, false },     { "b.example.", LDNS_RR_TYPE_A, true },
        { "c.example.", LDNS_RR_TYPE_TXT, false },   { "d.example.", LDNS_RR_TYPE_A, true },
        { "e.example.", LDNS_RR_TYPE_A, false },     { "e.example.", LDNS_RR_TYPE_AAAA, true },
        { "f.example.", LDNS_RR_TYPE_MX, false },    { "new.example.", LDNS_RR_TYPE_A, true },
        { "sub.x.example.", LDNS_RR_TYPE_A, false }, { "example.", LDNS_RR_TYPE_SOA, false },
    };
    ods_rrsig_t copies[16][2];
    uint16_t ncopies[16];
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ods_zname_t *o = ods_zone_find(old, dt_name(want[i].name));
        ods_rrset_t *os = o ? ods_zname_rrset(o, want[i].type) : NULL;
        ncopies[i] = os ? os->nsigs : 0;
        for (uint16_t k = 0; k < ncopies[i] && k < 2; k++) {
            copies[i][k] = os->sigs[k];
            copies[i][k].rdata =
                memcpy(malloc(os->sigs[k].len), os->sigs[k].rdata, os->sigs[k].len);
        }
    }
    ods_zone_free(old);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ods_rrset_t *s = ods_zname_rrset(ods_zone_find(cur, dt_name(want[i].name)), want[i].type);
        ods_rrset_t ref = { .nsigs = want[i].changed ? 0 : ncopies[i], .sigs = copies[i] };
        ok(s && !!(s->flags & ODS_RRSET_CHANGED) == want[i].changed && same_sigs(s, &ref),
           "%s type %u: %s", want[i].name, want[i].type,
           want[i].changed ? "flagged changed, no signatures" : "signatures adopted");
        for (uint16_t k = 0; k < ncopies[i] && k < 2; k++)
            free((void *)copies[i][k].rdata);
    }
    size_t n3_flag_ok = 0;
    for (size_t i = 0; i < ods_zone_nsec3_count(cur); i++) {
        ods_znsec3_t *r = ods_zone_nsec3(cur, i);
        bool changed = r->rrset.flags & ODS_RRSET_CHANGED;
        n3_flag_ok += changed ? r->rrset.nsigs == 0 : r->rrset.nsigs == 1;
    }
    ok(n3_flag_ok == ods_zone_nsec3_count(cur),
       "NSEC3 records: unchanged ones keep their signature, changed ones are flagged");
    ods_zone_free(cur);
}

int main(void)
{
    dt_seed();
    test_load_errors();
    test_load_warnings();
    test_random_zone();
    test_classify();
    test_set_rrset();
    test_adopt();
    dt_cleanup();
    return tap_done();
}
