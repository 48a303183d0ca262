/* enf_rr.c -- DNSKEY and DS records as text (see enf_rr.h). */
#include "enf_rr.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec/ds.h"

size_t enf_rr_name_wire(const char *zone, uint8_t *out)
{
    size_t n = 0;
    const char *p = zone;
    while (*p && strcmp(p, ".") != 0) {
        size_t len = strcspn(p, ".");
        if (len == 0 || len > 63 || n + len + 2 > 255)
            return 0;
        out[n++] = (uint8_t)len;
        memcpy(out + n, p, len);
        n += len;
        p += len;
        if (*p == '.')
            p++;
    }
    out[n++] = 0;
    return n;
}

static const char *owner_dot(const char *zone)
{
    size_t n = strlen(zone);
    return n && zone[n - 1] == '.' ? "" : ".";
}

int enf_rr_dnskey(const char *zone, uint32_t ttl, const uint8_t *rdata, size_t len, ods_buf_t *out)
{
    if (len < 4)
        return ODS_EINVAL;
    size_t b64len = 4 * ((len - 4 + 2) / 3) + 1;
    unsigned char *b64 = malloc(b64len);
    if (!b64)
        return ODS_ENOMEM;
    EVP_EncodeBlock(b64, rdata + 4, (int)(len - 4));
    int rc =
        ods_buf_printf(out, "%s%s\t%u\tIN\tDNSKEY\t%u %u %u %s\n", zone, owner_dot(zone), ttl,
                       (unsigned)(rdata[0] << 8 | rdata[1]), rdata[2], rdata[3], (const char *)b64);
    free(b64);
    return rc;
}

int enf_rr_ds(const char *zone, uint32_t ttl, const uint8_t *rdata, size_t len, uint8_t digest_type,
              ods_buf_t *out, ods_err_t *err)
{
    uint8_t owner[256], ds[ODS_DS_RDATA_MAX];
    size_t olen = enf_rr_name_wire(zone, owner), dslen = 0;
    if (olen == 0)
        return ods_err_set(err, ODS_EINVAL, "zone name %s is not a valid DNS name", zone);
    int rc = ods_ds_rdata(owner, rdata, len, digest_type, ds, &dslen);
    if (rc != ODS_OK)
        return ods_err_set(err, rc, "zone %s: cannot make a DS record (digest type %u)", zone,
                           digest_type);
    rc = ods_buf_printf(out, "%s%s\t%u\tIN\tDS\t%u %u %u ", zone, owner_dot(zone), ttl,
                        (unsigned)(ds[0] << 8 | ds[1]), ds[2], ds[3]);
    for (size_t i = 4; rc == ODS_OK && i < dslen; i++)
        rc = ods_buf_printf(out, "%02x", ds[i]);
    if (rc == ODS_OK)
        rc = ods_buf_printf(out, "\n");
    return rc;
}
