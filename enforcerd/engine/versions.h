/*
 * versions.h -- which versions of the DS RRset, the DNSKEY RRset and (per
 * algorithm) the data signatures caches may hold, derived from the records'
 * change numbers (see rules.h for the model). Used by the rules; exposed for
 * tests.
 *
 * Pure; an enf_versions_t points into the zone it was built from and is valid
 * until that zone's keys change.
 */
#ifndef ODS_ENF_VERSIONS_H
#define ODS_ENF_VERSIONS_H

#include "engine/model.h"

typedef enum enf_line {
    ENF_LINE_DS,     /* the parent's DS RRset: DS records */
    ENF_LINE_DNSKEY, /* the DNSKEY RRset: DNSKEY and RRSIGDNSKEY records */
    ENF_LINE_SIG,    /* one algorithm's signatures over the data: RRSIG records */
    ENF_LINE_COUNT,
} enf_line_t;

#define ENF_KEYS_MAX   128 /* keys that shape the versions of one line */
#define ENF_POINTS_MAX (1 + 4 * ENF_KEYS_MAX)

typedef struct enf_versions {
    int64_t v[ENF_LINE_COUNT][ENF_POINTS_MAX]; /* the possible versions, per line */
    size_t n[ENF_LINE_COUNT];
} enf_versions_t;

/* 1 if record r is in version v (at or above the line's oldest version). */
int enf_record_present(const enf_record_t *r, int64_t v);

/* The line a record type belongs to. */
enf_line_t enf_rec_line(enf_rec_t type);

/* The oldest version still cached of a line (ENF_LINE_SIG: of `algorithm`). */
int64_t enf_zone_oldest_get(const enf_zone_t *z, enf_line_t line, int algorithm);

/* The same, to change it; for a new algorithm an entry is made (reusing the
 * entry of an algorithm no key has any more, or one starting over at 0). */
int64_t *enf_zone_oldest(enf_zone_t *z, enf_line_t line, int algorithm);

/* The possible versions of the DS and DNSKEY RRsets and of the signatures of
 * `algorithm`; -1 if too many keys are in play. */
int enf_versions_build(enf_versions_t *vs, const enf_zone_t *z, int algorithm);

/* Raise the oldest version of a line past versions no cache can hold. */
void enf_versions_normalise(enf_zone_t *z, enf_line_t line, int algorithm);

/* 1 if removing key k changes no line's possible versions (a dead key may then
 * be purged without losing what its history proves). */
int enf_versions_forgotten(const enf_zone_t *z, const enf_key_t *k);

#endif
