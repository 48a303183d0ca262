/*
 * rng.h -- a small deterministic PRNG (splitmix64) for the simulations, so
 * that a printed seed replays a run exactly on any platform.
 */
#ifndef ODS_SIM_RNG_H
#define ODS_SIM_RNG_H

#include <stdint.h>
#include <time.h>

typedef struct sim_rng {
    uint64_t s;
} sim_rng_t;

static inline uint64_t sim_rng_next(sim_rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n <= 0. */
static inline int64_t sim_rng_below(sim_rng_t *r, int64_t n)
{
    return n > 0 ? (int64_t)(sim_rng_next(r) % (uint64_t)n) : 0;
}

/* Uniform in [lo, hi]. */
static inline time_t sim_rng_range(sim_rng_t *r, time_t lo, time_t hi)
{
    return hi > lo ? lo + (time_t)sim_rng_below(r, (int64_t)(hi - lo) + 1) : lo;
}

/* 1 with probability pct/100. */
static inline int sim_rng_pct(sim_rng_t *r, int pct)
{
    return sim_rng_below(r, 100) < pct;
}

/* One of n values. */
static inline time_t sim_rng_pick(sim_rng_t *r, const time_t *v, int n)
{
    return v[sim_rng_below(r, n)];
}

#endif
