/*
 * Unit tests for the master-file reader (dns/zlex, dns/rdtext, dns/zreader):
 * every directive and syntax form, checked record by record (owner, type,
 * TTL, wire RDATA, file and line) against ldns as the reference parser; a
 * seeded random corpus of fast-path records in varied presentation; every
 * record of gen-zone zones against ldns's own zone reader.
 */
#include "tap.h"
#include "helpers.h"

#include "dns/rdprint.h"
#include "dns/rdtext.h"
#include "dns/zreader.h"
#include "dnssec/name.h"

#include <ldns/ldns.h>
#include <ctype.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct want {
    const char *file; /* base name */
    unsigned line;
    const char *rr; /* absolute presentation form, parsed by ldns */
} want_t;

static bool same_rr(const dt_rr_t *a, const dt_rr_t *b)
{
    return ods_name_len(a->owner) == ods_name_len(b->owner) &&
           memcmp(a->owner, b->owner, ods_name_len(a->owner)) == 0 && a->type == b->type &&
           a->ttl == b->ttl && a->rdlen == b->rdlen && memcmp(a->rdata, b->rdata, a->rdlen) == 0;
}

static void show_rr(const char *who, const dt_rr_t *r)
{
    printf("#   %-5s %s %u type %u rdata %s\n", who, dt_ntext(r->owner), r->ttl, r->type,
           dt_hex(r->rdata, r->rdlen));
}

/* Our records of a file equal the wanted ones, file:line included. */
static void check_records(const char *what, const dt_read_t *res, const want_t *want, size_t n)
{
    if (!ok(res->rc == 0, "%s: read without error", what))
        printf("#   %s\n", res->err);
    is_int(res->n, n, "%s: %zu records", what, n);
    for (size_t i = 0; i < n && i < res->n; i++) {
        dt_rr_t ref;
        char why[200];
        if (!dt_ldns_rr(want[i].rr, ".", 0, &ref, why, sizeof(why))) {
            ok(0, "%s: reference %s parses (%s)", what, want[i].rr, why);
            continue;
        }
        const dt_rr_t *got = &res->rr[i];
        char file[512];
        snprintf(file, sizeof(file), "%s", got->file);
        bool where = strcmp(basename(file), want[i].file) == 0 && got->line == want[i].line;
        if (!ok(same_rr(got, &ref) && where, "%s: record %zu is %s (%s:%u)", what, i, want[i].rr,
                want[i].file, want[i].line)) {
            show_rr("got", got);
            show_rr("want", &ref);
            printf("#   at %s:%u\n", got->file, got->line);
        }
        free(ref.rdata);
    }
}

static void test_owner_ttl_class(void)
{
    const char *path =
        dt_write("basic.zone", "$ORIGIN example.com.\n"
                               "$TTL 1h30m ; 5400\n"
                               "@   IN SOA ns1 hostmaster.example.com. 1 2h 1w 3d 1m\n"
                               "    IN NS ns1\n"
                               "    300 NS ns2.other.\n"
                               "ns1 IN 60 A 192.0.2.1\n"
                               "\tA 192.0.2.2\n"
                               "www 1W IN AAAA 2001:db8::1\n"
                               "WWW.Sub a 10.0.0.1\n"
                               "abs.example.com. in A 10.0.0.2\n"
                               "$ORIGIN sub\n"
                               "x A 10.0.0.3\n"
                               "@ TXT \"at sub\"\n"
                               "$TTL 2d\n"
                               "y IN 1d2h3m4s A 10.0.0.4\n"
                               "  A 10.0.0.5\n"
                               "z CLASS1 30 A 10.0.0.6\n"
                               "\n"
                               "; a comment line\n"
                               "   ; an indented comment line\n"
                               "   \n"
                               "  A 10.0.0.7\n"
                               ". 0 A 10.0.0.8\n");
    static const want_t want[] = {
        { "basic.zone", 3,
          "example.com. 5400 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 604800 259200 "
          "60" },
        { "basic.zone", 4, "example.com. 5400 IN NS ns1.example.com." },
        { "basic.zone", 5, "example.com. 300 IN NS ns2.other." },
        { "basic.zone", 6, "ns1.example.com. 60 IN A 192.0.2.1" },
        { "basic.zone", 7, "ns1.example.com. 5400 IN A 192.0.2.2" },
        { "basic.zone", 8, "www.example.com. 604800 IN AAAA 2001:db8::1" },
        { "basic.zone", 9, "WWW.Sub.example.com. 5400 IN A 10.0.0.1" },
        { "basic.zone", 10, "abs.example.com. 5400 IN A 10.0.0.2" },
        { "basic.zone", 12, "x.sub.example.com. 5400 IN A 10.0.0.3" },
        { "basic.zone", 13, "sub.example.com. 5400 IN TXT \"at sub\"" },
        { "basic.zone", 15, "y.sub.example.com. 93784 IN A 10.0.0.4" },
        { "basic.zone", 16, "y.sub.example.com. 172800 IN A 10.0.0.5" },
        { "basic.zone", 17, "z.sub.example.com. 30 IN A 10.0.0.6" },
        { "basic.zone", 22, "z.sub.example.com. 172800 IN A 10.0.0.7" },
        { "basic.zone", 23, ". 0 IN A 10.0.0.8" },
    };
    dt_read_t res;
    dt_read_file(path, "example.com.", &res);
    check_records("owner/TTL/class", &res, want, sizeof(want) / sizeof(want[0]));
    is_int(res.nwarn, 0, "no warnings when $TTL is given");
    dt_read_free(&res);
}

