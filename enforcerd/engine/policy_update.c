/*
 * policy_update.c -- step 1 of enf_update(): which keys the policy wants (updatePolicy).
 *
 * Differences from OpenDNSSEC, both to keep a zone from ending up without a
 * key for a policy key: "has a key" and "newest key" only count keys that are
 * still being introduced and match the policy key exactly (OpenDNSSEC also
 * counts retired keys of the same algorithm and role, so a policy changed
 * back and forth, or a ManualRollover policy whose key size changed, got no
 * new key); and a roll flag is cleared only after a key of that role was made.
 */
#include "engine/internal.h"
#include "engine/timing.h"

#include <stdio.h>
#include <string.h>

int enf_key_matches(const enf_key_t *k, const enf_policy_key_t *pk)
{
    return k->role == pk->role && k->algorithm == pk->algorithm && k->bits == pk->bits &&
           strcmp(k->repository, pk->repository) == 0;
}

static int policy_wants(const enf_policy_t *p, const enf_key_t *k)
{
    for (size_t i = 0; i < p->nkeys; i++)
        if (enf_key_matches(k, &p->keys[i]))
            return 1;
    return 0;
}

static void retire_key(enf_zone_t *z, enf_key_t *k, const char *why, enf_events_t *ev)
{
    k->introducing = 0;
    enf_events_add(ev, ENF_EV_KEY_RETIRE, k, "zone %s: %s keytag %u (CKA_ID %s) retires: %s",
                   z->name, enf_role_name(k->role), k->keytag, k->locator, why);
}

static void retire_unwanted(const enf_policy_t *p, enf_zone_t *z, enf_events_t *ev)
{
    for (size_t i = 0; i < z->nkeys; i++) {
        enf_key_t *k = &z->keys[i];
        if (k->introducing && !policy_wants(p, k))
            retire_key(z, k, "no key of the policy matches it any more", ev);
    }
}

static const enf_key_t *newest_key(const enf_zone_t *z, const enf_policy_key_t *pk)
{
    const enf_key_t *best = NULL;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        if (k->introducing && enf_key_matches(k, pk) && (!best || k->inception >= best->inception))
            best = k;
    }
    return best;
}

static int *roll_flag(enf_zone_t *z, int role)
{
    return role == ENF_ROLE_KSK   ? &z->roll_ksk_now
           : role == ENF_ROLE_ZSK ? &z->roll_zsk_now
                                  : &z->roll_csk_now;
}

static time_t *next_roll(enf_zone_t *z, int role)
{
    return role == ENF_ROLE_KSK   ? &z->next_ksk_roll
           : role == ENF_ROLE_ZSK ? &z->next_zsk_roll
                                  : &z->next_csk_roll;
}

static int lifetime_too_short(const enf_policy_t *p, const enf_policy_key_t *pk, enf_zone_t *z,
                              enf_events_t *ev)
{
    if (pk->lifetime <= 0)
        return 0;
    time_t ksk_min = p->parent_ds_ttl + p->keys_ttl;
    time_t zsk_min = p->max_zone_ttl + p->keys_ttl;
    const char *what = NULL;
    time_t sum = 0;
    if ((pk->role & ENF_ROLE_KSK) && ksk_min >= pk->lifetime) {
        what = "parent DS TTL and key TTL";
        sum = ksk_min;
    } else if ((pk->role & ENF_ROLE_ZSK) && zsk_min >= pk->lifetime) {
        what = "MaxZoneTTL and key TTL";
        sum = zsk_min;
    }
    if (!what)
        return 0;
    enf_events_add(ev, ENF_EV_LIFETIME, NULL,
                   "zone %s: policy %s %s key lifetime of %lld is unreasonably short with "
                   "respect to sum of %s (%lld). Will not insert key!",
                   z->name, p->name, enf_role_name(pk->role), (long long)pk->lifetime, what,
                   (long long)sum);
    return 1;
}

static int64_t new_key_id(const enf_zone_t *z, int64_t wanted)
{
    int64_t max = 0;
    for (size_t i = 0; i < z->nkeys; i++)
        if (z->keys[i].id > max)
            max = z->keys[i].id;
    return wanted > 0 ? wanted : max + 1;
}

static void key_from_material(enf_key_t *k, const enf_policy_t *p, const enf_zone_t *z,
                              const enf_policy_key_t *pk, const enf_key_material_t *m, time_t now)
{
    enf_key_init(k, pk->role, now);
    k->id = new_key_id(z, m->id);
    k->algorithm = pk->algorithm;
    k->bits = m->bits ? m->bits : pk->bits;
    snprintf(k->locator, sizeof(k->locator), "%s", m->locator);
    snprintf(k->repository, sizeof(k->repository), "%s",
             m->repository[0] ? m->repository : pk->repository);
    k->keytag = m->keytag;
    k->minimize = pk->minimize;
    k->backup_required = m->backup_required;
    for (int r = 0; r < ENF_REC_COUNT; r++)
        k->rec[r].ttl = enf_ttl_effective(p, z, (enf_rec_t)r, now);
}

