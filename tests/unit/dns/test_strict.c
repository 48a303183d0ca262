/*
 * Strictness of the master-file reader: a corpus of malformed files, each
 * rejected with the right file:line and a helpful message. The same files go
 * through ldns-read-zone and named-checkzone (when installed): TAP
 * diagnostics list what they accept that we reject. Our verdict never
 * depends on theirs.
 */
#include "tap.h"
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every file starts with this valid header (5 lines); bad lines follow. */
#define HEADER                                                                                     \
    "$ORIGIN example.\n$TTL 300\n@ SOA ns1 host 1 3600 900 604800 300\n@ NS ns1\n"                 \
    "ns1 A 192.0.2.53\n"
#define HEADER_LINES 5

typedef struct bad {
    const char *name;
    const char *body; /* after HEADER */
    unsigned line;    /* line of the error in the body (1 = first body line) */
    const char *msg;  /* expected part of the message */
} bad_t;

static const bad_t cases[] = {
    /* lexer */
    { "open-paren", "a TXT ( \"x\"\nb A 192.0.2.1\n", 1, "'(' is never closed" },
    { "open-paren-2", "b A 192.0.2.1\na SOA ( ns1 host 1 2 3 4 5\n", 2, "'(' is never closed" },
    { "stray-close", "a A 192.0.2.1 )\n", 1, "')' without a matching '('" },
    { "stray-close-2", "a TXT ( \"x\" ) )\n", 1, "')' without a matching '('" },
    { "open-quote", "a TXT \"abc\nb A 192.0.2.1\n", 1, "quoted string not closed" },
    { "quote-spans-lines", "a TXT \"abc\ndef\"\n", 1, "quoted string not closed" },
    { "quote-at-eof", "a TXT \"abc", 1, "quoted string not closed" },
    { "quote-in-parens", "a TXT ( \"abc\n \"def\" )\n", 1, "quoted string not closed" },
    /* addresses */
    { "ipv4-256", "a A 192.0.2.256\n", 1, "bad IPv4 address '192.0.2.256'" },
    { "ipv4-short", "a A 192.0.2\n", 1, "bad IPv4 address" },
    { "ipv4-long", "a A 1.2.3.4.5\n", 1, "bad IPv4 address" },
    { "ipv4-v6", "a A ::1\n", 1, "bad IPv4 address" },
    { "ipv4-octal", "a A 010.0.0.1\n", 1, "bad IPv4 address" },
    { "ipv6-bad-digit", "a AAAA 2001:db8::g\n", 1, "bad IPv6 address" },
    { "ipv6-v4", "a AAAA 192.0.2.1\n", 1, "bad IPv6 address" },
    { "ipv6-long", "a AAAA 1:2:3:4:5:6:7:8:9\n", 1, "bad IPv6 address" },
    { "ipv6-two-gaps", "a AAAA 1::2::3\n", 1, "bad IPv6 address" },
    /* base64 and hex */
    { "b64-pad-middle", "k DNSKEY 256 3 13 AQ==AQ==\n", 1, "base64" },
    { "b64-pad-inside", "k DNSKEY 256 3 13 A=AA\n", 1, "base64" },
    { "b64-bad-char", "k DNSKEY 256 3 13 AQ*D\n", 1, "base64" },
    { "b64-length", "k DNSKEY 256 3 13 AQI\n", 1, "base64" },
    { "b64-trailing-bits", "k DNSKEY 256 3 13 AB==\n", 1, "base64" },
    { "b64-three-pad", "k DNSKEY 256 3 13 A===\n", 1, "base64" },
    { "hex-bad-char", "d DS 1 13 2 abcg\n", 1, "hexadecimal" },
    { "hex-odd", "d DS 1 13 2 abc\n", 1, "hexadecimal" },
    { "salt-bad", "@ NSEC3PARAM 1 0 0 zz\n", 1, "bad salt 'zz'" },
    { "generic-odd", "a TYPE65280 \\# 2 abc\n", 1, "RFC 3597" },
    { "generic-short", "a TYPE65280 \\# 3 0102\n", 1, "does not match its length 3" },
    { "generic-long", "a TYPE65280 \\# 1 0102\n", 1, "does not match its length 1" },
    { "generic-nolen", "a TYPE65280 \\#\n", 1, "RFC 3597" },
    { "generic-a-short", "a A \\# 3 010203\n", 1, "not a valid A record" },
    { "generic-aaaa-short", "a AAAA \\# 4 01020304\n", 1, "not a valid AAAA record" },
    { "generic-mx-trunc", "a MX \\# 3 000a01\n", 1, "not a valid MX record" },
    { "generic-soa-short", "@ SOA \\# 2 0000\n", 1, "not a valid SOA record" },
    /* fields of each fast-path type */
    { "a-none", "a A\n", 1, "A needs 1 field, found 0" },
    { "a-extra", "a A 192.0.2.1 192.0.2.2\n", 1, "A needs 1 field, found 2" },
    { "aaaa-extra", "a AAAA ::1 x\n", 1, "AAAA needs 1 field, found 2" },
    { "ns-none", "a NS\n", 1, "needs 1 field, found 0" },
    { "ns-extra", "a NS ns1 ns2\n", 1, "needs 1 field, found 2" },
    { "cname-extra", "a CNAME b c\n", 1, "needs 1 field, found 2" },
    { "dname-extra", "a DNAME b c\n", 1, "needs 1 field, found 2" },
    { "ptr-none", "a PTR\n", 1, "needs 1 field, found 0" },
    { "mx-one", "a MX 10\n", 1, "MX needs 2 fields, found 1" },
    { "mx-three", "a MX 10 mail x\n", 1, "MX needs 2 fields, found 3" },
    { "mx-big", "a MX 65536 mail\n", 1, "bad preference '65536'" },
    { "mx-word", "a MX ten mail\n", 1, "bad preference 'ten'" },
    { "srv-three", "a SRV 1 2 3\n", 1, "SRV needs 4 fields, found 3" },
    { "srv-five", "a SRV 1 2 3 t x\n", 1, "SRV needs 4 fields, found 5" },
    { "srv-port", "a SRV 1 2 70000 t\n", 1, "bad SRV field '70000'" },
    { "txt-none", "a TXT\n", 1, "TXT needs at least 1 field, found 0" },
    { "soa-six", "b SOA ns1 host 1 2 3 4\n", 1, "SOA needs 7 fields, found 6" },
    { "soa-eight", "b SOA ns1 host 1 2 3 4 5 6\n", 1, "SOA needs 7 fields, found 8" },
    { "soa-serial", "b SOA ns1 host x 2 3 4 5\n", 1, "bad SOA serial 'x'" },
    { "soa-timer", "b SOA ns1 host 1 2 3x 4 5\n", 1, "bad SOA timer '3x'" },
    { "ds-three", "d DS 1 13 2\n", 1, "DS needs at least 4 fields, found 3" },
    { "ds-alg", "d DS 1 256 2 abcd\n", 1, "bad algorithm '256'" },
    { "ds-alg-name", "d DS 1 NOSUCHALG 2 abcd\n", 1, "bad algorithm 'NOSUCHALG'" },
    { "dnskey-three", "k DNSKEY 256 3 13\n", 1, "DNSKEY needs at least 4 fields, found 3" },
    { "dnskey-flags", "k DNSKEY -1 3 13 AQID\n", 1, "bad DNSKEY flags '-1'" },
    { "nsec3param-three", "@ NSEC3PARAM 1 0 0\n", 1, "NSEC3PARAM needs 4 fields, found 3" },
    { "nsec3param-five", "@ NSEC3PARAM 1 0 0 - x\n", 1, "NSEC3PARAM needs 4 fields, found 5" },
    { "nsec3param-iter", "@ NSEC3PARAM 1 0 65536 -\n", 1, "bad iterations '65536'" },
    { "rrsig-eight", "a RRSIG A 13 2 300 20260101000000 20251201000000 1 example.\n", 1,
      "RRSIG needs at least 9 fields, found 8" },
    { "rrsig-time", "a RRSIG A 13 2 300 20261301000000 20251201000000 1 example. AQID\n", 1,
      "bad RRSIG time" },
    { "rrsig-b64", "a RRSIG A 13 2 300 20260101000000 20251201000000 1 example. AQ=D\n", 1,
      "base64" },
    { "nsec-type", "a NSEC b.example. A FOO\n", 1, "bad record type 'FOO'" },
    { "nsec3-hash", "a NSEC3 1 0 0 - zzzz A\n", 1, "bad next hashed owner 'zzzz'" },
    /* text */
    { "txt-256", NULL, 1, "TXT string longer than 255 octets" },
    { "txt-escape-short", "a TXT \"\\06\"\n", 1, "bad escape" },
    { "txt-escape-256", "a TXT \"\\256\"\n", 1, "bad escape" },
    { "txt-lone-backslash", "a TXT abc\\\n", 1, "bad escape" },
    /* names */
    { "label-64", NULL, 1, "a label is longer than 63 octets" },
    { "name-256", NULL, 1, "longer than 255 octets" },
    { "name-relative-too-long", NULL, 1, "longer than 255 octets" },
    { "empty-label", "a..b A 192.0.2.1\n", 1, "empty label" },
    { "name-escape-256", "a\\256 A 192.0.2.1\n", 1, "above 255" },
    { "name-escape-short", "a\\06 A 192.0.2.1\n", 1, "three decimal digits" },
    { "rdata-name-bad", "a CNAME b..c\n", 1, "empty label" },
    /* types, classes, TTLs */
    { "unknown-type", "a FOO bar\n", 1, "unknown record type 'FOO'" },
    { "type-too-big", "a TYPE65536 \\# 0\n", 1, "unknown record type 'TYPE65536'" },
    { "no-type", "a 300 IN\n", 1, "record has no type" },
    { "class-ch", "a CH A 192.0.2.1\n", 1, "only class IN" },
    { "class-hs", "a 300 HS TXT x\n", 1, "only class IN" },
    { "class-3", "a CLASS3 A 192.0.2.1\n", 1, "only class IN" },
    { "class-any", "a ANY A 192.0.2.1\n", 1, "only class IN" },
    { "meta-opt", "a OPT \\# 0\n", 1, "cannot appear in a zone" },
    { "meta-tsig", "a TSIG \\# 0\n", 1, "cannot appear in a zone" },
    { "meta-tkey", "a TKEY \\# 0\n", 1, "cannot appear in a zone" },
    { "meta-any", "a IN ANY \\# 0\n", 1, "cannot appear in a zone" },
    { "meta-axfr", "a AXFR\n", 1, "cannot appear in a zone" },
    { "meta-ixfr", "a TYPE251 \\# 0\n", 1, "cannot appear in a zone" },
    { "ttl-too-big", "a 2147483648 A 192.0.2.1\n", 1, "bad TTL '2147483648'" },
    { "ttl-unit", "a 1x A 192.0.2.1\n", 1, "bad TTL '1x'" },
    { "ttl-wrap", NULL, 1, "bad TTL" },
    { "dollar-ttl-bad", "$TTL 1x\n", 1, "$TTL needs one TTL" },
    { "dollar-ttl-none", "$TTL\n", 1, "$TTL needs one TTL" },
    { "dollar-ttl-two", "$TTL 1 2\n", 1, "$TTL needs one TTL" },
    { "dollar-origin-none", "$ORIGIN\n", 1, "$ORIGIN needs exactly one name" },
    { "dollar-origin-bad", "$ORIGIN a..b\n", 1, "empty label" },
    { "generate", "$GENERATE 1-10 host$ A 10.0.0.$\n", 1, "unsupported directive $GENERATE" },
    { "unknown-directive", "$FOO bar\n", 1, "unsupported directive $FOO" },
    { "include-missing", "a A 192.0.2.1\n$INCLUDE nothere.zone\n", 2, "cannot open" },
    { "include-none", "$INCLUDE\n", 1, "$INCLUDE needs a file name" },
    { "include-loop", "$INCLUDE loop.zone\n", 0, "loop.zone:1: $INCLUDE nested too deep" },
    { "include-bad-line", "$INCLUDE bad-inc.zone\n", 0, "bad-inc.zone:2: bad IPv4 address" },
    { "nul-byte", NULL, 1, "NUL byte in the file" },
    { "nul-quoted", NULL, 1, "NUL byte in a quoted string" },
    { "type-0", "a TYPE0 \\# 0\n", 1, "is a meta-type or query type" },
    { "include-device", "$INCLUDE /dev/null\n", 1, "not a regular file" },
    { "generic-txt-empty", "a TXT \\# 0\n", 1, "not a valid TXT record" },
    { "generic-ns-pointer", "a NS \\# 2 c000\n", 1, "not a valid NS record" },
    { "ldns-stray-generic", "a URI 1 \\# \"https://x/\"\n", 1, "must be the first field" },
    { "ldns-stray-generic-2", "a NAPTR 1 2 \\# \"a\" \"b\" .\n", 1, "must be the first field" },
    { "second-ttl", "a 300 300 A 192.0.2.1\n", 1, "expected a record type, found '300'" },
    { "no-type-address", "a 300 IN 192.0.2.1\n", 1, "expected a record type, found '192.0.2.1'" },
    { "no-owner", NULL, 1, "no previous owner name" },
};

