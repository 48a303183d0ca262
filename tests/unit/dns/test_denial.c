/*
 * Unit tests for authenticated denial (dns/denial): the NSEC and NSEC3
 * chains (with and without opt-out, salt, iterations) on gen-zone zones of
 * each kind and on hand-made tricky zones, compared record by record (owner,
 * next pointer, type bitmap, parameters, as wire RDATA) with the chain
 * ldns-signzone makes for the same zone and key, and every NSEC3 hash checked
 * with ldns_nsec3_hash_name.
 *
 * ldns-signzone -p only sets the opt-out flag and keeps insecure delegations
 * in the chain; with opt-out we leave them out (RFC 5155 6), so its chain is
 * compared after removing the records whose bitmap is NS alone (exactly the
 * insecure delegations) and relinking the next pointers.
 */
#include "tap.h"
#include "helpers.h"

#include "dns/denial.h"
#include "dns/zone.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t dnskey_rd[2048];
static uint16_t dnskey_len;
static char key_base[256];

/* One denial record: owner (lowered wire) and RDATA (next name lowered for NSEC). */
typedef struct drec {
    uint8_t owner[255];
    uint8_t rdata[2300];
    uint16_t len;
} drec_t;

typedef struct dset {
    drec_t *r;
    size_t n, cap;
} dset_t;

static drec_t *dset_add(dset_t *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->r = realloc(s->r, s->cap * sizeof(*s->r));
    }
    return memset(&s->r[s->n++], 0, sizeof(drec_t));
}

static int drec_cmp(const void *a, const void *b)
{
    return ods_name_compare(((const drec_t *)a)->owner, ((const drec_t *)b)->owner);
}

static void add_rec(dset_t *s, uint16_t type, const uint8_t *owner, const uint8_t *rd, size_t len)
{
    drec_t *r = dset_add(s);
    ods_name_to_lower(r->owner, owner);
    memcpy(r->rdata, rd, len);
    r->len = (uint16_t)len;
    if (type == LDNS_RR_TYPE_NSEC)
        ods_name_to_lower(r->rdata, rd);
}

static bool keygen(void)
{
    char cmd[600], *out = NULL;
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && ldns-keygen -a ECDSAP256SHA256 -r /dev/urandom example. 2>/dev/null",
             dt_dir());
    if (dt_run(cmd, &out) != 0 || out == NULL) {
        free(out);
        return false;
    }
    snprintf(key_base, sizeof(key_base), "%.*s", (int)strcspn(out, "\n"), out);
    free(out);
    char path[600];
    snprintf(path, sizeof(path), "%s/%s.key", dt_dir(), key_base);
    FILE *f = fopen(path, "r");
    ldns_rr *rr = NULL;
    bool got = f && ldns_rr_new_frm_fp(&rr, f, NULL, NULL, NULL) == LDNS_STATUS_OK;
    if (f)
        fclose(f);
    if (got) {
        ldns_buffer *b = ldns_buffer_new(2048);
        ldns_rr_rdata2buffer_wire(b, rr);
        dnskey_len = (uint16_t)ldns_buffer_position(b);
        memcpy(dnskey_rd, ldns_buffer_begin(b), dnskey_len);
        ldns_buffer_free(b);
        ldns_rr_free(rr);
    }
    return got;
}

typedef struct params {
    const char *label;
    bool nsec3, optout;
    uint16_t iterations;
    const char *salt; /* hex, or "" */
} params_t;

