#include "dns/rdtext.h"
#include "util/hex.h"
#include "dnssec/algorithm.h"
#include "dnssec/bitmap.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "dnssec/rdata.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKSTR(t) (int)(t)->len, (t)->text

static int tok_cstr(const ods_ztoken_t *t, char *buf, size_t size)
{
    if (t->len >= size)
        return ODS_EINVAL;
    memcpy(buf, t->text, t->len);
    buf[t->len] = '\0';
    return ODS_OK;
}

/* True if the name text ends with an unescaped dot. */
static bool name_is_absolute(const char *s, size_t len)
{
    if (len == 0 || s[len - 1] != '.')
        return false;
    size_t bs = 0;
    for (size_t i = len - 1; i > 0 && s[i - 1] == '\\'; i--)
        bs++;
    return (bs % 2) == 0;
}

int ods_dns_name_parse(const ods_ztoken_t *t, const uint8_t *origin, uint8_t *out, size_t *len,
                       ods_err_t *err)
{
    if (t->len == 1 && t->text[0] == '@' && !t->quoted) {
        if (origin == NULL)
            return ods_err_set(err, ODS_EPARSE, "'@' used but no $ORIGIN is known");
        *len = ods_name_len(origin);
        memcpy(out, origin, *len);
        return ODS_OK;
    }
    uint8_t rel[ODS_NAME_MAX_LEN];
    size_t rlen;
    ods_err_t e;
    if (ods_name_from_text(t->text, t->len, rel, &rlen, &e) != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "bad domain name '%.*s': %s", TOKSTR(t), e.msg);
    if (name_is_absolute(t->text, t->len) || (t->len == 1 && t->text[0] == '.')) {
        memcpy(out, rel, rlen);
        *len = rlen;
        return ODS_OK;
    }
    if (origin == NULL)
        return ods_err_set(err, ODS_EPARSE, "relative name '%.*s' but no $ORIGIN is known",
                           TOKSTR(t));
    size_t olen = ods_name_len(origin);
    if (rlen - 1 + olen > ODS_NAME_MAX_LEN)
        return ods_err_set(err, ODS_EPARSE, "name '%.*s' is longer than 255 octets with the origin",
                           TOKSTR(t));
    memcpy(out, rel, rlen - 1);
    memcpy(out + rlen - 1, origin, olen);
    *len = rlen - 1 + olen;
    return ODS_OK;
}

int ods_dns_ttl_parse(const ods_ztoken_t *t, uint32_t *ttl)
{
    uint64_t total = 0, cur = 0;
    int digits = 0, units = 0;
    if (t->len == 0 || t->quoted)
        return ODS_EINVAL;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->text[i];
        if (isdigit((unsigned char)c)) {
            cur = cur * 10 + (uint64_t)(c - '0');
            digits++;
            if (cur > 0xFFFFFFFFull)
                return ODS_EINVAL;
            continue;
        }
        uint64_t mult;
        switch (tolower((unsigned char)c)) {
        case 's':
            mult = 1;
            break;
        case 'm':
            mult = 60;
            break;
        case 'h':
            mult = 3600;
            break;
        case 'd':
            mult = 86400;
            break;
        case 'w':
            mult = 604800;
            break;
        default:
            return ODS_EINVAL;
        }
        if (digits == 0)
            return ODS_EINVAL;
        total += cur * mult;
        if (total > 0x7FFFFFFFull) /* checked per unit: many units must not wrap */
            return ODS_EINVAL;
        cur = 0;
        digits = 0;
        units++;
    }
    if (digits == 0 && units == 0)
        return ODS_EINVAL;
    total += cur;
    if (total > 0x7FFFFFFFull)
        return ODS_EINVAL;
    *ttl = (uint32_t)total;
    return ODS_OK;
}

int ods_dns_type_parse(const ods_ztoken_t *t, uint16_t *type)
{
    char buf[32];
    if (t->quoted || tok_cstr(t, buf, sizeof(buf)) != ODS_OK)
        return ODS_ENOTFOUND;
    if (strncasecmp(buf, "TYPE", 4) == 0 && isdigit((unsigned char)buf[4])) {
        char *end;
        unsigned long v = strtoul(buf + 4, &end, 10);
        if (*end != '\0' || v > 65535)
            return ODS_ENOTFOUND;
        *type = (uint16_t)v;
        return ODS_OK;
    }
    ldns_rr_type rt = ldns_get_rr_type_by_name(buf);
    if (rt == 0)
        return ODS_ENOTFOUND;
    *type = (uint16_t)rt;
    return ODS_OK;
}