static const char *body_of(const bad_t *c, char *buf, size_t cap)
{
    if (c->body != NULL)
        return c->body;
    char *p = buf;
    size_t n = 0;
    if (strcmp(c->name, "txt-256") == 0) {
        n += (size_t)snprintf(p, cap, "a TXT \"");
        memset(p + n, 'x', 256), n += 256;
        snprintf(p + n, cap - n, "\"\n");
    } else if (strcmp(c->name, "label-64") == 0) {
        memset(p, 'l', 64), n = 64;
        snprintf(p + n, cap - n, " A 192.0.2.1\n");
    } else if (strcmp(c->name, "name-256") == 0) {
        for (int i = 0; i < 64; i++)
            n += (size_t)snprintf(p + n, cap - n, "abc.");
        snprintf(p + n, cap - n, " A 192.0.2.1\n");
    } else if (strcmp(c->name, "name-relative-too-long") == 0) {
        for (int i = 0; i < 62; i++) /* 248 octets + example. (9) */
            n += (size_t)snprintf(p + n, cap - n, "%sabc", i ? "." : "");
        snprintf(p + n, cap - n, " A 192.0.2.1\n");
    } else if (strcmp(c->name, "ttl-wrap") == 0) {
        /* many units, each adding 2^32-1 weeks: wraps 64 bits if unchecked */
        n += (size_t)snprintf(p, cap, "a ");
        for (int i = 0; i < 20000 && n + 20 < cap; i++)
            n += (size_t)snprintf(p + n, cap - n, "4294967295w");
        snprintf(p + n, cap - n, " A 192.0.2.1\n");
    }
    return buf;
}

