#include "dns/zone.h"
#include "dns/zone_internal.h"
#include "dnssec/name.h"
#include "dnssec/rdata.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

ods_zone_t *ods_zone_new(const uint8_t *apex)
{
    ods_zone_t *z = calloc(1, sizeof(*z));
    if (z == NULL)
        return NULL;
    z->arena = ods_arena_new();
    if (z->arena == NULL) {
        free(z);
        return NULL;
    }
    ods_name_to_lower(z->apex, apex);
    return z;
}

void ods_zone_free(ods_zone_t *z)
{
    if (z == NULL)
        return;
    for (size_t i = 0; i < z->nextra; i++)
        ods_arena_free(z->extra[i]);
    free(z->extra);
    free(z->names);
    free(z->nsec3);
    ods_arena_free(z->arena);
    free(z);
}

const uint8_t *ods_zone_apex(const ods_zone_t *z)
{
    return z->apex;
}

ods_arena_t *ods_zone_arena(ods_zone_t *z)
{
    return z->arena;
}

size_t ods_zone_count(const ods_zone_t *z)
{
    return z->nnames;
}

ods_zname_t *ods_zone_name(const ods_zone_t *z, size_t i)
{
    return i < z->nnames ? z->names[i] : NULL;
}

ods_zname_t *ods_zone_find(const ods_zone_t *z, const uint8_t *owner)
{
    size_t lo = 0, hi = z->nnames;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ods_name_compare(z->names[mid]->owner, owner);
        if (c == 0)
            return z->names[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

ods_zname_t *ods_zone_apex_name(const ods_zone_t *z)
{
    /* The apex sorts before every name below it. */
    return z->nnames > 0 && (z->names[0]->flags & ODS_ZNAME_APEX) ? z->names[0] : NULL;
}

ods_rrset_t *ods_zname_rrset(const ods_zname_t *n, uint16_t type)
{
    for (uint16_t i = 0; i < n->nrrsets; i++)
        if (n->rrsets[i].type == type)
            return &n->rrsets[i];
    return NULL;
}

bool ods_rrset_next(const ods_rrset_t *s, uint32_t *off, const uint8_t **rdata, uint16_t *len)
{
    if (*off + 2 > s->rdlen)
        return false;
    *len = (uint16_t)(s->rdata[*off] << 8 | s->rdata[*off + 1]);
    *rdata = s->rdata + *off + 2;
    *off += 2u + *len;
    return true;
}

int ods_rrsig_from_rdata(ods_rrsig_t *sig, const uint8_t *rdata, uint16_t len)
{
    if (len < 19)
        return ODS_EINVAL;
    sig->rdata = rdata;
    sig->len = len;
    sig->algorithm = rdata[2];
    sig->expiration =
        (uint32_t)rdata[8] << 24 | (uint32_t)rdata[9] << 16 | (uint32_t)rdata[10] << 8 | rdata[11];
    sig->inception = (uint32_t)rdata[12] << 24 | (uint32_t)rdata[13] << 16 |
                     (uint32_t)rdata[14] << 8 | rdata[15];
    sig->keytag = (uint16_t)(rdata[16] << 8 | rdata[17]);
    return ODS_OK;
}

void ods_rrset_set_sigs(ods_rrset_t *s, ods_rrsig_t *sigs, uint16_t nsigs)
{
    s->sigs = sigs;
    s->nsigs = nsigs;
}

int ods_zone_reserve_arenas(ods_zone_t *z, size_t more)
{
    if (z->extra_cap - z->nextra >= more)
        return ODS_OK;
    size_t cap = z->nextra + more + 8;
    ods_arena_t **n = realloc(z->extra, cap * sizeof(*n));
    if (n == NULL)
        return ODS_ENOMEM;
    z->extra = n;
    z->extra_cap = cap;
    return ODS_OK;
}

int ods_zone_adopt_arena(ods_zone_t *z, ods_arena_t *a)
{
    if (ods_zone_reserve_arenas(z, 1) != ODS_OK)
        return ODS_ENOMEM;
    z->extra[z->nextra++] = a;
    return ODS_OK;
}

int ods_zone_build_rrset(ods_zone_t *z, ods_rrset_t *s, uint16_t type, uint32_t ttl,
                         const uint8_t *const *rdatas, const uint16_t *rdlens, size_t count)
{
    /* Canonical copies go to scratch memory, only the final blob to the arena. */
    if (count > UINT16_MAX) /* the count field; no RRset this large fits in a message */
        return ODS_EINVAL;
    ods_rdata_ref_t stack_refs[16];
    uint8_t stack_canon[2048];
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += 2u + rdlens[i];
    ods_rdata_ref_t *refs = count <= 16 ? stack_refs : malloc(count * sizeof(*refs));
    uint8_t *canon = total <= sizeof(stack_canon) ? stack_canon : malloc(total);
    uint8_t *blob = NULL;
    int rc = (refs && canon) ? ODS_OK : ODS_ENOMEM;
    size_t off = 0, n = 0;
    for (size_t i = 0; rc == ODS_OK && i < count; i++) {
        memcpy(canon + off, rdatas[i], rdlens[i]);
        if (ods_rdata_canonicalize(type, canon + off, rdlens[i], canon + off) != ODS_OK)
            rc = ODS_EINVAL;
        refs[i].data = canon + off;
        refs[i].len = rdlens[i];
        off += rdlens[i];
    }
    if (rc == ODS_OK) {
        n = ods_rdata_sort_unique(refs, count);
        blob = ods_arena_alloc(z->arena, total);
        rc = blob ? ODS_OK : ODS_ENOMEM;
    }
    off = 0;
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        blob[off] = (uint8_t)(refs[i].len >> 8);
        blob[off + 1] = (uint8_t)refs[i].len;
        memcpy(blob + off + 2, refs[i].data, refs[i].len);
        off += 2u + refs[i].len;
    }
    if (refs != stack_refs)
        free(refs);
    if (canon != stack_canon)
        free(canon);
    if (rc != ODS_OK)
        return rc;
    s->type = type;
    s->ttl = ttl;
    s->count = (uint16_t)n;
    s->rdata = blob;
    s->rdlen = (uint32_t)off;
    return (int)n;
}

static int rrset_same(const ods_rrset_t *a, const ods_rrset_t *b)
{
    return a->type == b->type && a->ttl == b->ttl && a->rdlen == b->rdlen &&
           memcmp(a->rdata, b->rdata, a->rdlen) == 0;
}

int ods_zone_set_rrset(ods_zone_t *z, ods_zname_t *n, uint16_t type, uint32_t ttl,
                       const uint8_t *const *rdatas, const uint16_t *rdlens, size_t count)
{
    ods_rrset_t *old = ods_zname_rrset(n, type);
    if (count == 0) {
        if (old != NULL) {
            size_t at = (size_t)(old - n->rrsets);
            memmove(old, old + 1, (n->nrrsets - at - 1) * sizeof(*old));
            n->nrrsets--;
        }
        return ODS_OK;
    }
    ods_rrset_t s = { 0 };
    int rc = ods_zone_build_rrset(z, &s, type, ttl, rdatas, rdlens, count);
    if (rc < 0)
        return rc;
    if (old != NULL) {
        if (rrset_same(old, &s))
            return ODS_OK;
        s.flags = ODS_RRSET_CHANGED;
        *old = s;
        return ODS_OK;
    }
    /* insert keeping the RRsets sorted by type */
    ods_rrset_t *arr = ods_arena_alloc(z->arena, (n->nrrsets + 1u) * sizeof(*arr));
    if (arr == NULL)
        return ODS_ENOMEM;
    uint16_t i = 0, j = 0;
    s.flags = ODS_RRSET_CHANGED;
    for (; i < n->nrrsets && n->rrsets[i].type < type; i++)
        arr[j++] = n->rrsets[i];
    arr[j++] = s;
    for (; i < n->nrrsets; i++)
        arr[j++] = n->rrsets[i];
    n->rrsets = arr;
    n->nrrsets++;
    return ODS_OK;
}

static int adopt_rrset(ods_zone_t *z, ods_rrset_t *s, const ods_rrset_t *o)
{
    if (o == NULL || !rrset_same(s, o)) {
        s->flags |= ODS_RRSET_CHANGED;
        return 0;
    }
    s->flags &= (uint16_t)~ODS_RRSET_CHANGED;
    if (o->nsigs == 0)
        return 1;
    ods_rrsig_t *sigs = ods_arena_alloc(z->arena, o->nsigs * sizeof(*sigs));
    if (sigs == NULL)
        return ODS_ENOMEM;
    for (uint16_t i = 0; i < o->nsigs; i++) {
        sigs[i] = o->sigs[i];
        sigs[i].rdata = ods_arena_dup(z->arena, o->sigs[i].rdata, o->sigs[i].len);
        if (sigs[i].rdata == NULL)
            return ODS_ENOMEM;
    }
    ods_rrset_set_sigs(s, sigs, o->nsigs);
    return 1;
}

int ods_zone_adopt_signatures(ods_zone_t *z, const ods_zone_t *old, size_t *adopted)
{
    size_t i = 0, j = 0, count = 0;
    while (i < z->nnames) {
        ods_zname_t *n = z->names[i];
        int c = j < old->nnames ? ods_name_compare(old->names[j]->owner, n->owner) : 1;
        if (c < 0) {
            j++;
            continue;
        }
        const ods_zname_t *o = c == 0 ? old->names[j] : NULL;
        for (uint16_t k = 0; k < n->nrrsets; k++) {
            int rc =
                adopt_rrset(z, &n->rrsets[k], o ? ods_zname_rrset(o, n->rrsets[k].type) : NULL);
            if (rc < 0)
                return rc;
            count += (size_t)rc;
        }
        i++;
        if (c == 0)
            j++;
    }
    /* NSEC3 records: both arrays are in hash order */
    for (i = 0, j = 0; i < z->nnsec3; i++) {
        while (j < old->nnsec3 && memcmp(old->nsec3[j].hash, z->nsec3[i].hash, 20) < 0)
            j++;
        int same = j < old->nnsec3 && memcmp(old->nsec3[j].hash, z->nsec3[i].hash, 20) == 0;
        int rc = adopt_rrset(z, &z->nsec3[i].rrset, same ? &old->nsec3[j].rrset : NULL);
        if (rc < 0)
            return rc;
        count += (size_t)rc;
    }
    if (adopted != NULL)
        *adopted = count;
    return ODS_OK;
}

void ods_zone_clear_changed(ods_zone_t *z)
{
    for (size_t i = 0; i < z->nnames; i++)
        for (uint16_t k = 0; k < z->names[i]->nrrsets; k++)
            z->names[i]->rrsets[k].flags &= (uint16_t)~ODS_RRSET_CHANGED;
    for (size_t i = 0; i < z->nnsec3; i++)
        z->nsec3[i].rrset.flags &= (uint16_t)~ODS_RRSET_CHANGED;
}

size_t ods_zone_nsec3_count(const ods_zone_t *z)
{
    return z->nnsec3;
}

ods_znsec3_t *ods_zone_nsec3(const ods_zone_t *z, size_t i)
{
    return i < z->nnsec3 ? &z->nsec3[i] : NULL;
}

void ods_zone_set_nsec3(ods_zone_t *z, ods_znsec3_t *recs, size_t n)
{
    free(z->nsec3);
    z->nsec3 = recs;
    z->nnsec3 = n;
}

size_t ods_zone_memory(const ods_zone_t *z)
{
    size_t total = ods_arena_reserved(z->arena) + z->nnames * sizeof(ods_zname_t *) +
                   z->nnsec3 * sizeof(ods_znsec3_t);
    for (size_t i = 0; i < z->nextra; i++)
        total += ods_arena_reserved(z->extra[i]);
    return total;
}

void ods_zone_classify(ods_zone_t *z)
{
    const uint8_t *cut = NULL; /* the innermost delegation or DNAME seen */
    for (size_t i = 0; i < z->nnames; i++) {
        ods_zname_t *n = z->names[i];
        n->index = (uint32_t)i;
        n->flags &= (uint8_t)(ODS_ZNAME_ENT);
        if (cut != NULL && !ods_name_is_below(n->owner, cut))
            cut = NULL;
        if (ods_name_equal(n->owner, z->apex)) {
            n->flags |= ODS_ZNAME_APEX;
        } else if (cut != NULL) {
            n->flags |= ODS_ZNAME_OCCLUDED;
            continue;
        }
        if (ods_zname_rrset(n, LDNS_RR_TYPE_DNAME) != NULL)
            n->flags |= ODS_ZNAME_DNAME;
        if (!(n->flags & ODS_ZNAME_APEX) && ods_zname_rrset(n, LDNS_RR_TYPE_NS) != NULL)
            n->flags |= ODS_ZNAME_DELEG;
        if (n->flags & (ODS_ZNAME_DELEG | ODS_ZNAME_DNAME))
            cut = n->owner;
    }
}