static int parse_uint(const ods_ztoken_t *t, uint32_t max, uint32_t *v)
{
    if (t->len == 0 || t->len > 10 || t->quoted)
        return ODS_EINVAL;
    uint64_t x = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (!isdigit((unsigned char)t->text[i]))
            return ODS_EINVAL;
        x = x * 10 + (uint64_t)(t->text[i] - '0');
    }
    if (x > max)
        return ODS_EINVAL;
    *v = (uint32_t)x;
    return ODS_OK;
}

/* Hex over several tokens; "-" alone means empty when allow_dash. */
static int hex_decode_tokens(const ods_ztoken_t *tok, size_t n, ods_buf_t *out)
{
    int half = -1;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < tok[k].len; i++) {
            int v = ods_hex_digit(tok[k].text[i]);
            if (v < 0)
                return ODS_EINVAL;
            if (half < 0) {
                half = v;
            } else {
                if (ods_buf_append_u8(out, (uint8_t)(half << 4 | v)) != ODS_OK)
                    return ODS_ENOMEM;
                half = -1;
            }
        }
    }
    return half < 0 ? ODS_OK : ODS_EINVAL;
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* One complete group of four characters (acc holds 24 bits, pad '=' at the end). */
static int b64_group(uint32_t acc, unsigned pad, uint8_t *out, size_t *len)
{
    /* padding: at most two '=', and the bits they leave over must be zero (RFC 4648 3.5) */
    if (pad > 2 || (pad == 1 && (acc & 0xFF) != 0) || (pad == 2 && (acc & 0xFFFF) != 0))
        return ODS_EINVAL;
    out[(*len)++] = (uint8_t)(acc >> 16);
    if (pad < 2)
        out[(*len)++] = (uint8_t)(acc >> 8);
    if (pad < 1)
        out[(*len)++] = (uint8_t)acc;
    return ODS_OK;
}

int ods_base64_decode_tokens(const ods_ztoken_t *tok, size_t n, ods_buf_t *out)
{
    /* strict RFC 4648: groups of four, '=' only at the end of the last group */
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += tok[k].len;
    if (total == 0 || total % 4 != 0)
        return ODS_EINVAL;
    if (ods_buf_reserve(out, total / 4 * 3) != ODS_OK)
        return ODS_ENOMEM;
    uint32_t acc = 0;
    unsigned nchar = 0, pad = 0;
    size_t len = out->len;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < tok[k].len; i++) {
            unsigned char c = (unsigned char)tok[k].text[i];
            int v = c == '=' ? 0 : b64val(c);
            if (v < 0 || (pad > 0 && c != '='))
                return ODS_EINVAL;
            pad += c == '=';
            acc = acc << 6 | (uint32_t)v;
            if (++nchar == 4 && b64_group(acc, pad, out->data, &len) != ODS_OK)
                return ODS_EINVAL;
            if (nchar == 4)
                nchar = 0, acc = 0;
        }
    }
    out->len = len;
    return ODS_OK;
}

/* Decode the escape at t->text[*i] (a backslash); NULL or what is wrong. */
static const char *charstring_escape(const ods_ztoken_t *t, size_t *i, unsigned char *c)
{
    const char *s = t->text;
    if (*i + 1 >= t->len)
        return "a backslash ends the string";
    if (!isdigit((unsigned char)s[*i + 1])) {
        *c = (unsigned char)s[++*i];
        return NULL;
    }
    if (*i + 3 >= t->len || !isdigit((unsigned char)s[*i + 2]) ||
        !isdigit((unsigned char)s[*i + 3]))
        return "a \\DDD escape needs exactly three decimal digits";
    int v = (s[*i + 1] - '0') * 100 + (s[*i + 2] - '0') * 10 + (s[*i + 3] - '0');
    if (v > 255)
        return "a \\DDD escape is above 255";
    *c = (unsigned char)v;
    *i += 3;
    return NULL;
}