static void write_case(const bad_t *c, char *path, size_t cap)
{
    static char body[400000];
    char name[128];
    snprintf(name, sizeof(name), "%s.zone", c->name);
    if (strncmp(c->name, "nul-", 4) == 0 || strcmp(c->name, "no-owner") == 0) {
        /* "a A 192.0.2.1<NUL>junk": the address must not end at the NUL */
        static const char nul[] = HEADER "a A 192.0.2.1\0junk\n";
        static const char nulq[] = HEADER "a TXT \"x\0y\"\n";
        static const char no_owner[] = "$TTL 1\n\n\n\n\n  A 192.0.2.1\n";
        const char *text = c->name[4] == 'b' ? nul : c->name[4] == 'q' ? nulq : no_owner;
        size_t len = c->name[4] == 'b'   ? sizeof(nul)
                     : c->name[4] == 'q' ? sizeof(nulq)
                                         : sizeof(no_owner);
        snprintf(path, cap, "%s", dt_path(name));
        FILE *f = fopen(path, "w");
        fwrite(text, 1, len - 1, f);
        fclose(f);
        return;
    }
    const char *b = body_of(c, body, sizeof(body));
    size_t len = strlen(HEADER) + strlen(b) + 1;
    char *text = malloc(len);
    snprintf(text, len, "%s%s", HEADER, b);
    snprintf(path, cap, "%s", dt_write(name, text));
    free(text);
}

