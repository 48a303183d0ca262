#include "dnssec/rrsig.h"
#include "dnssec/name.h"
#include "dnssec/rdata.h"
#include "util/status.h"

#include <string.h>

static uint8_t *put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ods_rrsig_append_prefix(ods_buf_t *out, const ods_rrsig_fields_t *f)
{
    if (ods_buf_reserve(out, ODS_RRSIG_FIXED_LEN + ODS_NAME_MAX_LEN) != ODS_OK)
        return ODS_ENOMEM;
    uint8_t *p = out->data + out->len;
    p = put16(p, f->type_covered);
    *p++ = f->algorithm;
    *p++ = f->labels;
    p = put32(p, f->original_ttl);
    p = put32(p, f->expiration);
    p = put32(p, f->inception);
    p = put16(p, f->key_tag);
    out->len += ODS_RRSIG_FIXED_LEN + ods_name_to_lower(p, f->signer);
    return ODS_OK;
}

/* The owner as it appears in the signed data: lowered, wildcard-expanded. */
static int signed_owner(const uint8_t *owner, uint8_t labels, uint8_t *out, size_t *outlen)
{
    unsigned have = ods_name_labels(owner);
    if (labels > have)
        return ODS_EINVAL;
    if (labels == have) {
        *outlen = ods_name_to_lower(out, owner);
        return ODS_OK;
    }
    out[0] = 1;
    out[1] = '*';
    *outlen = 2 + ods_name_to_lower(out + 2, ods_name_strip(owner, have - labels));
    return ODS_OK;
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) / a * a;
}

/*
 * Fill refs[] with the canonical RDATA: the caller's own RDATA when the type
 * lowers no names, else copies made in scratch.
 */
static int canonical_refs(uint16_t type, const uint8_t *const *rdatas, const uint16_t *rdlens,
                          size_t n, ods_rdata_ref_t *refs, uint8_t *scratch)
{
    bool lowers = ods_rdata_type_lowers_names(type);
    for (size_t i = 0; i < n; i++) {
        refs[i].len = rdlens[i];
        refs[i].data = rdatas[i];
        if (!lowers)
            continue;
        if (ods_rdata_canonicalize(type, rdatas[i], rdlens[i], scratch) != ODS_OK)
            return ODS_EINVAL;
        refs[i].data = scratch;
        scratch += rdlens[i];
    }
    return ODS_OK;
}

int ods_rrsig_append_rrset(ods_buf_t *out, const uint8_t *owner, uint8_t labels, uint16_t type,
                           uint16_t rrclass, uint32_t ttl, const uint8_t *const *rdatas,
                           const uint16_t *rdlens, size_t n)
{
    uint8_t own[ODS_NAME_MAX_LEN];
    size_t ownlen, total = 0;
    if (n == 0 || signed_owner(owner, labels, own, &ownlen) != ODS_OK)
        return ODS_EINVAL;
    for (size_t i = 0; i < n; i++)
        total += rdlens[i];
    /* Layout after out->len: the result, then refs[n], then canonical copies. */
    size_t result_max = n * (ownlen + 10) + total;
    size_t refs_off = align_up(out->len + result_max, sizeof(void *));
    size_t end = refs_off + n * sizeof(ods_rdata_ref_t) + total;
    if (ods_buf_reserve(out, end - out->len) != ODS_OK)
        return ODS_ENOMEM;
    ods_rdata_ref_t *refs = (ods_rdata_ref_t *)(void *)(out->data + refs_off);
    if (canonical_refs(type, rdatas, rdlens, n, refs, (uint8_t *)(refs + n)) != ODS_OK)
        return ODS_EINVAL;
    n = ods_rdata_sort_unique(refs, n);
    uint8_t *p = out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        memcpy(p, own, ownlen);
        p = put16(p + ownlen, type);
        p = put16(p, rrclass);
        p = put32(p, ttl);
        p = put16(p, refs[i].len);
        if (refs[i].len > 0)
            memcpy(p, refs[i].data, refs[i].len);
        p += refs[i].len;
    }
    out->len = (size_t)(p - out->data);
    return ODS_OK;
}

int ods_rrsig_signed_data(ods_buf_t *out, const ods_rrsig_fields_t *f, const uint8_t *owner,
                          uint16_t rrclass, const uint8_t *const *rdatas, const uint16_t *rdlens,
                          size_t n)
{
    size_t before = out->len;
    int rc = ods_rrsig_append_prefix(out, f);
    if (rc == ODS_OK)
        rc = ods_rrsig_append_rrset(out, owner, f->labels, f->type_covered, rrclass,
                                    f->original_ttl, rdatas, rdlens, n);
    if (rc != ODS_OK)
        out->len = before;
    return rc;
}

int ods_rrsig_rdata(ods_buf_t *out, const ods_rrsig_fields_t *f, const uint8_t *sig, size_t siglen)
{
    if (siglen == 0)
        return ODS_EINVAL;
    size_t before = out->len;
    if (ods_rrsig_append_prefix(out, f) != ODS_OK || ods_buf_append(out, sig, siglen) != ODS_OK) {
        out->len = before;
        return ODS_ENOMEM;
    }
    return ODS_OK;
}

int ods_rrsig_parse(const uint8_t *rdata, size_t len, ods_rrsig_fields_t *f, const uint8_t **sig,
                    size_t *siglen)
{
    size_t nlen;
    if (len <= ODS_RRSIG_FIXED_LEN ||
        ods_name_check(rdata + ODS_RRSIG_FIXED_LEN, len - ODS_RRSIG_FIXED_LEN, &nlen) != ODS_OK ||
        ODS_RRSIG_FIXED_LEN + nlen >= len)
        return ODS_EINVAL;
    f->type_covered = get16(rdata);
    f->algorithm = rdata[2];
    f->labels = rdata[3];
    f->original_ttl = get32(rdata + 4);
    f->expiration = get32(rdata + 8);
    f->inception = get32(rdata + 12);
    f->key_tag = get16(rdata + 16);
    f->signer = rdata + ODS_RRSIG_FIXED_LEN;
    *sig = rdata + ODS_RRSIG_FIXED_LEN + nlen;
    *siglen = len - ODS_RRSIG_FIXED_LEN - nlen;
    return ODS_OK;
}
