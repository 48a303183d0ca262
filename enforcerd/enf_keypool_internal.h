/*
 * enf_keypool_internal.h -- shared by enf_keypool.c, enf_keypool_plan.c and
 * enf_keysrc.c. Not for other modules.
 */
#ifndef ENF_KEYPOOL_INTERNAL_H
#define ENF_KEYPOOL_INTERNAL_H

#include "enf_keypool.h"

/* Spare unused keys kept per key shape in use, per key generation thread. */
#define ENF_POOL_SPARE_PER_THREAD 1

typedef struct waiter {
    uint64_t *reqs;
    size_t nreqs;
    size_t made, failed;
    enf_keypool_wait_fn fn;
    void *arg;
} waiter_t;

struct enf_keypool {
    enf_daemon_t *d;
    waiter_t *waiters;
    size_t nwaiters, capwaiters;
    struct event *plan_ev; /* plan soon */
    time_t failed_at;      /* last key generation failure */
};

int enf_keypool_add_waiter(enf_keypool_t *kp, const uint64_t *reqs, size_t nreqs,
                           enf_keypool_wait_fn fn, void *arg);

#endif
