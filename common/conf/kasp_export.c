/* kasp_export.c -- policies back to kasp.xml, and policy comparison (see kasp.h). */
#include "conf/kasp_internal.h"
#include "conf/xmlwrite.h"

#include <stdio.h>
#include <string.h>

static void write_signatures(ods_xw_t *w, const ods_policy_t *p)
{
    ods_xw_start(w, "Signatures", NULL, NULL);
    ods_xw_duration(w, "Resign", p->resign);
    ods_xw_duration(w, "Refresh", p->refresh);
    ods_xw_start(w, "Validity", NULL, NULL);
    ods_xw_duration(w, "Default", p->validity_default);
    ods_xw_duration(w, "Denial", p->validity_denial);
    if (p->validity_keyset > 0)
        ods_xw_duration(w, "Keyset", p->validity_keyset);
    ods_xw_end(w, "Validity");
    ods_xw_duration(w, "Jitter", p->jitter);
    ods_xw_duration(w, "InceptionOffset", p->inception_offset);
    if (p->max_zone_ttl > 0)
        ods_xw_duration(w, "MaxZoneTTL", p->max_zone_ttl);
    ods_xw_end(w, "Signatures");
}

static void write_denial(ods_xw_t *w, const ods_policy_t *p)
{
    char len[8];
    ods_xw_start(w, "Denial", NULL, NULL);
    if (p->denial != ODS_DENIAL_NSEC3) {
        ods_xw_leaf(w, "NSEC", NULL);
        ods_xw_end(w, "Denial");
        return;
    }
    ods_xw_start(w, "NSEC3", NULL, NULL);
    if (p->nsec3_ttl > 0)
        ods_xw_duration(w, "TTL", p->nsec3_ttl);
    ods_xw_flag(w, "OptOut", p->nsec3_optout);
    ods_xw_duration(w, "Resalt", p->nsec3_resalt);
    ods_xw_start(w, "Hash", NULL, NULL);
    ods_xw_uint(w, "Algorithm", (uint64_t)p->nsec3_algorithm);
    ods_xw_uint(w, "Iterations", (uint64_t)p->nsec3_iterations);
    snprintf(len, sizeof(len), "%d", p->nsec3_salt_length);
    ods_xw_leaf_attr(w, "Salt", "length", len, NULL);
    ods_xw_end(w, "Hash");
    ods_xw_end(w, "NSEC3");
    ods_xw_end(w, "Denial");
}

static void write_key(ods_xw_t *w, const ods_policy_key_t *k)
{
    char bits[16], alg[8];
    const char *role = ods_role_name(k->role);
    snprintf(bits, sizeof(bits), "%d", k->bits);
    snprintf(alg, sizeof(alg), "%d", k->algorithm);
    ods_xw_start(w, role, NULL, NULL);
    ods_xw_leaf_attr(w, "Algorithm", "length", bits, alg);
    ods_xw_duration(w, "Lifetime", k->lifetime);
    ods_xw_leaf(w, "Repository", k->repository);
    if (k->standby > 0)
        ods_xw_uint(w, "Standby", (uint64_t)k->standby);
    ods_xw_flag(w, "ManualRollover", k->manual_rollover);
    const char *rolltype = ods_kasp_rolltype_name(k->role, k->minimize);
    if (rolltype != NULL)
        ods_xw_leaf(w, ods_kasp_rolltype_element(k->role), rolltype);
    ods_xw_flag(w, "RFC5011", k->rfc5011 && k->role != ODS_ROLE_ZSK);
    ods_xw_end(w, role);
}

static void write_keys(ods_xw_t *w, const ods_policy_t *p)
{
    ods_xw_start(w, "Keys", NULL, NULL);
    ods_xw_duration(w, "TTL", p->keys_ttl);
    ods_xw_duration(w, "RetireSafety", p->retire_safety);
    ods_xw_duration(w, "PublishSafety", p->publish_safety);
    ods_xw_flag(w, "ShareKeys", p->share_keys);
    if (p->purge >= 0)
        ods_xw_duration(w, "Purge", p->purge);
    for (size_t i = 0; i < p->n_keys; i++)
        write_key(w, &p->keys[i]);
    ods_xw_end(w, "Keys");
}