static size_t salt_bytes(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* Our chain: load, add the DNSKEY (and NSEC3PARAM), build, collect. */
static int our_chain(const char *path, const char *origin, const params_t *pp, dset_t *out,
                     size_t *bad_hash, uint32_t *bad_ttl)
{
    ods_zone_t *z = ods_zone_new(dt_name(origin));
    dt_read_t res;
    if (dt_zone_load(z, path, &res) != ODS_OK) {
        printf("# load: %s\n", res.err);
        ods_zone_free(z);
        return -1;
    }
    ods_zname_t *apex = ods_zone_apex_name(z);
    const uint8_t *rd = dnskey_rd;
    ods_zone_set_rrset(z, apex, LDNS_RR_TYPE_DNSKEY, 300, &rd, &dnskey_len, 1);
    uint8_t salt[255];
    ods_nsec3_params_t p = { ODS_NSEC3_SHA1, 0, pp->iterations, (uint8_t)salt_bytes(pp->salt, salt),
                             salt };
    ods_err_t err = { 0 };
    int rc;
    if (pp->nsec3) {
        ods_buf_t b = ODS_BUF_INIT;
        ods_nsec3param_rdata(&b, &p);
        const uint8_t *prd = b.data;
        uint16_t plen = (uint16_t)b.len;
        ods_zone_set_rrset(z, apex, LDNS_RR_TYPE_NSEC3PARAM, 0, &prd, &plen, 1);
        ods_buf_free(&b);
        rc = ods_denial_nsec3(z, &p, pp->optout, 1234, NULL, &err);
    } else {
        rc = ods_denial_nsec(z, 1234, &err);
    }
    if (rc != ODS_OK)
        printf("# denial: %s\n", err.msg);
    *bad_hash = 0;
    *bad_ttl = 0;
    for (size_t i = 0; i < ods_zone_count(z); i++) {
        ods_zname_t *n = ods_zone_name(z, i);
        ods_rrset_t *s = ods_zname_rrset(n, LDNS_RR_TYPE_NSEC);
        *bad_hash += pp->nsec3 && s != NULL; /* no NSEC in an NSEC3 zone */
        if (s == NULL)
            continue;
        uint32_t off = 0;
        const uint8_t *d;
        uint16_t l;
        while (ods_rrset_next(s, &off, &d, &l))
            add_rec(out, LDNS_RR_TYPE_NSEC, n->owner, d, l);
        *bad_ttl += s->ttl != 1234 || s->count != 1;
    }
    for (size_t i = 0; i < ods_zone_nsec3_count(z); i++) {
        ods_znsec3_t *r = ods_zone_nsec3(z, i);
        uint8_t owner[255], lh[20];
        size_t ol;
        ods_nsec3_owner(r->hash, 20, ods_zone_apex(z), owner, &ol);
        add_rec(out, LDNS_RR_TYPE_NSEC3, owner, r->rrset.rdata + 2, r->rrset.rdlen - 2u);
        *bad_ttl += r->rrset.ttl != 1234 || r->rrset.count != 1;
        /* the hash of the name it belongs to, by ldns */
        ldns_rdf *nm = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, ods_name_len(r->name->owner),
                                             r->name->owner);
        ldns_rdf *h = ldns_nsec3_hash_name(nm, 1, pp->iterations, p.salt_len, salt);
        size_t hl = 0;
        ods_base32hex_decode((const char *)ldns_rdf_data(h) + 1, ldns_rdf_data(h)[0], lh,
                             sizeof(lh), &hl);
        *bad_hash += hl != 20 || memcmp(lh, r->hash, 20) != 0;
        ldns_rdf_deep_free(nm);
        ldns_rdf_deep_free(h);
    }
    ods_zone_free(z);
    qsort(out->r, out->n, sizeof(*out->r), drec_cmp);
    return rc;
}

/* Bitmap of an NSEC3 RDATA is exactly {NS}: an insecure delegation. */
static bool nsec3_ns_only(const drec_t *r)
{
    size_t off = 5u + r->rdata[4];
    off += 1u + r->rdata[off];
    static const uint8_t ns_only[] = { 0, 1, 0x20 };
    return r->len - off == 3 && memcmp(r->rdata + off, ns_only, 3) == 0;
}

/* Drop insecure delegations and relink the (hash-ordered) chain. */
static void ldns_optout(dset_t *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!nsec3_ns_only(&s->r[i]))
            s->r[k++] = s->r[i];
    s->n = k;
    for (size_t i = 0; i < k; i++) {
        drec_t *r = &s->r[i], *next = &s->r[(i + 1) % k];
        size_t off = 5u + r->rdata[4];
        uint8_t hash[20];
        size_t hl;
        ods_base32hex_decode((const char *)next->owner + 1, next->owner[0], hash, 20, &hl);
        memcpy(r->rdata + off + 1, hash, 20);
    }
}

