/*
 * hsm-speed.c -- how fast a PKCS#11 token signs, and what our HSM layer costs.
 *
 * For each thread count it runs, in alternating slices of a few seconds:
 *   raw   every thread opens its own session and loops C_SignInit + C_Sign,
 *         called straight through the module's function list, over the bytes
 *         the token signs for one DNSSEC signature (ECDSA: the digest);
 *   ods   every thread has its own ods_hsm_ctx_t and loops ods_hsm_sign over
 *         data the size of a typical RRSIG input (digest in software, then
 *         the same two calls).
 * Alternating short slices means a noisy machine slows both alike. A mode's
 * rate is all its signatures over all its slices' time; the overhead is how
 * much slower ods is than raw, in percent.
 *
 * Both modes share one loaded module: ods_hsm_open initialises it and logs
 * in, and the raw side reuses that (C_Initialize answers
 * CKR_CRYPTOKI_ALREADY_INITIALIZED; a login is per application, not per
 * session).
 *
 * usage: hsm-speed -m MODULE -t TOKENLABEL -p PIN -k LOCATOR [-a ALG]
 *                  [-s SECONDS] [-r ROUNDS] [-b BYTES] [--raw-only] THREADS...
 * Prints a table; its lines of figures start with the thread count.
 */
#include "hsm/alg.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "hsm/sign.h"
#include "util/clock.h"
#include "util/status.h"

#include <dlfcn.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
#define MAX_COUNTS  16
#define DIGEST_MAX  (32 + EVP_MAX_MD_SIZE)
#define SIG_MAX     1024

/* What the token signs for one DNSSEC algorithm. */
typedef struct alg_info {
    int number;
    CK_MECHANISM_TYPE mech;
    const char *digest;    /* OpenSSL digest name; NULL: the token gets the data itself */
    const uint8_t *prefix; /* RSA: DER DigestInfo prefix */
    size_t prefix_len;
} alg_info_t;

static const uint8_t sha256_info[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                       0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };

static const alg_info_t algs[] = {
    { 8, CKM_RSA_PKCS, "SHA256", sha256_info, sizeof(sha256_info) },
    { 13, CKM_ECDSA, "SHA256", NULL, 0 },
    { 14, CKM_ECDSA, "SHA384", NULL, 0 },
    { 15, CKM_EDDSA, NULL, NULL, 0 },
};

typedef struct opts {
    const char *module, *label, *pin, *locator;
    int algorithm;
    double seconds;
    int rounds;
    size_t bytes;
    bool raw_only;
    int threads[MAX_COUNTS];
    int ncounts;
} opts_t;

enum mode { MODE_RAW, MODE_ODS, MODE_N };

/* What the workers share; read-only while they run, except stop. */
typedef struct bench {
    const opts_t *o;
    const alg_info_t *alg;
    void *dl;
    CK_FUNCTION_LIST_PTR f;
    CK_SLOT_ID slot;
    CK_OBJECT_HANDLE priv;
    ods_hsm_t *hsm;
    ods_hsm_key_t *key;
    uint8_t *data;      /* what ods_hsm_sign signs (o->bytes) */
    const uint8_t *raw; /* what the raw loop hands C_Sign */
    size_t rawlen;
    uint8_t digest[DIGEST_MAX];
    pthread_barrier_t start;
    atomic_bool stop;
} bench_t;

typedef struct worker {
    bench_t *b;
    enum mode mode;
    pthread_t tid;
    CK_SESSION_HANDLE session; /* raw */
    ods_hsm_ctx_t *ctx;        /* ods */
    unsigned long count;
    bool failed;
    char msg[ODS_ERR_MSG_MAX];
} worker_t;

/* Figures of one mode at one thread count, summed over the rounds. */
typedef struct tally {
    unsigned long sigs;
    int slices;
    double secs, cpu; /* wall and process CPU seconds */
    double min, max;  /* slice rates */
} tally_t;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hsm-speed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage(void)
{
    fputs("usage: hsm-speed -m MODULE -t TOKENLABEL -p PIN -k LOCATOR [-a ALG] [-s SECONDS]\n"
          "                 [-r ROUNDS] [-b BYTES] [--raw-only] THREADS...\n"
          "  -a ALG      DNSSEC algorithm of the key: 8, 13 (default), 14 or 15\n"
          "  -s SECONDS  length of one slice (default 2)\n"
          "  -r ROUNDS   slices per mode and thread count (default 3)\n"
          "  -b BYTES    size of the data ods_hsm_sign signs (default 150)\n"
          "  --raw-only  measure only the raw rate\n"
          "  THREADS     thread counts to measure (default 1)\n",
          stderr);
    exit(2);
}

