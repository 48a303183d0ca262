/* kasp_check.c -- the checks a careful operator wants on a policy (see kasp.h). */
#include "conf/kasp_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/duration.h"

#define RFC8624_SHA1                                                                               \
    "is NOT RECOMMENDED for signing (RFC 8624); prefer 13 (ECDSAP256SHA256) or 8 (RSASHA256)"

static const ods_kasp_alg_t algorithms[] = {
    { 1, "RSAMD5", 0, 0, 0, 0, "must not be used: MD5 is broken (RFC 6725, RFC 8624)" },
    { 3, "DSA", 0, 0, 0, 0, "must not be used for signing (RFC 8624)" },
    { 5, "RSASHA1", 1, 1024, 4096, 0, RFC8624_SHA1 },
    { 6, "DSA-NSEC3-SHA1", 0, 0, 0, 0, "must not be used for signing (RFC 8624)" },
    { 7, "RSASHA1-NSEC3-SHA1", 1, 1024, 4096, 1, RFC8624_SHA1 },
    { 8, "RSASHA256", 1, 1024, 4096, 1, NULL },
    { 10, "RSASHA512", 1, 1024, 4096, 1, NULL },
    { 12, "ECC-GOST", 0, 0, 0, 0, "must not be used for signing (RFC 8624) and HSMs lack it" },
    { 13, "ECDSAP256SHA256", 1, 256, 256, 1, NULL },
    { 14, "ECDSAP384SHA384", 1, 384, 384, 1, NULL },
    { 15, "ED25519", 1, 256, 256, 1, NULL },
    { 16, "ED448", 1, 456, 456, 1, NULL },
};

#define SUPPORTED "use 13 (ECDSAP256SHA256), 14, 15, 16, 8 (RSASHA256) or 10"

const ods_kasp_alg_t *ods_kasp_alg(int number)
{
    for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
        if (algorithms[i].number == number)
            return &algorithms[i];
    return NULL;
}

