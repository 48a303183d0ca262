#include "dns/rdprint.h"
#include "dnssec/bitmap.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "util/status.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ods_type_append(ods_buf_t *out, uint16_t type)
{
    const ldns_rr_descriptor *d = ldns_rr_descript(type);
    if (d != NULL && d->_name != NULL && strncmp(d->_name, "TYPE", 4) != 0)
        return ods_buf_append(out, d->_name, strlen(d->_name));
    return ods_buf_printf(out, "TYPE%u", type);
}

static int append_base64(ods_buf_t *out, const uint8_t *data, size_t len)
{
    size_t need = 4 * ((len + 2) / 3) + 1;
    if (ods_buf_reserve(out, need) != ODS_OK)
        return ODS_ENOMEM;
    int n = EVP_EncodeBlock(out->data + out->len, data, (int)len);
    out->len += (size_t)n;
    return ODS_OK;
}

static int append_hex(ods_buf_t *out, const uint8_t *data, size_t len, int upper)
{
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    const char *digits = upper ? up : lo;
    if (ods_buf_reserve(out, 2 * len) != ODS_OK)
        return ODS_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        out->data[out->len++] = (uint8_t)digits[data[i] >> 4];
        out->data[out->len++] = (uint8_t)digits[data[i] & 15];
    }
    return ODS_OK;
}

static int append_charstrings(ods_buf_t *out, const uint8_t *p, size_t len)
{
    size_t i = 0;
    int rc = ODS_OK;
    while (rc == ODS_OK && i < len) {
        size_t n = p[i++];
        if (i + n > len)
            return ODS_EINVAL;
        rc = ods_buf_append(out, i > 1 ? " \"" : "\"", i > 1 ? 2 : 1);
        for (size_t k = 0; rc == ODS_OK && k < n; k++) {
            uint8_t c = p[i + k];
            if (c == '"' || c == '\\')
                rc = ods_buf_printf(out, "\\%c", c);
            else if (c < 32 || c > 126)
                rc = ods_buf_printf(out, "\\%03u", c);
            else
                rc = ods_buf_append_u8(out, c);
        }
        if (rc == ODS_OK)
            rc = ods_buf_append_u8(out, '"');
        i += n;
    }
    return rc;
}

/* d as n decimal digits, zero-padded, at p. */
static void put_digits(char *p, uint32_t d, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + d % 10);
        d /= 10;
    }
}

/*
 * YYYYMMDDHHmmSS (UTC) of t, the RRSIG time form (RFC 4034 3.2). Computed
 * rather than through gmtime_r and strftime, which showed in the profile of
 * writing a big zone (two per signature): the civil date from the day count,
 * counted in 400-year eras from 0000-03-01 so that leap days fall at the end.
 */
static int append_time(ods_buf_t *out, uint32_t t)
{
    uint32_t days = t / 86400, sec = t % 86400;
    uint32_t z = days + 719468; /* days since 0000-03-01 */
    uint32_t era = z / 146097, doe = z % 146097;
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;
    uint32_t day = doy - (153 * mp + 2) / 5 + 1;
    uint32_t month = mp < 10 ? mp + 3 : mp - 9;
    uint32_t year = era * 400 + yoe + (month <= 2);
    char b[14];
    put_digits(b, year, 4);
    put_digits(b + 4, month, 2);
    put_digits(b + 6, day, 2);
    put_digits(b + 8, sec / 3600, 2);
    put_digits(b + 10, sec / 60 % 60, 2);
    put_digits(b + 12, sec % 60, 2);
    return ods_buf_append(out, b, sizeof(b));
}

static int append_bitmap_types(ods_buf_t *out, const uint8_t *bm, size_t len)
{
    uint16_t types[1024];
    size_t n;
    if (ods_bitmap_decode(bm, len, types, 1024, &n) != ODS_OK)
        return ODS_EINVAL;
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        rc = ods_buf_append_u8(out, ' ');
        if (rc == ODS_OK)
            rc = ods_type_append(out, types[i]);
    }
    return rc;
}

