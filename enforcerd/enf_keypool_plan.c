/*
 * enf_keypool_plan.c -- how many keys to generate, and asking for them
 * (see enf_keypool.h): automatic planning, `key generate`, first keys.
 */
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "enf_keypool_internal.h"
#include "enf_store_hsmkey.h"
#include "enf_store_zone.h"
#include "log/log.h"
#include "util/clock.h"

typedef struct need {
    enf_keyspec_t spec;
    size_t n;
    const char *policy; /* for messages */
    int several;        /* the shape serves other policies too */
} need_t;

typedef struct needs {
    need_t *v;
    size_t n, cap;
} needs_t;

static void spec_of(const ods_policy_key_t *pk, enf_keyspec_t *spec)
{
    memset(spec, 0, sizeof(*spec));
    snprintf(spec->repository, sizeof(spec->repository), "%s", pk->repository);
    spec->algorithm = pk->algorithm;
    spec->bits = pk->bits;
}

static int needs_add(needs_t *ns, const enf_keyspec_t *spec, size_t n, const char *policy)
{
    for (size_t i = 0; i < ns->n; i++)
        if (enf_keyspec_equal(&ns->v[i].spec, spec)) {
            ns->v[i].n += n;
            ns->v[i].several |= strcmp(ns->v[i].policy, policy) != 0;
            return ODS_OK;
        }
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 8;
        need_t *nv = realloc(ns->v, cap * sizeof(*nv));
        if (!nv)
            return ODS_ENOMEM;
        ns->v = nv;
        ns->cap = cap;
    }
    ns->v[ns->n++] = (need_t){ .spec = *spec, .n = n, .policy = policy };
    return ODS_OK;
}

/* Keys a zone (or, with ShareKeys, a policy) starts within [now, now + period]
 * for one policy key whose next roll is `next` (0: never). */
static size_t rolls_in(time_t next, const ods_policy_key_t *pk, time_t now, time_t period)
{
    if (next == 0)
        return 0;
    if (pk->manual_rollover || pk->lifetime <= 0)
        return next <= now ? 1 : 0;
    time_t end = now + period;
    if (next > end)
        return 0;
    time_t from = next > now ? next : now;
    return 1 + (size_t)((end - from) / pk->lifetime);
}

typedef struct count_ctx {
    const ods_policy_t *p;
    time_t now, period;
    size_t *per_key;
    time_t *min_next; /* ShareKeys: the earliest roll of any zone */
    size_t nzones;
} count_ctx_t;

static int count_zone(void *arg, const enf_zone_info_t *zi)
{
    count_ctx_t *c = arg;
    c->nzones++;
    for (size_t i = 0; i < c->p->n_keys; i++) {
        const ods_policy_key_t *pk = &c->p->keys[i];
        time_t next = zi->next_roll[pk->role & 3];
        if (!c->p->share_keys)
            c->per_key[i] += rolls_in(next, pk, c->now, c->period);
        else if (next != 0 && (c->min_next[i] == 0 || next < c->min_next[i]))
            c->min_next[i] = next;
    }
    return 0;
}

static int policy_needs(enf_daemon_t *d, const ods_policy_t *p, int64_t policy_id, time_t period,
                        needs_t *ns, ods_err_t *err)
{
    if (p->passthrough || p->n_keys == 0)
        return ODS_OK;
    count_ctx_t c = { .p = p, .now = ods_clock_now(), .period = period };
    c.per_key = calloc(p->n_keys, sizeof(*c.per_key));
    c.min_next = calloc(p->n_keys, sizeof(*c.min_next));
    int rc = c.per_key && c.min_next ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK)
        rc = enf_store_zone_foreach(d->store, policy_id, count_zone, &c, err);
    for (size_t i = 0; rc == ODS_OK && i < p->n_keys; i++) {
        enf_keyspec_t spec;
        spec_of(&p->keys[i], &spec);
        size_t n =
            p->share_keys ? rolls_in(c.min_next[i], &p->keys[i], c.now, period) : c.per_key[i];
        rc = needs_add(ns, &spec, n, p->name);
    }
    free(c.per_key);
    free(c.min_next);
    return rc;
}

/* How many keys of spec may still be made under the repository's Capacity. */
static int room_left(enf_daemon_t *d, const enf_keyspec_t *spec, size_t *room, ods_err_t *err)
{
    const ods_conf_repository_t *r = ods_conf_find_repository(d->conf, spec->repository);
    *room = (size_t)-1;
    if (!r || r->capacity == 0)
        return ODS_OK;
    size_t have = 0;
    int rc = enf_store_hsmkey_count(d->store, spec->repository, 0, 0, -1, &have, err);
    if (rc != ODS_OK)
        return rc;
    /* pending keys of every shape go to this repository's capacity too */
    have += enf_keygen_pending_all(d->keygen);
    *room = have >= r->capacity ? 0 : (size_t)r->capacity - have;
    return ODS_OK;
}

