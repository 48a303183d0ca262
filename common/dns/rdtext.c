#include "dns/rdtext.h"
#include "dnssec/algorithm.h"
#include "dnssec/bitmap.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ldns/ldns.h>
#include <openssl/evp.h>
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
        case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        case 'w': mult = 604800; break;
        default: return ODS_EINVAL;
        }
        if (digits == 0)
            return ODS_EINVAL;
        total += cur * mult;
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

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Hex over several tokens; "-" alone means empty when allow_dash. */
static int hex_decode_tokens(const ods_ztoken_t *tok, size_t n, ods_buf_t *out)
{
    int half = -1;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < tok[k].len; i++) {
            int v = hexval(tok[k].text[i]);
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

int ods_base64_decode_tokens(const ods_ztoken_t *tok, size_t n, ods_buf_t *out)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += tok[k].len;
    if (total == 0 || total % 4 != 0)
        return ODS_EINVAL;
    char *joined = malloc(total + 1);
    if (joined == NULL)
        return ODS_ENOMEM;
    size_t off = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(joined + off, tok[k].text, tok[k].len);
        off += tok[k].len;
    }
    size_t pad = 0;
    if (joined[total - 1] == '=')
        pad++;
    if (joined[total - 2] == '=')
        pad++;
    int rc = ods_buf_reserve(out, total / 4 * 3);
    if (rc == ODS_OK) {
        int got = EVP_DecodeBlock(out->data + out->len, (const unsigned char *)joined, (int)total);
        if (got < 0 || (size_t)got < pad)
            rc = ODS_EINVAL;
        else
            out->len += (size_t)got - pad;
    }
    free(joined);
    return rc;
}

/* A character-string (RFC 1035 5.1): escapes decoded, at most 255 octets. */
static int append_charstring(const ods_ztoken_t *t, ods_buf_t *out)
{
    uint8_t s[256];
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++) {
        unsigned char c = (unsigned char)t->text[i];
        if (c == '\\' && i + 1 < t->len) {
            if (i + 3 < t->len + 0 && isdigit((unsigned char)t->text[i + 1]) &&
                isdigit((unsigned char)t->text[i + 2]) && isdigit((unsigned char)t->text[i + 3])) {
                int v = (t->text[i + 1] - '0') * 100 + (t->text[i + 2] - '0') * 10 +
                        (t->text[i + 3] - '0');
                if (v > 255)
                    return ODS_EINVAL;
                c = (unsigned char)v;
                i += 3;
            } else {
                c = (unsigned char)t->text[++i];
            }
        }
        if (n == 255)
            return ODS_EINVAL;
        s[n++] = c;
    }
    if (ods_buf_append_u8(out, (uint8_t)n) != ODS_OK || ods_buf_append(out, s, n) != ODS_OK)
        return ODS_ENOMEM;
    return ODS_OK;
}

static int append_name(const ods_ztoken_t *t, const uint8_t *origin, ods_buf_t *out,
                       ods_err_t *err)
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
    if (tok_cstr(t, buf, sizeof(buf)) == ODS_OK)
        a = ods_algorithm_by_name(buf);
    if (a == NULL)
        return bad_field(err, "algorithm", t);
    return ods_buf_append_u8(out, a->number);
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
        if ((rc = append_charstring(&tok[i], out)) == ODS_EINVAL)
            return ods_err_set(err, ODS_EPARSE, "TXT string longer than 255 octets or bad escape");
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

static int rd_generic(const ods_ztoken_t *tok, size_t n, ods_buf_t *out, ods_err_t *err)
{
    uint32_t len;
    if (n < 2 || parse_uint(&tok[1], 65535, &len) != ODS_OK)
        return ods_err_set(err, ODS_EPARSE, "bad RFC 3597 data: expected '\\# length hex'");
    size_t at = out->len;
    if (hex_decode_tokens(tok + 2, n - 2, out) != ODS_OK || out->len - at != len)
        return ods_err_set(err, ODS_EPARSE, "RFC 3597 data does not match its length %u", len);
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
        return rd_generic(tok, n, out, err);
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
