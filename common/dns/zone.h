/*
 * zone.h -- the signer's compact in-memory zone.
 *
 * Names are kept in canonical order (RFC 4034 6.1) in one array; each name
 * holds its RRsets sorted by type; each RRset holds its RDATA as one blob of
 * [u16 length][RDATA] entries in canonical order (duplicates removed) and
 * its signatures. All of it lives in the zone's arena: a zone is built once
 * (from an input file), decorated (SOA, DNSKEY, NSEC/NSEC3, signatures) and
 * freed as a whole. A re-read builds a new zone and adopts the signatures
 * of unchanged RRsets from the previous one.
 *
 * Ownership: the zone owns every name, RRset and signature; pointers into it
 * stay valid until ods_zone_free. Thread-safety: building is single-threaded;
 * while signing, different threads may each write the signatures of different
 * RRsets (ods_rrset_set_sigs with their own arena) — nothing else.
 */
#ifndef ODS_DNS_ZONE_H
#define ODS_DNS_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/status.h"

/* Name flags */
#define ODS_ZNAME_APEX     0x01
#define ODS_ZNAME_DELEG    0x02 /* a zone cut: NS below the apex */
#define ODS_ZNAME_OCCLUDED 0x04 /* below a zone cut or a DNAME: glue or occluded data */
#define ODS_ZNAME_ENT      0x08 /* empty non-terminal (no RRsets) */
#define ODS_ZNAME_DNAME    0x10 /* owns a DNAME */

/* One signature over an RRset; rdata is the full RRSIG RDATA. */
typedef struct ods_rrsig {
    const uint8_t *rdata;
    uint16_t len;
    uint16_t keytag;
    uint8_t algorithm;
    uint32_t inception;
    uint32_t expiration;
} ods_rrsig_t;

typedef struct ods_rrset {
    uint16_t type;
    uint16_t count; /* RRs */
    uint32_t ttl;
    const uint8_t *rdata; /* count x ([u16 len][data]), canonical order */
    uint32_t rdlen;       /* bytes in rdata */
    uint16_t nsigs;
    uint16_t flags; /* ODS_RRSET_* */
    ods_rrsig_t *sigs;
} ods_rrset_t;

#define ODS_RRSET_CHANGED 0x01 /* new or different since the previous zone */

typedef struct ods_zname {
    const uint8_t *owner; /* wire format, case as in the input */
    ods_rrset_t *rrsets;  /* sorted by type */
    uint16_t nrrsets;
    uint8_t flags; /* ODS_ZNAME_* */
    uint8_t unused;
    uint32_t index; /* position in the canonical order */
} ods_zname_t;

/* An NSEC3 record: the hash of a name and its NSEC3 RRset. */
typedef struct ods_znsec3 {
    uint8_t hash[20];
    const ods_zname_t *name; /* the name it covers */
    ods_rrset_t rrset;       /* type NSEC3, one RR */
} ods_znsec3_t;

typedef struct ods_zone ods_zone_t;

/* Findings while loading: file:line and what was done about it. */
typedef void (*ods_zone_warn_fn)(void *arg, const char *msg);

/* A new empty zone for apex (wire name, copied). NULL when out of memory. */
ods_zone_t *ods_zone_new(const uint8_t *apex);
void ods_zone_free(ods_zone_t *z);

const uint8_t *ods_zone_apex(const ods_zone_t *z);
ods_arena_t *ods_zone_arena(ods_zone_t *z);

/*
 * Read a master file into an empty zone and check it: data outside the zone,
 * no SOA or more than one, SOA not at the apex, CNAME beside other data,
 * records of the types the signer owns (RRSIG, NSEC, NSEC3, NSEC3PARAM), DS
 * at the apex. Errors name file and line. RRsets whose TTLs differ get the
 * lowest and duplicate records are dropped, each with a warning through
 * warn (may be NULL). On success the zone is finalized: names sorted, empty
 * non-terminals added, delegations and occluded names marked.
 */
int ods_zone_load(ods_zone_t *z, const char *path, ods_zone_warn_fn warn, void *warn_arg,
                  ods_err_t *err);

/*
 * Read back a signed zone this signer wrote (state recovery after a
 * restart): DNSSEC records are accepted, each RRSIG is attached to the RRset
 * it covers and NSEC3 records go to the NSEC3 list. The result serves as the
 * "old" zone for ods_zone_adopt_signatures.
 */
int ods_zone_load_signed(ods_zone_t *z, const char *path, ods_err_t *err);

/* Names in canonical order. */
size_t ods_zone_count(const ods_zone_t *z);
ods_zname_t *ods_zone_name(const ods_zone_t *z, size_t i);
ods_zname_t *ods_zone_apex_name(const ods_zone_t *z);

/* The name equal to owner (case-insensitive) or NULL. */
ods_zname_t *ods_zone_find(const ods_zone_t *z, const uint8_t *owner);

/* The RRset of type at name, or NULL. */
ods_rrset_t *ods_zname_rrset(const ods_zname_t *n, uint16_t type);

/*
 * Replace (or add, or with count 0 remove) the RRset of type at name, built
 * from count RDATA given as references; sorted and deduplicated here. The
 * RRset keeps its signatures only if its data and TTL did not change.
 */
int ods_zone_set_rrset(ods_zone_t *z, ods_zname_t *n, uint16_t type, uint32_t ttl,
                       const uint8_t *const *rdatas, const uint16_t *rdlens, size_t count);

/* Iterate the RDATA of an RRset: start with *off = 0; false at the end. */
bool ods_rrset_next(const ods_rrset_t *s, uint32_t *off, const uint8_t **rdata, uint16_t *len);

/* Decode an RRSIG RDATA's fixed fields into sig (rdata pointer kept). */
int ods_rrsig_from_rdata(ods_rrsig_t *sig, const uint8_t *rdata, uint16_t len);

/* Replace the signatures of an RRset; sigs and their RDATA must outlive the zone
 * (allocate them in the zone's arena or a per-thread arena adopted by the zone). */
void ods_rrset_set_sigs(ods_rrset_t *s, ods_rrsig_t *sigs, uint16_t nsigs);

/*
 * Keep an arena alive as long as the zone (per-thread signature arenas).
 * After ods_zone_reserve_arenas(z, n) succeeded, the next n adoptions cannot fail.
 */
int ods_zone_reserve_arenas(ods_zone_t *z, size_t more);
int ods_zone_adopt_arena(ods_zone_t *z, ods_arena_t *a);

/*
 * Copy the signatures of every RRset of z that is unchanged in old (same
 * owner, type, TTL and RDATA) into z, and flag the others ODS_RRSET_CHANGED.
 * Names only in z are changed; names only in old are gone. Returns the
 * number of RRsets whose signatures were adopted in *adopted.
 */
int ods_zone_adopt_signatures(ods_zone_t *z, const ods_zone_t *old, size_t *adopted);

/* Forget which RRsets changed (after they have been signed). */
void ods_zone_clear_changed(ods_zone_t *z);

/* NSEC3 records in hash order (empty for NSEC zones). */
size_t ods_zone_nsec3_count(const ods_zone_t *z);
ods_znsec3_t *ods_zone_nsec3(const ods_zone_t *z, size_t i);
void ods_zone_set_nsec3(ods_zone_t *z, ods_znsec3_t *recs, size_t n);

/* Memory held by the zone's arenas (statistics). */
size_t ods_zone_memory(const ods_zone_t *z);

#endif