/* A character-string (RFC 1035 5.1): escapes decoded, at most 255 octets. */
static int append_charstring(const ods_ztoken_t *t, ods_buf_t *out, ods_err_t *err)
{
    uint8_t s[256];
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++) {
        unsigned char c = (unsigned char)t->text[i];
        const char *why = c == '\\' ? charstring_escape(t, &i, &c) : NULL;
        if (why != NULL)
            return ods_err_set(err, ODS_EPARSE, "bad escape in '%.*s': %s", TOKSTR(t), why);
        if (n == 255)
            return ods_err_set(err, ODS_EPARSE,
                               "TXT string longer than 255 octets: split it into several "
                               "quoted strings");
        s[n++] = c;
    }
    if (ods_buf_append_u8(out, (uint8_t)n) != ODS_OK || ods_buf_append(out, s, n) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    return ODS_OK;
}

static int append_name(const ods_ztoken_t *t, const uint8_t *origin, ods_buf_t *out, ods_err_t *err)
{
    uint8_t name[ODS_NAME_MAX_LEN];
    size_t len;
    int rc = ods_dns_name_parse(t, origin, name, &len, err);
    if (rc != ODS_OK)
        return rc;
    return ods_buf_append(out, name, len);
}

static int bad_field(ods_err_t *err, const char *what, const ods_ztoken_t *t)
{
    return ods_err_set(err, ODS_EPARSE, "bad %s '%.*s'", what, TOKSTR(t));
}

static int need_fields(ods_err_t *err, size_t n, size_t want, bool at_least, const char *type)
{
    if (n == want || (at_least && n > want))
        return ODS_OK;
    return ods_err_set(err, ODS_EPARSE, "%s needs %s%zu field%s, found %zu", type,
                       at_least ? "at least " : "", want, want == 1 ? "" : "s", n);
}

static int append_uint(const ods_ztoken_t *t, int bytes, ods_buf_t *out, const char *what,
                       ods_err_t *err)
{
    uint32_t v;
    uint32_t max = bytes == 1 ? 0xFF : bytes == 2 ? 0xFFFF : 0xFFFFFFFFu;
    if (parse_uint(t, max, &v) != ODS_OK)
        return bad_field(err, what, t);
    if (bytes == 1)
        return ods_buf_append_u8(out, (uint8_t)v);
    if (bytes == 2)
        return ods_buf_append_u16(out, (uint16_t)v);
    return ods_buf_append_u32(out, v);
}

/* DNSSEC algorithm: number or mnemonic. */
static int append_algorithm(const ods_ztoken_t *t, ods_buf_t *out, ods_err_t *err)
{
    uint32_t v;
    if (parse_uint(t, 255, &v) == ODS_OK)
        return ods_buf_append_u8(out, (uint8_t)v);
    char buf[32];
    const ods_algorithm_t *a = NULL;
    if (t->quoted || tok_cstr(t, buf, sizeof(buf)) != ODS_OK)
        return bad_field(err, "algorithm", t);
    if ((a = ods_algorithm_by_name(buf)) != NULL)
        return ods_buf_append_u8(out, a->number);
    /* the registry's other mnemonics (RFC 4034 A.1: DH, ECC, INDIRECT, PRIVATEDNS, ...) */
    const ldns_lookup_table *l = ldns_lookup_by_name(ldns_algorithms, buf);
    if (l == NULL || l->id < 0 || l->id > 255)
        return bad_field(err, "algorithm", t);
    return ods_buf_append_u8(out, (uint8_t)l->id);
}

static int rd_address(uint16_t type, const ods_ztoken_t *tok, size_t n, ods_buf_t *out,
                      ods_err_t *err)
{
    int af = type == LDNS_RR_TYPE_A ? AF_INET : AF_INET6;
    int rc = need_fields(err, n, 1, false, af == AF_INET ? "A" : "AAAA");
    char buf[64];
    uint8_t addr[16];
    if (rc != ODS_OK)
        return rc;
    if (tok_cstr(&tok[0], buf, sizeof(buf)) != ODS_OK || inet_pton(af, buf, addr) != 1)
        return bad_field(err, af == AF_INET ? "IPv4 address" : "IPv6 address", &tok[0]);
    return ods_buf_append(out, addr, af == AF_INET ? 4 : 16);
}

static int rd_soa(const ods_ztoken_t *tok, size_t n, const uint8_t *origin, ods_buf_t *out,
                  ods_err_t *err)
{
    int rc = need_fields(err, n, 7, false, "SOA");
    if (rc == ODS_OK)
        rc = append_name(&tok[0], origin, out, err);
    if (rc == ODS_OK)
        rc = append_name(&tok[1], origin, out, err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[2], 4, out, "SOA serial", err);
    for (size_t i = 3; rc == ODS_OK && i < 7; i++) {
        uint32_t v;
        if (ods_dns_ttl_parse(&tok[i], &v) != ODS_OK)
            return bad_field(err, "SOA timer", &tok[i]);
        rc = ods_buf_append_u32(out, v);
    }
    return rc;
}

