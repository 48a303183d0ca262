/*
 * enf_enforce_write.c -- writing the signconfs of a batch of enforcements in
 * parallel: each file is fsynced, so a batch costs about one disk sync
 * instead of one per zone (see enf_enforce.h).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "enf_enforce_internal.h"
#include "enf_path.h"

#define WRITERS 8

typedef struct writers {
    run_t **runs;
    size_t n;
    atomic_size_t next;
} writers_t;

static void write_one(run_t *run)
{
    run->sc_rc = enf_path_ensure_parent(run->zi.signconf, &run->sc_err);
    if (run->sc_rc == ODS_OK)
        run->sc_rc = ods_signconf_write(run->sc, run->zi.signconf, &run->sc_err);
}

static void *writer(void *arg)
{
    writers_t *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;)
        if (w->runs[i]->sc)
            write_one(w->runs[i]);
    return NULL;
}

void enf_enforce_write_all(run_t **runs, size_t n)
{
    writers_t w = { runs, n, 0 };
    pthread_t th[WRITERS];
    size_t started = 0, want = n < WRITERS ? n : WRITERS;
    for (size_t i = 1; i < want; i++) /* this thread is one of the writers */
        if (pthread_create(&th[started], NULL, writer, &w) == 0)
            started++;
    writer(&w);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}