static void parse_threads(opts_t *o, int argc, char **argv)
{
    for (; optind < argc; optind++) {
        char *end;
        long n = strtol(argv[optind], &end, 10);
        if (*end != '\0' || n < 1 || n > MAX_THREADS || o->ncounts == MAX_COUNTS)
            die("bad thread count '%s' (1 to %d, at most %d counts)", argv[optind], MAX_THREADS,
                MAX_COUNTS);
        o->threads[o->ncounts++] = (int)n;
    }
    if (o->ncounts == 0)
        o->threads[o->ncounts++] = 1;
}

static void parse_opts(opts_t *o, int argc, char **argv)
{
    static const struct option lo[] = { { "raw-only", no_argument, NULL, 'R' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
    *o = (opts_t){ .algorithm = 13, .seconds = 2, .rounds = 3, .bytes = 150 };
    int c;
    while ((c = getopt_long(argc, argv, "m:t:p:k:a:s:r:b:h", lo, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->module = optarg;
            break;
        case 't':
            o->label = optarg;
            break;
        case 'p':
            o->pin = optarg;
            break;
        case 'k':
            o->locator = optarg;
            break;
        case 'a':
            o->algorithm = atoi(optarg);
            break;
        case 's':
            o->seconds = atof(optarg);
            break;
        case 'r':
            o->rounds = atoi(optarg);
            break;
        case 'b':
            o->bytes = (size_t)atol(optarg);
            break;
        case 'R':
            o->raw_only = true;
            break;
        default:
            usage();
        }
    }
    if (!o->module || !o->label || !o->pin || !o->locator || o->seconds <= 0 || o->rounds < 1 ||
        o->bytes < 1 || o->bytes > (1u << 20))
        usage();
    parse_threads(o, argc, argv);
}

static const alg_info_t *alg_find(int number)
{
    for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
        if (algs[i].number == number)
            return &algs[i];
    die("algorithm %d is not one of 8, 13, 14, 15", number);
}

/* The data to sign, and what C_Sign gets for it: DigestInfo || digest, digest, or the data. */
static void make_input(bench_t *b)
{
    const alg_info_t *a = b->alg;
    if ((b->data = malloc(b->o->bytes)) == NULL)
        die("out of memory");
    for (size_t i = 0; i < b->o->bytes; i++)
        b->data[i] = (uint8_t)(i * 131 + 7);
    if (a->digest == NULL) {
        b->raw = b->data;
        b->rawlen = b->o->bytes;
        return;
    }
    unsigned int dlen = 0;
    if (a->prefix_len)
        memcpy(b->digest, a->prefix, a->prefix_len);
    if (EVP_Digest(b->data, b->o->bytes, b->digest + a->prefix_len, &dlen,
                   EVP_get_digestbyname(a->digest), NULL) != 1)
        die("the OpenSSL digest %s failed", a->digest);
    b->raw = b->digest;
    b->rawlen = a->prefix_len + dlen;
}

/* The module's function list; ods_hsm_open has initialised the module already. */
static void raw_module(bench_t *b)
{
    if ((b->dl = dlopen(b->o->module, RTLD_NOW | RTLD_LOCAL)) == NULL)
        die("cannot load %s: %s", b->o->module, dlerror());
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(b->dl, "C_GetFunctionList");
    if (get == NULL || get(&b->f) != CKR_OK)
        die("%s is not a PKCS#11 module (no C_GetFunctionList)", b->o->module);
    CK_C_INITIALIZE_ARGS args = { .flags = CKF_OS_LOCKING_OK };
    CK_RV rv = b->f->C_Initialize(&args);
    if (rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
        die("C_Initialize of %s answered 0x%lx, expected CKR_CRYPTOKI_ALREADY_INITIALIZED "
            "(the module should be initialised once, by our layer)",
            b->o->module, (unsigned long)rv);
}

/* The slot holding the token labelled o->label. */
static void raw_slot(bench_t *b)
{
    CK_SLOT_ID slots[64];
    CK_ULONG n = sizeof(slots) / sizeof(slots[0]);
    CK_RV rv = b->f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK)
        die("C_GetSlotList failed: 0x%lx", (unsigned long)rv);
    char want[32];
    size_t len = strlen(b->o->label);
    memset(want, ' ', sizeof(want));
    memcpy(want, b->o->label, len < sizeof(want) ? len : sizeof(want));
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        if (b->f->C_GetTokenInfo(slots[i], &ti) == CKR_OK &&
            memcmp(ti.label, want, sizeof(want)) == 0) {
            b->slot = slots[i];
            return;
        }
    }
    die("no token labelled '%s' in %s", b->o->label, b->o->module);
}

static size_t hex_decode(const char *hex, CK_BYTE *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    if (strlen(hex) % 2 || n > cap)
        die("bad locator '%s' (an even number of hex digits, at most %zu bytes)", hex, cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            die("bad locator '%s' (not hex)", hex);
        out[i] = (CK_BYTE)v;
    }
    return n;
}

/* The private key's object handle, found once (as our layer does). */
static void raw_key(bench_t *b)
{
    CK_BYTE id[64];
    size_t idlen = hex_decode(b->o->locator, id, sizeof(id));
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_ID, id, idlen } };
    CK_SESSION_HANDLE s;
    CK_ULONG found = 0;
    CK_RV rv = b->f->C_OpenSession(b->slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
    if (rv != CKR_OK)
        die("C_OpenSession failed: 0x%lx", (unsigned long)rv);
    if ((rv = b->f->C_FindObjectsInit(s, tmpl, 2)) == CKR_OK) {
        rv = b->f->C_FindObjects(s, &b->priv, 1, &found);
        b->f->C_FindObjectsFinal(s);
    }
    b->f->C_CloseSession(s);
    if (rv != CKR_OK || found != 1)
        die("private key %s not found in token %s (rv 0x%lx)", b->o->locator, b->o->label,
            (unsigned long)rv);
}

/* Our layer: open the repository and find the key through it. */
static void ods_open(bench_t *b)
{
    ods_hsm_repo_spec_t spec = {
        .name = "bench", .module = b->o->module, .token_label = b->o->label, .pin = b->o->pin
    };
    ods_err_t e = { 0 };
    ods_hsm_ctx_t *ctx = NULL;
    if (ods_hsm_open(&spec, 1, &b->hsm, &e) != ODS_OK ||
        ods_hsm_ctx_new(b->hsm, &ctx, &e) != ODS_OK ||
        ods_hsm_key_find(ctx, b->o->locator, &b->key, &e) != ODS_OK)
        die("%s", e.msg);
    ods_hsm_ctx_free(ctx);
}

static bool worker_fail(worker_t *w, const char *what, CK_RV rv)
{
    snprintf(w->msg, sizeof(w->msg), "%s failed: 0x%lx", what, (unsigned long)rv);
    w->failed = true;
    return false;
}

static bool raw_sign(worker_t *w)
{
    bench_t *b = w->b;
    CK_MECHANISM mech = { b->alg->mech, NULL, 0 };
    CK_BYTE sig[SIG_MAX];
    CK_ULONG siglen = sizeof(sig);
    CK_RV rv = b->f->C_SignInit(w->session, &mech, b->priv);
    if (rv != CKR_OK)
        return worker_fail(w, "C_SignInit", rv);
    rv = b->f->C_Sign(w->session, (CK_BYTE_PTR)b->raw, b->rawlen, sig, &siglen);
    if (rv != CKR_OK)
        return worker_fail(w, "C_Sign", rv);
    return true;
}

static bool ods_sign(worker_t *w)
{
    bench_t *b = w->b;
    uint8_t sig[ODS_HSM_SIG_MAX];
    size_t siglen = sizeof(sig);
    ods_err_t e = { 0 };
    if (ods_hsm_sign(w->ctx, b->key, b->o->algorithm, b->data, b->o->bytes, sig, &siglen, &e) ==
        ODS_OK)
        return true;
    snprintf(w->msg, sizeof(w->msg), "ods_hsm_sign: %s", e.msg);
    w->failed = true;
    return false;
}

/* Own session or context, and one signature outside the timed loop. */
static bool worker_setup(worker_t *w)
{
    if (w->mode == MODE_RAW) {
        CK_RV rv = w->b->f->C_OpenSession(w->b->slot, CKF_SERIAL_SESSION, NULL, NULL, &w->session);
        if (rv != CKR_OK)
            return worker_fail(w, "C_OpenSession", rv);
        return raw_sign(w);
    }
    ods_err_t e = { 0 };
    if (ods_hsm_ctx_new(w->b->hsm, &w->ctx, &e) != ODS_OK) {
        snprintf(w->msg, sizeof(w->msg), "%s", e.msg);
        w->failed = true;
        return false;
    }
    return ods_sign(w);
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    bench_t *b = w->b;
    w->session = CK_INVALID_HANDLE;
    bool ok = worker_setup(w);
    pthread_barrier_wait(&b->start);
    while (ok && !atomic_load_explicit(&b->stop, memory_order_relaxed)) {
        ok = w->mode == MODE_RAW ? raw_sign(w) : ods_sign(w);
        w->count += ok;
    }
    if (w->session != CK_INVALID_HANDLE)
        b->f->C_CloseSession(w->session);
    ods_hsm_ctx_free(w->ctx);
    return NULL;
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_for(double seconds)
{
    struct timespec ts = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* One slice: n threads sign in one mode for o->seconds; adds to t. */
static void run_slice(bench_t *b, enum mode mode, int n, tally_t *t)
{
    worker_t w[MAX_THREADS];
    memset(w, 0, sizeof(w));
    atomic_store(&b->stop, false);
    if (pthread_barrier_init(&b->start, NULL, (unsigned)n + 1) != 0)
        die("pthread_barrier_init failed");
    for (int i = 0; i < n; i++) {
        w[i].b = b;
        w[i].mode = mode;
        if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0)
            die("cannot start thread %d", i);
    }
    pthread_barrier_wait(&b->start);
    double t0 = ods_clock_monotonic(), c0 = cpu_seconds();
    sleep_for(b->o->seconds);
    atomic_store(&b->stop, true);
    unsigned long sigs = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].tid, NULL);
        if (w[i].failed)
            die("thread %d (%s): %s", i, mode == MODE_RAW ? "raw" : "ods", w[i].msg);
        sigs += w[i].count;
    }
    double secs = ods_clock_monotonic() - t0, rate = sigs / secs;
    t->cpu += cpu_seconds() - c0;
    pthread_barrier_destroy(&b->start);
    if (t->slices++ == 0 || rate < t->min)
        t->min = rate;
    if (rate > t->max)
        t->max = rate;
    t->sigs += sigs;
    t->secs += secs;
}