static int rd_txt(const ods_ztoken_t *tok, size_t n, ods_buf_t *out, ods_err_t *err)
{
    int rc = need_fields(err, n, 1, true, "TXT");
    for (size_t i = 0; rc == ODS_OK && i < n; i++)
        rc = append_charstring(&tok[i], out, err);
    return rc;
}

static int rd_ds(const ods_ztoken_t *tok, size_t n, ods_buf_t *out, ods_err_t *err)
{
    int rc = need_fields(err, n, 4, true, "DS");
    if (rc == ODS_OK)
        rc = append_uint(&tok[0], 2, out, "key tag", err);
    if (rc == ODS_OK)
        rc = append_algorithm(&tok[1], out, err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[2], 1, out, "digest type", err);
    if (rc == ODS_OK && hex_decode_tokens(tok + 3, n - 3, out) != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "bad DS digest (hexadecimal expected)");
    return rc;
}

static int rd_dnskey(const ods_ztoken_t *tok, size_t n, ods_buf_t *out, ods_err_t *err)
{
    int rc = need_fields(err, n, 4, true, "DNSKEY");
    if (rc == ODS_OK)
        rc = append_uint(&tok[0], 2, out, "DNSKEY flags", err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[1], 1, out, "DNSKEY protocol", err);
    if (rc == ODS_OK)
        rc = append_algorithm(&tok[2], out, err);
    if (rc == ODS_OK && ods_base64_decode_tokens(tok + 3, n - 3, out) != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "bad DNSKEY public key (base64 expected)");
    return rc;
}

/* RRSIG time: YYYYMMDDHHmmSS or seconds since the epoch. */
static int append_sigtime(const ods_ztoken_t *t, ods_buf_t *out, ods_err_t *err)
{
    char buf[16];
    if (tok_cstr(t, buf, sizeof(buf)) != ODS_OK)
        return bad_field(err, "RRSIG time", t);
    if (t->len == 14) {
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        const char *end = strptime(buf, "%Y%m%d%H%M%S", &tm);
        if (end == NULL || *end != '\0')
            return bad_field(err, "RRSIG time", t);
        return ods_buf_append_u32(out, (uint32_t)timegm(&tm));
    }
    return append_uint(t, 4, out, "RRSIG time", err);
}

static int rd_rrsig(const ods_ztoken_t *tok, size_t n, const uint8_t *origin, ods_buf_t *out,
                    ods_err_t *err)
{
    uint16_t covered;
    int rc = need_fields(err, n, 9, true, "RRSIG");
    if (rc != ODS_OK)
        return rc;
    if (ods_dns_type_parse(&tok[0], &covered) != ODS_OK)
        return bad_field(err, "type covered", &tok[0]);
    rc = ods_buf_append_u16(out, covered);
    if (rc == ODS_OK)
        rc = append_algorithm(&tok[1], out, err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[2], 1, out, "labels", err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[3], 4, out, "original TTL", err);
    if (rc == ODS_OK)
        rc = append_sigtime(&tok[4], out, err);
    if (rc == ODS_OK)
        rc = append_sigtime(&tok[5], out, err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[6], 2, out, "key tag", err);
    if (rc == ODS_OK)
        rc = append_name(&tok[7], origin, out, err);
    if (rc == ODS_OK && ods_base64_decode_tokens(tok + 8, n - 8, out) != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "bad RRSIG signature (base64 expected)");
    return rc;
}

static int append_bitmap(const ods_ztoken_t *tok, size_t n, ods_buf_t *out, ods_err_t *err)
{
    uint16_t types[1024];
    if (n > sizeof(types) / sizeof(types[0]))
        return ods_err_set(err, ODS_EPARSE, "too many types in the type bitmap");
    for (size_t i = 0; i < n; i++)
        if (ods_dns_type_parse(&tok[i], &types[i]) != ODS_OK)
            return bad_field(err, "record type", &tok[i]);
    int rc = ods_buf_reserve(out, ODS_BITMAP_MAX_LEN);
    size_t written;
    if (rc == ODS_OK)
        rc = ods_bitmap_encode(types, n, out->data + out->len, ODS_BITMAP_MAX_LEN, &written);
    if (rc != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "cannot encode the type bitmap");
    out->len += written;
    return ODS_OK;
}

