/*
 * model.h -- the enforcer's key-state data model: zones, keys, records, policy.
 *
 * Plain data, no I/O. The rule engine (update.h) reads a policy and changes a
 * zone; the daemon's store loads and saves every field declared here.
 *
 * A key has four records, each in one of the states of the "Flexible and
 * Robust Key Rollover" model:
 *   DS      the DS at the parent               (NA unless the role has KSK)
 *   DNSKEY  the DNSKEY in the zone
 *   KRRSIG  the RRSIG over the DNSKEY RRset    (NA unless the role has KSK)
 *   RRSIG   the RRSIGs over the zone's data    (NA unless the role has ZSK)
 * hidden: no cache can have it; rumoured: being published, some caches may
 * have it; omnipresent: every cache that can see it has it; unretentive:
 * withdrawn, some caches may still have it.
 *
 * Order of changes. Besides last_change (a time, which the ds-* commands also
 * reset, as in OpenDNSSEC), every record carries zone-wide change numbers:
 * `order` of its last state change, `order_in` of when it last became
 * rumoured and `order_out` of when it became unretentive (both kept once
 * hidden, as history). The validity rules (rules.h) reason on these numbers:
 * they are OpenDNSSEC's successor relation (which key's record arrived before
 * which other key's record left) kept exactly instead of as dependency rows.
 * The zone also keeps the oldest change number a cached version can still
 * date from: one for the DS RRset, one for the DNSKEY RRset and one per
 * algorithm for the data signatures (raised when a record has fully arrived
 * or older versions are provably gone). The store must persist all of these.
 * A zone imported without them should give every rumoured record an order_in
 * above every unretentive record's order_out and leave `oldest` at 0 (the
 * pessimistic reading).
 *
 * Ownership: enf_zone_new() returns an owned zone that owns its key array;
 * enf_zone_free() frees both. Keys are stored by value: a pointer into
 * zone->keys is valid until the next call that adds or removes a key
 * (enf_zone_add_key, enf_zone_remove_key, enf_update).
 * Thread-safety: none. A zone is used by one thread at a time; a policy is
 * plain data and may be shared read-only.
 */
#ifndef ODS_ENF_MODEL_H
#define ODS_ENF_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ENF_NAME_MAX        256 /* zone and policy names, NUL included */
#define ENF_LOCATOR_MAX     132 /* hex CKA_ID up to 64 bytes, NUL included */
#define ENF_REPO_MAX        128 /* repository name, NUL included */
#define ENF_POLICY_KEYS_MAX 16  /* KSK/ZSK/CSK entries of one policy */

/* Record states; numbering as in OpenDNSSEC's database. */
typedef enum enf_state {
    ENF_HIDDEN = 0,
    ENF_RUMOURED = 1,
    ENF_OMNIPRESENT = 2,
    ENF_UNRETENTIVE = 3,
    ENF_NA = 4,
} enf_state_t;

/* The four records of a key, in the order the engine visits them. */
typedef enum enf_rec {
    ENF_REC_DS = 0,
    ENF_REC_DNSKEY = 1,
    ENF_REC_KRRSIG = 2, /* RRSIG over the DNSKEY RRset ("RRSIGDNSKEY") */
    ENF_REC_RRSIG = 3,
    ENF_REC_COUNT = 4,
} enf_rec_t;

/* Key roles: a bit mask, CSK = KSK | ZSK. */
enum {
    ENF_ROLE_KSK = 1,
    ENF_ROLE_ZSK = 2,
    ENF_ROLE_CSK = 3,
};

/* Minimize bits, from the RollType (see enf_rolltype_minimize()). */
enum {
    ENF_MIN_RRSIG = 1,
    ENF_MIN_DNSKEY = 2,
    ENF_MIN_DS = 4,
};

/* The DS handshake with the operator and the parent; numbering as OpenDNSSEC. */
typedef enum enf_dsp {
    ENF_DSP_UNSUBMITTED = 0,
    ENF_DSP_SUBMIT = 1,    /* asked the operator to submit the DS */
    ENF_DSP_SUBMITTED = 2, /* operator ran ds-submit */
    ENF_DSP_SEEN = 3,      /* operator ran ds-seen: the parent publishes it */
    ENF_DSP_RETRACT = 4,   /* asked the operator to withdraw the DS */
    ENF_DSP_RETRACTED = 5, /* operator ran ds-retract */
    ENF_DSP_GONE = 6,      /* operator ran ds-gone: the parent no longer has it */
} enf_dsp_t;

typedef struct enf_record {
    enf_state_t state;
    time_t last_change; /* when the state last changed (DS: also set by ds-* commands) */
    time_t ttl;         /* the TTL that applied when the state last changed */
    int64_t order;      /* sequence number of the last state change */
    int64_t order_in;   /* when it last became rumoured; 0: never */
    int64_t order_out;  /* when it became unretentive (unretentive, hidden); 0: never */
} enf_record_t;

typedef struct enf_key {
    int64_t id; /* stable id from the caller's store (or the engine, see update.h) */
    int role;   /* ENF_ROLE_* */
    int algorithm;
    int bits;
    char locator[ENF_LOCATOR_MAX]; /* CKA_ID in hex */
    char repository[ENF_REPO_MAX];
    uint16_t keytag;
    time_t inception; /* when the key was created for this zone */
    int introducing;  /* goal: 1 introduce, 0 retire (never goes back to 1) */
    int minimize;     /* ENF_MIN_* bits copied from the policy key */
    enf_dsp_t ds_at_parent;
    int backup_required; /* 1: key material not backed up, no record may become omnipresent */
    enf_record_t rec[ENF_REC_COUNT];
} enf_key_t;

