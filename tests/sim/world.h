/*
 * world.h -- a simulated DNS world around the enforcer engine, on a fake clock.
 *
 * Actors, all driven by one event loop whose clock is just the `now` passed
 * around (nothing sleeps, nothing reads the real clock):
 *  - the enforcer: enf_update() at the time it asked for, and right after an
 *    operator command or a policy change;
 *  - the key source: hands out fresh key identities (id, CKA_ID, keytag),
 *    made up, or real ones from `keygen` (a key pair in an HSM token);
 *  - the signer: right after every signconf change and every Resign, it
 *    publishes what the signconf flags say, in one of two models (chosen per
 *    world, `signer_model`):
 *    SIM_SIGNER_ODS, OpenDNSSEC's signer. DNSKEY RRset = keys with
 *    <Publish/>, signed by exactly the keys with <KSK/> (a signer keeping an
 *    old signature longer only adds a valid one: this is the worst case).
 *    Data RRsets are signed by every key with <ZSK/>, replaced gradually as
 *    OpenDNSSEC's signer re-uses signatures: a signature is dropped when due
 *    for refresh (expiration < now + Refresh) or when its key is neither
 *    active nor published; a published inactive key's signature is kept until
 *    due, and while an RRset carries one, an active key of that algorithm
 *    with no signature on it does not add one; an active key always renews
 *    its own. Expirations are now + validity + uniform(-Jitter, +Jitter); data
 *    RRsets use Validity/Default and MaxZoneTTL, denial RRsets Validity/Denial
 *    and min(SOA TTL, SOA Minimum), NSEC3PARAM (with NSEC3) Validity/Default
 *    and the NSEC3 TTL;
 *    SIM_SIGNER_SIGNERD and _SIGNERD_ASIS, our signerd (signer_sgnd.c,
 *    sgnd.h): every RRset, the DNSKEY RRset and the SOA included, is brought
 *    to exactly one signature per active key in every run, and the zone is
 *    published only if signerd's own pre-publication check passes; otherwise
 *    the previous version stays and the run is retried as signerd's daemon
 *    retries it. _ASIS keeps the defects of today's signerd (only the first
 *    64 keys of a signconf sign; a zone without published keys is never
 *    published; a run after a refused one may publish nothing), SIGNERD has
 *    the fixes proposed for them;
 *  - the zone's input (signerd models only): re-read now and then with one
 *    data RRset changed (`sgnd.reread_pct` per signer run);
 *  - the secondaries: serve a version up to Zone/PropagationDelay after it
 *    was replaced (history.h);
 *  - the operator: acts on "please submit/retract DS" after a random delay,
 *    in the order asked, sometimes also running ds-submit / ds-retract; runs
 *    ds-seen when the parent really publishes the DS and ds-gone when the
 *    parent really withdrew it (after another random delay);
 *  - the parent: publishes or withdraws a DS in request order, each after a
 *    random part of Parent/RegistrationDelay; its secondaries lag up to
 *    Parent/PropagationDelay.
 * After every step the oracle (oracle.h) checks every resolver's view, and
 * every enforcer run is checked for its next-run time: never in the past, and
 * a copy of the zone run a second before it, and at a random earlier
 * moment, changes nothing.
 * Any violation sets `failed` and a message; the loop then stops.
 */
#ifndef ODS_SIM_WORLD_H
#define ODS_SIM_WORLD_H

#include "history.h"
#include "rng.h"

#include <stdio.h>

#include "engine/engine.h"

#define SIM_RRSETS 10
#define SIM_KEYS   4096

typedef struct sim_keyinfo {
    int64_t id;
    int algorithm;
    int role;
    uint16_t keytag;
    time_t retired; /* when its goal became retire, or 0 */
    time_t dead;    /* when first seen dead or purged, or 0 */
} sim_keyinfo_t;

typedef struct sim_sig {
    int64_t key;
    int algorithm;
    uint16_t keytag;
    time_t inception; /* signerd model only */
    time_t expire;
} sim_sig_t;

typedef struct sim_rrset {
    int kind;    /* SIM_RR_DATA, SIM_RR_DENIAL, SIM_RR_N3PARAM, SIM_RR_DNSKEY */
    int type;    /* signerd model: its DNS type (SIM_T_*, sgnd.h) */
    int changed; /* signerd model: new or different, not signed since */
    int nsig;
    sim_sig_t sig[SIM_SET_MAX];
} sim_rrset_t;

enum { SIM_RR_DATA, SIM_RR_DENIAL, SIM_RR_N3PARAM, SIM_RR_DNSKEY };

typedef enum sim_signer_model {
    SIM_SIGNER_ODS,     /* OpenDNSSEC's signer: gradual replacement of signatures */
    SIM_SIGNER_SIGNERD, /* our signerd: one signature per active key, checked before publishing,
                           with the fixes proposed for its known defects (test_signerd.c) */
    SIM_SIGNER_SIGNERD_ASIS, /* signerd exactly as signerd/ is today, defects included */
} sim_signer_model_t;

/* "ods", "signerd", "signerd-asis"; sim_signer_parse gives -1 for an unknown name. */
const char *sim_signer_name(int model);
int sim_signer_parse(const char *name);