static void write_zone_parent(ods_xw_t *w, const ods_policy_t *p)
{
    ods_xw_start(w, "Zone", NULL, NULL);
    ods_xw_duration(w, "PropagationDelay", p->zone_propagation_delay);
    ods_xw_start(w, "SOA", NULL, NULL);
    ods_xw_duration(w, "TTL", p->zone_soa_ttl);
    ods_xw_duration(w, "Minimum", p->zone_soa_minimum);
    ods_xw_leaf(w, "Serial", ods_serial_name(p->serial));
    ods_xw_end(w, "SOA");
    ods_xw_end(w, "Zone");
    ods_xw_start(w, "Parent", NULL, NULL);
    ods_xw_duration(w, "PropagationDelay", p->parent_propagation_delay);
    ods_xw_start(w, "DS", NULL, NULL);
    ods_xw_duration(w, "TTL", p->parent_ds_ttl);
    ods_xw_end(w, "DS");
    ods_xw_start(w, "SOA", NULL, NULL);
    ods_xw_duration(w, "TTL", p->parent_soa_ttl);
    ods_xw_duration(w, "Minimum", p->parent_soa_minimum);
    ods_xw_end(w, "SOA");
    if (p->parent_registration_delay > 0)
        ods_xw_duration(w, "RegistrationDelay", p->parent_registration_delay);
    ods_xw_end(w, "Parent");
}

static int write_policy(const ods_policy_t *p, ods_buf_t *out, int depth)
{
    ods_xw_t w;
    ods_xw_init(&w, out, depth);
    ods_xw_start(&w, "Policy", "name", p->name);
    ods_xw_flag(&w, "Passthrough", p->passthrough);
    ods_xw_leaf(&w, "Description", p->description ? p->description : "");
    write_signatures(&w, p);
    write_denial(&w, p);
    write_keys(&w, p);
    write_zone_parent(&w, p);
    ods_xw_end(&w, "Policy");
    return ods_xw_finish(&w);
}

int ods_kasp_policy_to_xml(const ods_policy_t *policy, ods_buf_t *out)
{
    return write_policy(policy, out, 1);
}

int ods_kasp_policies_to_xml(const ods_policy_t *const *policies, size_t n, ods_buf_t *out)
{
    ods_xw_t w;
    ods_xw_init(&w, out, 0);
    ods_xw_declaration(&w);
    ods_xw_start(&w, "KASP", NULL, NULL);
    int rc = ods_xw_finish(&w);
    for (size_t i = 0; i < n && rc == ODS_OK; i++)
        rc = write_policy(policies[i], out, 1);
    if (rc != ODS_OK)
        return rc;
    ods_xw_end(&w, "KASP");
    return ods_xw_finish(&w);
}

static int str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

#define SAME(f) (a->f == b->f)

static int key_equal(const ods_policy_key_t *a, const ods_policy_key_t *b)
{
    return SAME(role) && SAME(algorithm) && SAME(bits) && SAME(lifetime) &&
           str_eq(a->repository, b->repository) && SAME(standby) && SAME(manual_rollover) &&
           SAME(rfc5011) && SAME(minimize);
}

static int values_equal(const ods_policy_t *a, const ods_policy_t *b)
{
    return SAME(passthrough) && SAME(resign) && SAME(refresh) && SAME(validity_default) &&
           SAME(validity_denial) && SAME(validity_keyset) && SAME(jitter) &&
           SAME(inception_offset) && SAME(max_zone_ttl) && SAME(denial) && SAME(nsec3_optout) &&
           SAME(nsec3_ttl) && SAME(nsec3_resalt) && SAME(nsec3_algorithm) &&
           SAME(nsec3_iterations) && SAME(nsec3_salt_length) && SAME(keys_ttl) &&
           SAME(retire_safety) && SAME(publish_safety) && SAME(share_keys) && SAME(purge) &&
           SAME(zone_propagation_delay) && SAME(zone_soa_ttl) && SAME(zone_soa_minimum) &&
           SAME(serial) && SAME(parent_propagation_delay) && SAME(parent_ds_ttl) &&
           SAME(parent_soa_ttl) && SAME(parent_soa_minimum) && SAME(parent_registration_delay);
}

int ods_policy_equal(const ods_policy_t *a, const ods_policy_t *b)
{
    if (!str_eq(a->name, b->name) || !str_eq(a->description, b->description) ||
        a->n_keys != b->n_keys || !values_equal(a, b))
        return 0;
    for (size_t i = 0; i < a->n_keys; i++)
        if (!key_equal(&a->keys[i], &b->keys[i]))
            return 0;
    return 1;
}