/* Name at p (within len); advances *off. */
static int append_name_at(ods_buf_t *out, const uint8_t *rdata, size_t len, size_t *off)
{
    size_t nl;
    if (ods_name_check(rdata + *off, len - *off, &nl) != ODS_OK)
        return ODS_EINVAL;
    int rc = ods_name_append_text(out, rdata + *off);
    *off += nl;
    return rc;
}

/* " a b c " style runs of numbers: each number preceded by sep. */
static int append_nums(ods_buf_t *out, char sep, size_t n, const uint32_t *v)
{
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        if (sep != 0 && (i > 0 || sep == ' '))
            rc = ods_buf_append_u8(out, (uint8_t)sep);
        if (rc == ODS_OK)
            rc = ods_buf_append_uint(out, v[i]);
    }
    return rc;
}

/* "N N N " from a 16-bit and two 8-bit fields (DS, DNSKEY). */
static int append_key_head(ods_buf_t *out, const uint8_t *r)
{
    uint32_t v[3] = { rd16(r), r[2], r[3] };
    int rc = append_nums(out, 0, 1, v);
    rc = rc ? rc : append_nums(out, ' ', 2, v + 1);
    return rc ? rc : ods_buf_append_u8(out, ' ');
}

static int print_rrsig(ods_buf_t *out, const uint8_t *r, uint16_t len)
{
    if (len < 19)
        return ODS_EINVAL;
    int rc = ods_type_append(out, rd16(r));
    uint32_t head[3] = { r[2], r[3], rd32(r + 4) };
    rc = rc ? rc : append_nums(out, ' ', 3, head);
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    rc = rc ? rc : append_time(out, rd32(r + 8));
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    rc = rc ? rc : append_time(out, rd32(r + 12));
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    rc = rc ? rc : ods_buf_append_uint(out, rd16(r + 16));
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    size_t off = 18;
    rc = rc ? rc : append_name_at(out, r, len, &off);
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    return rc ? rc : append_base64(out, r + off, len - off);
}

static int print_nsec3_common(ods_buf_t *out, const uint8_t *r, uint16_t len, size_t *off)
{
    if (len < 5 || 5u + r[4] > len)
        return ODS_EINVAL;
    uint32_t head[3] = { r[0], r[1], rd16(r + 2) };
    int rc = append_nums(out, 0, 1, head);
    rc = rc ? rc : append_nums(out, ' ', 2, head + 1);
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    if (rc == ODS_OK)
        rc = r[4] == 0 ? ods_buf_append_u8(out, '-') : append_hex(out, r + 5, r[4], 0);
    *off = 5u + r[4];
    return rc;
}

static int print_nsec3(ods_buf_t *out, const uint8_t *r, uint16_t len)
{
    size_t off;
    int rc = print_nsec3_common(out, r, len, &off);
    if (rc != ODS_OK || off >= len || off + 1u + r[off] > len)
        return rc ? rc : ODS_EINVAL;
    char b32[512];
    size_t hl = r[off];
    if (ods_base32hex_encode(r + off + 1, hl, b32, sizeof(b32)) != ODS_OK)
        return ODS_EINVAL;
    rc = ods_buf_append_u8(out, ' ');
    rc = rc ? rc : ods_buf_append_str(out, b32);
    off += 1 + hl;
    return rc ? rc : append_bitmap_types(out, r + off, len - off);
}

static int print_soa(ods_buf_t *out, const uint8_t *r, uint16_t len)
{
    size_t off = 0;
    int rc = append_name_at(out, r, len, &off);
    rc = rc ? rc : ods_buf_append_u8(out, ' ');
    rc = rc ? rc : append_name_at(out, r, len, &off);
    if (rc != ODS_OK || off + 20 != len)
        return rc ? rc : ODS_EINVAL;
    return ods_buf_printf(out, " %u %u %u %u %u", rd32(r + off), rd32(r + off + 4),
                          rd32(r + off + 8), rd32(r + off + 12), rd32(r + off + 16));
}

