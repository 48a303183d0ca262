/*
 * sgn_pool.h -- the signing threads (SignerThreads).
 *
 * Each thread owns one HSM context (its own PKCS#11 sessions), a scratch
 * buffer and a random generator. Zone workers hand the pool a job (n items
 * and a function) and wait for it; threads take items in batches, and when
 * several jobs are queued they take turns, so one big zone does not starve
 * the others. Results that must outlive the job (new signatures) go into the
 * thread's arena for that job; the job collects the arenas for its owner.
 *
 * Thread-safety: sgn_pool_run may be called from several zone workers at
 * once; the pool's queue is behind one mutex.
 */
#ifndef SGN_POOL_H
#define SGN_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/status.h"

typedef struct sgn_thread {
    int index;
    ods_hsm_ctx_t *ctx; /* this thread's PKCS#11 sessions */
    ods_buf_t data;     /* scratch: the data to sign */
    uint64_t rng;       /* xorshift state */
    ods_arena_t *arena; /* the current job's arena of this thread */
} sgn_thread_t;

/* Work on item i; return ODS_OK or an error (err filled). */
typedef int (*sgn_work_fn)(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err);

typedef struct sgn_pool sgn_pool_t;

/* Start n threads, each opening its own HSM context. */
int sgn_pool_new(ods_hsm_t *hsm, int nthreads, sgn_pool_t **out, ods_err_t *err);

/* Stop the threads (after current batches) and free everything. NULL is a no-op. */
void sgn_pool_free(sgn_pool_t *p);

int sgn_pool_size(const sgn_pool_t *p);

/* Make every running and later job fail fast ("the signer is stopping"). */
void sgn_pool_abort(sgn_pool_t *p);

/*
 * Run fn over items 0..n-1 on the pool and wait. *arenas receives the arenas
 * the threads allocated in (a malloc'd array of *narenas entries, some NULL),
 * which the caller must adopt (ods_zone_adopt_arena) or free — also on
 * failure, since the items that finished may point into them. On failure the
 * first error is returned and the remaining items are skipped.
 */
int sgn_pool_run(sgn_pool_t *p, size_t n, sgn_work_fn fn, void *arg, ods_arena_t ***arenas,
                 size_t *narenas, ods_err_t *err);

/* A uniform random number in [0, bound) from the thread's generator. */
uint64_t sgn_thread_random(sgn_thread_t *t, uint64_t bound);

#endif
