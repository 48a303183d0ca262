/*
 * sgn_zone.h -- what the signer knows about one zone between runs, and one
 * signing run over it (sgn_run).
 *
 * Ownership: the daemon owns each sgn_zone_t. While a run is in progress the
 * worker thread running it owns the "work" fields (everything below
 * "work state"); the event loop touches only the control fields, under the
 * daemon's lock. Strings are owned by the struct.
 */
#ifndef SGN_ZONE_H
#define SGN_ZONE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "conf/signconf.h"
#include "dns/zone.h"
#include "dnssec/name.h"
#include "hsm/ctx.h"
#include "sgn_keys.h"
#include "sgn_pool.h"

typedef struct sgn_file_id {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} sgn_file_id_t;

typedef struct sgn_stats {
    uint32_t serial;
    size_t names, rrsets, rrs, denial;
    unsigned sig_new, sig_reused;
    bool nsec3, reread, published, passthrough;
    double t_read, t_denial, t_sign, t_check, t_write, t_total;
    size_t memory;
} sgn_stats_t;

typedef struct sgn_zone {
    /* configuration (set by the daemon from the zone list) */
    char *name; /* normalised, no trailing dot */
    uint8_t apex[ODS_NAME_MAX_LEN];
    char *signconf_path;
    char *input_path;
    char *output_path;
    char *state_path;

    /* work state */
    ods_signconf_t *sc;
    sgn_file_id_t sc_id;
    sgn_keyset_t *keys;
    ods_zone_t *zone;      /* the last zone built (signed or in progress) */
    ods_zone_t *recovered; /* the published zone read back after a restart */
    sgn_file_id_t input_id;
    ods_rrset_t input_dnskeys; /* the input's apex DNSKEYs (data in zone's arena) */
    bool have_input_dnskeys;
    uint32_t inbound_serial;
    bool have_outbound;
    uint32_t outbound_serial;
    time_t last_published;
    uint8_t denial_key[300]; /* denial parameters the chain was built with */
    size_t denial_key_len;
    bool plain;       /* the zone in memory is unsigned: Passthrough, or no key published */
    bool unpublished; /* the zone in memory failed its check: publish it once it passes */
} sgn_zone_t;

typedef struct sgn_run_opts {
    bool force_read; /* `sign ZONE`: re-read the input even if unchanged */
    bool forced_serial;
    uint32_t serial;
    const char *notify_cmd; /* NotifyCommand or NULL */
} sgn_run_opts_t;

/* A new zone record (strings copied); state_dir holds <zone>.state. */
int sgn_zone_new(const char *name, const char *signconf, const char *input, const char *output,
                 const char *state_dir, sgn_zone_t **out, ods_err_t *err);
void sgn_zone_free(sgn_zone_t *zs);

/*
 * After a restart: read the state file and the published zone back, so the
 * first run reuses every signature still fresh. ODS_ENOTFOUND: nothing saved.
 */
int sgn_zone_restore(sgn_zone_t *zs, ods_err_t *err);

/* Forget everything signed: the next run signs from scratch (`clear`). */
void sgn_zone_clear(sgn_zone_t *zs);

/*
 * One signing run: read what changed, sign what is due, check, publish.
 * ctx is the calling worker's HSM context. On failure the published zone is
 * untouched and err says why (file:line for input errors); ODS_ESTATE means
 * the zone waits for its signer configuration (not an error).
 */
int sgn_run(sgn_zone_t *zs, const sgn_run_opts_t *o, sgn_pool_t *pool, ods_hsm_ctx_t *ctx,
            sgn_stats_t *st, ods_err_t *err);

/* The signer configuration file exists and differs from the one loaded. */
bool sgn_zone_signconf_changed(const sgn_zone_t *zs);

/* When the zone must be signed again at the latest (now + Resign). */
time_t sgn_zone_next_resign(const sgn_zone_t *zs, time_t now);

#endif