/* Types whose whole RDATA is one domain name. */
static int is_name_type(uint16_t t)
{
    return t == LDNS_RR_TYPE_NS || t == LDNS_RR_TYPE_CNAME || t == LDNS_RR_TYPE_DNAME ||
           t == LDNS_RR_TYPE_PTR;
}

static int print_fast(ods_buf_t *out, uint16_t type, const uint8_t *r, uint16_t len)
{
    char addr[64];
    size_t off = 0;
    int rc;
    switch (type) {
    case LDNS_RR_TYPE_A:
        if (len != 4 || inet_ntop(AF_INET, r, addr, sizeof(addr)) == NULL)
            return ODS_EINVAL;
        return ods_buf_append(out, addr, strlen(addr));
    case LDNS_RR_TYPE_AAAA:
        if (len != 16 || inet_ntop(AF_INET6, r, addr, sizeof(addr)) == NULL)
            return ODS_EINVAL;
        return ods_buf_append(out, addr, strlen(addr));
    case LDNS_RR_TYPE_MX:
        if (len < 3)
            return ODS_EINVAL;
        rc = ods_buf_append_uint(out, rd16(r));
        rc = rc ? rc : ods_buf_append_u8(out, ' ');
        off = 2;
        rc = rc ? rc : append_name_at(out, r, len, &off);
        return rc == ODS_OK && off != len ? ODS_EINVAL : rc;
    case LDNS_RR_TYPE_TXT:
    case LDNS_RR_TYPE_SPF:
        /* no string at all has no text form: the RFC 3597 form instead */
        return len == 0 ? ODS_EINVAL : append_charstrings(out, r, len);
    case LDNS_RR_TYPE_SOA:
        return print_soa(out, r, len);
    case LDNS_RR_TYPE_DS:
    case LDNS_RR_TYPE_CDS:
        if (len < 5)
            return ODS_EINVAL;
        rc = append_key_head(out, r);
        return rc ? rc : append_hex(out, r + 4, len - 4u, 1);
    case LDNS_RR_TYPE_DNSKEY:
    case LDNS_RR_TYPE_CDNSKEY:
        if (len < 5)
            return ODS_EINVAL;
        rc = append_key_head(out, r);
        return rc ? rc : append_base64(out, r + 4, len - 4u);
    case LDNS_RR_TYPE_RRSIG:
        return print_rrsig(out, r, len);
    case LDNS_RR_TYPE_NSEC:
        rc = append_name_at(out, r, len, &off);
        return rc ? rc : append_bitmap_types(out, r + off, len - off);
    case LDNS_RR_TYPE_NSEC3:
        return print_nsec3(out, r, len);
    case LDNS_RR_TYPE_NSEC3PARAM:
        rc = print_nsec3_common(out, r, len, &off);
        return rc == ODS_OK && off != len ? ODS_EINVAL : rc;
    default:
        if (!is_name_type(type))
            return ODS_EMECH;
        rc = append_name_at(out, r, len, &off);
        return rc == ODS_OK && off != len ? ODS_EINVAL : rc;
    }
}