/* RFC 1035: without $TTL a record without TTL takes the last explicit one. */
static void test_no_dollar_ttl(void)
{
    const char *path = dt_write("nottl.zone", "a A 192.0.2.1\n"
                                              "b 120 A 192.0.2.2\n"
                                              "c A 192.0.2.3\n");
    static const want_t want[] = {
        { "nottl.zone", 1, "a.example. 3600 IN A 192.0.2.1" },
        { "nottl.zone", 2, "b.example. 120 IN A 192.0.2.2" },
        { "nottl.zone", 3, "c.example. 120 IN A 192.0.2.3" },
    };
    dt_read_t res;
    dt_read_file(path, "example.", &res);
    check_records("no $TTL", &res, want, 3);
    is_int(res.nwarn, 1, "one warning for the missing TTL");
    has_str(res.warn, "nottl.zone:1: no TTL and no $TTL", "the warning names file:line");
    dt_read_free(&res);
}

static void test_include(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/inc/deeper'", dt_dir());
    dt_run(cmd, NULL);
    dt_write("inc/one.zone", "; included with origin one.example.\n"
                             "@ A 192.0.2.10\n"
                             "x A 192.0.2.11\n"
                             "$INCLUDE deeper/two.zone\n"
                             "y A 192.0.2.12 ; origin restored after two.zone\n"
                             "$ORIGIN changed.example.\n"
                             "z A 192.0.2.13\n");
    dt_write("inc/deeper/two.zone", "$ORIGIN two.example.\n"
                                    "w ( A\n"
                                    "  192.0.2.20 )\n");
    dt_write("inc/three.zone", "t A 192.0.2.30\n");
    dt_write("inc/blank.zone", "  TXT \"owner from the including file\"\n");
    const char *path = dt_write("main.zone", "$ORIGIN example.\n"
                                             "$TTL 60\n"
                                             "a A 192.0.2.1\n"
                                             "$INCLUDE inc/one.zone one\n"
                                             "b A 192.0.2.2 ; origin example. again\n"
                                             "$INCLUDE \"inc/three.zone\" three.example.\n"
                                             "$INCLUDE inc/three.zone\n"
                                             "  A 192.0.2.3 ; owner from before the include\n"
                                             "$INCLUDE inc/blank.zone\n");
    static const want_t want[] = {
        { "main.zone", 3, "a.example. 60 IN A 192.0.2.1" },
        { "one.zone", 2, "one.example. 60 IN A 192.0.2.10" },
        { "one.zone", 3, "x.one.example. 60 IN A 192.0.2.11" },
        { "two.zone", 2, "w.two.example. 60 IN A 192.0.2.20" },
        { "one.zone", 5, "y.one.example. 60 IN A 192.0.2.12" },
        { "one.zone", 7, "z.changed.example. 60 IN A 192.0.2.13" },
        { "main.zone", 5, "b.example. 60 IN A 192.0.2.2" },
        { "three.zone", 1, "t.three.example. 60 IN A 192.0.2.30" },
        { "three.zone", 1, "t.example. 60 IN A 192.0.2.30" },
        { "main.zone", 8, "b.example. 60 IN A 192.0.2.3" },
        { "blank.zone", 1, "b.example. 60 IN TXT \"owner from the including file\"" },
    };
    dt_read_t res;
    dt_read_file(path, "example.", &res);
    check_records("$INCLUDE", &res, want, sizeof(want) / sizeof(want[0]));
    dt_read_free(&res);

    /* an absolute include path */
    char text[1200];
    snprintf(text, sizeof(text), "$TTL 5\n$INCLUDE %s/inc/three.zone\n", dt_dir());
    path = dt_write("abs-include.zone", text);
    static const want_t want2[] = { { "three.zone", 1, "t.example. 5 IN A 192.0.2.30" } };
    dt_read_file(path, "example.", &res);
    check_records("$INCLUDE absolute path", &res, want2, 1);
    dt_read_free(&res);
}

