/*
 * versions.c -- the versions caches may hold (see versions.h and rules.h).
 *
 * A version is a change number; what it contains changes only at the change
 * numbers of the records' arrivals and withdrawals, so those numbers (from
 * the oldest version still cached on) visit every distinct version.
 */
#include "engine/versions.h"

#include <stdlib.h>
#include <string.h>

int enf_record_present(const enf_record_t *r, int64_t v)
{
    switch (r->state) {
    case ENF_OMNIPRESENT:
        return 1;
    case ENF_RUMOURED:
        return v >= r->order_in;
    case ENF_UNRETENTIVE:
        return v >= r->order_in && v < r->order_out;
    default:
        return 0;
    }
}

/* Present now, or (hidden) present once: for telling which versions are gone. */
static int was_present(const enf_record_t *r, int64_t v)
{
    if (r->state == ENF_HIDDEN)
        return v >= r->order_in && v < r->order_out;
    return enf_record_present(r, v);
}

enf_line_t enf_rec_line(enf_rec_t type)
{
    switch (type) {
    case ENF_REC_DS:
        return ENF_LINE_DS;
    case ENF_REC_DNSKEY:
    case ENF_REC_KRRSIG:
        return ENF_LINE_DNSKEY;
    default:
        return ENF_LINE_SIG;
    }
}

/* The record that tells whether a version of the line is gone. */
static enf_rec_t line_rec(enf_line_t line)
{
    return line == ENF_LINE_DS       ? ENF_REC_DS
           : line == ENF_LINE_DNSKEY ? ENF_REC_DNSKEY
                                     : ENF_REC_RRSIG;
}

int64_t enf_zone_oldest_get(const enf_zone_t *z, enf_line_t line, int algorithm)
{
    const enf_oldest_t *o = &z->oldest;
    if (line == ENF_LINE_DS)
        return o->ds;
    if (line == ENF_LINE_DNSKEY)
        return o->dk;
    for (size_t i = 0; i < o->nrs; i++)
        if (o->rs[i].algorithm == algorithm)
            return o->rs[i].oldest;
    return 0;
}

static int algorithm_in_use(const enf_zone_t *z, int algorithm)
{
    for (size_t i = 0; i < z->nkeys; i++)
        if (z->keys[i].algorithm == algorithm)
            return 1;
    return 0;
}

int64_t *enf_zone_oldest(enf_zone_t *z, enf_line_t line, int algorithm)
{
    enf_oldest_t *o = &z->oldest;
    if (line == ENF_LINE_DS)
        return &o->ds;
    if (line == ENF_LINE_DNSKEY)
        return &o->dk;
    size_t i;
    for (i = 0; i < o->nrs; i++)
        if (o->rs[i].algorithm == algorithm)
            return &o->rs[i].oldest;
    if (o->nrs < ENF_ALGS_MAX) {
        i = o->nrs++;
    } else {
        for (i = 0; i < ENF_ALGS_MAX - 1; i++)
            if (!algorithm_in_use(z, o->rs[i].algorithm))
                break;
    }
    o->rs[i].algorithm = algorithm;
    o->rs[i].oldest = 0; /* starting over is the pessimistic reading */
    return &o->rs[i].oldest;
}

/* Records of the line's keys that shape versions: live, or hidden with a
 * history at or above the oldest version. */
static int shapes(const enf_record_t *r, int64_t floor)
{
    switch (r->state) {
    case ENF_RUMOURED:
    case ENF_OMNIPRESENT:
    case ENF_UNRETENTIVE:
        return 1;
    case ENF_HIDDEN:
        return r->order_out > floor && r->order_out > r->order_in;
    default:
        return 0;
    }
}

typedef struct line_keys {
    const enf_key_t *key[ENF_KEYS_MAX];
    size_t n;
    int64_t floor;
} line_keys_t;

/* The keys whose records of the line shape versions (leaving out `except`). */
static int gather(line_keys_t *lk, const enf_zone_t *z, enf_line_t line, int algorithm,
                  const enf_key_t *except)
{
    lk->n = 0;
    lk->floor = enf_zone_oldest_get(z, line, algorithm);
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        int used = 0;
        if ((line == ENF_LINE_SIG && k->algorithm != algorithm) || k == except)
            continue;
        for (int r = 0; r < ENF_REC_COUNT; r++)
            used |= enf_rec_line((enf_rec_t)r) == line && shapes(&k->rec[r], lk->floor);
        if (!used)
            continue;
        if (lk->n == ENF_KEYS_MAX)
            return -1;
        lk->key[lk->n++] = k;
    }
    return 0;
}