/* Outcome of an external checker: 0 accepts, 1 rejects, -1 not run. */
static int tool_verdict(const char *tool, const char *path, char **out)
{
    char cmd[2400];
    if (strcmp(tool, "ldns-read-zone") == 0)
        snprintf(cmd, sizeof(cmd), "cd '%s' && ldns-read-zone '%s'", dt_dir(), path);
    else
        snprintf(cmd, sizeof(cmd), "cd '%s' && named-checkzone example. '%s'", dt_dir(), path);
    int st = dt_run(cmd, out);
    return st < 0 ? -1 : st != 0;
}

static void first_line(const char *s, char *out, size_t cap)
{
    const char *nl = s ? strchr(s, '\n') : NULL;
    snprintf(out, cap, "%.*s", s ? (int)(nl ? (size_t)(nl - s) : strlen(s)) : 0, s ? s : "");
}

static void setup_includes(void)
{
    dt_write("loop.zone", "$INCLUDE loop.zone\n");
    dt_write("bad-inc.zone", "x A 192.0.2.1\ny A 192.0.2.300\n");
}

static void test_control(bool have_ldns, bool have_named)
{
    const char *path = dt_write("good.zone", HEADER "good A 192.0.2.1\n");
    dt_read_t res;
    dt_read_file(path, "example.", &res);
    ok(res.rc == 0 && res.n == 4, "the header plus a good record is accepted (%s)", res.err);
    dt_read_free(&res);
    if (have_ldns)
        ok(tool_verdict("ldns-read-zone", path, NULL) == 0, "ldns-read-zone accepts it too");
    if (have_named)
        ok(tool_verdict("named-checkzone", path, NULL) == 0, "named-checkzone accepts it too");
}

