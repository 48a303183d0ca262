/* Unit tests for common/dnssec/name: wire names, canonical order, text form; ldns as reference. */
#include "tap.h"
#include "helpers.h"

#include "dnssec/name.h"

#include <stdint.h>

static size_t parse(const char *text, uint8_t *out)
{
    size_t len = 0;
    ods_err_t err = { 0 };
    if (ods_name_from_text(text, strlen(text), out, &len, &err) != ODS_OK) {
        tap_diag("cannot parse '%s': %s", text, err.msg);
        return 0;
    }
    return len;
}

static void check_parse(const char *text, const uint8_t *want, size_t wantlen)
{
    uint8_t got[ODS_NAME_MAX_LEN];
    size_t len = parse(text, got);
    ok(len == wantlen && memcmp(got, want, len) == 0, "parse '%s' -> %s", text, th_hex(got, len));
}

static void check_bad(const char *text, size_t textlen, const char *why)
{
    uint8_t out[ODS_NAME_MAX_LEN] = { 0xAA };
    size_t len = 12345;
    ods_err_t err = { 0 };
    int rc = ods_name_from_text(text, textlen, out, &len, &err);
    ok(rc == ODS_EINVAL && len == 12345 && out[0] == 0xAA, "'%.*s' rejected, outputs untouched",
       (int)(textlen > 40 ? 40 : textlen), text);
    has_str(err.msg, why, "message for bad name explains: %s", why);
}

static void test_from_text(void)
{
    check_parse("www.Example.COM.", (const uint8_t *)"\3www\7Example\3COM", 17);
    check_parse("www.Example.COM", (const uint8_t *)"\3www\7Example\3COM", 17);
    check_parse(".", (const uint8_t *)"", 1);
    check_parse("\\065\\.b\\\\.c", (const uint8_t *)"\4A.b\\\1c", 8);
    check_parse("\\000\\255.@", (const uint8_t *)"\2\0\377\1@", 6);
    check_parse("*.example.", (const uint8_t *)"\1*\7example", 11);

    check_bad("", 0, "empty domain name");
    check_bad("a..b", 4, "empty label");
    check_bad(".a", 2, "empty label");
    check_bad("..", 2, "empty label");
    check_bad("a\\", 2, "lone backslash");
    check_bad("a\\25", 4, "three decimal digits");
    check_bad("a\\25x", 5, "three decimal digits");
    check_bad("a\\256", 5, "above 255");
    check_bad("a b", 3, "space or control");
    check_bad("a\tb", 3, "space or control");

    char label[70], text[300];
    memset(label, 'x', 63);
    label[63] = '\0';
    uint8_t out[ODS_NAME_MAX_LEN];
    is_int(parse(label, out), 65, "a 63-octet label is fine");
    memset(label, 'x', 64);
    label[64] = '\0';
    check_bad(label, 64, "longer than 63");
    /* 63+63+63+61 octets of labels: 4 length octets + 250 + root = 255 */
    snprintf(text, sizeof(text), "%.63s.%.63s.%.63s.%.61s.", label, label, label, label);
    is_int(parse(text, out), 255, "a 255-octet name is fine");
    snprintf(text, sizeof(text), "%.63s.%.63s.%.63s.%.62s.", label, label, label, label);
    check_bad(text, strlen(text), "longer than 255");
    snprintf(text, sizeof(text), "%.63s.%.63s.%.63s.%.60s.\\000", label, label, label, label);
    check_bad(text, strlen(text), "longer than 255");
    /* text need not be NUL-terminated */
    size_t len = 0;
    ok(ods_name_from_text("abc.def", 3, out, &len, NULL) == ODS_OK && len == 5 &&
           memcmp(out, "\3abc", 5) == 0,
       "only textlen octets are read");
}

static void check_text(const uint8_t *wire, const char *want)
{
    char got[ODS_NAME_TEXT_MAX];
    ok(ods_name_to_text(wire, got, sizeof(got)) == ODS_OK, "to_text ok for %s", want);
    is_str(got, want, "to_text %s", want);
}

