/*
 * kasp.h -- kasp.xml: the key and signing policies.
 *
 * OpenDNSSEC 2.1's kasp.xml is accepted unchanged (see conf/kasp.rng). All
 * durations are in seconds (a month counts 31 days, a year 365). Loading
 * validates the file, reads every policy and checks it as a careful
 * operator would (see kasp_check.c: timing relations, algorithms and key
 * sizes, NSEC3 parameters per RFC 9276, repositories, lifetimes); every
 * problem goes to the ods_diag_t with file, line and element.
 *
 * Ownership: ods_kasp_load returns an object owned by the caller, freed with
 * ods_kasp_free; policies, keys and strings belong to it. Read-only use from
 * several threads is safe.
 */
#ifndef ODS_CONF_KASP_H
#define ODS_CONF_KASP_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "conf/diag.h"
#include "conf/params.h"
#include "conf/srcmap.h"
#include "util/buf.h"

/* Key roles (bit mask: a CSK is a KSK and a ZSK). */
#define ODS_ROLE_KSK 1
#define ODS_ROLE_ZSK 2
#define ODS_ROLE_CSK 3

/*
 * RollType as the enforcer's "minimize" bit mask: which record of the new
 * key is held back until the others are in place.
 *   KskDoubleRRset 0, KskDoubleDS DNSKEY, KskDoubleSignature DS (default);
 *   ZskDoubleSignature 0, ZskPrePublication RRSIG (default), ZskDoubleRRsig DNSKEY;
 *   CskDoubleRRset 0, CskSingleSignature RRSIG, CskDoubleDS DNSKEY,
 *   CskDoubleSignature DS, CskPrePublication DS|RRSIG (default).
 */
#define ODS_MINIMIZE_RRSIG  1
#define ODS_MINIMIZE_DNSKEY 2
#define ODS_MINIMIZE_DS     4

#define ODS_MINIMIZE_DEFAULT_KSK ODS_MINIMIZE_DS
#define ODS_MINIMIZE_DEFAULT_ZSK ODS_MINIMIZE_RRSIG
#define ODS_MINIMIZE_DEFAULT_CSK (ODS_MINIMIZE_DS | ODS_MINIMIZE_RRSIG)

/* One KSK, ZSK or CSK entry of a policy. */
typedef struct ods_policy_key {
    int role;            /* ODS_ROLE_* */
    int algorithm;       /* DNSSEC algorithm number (8, 13, ...) */
    int bits;            /* key size: Algorithm length=, or implied for fixed-size algorithms */
    int64_t lifetime;    /* Lifetime: from key creation to the next automatic roll */
    char *repository;    /* Repository name (conf.xml) */
    int standby;         /* Standby: number of standby keys (0 when absent) */
    int manual_rollover; /* ManualRollover: only `key rollover` rolls it */
    int rfc5011;         /* RFC5011 (KSK/CSK; stored, not implemented) */
    int minimize;        /* RollType as ODS_MINIMIZE_* bits */
} ods_policy_key_t;

