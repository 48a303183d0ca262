/* enf_policy.c -- policies in memory, their engine form, import and salts (see enf_policy.h). */
#include "enf_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/params.h"
#include "enf_store_zone.h"

static void engine_key(const ods_policy_key_t *in, enf_policy_key_t *k)
{
    memset(k, 0, sizeof(*k));
    k->role = in->role;
    k->algorithm = in->algorithm;
    k->bits = in->bits;
    k->lifetime = (time_t)in->lifetime;
    snprintf(k->repository, sizeof(k->repository), "%s", in->repository ? in->repository : "");
    k->manual_rollover = in->manual_rollover;
    k->minimize = in->minimize; /* ODS_MINIMIZE_* and ENF_MIN_* share their values */
    k->standby = in->standby;
}

int enf_policy_to_engine(const ods_policy_t *in, enf_policy_t *out, ods_err_t *err)
{
    enf_policy_t p;
    enf_policy_init(&p, in->name);
    p.sig_resign = in->resign;
    p.sig_refresh = in->refresh;
    p.sig_jitter = in->jitter;
    p.sig_validity_default = in->validity_default;
    p.sig_validity_denial = in->validity_denial;
    p.sig_validity_keyset = in->validity_keyset ? in->validity_keyset : in->validity_default;
    p.max_zone_ttl = in->max_zone_ttl;
    p.nsec3 = in->denial == ODS_DENIAL_NSEC3;
    p.nsec3param_ttl = in->nsec3_ttl;
    p.keys_ttl = in->keys_ttl;
    p.retire_safety = in->retire_safety;
    p.publish_safety = in->publish_safety;
    p.share_keys = in->share_keys;
    p.purge = in->purge;
    p.zone_propagation_delay = in->zone_propagation_delay;
    p.zone_soa_ttl = in->zone_soa_ttl;
    p.zone_soa_minimum = in->zone_soa_minimum;
    p.parent_propagation_delay = in->parent_propagation_delay;
    p.parent_ds_ttl = in->parent_ds_ttl;
    p.parent_registration_delay = in->parent_registration_delay;
    for (size_t i = 0; i < in->n_keys; i++) {
        enf_policy_key_t k;
        engine_key(&in->keys[i], &k);
        if (enf_policy_add_key(&p, &k) != ODS_OK)
            return ods_err_set(err, ODS_EINVAL,
                               "policy %s has %zu keys; the enforcer handles at most %d", in->name,
                               in->n_keys, ENF_POLICY_KEYS_MAX);
    }
    *out = p;
    return ODS_OK;
}

void enf_policies_free(enf_policies_t *ps)
{
    if (!ps)
        return;
    enf_policy_rec_free_all(ps->recs, ps->n);
    free(ps->eng);
    free(ps);
}

int enf_policies_load(enf_store_t *s, enf_policies_t **out, ods_err_t *err)
{
    enf_policies_t *ps = calloc(1, sizeof(*ps));
    if (!ps)
        return ods_err_set(err, ODS_ENOMEM, "out of memory loading policies");
    int rc = enf_store_policy_load_all(s, &ps->recs, &ps->n, err);
    if (rc == ODS_OK && ps->n && !(ps->eng = calloc(ps->n, sizeof(*ps->eng))))
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory loading policies");
    for (size_t i = 0; rc == ODS_OK && i < ps->n; i++)
        rc = enf_policy_to_engine(&ps->recs[i].pol, &ps->eng[i], err);
    if (rc != ODS_OK) {
        enf_policies_free(ps);
        return rc;
    }
    *out = ps;
    return ODS_OK;
}

int enf_policies_find(const enf_policies_t *ps, const char *name)
{
    for (size_t i = 0; ps && name && i < ps->n; i++)
        if (strcmp(ps->recs[i].pol.name, name) == 0)
            return (int)i;
    return -1;
}

int enf_policies_find_id(const enf_policies_t *ps, int64_t id)
{
    for (size_t i = 0; ps && i < ps->n; i++)
        if (ps->recs[i].id == id)
            return (int)i;
    return -1;
}

/* ---- import ---- */

static int remove_missing_policies(enf_store_t *s, const ods_kasp_t *kasp,
                                   const enf_policies_t *cur, ods_buf_t *out, ods_err_t *err)
{
    for (size_t i = 0; cur && i < cur->n; i++) {
        const enf_policy_rec_t *r = &cur->recs[i];
        if (ods_kasp_find(kasp, r->pol.name))
            continue;
        size_t nzones = 0;
        int rc = enf_store_zone_count(s, r->id, &nzones, err);
        if (rc != ODS_OK)
            return rc;
        if (nzones) {
            ods_buf_printf(out,
                           "Policy %s is not in kasp.xml but %zu zone(s) use it: not deleted "
                           "(move them with 'zone set-policy' first)\n",
                           r->pol.name, nzones);
            continue;
        }
        if ((rc = enf_store_policy_delete(s, r->id, err)) != ODS_OK)
            return rc;
        ods_buf_printf(out, "Deleted policy %s successfully\n", r->pol.name);
    }
    return ODS_OK;
}

int enf_policy_import(enf_store_t *s, const ods_kasp_t *kasp, const enf_policies_t *cur,
                      int remove_missing, ods_buf_t *out, size_t *changed, ods_err_t *err)
{
    size_t n = 0;
    for (size_t i = 0; i < kasp->n_policies; i++) {
        const ods_policy_t *p = &kasp->policies[i];
        enf_policy_t check;
        int rc = enf_policy_to_engine(p, &check, err);
        if (rc != ODS_OK)
            return rc;
        int idx = enf_policies_find(cur, p->name);
        if (idx >= 0 && ods_policy_equal(&cur->recs[idx].pol, p)) {
            ods_buf_printf(out, "Policy %s already up-to-date\n", p->name);
            continue;
        }
        if ((rc = enf_store_policy_put(s, p, NULL, err)) != ODS_OK)
            return rc;
        ods_buf_printf(out, "%s policy %s successfully\n", idx >= 0 ? "Updated" : "Created",
                       p->name);
        n++;
    }
    if (remove_missing) {
        int rc = remove_missing_policies(s, kasp, cur, out, err);
        if (rc != ODS_OK)
            return rc;
    }
    if (changed)
        *changed = n;
    return ODS_OK;
}

/* ---- salts ---- */

static int wants_salt(const ods_policy_t *p)
{
    return p->denial == ODS_DENIAL_NSEC3 && p->nsec3_salt_length > 0;
}

int enf_policy_salt_due(const enf_policy_rec_t *r, time_t now, size_t *len)
{
    const ods_policy_t *p = &r->pol;
    if (!wants_salt(p))
        return r->salt[0] ? 2 : 0;
    *len = (size_t)p->nsec3_salt_length;
    if (strlen(r->salt) != 2 * *len)
        return 1;
    time_t when = enf_policy_resalt_time(r);
    return when >= 0 && when <= now ? 1 : 0;
}

time_t enf_policy_resalt_time(const enf_policy_rec_t *r)
{
    if (!wants_salt(&r->pol) || r->pol.nsec3_resalt <= 0)
        return -1;
    return r->salt_last_change + (time_t)r->pol.nsec3_resalt;
}

void enf_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}