static int ldns_chain(const char *path, const char *origin, const params_t *pp, dset_t *out)
{
    char cmd[2000], signed_path[1100], opts[300] = "";
    snprintf(signed_path, sizeof(signed_path), "%s.signed", path);
    if (pp->nsec3)
        snprintf(opts, sizeof(opts), "-n -t %u %s%s %s", pp->iterations, *pp->salt ? "-s " : "",
                 pp->salt, pp->optout ? "-p" : "");
    snprintf(cmd, sizeof(cmd), "cd '%s' && ldns-signzone -o %s -f '%s' %s '%s' %s", dt_dir(),
             origin, signed_path, opts, path, key_base);
    char *msg = NULL;
    if (dt_run(cmd, &msg) != 0) {
        printf("# %s: %s\n", cmd, msg ? msg : "");
        free(msg);
        return -1;
    }
    free(msg);
    FILE *f = fopen(signed_path, "r");
    ldns_zone *lz = NULL;
    ldns_status st =
        f ? ldns_zone_new_frm_fp(&lz, f, NULL, 0, LDNS_RR_CLASS_IN) : LDNS_STATUS_FILE_ERR;
    if (f)
        fclose(f);
    if (st != LDNS_STATUS_OK)
        return -1;
    ldns_rr_list *l = ldns_zone_rrs(lz);
    uint16_t want = pp->nsec3 ? LDNS_RR_TYPE_NSEC3 : LDNS_RR_TYPE_NSEC;
    ldns_buffer *b = ldns_buffer_new(4096);
    for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
        ldns_rr *rr = ldns_rr_list_rr(l, i);
        if (ldns_rr_get_type(rr) != want)
            continue;
        ldns_buffer_clear(b);
        ldns_rr_rdata2buffer_wire(b, rr);
        add_rec(out, want, ldns_rdf_data(ldns_rr_owner(rr)), ldns_buffer_begin(b),
                ldns_buffer_position(b));
    }
    ldns_buffer_free(b);
    ldns_zone_deep_free(lz);
    if (pp->nsec3 && pp->optout) {
        /* relink in hash order (owner order is hash order: one label below the apex) */
        qsort(out->r, out->n, sizeof(*out->r), drec_cmp);
        ldns_optout(out);
    }
    qsort(out->r, out->n, sizeof(*out->r), drec_cmp);
    return 0;
}

static void show_rec(const char *who, const drec_t *r)
{
    printf("#   %-4s %s %s\n", who, dt_ntext(r->owner), dt_hex(r->rdata, r->len));
}

static void compare_chain(const char *zone, const char *path, const char *origin,
                          const params_t *pp)
{
    dset_t ours = { 0 }, theirs = { 0 };
    size_t bad_hash = 0;
    uint32_t bad_ttl = 0;
    int rc = our_chain(path, origin, pp, &ours, &bad_hash, &bad_ttl);
    ok(rc == 0 && ours.n > 0, "%s %s: our chain has %zu records", zone, pp->label, ours.n);
    if (pp->nsec3)
        ok(bad_hash == 0, "%s %s: every NSEC3 hash equals ldns_nsec3_hash_name, no NSEC left", zone,
           pp->label);
    ok(bad_ttl == 0, "%s %s: one record per owner, TTL as given", zone, pp->label);
    if (ldns_chain(path, origin, pp, &theirs) != 0) {
        ok(0, "%s %s: ldns-signzone signs it", zone, pp->label);
    } else {
        size_t diff = 0;
        for (size_t i = 0; i < ours.n && i < theirs.n; i++) {
            const drec_t *a = &ours.r[i], *b = &theirs.r[i];
            if (ods_name_equal(a->owner, b->owner) && a->len == b->len &&
                memcmp(a->rdata, b->rdata, a->len) == 0)
                continue;
            if (diff++ < 3) {
                show_rec("ours", a);
                show_rec("ldns", b);
            }
        }
        ok(diff == 0 && ours.n == theirs.n,
           "%s %s: same chain as ldns-signzone (%zu vs %zu records, %zu differ)", zone, pp->label,
           ours.n, theirs.n, diff);
    }
    free(ours.r);
    free(theirs.r);
}