static void test_escapes_and_parens(void)
{
    const char *path =
        dt_write("esc.zone", "$TTL 300\n"
                             "a\\.b A 192.0.2.1\n"
                             "\\065bc A 192.0.2.2\n"
                             "sp\\ ace A 192.0.2.3\n"
                             "back\\\\slash.\\$dollar\\@at A 192.0.2.4\n"
                             "t TXT \"a\\\"b\" \"semi;colon (paren)\" x\\ y \"\\255\\000\\127\"\n"
                             "t2 TXT ( \"one\" ; comment inside\n"
                             "         \"two\" ) ; after\n"
                             "@ SOA ( ns1 ; primary\n"
                             "        host ; mail\n"
                             "        2026 ; serial\n"
                             "        3600 900 ( 604800 ) ; nested parentheses\n"
                             "        300 )\n"
                             "k DNSKEY 256 3 13 ( AQID\n"
                             "                    BAUG )\n");
    static const want_t want[] = {
        { "esc.zone", 2, "a\\.b.example. 300 IN A 192.0.2.1" },
        { "esc.zone", 3, "Abc.example. 300 IN A 192.0.2.2" },
        { "esc.zone", 4, "sp\\032ace.example. 300 IN A 192.0.2.3" },
        { "esc.zone", 5, "back\\\\slash.\\$dollar\\@at.example. 300 IN A 192.0.2.4" },
        { "esc.zone", 6,
          "t.example. 300 IN TXT \"a\\\"b\" \"semi;colon (paren)\" \"x y\" \"\\255\\000\\127\"" },
        { "esc.zone", 7, "t2.example. 300 IN TXT \"one\" \"two\"" },
        { "esc.zone", 9,
          "example. 300 IN SOA ns1.example. host.example. 2026 3600 900 604800 300" },
        { "esc.zone", 14, "k.example. 300 IN DNSKEY 256 3 13 AQIDBAUG" },
    };
    dt_read_t res;
    dt_read_file(path, "example.", &res);
    check_records("escapes and parentheses", &res, want, sizeof(want) / sizeof(want[0]));
    dt_read_free(&res);

    path =
        dt_write("crlf.zone", "$TTL 1\r\na A 192.0.2.6\r\n  TXT \"x\"\r\n\"quoted\" A 192.0.2.7\n");
    static const want_t want2[] = {
        { "crlf.zone", 2, "a.example. 1 IN A 192.0.2.6" },
        { "crlf.zone", 3, "a.example. 1 IN TXT \"x\"" },
        { "crlf.zone", 4, "quoted.example. 1 IN A 192.0.2.7" },
    };
    dt_read_file(path, "example.", &res);
    check_records("CR LF line ends, quoted owner", &res, want2, 3);
    dt_read_free(&res);
}

static void test_rfc3597(void)
{
    const char *path = dt_write("generic.zone", "$TTL 10\n"
                                                "a TYPE65280 \\# 4 0a000001\n"
                                                "b TYPE65280 \\# 0\n"
                                                "c TYPE1 \\# 4 c0000201\n"
                                                "d A \\# 4 C0000202\n"
                                                "e type1 192.0.2.3\n"
                                                "f TYPE65281 \\# 6 ( 0102 03\n"
                                                "  040506 )\n"
                                                "g CAA \\# 7 00 05 6973737565\n");
    static const want_t want[] = {
        { "generic.zone", 2, "a.example. 10 IN TYPE65280 \\# 4 0a000001" },
        { "generic.zone", 3, "b.example. 10 IN TYPE65280 \\# 0" },
        { "generic.zone", 4, "c.example. 10 IN A 192.0.2.1" },
        { "generic.zone", 5, "d.example. 10 IN A 192.0.2.2" },
        { "generic.zone", 6, "e.example. 10 IN A 192.0.2.3" },
        { "generic.zone", 7, "f.example. 10 IN TYPE65281 \\# 6 010203040506" },
        { "generic.zone", 9, "g.example. 10 IN CAA 0 issue \"\"" },
    };
    dt_read_t res;
    dt_read_file(path, "example.", &res);
    check_records("RFC 3597", &res, want, sizeof(want) / sizeof(want[0]));
    dt_read_free(&res);
}

