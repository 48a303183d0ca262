/*
 * Unit tests for the writer (dns/rdprint, dns/zwrite) and the signed
 * read-back (ods_zone_load_signed):
 *  - every record of the reader's corpus printed by us reads back to the same
 *    wire data, with our reader and with ldns;
 *  - a written zone, canonicalised by ldns-read-zone -c, equals the input;
 *    named-checkzone accepts it;
 *  - a zone signed by ldns-signzone (NSEC and NSEC3), read back: every RRSIG
 *    on its RRset, NSEC3 records in the NSEC3 list; written again it equals
 *    ldns-signzone's file record for record.
 * Also prints (never asserts) the load speed on a 100k-name gen-zone tld zone.
 */
#include "tap.h"
#include "helpers.h"

#include "dns/rdprint.h"
#include "dns/zone.h"
#include "dns/zwrite.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *src_root(void)
{
    return getenv("ODS_SOURCE_ROOT") ? getenv("ODS_SOURCE_ROOT") : "..";
}

/* Each corpus record: read, print, read again (ours and ldns): same wire. */
static void test_print_roundtrip(void)
{
    size_t bad = 0, bad_ldns = 0;
    for (size_t i = 0; i < dt_corpus_len; i++) {
        char text[2048];
        snprintf(text, sizeof(text), "$ORIGIN example.\n$TTL 300\n%s\n", dt_corpus[i]);
        dt_read_t a, b;
        dt_read_file(dt_write("rt1.zone", text), "example.", &a);
        if (a.rc != 0 || a.n != 1) {
            ok(0, "corpus record %s reads", dt_corpus[i]);
            dt_read_free(&a);
            continue;
        }
        ods_buf_t line = ODS_BUF_INIT;
        ods_rr_append_text(&line, a.rr[0].owner, a.rr[0].ttl, a.rr[0].type, a.rr[0].rdata,
                           a.rr[0].rdlen);
        dt_read_file(dt_write("rt2.zone", ods_buf_cstr(&line)), "example.", &b);
        bool same = b.rc == 0 && b.n == 1 && b.rr[0].type == a.rr[0].type &&
                    b.rr[0].rdlen == a.rr[0].rdlen &&
                    memcmp(b.rr[0].rdata, a.rr[0].rdata, a.rr[0].rdlen) == 0 &&
                    ods_name_equal(b.rr[0].owner, a.rr[0].owner) && b.rr[0].ttl == a.rr[0].ttl;
        if (!same && bad++ < 5)
            printf("# %s printed as %s#   read back: %s\n", dt_corpus[i], ods_buf_cstr(&line),
                   b.err);
        dt_rr_t ref;
        char why[200];
        line.data[line.len - 1] = '\0'; /* no newline for ldns */
        if (!dt_ldns_rr(ods_buf_cstr(&line), ".", 0, &ref, why, sizeof(why))) {
            if (bad_ldns++ < 5)
                printf("# ldns cannot read our %s (%s)\n", ods_buf_cstr(&line), why);
        } else {
            if (ref.rdlen != a.rr[0].rdlen || memcmp(ref.rdata, a.rr[0].rdata, ref.rdlen) != 0)
                if (bad_ldns++ < 5)
                    printf("# ldns reads our %s differently\n", ods_buf_cstr(&line));
            free(ref.rdata);
        }
        ods_buf_free(&line);
        dt_read_free(&a);
        dt_read_free(&b);
    }
    ok(bad == 0, "%zu corpus records printed and read back by us: same data (%zu differ)",
       dt_corpus_len, bad);
    ok(bad_ldns == 0, "and by ldns (%zu differ)", bad_ldns);

    /* data ldns cannot show completely comes out in the RFC 3597 form */
    static const uint8_t caa_empty[] = { 0, 5, 'i', 's', 's', 'u', 'e' };
    static const uint8_t a_short[] = { 1, 2, 3 };
    ods_buf_t out = ODS_BUF_INIT;
    ods_rdata_append_text(&out, LDNS_RR_TYPE_CAA, caa_empty, sizeof(caa_empty));
    ods_buf_append_u8(&out, '|');
    ods_rdata_append_text(&out, LDNS_RR_TYPE_A, a_short, sizeof(a_short));
    ods_buf_append_u8(&out, '|');
    ods_rdata_append_text(&out, LDNS_RR_TYPE_TXT, NULL, 0);
    ods_buf_append_u8(&out, '|');
    ods_rdata_append_text(&out, LDNS_RR_TYPE_MX, (const uint8_t *)"\0\1\0\1", 4);
    is_str(ods_buf_cstr(&out), "\\# 7 00056973737565|\\# 3 010203|\\# 0|\\# 4 00010001",
           "RDATA without a complete text form is printed as \\# length hex");
    ods_buf_free(&out);
}