static void print_header(const bench_t *b)
{
    double load[1] = { 0 };
    getloadavg(load, 1);
    printf("# module %s, token %s, algorithm %d, key %s\n", b->o->module, b->o->label,
           b->o->algorithm, b->o->locator);
    printf("# %d slice(s) of %.1f s per mode and thread count, alternating raw/ods; "
           "ods signs %zu bytes; %ld CPUs; load %.2f\n",
           b->o->rounds, b->o->seconds, b->o->bytes, sysconf(_SC_NPROCESSORS_ONLN), load[0]);
    printf("%7s  %9s  %17s  %9s  %17s  %8s  %11s  %11s  %8s\n", "threads", "raw sig/s",
           "raw slices", "ods sig/s", "ods slices", "overhead", "raw CPU/sig", "ods CPU/sig",
           "overhead");
}

static void print_row(const bench_t *b, int threads, const tally_t t[MODE_N])
{
    const tally_t *r = &t[MODE_RAW], *d = &t[MODE_ODS];
    double raw = r->sigs / r->secs, raw_us = r->cpu / r->sigs * 1e6;
    if (b->o->raw_only) {
        printf("%7d  %9.0f  %8.0f-%-8.0f  %9s  %17s  %8s  %9.1fus  %11s  %8s\n", threads, raw,
               r->min, r->max, "-", "-", "-", raw_us, "-", "-");
        return;
    }
    double ods = d->sigs / d->secs, ods_us = d->cpu / d->sigs * 1e6;
    printf("%7d  %9.0f  %8.0f-%-8.0f  %9.0f  %8.0f-%-8.0f  %7.1f%%  %9.1fus  %9.1fus  %7.1f%%\n",
           threads, raw, r->min, r->max, ods, d->min, d->max, (raw - ods) / raw * 100, raw_us,
           ods_us, (ods_us - raw_us) / raw_us * 100);
}

int main(int argc, char **argv)
{
    opts_t o;
    parse_opts(&o, argc, argv);
    bench_t b = { .o = &o, .alg = alg_find(o.algorithm) };
    ods_open(&b);
    raw_module(&b);
    raw_slot(&b);
    raw_key(&b);
    make_input(&b);
    static tally_t t[MAX_COUNTS][MODE_N];
    for (int r = 0; r < o.rounds; r++) {
        for (int i = 0; i < o.ncounts; i++) {
            bool raw_first = o.raw_only || (r + i) % 2 == 0;
            run_slice(&b, raw_first ? MODE_RAW : MODE_ODS, o.threads[i],
                      &t[i][raw_first ? MODE_RAW : MODE_ODS]);
            if (!o.raw_only)
                run_slice(&b, raw_first ? MODE_ODS : MODE_RAW, o.threads[i],
                          &t[i][raw_first ? MODE_ODS : MODE_RAW]);
        }
    }
    print_header(&b);
    for (int i = 0; i < o.ncounts; i++)
        print_row(&b, o.threads[i], t[i]);
    ods_hsm_key_free(b.key);
    ods_hsm_close(b.hsm);
    dlclose(b.dl);
    free(b.data);
    return 0;
}