/* Our record of one line (origin example., $TTL 300) equals ldns's. */
static void check_vs_ldns(const char *line, const char *what)
{
    size_t cap = strlen(line) + 64;
    char *text = malloc(cap);
    snprintf(text, cap, "$ORIGIN example.\n$TTL 300\n%s\n", line);
    const char *path = dt_write("corpus.zone", text);
    free(text);
    dt_read_t res;
    dt_rr_t ref;
    char why[200];
    dt_read_file(path, "example.", &res);
    bool lok = dt_ldns_rr(line, "example.", 300, &ref, why, sizeof(why));
    if (!lok) {
        ok(0, "ldns parses %s (%s)", what, why);
    } else if (!ok(res.rc == 0 && res.n == 1 && same_rr(&res.rr[0], &ref) && res.rr[0].line == 3,
                   "same as ldns: %s", what)) {
        printf("#   our error: %s\n", res.err);
        if (res.n > 0)
            show_rr("got", &res.rr[0]);
        show_rr("ldns", &ref);
    }
    if (lok)
        free(ref.rdata);
    dt_read_free(&res);
}

static void test_corpus(void)
{
    for (size_t i = 0; i < dt_corpus_len; i++)
        check_vs_ldns(dt_corpus[i], dt_corpus[i]);
}

/* The largest valid label, name and character-string. */
static void test_limits(void)
{
    char line[1200];
    size_t k = 0;
    memset(line, 'l', 63), k = 63;
    snprintf(line + k, sizeof(line) - k, " A 192.0.2.1");
    check_vs_ldns(line, "a 63-octet label");
    k = 0;
    for (int i = 0; i < 61; i++) /* 61 x 4 + 2 + 9 (example.) = 255 octets */
        k += (size_t)snprintf(line + k, sizeof(line) - k, "abc.");
    snprintf(line + k, sizeof(line) - k, "a A 192.0.2.1");
    check_vs_ldns(line, "a 255-octet owner name");
    /* one octet more: we refuse it, ldns 1.8.3 takes it */
    snprintf(line + k, sizeof(line) - k, "ab A 192.0.2.1");
    dt_read_t res;
    dt_read_file(dt_write("256.zone", line), "example.", &res);
    has_str(res.err, "is longer than 255 octets with the origin", "a 256-octet name is refused");
    dt_read_free(&res);
    dt_rr_t ref;
    char why[100];
    if (dt_ldns_rr(line, "example.", 300, &ref, why, sizeof(why))) {
        tap_diag("ldns is wrong: it accepts a relative owner name that is 256 octets with the "
                 "origin");
        free(ref.rdata);
    }
    k = (size_t)snprintf(line, sizeof(line), "t TXT \"");
    memset(line + k, 'x', 255), k += 255;
    snprintf(line + k, sizeof(line) - k, "\" \"\\255\"");
    check_vs_ldns(line, "a 255-octet TXT string");
    check_vs_ldns("t 2147483647 A 192.0.2.1", "the largest TTL");
    check_vs_ldns("t 0 A 192.0.2.1", "TTL 0");
}

/* ---- random corpus: fast-path types in varied presentation ---- */

typedef struct gen {
    char ldns[6000]; /* one line for ldns */
    char ours[9000]; /* the same tokens with parentheses, comments, line breaks */
    unsigned extra_lines;
    bool in_paren; /* line breaks and comments allowed between tokens */
} gen_t;

static void gen_tok_to(char *buf, size_t cap, const char *tok)
{
    size_t l = strlen(buf);
    snprintf(buf + l, cap - l, "%s%s", l ? " " : "", tok);
}

static void gen_tok(gen_t *g, const char *tok, bool may_break)
{
    gen_tok_to(g->ldns, sizeof(g->ldns), tok);
    size_t l = strlen(g->ours);
    const char *sep = " ";
    if (may_break && g->in_paren) {
        switch (dt_below(6)) {
        case 0:
            sep = "\t";
            break;
        case 1:
            sep = " ; a comment ( \" ;\n\t";
            g->extra_lines++;
            break;
        case 2:
            sep = "\n  ";
            g->extra_lines++;
            break;
        default:
            break;
        }
    }
    snprintf(g->ours + l, sizeof(g->ours) - l, "%s%s", l ? sep : "", tok);
}

