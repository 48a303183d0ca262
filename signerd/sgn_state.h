/*
 * sgn_state.h -- the little a signer must remember about a zone across
 * restarts besides the signed zone itself (which it reads back to reuse its
 * signatures): serials and when it last published. A small text file in the
 * WorkingDirectory, written atomically.
 */
#ifndef SGN_STATE_H
#define SGN_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/status.h"

typedef struct sgn_state {
    uint32_t inbound;
    bool have_outbound;
    uint32_t outbound;
    time_t published;
} sgn_state_t;

int sgn_state_save(const char *path, const char *zone, const sgn_state_t *st, ods_err_t *err);

/* ODS_ENOTFOUND when there is no state file (a new zone). */
int sgn_state_load(const char *path, sgn_state_t *st, ods_err_t *err);

#endif
