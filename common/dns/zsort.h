/*
 * zsort.h -- sort owner names into canonical order fast.
 *
 * Each name below the apex gets a byte key (its labels right to left,
 * lowered, each ended by 00 00, a zero octet inside a label written 00 01)
 * whose memcmp order is exactly RFC 4034 6.1 order; the sort compares an
 * 8-octet prefix first and the rest of the key only on a tie. Thread-safe
 * (no shared state); allocates temporary memory (freed before return).
 */
#ifndef ODS_DNS_ZSORT_H
#define ODS_DNS_ZSORT_H

#include <stddef.h>

#include "dns/zone.h"

/* Sort names (all at or below apex) in canonical order. ODS_ENOMEM. */
int ods_zsort_names(ods_zname_t **names, size_t n, const uint8_t *apex);

#endif