static int rd_nsec(const ods_ztoken_t *tok, size_t n, const uint8_t *origin, ods_buf_t *out,
                   ods_err_t *err)
{
    int rc = need_fields(err, n, 1, true, "NSEC");
    if (rc == ODS_OK)
        rc = append_name(&tok[0], origin, out, err);
    if (rc == ODS_OK)
        rc = append_bitmap(tok + 1, n - 1, out, err);
    return rc;
}

/* NSEC3 / NSEC3PARAM leading fields: algorithm flags iterations salt. */
static int append_nsec3_params(const ods_ztoken_t *tok, ods_buf_t *out, ods_err_t *err)
{
    int rc = append_uint(&tok[0], 1, out, "hash algorithm", err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[1], 1, out, "flags", err);
    if (rc == ODS_OK)
        rc = append_uint(&tok[2], 2, out, "iterations", err);
    if (rc != ODS_OK)
        return rc;
    if (tok[3].len == 1 && tok[3].text[0] == '-')
        return ods_buf_append_u8(out, 0);
    size_t at = out->len;
    if ((rc = ods_buf_append_u8(out, 0)) != ODS_OK)
        return rc;
    if (hex_decode_tokens(&tok[3], 1, out) != ODS_OK || out->len - at - 1 > 255)
        return bad_field(err, "salt", &tok[3]);
    out->data[at] = (uint8_t)(out->len - at - 1);
    return ODS_OK;
}

static int rd_nsec3(const ods_ztoken_t *tok, size_t n, ods_buf_t *out, ods_err_t *err)
{
    int rc = need_fields(err, n, 5, true, "NSEC3");
    if (rc == ODS_OK)
        rc = append_nsec3_params(tok, out, err);
    if (rc != ODS_OK)
        return rc;
    uint8_t hash[255];
    size_t hlen;
    if (ods_base32hex_decode(tok[4].text, tok[4].len, hash, sizeof(hash), &hlen) != ODS_OK ||
        hlen == 0)
        return bad_field(err, "next hashed owner", &tok[4]);
    if ((rc = ods_buf_append_u8(out, (uint8_t)hlen)) == ODS_OK)
        rc = ods_buf_append(out, hash, hlen);
    if (rc == ODS_OK)
        rc = append_bitmap(tok + 5, n - 5, out, err);
    return rc;
}

/* Fields that may be empty in the wire form (so ldns reads no rdf for them). */
static bool field_may_be_empty(ldns_rdf_type t)
{
    return t == LDNS_RDF_TYPE_LONG_STR || t == LDNS_RDF_TYPE_HEX || t == LDNS_RDF_TYPE_B64 ||
           t == LDNS_RDF_TYPE_NSEC || t == LDNS_RDF_TYPE_UNKNOWN || t == LDNS_RDF_TYPE_APL ||
           t == LDNS_RDF_TYPE_SVCPARAMS;
}

/* ldns read the fixed fields of a type: those it did not read may be empty. */
static bool fields_complete(const ldns_rr *rr, const ldns_rr_descriptor *d)
{
    for (size_t k = ldns_rr_rd_count(rr); k < ldns_rr_descriptor_minimum(d); k++)
        if (!field_may_be_empty(ldns_rr_descriptor_field_type(d, k)))
            return false;
    return true;
}

bool ods_rdata_wire_valid(uint16_t type, const uint8_t *rd, size_t len)
{
    const ldns_rr_descriptor *d = ldns_rr_descript(type);
    if (d == NULL || d->_name == NULL || strncmp(d->_name, "TYPE", 4) == 0)
        return true; /* unknown type: any data */
    uint8_t *wire = malloc(11 + len);
    if (wire == NULL)
        return false;
    memset(wire, 0, 11); /* root owner, class and TTL 0 */
    wire[1] = (uint8_t)(type >> 8);
    wire[2] = (uint8_t)type;
    wire[9] = (uint8_t)(len >> 8);
    wire[10] = (uint8_t)len;
    if (len > 0)
        memcpy(wire + 11, rd, len);
    ldns_rr *rr = NULL;
    size_t pos = 0;
    bool good = ldns_wire2rr(&rr, wire, 11 + len, &pos, LDNS_SECTION_ANSWER) == LDNS_STATUS_OK &&
                pos == 11 + len && fields_complete(rr, d);
    ldns_rr_free(rr);
    /* names inside (no compression pointers) are checked where the type has them */
    if (good && ods_rdata_type_lowers_names(type))
        good = ods_rdata_canonicalize(type, wire + 11, len, wire + 11) == ODS_OK;
    free(wire);
    return good;
}

