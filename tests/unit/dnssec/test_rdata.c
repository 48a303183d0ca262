/* Unit tests for common/dnssec/rdata: canonical RDATA (ldns_rr2canonical as reference), RR order.
 */
#include "tap.h"
#include "helpers.h"

#include "dnssec/rdata.h"

#include <stdint.h>

/* RRs with upper-case letters in every name field; the comment says if lowering applies. */
static const char *const rrs[] = {
    "x.example. 3600 IN NS NS1.Example.COM.",
    "x.example. 3600 IN SOA NS1.EXAMPLE. HostMaster.Example. 2024010101 7200 3600 1209600 300",
    "x.example. 3600 IN MX 10 Mail.EXAMPLE.",
    "x.example. 3600 IN CNAME Target.Example.",
    "x.example. 3600 IN PTR Host.Example.",
    "x.example. 3600 IN DNAME Other.Example.",
    "x.example. 3600 IN MINFO RMail.Example. EMail.Example.",
    "x.example. 3600 IN RP Mbox.Example. TXT.Example.",
    "x.example. 3600 IN AFSDB 1 AFS.Example.",
    "x.example. 3600 IN RT 10 Relay.Example.",
    "x.example. 3600 IN PX 10 Map822.Example. MapX400.Example.",
    "x.example. 3600 IN KX 10 KX.Example.",
    "x.example. 3600 IN SRV 0 5 5060 SIP.Example.",
    "x.example. 3600 IN NAPTR 100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:Info@Example.com!\" "
    "Repl.Example.",
    "x.example. 3600 IN RRSIG A 13 2 3600 20300101000000 20200101000000 12345 Example.COM. "
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
    "x.example. 3600 IN MB MadName.Example.",
    "x.example. 3600 IN MG MgmName.Example.",
    "x.example. 3600 IN MR NewName.Example.",
    /* not lowered: NSEC (RFC 6840 5.1), types after RFC 3597, no names */
    "x.example. 3600 IN NSEC Next.Example. A NS RRSIG NSEC TYPE1234",
    "x.example. 3600 IN HINFO \"CPU\" \"OS\"",
    "x.example. 3600 IN TXT \"Hello World\" \"\"",
    "x.example. 3600 IN A 192.0.2.1",
    "x.example. 3600 IN AAAA 2001:db8::1",
    "x.example. 3600 IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
    "x.example. 3600 IN CAA 0 issue \"CA.Example\"",
    "x.example. 3600 IN TYPE1234 \\# 4 41424344",
    "x.example. 3600 IN NSEC3 1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
    "x.example. 3600 IN TALINK Prev.Example. Next.Example.",
    "x.example. 3600 IN LP 10 L64.Example.",
};
#define N_RRS (sizeof(rrs) / sizeof(rrs[0]))

static void test_against_ldns(void)
{
    for (size_t i = 0; i < N_RRS; i++) {
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL) != LDNS_STATUS_OK) {
            ok(0, "ldns parses %s", rrs[i]);
            continue;
        }
        uint8_t in[2048], ours[2048], theirs[2048];
        size_t len = th_ldns_rdata(rr, in, sizeof(in));
        uint16_t type = (uint16_t)ldns_rr_get_type(rr);
        int rc = ods_rdata_canonicalize(type, in, len, ours);
        ldns_rr2canonical(rr);
        size_t tlen = th_ldns_rdata(rr, theirs, sizeof(theirs));
        ok(rc == ODS_OK && tlen == len && memcmp(ours, theirs, len) == 0,
           "canonical RDATA of type %u matches ldns (%s)", type, rrs[i]);
        bool lowers = ods_rdata_type_lowers_names(type);
        ok(lowers == (memcmp(in, ours, len) != 0), "type %u %s its names", type,
           lowers ? "lowers" : "keeps the case of");
        memcpy(theirs, in, len);
        ok(ods_rdata_canonicalize(type, theirs, len, theirs) == ODS_OK &&
               memcmp(theirs, ours, len) == 0,
           "type %u canonicalizes in place", type);
        ldns_rr_free(rr);
    }
}

static void check_canon(uint16_t type, const void *in, size_t len, const void *want, int want_rc,
                        const char *what)
{
    uint8_t out[512];
    int rc = ods_rdata_canonicalize(type, in, len, out);
    if (want_rc != ODS_OK)
        is_int(rc, want_rc, "%s", what);
    else
        ok(rc == ODS_OK && memcmp(out, want, len) == 0, "%s: %s", what, th_hex(out, len));
}

