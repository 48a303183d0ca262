#include "dnssec/nsec3.h"
#include "dnssec/digest.h"
#include "dnssec/name.h"
#include "util/status.h"

#include <string.h>

static const char b32hex[] = "0123456789abcdefghijklmnopqrstuv";

int ods_nsec3_hash(const uint8_t *name, const ods_nsec3_params_t *p, uint8_t *out)
{
    if (p->algorithm != ODS_NSEC3_SHA1)
        return ODS_EMECH;
    uint8_t lowered[ODS_NAME_MAX_LEN], h[ODS_NSEC3_HASH_LEN];
    size_t len = ods_name_to_lower(lowered, name);
    int rc = ods_digest2(ODS_DIGEST_SHA1, lowered, len, p->salt, p->salt_len, h);
    for (unsigned k = 0; rc == ODS_OK && k < p->iterations; k++)
        rc = ods_digest2(ODS_DIGEST_SHA1, h, sizeof(h), p->salt, p->salt_len, h);
    if (rc == ODS_OK)
        memcpy(out, h, sizeof(h));
    return rc;
}

size_t ods_base32hex_len(size_t inlen)
{
    return (inlen * 8 + 4) / 5;
}

int ods_base32hex_encode(const uint8_t *in, size_t inlen, char *out, size_t outlen)
{
    if (outlen <= ods_base32hex_len(inlen))
        return ODS_EINVAL;
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < inlen; i++) {
        acc = acc << 8 | in[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[k++] = b32hex[(acc >> bits) & 31];
        }
    }
    if (bits > 0)
        out[k++] = b32hex[(acc << (5 - bits)) & 31];
    out[k] = '\0';
    return ODS_OK;
}

static int b32hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'v')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'V')
        return c - 'A' + 10;
    return -1;
}

int ods_base32hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen, size_t *written)
{
    if (inlen * 5 / 8 > outlen)
        return ODS_EINVAL;
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < inlen; i++) {
        int v = b32hex_value(in[i]);
        if (v < 0)
            return ODS_EINVAL;
        acc = acc << 5 | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (uint8_t)(acc >> bits);
        }
    }
    /* A whole unused character, or unused bits that are not zero: not canonical. */
    if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
        return ODS_EINVAL;
    *written = k;
    return ODS_OK;
}

int ods_nsec3_owner(const uint8_t *hash, size_t hash_len, const uint8_t *zone, uint8_t *out,
                    size_t *outlen)
{
    size_t label = ods_base32hex_len(hash_len);
    size_t zlen = ods_name_len(zone);
    if (hash_len == 0 || label > ODS_LABEL_MAX_LEN || 1 + label + zlen > ODS_NAME_MAX_LEN)
        return ODS_EINVAL;
    char text[ODS_LABEL_MAX_LEN + 1];
    (void)ods_base32hex_encode(hash, hash_len, text, sizeof(text));
    out[0] = (uint8_t)label;
    memcpy(out + 1, text, label);
    memcpy(out + 1 + label, zone, zlen);
    *outlen = 1 + label + zlen;
    return ODS_OK;
}

static int append_params(ods_buf_t *out, const ods_nsec3_params_t *p)
{
    uint8_t head[5] = { p->algorithm, p->flags, (uint8_t)(p->iterations >> 8),
                        (uint8_t)p->iterations, p->salt_len };
    if (ods_buf_append(out, head, sizeof(head)) != ODS_OK ||
        ods_buf_append(out, p->salt, p->salt_len) != ODS_OK)
        return ODS_ENOMEM;
    return ODS_OK;
}

int ods_nsec3_rdata(ods_buf_t *out, const ods_nsec3_params_t *p, const uint8_t *next_hash,
                    size_t next_len, const uint8_t *bitmap, size_t bitmap_len)
{
    if (next_len == 0 || next_len > 255)
        return ODS_EINVAL;
    size_t before = out->len;
    if (ods_buf_reserve(out, 6 + p->salt_len + next_len + bitmap_len) != ODS_OK ||
        append_params(out, p) != ODS_OK || ods_buf_append_u8(out, (uint8_t)next_len) != ODS_OK ||
        ods_buf_append(out, next_hash, next_len) != ODS_OK ||
        ods_buf_append(out, bitmap, bitmap_len) != ODS_OK) {
        out->len = before;
        return ODS_ENOMEM;
    }
    return ODS_OK;
}

int ods_nsec3param_rdata(ods_buf_t *out, const ods_nsec3_params_t *p)
{
    size_t before = out->len;
    if (append_params(out, p) != ODS_OK) {
        out->len = before;
        return ODS_ENOMEM;
    }
    return ODS_OK;
}

int ods_nsec3param_parse(const uint8_t *rdata, size_t len, ods_nsec3_params_t *p, size_t *rest)
{
    if (len < 5 || len < 5 + (size_t)rdata[4])
        return ODS_EINVAL;
    p->algorithm = rdata[0];
    p->flags = rdata[1];
    p->iterations = (uint16_t)(rdata[2] << 8 | rdata[3]);
    p->salt_len = rdata[4];
    p->salt = rdata + 5;
    if (rest != NULL)
        *rest = 5 + (size_t)rdata[4];
    return ODS_OK;
}