struct sim_sgnd_ops;

/* The signerd model's state: its zone in memory (w->rr[] and dnskey), which
 * it publishes only when its check passes. */
typedef struct sim_sgnd {
    struct sim_sgnd_conf *conf; /* the keys of the signconf last written (signer_sgnd.c) */
    sim_rrset_t dnskey;         /* the DNSKEY RRset's signatures */
    sim_set_t dnskey_keys;      /* and its keys */
    time_t dnskey_ttl, denial_ttl, n3p_ttl;
    int have_outbound; /* published at least once */
    int failures;      /* refused runs in a row */
    int reread_pct;    /* chance per run that the input is re-read with one RRset changed */
    /* signerd's known defects (test_signerd.c): as it is (ASIS), or with the proposed fix */
    size_t max_keys;   /* signconf keys it looks at: SIM_SGND_MAX_KEYS as it is; 0: all */
    int unsigned_ok;   /* no key published: 0 refuses to publish (as it is); 1 publishes unsigned */
    int retry_refused; /* 0: a run after a refused one publishes only if it has work of its
                          own (as it is); 1: a refused zone is pending until published */
    int pending;       /* retry_refused: the zone in memory was refused, not yet published */
    /* decisions: NULL = the re-implementation (sgnd_plan.c); else these, checked against it */
    const struct sim_sgnd_ops *ops;
    /* what happened */
    long runs, published, refused, rereads, sigs_new;
    time_t refusing_since; /* first refusal since the last publication, or 0 */
    time_t longest_refusal;
    char last_refusal[256];
} sim_sgnd_t;

typedef struct sim_action {
    time_t when;
    int kind; /* SIM_OP_* or SIM_PARENT_* */
    int64_t key;
} sim_action_t;

typedef struct sim_queue {
    sim_action_t *a;
    size_t head, n, cap;
    time_t last; /* actions keep their order: each is due no earlier than the previous */
} sim_queue_t;

/* Key material for a new key of role and algorithm: fill locator (CKA_ID
 * hex) and the key tag of its DNSKEY; 0, or -1 with a reason in why. */
typedef int (*sim_keygen_fn)(void *ctx, int role, int algorithm, char *locator, size_t len,
                             uint16_t *keytag, char *why, size_t whylen);

typedef struct sim_world {
    enf_policy_t pol;
    enf_zone_t *zone;
    time_t now;
    sim_rng_t rng;
    int verbose;
    /* keys ever made */
    sim_keyinfo_t keys[SIM_KEYS];
    size_t nkeys;
    int64_t next_id;
    uint16_t next_tag;
    int backup_required;  /* new keys need a backup (tests of the backup gate) */
    int keys_unavailable; /* the source says "none available" */
    sim_keygen_fn keygen; /* NULL: made-up locators and key tags */
    void *keygen_ctx;
    /* enforcer */
    time_t enf_next;
    int enf_asap;
    enf_events_t events; /* of the last enforcer run */
    long enf_runs;
    int probe_next; /* check the next-run time by running copies earlier */
    /* signer */
    int signer_model; /* SIM_SIGNER_* */
    sim_sgnd_t sgnd;  /* the signerd models only */
    sim_history_t dnskey;
    sim_history_t rrhist[SIM_RRSETS];
    sim_rrset_t rr[SIM_RRSETS];
    size_t nrr;
    time_t resign_next;
    int signer_asap;
    /* parent and operator */
    sim_set_t parent_ds;
    sim_history_t ds;
    sim_queue_t parent; /* requests to the parent */
    sim_queue_t ops;    /* the operator's to-do list */
    time_t op_delay;    /* operator reacts within [0, op_delay] */
    int op_submit_pct;  /* how often the operator also runs ds-submit / ds-retract */
    int op_locator_pct; /* how often ds-seen/ds-gone select by CKA_ID instead of keytag */
    int op_hold;        /* the operator does nothing (tests): actions wait in order */
    long ds_commands;
    /* outcome */
    int failed;
    char why[2048];
    long checks;
} sim_world_t;

/* A world with an empty zone, clock at t0, signer model SIM_SIGNER_*; 0 or
 * -1 (out of memory). */
int sim_world_init(sim_world_t *w, const enf_policy_t *p, const char *zone, time_t t0,
                   uint64_t seed, int signer_model);
void sim_world_free(sim_world_t *w);

/* Process every event up to and including t_end (or until a failure). */
void sim_world_run_until(sim_world_t *w, time_t t_end);

/* Replace the policy (kasp.xml edited and imported) and enforce at once. */
void sim_world_set_policy(sim_world_t *w, const enf_policy_t *p);

/* `key rollover` for role (0 = all) and enforce at once; returns enf_rollover()'s result. */
int sim_world_rollover(sim_world_t *w, int role);

/* Run the enforcer (and the signer, the checks) now. */
void sim_world_enforce_now(sim_world_t *w);

/* Key registry. */
const sim_keyinfo_t *sim_world_keyinfo(const sim_world_t *w, int64_t id);

/* Record a failure (printf-style); the loop stops. */
void sim_world_fail(sim_world_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the zone's keys and records (for failure reports). */
void sim_world_dump(const sim_world_t *w, FILE *out);

#endif
