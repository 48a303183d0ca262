/*
 * oracle.h -- does every resolver validate the zone, whatever it has cached?
 *
 * The oracle knows nothing of the engine's states or rules. It sees only what
 * the simulated servers published (history.h): every version of the parent's
 * DS RRset, of the zone's DNSKEY RRset with the keys that signed it, and of
 * each data RRset with the keys that signed it, each with the time it was
 * published, the time it was replaced, its TTL and the propagation delay to
 * the secondaries, plus the algorithm of each key.
 *
 * The resolver model. At time t a resolver may hold any version that can
 * still be in a cache (start <= t < end + propagation delay + TTL),
 * independently for the DS RRset, the DNSKEY RRset and each data RRset: it may
 * have fetched each from a lagging secondary at a different moment. For EVERY
 * such combination, and for every algorithm that has a DS in the cached DS
 * RRset (strict: what a validator that refuses algorithm downgrades checks):
 *   1. some DS of that algorithm matches a key in the cached DNSKEY RRset that
 *      also signed that DNSKEY RRset (the DS -> DNSKEY chain), and
 *   2. every cached data RRset version carries a signature of that algorithm
 *      by a key in the cached DNSKEY RRset (the DNSKEY -> data chain).
 * A DS RRset without any DS is an insecure delegation and needs nothing.
 * Since (1) is required for every algorithm of the DS RRset, a DS that points
 * only at keys no cached DNSKEY RRset has makes the check fail as well.
 *
 * Checking after every change of any published RRset is enough: between
 * changes versions only leave caches, so the set of combinations only shrinks.
 */
#ifndef ODS_SIM_ORACLE_H
#define ODS_SIM_ORACLE_H

#include "history.h"

typedef int (*sim_alg_fn)(void *ctx, int64_t key_id);

typedef struct sim_oracle_input {
    const sim_history_t *ds;
    const sim_history_t *dnskey;
    const sim_history_t *rrsets; /* array of nrrsets histories */
    size_t nrrsets;
    sim_alg_fn alg; /* algorithm of a key id */
    void *ctx;
} sim_oracle_input_t;

/* 1 if every combination validates at time t; otherwise 0 and a description
 * of one failing combination in why. */
int sim_oracle_check(const sim_oracle_input_t *in, time_t t, char *why, size_t len);

#endif