static void test_to_text(void)
{
    check_text((const uint8_t *)"", ".");
    check_text((const uint8_t *)"\3www\7Example\3COM", "www.Example.COM.");
    check_text((const uint8_t *)"\5a.b c\0", "a\\.b\\032c.");
    check_text((const uint8_t *)"\4\0\377\"@\2$;\2()\1\\", "\\000\\255\\\"\\@.\\$\\;.\\(\\).\\\\.");
    check_text((const uint8_t *)"\1*\3x-y", "*.x-y.");
    char small[4];
    ok(ods_name_to_text((const uint8_t *)"\3www", small, sizeof(small)) == ODS_EINVAL,
       "to_text refuses a buffer that is too small");
    ok(ods_name_to_text((const uint8_t *)"\2ww", small, sizeof(small)) == ODS_OK &&
           strcmp(small, "ww.") == 0,
       "to_text fits exactly");
    ods_buf_t b = ODS_BUF_INIT;
    ok(ods_buf_append(&b, "x ", 2) == ODS_OK &&
           ods_name_append_text(&b, (const uint8_t *)"\1a\1B") == ODS_OK &&
           strcmp(ods_buf_cstr(&b), "x a.B.") == 0,
       "append_text appends to a buffer");
    ods_buf_free(&b);
}

static void test_roundtrip_ldns(unsigned rounds)
{
    unsigned bad_self = 0, bad_to_ldns = 0, bad_from_ldns = 0;
    for (unsigned i = 0; i < rounds; i++) {
        uint8_t wire[ODS_NAME_MAX_LEN], back[ODS_NAME_MAX_LEN];
        size_t len = th_random_name(wire, 8), blen = 0;
        char text[ODS_NAME_TEXT_MAX];
        ods_name_to_text(wire, text, sizeof(text));
        if (ods_name_from_text(text, strlen(text), back, &blen, NULL) != ODS_OK || blen != len ||
            memcmp(back, wire, len) != 0)
            bad_self++;
        ldns_rdf *r = ldns_dname_new_frm_str(text);
        if (r == NULL || ldns_rdf_size(r) != len || memcmp(ldns_rdf_data(r), wire, len) != 0) {
            if (bad_to_ldns++ == 0)
                tap_diag("ldns reads '%s' differently", text);
        }
        ldns_rdf_deep_free(r);
        r = th_ldns_name(wire);
        char *ltext = ldns_rdf2str(r);
        if (ltext == NULL ||
            ods_name_from_text(ltext, strlen(ltext), back, &blen, NULL) != ODS_OK || blen != len ||
            memcmp(back, wire, len) != 0) {
            if (bad_from_ldns++ == 0)
                tap_diag("cannot read ldns's '%s'", ltext ? ltext : "(null)");
        }
        free(ltext);
        ldns_rdf_deep_free(r);
    }
    is_int(bad_self, 0, "%u random names survive to_text/from_text", rounds);
    is_int(bad_to_ldns, 0, "ldns parses our text of %u random names to the same wire", rounds);
    is_int(bad_from_ldns, 0, "we parse ldns's text of %u random names to the same wire", rounds);
}

static void test_check(void)
{
    size_t len = 0;
    ok(ods_name_check((const uint8_t *)"\1a\0", 3, &len) == ODS_OK && len == 3, "check: a.");
    ok(ods_name_check((const uint8_t *)"", 1, &len) == ODS_OK && len == 1, "check: root");
    len = 99;
    ok(ods_name_check((const uint8_t *)"\1a", 2, &len) == ODS_EINVAL && len == 99,
       "check: truncated name");
    ok(ods_name_check((const uint8_t *)"\3ab", 3, &len) == ODS_EINVAL, "check: truncated label");
    ok(ods_name_check((const uint8_t *)"\300\14", 2, &len) == ODS_EINVAL,
       "check: compression pointer");
    ok(ods_name_check((const uint8_t *)"", 0, &len) == ODS_EINVAL, "check: empty buffer");
    uint8_t big[300];
    memset(big, 0, sizeof(big));
    big[0] = 64;
    ok(ods_name_check(big, sizeof(big), &len) == ODS_EINVAL, "check: 64-octet label");
    for (int i = 0; i < 4; i++)
        big[i * 64] = 63; /* 4 x (1 + 63) = 256 octets before the root */
    ok(ods_name_check(big, sizeof(big), &len) == ODS_EINVAL, "check: 257-octet name");
    big[192] = 61; /* 4 x 1 + 63 + 63 + 63 + 61 + root = 255 */
    ok(ods_name_check(big, sizeof(big), &len) == ODS_OK && len == 255,
       "check: 255-octet name (len %zu)", len);
}

