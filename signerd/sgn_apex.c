#include "sgn_apex.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "conf/params.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

static const ods_rrset_t *apex_soa(const ods_zone_t *z, size_t *fixed)
{
    ods_zname_t *apex = ods_zone_apex_name(z);
    ods_rrset_t *soa = apex ? ods_zname_rrset(apex, LDNS_RR_TYPE_SOA) : NULL;
    if (soa == NULL || soa->count != 1 || soa->rdlen < 2 + 22)
        return NULL;
    /* the fixed fields follow the two names */
    size_t off = 2, len;
    const uint8_t *rd = soa->rdata;
    size_t rdlen = soa->rdlen;
    if (ods_name_check(rd + off, rdlen - off, &len) != ODS_OK)
        return NULL;
    off += len;
    if (ods_name_check(rd + off, rdlen - off, &len) != ODS_OK)
        return NULL;
    off += len;
    if (off + 20 != rdlen)
        return NULL;
    *fixed = off;
    return soa;
}

int sgn_apex_serial(const ods_zone_t *z, uint32_t *serial)
{
    size_t off;
    const ods_rrset_t *soa = apex_soa(z, &off);
    if (soa == NULL)
        return ODS_EZONE;
    const uint8_t *p = soa->rdata + off;
    *serial = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return ODS_OK;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int sgn_apex_set_soa(ods_zone_t *z, uint32_t serial, uint32_t ttl, uint32_t minimum, ods_err_t *err)
{
    size_t off;
    const ods_rrset_t *soa = apex_soa(z, &off);
    if (soa == NULL)
        return ods_err_set(err, ODS_EZONE, "the zone has no usable SOA record");
    uint8_t rd[ODS_NAME_MAX_LEN * 2 + 20];
    uint16_t len = (uint16_t)(soa->rdlen - 2);
    memcpy(rd, soa->rdata + 2, len);
    put32(rd + off - 2, serial);
    put32(rd + off - 2 + 16, minimum);
    const uint8_t *p = rd;
    int rc = ods_zone_set_rrset(z, ods_zone_apex_name(z), LDNS_RR_TYPE_SOA, ttl, &p, &len, 1);
    return rc == ODS_OK ? ODS_OK : ods_err_set(err, rc, "cannot update the SOA record");
}

/* Same key apart from the flags' REVOKE bit? Then the input copy is ours. */
static int same_key(const uint8_t *a, uint16_t alen, const uint8_t *b, uint16_t blen)
{
    return alen == blen && alen >= 4 && memcmp(a + 2, b + 2, alen - 2u) == 0 &&
           ((a[0] << 8 | a[1]) & ~0x80) == ((b[0] << 8 | b[1]) & ~0x80);
}

int sgn_apex_set_dnskeys(ods_zone_t *z, const sgn_keyset_t *ks, const ods_rrset_t *input,
                         uint32_t ttl, ods_err_t *err)
{
    size_t max = ks->n + (input ? input->count : 0) + 1;
    const uint8_t **rd = malloc(max * sizeof(*rd));
    uint16_t *rl = malloc(max * sizeof(*rl));
    size_t n = 0;
    if (rd == NULL || rl == NULL) {
        free(rd);
        free(rl);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ks->n; i++) {
        if (!ks->keys[i].publish)
            continue;
        rd[n] = ks->keys[i].dnskey;
        rl[n++] = ks->keys[i].dnskey_len;
    }
    uint32_t off = 0;
    const uint8_t *d;
    uint16_t len;
    while (input != NULL && ods_rrset_next(input, &off, &d, &len)) {
        int ours = 0;
        for (size_t i = 0; i < ks->n && !ours; i++)
            ours = same_key(d, len, ks->keys[i].dnskey, ks->keys[i].dnskey_len);
        if (!ours) {
            rd[n] = d;
            rl[n++] = len;
        }
    }
    int rc = ods_zone_set_rrset(z, ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY, ttl, rd, rl, n);
    free(rd);
    free(rl);
    return rc == ODS_OK ? ODS_OK : ods_err_set(err, rc, "cannot build the DNSKEY RRset");
}

int sgn_apex_set_nsec3param(ods_zone_t *z, const ods_signconf_t *sc, ods_err_t *err)
{
    ods_zname_t *apex = ods_zone_apex_name(z);
    if (sc->denial != ODS_DENIAL_NSEC3)
        return ods_zone_set_rrset(z, apex, LDNS_RR_TYPE_NSEC3PARAM, 0, NULL, NULL, 0);
    ods_nsec3_params_t p = {
        .algorithm = sc->nsec3_algorithm,
        .flags = 0,
        .iterations = sc->nsec3_iterations,
        .salt_len = (uint8_t)sc->nsec3_salt_len,
        .salt = sc->nsec3_salt,
    };
    ods_buf_t b = ODS_BUF_INIT;
    int rc = ods_nsec3param_rdata(&b, &p);
    if (rc == ODS_OK) {
        const uint8_t *rd = b.data;
        uint16_t len = (uint16_t)b.len;
        rc = ods_zone_set_rrset(z, apex, LDNS_RR_TYPE_NSEC3PARAM, (uint32_t)sc->nsec3_ttl, &rd,
                                &len, 1);
    }
    ods_buf_free(&b);
    return rc == ODS_OK ? ODS_OK : ods_err_set(err, rc, "cannot build the NSEC3PARAM record");
}
