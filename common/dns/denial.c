#include "dns/denial.h"
#include "dns/zone_internal.h"
#include "dnssec/bitmap.h"
#include "dnssec/name.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* The types at a name for its bitmap, plus extra (NSEC, RRSIG) as given. */
static size_t name_types(const ods_zname_t *n, uint16_t *types, size_t max, bool rrsig, bool nsec)
{
    size_t k = 0;
    for (uint16_t i = 0; i < n->nrrsets && k + 2 < max; i++) {
        uint16_t t = n->rrsets[i].type;
        if (t != LDNS_RR_TYPE_NSEC && t != LDNS_RR_TYPE_RRSIG)
            types[k++] = t;
    }
    if (rrsig)
        types[k++] = LDNS_RR_TYPE_RRSIG;
    if (nsec)
        types[k++] = LDNS_RR_TYPE_NSEC;
    return k;
}

/* A name with RRsets that get signatures (RFC 4035 2.2). */
static bool name_is_signed(const ods_zname_t *n)
{
    if (n->flags & (ODS_ZNAME_OCCLUDED | ODS_ZNAME_ENT) || n->nrrsets == 0)
        return false;
    if (n->flags & ODS_ZNAME_DELEG)
        return ods_zname_rrset(n, LDNS_RR_TYPE_DS) != NULL;
    return true;
}

static bool owns_nsec(const ods_zname_t *n)
{
    return !(n->flags & (ODS_ZNAME_OCCLUDED | ODS_ZNAME_ENT)) && n->nrrsets > 0;
}

static int set_nsec(ods_zone_t *z, ods_zname_t *n, const uint8_t *next, uint32_t ttl)
{
    uint16_t types[1024];
    uint8_t rd[ODS_NAME_MAX_LEN + ODS_BITMAP_MAX_LEN];
    size_t nl = ods_name_to_lower(rd, next), bl;
    size_t nt = name_types(n, types, 1024, true, true);
    if (ods_bitmap_encode(types, nt, rd + nl, sizeof(rd) - nl, &bl) != ODS_OK)
        return ODS_EINVAL;
    const uint8_t *rdp = rd;
    uint16_t len = (uint16_t)(nl + bl);
    return ods_zone_set_rrset(z, n, LDNS_RR_TYPE_NSEC, ttl, &rdp, &len, 1);
}

int ods_denial_nsec(ods_zone_t *z, uint32_t ttl, ods_err_t *err)
{
    ods_zone_set_nsec3(z, NULL, 0);
    size_t count = ods_zone_count(z);
    ods_zname_t *first = NULL, *prev = NULL;
    for (size_t i = 0; i < count; i++) {
        ods_zname_t *n = ods_zone_name(z, i);
        if (!owns_nsec(n)) {
            ods_zone_set_rrset(z, n, LDNS_RR_TYPE_NSEC, 0, NULL, NULL, 0);
            continue;
        }
        if (prev != NULL && set_nsec(z, prev, n->owner, ttl) != ODS_OK)
            return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC chain: out of memory");
        if (first == NULL)
            first = n;
        prev = n;
    }
    if (prev != NULL && set_nsec(z, prev, first->owner, ttl) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC chain: out of memory");
    return ODS_OK;
}

bool ods_denial_nsec3_covers(const ods_zname_t *n, bool optout)
{
    if (n->flags & ODS_ZNAME_OCCLUDED)
        return false;
    if (n->nrrsets == 0 && !(n->flags & ODS_ZNAME_ENT))
        return false;
    if (optout && (n->flags & ODS_ZNAME_DELEG) && ods_zname_rrset(n, LDNS_RR_TYPE_DS) == NULL)
        return false;
    return true;
}

int ods_denial_nsec3_hash_range(const ods_zone_t *z, const ods_nsec3_params_t *p, size_t from,
                                size_t to, uint8_t (*hashes)[20])
{
    for (size_t i = from; i < to; i++) {
        int rc = ods_nsec3_hash(ods_zone_name(z, i)->owner, p, hashes[i]);
        if (rc != ODS_OK)
            return rc;
    }
    return ODS_OK;
}

static int nsec3_cmp(const void *a, const void *b)
{
    return memcmp(((const ods_znsec3_t *)a)->hash, ((const ods_znsec3_t *)b)->hash, 20);
}

static int nsec3_rdata(ods_zone_t *z, ods_znsec3_t *r, const uint8_t *next,
                       const ods_nsec3_params_t *p, uint32_t ttl, ods_buf_t *buf)
{
    uint16_t types[1024];
    uint8_t bm[ODS_BITMAP_MAX_LEN];
    size_t bl;
    size_t nt = name_types(r->name, types, 1024, name_is_signed(r->name), false);
    if (ods_bitmap_encode(types, nt, bm, sizeof(bm), &bl) != ODS_OK)
        return ODS_EINVAL;
    ods_buf_reset(buf);
    if (ods_nsec3_rdata(buf, p, next, 20, bm, bl) != ODS_OK)
        return ODS_ENOMEM;
    const uint8_t *rd = buf->data;
    uint16_t len = (uint16_t)buf->len;
    memset(&r->rrset, 0, sizeof(r->rrset));
    int rc = ods_zone_build_rrset(z, &r->rrset, LDNS_RR_TYPE_NSEC3, ttl, &rd, &len, 1);
    r->rrset.flags = ODS_RRSET_CHANGED;
    return rc < 0 ? rc : ODS_OK;
}

int ods_denial_nsec3(ods_zone_t *z, const ods_nsec3_params_t *p, bool optout, uint32_t ttl,
                     const uint8_t (*hashes)[20], ods_err_t *err)
{
    size_t count = ods_zone_count(z), n = 0;
    ods_znsec3_t *recs = calloc(count ? count : 1, sizeof(*recs));
    if (recs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
    ods_nsec3_params_t params = *p;
    params.flags = optout ? ODS_NSEC3_FLAG_OPTOUT : 0;
    for (size_t i = 0; i < count; i++) {
        ods_zname_t *nm = ods_zone_name(z, i);
        ods_zone_set_rrset(z, nm, LDNS_RR_TYPE_NSEC, 0, NULL, NULL, 0);
        if (!ods_denial_nsec3_covers(nm, optout))
            continue;
        recs[n].name = nm;
        if (hashes != NULL)
            memcpy(recs[n].hash, hashes[i], 20);
        else if (ods_nsec3_hash(nm->owner, &params, recs[n].hash) != ODS_OK) {
            free(recs);
            return ods_err_set(err, ODS_EINVAL, "NSEC3 hash algorithm %u is not supported",
                               p->algorithm);
        }
        n++;
    }
    qsort(recs, n, sizeof(*recs), nsec3_cmp);
    ods_buf_t buf = ODS_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && memcmp(recs[i].hash, recs[i + 1].hash, 20) == 0) {
            free(recs);
            ods_buf_free(&buf);
            return ods_err_set(err, ODS_ECONFLICT, "NSEC3 hash collision: change the salt");
        }
        if (nsec3_rdata(z, &recs[i], recs[(i + 1) % n].hash, &params, ttl, &buf) != ODS_OK) {
            free(recs);
            ods_buf_free(&buf);
            return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
        }
    }
    ods_buf_free(&buf);
    ods_zone_set_nsec3(z, recs, n);
    return ODS_OK;
}
