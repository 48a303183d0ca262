/*
 * sgn_pool: the signing threads, on a real SoftHSMv2 token. Jobs run every
 * item exactly once; a failing item stops its job and its error comes back;
 * jobs from several threads at once take turns (a big job does not hold up
 * small ones) and all finish; sgn_pool_abort makes running and later jobs
 * fail fast; the threads' arenas come back to the caller, on failure too
 * (LeakSanitizer checks they are all freed). Each thread signs with its own
 * HSM context; the signatures are verified afterwards. Also run under
 * ThreadSanitizer (suite 'tsan').
 */
#include "tap.h"

#include "sgn_pool.h"
#include "sgn_test.h"

#include "dnssec/verify.h"
#include "hsm/alg.h"
#include "hsm/pubkey.h"
#include "hsm/sign.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GATE_TIMEOUT 30.0 /* seconds a gated item waits before the test gives up */

static st_env_t env;

static void pause_us(long us)
{
    struct timespec ts = { 0, us * 1000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until *flag is set (or the timeout); false on timeout. */
static bool wait_flag(atomic_int *flag)
{
    double end = now_s() + GATE_TIMEOUT;
    while (!atomic_load(flag))
        if (now_s() > end)
            return false;
        else
            pause_us(100);
    return true;
}

static void free_arenas(ods_arena_t **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ods_arena_free(a[i]);
    free(a);
}

/* ---- every item once, results in the arenas ---- */

typedef struct count_job {
    size_t n;
    atomic_int *runs;    /* per item */
    size_t **results;    /* per item: a value in the thread's arena */
    atomic_int bad_rand; /* sgn_thread_random out of bounds */
    atomic_int threads;  /* bit per thread index seen */
    long pause;          /* microseconds per item */
    size_t fail_at;      /* item that fails (n: none) */
} count_job_t;

static int count_item(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err)
{
    count_job_t *j = arg;
    atomic_fetch_add(&j->runs[i], 1);
    atomic_fetch_or(&j->threads, 1 << (t->index & 15));
    if (sgn_thread_random(t, 1000) >= 1000)
        atomic_fetch_add(&j->bad_rand, 1);
    if (j->pause)
        pause_us(j->pause);
    if (i == j->fail_at)
        return ods_err_set(err, ODS_EIO, "item %zu failed on purpose", i);
    size_t *r = ods_arena_alloc(t->arena, sizeof(*r));
    if (r == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    *r = i * 7 + 1;
    j->results[i] = r;
    return ODS_OK;
}

static count_job_t *count_new(size_t n)
{
    count_job_t *j = calloc(1, sizeof(*j));
    j->n = n;
    j->runs = calloc(n + 1, sizeof(*j->runs));
    j->results = calloc(n + 1, sizeof(*j->results));
    j->fail_at = n;
    return j;
}

static void count_free(count_job_t *j)
{
    free(j->runs);
    free(j->results);
    free(j);
}

/* Items run once each (or at most once, up to fail_at); results intact. */
static void count_check(const count_job_t *j, bool all, const char *what)
{
    size_t once = 0, twice = 0, wrong = 0;
    for (size_t i = 0; i < j->n; i++) {
        int r = atomic_load(&j->runs[i]);
        once += r == 1;
        twice += r > 1;
        if (r == 1 && i != j->fail_at && (j->results[i] == NULL || *j->results[i] != i * 7 + 1))
            wrong++;
    }
    ok(twice == 0 && (all ? once == j->n : once < j->n) && wrong == 0 &&
           atomic_load(&j->bad_rand) == 0,
       "%s: %zu of %zu items ran, each once; their results in the arenas are intact", what, once,
       j->n);
}

static void test_basic(sgn_pool_t *p)
{
    static const size_t sizes[] = { 0, 1, 31, 32, 33, 1000, 20000 };
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        count_job_t *j = count_new(sizes[s]);
        ods_arena_t **arenas = NULL;
        size_t narenas = 0;
        ods_err_t err = { 0 };
        char what[64];
        snprintf(what, sizeof(what), "job of %zu items", sizes[s]);
        int rc = sgn_pool_run(p, j->n, count_item, j, &arenas, &narenas, &err);
        ok(rc == ODS_OK && arenas != NULL && narenas == (size_t)sgn_pool_size(p),
           "%s: done, one arena slot per thread (%zu)", what, narenas);
        count_check(j, true, what);
        free_arenas(arenas, narenas);
        count_free(j);
    }
}

static void test_failure(sgn_pool_t *p)
{
    count_job_t *j = count_new(5000);
    j->fail_at = 300;
    ods_arena_t **arenas = NULL;
    size_t narenas = 0;
    ods_err_t err = { 0 };
    int rc = sgn_pool_run(p, j->n, count_item, j, &arenas, &narenas, &err);
    ok(rc == ODS_EIO && strstr(err.msg, "item 300 failed on purpose"),
       "an item fails: the job returns its error (%s)", err.msg);
    ok(arenas != NULL && narenas == (size_t)sgn_pool_size(p),
       "the arenas come back on failure too");
    count_check(j, false, "failed job");
    free_arenas(arenas, narenas);
    count_free(j);

    /* several items fail at once: one error, the first recorded */
    j = count_new(64);
    j->pause = 200;
    j->fail_at = 0;
    rc = sgn_pool_run(p, j->n, count_item, j, &arenas, &narenas, &err);
    ok(rc == ODS_EIO && strstr(err.msg, "item 0 failed"), "first item fails: %s", err.msg);
    free_arenas(arenas, narenas);
    count_free(j);

    /* the pool still works after a failed job */
    j = count_new(100);
    ok(sgn_pool_run(p, j->n, count_item, j, &arenas, &narenas, &err) == ODS_OK,
       "the next job runs normally");
    count_check(j, true, "job after a failure");
    free_arenas(arenas, narenas);
    count_free(j);
}

/* ---- jobs from several threads take turns ---- */

typedef struct turn_job {
    size_t n;
    atomic_int *gate; /* items from gate_from on wait for it (NULL: none) */
    size_t gate_from;
    atomic_int *seq; /* shared sequence of finished items */
    int *order;      /* per item: its place in that sequence */
    atomic_int started;
    atomic_int timeouts;
    long pause;
} turn_job_t;

static int turn_item(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err)
{
    turn_job_t *j = arg;
    (void)t;
    (void)err;
    atomic_store(&j->started, 1);
    if (j->gate != NULL && i >= j->gate_from && !wait_flag(j->gate))
        atomic_fetch_add(&j->timeouts, 1);
    pause_us(j->pause);
    j->order[i] = atomic_fetch_add(j->seq, 1);
    return ODS_OK;
}

typedef struct caller {
    sgn_pool_t *p;
    turn_job_t *j;
    atomic_int *announce; /* set just before submitting */
    int rc;
} caller_t;

static void *caller_main(void *arg)
{
    caller_t *c = arg;
    ods_arena_t **arenas = NULL;
    size_t narenas = 0;
    if (c->announce)
        atomic_store(c->announce, 1);
    c->rc = sgn_pool_run(c->p, c->j->n, turn_item, c->j, &arenas, &narenas, NULL);
    free_arenas(arenas, narenas);
    return NULL;
}

static int max_order(const turn_job_t *j)
{
    int m = -1;
    for (size_t i = 0; i < j->n; i++)
        m = j->order[i] > m ? j->order[i] : m;
    return m;
}

static void test_turns(sgn_pool_t *p)
{
    atomic_int seq = 0, b_coming = 0, c_coming = 0;
    /* A: 2000 slow items; from item 64 on they wait until B has been handed over */
    turn_job_t a = { .n = 2000, .gate = &b_coming, .gate_from = 64, .seq = &seq, .pause = 200 };
    turn_job_t b = { .n = 64, .seq = &seq, .pause = 200 };
    turn_job_t c = { .n = 64, .seq = &seq, .pause = 200 };
    a.order = calloc(a.n, sizeof(int));
    b.order = calloc(b.n, sizeof(int));
    c.order = calloc(c.n, sizeof(int));
    caller_t ca = { p, &a, NULL, -1 }, cb = { p, &b, &b_coming, -1 }, cc = { p, &c, &c_coming, -1 };
    pthread_t ta, tb, tc;
    pthread_create(&ta, NULL, caller_main, &ca);
    wait_flag(&a.started);
    pthread_create(&tb, NULL, caller_main, &cb);
    pthread_create(&tc, NULL, caller_main, &cc);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_join(tc, NULL);
    ok(ca.rc == ODS_OK && cb.rc == ODS_OK && cc.rc == ODS_OK && a.timeouts == 0 && c.timeouts == 0,
       "three jobs from three threads at once: all finish");
    int a_end = max_order(&a), b_end = max_order(&b), c_end = max_order(&c);
    int a_after = 0;
    for (size_t i = 0; i < a.n; i++)
        a_after += a.order[i] > (b_end > c_end ? b_end : c_end);
    ok(b_end < a_end && c_end < a_end && a_after >= 500,
       "the small jobs took turns with the big one: done while %d of its %zu items were still "
       "to run",
       a_after, a.n);
    is_int(seq, (int)(a.n + b.n + c.n), "every item of the three ran once");
    free(a.order);
    free(b.order);
    free(c.order);
}

/* Many callers, many jobs of random sizes, at once. */
typedef struct stress {
    sgn_pool_t *p;
    unsigned seed;
    int failures;
} stress_t;

static void *stress_main(void *arg)
{
    stress_t *s = arg;
    for (int k = 0; k < 20; k++) {
        count_job_t *j = count_new((size_t)(rand_r(&s->seed) % 300));
        ods_arena_t **arenas = NULL;
        size_t narenas = 0;
        int rc = sgn_pool_run(s->p, j->n, count_item, j, &arenas, &narenas, NULL);
        for (size_t i = 0; i < j->n; i++)
            s->failures += atomic_load(&j->runs[i]) != 1 || *j->results[i] != i * 7 + 1;
        s->failures += rc != ODS_OK;
        free_arenas(arenas, narenas);
        count_free(j);
    }
    return NULL;
}

static void test_stress(sgn_pool_t *p)
{
    stress_t s[4];
    pthread_t t[4];
    unsigned seed = (unsigned)time(NULL);
    tap_diag("stress seed %u", seed);
    for (int i = 0; i < 4; i++) {
        s[i] = (stress_t){ p, seed + (unsigned)i, 0 };
        pthread_create(&t[i], NULL, stress_main, &s[i]);
    }
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        failures += s[i].failures;
    }
    is_int(failures, 0, "4 threads x 20 jobs of random sizes at once: every item ran once");
}

/* ---- each thread signs with its own HSM context ---- */

typedef struct sign_job {
    const ods_hsm_key_t *key;
    uint8_t (*sigs)[ODS_HSM_SIG_MAX];
    size_t *siglen;
} sign_job_t;

static int sign_item(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err)
{
    sign_job_t *j = arg;
    ods_buf_reset(&t->data);
    if (ods_buf_printf(&t->data, "message %zu", i) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    j->siglen[i] = ODS_HSM_SIG_MAX;
    return ods_hsm_sign(t->ctx, j->key, 13, t->data.data, t->data.len, j->sigs[i], &j->siglen[i],
                        err);
}

static void test_sign(sgn_pool_t *p)
{
    char loc[ODS_HSM_LOCATOR_LEN + 1];
    ods_hsm_key_t *key = NULL;
    uint8_t dnskey[ODS_HSM_DNSKEY_MAX];
    size_t dlen = sizeof(dnskey);
    if (!ok(st_keygen(&env, 13, loc) == 0 && ods_hsm_key_find(env.ctx, loc, &key, NULL) == ODS_OK &&
                ods_hsm_dnskey_rdata(env.ctx, key, 13, 256, dnskey, &dlen, NULL) == ODS_OK,
            "a P-256 key"))
        return;
    enum { N = 400 };
    sign_job_t j = { key, calloc(N, ODS_HSM_SIG_MAX), calloc(N, sizeof(size_t)) };
    ods_arena_t **arenas = NULL;
    size_t narenas = 0;
    ods_err_t err = { 0 };
    ok(sgn_pool_run(p, N, sign_item, &j, &arenas, &narenas, &err) == ODS_OK,
       "%d signatures made on the pool's own HSM contexts (%s)", N, err.msg);
    int good = 0;
    for (size_t i = 0; i < N; i++) {
        char msg[64];
        int len = snprintf(msg, sizeof(msg), "message %zu", i);
        good += ods_verify_dnskey(dnskey, dlen, (const uint8_t *)msg, (size_t)len, j.sigs[i],
                                  j.siglen[i], NULL) == ODS_OK;
    }
    is_int(good, N, "every signature verifies");
    free_arenas(arenas, narenas);
    free(j.sigs);
    free(j.siglen);
    ods_hsm_key_free(key);
}

/* ---- abort ---- */

typedef struct abort_call {
    sgn_pool_t *p;
    count_job_t *j;
    int rc;
    ods_err_t err;
    ods_arena_t **arenas; /* freed once the results are checked */
    size_t narenas;
} abort_call_t;

static void *abort_main(void *arg)
{
    abort_call_t *a = arg;
    a->rc = sgn_pool_run(a->p, a->j->n, count_item, a->j, &a->arenas, &a->narenas, &a->err);
    return NULL;
}

static size_t ran(const count_job_t *j)
{
    size_t n = 0;
    for (size_t i = 0; i < j->n; i++)
        n += atomic_load(&j->runs[i]) > 0;
    return n;
}

static void test_abort(void)
{
    sgn_pool_t *p = NULL;
    ods_err_t err = { 0 };
    if (!ok(sgn_pool_new(env.hsm, 2, &p, &err) == ODS_OK, "a second pool (%s)", err.msg))
        return;
    abort_call_t a = { p, count_new(20000), -1, { 0 }, NULL, 0 };
    a.j->pause = 100;
    pthread_t t;
    pthread_create(&t, NULL, abort_main, &a);
    double end = now_s() + GATE_TIMEOUT;
    while (ran(a.j) < 50 && now_s() < end)
        pause_us(1000);
    sgn_pool_abort(p);
    pthread_join(t, NULL);
    ok(a.rc == ODS_ESTATE && strstr(a.err.msg, "the signer is stopping"),
       "sgn_pool_abort: the running job fails (%s)", a.err.msg);
    count_check(a.j, false, "aborted job");
    free_arenas(a.arenas, a.narenas);
    count_free(a.j);

    count_job_t *j = count_new(1000);
    ods_arena_t **arenas = NULL;
    size_t narenas = 0;
    int rc = sgn_pool_run(p, j->n, count_item, j, &arenas, &narenas, &err);
    ok(rc == ODS_ESTATE && ran(j) == 0, "a job after the abort fails at once, no item runs");
    free_arenas(arenas, narenas);
    count_free(j);
    sgn_pool_free(p);
}

int main(void)
{
    char why[1024] = "";
    sgn_pool_t *p = NULL, *one = NULL;
    ods_err_t err = { 0 };
    if (!ok(st_env_open(&env, "sgnpool", true, why, sizeof(why)) == 0, "token (%s)", why) ||
        !ok(sgn_pool_new(env.hsm, 2, &p, &err) == ODS_OK && sgn_pool_size(p) == 2,
            "a pool of 2 threads (%s)", err.msg)) {
        st_env_close(&env);
        return tap_done();
    }
    ok(sgn_pool_new(env.hsm, 0, &one, &err) == ODS_OK && sgn_pool_size(one) == 1,
       "asking for 0 threads gives 1");
    if (one != NULL)
        test_basic(one);
    sgn_pool_free(one);
    sgn_pool_free(NULL);
    test_basic(p);
    test_failure(p);
    test_turns(p);
    test_stress(p);
    test_sign(p);
    sgn_pool_free(p);
    test_abort();
    st_env_close(&env);
    return tap_done();
}