static void test_by_hand(void)
{
    /* A6 (RFC 2874): ldns keeps A6 opaque, so these are checked by hand. */
    check_canon(38, "\100\1\2\3\4\5\6\7\10\3Pre\2EX", 17, "\100\1\2\3\4\5\6\7\10\3pre\2ex", ODS_OK,
                "A6 /64: suffix kept, prefix name lowered");
    check_canon(38, "\0AAAAAAAAAAAAAAAA", 17, "\0AAAAAAAAAAAAAAAA", ODS_OK,
                "A6 /0: no prefix name, address untouched");
    check_canon(38, "\200\1A", 4, "\200\1a", ODS_OK, "A6 /128: no suffix, name lowered");
    check_canon(38, "\201\0", 2, NULL, ODS_EINVAL, "A6 prefix length 129 is malformed");
    check_canon(38, "\100\1\2\3", 4, NULL, ODS_EINVAL, "A6 truncated suffix is malformed");
    check_canon(38, "\0AAAAAAAAAAAAAAAA\0", 18, NULL, ODS_EINVAL, "A6 /0 with a name is malformed");

    check_canon(15, "\0\12\1A\0X", 6, NULL, ODS_EINVAL, "MX with trailing octets is malformed");
    check_canon(15, "\0\12\5A", 4, NULL, ODS_EINVAL, "MX with a truncated name is malformed");
    check_canon(15, "\0", 1, NULL, ODS_EINVAL, "MX with a truncated preference is malformed");
    check_canon(6, "\1A\0\1B\0\0\0\0\1", 10, NULL, ODS_EINVAL, "SOA missing timers is malformed");
    check_canon(35, "\0\1\0\2\5ab", 7, NULL, ODS_EINVAL, "NAPTR string overrun is malformed");
    check_canon(2, "\300\14", 2, NULL, ODS_EINVAL, "NS with a compression pointer is malformed");
    check_canon(46, "\0\1\15\2\0\0\16\20\0\0\0\0\0\0\0\0\60\71\7EXAMPLE\0\1\2", 29,
                "\0\1\15\2\0\0\16\20\0\0\0\0\0\0\0\0\60\71\7example\0\1\2", ODS_OK,
                "RRSIG signer lowered, signature untouched");
    check_canon(30, "\1A\0\100", 4, "\1a\0\100", ODS_OK, "NXT next name lowered, bitmap kept");
    check_canon(1, "\300\0\2\1", 4, "\300\0\2\1", ODS_OK, "A is copied as is");
    check_canon(47, "\1A\0\0\1\100", 6, "\1A\0\0\1\100", ODS_OK, "NSEC keeps its case");
    check_canon(65, "\0\1\1A\0", 5, "\0\1\1A\0", ODS_OK, "HTTPS (after RFC 3597) keeps its case");
    ok(ods_rdata_canonicalize(2, NULL, 0, NULL) == ODS_EINVAL, "NS with empty RDATA is malformed");
    ok(ods_rdata_canonicalize(1, NULL, 0, NULL) == ODS_OK, "empty opaque RDATA is fine");
}

static void test_compare(void)
{
    ok(ods_rdata_compare((const uint8_t *)"ab", 2, (const uint8_t *)"abc", 3) < 0,
       "a proper prefix sorts first");
    ok(ods_rdata_compare((const uint8_t *)"\200", 1, (const uint8_t *)"\1\1", 2) > 0,
       "octets compare unsigned");
    ok(ods_rdata_compare((const uint8_t *)"", 0, (const uint8_t *)"", 0) == 0, "empty == empty");
    ok(ods_rdata_compare((const uint8_t *)"abd", 3, (const uint8_t *)"abc", 3) > 0, "abd > abc");
}

static int ref_cmp(const void *a, const void *b)
{
    const ods_rdata_ref_t *x = a, *y = b;
    return ods_rdata_compare(x->data, x->len, y->data, y->len);
}

/* Reference: libc qsort and a dedup pass, checked against ods_rdata_sort_unique. */
static void test_sort_unique(unsigned rounds)
{
    unsigned bad = 0;
    static const uint8_t alphabet[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
    for (unsigned r = 0; r < rounds; r++) {
        uint8_t store[64][6];
        ods_rdata_ref_t got[64], want[64];
        size_t n = th_below(r % 2 ? 64 : 16) + 1;
        for (size_t i = 0; i < n; i++) {
            uint16_t len = (uint16_t)th_below(4);
            for (size_t k = 0; k < len; k++)
                store[i][k] = alphabet[th_below(sizeof(alphabet))];
            got[i].data = want[i].data = store[i];
            got[i].len = want[i].len = len;
        }
        qsort(want, n, sizeof(want[0]), ref_cmp);
        size_t wn = 1;
        for (size_t i = 1; i < n; i++)
            if (ref_cmp(&want[wn - 1], &want[i]) != 0)
                want[wn++] = want[i];
        size_t gn = ods_rdata_sort_unique(got, n);
        int same = gn == wn;
        for (size_t i = 0; same && i < gn; i++)
            same = ref_cmp(&got[i], &want[i]) == 0;
        bad += !same;
    }
    is_int(bad, 0, "sort_unique matches qsort + dedup on %u random sets (1..64 RDATA)", rounds);
    is_int(ods_rdata_sort_unique(NULL, 0), 0, "sort_unique of nothing");
}

int main(void)
{
    uint64_t seed = th_seed();
    tap_diag("seed %llu (set ODS_TEST_SEED to replay)", (unsigned long long)seed);
    test_against_ldns();
    test_by_hand();
    test_compare();
    test_sort_unique(3000);
    return tap_done();
}