/* Any other type: let ldns print it; RFC 3597 form if it cannot. */
static int print_ldns(ods_buf_t *out, uint16_t type, const uint8_t *r, uint16_t len)
{
    uint8_t wire[65536 + 16];
    size_t pos = 0;
    wire[0] = 0; /* root owner */
    wire[1] = (uint8_t)(type >> 8);
    wire[2] = (uint8_t)type;
    wire[3] = 0;
    wire[4] = 1;
    memset(wire + 5, 0, 4);
    wire[9] = (uint8_t)(len >> 8);
    wire[10] = (uint8_t)len;
    if (len > 0)
        memcpy(wire + 11, r, len);
    ldns_rr *rr = NULL;
    ldns_status st = ldns_wire2rr(&rr, wire, 11u + len, &pos, LDNS_SECTION_ANSWER);
    int rc = ODS_EMECH;
    /* ldns stops after the fields it knows: data it left over, or fields it could not
     * read, would be lost in its text; print those in the RFC 3597 form instead */
    const ldns_rr_descriptor *d = ldns_rr_descript(type);
    if (st == LDNS_STATUS_OK &&
        (pos != 11u + len || d == NULL || ldns_rr_rd_count(rr) < ldns_rr_descriptor_minimum(d)))
        st = LDNS_STATUS_ERR;
    if (st != LDNS_STATUS_OK) {
        ldns_rr_free(rr);
    } else {
        /* names ourselves: ldns leaves '"' (and '@', '$') in a label unescaped, and such a
         * name would not read back (found by fuzzing: a NAPTR replacement "Linux") */
        size_t at = out->len;
        ldns_buffer *b = ldns_buffer_new(256);
        rc = b ? ODS_OK : ODS_ENOMEM;
        for (size_t i = 0; rc == ODS_OK && i < ldns_rr_rd_count(rr); i++) {
            const ldns_rdf *f = ldns_rr_rdf(rr, i);
            if (i > 0)
                rc = ods_buf_append_u8(out, ' ');
            if (rc == ODS_OK && ldns_rdf_get_type(f) == LDNS_RDF_TYPE_DNAME) {
                rc = ods_name_append_text(out, ldns_rdf_data(f));
                continue;
            }
            ldns_buffer_clear(b);
            if (rc == ODS_OK &&
                (ldns_rdf2buffer_str(b, f) != LDNS_STATUS_OK || !ldns_buffer_status_ok(b)))
                rc = ODS_EMECH;
            if (rc == ODS_OK)
                rc = ods_buf_append(out, ldns_buffer_begin(b), ldns_buffer_position(b));
        }
        if (rc != ODS_OK)
            out->len = at;
        ldns_buffer_free(b);
        ldns_rr_free(rr);
    }
    if (rc == ODS_EMECH) {
        rc = ods_buf_printf(out, "\\# %u", len);
        if (rc == ODS_OK && len > 0)
            rc = ods_buf_append_u8(out, ' ');
        if (rc == ODS_OK)
            rc = append_hex(out, r, len, 0);
    }
    return rc;
}

int ods_rdata_append_text(ods_buf_t *out, uint16_t type, const uint8_t *rdata, uint16_t len)
{
    size_t mark = out->len;
    int rc = print_fast(out, type, rdata, len);
    if (rc == ODS_EMECH || rc == ODS_EINVAL) {
        out->len = mark;
        rc = print_ldns(out, type, rdata, len);
    }
    return rc;
}

int ods_rr_append_text_owner(ods_buf_t *out, const char *owner, size_t owner_len, uint32_t ttl,
                             uint16_t type, const uint8_t *rdata, uint16_t len)
{
    int rc = ods_buf_append(out, owner, owner_len);
    rc = rc ? rc : ods_buf_append_u8(out, '\t');
    rc = rc ? rc : ods_buf_append_uint(out, ttl);
    rc = rc ? rc : ods_buf_append(out, "\tIN\t", 4);
    rc = rc ? rc : ods_type_append(out, type);
    rc = rc ? rc : ods_buf_append_u8(out, '\t');
    rc = rc ? rc : ods_rdata_append_text(out, type, rdata, len);
    return rc ? rc : ods_buf_append_u8(out, '\n');
}

int ods_rr_append_text(ods_buf_t *out, const uint8_t *owner, uint32_t ttl, uint16_t type,
                       const uint8_t *rdata, uint16_t len)
{
    char text[ODS_NAME_TEXT_MAX];
    int rc = ods_name_to_text(owner, text, sizeof(text));
    return rc ? rc : ods_rr_append_text_owner(out, text, strlen(text), ttl, type, rdata, len);
}
