#include "dnssec/rdata.h"
#include "dnssec/name.h"
#include "util/status.h"

#include <string.h>

/*
 * RDATA layouts of the types whose names are lowered, as a string of field
 * codes: 'n' a domain name, 's' a <character-string>, '2' and '6' fixed fields
 * of 2 and 6 octets, 'T' the five 32-bit SOA timers (20 octets), 'R' the 18
 * fixed octets that start SIG and RRSIG RDATA, '*' the rest (opaque).
 */
static const char *layout(uint16_t type)
{
    switch (type) {
    case 2:  /* NS */
    case 3:  /* MD */
    case 4:  /* MF */
    case 5:  /* CNAME */
    case 7:  /* MB */
    case 8:  /* MG */
    case 9:  /* MR */
    case 12: /* PTR */
    case 39: /* DNAME */
        return "n";
    case 6: /* SOA: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM */
        return "nnT";
    case 14: /* MINFO */
    case 17: /* RP */
        return "nn";
    case 15: /* MX */
    case 18: /* AFSDB */
    case 21: /* RT */
    case 36: /* KX */
        return "2n";
    case 26: /* PX */
        return "2nn";
    case 33: /* SRV: priority weight port target */
        return "6n";
    case 35: /* NAPTR: order preference flags services regexp replacement */
        return "22sssn";
    case 24: /* SIG */
    case 46: /* RRSIG: 18 fixed octets, signer's name, signature */
        return "Rn*";
    case 30: /* NXT: next name, bitmap */
        return "n*";
    default:
        return NULL;
    }
}

bool ods_rdata_type_lowers_names(uint16_t type)
{
    return type == 38 /* A6 */ || layout(type) != NULL;
}

static size_t fixed_len(char code)
{
    switch (code) {
    case '2':
        return 2;
    case '6':
        return 6;
    case 'T':
        return 20;
    case 'R':
        return 18;
    default:
        return 0;
    }
}

/* Lower the name at out[*pos] (checked against len) and step past it. */
static int lower_name_at(uint8_t *out, size_t len, size_t *pos)
{
    size_t nlen;
    if (ods_name_check(out + *pos, len - *pos, &nlen) != ODS_OK)
        return ODS_EINVAL;
    ods_name_to_lower(out + *pos, out + *pos);
    *pos += nlen;
    return ODS_OK;
}

static int canon_layout(const char *codes, uint8_t *out, size_t len)
{
    size_t pos = 0;
    for (const char *c = codes; *c != '\0'; c++) {
        if (*c == '*')
            return ODS_OK;
        if (*c == 'n') {
            if (lower_name_at(out, len, &pos) != ODS_OK)
                return ODS_EINVAL;
            continue;
        }
        size_t step = *c == 's' ? (pos < len ? (size_t)out[pos] + 1 : 1) : fixed_len(*c);
        if (step > len - pos)
            return ODS_EINVAL;
        pos += step;
    }
    return pos == len ? ODS_OK : ODS_EINVAL;
}

/* A6 (RFC 2874): prefix length, address suffix, prefix name if length > 0. */
static int canon_a6(uint8_t *out, size_t len)
{
    if (len < 1 || out[0] > 128)
        return ODS_EINVAL;
    size_t pos = 1 + (size_t)(128 - out[0] + 7) / 8;
    if (pos > len)
        return ODS_EINVAL;
    if (out[0] == 0)
        return pos == len ? ODS_OK : ODS_EINVAL;
    if (lower_name_at(out, len, &pos) != ODS_OK)
        return ODS_EINVAL;
    return pos == len ? ODS_OK : ODS_EINVAL;
}

int ods_rdata_canonicalize(uint16_t type, const uint8_t *rdata, size_t len, uint8_t *out)
{
    if (out != rdata && len > 0)
        memmove(out, rdata, len);
    if (type == 38)
        return canon_a6(out, len);
    const char *codes = layout(type);
    return codes == NULL ? ODS_OK : canon_layout(codes, out, len);
}

int ods_rdata_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int d = n > 0 ? memcmp(a, b, n) : 0;
    if (d != 0)
        return d;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int ref_compare(const ods_rdata_ref_t *a, const ods_rdata_ref_t *b)
{
    return ods_rdata_compare(a->data, a->len, b->data, b->len);
}

static void insertion_sort(ods_rdata_ref_t *r, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        ods_rdata_ref_t x = r[i];
        size_t j = i;
        while (j > 0 && ref_compare(&r[j - 1], &x) > 0) {
            r[j] = r[j - 1];
            j--;
        }
        r[j] = x;
    }
}

static void sift_down(ods_rdata_ref_t *r, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && ref_compare(&r[child], &r[child + 1]) < 0)
            child++;
        if (ref_compare(&r[root], &r[child]) >= 0)
            return;
        ods_rdata_ref_t t = r[root];
        r[root] = r[child];
        r[child] = t;
        root = child;
    }
}

static void heap_sort(ods_rdata_ref_t *r, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(r, i, n);
    for (size_t end = n; end-- > 1;) {
        ods_rdata_ref_t t = r[0];
        r[0] = r[end];
        r[end] = t;
        sift_down(r, 0, end);
    }
}

size_t ods_rdata_sort_unique(ods_rdata_ref_t *refs, size_t n)
{
    if (n < 2)
        return n;
    if (n < 16)
        insertion_sort(refs, n);
    else
        heap_sort(refs, n);
    size_t out = 1;
    for (size_t i = 1; i < n; i++)
        if (ref_compare(&refs[out - 1], &refs[i]) != 0)
            refs[out++] = refs[i];
    return out;
}