typedef struct ods_policy {
    char *name;        /* Policy name= */
    char *description; /* Description; "" when absent */
    int passthrough;   /* Passthrough: copy the zone unsigned, only bump the serial */

    /* Signatures */
    int64_t resign;           /* Resign: interval between signer runs */
    int64_t refresh;          /* Refresh: re-sign when expiration - now < Refresh */
    int64_t validity_default; /* Validity/Default */
    int64_t validity_denial;  /* Validity/Denial: NSEC/NSEC3 signatures */
    int64_t validity_keyset;  /* Validity/Keyset; 0 when absent (Default applies) */
    int64_t jitter;           /* Jitter */
    int64_t inception_offset; /* InceptionOffset */
    int64_t max_zone_ttl;     /* MaxZoneTTL; 0 when absent */

    /* Denial */
    int denial;            /* ODS_DENIAL_NSEC or ODS_DENIAL_NSEC3 */
    int nsec3_optout;      /* NSEC3/OptOut */
    int64_t nsec3_ttl;     /* NSEC3/TTL (NSEC3PARAM TTL); 0 when absent */
    int64_t nsec3_resalt;  /* NSEC3/Resalt */
    int nsec3_algorithm;   /* NSEC3/Hash/Algorithm (1 = SHA-1) */
    int nsec3_iterations;  /* NSEC3/Hash/Iterations */
    int nsec3_salt_length; /* NSEC3/Hash/Salt length= (octets) */

    /* Keys */
    int64_t keys_ttl;       /* Keys/TTL: DNSKEY TTL */
    int64_t retire_safety;  /* Keys/RetireSafety */
    int64_t publish_safety; /* Keys/PublishSafety */
    int share_keys;         /* Keys/ShareKeys */
    int64_t purge;          /* Keys/Purge; -1 when absent (never purge) */
    ods_policy_key_t *keys; /* KSK, ZSK and CSK entries in file order */
    size_t n_keys;

    /* Zone */
    int64_t zone_propagation_delay; /* Zone/PropagationDelay */
    int64_t zone_soa_ttl;           /* Zone/SOA/TTL */
    int64_t zone_soa_minimum;       /* Zone/SOA/Minimum */
    int serial;                     /* Zone/SOA/Serial: ODS_SERIAL_* */

    /* Parent */
    int64_t parent_propagation_delay;  /* Parent/PropagationDelay */
    int64_t parent_ds_ttl;             /* Parent/DS/TTL */
    int64_t parent_soa_ttl;            /* Parent/SOA/TTL */
    int64_t parent_soa_minimum;        /* Parent/SOA/Minimum */
    int64_t parent_registration_delay; /* Parent/RegistrationDelay; 0 when absent */

    ods_srcmap_t *src; /* where each value came from; NULL if not from a file */
} ods_policy_t;

typedef struct ods_kasp {
    char *path; /* the file loaded (absolute) */
    ods_policy_t *policies;
    size_t n_policies;
} ods_kasp_t;

/*
 * Load kasp.xml. conf may be NULL: then the policies' Repository names are
 * not checked against conf.xml. Problems go to diag (may be NULL). Returns
 * ODS_OK and sets *out when there is no ERROR; otherwise ODS_EIO, ODS_EPARSE
 * or ODS_ECONFIG and *out is untouched.
 */
int ods_kasp_load(const char *path, const ods_conf_t *conf, ods_kasp_t **out, ods_diag_t *diag);

void ods_kasp_free(ods_kasp_t *kasp);

/* The policy with this name; NULL if none. */
const ods_policy_t *ods_kasp_find(const ods_kasp_t *kasp, const char *name);

/*
 * Run every check on one policy. Works on a policy that did not come from a
 * file too (src NULL): then diagnostics carry no file or line. conf may be
 * NULL (no repository check).
 */
void ods_kasp_check_policy(const ods_policy_t *policy, const ods_conf_t *conf, ods_diag_t *diag);

/* Checks across policies: duplicate names, no policy named "default". */
void ods_kasp_check_all(const ods_kasp_t *kasp, ods_diag_t *diag);

/*
 * Append the policy as a <Policy> element (kasp.xml syntax, indented for
 * inclusion in <KASP>) to out. Loading it back gives an equal policy.
 * ODS_OK or ODS_ENOMEM.
 */
int ods_kasp_policy_to_xml(const ods_policy_t *policy, ods_buf_t *out);

/* Append a complete kasp.xml document holding the n policies. */
int ods_kasp_policies_to_xml(const ods_policy_t *const *policies, size_t n, ods_buf_t *out);

/* Non-zero when a and b have the same name and values (sources ignored). */
int ods_policy_equal(const ods_policy_t *a, const ods_policy_t *b);

/* Free the contents of a policy (not the struct itself). */
void ods_policy_clear(ods_policy_t *policy);

/* "KSK", "ZSK", "CSK" for a role; "?" otherwise. */
const char *ods_role_name(int role);

#endif