static void test_labels(void)
{
    uint8_t w[ODS_NAME_MAX_LEN];
    parse("*.a.Example.", w);
    is_int(ods_name_labels(w), 3, "labels of *.a.Example.");
    is_int(ods_name_rrsig_labels(w), 2, "RRSIG labels of *.a.Example. skip the *");
    ok(ods_name_is_wildcard(w), "*.a.Example. is a wildcard");
    parse("a.*.b.", w);
    is_int(ods_name_rrsig_labels(w), 3, "only a leftmost * is skipped");
    ok(!ods_name_is_wildcard(w), "a.*.b. is not a wildcard");
    parse("\\042x.b.", w);
    ok(!ods_name_is_wildcard(w) && ods_name_rrsig_labels(w) == 2, "*x is not a wildcard label");
    parse("*.", w);
    is_int(ods_name_rrsig_labels(w), 0, "RRSIG labels of *. is 0");
    is_int(ods_name_labels((const uint8_t *)""), 0, "the root has 0 labels");
    is_int(ods_name_len((const uint8_t *)""), 1, "the root is 1 octet");

    unsigned bad = 0;
    for (int i = 0; i < 2000; i++) {
        size_t len = th_random_name(w, 12);
        ldns_rdf *r = th_ldns_name(w);
        if (ods_name_labels(w) != ldns_dname_label_count(r) || ods_name_len(w) != len)
            bad++;
        ldns_rdf_deep_free(r);
    }
    is_int(bad, 0, "label counts and lengths match ldns on random names");
}

static void test_lower(void)
{
    uint8_t w[ODS_NAME_MAX_LEN], lw[ODS_NAME_MAX_LEN];
    size_t len = parse("AbZ\\200\\196[@.EXAMPLE.", w);
    is_int(ods_name_to_lower(lw, w), len, "to_lower returns the length");
    ok(memcmp(lw, "\7abz\310\304[@\7example", len) == 0, "to_lower lowers ASCII only: %s",
       th_hex(lw, len));
    ods_name_to_lower(w, w);
    ok(memcmp(w, lw, len) == 0, "to_lower works in place");
}

/* The example of RFC 4034 6.1, in canonical order. */
static const char *const rfc_order[] = {
    "example.",   "a.example.",       "yljkjljk.a.example.", "Z.a.example.",     "zABC.a.EXAMPLE.",
    "z.example.", "\\001.z.example.", "*.z.example.",        "\\200.z.example.",
};
#define N_RFC (sizeof(rfc_order) / sizeof(rfc_order[0]))

