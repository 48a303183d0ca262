/* oracle.c -- the independent validity check over cached versions (see oracle.h). */
#include "oracle.h"

#include <stdio.h>

#define ALG_MAX 8

/* Distinct algorithms of the DS records in a DS version. */
static int ds_algorithms(const sim_oracle_input_t *in, const sim_version_t *d, int *algs)
{
    int n = 0;
    for (int i = 0; i < d->keys.n; i++) {
        int a = in->alg(in->ctx, d->keys.id[i]), seen = 0;
        for (int j = 0; j < n; j++)
            seen |= algs[j] == a;
        if (!seen && n < ALG_MAX)
            algs[n++] = a;
    }
    return n;
}

static int ds_chain(const sim_oracle_input_t *in, const sim_version_t *d, const sim_version_t *k,
                    int alg)
{
    for (int i = 0; i < d->keys.n; i++) {
        int64_t id = d->keys.id[i];
        if (in->alg(in->ctx, id) == alg && sim_set_has(&k->keys, id) &&
            sim_set_has(&k->signers, id))
            return 1;
    }
    return 0;
}

static int data_chain(const sim_oracle_input_t *in, const sim_version_t *k, const sim_version_t *s,
                      int alg)
{
    for (int i = 0; i < s->keys.n; i++) {
        int64_t id = s->keys.id[i];
        if (in->alg(in->ctx, id) == alg && sim_set_has(&k->keys, id))
            return 1;
    }
    return 0;
}

static void describe(char *why, size_t len, const char *what, int alg, const sim_version_t *a,
                     const char *aname, const sim_version_t *b, const char *bname)
{
    char s1[256], s2[256], s3[256];
    snprintf(why, len,
             "%s for algorithm %d: %s %s (published %lld..%lld ttl %lld) with %s %s signed by %s "
             "(published %lld..%lld ttl %lld)",
             what, alg, aname, sim_set_str(&a->keys, s1, sizeof(s1)), (long long)a->start,
             a->end == SIM_NEVER ? -1LL : (long long)a->end, (long long)a->ttl, bname,
             sim_set_str(&b->keys, s2, sizeof(s2)), sim_set_str(&b->signers, s3, sizeof(s3)),
             (long long)b->start, b->end == SIM_NEVER ? -1LL : (long long)b->end,
             (long long)b->ttl);
}

/* Every cached data version with DNSKEY version k has a signature of alg. */
static int check_data(const sim_oracle_input_t *in, const sim_version_t *k, int alg, time_t t,
                      char *why, size_t len)
{
    for (size_t r = 0; r < in->nrrsets; r++) {
        const sim_history_t *h = &in->rrsets[r];
        for (size_t i = 0; i < h->n; i++) {
            const sim_version_t *s = &h->v[i];
            if (!sim_version_cached(s, t) || data_chain(in, k, s, alg))
                continue;
            describe(why, len, "no DNSKEY->data chain", alg, s, "RRset signatures", k,
                     "DNSKEY RRset");
            return 0;
        }
    }
    return 1;
}

static int check_ds_version(const sim_oracle_input_t *in, const sim_version_t *d, time_t t,
                            char *why, size_t len)
{
    int algs[ALG_MAX];
    int nalg = ds_algorithms(in, d, algs);
    for (int a = 0; a < nalg; a++) {
        for (size_t i = 0; i < in->dnskey->n; i++) {
            const sim_version_t *k = &in->dnskey->v[i];
            if (!sim_version_cached(k, t))
                continue;
            if (!ds_chain(in, d, k, algs[a])) {
                describe(why, len, "no DS->DNSKEY chain", algs[a], d, "DS RRset", k,
                         "DNSKEY RRset");
                return 0;
            }
            if (!check_data(in, k, algs[a], t, why, len))
                return 0;
        }
    }
    return 1;
}

int sim_oracle_check(const sim_oracle_input_t *in, time_t t, char *why, size_t len)
{
    for (size_t i = 0; i < in->ds->n; i++) {
        const sim_version_t *d = &in->ds->v[i];
        if (sim_version_cached(d, t) && !check_ds_version(in, d, t, why, len))
            return 0;
    }
    return 1;
}
