#include "dns/denial.h"
#include "dns/zone_internal.h"
#include "dnssec/bitmap.h"
#include "dnssec/name.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* Types a bitmap lists from the name's own RRsets (NSEC and RRSIG are the signer's
 * own, added as the chain requires). */
static bool listed(uint16_t t)
{
    return t != LDNS_RR_TYPE_NSEC && t != LDNS_RR_TYPE_RRSIG;
}

/* The types at a name for its bitmap, plus extra (NSEC, RRSIG) as given. */
static size_t name_types(const ods_zname_t *n, uint16_t *types, size_t max, bool rrsig, bool nsec)
{
    size_t k = 0;
    for (uint16_t i = 0; i < n->nrrsets && k + 2 < max; i++) {
        if (listed(n->rrsets[i].type))
            types[k++] = n->rrsets[i].type;
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

/* A name's place in hash order: the first 8 bytes of its hash, and the name. */
typedef struct nsec3_key {
    uint64_t prefix;
    uint32_t name;
    uint32_t unused;
} nsec3_key_t;

static uint64_t hash_prefix(const uint8_t *h)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | h[i];
    return v;
}

/*
 * Sort keys by prefix, then runs of equal prefixes by the whole hash. A
 * least-significant-digit radix sort, 16 bits a pass: a million names sort in
 * a few milliseconds, where qsort over the 72-byte records took most of a
 * re-sign's NSEC3 time. tmp has room for n keys.
 */
static void nsec3_sort(nsec3_key_t *k, nsec3_key_t *tmp, size_t n, const uint8_t (*h)[20])
{
    static __thread size_t count[65536];
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, sizeof(count));
        for (size_t i = 0; i < n; i++)
            count[(k[i].prefix >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(k[i].prefix >> shift) & 0xffff]++] = k[i];
        memcpy(k, tmp, n * sizeof(*k));
    }
    /* equal prefixes (about one pair in 10^7 zones of a million names): insertion sort */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && k[j - 1].prefix == k[j].prefix &&
                           memcmp(h[k[j - 1].name], h[k[j].name], 20) > 0;
             j--) {
            nsec3_key_t t = k[j];
            k[j] = k[j - 1];
            k[j - 1] = t;
        }
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

/* The covered names in hash order, as keys (malloc'd *out, *n of them). */
static int nsec3_order(ods_zone_t *z, bool optout, const uint8_t (*h)[20], nsec3_key_t **out,
                       size_t *n)
{
    size_t count = ods_zone_count(z), m = 0;
    nsec3_key_t *k = malloc((count ? count : 1) * sizeof(*k));
    nsec3_key_t *tmp = malloc((count ? count : 1) * sizeof(*tmp));
    if (k == NULL || tmp == NULL) {
        free(k);
        free(tmp);
        return ODS_ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        ods_zname_t *nm = ods_zone_name(z, i);
        ods_zone_set_rrset(z, nm, LDNS_RR_TYPE_NSEC, 0, NULL, NULL, 0);
        if (ods_denial_nsec3_covers(nm, optout))
            k[m++] = (nsec3_key_t){ hash_prefix(h[i]), (uint32_t)i, 0 };
    }
    nsec3_sort(k, tmp, m, h);
    free(tmp);
    *out = k;
    *n = m;
    return ODS_OK;
}