static void pdiag(const ods_policy_t *p, ods_diag_t *diag, int sev, const char *rel,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void pdiag(const ods_policy_t *p, ods_diag_t *diag, int sev, const char *rel,
                  const char *fmt, ...)
{
    char base[512];
    snprintf(base, sizeof(base), "/KASP/Policy[@name='%s']", p->name ? p->name : "");
    va_list ap;
    va_start(ap, fmt);
    ods_srcmap_diagv(p->src, base, diag, sev, rel, fmt, ap);
    va_end(ap);
}

/* Durations for messages; each call uses its own buffer. */
typedef struct {
    char s[32];
} dur_t;

static dur_t D(int64_t seconds)
{
    dur_t d;
    ods_duration_format(seconds, d.s, sizeof(d.s));
    return d;
}

/* a + b, saturated: durations from a file can be as large as INT64_MAX. */
static int64_t add_sat(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

static void check_validity(const ods_policy_t *p, ods_diag_t *diag, const char *rel,
                           int64_t validity)
{
    if (validity <= p->refresh)
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "%s must be longer than Refresh (%s): signatures would be refreshed at every run; "
              "increase the validity or decrease Refresh",
              D(validity).s, D(p->refresh).s);
    if (p->jitter >= validity)
        pdiag(p, diag, ODS_DIAG_ERROR, "Signatures/Jitter",
              "Jitter %s must be shorter than %s (%s): signatures could be born expired",
              D(p->jitter).s, rel, D(validity).s);
    else if (p->jitter > validity / 2)
        pdiag(p, diag, ODS_DIAG_WARNING, "Signatures/Jitter",
              "Jitter %s is more than half of %s (%s): some signatures will be much shorter-lived "
              "than intended",
              D(p->jitter).s, rel, D(validity).s);
}

static void check_signatures(const ods_policy_t *p, ods_diag_t *diag)
{
    if (p->resign <= 0)
        pdiag(p, diag, ODS_DIAG_ERROR, "Signatures/Resign",
              "Resign must be longer than zero (for example PT2H)");
    else if (p->refresh <= p->resign)
        pdiag(p, diag, ODS_DIAG_ERROR, "Signatures/Refresh",
              "%s must be longer than Resign (%s): otherwise signatures can expire between two "
              "signer runs; increase Refresh or decrease Resign",
              D(p->refresh).s, D(p->resign).s);
    check_validity(p, diag, "Signatures/Validity/Default", p->validity_default);
    check_validity(p, diag, "Signatures/Validity/Denial", p->validity_denial);
    if (p->validity_keyset > 0)
        check_validity(p, diag, "Signatures/Validity/Keyset", p->validity_keyset);
    if (p->inception_offset > 600)
        pdiag(p, diag, ODS_DIAG_WARNING, "Signatures/InceptionOffset",
              "%s is more than 10 minutes: signatures are dated back that far although clock "
              "skew is rarely more than a few minutes; PT10M is usually enough",
              D(p->inception_offset).s);
    if (p->serial == ODS_SERIAL_DATECOUNTER && p->resign > 0 && p->resign < 864)
        pdiag(p, diag, ODS_DIAG_WARNING, "Signatures/Resign",
              "Resign %s with Serial datecounter: a date counter allows at most 99 new serials a "
              "day (Resign PT864S or longer); use unixtime or counter",
              D(p->resign).s);
}

static void check_nsec3(const ods_policy_t *p, ods_diag_t *diag)
{
    if (p->nsec3_algorithm != 1)
        pdiag(p, diag, ODS_DIAG_ERROR, "Denial/NSEC3/Hash/Algorithm",
              "NSEC3 hash algorithm %d is not defined: use 1 (SHA-1, RFC 5155)",
              p->nsec3_algorithm);
    if (p->nsec3_iterations > 500)
        pdiag(p, diag, ODS_DIAG_ERROR, "Denial/NSEC3/Hash/Iterations",
              "%d NSEC3 iterations: validating resolvers treat such zones as insecure or bogus "
              "(RFC 9276); use 0",
              p->nsec3_iterations);
    else if (p->nsec3_iterations > 0)
        pdiag(p, diag, ODS_DIAG_WARNING, "Denial/NSEC3/Hash/Iterations",
              "%d NSEC3 iterations add cost but no security; RFC 9276 recommends 0 and resolvers "
              "may treat higher counts as insecure",
              p->nsec3_iterations);
    if (p->nsec3_salt_length > 0)
        pdiag(p, diag, ODS_DIAG_WARNING, "Denial/NSEC3/Hash/Salt",
              "salt length %d adds no protection; RFC 9276 recommends no salt (length=\"0\")",
              p->nsec3_salt_length);
}

static void check_key_size(const ods_policy_t *p, const ods_policy_key_t *k,
                           const ods_kasp_alg_t *a, const char *rel, ods_diag_t *diag)
{
    if (a->min_bits == a->max_bits && k->bits != a->min_bits)
        pdiag(p, diag, ODS_DIAG_ERROR, rel, "%s keys are %d bits, not %d: set length=\"%d\"",
              a->name, a->min_bits, k->bits, a->min_bits);
    else if (k->bits == 0)
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "%s needs a key size: write <Algorithm length=\"2048\">%d</Algorithm>", a->name,
              a->number);
    else if (k->bits < a->min_bits || k->bits > a->max_bits)
        pdiag(p, diag, ODS_DIAG_ERROR, rel, "%s keys must be %d to %d bits, not %d", a->name,
              a->min_bits, a->max_bits, k->bits);
    else if (a->min_bits != a->max_bits && k->bits < 2048 && (k->role & ODS_ROLE_KSK))
        pdiag(p, diag, ODS_DIAG_WARNING, rel,
              "a %d-bit %s is weak for a %s that lives long; use 2048 bits or more", k->bits,
              a->name, ods_role_name(k->role));
}

