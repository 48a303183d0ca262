/*
 * zreader.h -- read RFC 1035 master files record by record.
 *
 * Handles $ORIGIN, $TTL, $INCLUDE (relative to the including file; nested up
 * to 16 deep; origin and owner restored afterwards, as BIND does), owner
 * inheritance, "@", TTL and class in either order, BIND
 * TTL units, RFC 3597 unknown types (TYPEnnn, \#), escapes. Common types are
 * converted by our own strict code (dns/rdtext.h), the rest by ldns. Only
 * class IN. Every error names file and line.
 *
 * Ownership: the reader owns the file contents and the record it returns;
 * the record's pointers stay valid until the next ods_zreader_next call.
 * One reader per thread.
 */
#ifndef ODS_DNS_ZREADER_H
#define ODS_DNS_ZREADER_H

#include <stdint.h>

#include "util/status.h"

typedef struct ods_zrr {
    const uint8_t *owner; /* wire format, case as written */
    uint16_t type;
    uint32_t ttl;
    const uint8_t *rdata; /* uncompressed wire format */
    uint16_t rdlen;
    const char *file; /* file the record came from */
    unsigned line;
} ods_zrr_t;

typedef struct ods_zreader ods_zreader_t;

/* Called for non-fatal findings ("file:line: ..."). */
typedef void (*ods_zreader_warn_fn)(void *arg, const char *msg);

/*
 * Open path for reading with the given origin (wire name, copied). The whole
 * file is read into memory.
 */
int ods_zreader_open(const char *path, const uint8_t *origin, ods_zreader_t **out, ods_err_t *err);

/* Install a warning callback (default: warnings are dropped). */
void ods_zreader_set_warn(ods_zreader_t *r, ods_zreader_warn_fn fn, void *arg);

/*
 * Read the next record: returns 1 and fills *rr, 0 at the end of the input,
 * or a negative ODS_E* code with err->msg naming file:line.
 */
int ods_zreader_next(ods_zreader_t *r, ods_zrr_t *rr, ods_err_t *err);

/* Free the reader; NULL is a no-op. */
void ods_zreader_free(ods_zreader_t *r);

/* Number of lines read so far in all files (statistics). */
unsigned long ods_zreader_lines(const ods_zreader_t *r);

#endif