int ods_denial_nsec3(ods_zone_t *z, const ods_nsec3_params_t *p, bool optout, uint32_t ttl,
                     const uint8_t (*hashes)[20], ods_err_t *err)
{
    size_t count = ods_zone_count(z), n = 0;
    if (count > UINT32_MAX)
        return ods_err_set(err, ODS_EINVAL, "cannot build the NSEC3 chain: too many names");
    ods_nsec3_params_t params = *p;
    params.flags = optout ? ODS_NSEC3_FLAG_OPTOUT : 0;
    uint8_t(*own)[20] = NULL;
    if (hashes == NULL) {
        if ((own = malloc((count ? count : 1) * sizeof(*own))) == NULL)
            return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
        if (ods_denial_nsec3_hash_range(z, p, 0, count, own) != ODS_OK) {
            free(own);
            return ods_err_set(err, ODS_EINVAL, "NSEC3 hash algorithm %u is not supported",
                               p->algorithm);
        }
        hashes = (const uint8_t(*)[20])own;
    }
    nsec3_key_t *keys = NULL;
    ods_znsec3_t *recs = NULL;
    int rc = nsec3_order(z, optout, hashes, &keys, &n);
    if (rc == ODS_OK && (recs = calloc(n ? n : 1, sizeof(*recs))) == NULL)
        rc = ODS_ENOMEM;
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        recs[i].name = ods_zone_name(z, keys[i].name);
        memcpy(recs[i].hash, hashes[keys[i].name], 20);
    }
    free(keys);
    free(own);
    if (rc != ODS_OK) {
        free(recs);
        return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
    }
    ods_buf_t buf = ODS_BUF_INIT;
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        if (i + 1 < n && memcmp(recs[i].hash, recs[i + 1].hash, 20) == 0)
            rc = ods_err_set(err, ODS_ECONFLICT, "NSEC3 hash collision: change the salt");
        else if (nsec3_rdata(z, &recs[i], recs[(i + 1) % n].hash, &params, ttl, &buf) != ODS_OK)
            rc = ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
    }
    ods_buf_free(&buf);
    if (rc != ODS_OK) {
        free(recs);
        return rc;
    }
    ods_zone_set_nsec3(z, recs, n);
    return ODS_OK;
}

/* The same name with the same flags and the same listed types: the same NSEC3. */
static bool same_shape(const ods_zname_t *a, const ods_zname_t *b)
{
    if (a->flags != b->flags || ods_name_compare(a->owner, b->owner) != 0)
        return false;
    uint16_t i = 0, j = 0;
    for (;;) {
        while (i < a->nrrsets && !listed(a->rrsets[i].type))
            i++;
        while (j < b->nrrsets && !listed(b->rrsets[j].type))
            j++;
        if (i == a->nrrsets || j == b->nrrsets)
            return i == a->nrrsets && j == b->nrrsets;
        if (a->rrsets[i++].type != b->rrsets[j++].type)
            return false;
    }
}

int ods_denial_nsec3_carry(ods_zone_t *z, const ods_zone_t *old, ods_err_t *err)
{
    size_t n = ods_zone_count(z), n3 = ods_zone_nsec3_count(old);
    if (n != ods_zone_count(old) || n3 == 0)
        return ODS_ENOTFOUND;
    for (size_t i = 0; i < n; i++)
        if (!same_shape(ods_zone_name(z, i), ods_zone_name(old, i)))
            return ODS_ENOTFOUND;
    for (size_t i = 0; i < n3; i++) {
        const ods_zname_t *on = ods_zone_nsec3(old, i)->name;
        if (on == NULL || on->index >= n || ods_zone_name(old, on->index) != on)
            return ODS_ENOTFOUND; /* read back from a file: no names to map */
    }
    ods_znsec3_t *recs = calloc(n3, sizeof(*recs));
    if (recs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
    for (size_t i = 0; i < n3; i++) {
        const ods_znsec3_t *o = ods_zone_nsec3(old, i);
        uint32_t off = 0;
        const uint8_t *rd;
        uint16_t len;
        memcpy(recs[i].hash, o->hash, 20);
        recs[i].name = ods_zone_name(z, o->name->index);
        if (!ods_rrset_next(&o->rrset, &off, &rd, &len) ||
            ods_zone_build_rrset(z, &recs[i].rrset, LDNS_RR_TYPE_NSEC3, o->rrset.ttl, &rd, &len,
                                 1) < 0) {
            free(recs);
            return ods_err_set(err, ODS_ENOMEM, "cannot build the NSEC3 chain: out of memory");
        }
        recs[i].rrset.flags = ODS_RRSET_CHANGED; /* until signatures are adopted */
    }
    ods_zone_set_nsec3(z, recs, n3);
    return ODS_OK;
}
