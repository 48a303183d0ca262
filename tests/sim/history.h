/*
 * history.h -- what the simulated servers published, version by version.
 *
 * One history per RRset the oracle looks at: the parent's DS RRset, the
 * zone's DNSKEY RRset (with the keys whose RRSIG covers it) and each data
 * RRset (with the keys whose RRSIG covers it). A version is published at the
 * primary from `start` until the next version replaces it at `end`. It may be
 * served by a secondary until end + prop and a copy fetched at f is valid for
 * [f, f + ttl), so it can be in some cache at any time t with
 * start <= t < end + prop + ttl.
 * Key sets hold key ids.
 */
#ifndef ODS_SIM_HISTORY_H
#define ODS_SIM_HISTORY_H

#include <stdint.h>
#include <stddef.h>
#include <time.h>

#define SIM_SET_MAX 32
#define SIM_NEVER   ((time_t)INT64_MAX / 4)

typedef struct sim_set {
    int n;
    int64_t id[SIM_SET_MAX];
} sim_set_t;

void sim_set_clear(sim_set_t *s);
int sim_set_has(const sim_set_t *s, int64_t id);
/* Adds id if absent; returns -1 if the set is full. */
int sim_set_add(sim_set_t *s, int64_t id);
int sim_set_equal(const sim_set_t *a, const sim_set_t *b);
/* "{3,7,9}" into buf. */
const char *sim_set_str(const sim_set_t *s, char *buf, size_t len);

typedef struct sim_version {
    time_t start, end; /* end = SIM_NEVER while it is the current version */
    time_t ttl, prop;
    sim_set_t keys;    /* DS: keys with a DS; DNSKEY: published keys; RRset: signers */
    sim_set_t signers; /* DNSKEY only: keys whose RRSIG covers this DNSKEY RRset */
} sim_version_t;

typedef struct sim_history {
    sim_version_t *v;
    size_t n, cap;
} sim_history_t;

void sim_history_free(sim_history_t *h);

/* Publish a version at time now unless it equals the current one (same keys,
 * signers, TTL). The current version ends at now. Returns 1 if a version was
 * added, 0 if unchanged, -1 when out of memory. */
int sim_history_publish(sim_history_t *h, time_t now, time_t ttl, time_t prop,
                        const sim_set_t *keys, const sim_set_t *signers);

/* 1 if version v can be in some cache at time t. */
int sim_version_cached(const sim_version_t *v, time_t t);

/* Forget versions that can no longer be cached at any time >= t. */
void sim_history_prune(sim_history_t *h, time_t t);

/* The current version, or NULL. */
const sim_version_t *sim_history_current(const sim_history_t *h);

#endif