/* Get material and add a key for pk. ODS_ENOTFOUND if no material. */
static int insert_key(const enf_policy_t *p, enf_zone_t *z, const enf_policy_key_t *pk, time_t now,
                      enf_key_source_t *src, enf_events_t *ev)
{
    if (enf_zone_reserve(z, 1) != ODS_OK)
        return ODS_ENOMEM; /* before taking material the caller cannot give back */
    enf_key_material_t m;
    memset(&m, 0, sizeof(m));
    if (!src || !src->get || src->get(src->ctx, p, pk, z, now, &m) != ODS_OK)
        return ODS_ENOTFOUND;
    enf_key_t k;
    key_from_material(&k, p, z, pk, &m, now);
    if (enf_zone_add_key(z, &k) != ODS_OK)
        return ODS_ECONFLICT; /* the source repeated an id */
    z->signconf_needs_writing = 1;
    enf_events_add(ev, ENF_EV_KEY_NEW, &k, "zone %s: new %s keytag %u (CKA_ID %s, algorithm %d)",
                   z->name, enf_role_name(k.role), k.keytag, k.locator, k.algorithm);
    return ODS_OK;
}

static void retire_replaced(enf_zone_t *z, const enf_policy_key_t *pk, enf_events_t *ev)
{
    const enf_key_t *newest = &z->keys[z->nkeys - 1];
    int64_t keep = newest->id;
    for (size_t i = 0; i < z->nkeys; i++) {
        enf_key_t *k = &z->keys[i];
        if (k->id != keep && k->introducing && enf_key_matches(k, pk))
            retire_key(z, k, "replaced by a new key", ev);
    }
}

/* One policy key: roll it if needed. Sets *rolled when a key was made. */
static time_t update_policy_key(const enf_policy_t *p, enf_zone_t *z, const enf_policy_key_t *pk,
                                time_t now, enf_key_source_t *src, enf_events_t *ev, int *rolled)
{
    const enf_key_t *cur = newest_key(z, pk);
    int force = *roll_flag(z, pk->role) || !cur;
    if (pk->manual_rollover && !force)
        return -1;
    if (!force) {
        if (pk->lifetime <= 0)
            return -1;
        time_t due = cur->inception + pk->lifetime;
        if (due > now) {
            *next_roll(z, pk->role) = due;
            return due;
        }
    }
    if (lifetime_too_short(p, pk, z, ev)) {
        *next_roll(z, pk->role) = now;
        return -1;
    }
    int rc = insert_key(p, z, pk, now, src, ev);
    if (rc == ODS_ENOTFOUND) {
        enf_events_add(ev, ENF_EV_NO_KEYS, NULL,
                       "zone %s: No keys available in HSM for policy %s, retry in %d seconds",
                       z->name, p->name, ENF_NOKEY_RETRY);
        *next_roll(z, pk->role) = now;
        return now + ENF_NOKEY_RETRY;
    }
    if (rc != ODS_OK) {
        if (ev)
            ev->status = rc;
        return now + ENF_NOKEY_RETRY;
    }
    retire_replaced(z, pk, ev);
    *rolled = 1;
    *next_roll(z, pk->role) = pk->lifetime > 0 ? now + pk->lifetime : 0;
    return pk->lifetime > 0 ? now + pk->lifetime : -1;
}

time_t enf_policy_update(const enf_policy_t *p, enf_zone_t *z, time_t now, enf_key_source_t *src,
                         enf_events_t *ev, int *allow_unsigned)
{
    time_t ret = -1;
    int rolled[4] = { 0, 0, 0, 0 };
    retire_unwanted(p, z, ev);
    *allow_unsigned = p->nkeys == 0;
    if (*allow_unsigned) {
        z->signconf_needs_writing = 1;
        enf_events_add(ev, ENF_EV_UNSIGNED, NULL,
                       "No keys configured for %s, zone will become unsigned eventually", z->name);
    }
    for (size_t i = 0; i < p->nkeys; i++) {
        const enf_policy_key_t *pk = &p->keys[i];
        int r = pk->role & 3;
        enf_min_time(update_policy_key(p, z, pk, now, src, ev, &rolled[r]), &ret);
    }
    for (int r = 1; r <= 3; r++)
        if (rolled[r])
            *roll_flag(z, r) = 0;
    return ret;
}