static void rand_label(char *out, size_t cap)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_*";
    unsigned len = 1 + dt_below(dt_below(8) == 0 ? 63 : 10);
    size_t k = 0;
    for (unsigned i = 0; i < len && k + 5 < cap; i++) {
        unsigned r = dt_below(20);
        if (r == 0)
            k += (size_t)snprintf(out + k, cap - k, "\\%03u", dt_below(256));
        else if (r == 1)
            k += (size_t)snprintf(out + k, cap - k, "\\%c", "\\.\"();@$ "[dt_below(9)]);
        else
            out[k++] = plain[dt_below(sizeof(plain) - 1)];
    }
    out[k] = '\0';
}

static void rand_name(char *out, size_t cap)
{
    unsigned labels = dt_below(4);
    size_t k = 0;
    out[0] = '\0';
    if (labels == 0 && dt_below(2)) {
        snprintf(out, cap, "@");
        return;
    }
    for (unsigned i = 0; i < labels; i++) {
        char lab[300];
        rand_label(lab, sizeof(lab));
        k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "." : "", lab);
    }
    if (strncmp(out, "\\@", 2) == 0 && (out[2] == '.' || out[2] == '\0'))
        out[1] = 'A'; /* a first label "\\@": ldns is wrong there, see test_escaped_at */
    if (labels == 0 || dt_below(3) == 0)
        snprintf(out + k, cap - k, "%sexample.", labels ? "." : "");
}

/* "\@" is a label holding '@', not the origin; ldns 1.8.3 takes it for the origin. */
static void test_escaped_at(void)
{
    const char *path = dt_write("at.zone", "$ORIGIN example.\n$TTL 1\n"
                                           "\\@ PTR \\@\n");
    static const uint8_t at[] = "\001@\007example";
    dt_read_t res;
    dt_read_file(path, "example.", &res);
    ok(res.rc == 0 && res.n == 1 && memcmp(res.rr[0].owner, at, sizeof(at)) == 0 &&
           res.rr[0].rdlen == sizeof(at) && memcmp(res.rr[0].rdata, at, sizeof(at)) == 0,
       "\\@ is the label '@' in owner and RDATA names");
    dt_read_free(&res);
    dt_rr_t ref;
    char why[100];
    if (dt_ldns_rr("x PTR \\@.a", "example.", 1, &ref, why, sizeof(why))) {
        if (ref.rdlen == 9)
            tap_diag("ldns is wrong: it reads the RDATA name \\@.a as the origin, not as "
                     "@.a.example. (the random corpus avoids such names)");
        free(ref.rdata);
    }
    /* ldns_rr_new_frm_str does not read class before TTL (RFC 1035 allows both orders) */
    if (!dt_ldns_rr("x IN 60 A 192.0.2.1", "example.", 1, &ref, why, sizeof(why)))
        tap_diag("ldns is wrong: 'x IN 60 A 192.0.2.1' (class before TTL) fails: %s", why);
    else
        free(ref.rdata);
}

static void rand_charstring(char *out, size_t cap)
{
    unsigned len = dt_below(4) == 0 ? dt_below(256) : dt_below(20);
    size_t k = 0;
    out[k++] = '"';
    for (unsigned i = 0; i < len && k + 6 < cap; i++) {
        unsigned c = dt_below(5) == 0 ? dt_below(256) : 32 + dt_below(95);
        if (c == '"' || c == '\\')
            k += (size_t)snprintf(out + k, cap - k, "\\%c", c);
        else if (c < 32 || c > 126)
            k += (size_t)snprintf(out + k, cap - k, "\\%03u", c);
        else
            out[k++] = (char)c;
    }
    out[k++] = '"';
    out[k] = '\0';
}

static void gen_base64(gen_t *g, unsigned maxlen)
{
    uint8_t raw[600];
    unsigned n = 1 + dt_below(maxlen);
    for (unsigned i = 0; i < n; i++)
        raw[i] = (uint8_t)dt_rand();
    char b64[1000];
    int len = EVP_EncodeBlock((unsigned char *)b64, raw, (int)n);
    for (int at = 0; at < len;) {
        int chunk = 1 + (int)dt_below(60);
        if (at + chunk > len)
            chunk = len - at;
        char tok[80];
        snprintf(tok, sizeof(tok), "%.*s", chunk, b64 + at);
        gen_tok(g, tok, true);
        at += chunk;
    }
}