#define ENF_ALGS_MAX 16 /* algorithms one zone remembers signature history for */

typedef struct enf_sig_oldest {
    int algorithm;
    int64_t oldest;
} enf_sig_oldest_t;

/* The oldest change number a cached version can still date from: of the DS
 * RRset, of the DNSKEY RRset (with its RRSIGs) and, per algorithm, of the
 * data signatures (see versions.h). */
typedef struct enf_oldest {
    int64_t ds, dk;
    enf_sig_oldest_t rs[ENF_ALGS_MAX];
    size_t nrs;
} enf_oldest_t;

typedef struct enf_zone {
    char name[ENF_NAME_MAX];
    enf_key_t *keys; /* owned array of nkeys keys */
    size_t nkeys;
    size_t cap;
    int64_t order;       /* last sequence number given to a record change */
    enf_oldest_t oldest; /* versions older than these are in no cache */
    /* TTL tracking: until ttl_end_X a TTL longer than the policy's may still
     * be cached; ttl_X is the policy TTL seen at the last run (0: none yet). */
    time_t ttl_end_ds, ttl_end_dk, ttl_end_rs;
    time_t ttl_ds, ttl_dk, ttl_rs;
    int roll_ksk_now, roll_zsk_now, roll_csk_now; /* set by enf_rollover() */
    time_t next_ksk_roll, next_zsk_roll, next_csk_roll;
    int signconf_needs_writing; /* set by the engine; the caller clears it once written */
    time_t next_change;         /* what the last enf_update() returned */
} enf_zone_t;

/* One <KSK>, <ZSK> or <CSK> of a policy. */
typedef struct enf_policy_key {
    int role; /* ENF_ROLE_* */
    int algorithm;
    int bits;
    time_t lifetime; /* seconds from inception to the automatic roll; 0: never */
    char repository[ENF_REPO_MAX];
    int manual_rollover; /* only enf_rollover() starts a roll */
    int minimize;        /* ENF_MIN_* from the RollType */
    int standby;         /* stored; not used, as in OpenDNSSEC 2.x */
} enf_policy_key_t;

/* The numbers of a kasp.xml policy that the rules need; all durations in seconds. */
typedef struct enf_policy {
    char name[ENF_NAME_MAX];
    /* Signatures */
    time_t sig_resign, sig_refresh, sig_jitter;
    time_t sig_validity_default, sig_validity_denial, sig_validity_keyset;
    time_t max_zone_ttl;
    /* Denial */
    int nsec3;             /* 1: NSEC3, 0: NSEC */
    time_t nsec3param_ttl; /* NSEC3/TTL */
    /* Keys */
    time_t keys_ttl, retire_safety, publish_safety;
    int share_keys;
    time_t purge; /* Keys/Purge; -1: never purge */
    size_t nkeys;
    enf_policy_key_t keys[ENF_POLICY_KEYS_MAX];
    /* Zone */
    time_t zone_propagation_delay, zone_soa_ttl, zone_soa_minimum;
    /* Parent */
    time_t parent_propagation_delay, parent_ds_ttl, parent_registration_delay;
} enf_policy_t;

/* Names as OpenDNSSEC prints them: "hidden", "rumoured", ...; "KSK", "ZSK", "CSK";
 * "DS", "DNSKEY", "RRSIGDNSKEY", "RRSIG"; "unsubmitted", "submit", ... */
const char *enf_state_name(enf_state_t s);
const char *enf_role_name(int role);
const char *enf_rec_name(enf_rec_t r);
const char *enf_dsp_name(enf_dsp_t d);

/* The minimize bits of a KskRollType/ZskRollType/CskRollType value
 * ("KskDoubleSignature", ...); -1 if the name is unknown. */
int enf_rolltype_minimize(const char *rolltype);

/* The RollType a policy key gets when kasp.xml names none (OpenDNSSEC's defaults). */
int enf_rolltype_default(int role);

/* An empty policy: every duration 0, no keys, purge -1. */
void enf_policy_init(enf_policy_t *p, const char *name);

/* Append a policy key; ODS_EFULL when ENF_POLICY_KEYS_MAX are in use. */
int enf_policy_add_key(enf_policy_t *p, const enf_policy_key_t *pk);

/* A key of `role` initialised as the engine creates it: records in their
 * initial states (DS/KRRSIG hidden for KSK roles, RRSIG hidden for ZSK roles,
 * NA otherwise), last_change = now, ttl 0, introducing = 1, UNSUBMITTED. */
void enf_key_init(enf_key_t *k, int role, time_t now);

/* A new, empty zone; NULL when out of memory. */
enf_zone_t *enf_zone_new(const char *name);
void enf_zone_free(enf_zone_t *z);

/* A deep copy; NULL when out of memory. */
enf_zone_t *enf_zone_copy(const enf_zone_t *z);

/* Make room for n more keys without changing the zone. ODS_ENOMEM on failure. */
int enf_zone_reserve(enf_zone_t *z, size_t n);

/* Append a copy of *k (loading from the store, tests). ODS_EEXIST if the id is taken. */
int enf_zone_add_key(enf_zone_t *z, const enf_key_t *k);

/* The key with this id, or NULL. */
enf_key_t *enf_zone_find_key(const enf_zone_t *z, int64_t id);

/* Remove the key with this id; ODS_ENOTFOUND if there is none. */
int enf_zone_remove_key(enf_zone_t *z, int64_t id);

/* 1 if the key's goal is retire and every applicable record is hidden. */
int enf_key_is_dead(const enf_key_t *k);

#endif
