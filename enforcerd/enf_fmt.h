/*
 * enf_fmt.h -- `key list` output in OpenDNSSEC's layouts (scripts parse
 * them by column) and as JSON.
 *
 *   default  Zone Keytype State Date-of-next-transition
 *   verbose  + Size Algorithm CKA_ID Repository KeyTag (awk $8 = CKA_ID)
 *   debug    Zone "Key role" DS DNSKEY RRSIGDNSKEY RRSIG Pub Act Id
 *   full     Zone Keytype State KeyTag CKA_ID DS DNSKEY RRSIGDNSKEY RRSIG Pub Act Date
 *   parsable (with verbose or debug) the same fields separated by ';', no header
 *   json     every record state, the goal, what the key waits for and until when
 *
 * Pure functions of their arguments; thread-safe.
 */
#ifndef ENF_FMT_H
#define ENF_FMT_H

#include <time.h>

#include "engine/model.h"
#include "engine/view.h"
#include "util/buf.h"

typedef enum enf_fmt_mode {
    ENF_FMT_DEFAULT,
    ENF_FMT_VERBOSE,
    ENF_FMT_DEBUG,
    ENF_FMT_FULL,
} enf_fmt_mode_t;

/* One key as listed. */
typedef struct enf_keyrow {
    const char *zone;
    const char *policy;
    const enf_key_t *k;
    enf_kl_t state;
    enf_wait_t wait;
    time_t next; /* next transition of the key; -1 unknown */
    time_t now;
} enf_keyrow_t;

/* The "Date of next transition" column: "waiting for ds-seen", a date,
 * "now" or "-". buf >= 32 bytes. */
const char *enf_fmt_next(const enf_keyrow_t *row, char *buf, size_t len);

/* The header for mode (nothing for parsable output and for full). */
void enf_fmt_header(ods_buf_t *out, enf_fmt_mode_t mode, int parsable);

/* One key. */
void enf_fmt_row(ods_buf_t *out, enf_fmt_mode_t mode, int parsable, const enf_keyrow_t *row);

/* One key as a JSON object (preceded by a comma unless first). */
void enf_fmt_json(ods_buf_t *out, int first, const enf_keyrow_t *row);

#endif
