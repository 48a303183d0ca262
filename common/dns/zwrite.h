/*
 * zwrite.h -- write a zone in master-file form (the signed output nsd reads).
 *
 * Names in canonical order; each RRset followed by its RRSIGs; NSEC3 records
 * (hashed owners) after the names, in hash order. One RR per line, absolute
 * names, TTL and class on every line, so any reader (nsd, BIND, Knot, ldns)
 * parses it without context. Reads the zone only; thread-safe if nobody
 * modifies the zone meanwhile.
 */
#ifndef ODS_DNS_ZWRITE_H
#define ODS_DNS_ZWRITE_H

#include <stdio.h>

#include "dns/zone.h"
#include "util/status.h"

/* Write z to fp; ODS_EIO (with err) if a write fails. Counts RRs in *nrr. */
int ods_zone_write(const ods_zone_t *z, FILE *fp, size_t *nrr, ods_err_t *err);

#endif