static int rd_generic(uint16_t type, const ods_ztoken_t *tok, size_t n, ods_buf_t *out,
                      ods_err_t *err)
{
    uint32_t len;
    if (n < 2 || parse_uint(&tok[1], 65535, &len) != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "bad RFC 3597 data: expected '\\# length hex'");
    size_t at = out->len;
    if (hex_decode_tokens(tok + 2, n - 2, out) != ODS_OK || out->len - at != len)
        return ods_err_set(err, ODS_EPARSE, "RFC 3597 data does not match its length %u", len);
    /* RFC 3597 5: data in the generic form must be valid for a type whose layout is known */
    if (!ods_rdata_wire_valid(type, len > 0 ? out->data + at : NULL, len)) {
        char *name = ldns_rr_type2str((ldns_rr_type)type);
        ods_err_set(err, ODS_EPARSE, "RFC 3597 data is not a valid %s record", name ? name : "?");
        free(name);
        return ODS_EPARSE;
    }
    return ODS_OK;
}

static int rd_mx_like(const ods_ztoken_t *tok, size_t n, const uint8_t *origin, ods_buf_t *out,
                      ods_err_t *err)
{
    int rc = need_fields(err, n, 2, false, "MX");
    if (rc == ODS_OK)
        rc = append_uint(&tok[0], 2, out, "preference", err);
    if (rc == ODS_OK)
        rc = append_name(&tok[1], origin, out, err);
    return rc;
}

static int rd_srv(const ods_ztoken_t *tok, size_t n, const uint8_t *origin, ods_buf_t *out,
                  ods_err_t *err)
{
    int rc = need_fields(err, n, 4, false, "SRV");
    for (size_t i = 0; rc == ODS_OK && i < 3; i++)
        rc = append_uint(&tok[i], 2, out, "SRV field", err);
    if (rc == ODS_OK)
        rc = append_name(&tok[3], origin, out, err);
    return rc;
}

int ods_rdata_from_text(uint16_t type, const ods_ztoken_t *tok, size_t n, const uint8_t *origin,
                        ods_buf_t *out, ods_err_t *err)
{
    if (n > 0 && !tok[0].quoted && tok[0].len == 2 && memcmp(tok[0].text, "\\#", 2) == 0)
        return rd_generic(type, tok, n, out, err);
    switch (type) {
    case LDNS_RR_TYPE_A:
    case LDNS_RR_TYPE_AAAA:
        return rd_address(type, tok, n, out, err);
    case LDNS_RR_TYPE_NS:
    case LDNS_RR_TYPE_CNAME:
    case LDNS_RR_TYPE_DNAME:
    case LDNS_RR_TYPE_PTR: {
        int rc = need_fields(err, n, 1, false, "this type");
        return rc == ODS_OK ? append_name(&tok[0], origin, out, err) : rc;
    }
    case LDNS_RR_TYPE_MX:
        return rd_mx_like(tok, n, origin, out, err);
    case LDNS_RR_TYPE_SRV:
        return rd_srv(tok, n, origin, out, err);
    case LDNS_RR_TYPE_TXT:
    case LDNS_RR_TYPE_SPF:
        return rd_txt(tok, n, out, err);
    case LDNS_RR_TYPE_SOA:
        return rd_soa(tok, n, origin, out, err);
    case LDNS_RR_TYPE_DS:
    case LDNS_RR_TYPE_CDS:
        return rd_ds(tok, n, out, err);
    case LDNS_RR_TYPE_DNSKEY:
    case LDNS_RR_TYPE_CDNSKEY:
        return rd_dnskey(tok, n, out, err);
    case LDNS_RR_TYPE_RRSIG:
        return rd_rrsig(tok, n, origin, out, err);
    case LDNS_RR_TYPE_NSEC:
        return rd_nsec(tok, n, origin, out, err);
    case LDNS_RR_TYPE_NSEC3:
        return rd_nsec3(tok, n, out, err);
    case LDNS_RR_TYPE_NSEC3PARAM: {
        int rc = need_fields(err, n, 4, false, "NSEC3PARAM");
        return rc == ODS_OK ? append_nsec3_params(tok, out, err) : rc;
    }
    default:
        return ODS_EMECH;
    }
}
