/*
 * enf_inbox.h -- hand work from other threads to the event loop.
 *
 * Worker threads (key generation, DS commands) post a function and its
 * argument; the loop runs them in the order posted, from its own thread.
 * A self-pipe wakes the loop, so the event base needs no thread support.
 *
 * Ownership: the inbox belongs to its creator (enf_inbox_free). An item's
 * argument belongs to the function that receives it; items still queued
 * when the inbox is freed are run with base-less cleanup: their function is
 * called (so they can free their argument) before the inbox goes away.
 * Thread-safety: enf_inbox_post from any thread; the rest from the loop's.
 */
#ifndef ENF_INBOX_H
#define ENF_INBOX_H

#include "util/status.h"

struct event_base;

typedef struct enf_inbox enf_inbox_t;
typedef void (*enf_inbox_fn)(void *arg);

int enf_inbox_new(struct event_base *base, enf_inbox_t **out, ods_err_t *err);

/* Run everything still queued, then free. NULL is a no-op. */
void enf_inbox_free(enf_inbox_t *ib);

/* Queue fn(arg) for the loop. ODS_ENOMEM (fn is not called). */
int enf_inbox_post(enf_inbox_t *ib, enf_inbox_fn fn, void *arg);

/* Run what is queued now (the loop's wake-up does this; tests may call it). */
void enf_inbox_run(enf_inbox_t *ib);

#endif
