/*
 * zload.c -- build a zone from a master file (ods_zone_load).
 *
 * Owners come in runs: the records of the current owner are collected in a
 * scratch arena and, when the reader moves on to another owner, grouped into
 * RRsets in the zone's arena and checked; the scratch is then reused. So the
 * memory beside the zone is one owner's records plus a hash table of names,
 * not a copy of every record (that copy was a third of the peak when a
 * re-sign reads a big zone while the previous one is still held). An owner
 * that comes back later is merged: its RRsets are taken apart into records
 * again and rebuilt with the new ones. At the end the names are sorted into
 * canonical order and empty non-terminals added.
 */
#include "dns/zone.h"
#include "dns/zone_internal.h"
#include "dns/zreader.h"
#include "dns/zsort.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "dnssec/rdata.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WARNINGS 20

typedef struct zl_rec {
    struct zl_rec *next;
    const uint8_t *rdata;
    const char *file;
    uint32_t ttl;
    uint32_t line;
    uint16_t type;
    uint16_t rdlen;
} zl_rec_t;

/*
 * Owners stay open (records collected, RRsets not yet built) while fewer than
 * ZL_WINDOW to 2 * ZL_WINDOW other owners were opened after them: files that
 * interleave an owner's records with a few others' (a delegation's NS around
 * its glue) merge for free; an owner that comes back later is taken apart and
 * rebuilt (zl_unbuild).
 */
#define ZL_WINDOW 64

typedef struct zl_open {
    ods_zname_t *n; /* n->index is its place in open[] + 1 while open */
    zl_rec_t *head; /* newest first */
    size_t nrec;
    unsigned gen; /* generation of its first record */
} zl_open_t;

typedef struct zl_slot {
    uint64_t hash;
    ods_zname_t *n;
} zl_slot_t;

typedef struct zl_state {
    ods_zone_t *z;
    ods_arena_t *tmp;     /* file names, for the whole load */
    ods_arena_t *recs[2]; /* open owners' records: generation g goes to recs[g & 1] */
    unsigned gen;         /* the current generation */
    size_t gen_opened;    /* owners opened in it */
    zl_open_t open[2 * ZL_WINDOW];
    size_t nopen;
    size_t last;      /* open[] index of the owner of the previous record */
    zl_slot_t *table; /* open addressing; the hash kept beside the pointer saves a miss */
    size_t cap;
    size_t count;
    ods_zname_t **order; /* names in the order they were created (input order) */
    ods_zname_t *cur;    /* the owner being built (zl_seal) */
    zl_rec_t *head;      /* its records, newest first */
    size_t nrec;
    zl_rec_t **sortbuf; /* scratch for grouping, grown as needed */
    const uint8_t **rd;
    uint16_t *rl;
    size_t bufcap;
    const char *last_file; /* copy of the reader's current path */
    ods_zone_warn_fn warn;
    void *warn_arg;
    unsigned warnings;
    int signed_mode; /* reading our own signed output back (state recovery) */
    ods_znsec3_t *nsec3;
    size_t nnsec3, nsec3_cap;
    ods_err_t *err;
    const char *path; /* the zone file (for findings that have no line) */
} zl_state_t;

