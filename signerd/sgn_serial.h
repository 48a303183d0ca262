/*
 * sgn_serial.h -- the SOA serial of the next signed version (RFC 1982).
 *
 * prev is the larger (in serial arithmetic) of the input serial and the last
 * published serial. counter: the input serial + 1; unixtime: now;
 * datecounter: YYYYMMDD00 of now; each raised to prev + 1 when not ahead of
 * prev. keep: the input serial, which must be ahead of the last published
 * one. A forced serial (sign --serial N) must be ahead of prev. Increments
 * never exceed 2^31 - 1. Pure.
 */
#ifndef SGN_SERIAL_H
#define SGN_SERIAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/status.h"

typedef struct sgn_serial_in {
    int policy;         /* ODS_SERIAL_* */
    uint32_t inbound;   /* serial of the input zone */
    bool have_outbound; /* a version was published before */
    uint32_t outbound;  /* its serial */
    time_t now;
    bool forced;
    uint32_t forced_serial;
} sgn_serial_in_t;

/* True if a is ahead of b in RFC 1982 serial arithmetic. */
bool sgn_serial_gt(uint32_t a, uint32_t b);

/* Compute the next serial; ODS_ECONFLICT (err says why) when it cannot move forward. */
int sgn_serial_next(const sgn_serial_in_t *in, uint32_t *out, ods_err_t *err);

#endif