int main(void)
{
    bool have_ldns = dt_have("ldns-read-zone"), have_named = dt_have("named-checkzone");
    char ldns_accepts[8192] = "", named_accepts[8192] = "";
    int n_ldns = 0, n_named = 0;
    setup_includes();
    test_control(have_ldns, have_named);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const bad_t *c = &cases[i];
        char path[1024], where[1200];
        write_case(c, path, sizeof(path));
        dt_read_t res;
        dt_read_file(path, "example.", &res);
        ok(res.rc < 0, "%s: rejected", c->name);
        if (c->line > 0) { /* else the expected message holds the included file:line */
            snprintf(where, sizeof(where), "%s:%u: ", path, c->line + HEADER_LINES);
            has_str(res.err, where, "%s: the error names file:line", c->name);
        }
        has_str(res.err, c->msg, "%s: the message says what is wrong", c->name);
        dt_read_free(&res);
        char *out = NULL, line[300];
        if (have_ldns && tool_verdict("ldns-read-zone", path, &out) == 0) {
            n_ldns++;
            size_t l = strlen(ldns_accepts);
            snprintf(ldns_accepts + l, sizeof(ldns_accepts) - l, " %s", c->name);
        }
        free(out);
        out = NULL;
        if (have_named) {
            if (tool_verdict("named-checkzone", path, &out) == 0) {
                n_named++;
                size_t l = strlen(named_accepts);
                snprintf(named_accepts + l, sizeof(named_accepts) - l, " %s", c->name);
            } else if (getenv("ODS_TEST_VERBOSE")) {
                first_line(out, line, sizeof(line));
                tap_diag("named-checkzone on %s: %s", c->name, line);
            }
        }
        free(out);
    }
    size_t total = sizeof(cases) / sizeof(cases[0]);
    if (have_ldns)
        tap_diag("ldns-read-zone accepts %d of the %zu files we reject:%s", n_ldns, total,
                 ldns_accepts);
    else
        tap_diag("ldns-read-zone not installed: no comparison");
    if (have_named)
        tap_diag("named-checkzone accepts %d of the %zu files we reject:%s", n_named, total,
                 named_accepts);
    else
        tap_diag("named-checkzone not installed: no comparison");
    dt_cleanup();
    return tap_done();
}