static const char *const tricky =
    "$ORIGIN example.\n$TTL 300\n"
    "@ SOA ns1 host 1 3600 900 604800 300\n@ NS ns1\nns1 A 192.0.2.53\n"
    "insecure NS ns.other.\n"
    "a.b.onlyinsecure NS ns.other.\n"
    "secure NS ns.secure\nsecure DS 1 13 2 abcd\nns.secure A 192.0.2.1\n"
    "deep.glue.insecure A 192.0.2.9\n"
    "x.y.ent A 192.0.2.2\n"
    "*.wild A 192.0.2.3\n*.wild TXT \"wild\"\nsub.*.wild A 192.0.2.10\n"
    "dn DNAME target.\nbelow.dn A 192.0.2.4\nx.y.dn A 192.0.2.5\n"
    "MiXeD.Case A 192.0.2.6\n"
    "\\000.nul A 192.0.2.7\nnul A 192.0.2.8\n"
    "sec2 NS ns.other.\nsec2 DS 2 13 2 abcd\nx.sec2 NS ns.other.\n"
    "t TYPE65280 \\# 0\nt TYPE1000 \\# 0\nt CAA 0 issue \"x\"\n";

#define HEADER_CARRY                                                                               \
    "$ORIGIN example.\n$TTL 300\n@ SOA ns1 host 1 3600 900 604800 300\n@ NS ns1\n"                 \
    "ns1 A 192.0.2.53\ncarry-a A 192.0.2.5\nx.y.ent A 192.0.2.6\ncarry-d NS ns.carry-d\n"          \
    "ns.carry-d A 192.0.2.7\nsigned-d NS ns.other.\nsigned-d DS 1 13 2 abcd\n*.w TXT \"w\"\n"

static const char *const apex_only = "$ORIGIN example.\n$TTL 300\n"
                                     "@ SOA ns1.other. host 1 3600 900 604800 300\n"
                                     "@ NS ns1.other.\n";

static const char *const dname_apex = "$ORIGIN example.\n$TTL 300\n"
                                      "@ SOA ns1.other. host 1 3600 900 604800 300\n"
                                      "@ NS ns1.other.\n@ DNAME other.\nx A 192.0.2.1\n"
                                      "a.b A 192.0.2.2\n";

/* Switching NSEC <-> NSEC3 leaves nothing of the other kind; hashes given by the caller
 * (computed on threads in the signer) give the same chain as hashes computed inside. */
static void test_switch_and_hashes(const char *path)
{
    ods_zone_t *z = ods_zone_new(dt_name("example."));
    dt_read_t res;
    dt_zone_load(z, path, &res);
    uint8_t salt[2] = { 0xab, 0xcd };
    ods_nsec3_params_t p = { ODS_NSEC3_SHA1, 0, 3, 2, salt };
    ods_err_t err;
    size_t n = ods_zone_count(z);
    uint8_t(*h)[20] = calloc(n, 20);
    ok(ods_denial_nsec3_hash_range(z, &p, 0, n / 2, h) == ODS_OK &&
           ods_denial_nsec3_hash_range(z, &p, n / 2, n, h) == ODS_OK,
       "hash the names in two ranges");
    ods_denial_nsec3(z, &p, false, 60, (const uint8_t(*)[20])h, &err);
    size_t n3 = ods_zone_nsec3_count(z);
    uint8_t *blob = malloc(n3 * 400), *b2 = malloc(n3 * 400);
    size_t bl = 0, bl2 = 0;
    for (size_t i = 0; i < n3; i++) {
        ods_znsec3_t *r = ods_zone_nsec3(z, i);
        memcpy(blob + bl, r->hash, 20), bl += 20;
        memcpy(blob + bl, r->rrset.rdata, r->rrset.rdlen), bl += r->rrset.rdlen;
    }
    ods_denial_nsec(z, 60, &err);
    size_t nsec = 0;
    for (size_t i = 0; i < ods_zone_count(z); i++)
        nsec += ods_zname_rrset(ods_zone_name(z, i), LDNS_RR_TYPE_NSEC) != NULL;
    ok(ods_zone_nsec3_count(z) == 0 && nsec > 0, "NSEC3 -> NSEC: no NSEC3 left, %zu NSEC", nsec);
    ods_denial_nsec3(z, &p, false, 60, NULL, &err);
    nsec = 0;
    for (size_t i = 0; i < ods_zone_count(z); i++)
        nsec += ods_zname_rrset(ods_zone_name(z, i), LDNS_RR_TYPE_NSEC) != NULL;
    for (size_t i = 0; i < ods_zone_nsec3_count(z); i++) {
        ods_znsec3_t *r = ods_zone_nsec3(z, i);
        memcpy(b2 + bl2, r->hash, 20), bl2 += 20;
        memcpy(b2 + bl2, r->rrset.rdata, r->rrset.rdlen), bl2 += r->rrset.rdlen;
    }
    ok(nsec == 0 && ods_zone_nsec3_count(z) == n3, "NSEC -> NSEC3: no NSEC left");
    ok(bl == bl2 && memcmp(blob, b2, bl) == 0,
       "the chain from given hashes equals the chain from computed ones");
    free(blob);
    free(b2);
    free(h);
    ods_zone_free(z);
}

