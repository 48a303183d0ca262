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
#include "util/buf.h"
#include "util/status.h"

/* Write z to fp; ODS_EIO (with err) if a write fails. Counts RRs in *nrr. */
int ods_zone_write(const ods_zone_t *z, FILE *fp, size_t *nrr, ods_err_t *err);

/*
 * The same text in pieces, for writers that format on several threads: the
 * SOA first, then "items" 0..ods_zone_write_items()-1 in ranges, in order
 * (the names in canonical order without the SOA, then the NSEC3 records).
 * Each call appends to out and adds the RRs it printed to *nrr; ODS_EINVAL
 * for a name that cannot be printed, ODS_ENOMEM.
 */
size_t ods_zone_write_items(const ods_zone_t *z);
int ods_zone_format_soa(const ods_zone_t *z, ods_buf_t *out, size_t *nrr);
int ods_zone_format_items(const ods_zone_t *z, size_t from, size_t to, ods_buf_t *out, size_t *nrr);

#endif