/* RRSIG times (computed without gmtime) equal strftime's, over the whole 32-bit range. */
static void test_rrsig_times(void)
{
    uint8_t rd[18 + 1 + 4] = { 0, 1, 13, 2, 0, 0, 14, 16 }; /* A, alg 13, 2 labels, TTL 3600 */
    rd[18] = 0;                                             /* signer: the root */
    size_t bad = 0;
    uint64_t x = 88172645463325252ull;
    static const uint32_t edges[] = { 0,          59,         86399,      86400,      951782400,
                                      951868800,  4107542399, 4107542400, 4294967295, 1709164800,
                                      1709251199, 1740787200, 2147483647, 2147483648 };
    for (size_t i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t t = i < sizeof(edges) / sizeof(edges[0]) ? edges[i] : (uint32_t)x;
        for (int k = 0; k < 4; k++) {
            rd[8 + k] = (uint8_t)(t >> (24 - 8 * k));
            rd[12 + k] = (uint8_t)(t >> (24 - 8 * k));
        }
        ods_buf_t out = ODS_BUF_INIT;
        ods_rdata_append_text(&out, LDNS_RR_TYPE_RRSIG, rd, 19);
        time_t tt = (time_t)t;
        struct tm tm;
        char want[32], line[128];
        gmtime_r(&tt, &tm);
        strftime(want, sizeof(want), "%Y%m%d%H%M%S", &tm);
        snprintf(line, sizeof(line), "A 13 2 3600 %s %s 0 .", want, want);
        if (strncmp(ods_buf_cstr(&out), line, strlen(line)) != 0 && bad++ < 3)
            printf("# %u printed as %s, want %s\n", t, ods_buf_cstr(&out), line);
        ods_buf_free(&out);
    }
    ok(bad == 0, "RRSIG times print as strftime does, 20000 values from 1970 to 2106 (%zu differ)",
       bad);
}