static void zl_warn(zl_state_t *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void zl_warn(zl_state_t *st, const char *fmt, ...)
{
    st->warnings++;
    if (st->warn == NULL || st->warnings > MAX_WARNINGS)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st->warn(st->warn_arg, msg);
}

static uint64_t name_hash(const uint8_t *name)
{
    uint64_t h = 1469598103934665603ull;
    size_t len = ods_name_len(name);
    for (size_t i = 0; i < len; i++) {
        uint8_t c = name[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

static int zl_grow(zl_state_t *st)
{
    size_t ncap = st->cap ? st->cap * 2 : 1024;
    zl_slot_t *nt = calloc(ncap, sizeof(*nt));
    ods_zname_t **no = realloc(st->order, ncap / 2 * sizeof(*no));
    if (nt == NULL || no == NULL) {
        free(nt);
        if (no != NULL)
            st->order = no;
        return ODS_ENOMEM;
    }
    st->order = no;
    for (size_t i = 0; i < st->cap; i++) {
        if (st->table[i].n == NULL)
            continue;
        size_t k = st->table[i].hash & (ncap - 1);
        while (nt[k].n != NULL)
            k = (k + 1) & (ncap - 1);
        nt[k] = st->table[i];
    }
    free(st->table);
    st->table = nt;
    st->cap = ncap;
    return ODS_OK;
}

/* The name owner if it was seen; *slot is where it is or would go. */
static ods_zname_t *zl_lookup(const zl_state_t *st, const uint8_t *owner, uint64_t h, size_t *slot)
{
    size_t k = h & (st->cap - 1);
    for (; st->table[k].n != NULL; k = (k + 1) & (st->cap - 1))
        if (st->table[k].hash == h && ods_name_equal(st->table[k].n->owner, owner))
            break;
    *slot = k;
    return st->table[k].n;
}

static int zl_seal(zl_state_t *st, zl_open_t *o);
static int zl_push(zl_state_t *st, zl_open_t *o, const char *file, uint32_t line, uint32_t ttl,
                   uint16_t type, const uint8_t *rdata, uint16_t rdlen);

/*
 * An owner that comes back after its RRsets were built: take them (and,
 * reading signed data back, their signatures) apart into records again, so
 * the merge is checked and grouped as one. They no longer know their lines
 * (file NULL): a finding about one of them reads the file again (zl_where).
 */
static int zl_unbuild(zl_state_t *st, zl_open_t *o)
{
    ods_zname_t *n = o->n;
    int rc = ODS_OK;
    for (uint16_t i = 0; rc == ODS_OK && i < n->nrrsets; i++) {
        const ods_rrset_t *s = &n->rrsets[i];
        uint32_t off = 0;
        const uint8_t *rd;
        uint16_t len;
        while (rc == ODS_OK && ods_rrset_next(s, &off, &rd, &len))
            rc = zl_push(st, o, NULL, 0, s->ttl, s->type, rd, len);
        for (uint16_t k = 0; rc == ODS_OK && k < s->nsigs; k++)
            rc = zl_push(st, o, NULL, 0, s->ttl, LDNS_RR_TYPE_RRSIG, s->sigs[k].rdata,
                         s->sigs[k].len);
    }
    n->rrsets = NULL;
    n->nrrsets = 0;
    return rc;
}

/* Seal the owners whose first records are in generation g or before, keep the rest in order. */
static int zl_seal_old(zl_state_t *st, unsigned g, bool all)
{
    size_t k = 0;
    int rc = ODS_OK;
    for (size_t i = 0; i < st->nopen; i++) {
        zl_open_t o = st->open[i];
        if (all || (int)(o.gen - g) <= 0) {
            int r = zl_seal(st, &o);
            if (rc == ODS_OK)
                rc = r;
            continue;
        }
        o.n->index = (uint32_t)k + 1;
        st->open[k++] = o;
    }
    st->nopen = k;
    st->last = SIZE_MAX;
    return rc;
}

/* A new open owner; a new generation every ZL_WINDOW owners, whose arena is
 * first cleared of the owners two generations old. */
static int zl_open(zl_state_t *st, ods_zname_t *n, size_t *slot)
{
    if (++st->gen_opened > ZL_WINDOW) {
        st->gen++;
        st->gen_opened = 1;
        int rc = zl_seal_old(st, st->gen - 2, false);
        ods_arena_reset(st->recs[st->gen & 1]);
        if (rc != ODS_OK)
            return rc;
    }
    *slot = st->nopen++;
    st->open[*slot] = (zl_open_t){ n, NULL, 0, st->gen };
    n->index = (uint32_t)*slot + 1;
    return ODS_OK;
}

/* The open[] index of owner: open it (new, or back after it was built) if needed. */
static int zl_owner(zl_state_t *st, const uint8_t *owner, size_t *slot)
{
    if (st->last < st->nopen && ods_name_equal(st->open[st->last].n->owner, owner)) {
        *slot = st->last;
        return ODS_OK;
    }
    if ((st->count + 1) * 2 > st->cap && zl_grow(st) != ODS_OK)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
    uint64_t h = name_hash(owner);
    size_t k;
    ods_zname_t *n = zl_lookup(st, owner, h, &k);
    int rc = ODS_OK;
    if (n != NULL && n->index != 0) {
        *slot = n->index - 1;
    } else if (n != NULL) {
        if ((rc = zl_open(st, n, slot)) == ODS_OK)
            rc = zl_unbuild(st, &st->open[*slot]);
    } else {
        n = ods_arena_alloc(st->z->arena, sizeof(*n));
        if (n == NULL)
            return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
        memset(n, 0, sizeof(*n));
        n->owner = ods_arena_dup(st->z->arena, owner, ods_name_len(owner));
        if (n->owner == NULL)
            return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
        st->table[k].hash = h;
        st->table[k].n = n;
        st->order[st->count++] = n;
        rc = zl_open(st, n, slot);
    }
    if (rc == ODS_OK)
        st->last = *slot;
    return rc;
}

static int zl_fail_rr(zl_state_t *st, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int zl_fail_rr(zl_state_t *st, const char *file, unsigned line, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ods_err_set(st->err, ODS_EZONE, "%s:%u: %s", file, line, msg);
}

static const char *type_name(uint16_t type, char *buf, size_t len)
{
    char *s = ldns_rr_type2str((ldns_rr_type)type);
    snprintf(buf, len, "%s", s ? s : "?");
    free(s);
    return buf;
}

/* Checks that need only the record itself. */
static int zl_check_rr(zl_state_t *st, const ods_zrr_t *rr)
{
    char tn[32], on[ODS_NAME_TEXT_MAX];
    if (!ods_name_is_subdomain(rr->owner, st->z->apex)) {
        ods_name_to_text(rr->owner, on, sizeof(on));
        char ap[ODS_NAME_TEXT_MAX];
        ods_name_to_text(st->z->apex, ap, sizeof(ap));
        return zl_fail_rr(st, rr->file, rr->line, "%s is outside the zone %s", on, ap);
    }
    switch (st->signed_mode ? 0 : rr->type) {
    case LDNS_RR_TYPE_RRSIG:
    case LDNS_RR_TYPE_NSEC:
    case LDNS_RR_TYPE_NSEC3:
    case LDNS_RR_TYPE_NSEC3PARAM:
        return zl_fail_rr(st, rr->file, rr->line,
                          "%s records are made by the signer: remove them from the input",
                          type_name(rr->type, tn, sizeof(tn)));
    case LDNS_RR_TYPE_DS:
        if (ods_name_equal(rr->owner, st->z->apex))
            return zl_fail_rr(st, rr->file, rr->line,
                              "DS at the zone apex belongs in the parent zone: remove it");
        break;
    case LDNS_RR_TYPE_SOA:
        if (!ods_name_equal(rr->owner, st->z->apex)) {
            ods_name_to_text(rr->owner, on, sizeof(on));
            return zl_fail_rr(st, rr->file, rr->line, "SOA at %s, which is not the zone apex", on);
        }
        break;
    }
    return ODS_OK;
}

/* One record of an open owner (rdata copied into the current generation's arena). */
static int zl_push(zl_state_t *st, zl_open_t *o, const char *file, uint32_t line, uint32_t ttl,
                   uint16_t type, const uint8_t *rdata, uint16_t rdlen)
{
    ods_arena_t *a = st->recs[st->gen & 1];
    zl_rec_t *r = ods_arena_alloc(a, sizeof(*r));
    if (r == NULL || (r->rdata = ods_arena_dup(a, rdata, rdlen)) == NULL)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
    r->file = file;
    r->line = line;
    r->ttl = ttl;
    r->type = type;
    r->rdlen = rdlen;
    r->next = o->head;
    o->head = r;
    o->nrec++;
    return ODS_OK;
}

static int zl_add(zl_state_t *st, const ods_zrr_t *rr)
{
    int rc = zl_check_rr(st, rr);
    if (rc != ODS_OK)
        return rc;
    if (st->last_file == NULL || strcmp(st->last_file, rr->file) != 0)
        st->last_file = ods_arena_dup(st->tmp, rr->file, strlen(rr->file) + 1);
    if (st->last_file == NULL)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
    size_t slot = 0;
    if ((rc = zl_owner(st, rr->owner, &slot)) != ODS_OK)
        return rc;
    return zl_push(st, &st->open[slot], st->last_file, rr->line, rr->ttl, rr->type, rr->rdata,
                   rr->rdlen);
}

static int rec_cmp(const void *a, const void *b)
{
    const zl_rec_t *x = *(const zl_rec_t *const *)a, *y = *(const zl_rec_t *const *)b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    /* stable: keep file order (lines) so warnings name the first record */
    if (x->file == y->file && x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return 0;
}

/* Group the current owner's records into RRsets. */
static int zl_build_name(zl_state_t *st)
{
    zl_rec_t **recs = st->sortbuf;
    const uint8_t **rd = st->rd;
    uint16_t *rl = st->rl;
    size_t n = 0;
    for (zl_rec_t *r = st->head; r != NULL; r = r->next)
        recs[n++] = r;
    qsort(recs, n, sizeof(*recs), rec_cmp);
    size_t ntypes = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || recs[i]->type != recs[i - 1]->type)
            ntypes++;
    ods_zname_t *name = st->cur;
    name->rrsets = ntypes ? ods_arena_alloc(st->z->arena, ntypes * sizeof(ods_rrset_t)) : NULL;
    if (ntypes && name->rrsets == NULL)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
    name->nrrsets = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        uint32_t ttl = recs[i]->ttl;
        int ttl_differs = 0;
        for (; j < n && recs[j]->type == recs[i]->type; j++) {
            rd[j - i] = recs[j]->rdata;
            rl[j - i] = recs[j]->rdlen;
            if (recs[j]->ttl != ttl)
                ttl_differs = 1;
            if (recs[j]->ttl < ttl)
                ttl = recs[j]->ttl;
        }
        /* a record of this RRset that knows its line (after a merge, not all do) */
        const char *wf = st->path;
        uint32_t wl = 0;
        for (size_t k = i; k < j; k++)
            if (recs[k]->file != NULL) {
                wf = recs[k]->file, wl = recs[k]->line;
                break;
            }
        ods_rrset_t *s = &name->rrsets[name->nrrsets++];
        memset(s, 0, sizeof(*s));
        char tn[32], on[ODS_NAME_TEXT_MAX];
        if (j - i > UINT16_MAX)
            return zl_fail_rr(st, wf, wl, "more than 65535 %s records at one name: split the data",
                              type_name(recs[i]->type, tn, sizeof(tn)));
        int cnt = ods_zone_build_rrset(st->z, s, recs[i]->type, ttl, rd, rl, j - i);
        if (cnt < 0)
            return cnt == ODS_ENOMEM
                       ? ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone")
                       : zl_fail_rr(st, wf, wl, "malformed %s record data",
                                    type_name(recs[i]->type, tn, sizeof(tn)));
        if (ttl_differs || (size_t)cnt < j - i)
            ods_name_to_text(name->owner, on, sizeof(on));
        if (ttl_differs)
            zl_warn(st,
                    "%s:%u: %s %s: the records of this RRset have different TTLs; using the "
                    "lowest, %u (RFC 2181 5.2)",
                    wf, wl, on, type_name(s->type, tn, sizeof(tn)), ttl);
        if ((size_t)cnt < j - i)
            zl_warn(st, "%s:%u: %s %s: %zu duplicate record(s) dropped", wf, wl, on,
                    type_name(s->type, tn, sizeof(tn)), j - i - (size_t)cnt);
        i = j;
    }
    return ODS_OK;
}

/* Where a record came from, and its type. */
typedef struct zl_where {
    const char *file;
    uint32_t line;
    uint16_t type;
} zl_where_t;

static bool zl_matches(uint16_t rtype, uint16_t type)
{
    return type ? rtype == type
                : rtype != LDNS_RR_TYPE_CNAME && rtype != LDNS_RR_TYPE_RRSIG &&
                      rtype != LDNS_RR_TYPE_NSEC;
}

/* Find the k-th matching record of owner by reading the file again (error path only). */
static void zl_locate(zl_state_t *st, const uint8_t *owner, uint16_t type, size_t k, zl_where_t *w)
{
    ods_zreader_t *r = NULL;
    ods_err_t e;
    ods_zrr_t rr;
    size_t seen = 0;
    w->file = st->path;
    w->line = 0;
    if (ods_zreader_open(st->path, st->z->apex, &r, &e) != ODS_OK)
        return;
    while (ods_zreader_next(r, &rr, &e) == 1) {
        if (!ods_name_equal(rr.owner, owner) || !zl_matches(rr.type, type) || seen++ < k)
            continue;
        const char *f = ods_arena_dup(st->tmp, rr.file, strlen(rr.file) + 1);
        w->file = f ? f : st->path;
        w->line = rr.line;
        w->type = rr.type;
        break;
    }
    ods_zreader_free(r);
}

/* The first (k 0) or second (k 1) record in input order of type at the current owner
 * (or of any other type than CNAME and the DNSSEC types that may stand beside it,
 * when type is 0); false if there is none. */
static bool zl_where(zl_state_t *st, uint16_t type, size_t k, zl_where_t *w)
{
    const zl_rec_t *found[2] = { NULL, NULL };
    size_t n = 0;
    /* the list is in reverse input order: keep the last k + 1 matches seen */
    for (const zl_rec_t *r = st->head; r != NULL; r = r->next) {
        if (!zl_matches(r->type, type))
            continue;
        found[1] = found[0];
        found[0] = r;
        n++;
    }
    const zl_rec_t *r = k == 0 ? found[0] : n >= 2 ? found[1] : NULL;
    if (r == NULL)
        return false;
    *w = (zl_where_t){ r->file, r->line, r->type };
    if (r->file == NULL) /* from before the owner came back */
        zl_locate(st, st->cur->owner, type, k, w);
    return true;
}

/* CNAME must stand alone (beside its RRSIG and NSEC, RFC 4035 2.5); a zone has one SOA. */
static int zl_check_name(zl_state_t *st)
{
    ods_zname_t *n = st->cur;
    ods_rrset_t *cname = ods_zname_rrset(n, LDNS_RR_TYPE_CNAME);
    ods_rrset_t *soa = ods_zname_rrset(n, LDNS_RR_TYPE_SOA);
    char on[ODS_NAME_TEXT_MAX], tn[32];
    uint16_t others = 0;
    for (uint16_t i = 0; cname != NULL && i < n->nrrsets; i++)
        others += n->rrsets[i].type != LDNS_RR_TYPE_CNAME && n->rrsets[i].type != LDNS_RR_TYPE_NSEC;
    zl_where_t a, b;
    if (cname != NULL && cname->count > 1 && zl_where(st, LDNS_RR_TYPE_CNAME, 0, &a) &&
        zl_where(st, LDNS_RR_TYPE_CNAME, 1, &b)) {
        ods_name_to_text(n->owner, on, sizeof(on));
        return zl_fail_rr(st, b.file, b.line,
                          "%s has more than one CNAME record (the other is at %s:%u): keep one", on,
                          a.file, a.line);
    }
    if (cname != NULL && others > 0 && zl_where(st, LDNS_RR_TYPE_CNAME, 0, &a) &&
        zl_where(st, 0, 0, &b)) {
        ods_name_to_text(n->owner, on, sizeof(on));
        return zl_fail_rr(st, a.file, a.line,
                          "%s has a CNAME and other data (%s at %s:%u): a CNAME must stand "
                          "alone (RFC 1034 3.6.2)",
                          on, type_name(b.type, tn, sizeof(tn)), b.file, b.line);
    }
    if (soa != NULL && soa->count > 1 && zl_where(st, LDNS_RR_TYPE_SOA, 0, &a) &&
        zl_where(st, LDNS_RR_TYPE_SOA, 1, &b))
        return zl_fail_rr(st, b.file, b.line,
                          "a second SOA record (the first is at %s:%u): a zone has exactly one",
                          a.file, a.line);
    return ODS_OK;
}

/*
 * Add the missing ancestors (empty non-terminals) of every name. The names are
 * in canonical order, which visits a name's ancestors before it and keeps
 * every subtree together, so a missing ancestor of n belongs right before n.
 */
static int zl_insert_ents(zl_state_t *st)
{
    ods_zone_t *z = st->z;
    size_t cap = z->nnames + z->nnames / 4 + 16, k = 0;
    ods_zname_t **out = malloc(cap * sizeof(*out));
    const uint8_t *stack[ODS_NAME_MAX_LABELS + 1];
    unsigned depth = 0;
    if (out == NULL)
        return ODS_ENOMEM;
    unsigned apex_labels = ods_name_labels(z->apex);
    for (size_t i = 0; i < z->nnames; i++) {
        ods_zname_t *n = z->names[i];
        unsigned nl = ods_name_labels(n->owner);
        while (depth > 0 && !ods_name_is_below(n->owner, stack[depth - 1]))
            depth--;
        unsigned have = depth > 0 ? ods_name_labels(stack[depth - 1]) : apex_labels;
        for (unsigned l = have + 1; l < nl; l++) {
            if (k + 2 >= cap) {
                cap *= 2;
                ods_zname_t **grown = realloc(out, cap * sizeof(*out));
                if (grown == NULL) {
                    free(out);
                    return ODS_ENOMEM;
                }
                out = grown;
            }
            ods_zname_t *e = ods_arena_alloc(z->arena, sizeof(*e));
            if (e == NULL) {
                free(out);
                return ODS_ENOMEM;
            }
            memset(e, 0, sizeof(*e));
            e->owner = ods_name_strip(n->owner, nl - l);
            e->flags = ODS_ZNAME_ENT;
            out[k++] = e;
            stack[depth++] = e->owner;
        }
        if (k + 1 >= cap) {
            cap *= 2;
            ods_zname_t **grown = realloc(out, cap * sizeof(*out));
            if (grown == NULL) {
                free(out);
                return ODS_ENOMEM;
            }
            out = grown;
        }
        out[k++] = n;
        stack[depth++] = n->owner;
    }
    free(z->names);
    z->names = out;
    z->nnames = k;
    return ODS_OK;
}

/* Signed mode: hand each RRSIG to the RRset it covers; drop the RRSIG RRset. */
static int zl_attach_sigs(zl_state_t *st, ods_zname_t *n)
{
    ods_rrset_t *sigset = ods_zname_rrset(n, LDNS_RR_TYPE_RRSIG);
    if (sigset == NULL)
        return ODS_OK;
    ods_rrsig_t *sigs = ods_arena_alloc(st->z->arena, sigset->count * sizeof(*sigs));
    if (sigs == NULL)
        return ODS_ENOMEM;
    uint32_t off = 0;
    const uint8_t *rd;
    uint16_t len;
    size_t k = 0;
    while (ods_rrset_next(sigset, &off, &rd, &len))
        if (ods_rrsig_from_rdata(&sigs[k], rd, len) == ODS_OK)
            k++;
    for (uint16_t i = 0; i < n->nrrsets; i++) {
        ods_rrset_t *s = &n->rrsets[i];
        if (s->type == LDNS_RR_TYPE_RRSIG)
            continue;
        /* sigs covering the same type are adjacent: the RRSIG RDATA starts with it */
        for (size_t j = 0; j < k; j++) {
            uint16_t covered = (uint16_t)(sigs[j].rdata[0] << 8 | sigs[j].rdata[1]);
            if (covered != s->type)
                continue;
            size_t m = j;
            while (m < k && (uint16_t)(sigs[m].rdata[0] << 8 | sigs[m].rdata[1]) == covered)
                m++;
            ods_rrset_set_sigs(s, &sigs[j], (uint16_t)(m - j));
            break;
        }
    }
    size_t at = (size_t)(sigset - n->rrsets);
    memmove(sigset, sigset + 1, (n->nrrsets - at - 1) * sizeof(*sigset));
    n->nrrsets--;
    return ODS_OK;
}

/* Signed mode: a name holding only an NSEC3 is a hashed owner, not zone data. */
static int zl_take_nsec3(zl_state_t *st)
{
    ods_zname_t *n = st->cur;
    if (n->nrrsets != 1 || n->rrsets[0].type != LDNS_RR_TYPE_NSEC3 ||
        ods_name_labels(n->owner) != ods_name_labels(st->z->apex) + 1)
        return 0;
    uint8_t hash[255];
    size_t hl;
    if (ods_base32hex_decode((const char *)n->owner + 1, n->owner[0], hash, sizeof(hash), &hl) !=
            ODS_OK ||
        hl != 20)
        return 0;
    if (st->nnsec3 == st->nsec3_cap) {
        size_t cap = st->nsec3_cap ? st->nsec3_cap * 2 : 1024;
        ods_znsec3_t *g = realloc(st->nsec3, cap * sizeof(*g));
        if (g == NULL)
            return ODS_ENOMEM;
        st->nsec3 = g;
        st->nsec3_cap = cap;
    }
    ods_znsec3_t *r = &st->nsec3[st->nnsec3++];
    memcpy(r->hash, hash, 20);
    r->name = NULL;
    r->rrset = n->rrsets[0];
    return 1;
}

static int nsec3_hash_cmp(const void *a, const void *b)
{
    return memcmp(((const ods_znsec3_t *)a)->hash, ((const ods_znsec3_t *)b)->hash, 20);
}

/* Signed mode: the per-name work after the RRsets are built; 1 if the name
 * was a hashed owner (its NSEC3 went to the NSEC3 list). */
static int zl_signed_name(zl_state_t *st)
{
    if (zl_attach_sigs(st, st->cur) != ODS_OK)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory");
    int taken = zl_take_nsec3(st);
    if (taken < 0)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory");
    if (taken)
        st->cur->nrrsets = 0;
    return taken ? 1 : ODS_OK;
}

/* Room for n records in the grouping buffers. */
static int zl_bufs(zl_state_t *st, size_t n)
{
    if (n <= st->bufcap)
        return ODS_OK;
    size_t cap = n > 2 * st->bufcap ? n : 2 * st->bufcap;
    zl_rec_t **sb = realloc(st->sortbuf, cap * sizeof(*sb));
    if (sb != NULL)
        st->sortbuf = sb;
    const uint8_t **rd = realloc(st->rd, cap * sizeof(*rd));
    if (rd != NULL)
        st->rd = rd;
    uint16_t *rl = realloc(st->rl, cap * sizeof(*rl));
    if (rl != NULL)
        st->rl = rl;
    if (sb == NULL || rd == NULL || rl == NULL)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory loading the zone");
    st->bufcap = cap;
    return ODS_OK;
}

/* An owner left the window (or the file ended): build and check its RRsets. */
static int zl_seal(zl_state_t *st, zl_open_t *o)
{
    st->cur = o->n;
    st->head = o->head;
    st->nrec = o->nrec;
    o->n->index = 0;
    int rc = st->nrec > 0 ? zl_bufs(st, st->nrec) : ODS_OK;
    if (rc == ODS_OK && st->nrec > 0)
        rc = zl_build_name(st);
    if (rc == ODS_OK && st->nrec > 0 && st->signed_mode && (rc = zl_signed_name(st)) == 1) {
        st->cur->flags |= ODS_ZNAME_ENT; /* marker: drop from the names */
        rc = ODS_OK;
    } else if (rc == ODS_OK && st->nrec > 0) {
        rc = zl_check_name(st);
    }
    st->cur = NULL;
    st->head = NULL;
    st->nrec = 0;
    return rc;
}

static int zl_finish(zl_state_t *st)
{
    int rc = zl_seal_old(st, st->gen, true);
    if (rc != ODS_OK)
        return rc;
    ods_zone_t *z = st->z;
    ods_zname_t *apex = NULL;
    size_t slot;
    if (st->count > 0)
        apex = zl_lookup(st, z->apex, name_hash(z->apex), &slot);
    if (apex != NULL && ods_zname_rrset(apex, LDNS_RR_TYPE_SOA) == NULL)
        apex = NULL;
    char an[ODS_NAME_TEXT_MAX];
    ods_name_to_text(z->apex, an, sizeof(an));
    if (apex == NULL)
        return ods_err_set(st->err, ODS_EZONE, "%s: the zone has no SOA record at its apex %s",
                           st->path, an);
    if (ods_zname_rrset(apex, LDNS_RR_TYPE_NS) == NULL)
        zl_warn(st, "%s: the zone has no NS records at its apex %s", st->path, an);
    /* the hash table is not needed any more: give it back before the names array */
    free(st->table);
    st->table = NULL;
    st->cap = 0;
    z->names = malloc((st->count ? st->count : 1) * sizeof(*z->names));
    if (z->names == NULL)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory");
    z->nnames = 0;
    for (size_t i = 0; i < st->count; i++)
        if (!(st->order[i]->flags & ODS_ZNAME_ENT))
            z->names[z->nnames++] = st->order[i];
    free(st->order);
    st->order = NULL;
    if (st->nnsec3 > 0) {
        qsort(st->nsec3, st->nnsec3, sizeof(*st->nsec3), nsec3_hash_cmp);
        ods_zone_set_nsec3(z, st->nsec3, st->nnsec3);
        st->nsec3 = NULL;
    }
    if (ods_zsort_names(z->names, z->nnames, z->apex) != 0 || zl_insert_ents(st) != ODS_OK)
        return ods_err_set(st->err, ODS_ENOMEM, "out of memory");
    ods_zone_classify(z);
    return ODS_OK;
}

static void zl_reader_warn(void *arg, const char *msg)
{
    zl_warn(arg, "%s", msg);
}

static int zl_load(ods_zone_t *z, const char *path, int signed_mode, ods_zone_warn_fn warn,
                   void *warn_arg, ods_err_t *err)
{
    zl_state_t st = { .z = z,
                      .warn = warn,
                      .warn_arg = warn_arg,
                      .err = err,
                      .signed_mode = signed_mode,
                      .path = path };
    st.tmp = ods_arena_new();
    st.recs[0] = ods_arena_new();
    st.recs[1] = ods_arena_new();
    st.last = SIZE_MAX;
    ods_zreader_t *r = NULL;
    int rc = st.tmp && st.recs[0] && st.recs[1] ? ods_zreader_open(path, z->apex, &r, err)
                                                : ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK) {
        ods_zreader_set_warn(r, zl_reader_warn, &st);
        ods_zrr_t rr;
        while ((rc = ods_zreader_next(r, &rr, err)) == 1)
            if ((rc = zl_add(&st, &rr)) != ODS_OK)
                break;
        if (rc == 0)
            rc = zl_finish(&st);
    }
    if (rc == ODS_OK && st.warnings > MAX_WARNINGS && warn != NULL) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%s: %u more warnings not shown", path,
                 st.warnings - MAX_WARNINGS);
        warn(warn_arg, msg);
    }
    ods_zreader_free(r);
    free(st.table);
    free(st.order);
    free(st.nsec3);
    free(st.sortbuf);
    free(st.rd);
    free(st.rl);
    ods_arena_free(st.recs[0]);
    ods_arena_free(st.recs[1]);
    ods_arena_free(st.tmp);
    return rc;
}

int ods_zone_load(ods_zone_t *z, const char *path, ods_zone_warn_fn warn, void *warn_arg,
                  ods_err_t *err)
{
    return zl_load(z, path, 0, warn, warn_arg, err);
}

int ods_zone_load_signed(ods_zone_t *z, const char *path, ods_err_t *err)
{
    return zl_load(z, path, 1, NULL, NULL, err);
}
