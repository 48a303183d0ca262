/*
 * enf_keysrc.c -- the engine's key source: new keys for a zone come from the
 * pool, or with ShareKeys from another zone of the policy (see enf_keypool.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "enf_keypool_internal.h"
#include "enf_store_hsmkey.h"

void enf_keysrc_init(enf_keysrc_t *ks, enf_daemon_t *d, int64_t zone_id, int64_t policy_id)
{
    memset(ks, 0, sizeof(*ks));
    ks->d = d;
    ks->zone_id = zone_id;
    ks->policy_id = policy_id;
}

typedef struct pick {
    const enf_zone_t *z;
    enf_hsmkey_t *out;
    int found;
} pick_t;

static int zone_uses(const enf_zone_t *z, const char *locator)
{
    for (size_t i = 0; i < z->nkeys; i++)
        if (strcasecmp(z->keys[i].locator, locator) == 0)
            return 1;
    return 0;
}

/* The newest shared key the zone does not use yet (also not since this run). */
static int pick_shared(void *arg, const enf_hsmkey_t *k)
{
    pick_t *p = arg;
    if (zone_uses(p->z, k->locator))
        return 0;
    *p->out = *k;
    p->found = 1;
    return 1;
}

static int find_material(enf_keysrc_t *ks, const enf_policy_t *p, const enf_policy_key_t *pk,
                         const enf_zone_t *z, enf_hsmkey_t *hk)
{
    enf_store_t *s = ks->d->store;
    if (p->share_keys) {
        pick_t pick = { .z = z, .out = hk };
        int rc = enf_store_hsmkey_shared(s, ks->policy_id, pk->role, pk->repository, pk->algorithm,
                                         pk->bits, ks->zone_id, pick_shared, &pick, &ks->err);
        if (rc < 0)
            return rc;
        if (pick.found)
            return ODS_OK;
    }
    int rc = enf_store_hsmkey_take(s, pk->repository, pk->algorithm, pk->bits, hk, &ks->err);
    if (rc != ODS_OK)
        return rc;
    return enf_store_hsmkey_assign(s, hk->id,
                                   p->share_keys ? ENF_HSMKEY_SHARED : ENF_HSMKEY_PRIVATE,
                                   ks->policy_id, pk->role, &ks->err);
}

int enf_keysrc_get(void *ctx, const enf_policy_t *p, const enf_policy_key_t *pk,
                   const enf_zone_t *z, time_t now, enf_key_material_t *out)
{
    enf_keysrc_t *ks = ctx;
    enf_hsmkey_t hk;
    int rc = find_material(ks, p, pk, z, &hk);
    if (rc == ODS_ENOTFOUND) {
        ks->starved = 1;
        return ODS_ENOTFOUND;
    }
    uint16_t tag = 0;
    if (rc == ODS_OK)
        rc = enf_keypool_keytag(ks->d, hk.locator, pk->algorithm, pk->role, &tag, &ks->err);
    if (rc != ODS_OK) {
        ks->failed = 1;
        return ODS_ENOTFOUND; /* the caller rolls the run back */
    }
    memset(out, 0, sizeof(*out));
    out->id = ++ks->d->next_key_id;
    snprintf(out->locator, sizeof(out->locator), "%s", hk.locator);
    snprintf(out->repository, sizeof(out->repository), "%s", hk.repository);
    out->bits = pk->bits;
    out->keytag = tag;
    out->backup_required = hk.backup == ENF_BACKUP_REQUIRED || hk.backup == ENF_BACKUP_REQUESTED;
    return ODS_OK;
}