static void test_compare_rfc(void)
{
    uint8_t a[ODS_NAME_MAX_LEN], b[ODS_NAME_MAX_LEN];
    for (size_t i = 0; i + 1 < N_RFC; i++) {
        parse(rfc_order[i], a);
        parse(rfc_order[i + 1], b);
        ok(ods_name_compare(a, b) < 0 && ods_name_compare(b, a) > 0, "%s < %s", rfc_order[i],
           rfc_order[i + 1]);
    }
    parse("Example.", a);
    parse("eXAMPLE", b);
    ok(ods_name_compare(a, b) == 0 && ods_name_equal(a, b), "case-only difference is equal");
    parse(".", a);
    ok(ods_name_compare(a, b) < 0, "root sorts first");
    parse("a\\091.", a); /* "[" sorts before lowered letters, after upper-case ones */
    parse("aZ.", b);
    ok(ods_name_compare(a, b) < 0, "a[ < aZ because Z compares as z");
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_compare_ldns(unsigned rounds)
{
    unsigned bad = 0, bad_eq = 0, bad_anti = 0, equal = 0;
    for (unsigned i = 0; i < rounds; i++) {
        uint8_t a[ODS_NAME_MAX_LEN], b[ODS_NAME_MAX_LEN];
        th_random_name(a, 5);
        if (th_below(4) == 0) { /* b = a, one octet's case flipped */
            memcpy(b, a, ods_name_len(a));
            for (size_t k = 0; k < ods_name_len(b); k++)
                if (b[k] >= 'a' && b[k] <= 'z' && th_below(2))
                    b[k] -= 32;
        } else {
            th_random_name(b, 5);
        }
        ldns_rdf *la = th_ldns_name(a), *lb = th_ldns_name(b);
        int ours = sign(ods_name_compare(a, b)), theirs = sign(ldns_dname_compare(la, lb));
        if (ours != theirs && bad++ < 3) {
            char ta[ODS_NAME_TEXT_MAX], tb[ODS_NAME_TEXT_MAX];
            ods_name_to_text(a, ta, sizeof(ta));
            ods_name_to_text(b, tb, sizeof(tb));
            tap_diag("compare(%s, %s): ours %d, ldns %d", ta, tb, ours, theirs);
        }
        if ((ours == 0) != ods_name_equal(a, b))
            bad_eq++;
        if (sign(ods_name_compare(b, a)) != -ours)
            bad_anti++;
        equal += ours == 0;
        ldns_rdf_deep_free(la);
        ldns_rdf_deep_free(lb);
    }
    is_int(bad, 0, "canonical order agrees with ldns_dname_compare on %u pairs (%u equal)", rounds,
           equal);
    is_int(bad_eq, 0, "ods_name_equal agrees with compare == 0");
    is_int(bad_anti, 0, "compare is antisymmetric");
}

static void test_subdomain(void)
{
    uint8_t a[ODS_NAME_MAX_LEN], b[ODS_NAME_MAX_LEN];
    parse("www.Example.com.", a);
    parse("example.COM.", b);
    ok(ods_name_is_subdomain(a, b) && ods_name_is_below(a, b),
       "www.Example.com. below example.COM.");
    ok(!ods_name_is_subdomain(b, a) && !ods_name_is_below(b, a), "not the other way round");
    ok(ods_name_is_subdomain(b, b) && !ods_name_is_below(b, b), "a name is a subdomain of itself");
    ok(ods_name_is_below(a, (const uint8_t *)""), "everything is below the root");
    ok(!ods_name_is_below((const uint8_t *)"", (const uint8_t *)""),
       "the root is not below itself");
    parse("wwwexample.com.", a);
    ok(!ods_name_is_subdomain(a, b), "wwwexample.com. is not below example.com.");
    parse("www.Example.com.", a);
    ok(ods_name_parent(a) == a + 4 && ods_name_strip(a, 3) == a + 16,
       "parent/strip point into name");
    ok(ods_name_strip(a, 4) == NULL && ods_name_parent((const uint8_t *)"") == NULL,
       "strip past the root gives NULL");

    unsigned bad = 0, positives = 0;
    for (int i = 0; i < 5000; i++) {
        th_random_name(b, 3);
        if (th_below(2)) { /* a = random labels + b */
            uint8_t pre[ODS_NAME_MAX_LEN];
            size_t plen = th_random_name(pre, 2) - 1, blen = ods_name_len(b);
            if (plen + blen > ODS_NAME_MAX_LEN)
                continue;
            memcpy(a, pre, plen);
            memcpy(a + plen, b, blen);
            for (size_t k = 0; k < plen + blen; k++) /* flip case at random */
                if (a[k] >= 'a' && a[k] <= 'z' && th_below(3) == 0)
                    a[k] -= 32;
        } else {
            th_random_name(a, 4);
        }
        ldns_rdf *la = th_ldns_name(a), *lb = th_ldns_name(b);
        bool ours = ods_name_is_below(a, b);
        positives += ours;
        /* ldns_dname_is_subdomain takes names that differ only in case for a
         * subdomain (its equality test is case-sensitive): not below. */
        bool theirs = ldns_dname_compare(la, lb) != 0 && ldns_dname_is_subdomain(la, lb);
        if (ours != theirs && bad++ < 3) {
            char ta[ODS_NAME_TEXT_MAX], tb[ODS_NAME_TEXT_MAX];
            ods_name_to_text(a, ta, sizeof(ta));
            ods_name_to_text(b, tb, sizeof(tb));
            tap_diag("is_below(%s, %s): ours %d", ta, tb, ours);
        }
        ldns_rdf_deep_free(la);
        ldns_rdf_deep_free(lb);
    }
    is_int(bad, 0, "is_below agrees with ldns_dname_is_subdomain (%u below)", positives);
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_from_text();
    test_to_text();
    test_check();
    test_labels();
    test_lower();
    test_compare_rfc();
    test_compare_ldns(50000);
    test_subdomain();
    test_roundtrip_ldns(5000);
    return tap_done();
}