/* ldns-read-zone -c of a file, sorted lines (malloc'd). */
static char *ldns_canonical(const char *path)
{
    char cmd[2400], *out = NULL;
    snprintf(cmd, sizeof(cmd), "ldns-read-zone -c -z '%s' 2>/dev/null | grep -v '^;' | sort", path);
    if (dt_run(cmd, &out) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static int write_zone(const ods_zone_t *z, const char *path, size_t *nrr)
{
    FILE *f = fopen(path, "w");
    ods_err_t err = { 0 };
    int rc = f ? ods_zone_write(z, f, nrr, &err) : ODS_EIO;
    if (f && fclose(f) != 0)
        rc = ODS_EIO;
    if (rc != ODS_OK)
        printf("# write: %s\n", err.msg);
    return rc;
}

static void diff_first(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    size_t ls = i;
    while (ls > 0 && a[ls - 1] != '\n')
        ls--;
    printf("#   ours: %.*s\n#   ref:  %.*s\n", (int)strcspn(a + ls, "\n"), a + ls,
           (int)strcspn(b + ls, "\n"), b + ls);
}

static const char *const tricky =
    "$ORIGIN example.\n$TTL 300\n"
    "@ SOA ns1 host 1 3600 900 604800 300\n@ NS ns1\nns1 A 192.0.2.53\n"
    "insecure NS ns.other.\nsecure NS ns.secure\n"
    "secure DS 1 13 2 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6\n"
    "ns.secure A 192.0.2.1\nx.y.ent A 192.0.2.2\n*.wild A 192.0.2.3\n"
    "dn DNAME target.\nalias CNAME www\nwww A 192.0.2.4\n"
    "t TXT \"a\\\"b\" \"\\000\\255;()\" \"\"\nt TYPE65280 \\# 3 010203\n"
    "t CAA 0 issue \"letsencrypt.org\"\nt SSHFP 1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac\n"
    "t HINFO \"PC\" \"Linux\"\nt LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m\n"
    "t NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .\n"
    "t HTTPS 1 . alpn=h2\nt URI 10 1 \"https://x\"\nt SRV 1 2 3 www\nt MX 10 www\n"
    "we\\.ird\\ na\\@me\\000 A 192.0.2.5\nUpper.Case AAAA 2001:db8::1\n";

static void test_write_zone(const char *label, const char *path, const char *origin)
{
    ods_zone_t *z = ods_zone_new(dt_name(origin));
    dt_read_t res;
    dt_zone_load(z, path, &res);
    ok(res.rc == 0, "%s: loads (%s)", label, res.err);
    char out[1100];
    snprintf(out, sizeof(out), "%s.out", path);
    size_t nrr = 0;
    int wrc = write_zone(z, out, &nrr);
    ok(wrc == ODS_OK && nrr > 0, "%s: written, %zu records", label, nrr);
    char *want = ldns_canonical(path), *got = ldns_canonical(out);
    bool same = want && got && strcmp(want, got) == 0;
    if (!ok(same, "%s: ldns-read-zone -c of the output equals that of the input", label) && want &&
        got)
        diff_first(got, want);
    free(want);
    free(got);
    /* our reader on our output: the same records as the zone holds */
    dt_read_t back;
    dt_read_file(out, origin, &back);
    size_t bad = 0;
    for (size_t i = 0; i < back.n; i++) {
        ods_zname_t *n = ods_zone_find(z, back.rr[i].owner);
        ods_rrset_t *s = n ? ods_zname_rrset(n, back.rr[i].type) : NULL;
        uint32_t off = 0;
        const uint8_t *rd;
        uint16_t l;
        bool found = false;
        while (s && !found && ods_rrset_next(s, &off, &rd, &l))
            found = l == back.rr[i].rdlen && memcmp(rd, back.rr[i].rdata, l) == 0;
        bad += !found || s->ttl != back.rr[i].ttl;
    }
    ok(back.rc == 0 && back.n == nrr && bad == 0,
       "%s: our reader reads back %zu records, each in the zone (%zu not)", label, back.n, bad);
    dt_read_free(&back);
    if (dt_have("named-checkzone")) {
        char cmd[2400], *msg = NULL;
        snprintf(cmd, sizeof(cmd), "named-checkzone -k ignore -i none %s '%s'", origin, out);
        int st = dt_run(cmd, &msg);
        if (!ok(st == 0, "%s: named-checkzone accepts our output", label))
            printf("# %s\n", msg ? msg : "");
        free(msg);
    }
    ods_zone_free(z);
}

/* ---- signed read-back ---- */

static char key_base[256];

static bool keygen(void)
{
    char cmd[600], *out = NULL;
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && ldns-keygen -a ECDSAP256SHA256 -r /dev/urandom example. 2>/dev/null",
             dt_dir());
    int st = dt_run(cmd, &out);
    if (st == 0 && out)
        snprintf(key_base, sizeof(key_base), "%.*s", (int)strcspn(out, "\n"), out);
    free(out);
    return st == 0;
}

typedef struct sigcount {
    size_t rrsig, nsec3, rrsig_nsec3;
} sigcount_t;

static bool count_signed(const char *path, sigcount_t *c)
{
    FILE *f = fopen(path, "r");
    ldns_zone *lz = NULL;
    ldns_status st =
        f ? ldns_zone_new_frm_fp(&lz, f, NULL, 0, LDNS_RR_CLASS_IN) : LDNS_STATUS_FILE_ERR;
    if (f)
        fclose(f);
    if (st != LDNS_STATUS_OK)
        return false;
    memset(c, 0, sizeof(*c));
    ldns_rr_list *l = ldns_zone_rrs(lz);
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC3)
            c->nsec3++;
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG) {
            c->rrsig++;
            c->rrsig_nsec3 += ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == LDNS_RR_TYPE_NSEC3;
        }
    }
    ldns_zone_deep_free(lz);
    return true;
}