/* Given hashes that share their first 8 (or 12) bytes in shuffled order come
 * out in strict hash order: the radix sort's tie-break on the whole hash. */
static void test_hash_order(const char *path)
{
    ods_zone_t *z = ods_zone_new(dt_name("example."));
    dt_read_t res;
    dt_zone_load(z, path, &res);
    ods_nsec3_params_t p = { ODS_NSEC3_SHA1, 0, 0, 0, NULL };
    ods_err_t err;
    size_t n = ods_zone_count(z);
    uint8_t(*h)[20] = calloc(n, 20);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        for (int b = 0; b < 20; b++)
            h[i][b] = (uint8_t)(x >> (8 * (b % 8))) ^ (uint8_t)(b * 31);
        if (i % 3 == 0) /* a third share one 8-byte prefix, a ninth also bytes 8..11 */
            memset(h[i], 0x5a, i % 9 == 0 ? 12 : 8);
    }
    ods_denial_nsec3(z, &p, false, 60, (const uint8_t(*)[20])h, &err);
    size_t n3 = ods_zone_nsec3_count(z), bad = 0;
    for (size_t i = 1; i < n3; i++)
        bad += memcmp(ods_zone_nsec3(z, i - 1)->hash, ods_zone_nsec3(z, i)->hash, 20) >= 0;
    for (size_t i = 0; i < n3; i++) {
        const ods_znsec3_t *r = ods_zone_nsec3(z, i);
        bad += memcmp(r->hash, h[r->name->index], 20) != 0;
    }
    ok(n3 > 100 && bad == 0,
       "%zu NSEC3 records, many with equal 8-byte prefixes, in strict hash "
       "order, each with its name's hash (%zu wrong)",
       n3, bad);
    free(h);
    ods_zone_free(z);
}

/* The chain of a zone, as bytes: hash, RDATA and TTL of every NSEC3 in order (malloc'd). */
static uint8_t *chain_bytes(const ods_zone_t *z, size_t *len)
{
    size_t n3 = ods_zone_nsec3_count(z), bl = 0;
    uint8_t *b = malloc(n3 * 600 + 1);
    for (size_t i = 0; i < n3; i++) {
        const ods_znsec3_t *r = ods_zone_nsec3(z, i);
        memcpy(b + bl, r->hash, 20), bl += 20;
        memcpy(b + bl, r->rrset.rdata, r->rrset.rdlen), bl += r->rrset.rdlen;
        memcpy(b + bl, &r->rrset.ttl, 4), bl += 4;
        b[bl++] = (uint8_t)(r->name->index & 0xff);
    }
    *len = bl;
    return b;
}

/* ods_denial_nsec3_carry: a re-read that changed only RDATA keeps the chain, anything
 * that changes names, flags or types is refused (and then built: same result). */
