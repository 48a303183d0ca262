/* enf_walk.c -- read-only walks over zones (see enf_walk.h). */
#include "enf_walk.h"

#include <stdlib.h>

#include "enf_zones.h"
#include "engine/lookahead.h"

typedef struct walk_ctx {
    enf_daemon_t *d;
    enf_walk_fn fn;
    void *arg;
    ods_err_t *err;
} walk_ctx_t;

static int walk_one(void *arg, const enf_zone_info_t *zi)
{
    walk_ctx_t *c = arg;
    enf_zone_t *z = NULL;
    int rc = enf_store_zone_load(c->d->store, zi->id, zi->name, &z, c->err);
    if (rc != ODS_OK)
        return rc;
    rc = c->fn(c->arg, zi, enf_policies_find_id(c->d->policies, zi->policy_id), z);
    enf_zone_free(z);
    return rc;
}

int enf_walk_zones(enf_daemon_t *d, const char *zone, enf_walk_fn fn, void *arg, ods_err_t *err)
{
    walk_ctx_t c = { d, fn, arg, err };
    if (!zone)
        return enf_store_zone_foreach(d->store, 0, walk_one, &c, err);
    enf_zone_info_t zi;
    int rc = enf_zones_find(d, zone, &zi, err);
    if (rc != ODS_OK)
        return rc;
    rc = walk_one(&c, &zi);
    enf_zone_info_clear(&zi);
    return rc;
}

static int role_rank(int role)
{
    return role == ENF_ROLE_KSK ? 0 : role == ENF_ROLE_CSK ? 1 : 2;
}

static int by_role_age(const void *a, const void *b)
{
    const enf_key_t *x = *(enf_key_t *const *)a, *y = *(enf_key_t *const *)b;
    int d = role_rank(x->role) - role_rank(y->role);
    if (d)
        return d;
    if (x->inception != y->inception)
        return x->inception < y->inception ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

void enf_walk_sort_keys(enf_key_t **keys, size_t n)
{
    qsort(keys, n, sizeof(*keys), by_role_age);
}

time_t enf_walk_key_next(const enf_lookahead_t *la, int64_t key_id)
{
    for (size_t i = 0; la && i < la->count; i++) {
        const enf_events_t *ev = &la->step[i].events;
        for (size_t j = 0; j < ev->count; j++)
            if (ev->ev[j].key_id == key_id && ev->ev[j].type == ENF_EV_TRANSITION)
                return la->step[i].when;
    }
    return -1;
}
