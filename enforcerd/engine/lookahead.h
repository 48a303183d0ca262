/*
 * lookahead.h -- run the engine forward on a copy of a zone (`look-ahead`).
 *
 * Because the engine is a pure function, the future is just repeated
 * enf_update() calls on a copy at the times it returns. New keys come from a
 * built-in source that hands out placeholders ("(not generated yet)"), so a
 * preview never takes key material. The caller's zone is not changed.
 *
 * Ownership: enf_lookahead() fills an enf_lookahead_t the caller frees with
 * enf_lookahead_free() (steps, their events and the final zone).
 * Thread-safe on a zone no other thread changes meanwhile.
 */
#ifndef ODS_ENF_LOOKAHEAD_H
#define ODS_ENF_LOOKAHEAD_H

#include "engine/events.h"
#include "engine/model.h"

/* Pretend the operator runs ds-seen and ds-gone as soon as a key waits for them. */
#define ENF_LOOKAHEAD_AUTO_DS 1

typedef struct enf_lookahead_step {
    time_t when;         /* when enf_update() ran */
    enf_events_t events; /* what it did */
} enf_lookahead_step_t;

typedef struct enf_lookahead {
    enf_lookahead_step_t *step;
    size_t count;
    enf_zone_t *zone; /* the zone after the last step */
} enf_lookahead_t;

/* Up to `steps` runs starting at `now`; stops early when nothing is scheduled.
 * ODS_OK, ODS_EINVAL (steps < 1) or ODS_ENOMEM. *out is written on success. */
int enf_lookahead(const enf_policy_t *p, const enf_zone_t *z, time_t now, int steps, int flags,
                  enf_lookahead_t *out);

void enf_lookahead_free(enf_lookahead_t *la);

/* The first time within `steps` runs at which a record of key `key_id`
 * changes (without operator action), or -1. For "Date of next transition". */
time_t enf_key_next_transition(const enf_policy_t *p, const enf_zone_t *z, int64_t key_id,
                               time_t now, int steps);

#endif