static void test_carry(const char *base)
{
    uint8_t salt[1] = { 0x42 };
    ods_nsec3_params_t p = { ODS_NSEC3_SHA1, 0, 1, 1, salt };
    ods_err_t err;
    dt_read_t res;
    ods_zone_t *old = ods_zone_new(dt_name("example."));
    dt_zone_load(old, dt_write("carry0.zone", base), &res);
    ods_denial_nsec3(old, &p, true, 60, NULL, &err);
    static const struct {
        const char *what, *extra;
        bool same;
    } cases[] = {
        { "the same data", "", true },
        { "other RDATA and TTL", "carry-a 77 A 192.0.2.99\n", true },
        { "a new name", "brand-new A 192.0.2.1\n", false },
        { "a new type at a name", "carry-a TXT \"x\"\n", false },
        { "a new name under a new empty non-terminal", "x.ent2 A 192.0.2.1\n", false },
        { "a delegation gets a DS", "carry-d DS 1 13 2 abcd\n", false },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[8192];
        snprintf(text, sizeof(text), "%s%s", base, cases[i].extra);
        const char *rec = "carry-a A 192.0.2.5\n", *at = strstr(base, rec);
        if (cases[i].same && cases[i].extra[0] != 0 && at != NULL) /* replace that record */
            snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - base), base, cases[i].extra,
                     at + strlen(rec));
        ods_zone_t *z = ods_zone_new(dt_name("example."));
        ods_zone_t *ref = ods_zone_new(dt_name("example."));
        dt_zone_load(z, dt_write("carry1.zone", text), &res);
        dt_zone_load(ref, dt_path("carry1.zone"), &res);
        int rc = ods_denial_nsec3_carry(z, old, &err);
        ok(rc == (cases[i].same ? ODS_OK : ODS_ENOTFOUND), "carry with %s: %s", cases[i].what,
           cases[i].same ? "carried" : "refused");
        if (rc != ODS_OK)
            ods_denial_nsec3(z, &p, true, 60, NULL, &err);
        ods_denial_nsec3(ref, &p, true, 60, NULL, &err);
        size_t la, lb;
        uint8_t *a = chain_bytes(z, &la), *b = chain_bytes(ref, &lb);
        ok(la == lb && memcmp(a, b, la) == 0 && ods_zone_nsec3_count(z) > 0,
           "  and the chain equals one built from scratch (%zu records)", ods_zone_nsec3_count(z));
        free(a);
        free(b);
        ods_zone_free(z);
        ods_zone_free(ref);
    }
    ods_zone_free(old);
}

int main(void)
{
    if (!dt_have("ldns-signzone") || !dt_have("ldns-keygen") || !keygen()) {
        ok(0, "ldns-signzone and ldns-keygen are needed for the comparison");
        dt_cleanup();
        return tap_done();
    }
    static const params_t ps[] = {
        { "NSEC", false, false, 0, "" },
        { "NSEC3 0 iterations no salt", true, false, 0, "" },
        { "NSEC3 5 iterations salt aabbccdd", true, false, 5, "aabbccdd" },
        { "NSEC3 opt-out", true, true, 0, "" },
        { "NSEC3 opt-out 2 iterations salt 01", true, true, 2, "01" },
    };
    static const struct {
        const char *name, *text;
    } hand[] = { { "tricky", tricky }, { "apex-only", apex_only }, { "dname-apex", dname_apex } };
    for (size_t k = 0; k < sizeof(hand) / sizeof(hand[0]); k++) {
        char file[64], path[1100];
        snprintf(file, sizeof(file), "%s.zone", hand[k].name);
        snprintf(path, sizeof(path), "%s", dt_write(file, hand[k].text));
        for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
            compare_chain(hand[k].name, path, "example.", &ps[i]);
    }
    test_switch_and_hashes(dt_path("tricky.zone"));
    test_carry(HEADER_CARRY);
    static const char *const kinds[] = { "tld", "hosting", "mixed" };
    for (size_t k = 0; k < 3; k++) {
        char cmd[1200], file[64];
        snprintf(file, sizeof(file), "gen-%s.zone", kinds[k]);
        snprintf(cmd, sizeof(cmd), "%s/../shared/tools/gen-zone example. 400 --kind %s > '%s'",
                 getenv("ODS_SOURCE_ROOT") ? getenv("ODS_SOURCE_ROOT") : "..", kinds[k],
                 dt_path(file));
        if (!ok(dt_run(cmd, NULL) == 0, "gen-zone --kind %s", kinds[k]))
            continue;
        char path[1100];
        snprintf(path, sizeof(path), "%s", dt_path(file));
        for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
            compare_chain(kinds[k], path, "example.", &ps[i]);
        if (k == 0)
            test_hash_order(path);
    }
    dt_cleanup();
    return tap_done();
}
