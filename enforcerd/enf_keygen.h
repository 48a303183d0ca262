/*
 * enf_keygen.h -- key pairs generated in the HSM by a pool of threads.
 *
 * Each thread has its own HSM context (its own PKCS#11 sessions). Requests
 * ask for n keys of one shape (repository, algorithm, bits); urgent requests
 * (a zone waiting for its first keys, `key generate`) are served before
 * background ones (filling the pool ahead of need). For every key a thread
 * generates the pair, reads the public key back as DNSKEY RDATA (flags 256),
 * and hands the result to the event loop (enf_inbox.h), where the done
 * callback receives them in batches (typically to store them in one
 * transaction).
 *
 * Ownership: the generator belongs to its creator. Results passed to the
 * done callback are valid during the call only.
 * Thread-safety: every function from the loop's thread only; the workers
 * are internal.
 */
#ifndef ENF_KEYGEN_H
#define ENF_KEYGEN_H

#include <stddef.h>
#include <stdint.h>

#include "engine/model.h"
#include "enf_inbox.h"
#include "hsm/alg.h"
#include "hsm/hsm.h"

/* Attempts per key when the HSM reports a general or transient failure. */
#define ENF_KEYGEN_TRIES 3

typedef struct enf_keyspec {
    char repository[ENF_REPO_MAX];
    int algorithm;
    int bits;
} enf_keyspec_t;

typedef struct enf_newkey {
    enf_keyspec_t spec;
    uint64_t request;
    int rc; /* ODS_OK, or why the key could not be made (err) */
    char err[ODS_ERR_MSG_MAX];
    char locator[ENF_LOCATOR_MAX];
    uint8_t pub[ODS_HSM_DNSKEY_MAX]; /* DNSKEY RDATA, flags 256 */
    size_t publen;
} enf_newkey_t;

typedef void (*enf_keygen_done_fn)(void *arg, const enf_newkey_t *keys, size_t n);

typedef struct enf_keygen enf_keygen_t;

/* Start nthreads (>= 1) workers on hsm (which must outlive the generator). */
int enf_keygen_new(ods_hsm_t *hsm, int nthreads, enf_inbox_t *inbox, enf_keygen_done_fn done,
                   void *arg, enf_keygen_t **out, ods_err_t *err);

/* Stop the workers after the key each is making, deliver every result not yet
 * delivered (the done callback runs in this thread), drop queued work, free.
 * NULL is a no-op. */
void enf_keygen_free(enf_keygen_t *g);

/* Ask for n keys of spec; returns the request id (> 0), 0 when out of memory. */
uint64_t enf_keygen_request(enf_keygen_t *g, const enf_keyspec_t *spec, size_t n, int urgent);

/* Keys of spec asked for and not yet delivered. */
size_t enf_keygen_pending(enf_keygen_t *g, const enf_keyspec_t *spec);

/* Keys of request id not yet delivered (0 once all were, or unknown id). */
size_t enf_keygen_left(enf_keygen_t *g, uint64_t id);

/* Keys not yet delivered, all requests. */
size_t enf_keygen_pending_all(enf_keygen_t *g);

int enf_keyspec_equal(const enf_keyspec_t *a, const enf_keyspec_t *b);

#endif