static void check_key_algorithm(const ods_policy_t *p, const ods_policy_key_t *k, const char *rel,
                                ods_diag_t *diag)
{
    const ods_kasp_alg_t *a = ods_kasp_alg(k->algorithm);
    if (a == NULL) {
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "algorithm %d is not a DNSSEC signing algorithm "
              "odsng supports: " SUPPORTED,
              k->algorithm);
        return;
    }
    if (!a->usable) {
        pdiag(p, diag, ODS_DIAG_ERROR, rel, "algorithm %d (%s) %s; " SUPPORTED, a->number, a->name,
              a->reason);
        return;
    }
    if (a->reason != NULL)
        pdiag(p, diag, ODS_DIAG_WARNING, rel, "algorithm %d (%s) %s", a->number, a->name,
              a->reason);
    if (p->denial == ODS_DENIAL_NSEC3 && !a->nsec3)
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "algorithm %d (%s) cannot be used with NSEC3 (validators would not understand "
              "the NSEC3 records); use 7 or 8 for RSA, or NSEC",
              a->number, a->name);
    check_key_size(p, k, a, rel, diag);
}

static void check_key_lifetime(const ods_policy_t *p, const ods_policy_key_t *k, const char *rel,
                               ods_diag_t *diag)
{
    if (k->manual_rollover)
        return;
    int64_t ds = add_sat(p->parent_ds_ttl, p->keys_ttl),
            data = add_sat(p->max_zone_ttl, p->keys_ttl);
    if ((k->role & ODS_ROLE_KSK) && ds >= k->lifetime)
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "Lifetime %s is not longer than Parent DS TTL + Keys TTL (%s): the %s would be "
              "replaced before it can be used; lengthen the Lifetime",
              D(k->lifetime).s, D(ds).s, ods_role_name(k->role));
    if ((k->role & ODS_ROLE_ZSK) && data >= k->lifetime)
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "Lifetime %s is not longer than MaxZoneTTL + Keys TTL (%s): the %s would be "
              "replaced before it can be used; lengthen the Lifetime",
              D(k->lifetime).s, D(data).s, ods_role_name(k->role));
}

static void check_key(const ods_policy_t *p, size_t i, const ods_conf_t *conf, ods_diag_t *diag)
{
    const ods_policy_key_t *k = &p->keys[i];
    char key[64], rel[96];
    ods_kasp_key_path(p, i, key, sizeof(key));
    snprintf(rel, sizeof(rel), "%s/Algorithm", key);
    check_key_algorithm(p, k, rel, diag);
    snprintf(rel, sizeof(rel), "%s/Lifetime", key);
    check_key_lifetime(p, k, rel, diag);
    snprintf(rel, sizeof(rel), "%s/Repository", key);
    if (conf != NULL && ods_conf_find_repository(conf, k->repository) == NULL)
        pdiag(p, diag, ODS_DIAG_ERROR, rel,
              "repository '%s' is not defined in %s: add it to <RepositoryList> or correct the "
              "name",
              k->repository, conf->path);
    snprintf(rel, sizeof(rel), "%s/Standby", key);
    if (k->standby > 0)
        pdiag(p, diag, ODS_DIAG_WARNING, rel,
              "Standby keys are not implemented (OpenDNSSEC 2.x ignores them too); remove it");
}

/* Does some key of this algorithm cover role bit `role`? */
static int has_role(const ods_policy_t *p, int algorithm, int role)
{
    for (size_t i = 0; i < p->n_keys; i++)
        if (p->keys[i].algorithm == algorithm && (p->keys[i].role & role))
            return 1;
    return 0;
}

static int has_exact_role(const ods_policy_t *p, int algorithm, int role)
{
    for (size_t i = 0; i < p->n_keys; i++)
        if (p->keys[i].algorithm == algorithm && p->keys[i].role == role)
            return 1;
    return 0;
}

