/*
 * sgn_test.h -- shared helpers for the signer core tests (signerd/sgn_*):
 * a private SoftHSMv2 token and work directory per test program
 * (tests/unit/hsm/softhsm.c), real keys generated in it, signer
 * configurations, zones read from text, a signing thread outside the pool,
 * and signature checks against two references: common/dnssec/verify.h over
 * the RFC 4034 signed data, and ldns's own validator over RRs rebuilt from
 * wire form.
 *
 * Single-threaded helpers (static buffers); each program includes tap.h itself.
 */
#ifndef ODS_TEST_SGN_TEST_H
#define ODS_TEST_SGN_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/signconf.h"
#include "dns/zone.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "sgn_keys.h"
#include "sgn_pool.h"
#include "sgn_rrsign.h"
#include "softhsm.h"

#define ST_REPO "sgn"
#define ST_PIN  "1234"

typedef struct st_env {
    fx_t fx;
    char dir[600]; /* a work directory inside the fixture's directory */
    ods_hsm_t *hsm;
    ods_hsm_ctx_t *ctx;
} st_env_t;

/* Make the fixture (token "sgn", PIN 1234) and open it; 0 on success (why says what failed). */
int st_env_open(st_env_t *e, const char *tag, bool with_hsm, char *why, size_t whylen);
void st_env_close(st_env_t *e);

/* dir/name (static, rotating buffers: 8 at a time). */
const char *st_path(const st_env_t *e, const char *name);

/* Write text to path; 0 on success. Read a file (malloc'd, NUL-terminated) or NULL. */
int st_write(const char *path, const char *text);
char *st_read(const char *path);

/* Number of entries of directory dir whose name contains part; -1 on error. */
int st_entries(const char *dir, const char *part);

/* Generate a key pair of algorithm alg (RSA: 1024 bits) into locator; 0 on success. */
int st_keygen(st_env_t *e, int alg, char locator[ODS_HSM_LOCATOR_LEN + 1]);

/* DNSKEY RDATA and key tag of a key with these flags; 0 on success. */
int st_dnskey(st_env_t *e, const char *locator, int alg, uint16_t flags, uint8_t *rd, size_t *len,
              uint16_t *tag);

/*
 * A signer configuration for zone: Resign 2h, Refresh 3d, Validity 14d
 * (Denial 7d, Keyset 21d), no jitter, InceptionOffset 1h, NSEC, key TTL 1h,
 * SOA TTL 1h, MINIMUM 5m, serial counter; no keys. NULL when out of memory.
 */
ods_signconf_t *st_signconf(const char *zone);
int st_signconf_key(ods_signconf_t *sc, const char *locator, int alg, uint16_t flags, bool ksk,
                    bool zsk, bool publish);

/* Read zone text (origin apex) from dir/file into a new zone; NULL (why) on error. */
ods_zone_t *st_zone(const st_env_t *e, const char *apex, const char *file, const char *text,
                    char *why, size_t whylen);

/* Wire name of text (static, rotating buffers). */
const uint8_t *st_name(const char *text);
/* Presentation form of a wire name (static, rotating buffers). */
const char *st_ntext(const uint8_t *wire);

/* A signing thread outside the pool: ctx, a fresh arena, a seeded generator. */
void st_thread_init(sgn_thread_t *t, ods_hsm_ctx_t *ctx, uint64_t seed);
/* Free its buffer and arena (the zone may have adopted the arena: then pass keep_arena). */
void st_thread_free(sgn_thread_t *t, bool keep_arena);

/*
 * Sign every RRset of z that should carry signatures (everything but
 * occluded names; only DS and NSEC at delegations), as sgn_run does, with
 * sgn_rrset_sign; the thread's arena is adopted by the zone and replaced.
 * Counts in *nnew. ODS_OK or the first error.
 */
int st_sign_zone(ods_zone_t *z, sgn_thread_t *t, const sgn_sigctx_t *c, unsigned *nnew,
                 ods_err_t *err);

/*
 * Does sig over (owner, s) verify with the DNSKEY RDATA (dnskey, len) at time
 * now? Checked twice: with common/dnssec/verify.h over ods_rrsig_signed_data,
 * and with ldns_verify_rrsig_time over RRs rebuilt from wire form (an
 * independent implementation of RFC 4034 3.1.8.1). true only if both agree
 * that it verifies; why says which one refused.
 */
bool st_sig_ok(const uint8_t *owner, const ods_rrset_t *s, const ods_rrsig_t *sig,
               const uint8_t *dnskey, size_t len, time_t now, char *why, size_t whylen);

/* The key of ks that made sig (tag and algorithm, first match) or NULL. */
const sgn_key_t *st_key_of(const sgn_keyset_t *ks, const ods_rrsig_t *sig);

#endif