static void gen_hex(gen_t *g, unsigned minlen, unsigned maxlen)
{
    unsigned n = minlen + dt_below(maxlen - minlen + 1);
    char hex[600];
    for (unsigned i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, dt_below(2) ? "%02x" : "%02X", (unsigned)(dt_rand() & 0xff));
    for (unsigned at = 0; at < 2 * n;) {
        unsigned chunk = 2 * (1 + dt_below(20));
        if (at + chunk > 2 * n)
            chunk = 2 * n - at;
        char tok[80];
        snprintf(tok, sizeof(tok), "%.*s", (int)chunk, hex + at);
        gen_tok(g, tok, true);
        at += chunk;
    }
}

static void gen_num(gen_t *g, uint64_t max)
{
    char tok[32];
    uint64_t v = dt_below(3) == 0 ? max : dt_rand() % (max + 1);
    snprintf(tok, sizeof(tok), "%llu", (unsigned long long)v);
    gen_tok(g, tok, true);
}

static void gen_name_tok(gen_t *g)
{
    char name[2000];
    rand_name(name, sizeof(name));
    gen_tok(g, name, true);
}

static const char *rand_case(const char *s, char *buf)
{
    size_t i = 0;
    for (; s[i]; i++)
        buf[i] = dt_below(2) ? (char)tolower((unsigned char)s[i]) : s[i];
    buf[i] = '\0';
    return buf;
}