/* Ask for what need lacks beyond the unused and pending keys, plus spare. */
static int request_deficit(enf_daemon_t *d, const need_t *nd, size_t spare, int urgent,
                           uint64_t *req, size_t *asked, ods_err_t *err)
{
    size_t unused = 0, room;
    int rc = enf_store_hsmkey_count(d->store, nd->spec.repository, nd->spec.algorithm,
                                    nd->spec.bits, ENF_HSMKEY_UNUSED, &unused, err);
    if (rc == ODS_OK)
        rc = room_left(d, &nd->spec, &room, err);
    if (rc != ODS_OK)
        return rc;
    /* urgent requests do not count keys queued behind other work */
    size_t have = unused + (urgent ? 0 : enf_keygen_pending(d->keygen, &nd->spec));
    size_t want = nd->n + spare > have ? nd->n + spare - have : 0;
    if (want > room) {
        if (nd->n > have + room)
            ods_log_warning("Repository %s is full, cannot create more keys for policy %s%s "
                            "(%zu needed, room for %zu)",
                            nd->spec.repository, nd->policy, nd->several ? " and others" : "",
                            nd->n - have, room);
        want = room;
    }
    *req = want ? enf_keygen_request(d->keygen, &nd->spec, want, urgent) : 0;
    if (want && !*req)
        return ods_err_set(err, ODS_ENOMEM, "out of memory asking for keys");
    if (want)
        ods_log_info("%zu new key(s) (algorithm %d, %d bits) need to be created in repository %s"
                     " for policy %s%s",
                     want, nd->spec.algorithm, nd->spec.bits, nd->spec.repository, nd->policy,
                     nd->several ? " and others" : "");
    *asked += want;
    return ODS_OK;
}

/* Needs of policy index pi (-1: all) for period. */
static int collect(enf_daemon_t *d, int pi, time_t period, needs_t *ns, ods_err_t *err)
{
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < d->policies->n; i++)
        if (pi < 0 || (size_t)pi == i)
            rc = policy_needs(d, &d->policies->recs[i].pol, d->policies->recs[i].id, period, ns,
                              err);
    return rc;
}

int enf_keypool_plan(enf_daemon_t *d, ods_err_t *err)
{
    if (!d->keygen || d->conf->enforcer.manual_keygen)
        return ODS_OK;
    needs_t ns = { 0 };
    int rc = collect(d, -1, (time_t)d->conf->enforcer.keygen_period, &ns, err);
    size_t spare = (size_t)d->conf->enforcer.worker_threads * ENF_POOL_SPARE_PER_THREAD;
    size_t asked = 0;
    for (size_t i = 0; rc == ODS_OK && i < ns.n; i++) {
        uint64_t req;
        rc = request_deficit(d, &ns.v[i], spare, 0, &req, &asked, err);
    }
    free(ns.v);
    return rc;
}

static void plan_cb(evutil_socket_t fd, short what, void *arg)
{
    enf_daemon_t *d = arg;
    ods_err_t err;
    if (enf_keypool_plan(d, &err) != ODS_OK)
        ods_log_error("planning key generation: %s", err.msg);
}

void enf_keypool_plan_soon(enf_daemon_t *d)
{
    enf_keypool_t *kp = d->pool;
    if (!kp->plan_ev && !(kp->plan_ev = evtimer_new(d->base, plan_cb, d)))
        return;
    if (!evtimer_pending(kp->plan_ev, NULL)) {
        struct timeval tv = { 0, 0 };
        evtimer_add(kp->plan_ev, &tv);
    }
}

/* Ask urgently for every deficit of ns and register fn as waiter. 1 if asked. */
static int ask_and_wait(enf_daemon_t *d, const needs_t *ns, enf_keypool_wait_fn fn, void *arg,
                        size_t *requested, ods_err_t *err)
{
    uint64_t *reqs = calloc(ns->n ? ns->n : 1, sizeof(*reqs));
    size_t nreqs = 0, asked = 0;
    int rc = reqs ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == ODS_OK && i < ns->n; i++) {
        uint64_t req = 0;
        rc = request_deficit(d, &ns->v[i], 0, 1, &req, &asked, err);
        if (req)
            reqs[nreqs++] = req;
    }
    if (rc == ODS_OK && nreqs && enf_keypool_add_waiter(d->pool, reqs, nreqs, fn, arg) != ODS_OK)
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    free(reqs);
    if (requested)
        *requested = asked;
    return rc != ODS_OK ? rc : nreqs > 0;
}

int enf_keypool_generate(enf_daemon_t *d, int pi, time_t period, enf_keypool_wait_fn fn, void *arg,
                         size_t *requested, ods_err_t *err)
{
    *requested = 0;
    if (!d->keygen)
        return ods_err_set(err, ODS_EHSM, "no HSM repository is configured in %s", d->conf_path);
    needs_t ns = { 0 };
    int rc = collect(d, pi, period, &ns, err);
    if (rc == ODS_OK)
        rc = ask_and_wait(d, &ns, fn, arg, requested, err);
    free(ns.v);
    return rc < 0 ? rc : ODS_OK;
}

typedef struct shared_probe {
    int found;
} shared_probe_t;

static int probe_shared(void *arg, const enf_hsmkey_t *k)
{
    ((shared_probe_t *)arg)->found = 1;
    return 1;
}

int enf_keypool_ensure(enf_daemon_t *d, int pi, int64_t zone_id, enf_keypool_wait_fn fn, void *arg,
                       ods_err_t *err)
{
    if (!d->keygen || d->conf->enforcer.manual_keygen)
        return 0;
    const enf_policy_rec_t *r = &d->policies->recs[pi];
    needs_t ns = { 0 };
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < r->pol.n_keys; i++) {
        const ods_policy_key_t *pk = &r->pol.keys[i];
        enf_keyspec_t spec;
        spec_of(pk, &spec);
        shared_probe_t probe = { 0 };
        if (r->pol.share_keys)
            rc = enf_store_hsmkey_shared(d->store, r->id, pk->role, pk->repository, pk->algorithm,
                                         pk->bits, zone_id, probe_shared, &probe, err);
        if (rc >= 0 && !probe.found)
            rc = needs_add(&ns, &spec, 1, r->pol.name);
        else if (rc > 0)
            rc = ODS_OK;
    }
    if (rc == ODS_OK)
        rc = ask_and_wait(d, &ns, fn, arg, NULL, err);
    free(ns.v);
    return rc;
}