/* Every signature covers its RRset's type and names the owner's label count. */
static size_t bad_sigs(const ods_rrset_t *s, const uint8_t *owner)
{
    size_t bad = 0;
    for (uint16_t i = 0; i < s->nsigs; i++) {
        const uint8_t *rd = s->sigs[i].rdata;
        bad += (uint16_t)(rd[0] << 8 | rd[1]) != s->type || rd[3] != ods_name_rrsig_labels(owner);
    }
    return bad;
}

static void test_load_signed(const char *label, const char *path, const char *opts)
{
    static int seq;
    char signed_path[1100], cmd[2600], *msg = NULL;
    snprintf(signed_path, sizeof(signed_path), "%s.%d.signed", path, seq++);
    snprintf(cmd, sizeof(cmd), "cd '%s' && ldns-signzone -o example. -f '%s' %s '%s' %s", dt_dir(),
             signed_path, opts, path, key_base);
    if (!ok(dt_run(cmd, &msg) == 0, "%s: ldns-signzone %s", label, opts))
        printf("# %s\n", msg ? msg : "");
    free(msg);
    sigcount_t c;
    ok(count_signed(signed_path, &c), "%s: ldns reads the signed file", label);
    ods_zone_t *z = ods_zone_new(dt_name("example."));
    ods_err_t err = { 0 };
    int rc = ods_zone_load_signed(z, signed_path, &err);
    ok(rc == ODS_OK, "%s: ods_zone_load_signed (%s)", label, err.msg);
    size_t sigs = 0, sigs3 = 0, bad = 0, rrsig_sets = 0, unsigned_auth = 0, hashed_names = 0;
    for (size_t i = 0; i < ods_zone_count(z); i++) {
        ods_zname_t *n = ods_zone_name(z, i);
        for (uint16_t k = 0; k < n->nrrsets; k++) {
            ods_rrset_t *s = &n->rrsets[k];
            sigs += s->nsigs;
            bad += bad_sigs(s, n->owner);
            rrsig_sets += s->type == LDNS_RR_TYPE_RRSIG;
            bool deleg_ns = (n->flags & ODS_ZNAME_DELEG) && s->type == LDNS_RR_TYPE_NS;
            unsigned_auth += s->nsigs == 0 && !(n->flags & ODS_ZNAME_OCCLUDED) && !deleg_ns;
        }
        uint8_t h[32];
        size_t hl;
        hashed_names +=
            ods_name_labels(n->owner) == 2 && n->owner[0] == 32 &&
            ods_base32hex_decode((const char *)n->owner + 1, 32, h, sizeof(h), &hl) == ODS_OK;
    }
    size_t bad3 = 0;
    for (size_t i = 0; i < ods_zone_nsec3_count(z); i++) {
        ods_znsec3_t *r = ods_zone_nsec3(z, i);
        uint8_t owner[255];
        size_t ol;
        ods_nsec3_owner(r->hash, 20, ods_zone_apex(z), owner, &ol);
        sigs3 += r->rrset.nsigs;
        bad3 += r->rrset.type != LDNS_RR_TYPE_NSEC3 || r->rrset.count != 1 ||
                bad_sigs(&r->rrset, owner) ||
                (i > 0 && memcmp(ods_zone_nsec3(z, i - 1)->hash, r->hash, 20) >= 0);
    }
    ok(rrsig_sets == 0 && bad == 0 && unsigned_auth == 0,
       "%s: every RRSIG on the RRset of its type; every authoritative RRset signed", label);
    is_int(sigs + sigs3, c.rrsig, "%s: all %zu RRSIGs attached", label, c.rrsig);
    ok(ods_zone_nsec3_count(z) == c.nsec3 && sigs3 == c.rrsig_nsec3 && bad3 == 0 &&
           hashed_names == 0,
       "%s: %zu NSEC3 records in the NSEC3 list (hash order, signed), none among the names", label,
       c.nsec3);
    /* written back, it is the same zone as ldns-signzone's */
    char out[1200];
    snprintf(out, sizeof(out), "%s.out", signed_path);
    write_zone(z, out, NULL);
    char *want = ldns_canonical(signed_path), *got = ldns_canonical(out);
    bool same = want && got && strcmp(want, got) == 0;
    if (!ok(same, "%s: written back, equal to ldns-signzone's file (ldns-read-zone -c)", label) &&
        want && got)
        diff_first(got, want);
    free(want);
    free(got);
    ods_zone_free(z);
}

