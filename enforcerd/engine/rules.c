/*
 * rules.c -- the validity rules over the versions caches may hold (see rules.h).
 *
 * The DS RRset, the DNSKEY RRset and the data signatures are cached
 * independently, so each rule quantifies over their possible versions
 * (versions.h) separately.
 */
#include "engine/rules.h"

#include "engine/versions.h"

#define LIVE_MAX 64

typedef struct world {
    enf_versions_t vs;
    const enf_key_t *key[LIVE_MAX]; /* keys of the algorithm with a record in play */
    size_t n;
} world_t;

static int key_in_play(const enf_key_t *k)
{
    for (int r = 0; r < ENF_REC_COUNT; r++) {
        enf_state_t s = k->rec[r].state;
        if (s == ENF_RUMOURED || s == ENF_OMNIPRESENT || s == ENF_UNRETENTIVE)
            return 1;
    }
    return 0;
}

static int world_build(world_t *w, const enf_zone_t *z, int algorithm)
{
    if (enf_versions_build(&w->vs, z, algorithm) < 0)
        return -1;
    w->n = 0;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        if (k->algorithm != algorithm || !key_in_play(k))
            continue;
        if (w->n == LIVE_MAX)
            return -1;
        w->key[w->n++] = k;
    }
    return 0;
}

static int is_except(const enf_key_t *k, const enf_key_t *except)
{
    return except && k->id == except->id;
}

static int present(const enf_key_t *k, enf_rec_t r, int64_t v)
{
    return enf_record_present(&k->rec[r], v);
}

/* Some DS of the algorithm is in DS version vd. */
static int ds_any(const world_t *w, int64_t vd)
{
    for (size_t i = 0; i < w->n; i++)
        if (present(w->key[i], ENF_REC_DS, vd))
            return 1;
    return 0;
}

/* A DS in version vd points at a DNSKEY of version vk that signed version vk. */
static int ksk_chain(const world_t *w, int64_t vd, int64_t vk, const enf_key_t *except)
{
    for (size_t i = 0; i < w->n; i++) {
        const enf_key_t *k = w->key[i];
        if (!is_except(k, except) && present(k, ENF_REC_DS, vd) && present(k, ENF_REC_DNSKEY, vk) &&
            present(k, ENF_REC_KRRSIG, vk))
            return 1;
    }
    return 0;
}

/* Signature version vs validates with DNSKEY version vk even in the worst
 * case: the active keys of vs plus any single one of its inactive keys. */
static int zsk_chain(const world_t *w, int64_t vk, int64_t vs, const enf_key_t *except)
{
    int inactive = 0, inactive_all_known = 1;
    for (size_t i = 0; i < w->n; i++) {
        const enf_key_t *k = w->key[i];
        if (is_except(k, except) || !present(k, ENF_REC_RRSIG, vs))
            continue;
        int known = present(k, ENF_REC_DNSKEY, vk);
        if (k->rec[ENF_REC_RRSIG].state != ENF_UNRETENTIVE) {
            if (known)
                return 1;
        } else {
            inactive = 1;
            inactive_all_known &= known;
        }
    }
    return inactive && inactive_all_known;
}

static int all_ksk_chains(const world_t *w, int only_with_ds, const enf_key_t *except)
{
    const enf_versions_t *vs = &w->vs;
    for (size_t d = 0; d < vs->n[ENF_LINE_DS]; d++) {
        int64_t vd = vs->v[ENF_LINE_DS][d];
        if (only_with_ds && !ds_any(w, vd))
            continue;
        for (size_t k = 0; k < vs->n[ENF_LINE_DNSKEY]; k++)
            if (!ksk_chain(w, vd, vs->v[ENF_LINE_DNSKEY][k], except))
                return 0;
    }
    return 1;
}

static int all_zsk_chains(const world_t *w, const enf_key_t *except)
{
    const enf_versions_t *vs = &w->vs;
    for (size_t k = 0; k < vs->n[ENF_LINE_DNSKEY]; k++)
        for (size_t s = 0; s < vs->n[ENF_LINE_SIG]; s++)
            if (!zsk_chain(w, vs->v[ENF_LINE_DNSKEY][k], vs->v[ENF_LINE_SIG][s], except))
                return 0;
    return 1;
}

static int rule1(const enf_zone_t *z)
{
    for (size_t i = 0; i < z->nkeys; i++) {
        enf_state_t s = z->keys[i].rec[ENF_REC_DS].state;
        if (s == ENF_RUMOURED || s == ENF_OMNIPRESENT)
            return 1;
    }
    return 0;
}

static int rule3(const world_t *w)
{
    for (size_t d = 0; d < w->vs.n[ENF_LINE_DS]; d++)
        if (ds_any(w, w->vs.v[ENF_LINE_DS][d]))
            return all_zsk_chains(w, NULL);
    return 1; /* no DS of this algorithm anywhere: it needs no signatures */
}

int enf_rules_eval(const enf_zone_t *z, int algorithm)
{
    world_t w;
    if (world_build(&w, z, algorithm) < 0)
        return -1;
    int bits = 0;
    if (rule1(z))
        bits |= ENF_RULE1;
    if (all_ksk_chains(&w, 1, NULL))
        bits |= ENF_RULE2;
    if (rule3(&w))
        bits |= ENF_RULE3;
    return bits;
}

int enf_rules_zone_valid(const enf_zone_t *z, int require_ds)
{
    int want = require_ds ? ENF_RULES_ALL : (ENF_RULE2 | ENF_RULE3);
    for (size_t i = 0; i < z->nkeys; i++) {
        int bits = enf_rules_eval(z, z->keys[i].algorithm);
        if (bits < 0 || (bits & want) != want)
            return 0;
    }
    return !require_ds || rule1(z);
}

int enf_rules_usable_ksk(const enf_zone_t *z, int algorithm, const enf_key_t *except)
{
    world_t w;
    if (world_build(&w, z, algorithm) < 0)
        return 1; /* unknown: claim usable, so minimize keeps the careful order */
    return all_ksk_chains(&w, 0, except);
}

int enf_rules_usable_zsk(const enf_zone_t *z, int algorithm, const enf_key_t *except)
{
    world_t w;
    if (world_build(&w, z, algorithm) < 0)
        return 1;
    return all_zsk_chains(&w, except);
}

void enf_record_move(enf_zone_t *z, enf_key_t *k, enf_rec_t type, enf_state_t next, int64_t order)
{
    enf_record_t *rec = &k->rec[type];
    enf_line_t line = enf_rec_line(type);
    int64_t *floor = enf_zone_oldest(z, line, k->algorithm);
    if (rec->state == ENF_RUMOURED && next == ENF_OMNIPRESENT && rec->order_in > *floor)
        *floor = rec->order_in; /* every cache has it: versions from before it are gone */
    if (next == ENF_RUMOURED) {
        rec->order_in = order;
        rec->order_out = 0;
    } else if (next == ENF_UNRETENTIVE) {
        rec->order_out = order;
    }
    rec->state = next;
    rec->order = order;
    if (next == ENF_HIDDEN)
        enf_versions_normalise(z, line, k->algorithm);
}