static void gen_rdata(gen_t *g, const char *type)
{
    char tok[600];
    if (strcmp(type, "A") == 0) {
        uint32_t a = (uint32_t)dt_rand();
        snprintf(tok, sizeof(tok), "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
        gen_tok(g, tok, true);
    } else if (strcmp(type, "AAAA") == 0) {
        snprintf(tok, sizeof(tok), "%x:%x::%x:%x", dt_below(65536), dt_below(65536),
                 dt_below(65536), dt_below(65536));
        gen_tok(g, tok, true);
    } else if (strcmp(type, "MX") == 0) {
        gen_num(g, 65535);
        gen_name_tok(g);
    } else if (strcmp(type, "SRV") == 0) {
        gen_num(g, 65535);
        gen_num(g, 65535);
        gen_num(g, 65535);
        gen_name_tok(g);
    } else if (strcmp(type, "TXT") == 0 || strcmp(type, "SPF") == 0) {
        for (unsigned i = 0, n = 1 + dt_below(4); i < n; i++) {
            rand_charstring(tok, sizeof(tok));
            gen_tok(g, tok, true);
        }
    } else if (strcmp(type, "SOA") == 0) {
        gen_name_tok(g);
        gen_name_tok(g);
        for (int i = 0; i < 5; i++)
            gen_num(g, i == 0 ? 4294967295u : 2147483647u);
    } else if (strcmp(type, "DS") == 0 || strcmp(type, "CDS") == 0) {
        gen_num(g, 65535);
        gen_num(g, 255);
        gen_num(g, 255);
        gen_hex(g, 1, 64);
    } else if (strcmp(type, "DNSKEY") == 0 || strcmp(type, "CDNSKEY") == 0) {
        gen_num(g, 65535);
        gen_num(g, 255);
        gen_num(g, 255);
        gen_base64(g, 520);
    } else if (strcmp(type, "NSEC3PARAM") == 0) {
        gen_num(g, 255);
        gen_num(g, 255);
        gen_num(g, 65535);
        if (dt_below(3) == 0) {
            gen_tok(g, "-", true);
        } else {
            unsigned n = 1 + dt_below(20);
            for (unsigned i = 0; i < n; i++)
                snprintf(tok + 2 * i, 3, "%02x", (unsigned)(dt_rand() & 255));
            gen_tok(g, tok, true);
        }
    } else { /* NS CNAME DNAME PTR */
        gen_name_tok(g);
    }
}

static void gen_record(gen_t *g)
{
    static const char *const types[] = { "A",   "AAAA",   "NS",      "CNAME",     "DNAME", "PTR",
                                         "MX",  "SRV",    "TXT",     "SPF",       "SOA",   "DS",
                                         "CDS", "DNSKEY", "CDNSKEY", "NSEC3PARAM" };
    char owner[2000], buf[32], ttl[32];
    const char *type = types[dt_below(sizeof(types) / sizeof(types[0]))];
    memset(g, 0, sizeof(*g));
    rand_name(owner, sizeof(owner));
    gen_tok(g, owner, false);
    snprintf(ttl, sizeof(ttl), "%u", dt_below(3) == 0 ? 2147483647u : dt_below(100000));
    /* TTL and class in any order for us; ldns only reads TTL before class */
    int order = (int)dt_below(4);
    if (order == 1 || order == 3)
        gen_tok_to(g->ours, sizeof(g->ours), rand_case("IN", buf));
    if (order >= 1)
        gen_tok(g, ttl, false);
    if (order == 2 || order == 3)
        gen_tok_to(g->ldns, sizeof(g->ldns), "IN");
    if (order == 2)
        gen_tok_to(g->ours, sizeof(g->ours), rand_case("IN", buf));
    gen_tok(g, rand_case(type, buf), false);
    bool paren = dt_below(2);
    g->in_paren = paren;
    size_t mark = strlen(g->ours);
    gen_rdata(g, type);
    if (paren) {
        /* wrap the RDATA part of our text in parentheses */
        char tail[9000];
        snprintf(tail, sizeof(tail), "%s", g->ours + mark);
        snprintf(g->ours + mark, sizeof(g->ours) - mark, " (%s\n )", tail);
        g->extra_lines++;
    }
}

static void test_random_corpus(void)
{
    int bad = 0, total = 0, ldns_rejects = 0;
    for (int round = 0; round < 40; round++) {
        gen_t *gs = calloc(50, sizeof(*gs));
        size_t cap = 50 * 9100 + 100, len = 0;
        char *text = malloc(cap);
        unsigned lines[50], line = 3;
        len += (size_t)snprintf(text, cap, "$ORIGIN example.\n$TTL 300\n");
        for (int i = 0; i < 50; i++) {
            gen_record(&gs[i]);
            lines[i] = line;
            line += 1 + gs[i].extra_lines;
            len += (size_t)snprintf(text + len, cap - len, "%s\n", gs[i].ours);
        }
        const char *path = dt_write("random.zone", text);
        dt_read_t res;
        dt_read_file(path, "example.", &res);
        if (res.rc != 0 || res.n != 50) {
            ok(0, "random corpus round %d read: %s", round, res.err);
            bad++;
        }
        for (size_t i = 0; i < res.n && i < 50; i++) {
            dt_rr_t ref;
            char why[200];
            total++;
            if (!dt_ldns_rr(gs[i].ldns, "example.", 300, &ref, why, sizeof(why))) {
                ldns_rejects++;
                if (ldns_rejects <= 5)
                    tap_diag("ldns rejects a valid record we accept (%s): %s", why, gs[i].ldns);
                continue;
            }
            if (!same_rr(&res.rr[i], &ref) || res.rr[i].line != lines[i]) {
                if (bad++ < 10) {
                    printf("# mismatch at line %u (we say %u): %s\n", lines[i], res.rr[i].line,
                           gs[i].ldns);
                    show_rr("got", &res.rr[i]);
                    show_rr("ldns", &ref);
                }
            }
            free(ref.rdata);
        }
        dt_read_free(&res);
        free(text);
        free(gs);
    }
    ok(bad == 0, "random corpus: %d records in varied presentation equal ldns's (%d differ)", total,
       bad);
    ok(ldns_rejects == 0, "ldns accepts every record of the random corpus (%d rejected)",
       ldns_rejects);
}

/* ---- gen-zone zones against ldns's zone reader ---- */

static int ldns_rr_cmp_canon(const void *a, const void *b)
{
    return ldns_rr_compare(*(ldns_rr *const *)a, *(ldns_rr *const *)b);
}

static ldns_rr *our_rr_to_ldns(const dt_rr_t *r)
{
    uint8_t wire[65600];
    size_t ol = ods_name_len(r->owner), pos = 0;
    memcpy(wire, r->owner, ol);
    uint8_t *p = wire + ol;
    p[0] = (uint8_t)(r->type >> 8), p[1] = (uint8_t)r->type, p[2] = 0, p[3] = 1;
    p[4] = (uint8_t)(r->ttl >> 24), p[5] = (uint8_t)(r->ttl >> 16);
    p[6] = (uint8_t)(r->ttl >> 8), p[7] = (uint8_t)r->ttl;
    p[8] = (uint8_t)(r->rdlen >> 8), p[9] = (uint8_t)r->rdlen;
    memcpy(p + 10, r->rdata, r->rdlen);
    ldns_rr *rr = NULL;
    if (ldns_wire2rr(&rr, wire, ol + 10 + r->rdlen, &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
        return NULL;
    return rr;
}

static void test_gen_zone(const char *kind, unsigned names)
{
    char cmd[1200], file[64];
    snprintf(file, sizeof(file), "gen-%s.zone", kind);
    snprintf(cmd, sizeof(cmd), "%s/../shared/tools/gen-zone gen.example %u --kind %s > '%s'",
             getenv("ODS_SOURCE_ROOT") ? getenv("ODS_SOURCE_ROOT") : "..", names, kind,
             dt_path(file));
    if (dt_run(cmd, NULL) != 0) {
        ok(0, "gen-zone %s ran", kind);
        return;
    }
    dt_read_t res;
    dt_read_file(dt_path(file), "gen.example.", &res);
    ok(res.rc == 0, "gen-zone %s: our reader reads %zu records %s", kind, res.n, res.err);
    FILE *f = fopen(dt_path(file), "r");
    ldns_zone *lz = NULL;
    int line = 0;
    ldns_status st =
        f ? ldns_zone_new_frm_fp_l(&lz, f, NULL, 0, LDNS_RR_CLASS_IN, &line) : LDNS_STATUS_FILE_ERR;
    if (f)
        fclose(f);
    if (!ok(st == LDNS_STATUS_OK, "gen-zone %s: ldns reads it", kind))
        return;
    ldns_rr_list *ll = ldns_rr_list_clone(ldns_zone_rrs(lz));
    ldns_rr_list_push_rr(ll, ldns_rr_clone(ldns_zone_soa(lz)));
    size_t ln = ldns_rr_list_rr_count(ll);
    ldns_rr **mine = calloc(res.n + 1, sizeof(*mine));
    ldns_rr **theirs = calloc(ln + 1, sizeof(*theirs));
    for (size_t i = 0; i < ln; i++)
        theirs[i] = ldns_rr_list_rr(ll, i);
    size_t conv = 0;
    for (size_t i = 0; i < res.n; i++)
        if ((mine[conv] = our_rr_to_ldns(&res.rr[i])) != NULL)
            conv++;
    qsort(mine, conv, sizeof(*mine), ldns_rr_cmp_canon);
    qsort(theirs, ln, sizeof(*theirs), ldns_rr_cmp_canon);
    size_t diff = 0;
    for (size_t i = 0; i < conv && i < ln; i++)
        if (ldns_rr_compare(mine[i], theirs[i]) != 0 ||
            ldns_rr_ttl(mine[i]) != ldns_rr_ttl(theirs[i]))
            diff++;
    ok(conv == res.n && conv == ln && diff == 0,
       "gen-zone %s: our %zu records equal ldns's %zu (%zu differ)", kind, conv, ln, diff);
    for (size_t i = 0; i < conv; i++)
        ldns_rr_free(mine[i]);
    free(mine);
    free(theirs);
    ldns_rr_list_deep_free(ll);
    ldns_zone_deep_free(lz);
    dt_read_free(&res);
}

static void test_type_mnemonics(void)
{
    /* every type ldns knows by name round-trips through ods_dns_type_parse */
    int bad = 0, n = 0;
    for (unsigned t = 1; t < 65536; t++) {
        const ldns_rr_descriptor *d = ldns_rr_descript((uint16_t)t);
        if (d == NULL || d->_name == NULL || strncmp(d->_name, "TYPE", 4) == 0)
            continue;
        ods_ztoken_t tok = { d->_name, strlen(d->_name), false };
        uint16_t got = 0;
        n++;
        if (ods_dns_type_parse(&tok, &got) != ODS_OK || got != t) {
            if (bad++ < 5)
                printf("# type %s (%u) parsed as %u\n", d->_name, t, got);
        }
    }
    ok(bad == 0 && n > 60, "all %d type mnemonics of ldns parse to their numbers", n);
    /* algorithm mnemonics in DS and DNSKEY, as ldns knows them */
    for (const ldns_lookup_table *a = ldns_algorithms; a->name != NULL; a++) {
        char line[200];
        snprintf(line, sizeof(line), "a DS 1 %s 2 abcd", a->name);
        check_vs_ldns(line, line);
        snprintf(line, sizeof(line), "a DNSKEY 256 3 %s AQID", a->name);
        check_vs_ldns(line, line);
    }
}

int main(void)
{
    dt_seed();
    test_owner_ttl_class();
    test_no_dollar_ttl();
    test_include();
    test_escapes_and_parens();
    test_rfc3597();
    test_escaped_at();
    test_corpus();
    test_limits();
    test_random_corpus();
    test_type_mnemonics();
    test_gen_zone("mixed", 3000);
    test_gen_zone("tld", 2000);
    test_gen_zone("hosting", 2000);
    dt_cleanup();
    return tap_done();
}
