/*
 * sgn_run.c -- one signing run (see sgn_zone.h). The steps, in order:
 * signer configuration and keys, input, apex records, denial chain,
 * adoption of the previous signatures, serial, signing, check, publication.
 */
#include "sgn_zone.h"
#include "sgn_apex.h"
#include "sgn_check.h"
#include "sgn_hash.h"
#include "sgn_output.h"
#include "sgn_rrsign.h"
#include "sgn_serial.h"
#include "sgn_state.h"
#include "conf/params.h"
#include "dns/denial.h"
#include "util/clock.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/log.h"

static void file_id(const struct stat *sb, sgn_file_id_t *id)
{
    id->dev = sb->st_dev;
    id->ino = sb->st_ino;
    id->size = sb->st_size;
    id->mtime = sb->st_mtim;
}

static bool file_id_eq(const sgn_file_id_t *a, const sgn_file_id_t *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* (Re)load the signer configuration and its keys when the file changed. */
static int run_signconf(sgn_zone_t *zs, ods_hsm_ctx_t *ctx, bool *changed, ods_err_t *err)
{
    struct stat sb;
    sgn_file_id_t id;
    if (stat(zs->signconf_path, &sb) != 0)
        return ods_err_set(err, ODS_ESTATE,
                           "waiting for its signer configuration %s (the enforcer writes it "
                           "once the zone has keys)",
                           zs->signconf_path);
    file_id(&sb, &id);
    *changed = zs->sc == NULL || !file_id_eq(&id, &zs->sc_id);
    if (!*changed)
        return ODS_OK;
    ods_signconf_t *sc;
    int rc = ods_signconf_load(zs->signconf_path, &sc, err);
    if (rc != ODS_OK)
        return rc;
    sgn_keyset_t *ks = NULL;
    if (!sc->passthrough && (rc = sgn_keyset_load(sc, ctx, &ks, err)) != ODS_OK) {
        ods_signconf_free(sc);
        return rc;
    }
    ods_signconf_free(zs->sc);
    sgn_keyset_free(zs->keys);
    zs->sc = sc;
    zs->keys = ks;
    zs->sc_id = id;
    return ODS_OK;
}

static void run_warn(void *arg, const char *msg)
{
    ods_log_warning("zone %s: %s", (const char *)arg, msg);
}

/* Read the input when it changed (or when asked to). *fresh: a new zone. */
static int run_input(sgn_zone_t *zs, const sgn_run_opts_t *o, ods_zone_t **fresh,
                     sgn_file_id_t *idp, ods_err_t *err)
{
    struct stat sb;
    sgn_file_id_t id;
    *fresh = NULL;
    if (stat(zs->input_path, &sb) != 0)
        return ods_err_set(err, ODS_ENOTFOUND, "cannot read the input zone %s: %s", zs->input_path,
                           strerror(errno));
    file_id(&sb, &id);
    if (zs->zone != NULL && !o->force_read && file_id_eq(&id, &zs->input_id))
        return ODS_OK;
    ods_zone_t *z = ods_zone_new(zs->apex);
    if (z == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = ods_zone_load(z, zs->input_path, run_warn, zs->name, err);
    if (rc == ODS_OK && (rc = sgn_apex_serial(z, &zs->inbound_serial)) != ODS_OK)
        ods_err_set(err, rc, "%s: the SOA record is malformed", zs->input_path);
    if (rc != ODS_OK) {
        ods_zone_free(z);
        return rc;
    }
    *idp = id; /* committed once the new zone has replaced the old one */
    *fresh = z;
    return ODS_OK;
}

/* The denial parameters as bytes, to notice when they change. */
static size_t denial_key(const ods_signconf_t *sc, uint8_t *out)
{
    size_t n = 0;
    out[n++] = (uint8_t)sc->denial;
    out[n++] = (uint8_t)sc->nsec3_optout;
    out[n++] = sc->nsec3_algorithm;
    out[n++] = (uint8_t)(sc->nsec3_iterations >> 8);
    out[n++] = (uint8_t)sc->nsec3_iterations;
    uint32_t ttl = (uint32_t)(sc->soa_ttl < sc->soa_minimum ? sc->soa_ttl : sc->soa_minimum);
    memcpy(out + n, &ttl, 4);
    n += 4;
    out[n++] = (uint8_t)sc->nsec3_salt_len;
    memcpy(out + n, sc->nsec3_salt, sc->nsec3_salt_len);
    return n + sc->nsec3_salt_len;
}

static int run_nsec3(sgn_zone_t *zs, ods_zone_t *z, bool same_params, sgn_pool_t *pool,
                     uint32_t ttl, ods_err_t *err)
{
    const ods_signconf_t *sc = zs->sc;
    ods_nsec3_params_t p = { sc->nsec3_algorithm, 0, sc->nsec3_iterations,
                             (uint8_t)sc->nsec3_salt_len, sc->nsec3_salt };
    uint8_t(*hashes)[20] = NULL;
    size_t reused = 0;
    const ods_zone_t *old = same_params && zs->zone != z ? zs->zone : NULL;
    /* the usual re-read changes RDATA, not names or types: the same chain */
    int rc = old != NULL ? ods_denial_nsec3_carry(z, old, err) : ODS_ENOTFOUND;
    if (rc != ODS_ENOTFOUND)
        return rc;
    rc = sgn_nsec3_hashes(z, old, &p, pool, &hashes, &reused, err);
    if (rc == ODS_OK)
        rc = ods_denial_nsec3(z, &p, sc->nsec3_optout, ttl, (const uint8_t(*)[20])hashes, err);
    free(hashes);
    return rc;
}

static int run_denial(sgn_zone_t *zs, ods_zone_t *z, bool fresh, sgn_pool_t *pool, sgn_stats_t *st,
                      ods_err_t *err)
{
    const ods_signconf_t *sc = zs->sc;
    uint8_t key[sizeof(zs->denial_key)];
    size_t klen = denial_key(sc, key);
    st->nsec3 = sc->denial == ODS_DENIAL_NSEC3;
    bool same = klen == zs->denial_key_len && memcmp(key, zs->denial_key, klen) == 0;
    if (!fresh && same)
        return ODS_OK;
    double t0 = ods_clock_monotonic();
    uint32_t ttl = (uint32_t)(sc->soa_ttl < sc->soa_minimum ? sc->soa_ttl : sc->soa_minimum);
    int rc;
    if (st->nsec3) {
        rc = run_nsec3(zs, z, same, pool, ttl, err);
    } else {
        rc = ods_denial_nsec(z, ttl, err);
    }
    if (rc == ODS_OK) {
        memcpy(zs->denial_key, key, klen);
        zs->denial_key_len = klen;
    }
    st->t_denial = ods_clock_monotonic() - t0;
    return rc;
}

/* DNSKEY and NSEC3PARAM at the apex (SOA comes later, with the serial). */
static int run_apex(sgn_zone_t *zs, ods_zone_t *z, bool fresh, ods_err_t *err)
{
    if (fresh) {
        ods_rrset_t *in = ods_zname_rrset(ods_zone_apex_name(z), LDNS_RR_TYPE_DNSKEY);
        zs->have_input_dnskeys = in != NULL;
        if (in != NULL)
            zs->input_dnskeys = *in;
    }
    int rc = sgn_apex_set_dnskeys(z, zs->keys, zs->have_input_dnskeys ? &zs->input_dnskeys : NULL,
                                  (uint32_t)zs->sc->keys_ttl, err);
    return rc == ODS_OK ? sgn_apex_set_nsec3param(z, zs->sc, err) : rc;
}

/* Take the signatures of the previous zone (or of the output read back);
 * none when the zone goes out unsigned. */
static int run_adopt(sgn_zone_t *zs, ods_zone_t *z, bool plain, ods_err_t *err)
{
    ods_zone_t *old = zs->zone != NULL ? zs->zone : zs->recovered;
    size_t adopted = 0;
    if (!plain && old != NULL && ods_zone_adopt_signatures(z, old, &adopted) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    ods_zone_free(zs->zone);
    ods_zone_free(zs->recovered);
    zs->recovered = NULL;
    zs->zone = z;
    return ODS_OK;
}

/* Publish the zone as read, without DNSSEC? With Passthrough, and when the
 * signer configuration publishes no key: the enforcer has taken the zone
 * insecure (it withdraws the last DNSKEY only once no cache can hold a DS). */
static bool run_plain(const sgn_zone_t *zs)
{
    if (zs->sc->passthrough || zs->keys == NULL)
        return true;
    for (size_t i = 0; i < zs->keys->n; i++)
        if (zs->keys->keys[i].publish)
            return false;
    return true;
}

typedef struct run_item {
    const uint8_t *owner; /* NULL: an NSEC3 record, owner from hash */
    const uint8_t *hash;
    ods_rrset_t *rrset;
} run_item_t;

typedef struct run_job {
    sgn_sigctx_t c;
    run_item_t *items;
    size_t n;
    unsigned nnew[256], nreused[256]; /* per signing thread */
} run_job_t;

static bool should_sign(const ods_zname_t *n, uint16_t type)
{
    if (n->flags & ODS_ZNAME_OCCLUDED)
        return false;
    if (n->flags & ODS_ZNAME_DELEG)
        return type == LDNS_RR_TYPE_DS || type == LDNS_RR_TYPE_NSEC;
    return true;
}

/* Collect the RRsets with work to do; strip signatures from what must have none. */
static int collect(ods_zone_t *z, const sgn_sigctx_t *c, run_item_t **out, size_t *nout,
                   size_t *reused)
{
    size_t cap = 1024, n = 0;
    run_item_t *items = malloc(cap * sizeof(*items));
    if (items == NULL)
        return ODS_ENOMEM;
    size_t nn = ods_zone_count(z), n3 = ods_zone_nsec3_count(z);
    for (size_t i = 0; i < nn + n3; i++) {
        ods_zname_t *nm = i < nn ? ods_zone_name(z, i) : NULL;
        ods_znsec3_t *r = i < nn ? NULL : ods_zone_nsec3(z, i - nn);
        uint16_t count = nm ? nm->nrrsets : 1;
        for (uint16_t k = 0; k < count; k++) {
            ods_rrset_t *s = nm ? &nm->rrsets[k] : &r->rrset;
            if (nm && !should_sign(nm, s->type)) {
                ods_rrset_set_sigs(s, NULL, 0);
                continue;
            }
            if (!sgn_rrset_needs_work(c, s)) {
                *reused += s->nsigs;
                continue;
            }
            if (n == cap) {
                run_item_t *g = realloc(items, 2 * cap * sizeof(*items));
                if (g == NULL) {
                    free(items);
                    return ODS_ENOMEM;
                }
                items = g;
                cap *= 2;
            }
            items[n++] = (run_item_t){ nm ? nm->owner : NULL, nm ? NULL : r->hash, s };
        }
    }
    *out = items;
    *nout = n;
    return ODS_OK;
}

static int sign_item(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err)
{
    run_job_t *j = arg;
    run_item_t *it = &j->items[i];
    uint8_t owner[ODS_NAME_MAX_LEN];
    size_t olen;
    const uint8_t *o = it->owner;
    if (o == NULL) {
        if (ods_nsec3_owner(it->hash, 20, j->c.apex, owner, &olen) != ODS_OK)
            return ods_err_set(err, ODS_EINVAL, "bad NSEC3 owner");
        o = owner;
    }
    unsigned idx = (unsigned)t->index & 255;
    return sgn_rrset_sign(t, &j->c, o, it->rrset, &j->nnew[idx], &j->nreused[idx], err);
}

static void sigctx_init(sgn_sigctx_t *c, const sgn_zone_t *zs, time_t now)
{
    const ods_signconf_t *sc = zs->sc;
    c->apex = zs->apex;
    c->keys = zs->keys;
    c->now = (uint32_t)now;
    c->refresh = (uint32_t)sc->refresh;
    c->inception_offset = (uint32_t)sc->inception_offset;
    c->jitter = (uint32_t)sc->jitter;
    c->val_default = (uint32_t)sc->validity_default;
    c->val_denial = (uint32_t)sc->validity_denial;
    c->val_keyset = (uint32_t)sc->validity_keyset;
}

static int run_sign(sgn_zone_t *zs, sgn_pool_t *pool, time_t now, sgn_stats_t *st, ods_err_t *err)
{
    double t0 = ods_clock_monotonic();
    run_job_t *j = calloc(1, sizeof(*j));
    size_t reused = 0;
    if (j == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    sigctx_init(&j->c, zs, now);
    int rc = collect(zs->zone, &j->c, &j->items, &j->n, &reused);
    if (rc != ODS_OK) {
        free(j);
        return ods_err_set(err, rc, "out of memory");
    }
    ods_arena_t **arenas = NULL;
    size_t narenas = 0;
    /* reserve first: once signatures point into the arenas, adopting them must not fail */
    if (ods_zone_reserve_arenas(zs->zone, (size_t)sgn_pool_size(pool)) != ODS_OK)
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK)
        rc = sgn_pool_run(pool, j->n, sign_item, j, &arenas, &narenas, err);
    for (size_t i = 0; i < narenas; i++)
        if (arenas[i] != NULL)
            ods_zone_adopt_arena(zs->zone, arenas[i]);
    free(arenas);
    st->sig_reused = (unsigned)reused;
    for (int i = 0; i < 256; i++) {
        st->sig_new += j->nnew[i];
        st->sig_reused += j->nreused[i];
    }
    free(j->items);
    free(j);
    st->t_sign = ods_clock_monotonic() - t0;
    return rc;
}

/* Anything to sign or drop, besides the SOA? (A quiet re-sign publishes nothing.) */
static bool zone_has_work(const sgn_zone_t *zs, time_t now)
{
    sgn_sigctx_t c;
    sigctx_init(&c, zs, now);
    const ods_zone_t *z = zs->zone;
    size_t nn = ods_zone_count(z), n3 = ods_zone_nsec3_count(z);
    for (size_t i = 0; i < nn + n3; i++) {
        const ods_zname_t *nm = i < nn ? ods_zone_name(z, i) : NULL;
        uint16_t count = nm ? nm->nrrsets : 1;
        for (uint16_t k = 0; k < count; k++) {
            const ods_rrset_t *s = nm ? &nm->rrsets[k] : &ods_zone_nsec3(z, i - nn)->rrset;
            if (nm && (!should_sign(nm, s->type) || s->type == LDNS_RR_TYPE_SOA))
                continue;
            if (sgn_rrset_needs_work(&c, s))
                return true;
        }
    }
    return false;
}

static int run_serial(sgn_zone_t *zs, const sgn_run_opts_t *o, time_t now, uint32_t *serial,
                      ods_err_t *err)
{
    sgn_serial_in_t in = {
        .policy = zs->sc->serial,
        .inbound = zs->inbound_serial,
        .have_outbound = zs->have_outbound,
        .outbound = zs->outbound_serial,
        .now = now,
        .forced = o->forced_serial,
        .forced_serial = o->serial,
    };
    int rc = sgn_serial_next(&in, serial, err);
    if (rc != ODS_OK)
        return rc;
    return sgn_apex_set_soa(zs->zone, *serial, (uint32_t)zs->sc->soa_ttl,
                            (uint32_t)zs->sc->soa_minimum, err);
}

static int run_publish(sgn_zone_t *zs, const sgn_run_opts_t *o, sgn_pool_t *pool, uint32_t serial,
                       time_t now, sgn_stats_t *st, ods_err_t *err)
{
    double t0 = ods_clock_monotonic();
    int rc = sgn_output_write(zs->zone, zs->output_path, pool, &st->rrs, err);
    st->t_write = ods_clock_monotonic() - t0;
    if (rc != ODS_OK)
        return rc;
    zs->have_outbound = true;
    zs->outbound_serial = serial;
    zs->last_published = now;
    st->published = true;
    sgn_state_t state = { zs->inbound_serial, true, serial, now };
    ods_err_t e;
    if (sgn_state_save(zs->state_path, zs->name, &state, &e) != ODS_OK)
        ods_log_warning("zone %s: %s (a restart will re-sign more than needed)", zs->name, e.msg);
    int status;
    if (o->notify_cmd != NULL && o->notify_cmd[0] != '\0') {
        if (sgn_notify_run(o->notify_cmd, zs->name, zs->output_path, &status, &e) != ODS_OK)
            ods_log_error("zone %s: %s", zs->name, e.msg);
        else if (status != 0)
            ods_log_warning("zone %s: NotifyCommand exited with status %d", zs->name, status);
    }
    return ODS_OK;
}

static void count_zone(const ods_zone_t *z, sgn_stats_t *st)
{
    st->names = ods_zone_count(z);
    st->denial = ods_zone_nsec3_count(z);
    for (size_t i = 0; i < st->names; i++) {
        const ods_zname_t *n = ods_zone_name(z, i);
        st->rrsets += n->nrrsets;
        if (!st->nsec3 && ods_zname_rrset(n, LDNS_RR_TYPE_NSEC) != NULL)
            st->denial++;
    }
    st->memory = ods_zone_memory(z);
}

/* Everything from the signer configuration to the signed zone in memory. */
static int run_prepare(sgn_zone_t *zs, const sgn_run_opts_t *o, ods_hsm_ctx_t *ctx,
                       sgn_pool_t *pool, sgn_stats_t *st, bool *work, ods_err_t *err)
{
    bool sc_changed = false;
    int rc = run_signconf(zs, ctx, &sc_changed, err);
    if (rc != ODS_OK)
        return rc;
    double t0 = ods_clock_monotonic();
    ods_zone_t *fresh;
    sgn_file_id_t id;
    bool plain = run_plain(zs);
    sgn_run_opts_t in = *o;
    in.force_read |= zs->zone != NULL && plain != zs->plain; /* in or out of DNSSEC: re-read */
    rc = run_input(zs, &in, &fresh, &id, err);
    st->t_read = ods_clock_monotonic() - t0;
    st->reread = fresh != NULL;
    st->passthrough = plain;
    if (rc != ODS_OK)
        return rc;
    ods_zone_t *z = fresh ? fresh : zs->zone;
    if (!plain) {
        rc = run_apex(zs, z, fresh != NULL, err);
        if (rc == ODS_OK)
            rc = run_denial(zs, z, fresh != NULL, pool, st, err);
    }
    if (rc != ODS_OK) {
        ods_zone_free(fresh);
        return rc;
    }
    if (fresh != NULL) {
        if ((rc = run_adopt(zs, fresh, plain, err)) != ODS_OK) {
            ods_zone_free(fresh);
            return rc;
        }
        zs->input_id = id;
        zs->plain = plain;
    }
    *work = fresh != NULL || sc_changed || o->force_read || o->forced_serial ||
            !zs->have_outbound || zs->unpublished || (!plain && zone_has_work(zs, ods_clock_now()));
    return ODS_OK;
}

int sgn_run(sgn_zone_t *zs, const sgn_run_opts_t *o, sgn_pool_t *pool, ods_hsm_ctx_t *ctx,
            sgn_stats_t *st, ods_err_t *err)
{
    double t0 = ods_clock_monotonic();
    memset(st, 0, sizeof(*st));
    bool work = false;
    int rc = run_prepare(zs, o, ctx, pool, st, &work, err);
    if (rc != ODS_OK || !work)
        return rc;
    time_t now = ods_clock_now();
    uint32_t serial;
    if ((rc = run_serial(zs, o, now, &serial, err)) != ODS_OK)
        return rc;
    st->serial = serial;
    if (!zs->plain) {
        if ((rc = run_sign(zs, pool, now, st, err)) != ODS_OK)
            return rc;
        ods_zone_clear_changed(zs->zone); /* their new signatures cover the new data */
        double t1 = ods_clock_monotonic();
        sgn_check_stats_t cs;
        rc = sgn_check_zone(zs->zone, (uint32_t)now, 1000, zs->keys, &cs, err);
        st->t_check = ods_clock_monotonic() - t1;
        zs->unpublished = rc != ODS_OK; /* its retries must publish it, work or not */
        if (rc != ODS_OK)
            return ods_err_prefix(err, "refusing to publish: ");
    }
    count_zone(zs->zone, st);
    rc = run_publish(zs, o, pool, serial, now, st, err);
    st->t_total = ods_clock_monotonic() - t0;
    return rc;
}

bool sgn_zone_signconf_changed(const sgn_zone_t *zs)
{
    struct stat sb;
    sgn_file_id_t id;
    if (stat(zs->signconf_path, &sb) != 0)
        return false;
    file_id(&sb, &id);
    return zs->sc == NULL || !file_id_eq(&id, &zs->sc_id);
}

time_t sgn_zone_next_resign(const sgn_zone_t *zs, time_t now)
{
    int64_t resign = zs->sc ? zs->sc->resign : 7200;
    return now + (time_t)(resign > 0 ? resign : 7200);
}

int sgn_zone_new(const char *name, const char *signconf, const char *input, const char *output,
                 const char *state_dir, sgn_zone_t **out, ods_err_t *err)
{
    sgn_zone_t *zs = calloc(1, sizeof(*zs));
    size_t len;
    if (zs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (ods_name_from_text(name, strlen(name), zs->apex, &len, err) != ODS_OK) {
        free(zs);
        return ods_err_prefix(err, "zone %s: ", name);
    }
    ods_name_to_lower(zs->apex, zs->apex);
    zs->name = strdup(name);
    zs->signconf_path = strdup(signconf);
    zs->input_path = strdup(input);
    zs->output_path = strdup(output);
    if (asprintf(&zs->state_path, "%s/%s.state", state_dir, name) < 0)
        zs->state_path = NULL;
    if (!zs->name || !zs->signconf_path || !zs->input_path || !zs->output_path || !zs->state_path) {
        sgn_zone_free(zs);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    *out = zs;
    return ODS_OK;
}

void sgn_zone_free(sgn_zone_t *zs)
{
    if (zs == NULL)
        return;
    ods_signconf_free(zs->sc);
    sgn_keyset_free(zs->keys);
    ods_zone_free(zs->zone);
    ods_zone_free(zs->recovered);
    free(zs->name);
    free(zs->signconf_path);
    free(zs->input_path);
    free(zs->output_path);
    free(zs->state_path);
    free(zs);
}

void sgn_zone_clear(sgn_zone_t *zs)
{
    ods_zone_free(zs->zone);
    ods_zone_free(zs->recovered);
    zs->zone = zs->recovered = NULL;
    zs->have_input_dnskeys = false;
    zs->denial_key_len = 0;
    memset(&zs->input_id, 0, sizeof(zs->input_id));
    unlink(zs->state_path);
}

int sgn_zone_restore(sgn_zone_t *zs, ods_err_t *err)
{
    sgn_state_t st;
    int rc = sgn_state_load(zs->state_path, &st, err);
    if (rc != ODS_OK)
        return rc;
    zs->inbound_serial = st.inbound;
    zs->have_outbound = st.have_outbound;
    zs->outbound_serial = st.outbound;
    zs->last_published = st.published;
    ods_zone_t *z = ods_zone_new(zs->apex);
    if (z == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    if ((rc = ods_zone_load_signed(z, zs->output_path, err)) != ODS_OK) {
        ods_zone_free(z);
        return rc;
    }
    zs->recovered = z;
    return ODS_OK;
}
