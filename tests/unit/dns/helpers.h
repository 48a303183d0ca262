/*
 * helpers.h -- shared helpers for the common/dns unit tests: a private temp
 * directory, files, running the independent reference tools (ldns-read-zone,
 * named-checkzone, ldns-signzone), reading a file with our reader into a
 * list, ldns as a reference parser, and a seeded PRNG (the seed is printed;
 * ODS_TEST_SEED=<seed> replays a run).
 *
 * Single-threaded tests only (static buffers).
 */
#ifndef ODS_TEST_DNS_HELPERS_H
#define ODS_TEST_DNS_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/zone.h"

/* The test's temp directory (created on first use, removed by dt_cleanup). */
const char *dt_dir(void);
void dt_cleanup(void);

/* Write text to dt_dir()/name; returns the full path (static buffer, copy it). */
const char *dt_write(const char *name, const char *text);

/* Full path of name in dt_dir() (static buffer). */
const char *dt_path(const char *name);

/* Run a shell command; its stdout+stderr go to *out (malloc'd, may be NULL); exit status. */
int dt_run(const char *cmd, char **out);

/* True if the program is on PATH. */
bool dt_have(const char *prog);

/* Wire name from presentation text (absolute); aborts the test on a bad name. */
const uint8_t *dt_name(const char *text);
void dt_name_to(const char *text, uint8_t *out);

/* Presentation form of a wire name (static, rotating buffers: 8 at a time). */
const char *dt_ntext(const uint8_t *wire);

/* One record as read. */
typedef struct dt_rr {
    uint8_t owner[255];
    uint16_t type;
    uint32_t ttl;
    uint8_t *rdata;
    uint16_t rdlen;
    char file[512];
    unsigned line;
} dt_rr_t;

typedef struct dt_read {
    dt_rr_t *rr;
    size_t n;
    int rc; /* 0 at a clean end, or the ODS_E* error */
    char err[1024];
    char warn[4096]; /* warnings, one per line */
    unsigned nwarn;
} dt_read_t;

/* Read path with our reader (origin as text); fills res (free with dt_read_free). */
void dt_read_file(const char *path, const char *origin, dt_read_t *res);
void dt_read_free(dt_read_t *res);

/* Parse one RR line with ldns (the reference); false if ldns rejects it. */
bool dt_ldns_rr(const char *line, const char *origin, uint32_t default_ttl, dt_rr_t *out, char *why,
                size_t whylen);

/* Hex of n octets (static, rotating buffers). */
const char *dt_hex(const uint8_t *p, size_t n);

/* Seeded PRNG. */
uint64_t dt_seed(void);
uint64_t dt_rand(void);
unsigned dt_below(unsigned n);

/* Zone load with warnings collected into res->warn / nwarn (rc and err too). */
int dt_zone_load(ods_zone_t *z, const char *path, dt_read_t *res);

/*
 * Valid records (origin example., default TTL 300) of every common type and of
 * types only ldns parses, in varied presentation; wire form as ldns makes it.
 */
extern const char *const dt_corpus[];
extern const size_t dt_corpus_len;

#endif
