/*
 * enf_enforce_internal.h -- shared by enf_enforce.c and enf_enforce_after.c.
 */
#ifndef ENF_ENFORCE_INTERNAL_H
#define ENF_ENFORCE_INTERNAL_H

#include "enf_enforce.h"
#include "enf_store_zone.h"

#include "conf/signconf.h"

/* One enforcement of one zone. */
typedef struct run {
    enf_zone_info_t zi;
    int pi; /* policy index */
    enf_events_t ev;
    enf_zone_t *z, *before; /* the state as changed, and as loaded */
    ods_signconf_t *sc;     /* to write (NULL: unchanged) */
    ods_err_t sc_err;       /* why writing it failed */
    int sc_rc;              /* ODS_OK once written */
    int res;                /* what the mutate function returned */
    int starved;
    int wrote_signconf; /* the signconf file was written in this run */
    time_t next;
} run_t;

/* Write the signconfs of runs[0..n) (several threads when n > 1). */
void enf_enforce_write_all(run_t **runs, size_t n);

typedef struct ds_cmd_arg {
    enf_ds_cmd_t kind;
    const char *locator;
} ds_cmd_arg_t;

/* After the commit: log, purge keys from the HSM, DS commands, pool refill. */
void enf_enforce_after(enf_daemon_t *d, const run_t *run);

/* After a failed transaction: make the signconf match the database again. */
void enf_enforce_repair(enf_daemon_t *d, const run_t *run);

#endif