/* Every algorithm needs a key signing the DNSKEY set and one signing the data. */
static void check_key_layout(const ods_policy_t *p, size_t i, ods_diag_t *diag)
{
    const ods_policy_key_t *k = &p->keys[i];
    for (size_t j = 0; j < i; j++)
        if (p->keys[j].algorithm == k->algorithm && p->keys[j].role == k->role)
            return; /* said once per algorithm and role */
    char key[64];
    ods_kasp_key_path(p, i, key, sizeof(key));
    int missing = !has_role(p, k->algorithm, ODS_ROLE_KSK)   ? ODS_ROLE_KSK
                  : !has_role(p, k->algorithm, ODS_ROLE_ZSK) ? ODS_ROLE_ZSK
                                                             : 0;
    if (missing != 0 && !p->passthrough)
        pdiag(p, diag, ODS_DIAG_ERROR, key,
              "algorithm %d has no %s or CSK: %s; add one with the same algorithm", k->algorithm,
              ods_role_name(missing),
              missing == ODS_ROLE_KSK ? "nothing would sign the DNSKEY set"
                                      : "nothing would sign the zone's data");
    if (k->role == ODS_ROLE_CSK && (has_exact_role(p, k->algorithm, ODS_ROLE_KSK) ||
                                    has_exact_role(p, k->algorithm, ODS_ROLE_ZSK)))
        pdiag(p, diag, ODS_DIAG_WARNING, key,
              "a CSK and a KSK or ZSK of the same algorithm %d: use either a CSK or a KSK+ZSK "
              "pair",
              k->algorithm);
}

/* Index of the first key with this role at index >= from; -1 if none. */
static int next_key(const ods_policy_t *p, int role, size_t from)
{
    for (size_t i = from; i < p->n_keys; i++)
        if (p->keys[i].role == role)
            return (int)i;
    return -1;
}

static void check_lifetimes(const ods_policy_t *p, ods_diag_t *diag)
{
    for (int k = next_key(p, ODS_ROLE_KSK, 0); k >= 0; k = next_key(p, ODS_ROLE_KSK, k + 1))
        for (int z = next_key(p, ODS_ROLE_ZSK, 0); z >= 0; z = next_key(p, ODS_ROLE_ZSK, z + 1)) {
            const ods_policy_key_t *ksk = &p->keys[k], *zsk = &p->keys[z];
            if (ksk->algorithm != zsk->algorithm || ksk->lifetime >= zsk->lifetime)
                continue;
            char key[64], rel[96];
            ods_kasp_key_path(p, (size_t)k, key, sizeof(key));
            snprintf(rel, sizeof(rel), "%s/Lifetime", key);
            pdiag(p, diag, ODS_DIAG_WARNING, rel,
                  "KSK Lifetime %s is shorter than ZSK Lifetime %s: KSK rollovers involve the "
                  "parent and are usually the rarer ones",
                  D(ksk->lifetime).s, D(zsk->lifetime).s);
        }
}

static void check_keys(const ods_policy_t *p, const ods_conf_t *conf, ods_diag_t *diag)
{
    if (p->n_keys == 0 && !p->passthrough)
        pdiag(p, diag, ODS_DIAG_WARNING, "Keys",
              "no KSK, ZSK or CSK: zones on this policy will become unsigned");
    for (size_t i = 0; i < p->n_keys; i++) {
        check_key(p, i, conf, diag);
        check_key_layout(p, i, diag);
    }
    check_lifetimes(p, diag);
}

void ods_kasp_check_policy(const ods_policy_t *p, const ods_conf_t *conf, ods_diag_t *diag)
{
    check_signatures(p, diag);
    if (p->denial == ODS_DENIAL_NSEC3)
        check_nsec3(p, diag);
    check_keys(p, conf, diag);
}

void ods_kasp_check_all(const ods_kasp_t *kasp, ods_diag_t *diag)
{
    int have_default = 0;
    for (size_t i = 0; i < kasp->n_policies; i++) {
        const ods_policy_t *p = &kasp->policies[i];
        have_default |= strcmp(p->name, "default") == 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(kasp->policies[j].name, p->name) == 0) {
                pdiag(p, diag, ODS_DIAG_ERROR, NULL,
                      "policy name '%s' is already used on line %d: give each policy its own "
                      "name",
                      p->name, ods_srcmap_line(kasp->policies[j].src, ""));
                break;
            }
    }
    if (!have_default)
        ods_diag_add(diag, ODS_DIAG_WARNING, kasp->path, 0, "/KASP",
                     "no policy is named 'default': `zone add` without --policy will fail");
}