static void add_point(int64_t *pts, size_t *n, int64_t v)
{
    if (v > pts[0]) /* pts[0] is the oldest version still cached */
        pts[(*n)++] = v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Every distinct version of the line from the oldest on, sorted. */
static size_t line_points(const line_keys_t *lk, enf_line_t line, int64_t *pts)
{
    size_t n = 1;
    pts[0] = lk->floor;
    for (size_t i = 0; i < lk->n; i++) {
        for (int r = 0; r < ENF_REC_COUNT; r++) {
            const enf_record_t *rec = &lk->key[i]->rec[r];
            if (enf_rec_line((enf_rec_t)r) != line || rec->state == ENF_OMNIPRESENT)
                continue;
            add_point(pts, &n, rec->order_in);
            if (rec->state != ENF_RUMOURED)
                add_point(pts, &n, rec->order_out);
        }
    }
    qsort(pts, n, sizeof(*pts), cmp_i64);
    size_t out = 0;
    for (size_t i = 0; i < n; i++)
        if (out == 0 || pts[i] != pts[out - 1])
            pts[out++] = pts[i];
    return out;
}

/* DS and DNSKEY RRsets change as a whole: a version with a record now hidden
 * is in no cache. A data RRset may keep some of its signatures of an
 * algorithm: that part of a version is gone only once every key of the
 * algorithm that signed it is hidden. */
static int possible(const line_keys_t *lk, enf_line_t line, int64_t v)
{
    int signed_once = 0, signed_now = 0;
    for (size_t i = 0; i < lk->n; i++) {
        const enf_record_t *r = &lk->key[i]->rec[line_rec(line)];
        if (!was_present(r, v))
            continue;
        if (line != ENF_LINE_SIG && r->state == ENF_HIDDEN)
            return 0;
        signed_once = 1;
        signed_now |= r->state != ENF_HIDDEN;
    }
    return line != ENF_LINE_SIG || !signed_once || signed_now;
}

int enf_versions_build(enf_versions_t *vs, const enf_zone_t *z, int algorithm)
{
    for (int l = 0; l < ENF_LINE_COUNT; l++) {
        line_keys_t lk;
        int64_t pts[ENF_POINTS_MAX];
        if (gather(&lk, z, (enf_line_t)l, algorithm, NULL) < 0)
            return -1;
        size_t n = line_points(&lk, (enf_line_t)l, pts);
        vs->n[l] = 0;
        for (size_t i = 0; i < n; i++)
            if (possible(&lk, (enf_line_t)l, pts[i]))
                vs->v[l][vs->n[l]++] = pts[i];
    }
    return 0;
}

void enf_versions_normalise(enf_zone_t *z, enf_line_t line, int algorithm)
{
    line_keys_t lk;
    int64_t pts[ENF_POINTS_MAX];
    if (gather(&lk, z, line, algorithm, NULL) < 0)
        return; /* leave it: only slower, never wrong */
    size_t n = line_points(&lk, line, pts);
    for (size_t i = 0; i < n; i++) {
        if (possible(&lk, line, pts[i])) {
            *enf_zone_oldest(z, line, algorithm) = pts[i];
            return;
        }
    }
}

/* What a version of the line contains: one bit per (key, record) present. */
typedef struct composition {
    uint64_t bit[(2 * ENF_KEYS_MAX + 63) / 64];
} composition_t;

static void compose(const line_keys_t *lk, enf_line_t line, int64_t v, composition_t *c)
{
    size_t n = 0;
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < lk->n; i++) {
        for (int r = 0; r < ENF_REC_COUNT; r++) {
            if (enf_rec_line((enf_rec_t)r) != line)
                continue;
            if (enf_record_present(&lk->key[i]->rec[r], v))
                c->bit[n / 64] |= (uint64_t)1 << (n % 64);
            n++;
        }
    }
}

/* 1 if some possible version in (lk, pts) has composition c (over `by`). */
static int has_composition(const line_keys_t *lk, const line_keys_t *by, enf_line_t line,
                           const int64_t *pts, size_t n, const composition_t *c)
{
    for (size_t i = 0; i < n; i++) {
        composition_t d;
        compose(by, line, pts[i], &d);
        if (possible(lk, line, pts[i]) && memcmp(&d, c, sizeof(d)) == 0)
            return 1;
    }
    return 0;
}

/* 1 if the line shows caches the same versions with and without key k: the
 * rules only look at what the possible versions contain. */
static int line_ignores(const enf_zone_t *z, enf_line_t line, const enf_key_t *k)
{
    line_keys_t with, without;
    int64_t pts[ENF_POINTS_MAX];
    if (gather(&with, z, line, k->algorithm, NULL) < 0 ||
        gather(&without, z, line, k->algorithm, k) < 0)
        return 0;
    size_t n = line_points(&with, line, pts);
    for (size_t i = 0; i < n; i++) {
        composition_t c;
        compose(&without, line, pts[i], &c);
        int w = possible(&with, line, pts[i]), o = possible(&without, line, pts[i]);
        if (w && !has_composition(&without, &without, line, pts, n, &c))
            return 0;
        if (o && !has_composition(&with, &without, line, pts, n, &c))
            return 0;
    }
    return 1;
}

int enf_versions_forgotten(const enf_zone_t *z, const enf_key_t *k)
{
    for (int l = 0; l < ENF_LINE_COUNT; l++)
        if (!line_ignores(z, (enf_line_t)l, k))
            return 0;
    return 1;
}