static void measure_load(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "%s/../shared/tools/gen-zone bench.example 100000 --kind tld > '%s'",
             src_root(), dt_path("bench.zone"));
    if (dt_run(cmd, NULL) != 0) {
        tap_diag("gen-zone failed: no load figures");
        return;
    }
    struct timespec t0, t1, t2;
    ods_zone_t *z = ods_zone_new(dt_name("bench.example."));
    dt_read_t res;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dt_zone_load(z, dt_path("bench.zone"), &res);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    FILE *f = fopen("/dev/null", "w");
    size_t nrr = 0;
    ods_zone_write(z, f, &nrr, NULL);
    fclose(f);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    double load = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double wr = (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9;
    ok(res.rc == 0, "100k-name tld zone loads (%s)", res.err);
    tap_diag("load speed, gen-zone tld 100k names (%zu names with ENTs, %zu records): load %.2f s "
             "(%.0f records/s), write %.2f s, zone memory %.1f MB%s",
             ods_zone_count(z), nrr, load, (double)nrr / load, wr, (double)ods_zone_memory(z) / 1e6,
#if defined(__SANITIZE_ADDRESS__)
             " (ASan build: slower than a release build)"
#else
             ""
#endif
    );
    ods_zone_free(z);
}

int main(void)
{
    test_print_roundtrip();
    test_rrsig_times();
    char path[1100], gpath[1100], cmd[1400];
    snprintf(path, sizeof(path), "%s", dt_write("tricky.zone", tricky));
    test_write_zone("tricky", path, "example.");
    snprintf(gpath, sizeof(gpath), "%s", dt_path("gen-mixed.zone"));
    snprintf(cmd, sizeof(cmd), "%s/../shared/tools/gen-zone example. 2000 --kind mixed > '%s'",
             src_root(), gpath);
    bool gen = dt_run(cmd, NULL) == 0;
    ok(gen, "gen-zone --kind mixed");
    if (gen)
        test_write_zone("gen-zone mixed", gpath, "example.");
    if (dt_have("ldns-signzone") && keygen()) {
        test_load_signed("tricky NSEC", path, "");
        test_load_signed("tricky NSEC3", path, "-n -t 0");
        test_load_signed("tricky NSEC3 opt-out salt", path, "-n -t 1 -s abcd -p");
        if (gen) {
            test_load_signed("gen-zone mixed NSEC", gpath, "");
            test_load_signed("gen-zone mixed NSEC3", gpath, "-n -t 0");
        }
    } else {
        ok(0, "ldns-signzone and ldns-keygen are needed for the signed read-back");
    }
    measure_load();
    dt_cleanup();
    return tap_done();
}
