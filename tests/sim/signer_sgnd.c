/*
 * signer_sgnd.c -- the simulated signer in the signerd model (world.h): one
 * signing run as signerd/sgn_run.c does it, on a zone kept in memory.
 *
 * A run: the signer configuration's keys (every key of the zone, in its
 * order, with the flags enf_key_flags gives, as of the last time the engine
 * asked for the signconf to be written; a flag that changed since fails the
 * world); the input re-read now and then
 * (signatures of unchanged RRsets adopted, one data RRset changed); the
 * DNSKEY RRset from the <Publish/> keys, and the denial and NSEC3PARAM
 * RRsets rebuilt when their TTL changed (a rebuilt or re-read RRset that
 * differs is new: no signatures, flagged changed until it is signed);
 * then, if there is work (signconf changed, input re-read, nothing published
 * yet, or some RRset other than the SOA needs a signature dropped or made),
 * the SOA gets a new serial (changed), every RRset is signed (sgnd.h), the
 * changed flags are cleared (ods_zone_clear_changed) and the zone is checked
 * as sgn_check_zone does: a DNSKEY RRset exists, and for
 * every algorithm of a published key every RRset carries a signature of that
 * algorithm whose key tag is a published key's, and every signature is
 * inside its validity window. Only then is it published; otherwise the
 * previous version stays, the signatures made stay in memory, and the run is
 * retried after 60 s, doubling, at most Resign (signerd's daemon).
 * A refusal that lasts longer than PropagationDelay fails the world: the
 * engine counts on its decisions being served by then.
 * Switches model the proposed fixes of signerd's known defects (world.h:
 * max_keys, unsigned_ok, retry_refused).
 */
#include "sgnd.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static time_t resign_of(const enf_policy_t *p)
{
    return p->sig_resign > 0 ? p->sig_resign : 7200;
}

static time_t negative_ttl(const enf_policy_t *p)
{
    return p->zone_soa_ttl < p->zone_soa_minimum ? p->zone_soa_ttl : p->zone_soa_minimum;
}

/* Each simulated RRset stands for a DNS type; rr[0] is the SOA. */
static int type_of(const sim_world_t *w, const sim_rrset_t *rr, size_t r)
{
    switch (rr->kind) {
    case SIM_RR_DENIAL:
        return w->pol.nsec3 ? SIM_T_NSEC3 : SIM_T_NSEC;
    case SIM_RR_N3PARAM:
        return SIM_T_NSEC3PARAM;
    case SIM_RR_DNSKEY:
        return SIM_T_DNSKEY;
    default:
        return r == 0 ? SIM_T_SOA : SIM_T_A;
    }
}

void sim_sgnd_init(sim_world_t *w)
{
    sim_sgnd_t *s = &w->sgnd;
    for (size_t r = 0; r < w->nrr; r++) {
        w->rr[r].type = type_of(w, &w->rr[r], r);
        w->rr[r].changed = 1;
    }
    memset(&s->dnskey, 0, sizeof(s->dnskey));
    s->dnskey.kind = SIM_RR_DNSKEY;
    s->dnskey.type = SIM_T_DNSKEY;
    s->dnskey.changed = 1;
    sim_set_clear(&s->dnskey_keys);
    s->dnskey_ttl = w->pol.keys_ttl;
    s->denial_ttl = negative_ttl(&w->pol);
    s->n3p_ttl = w->pol.nsec3param_ttl;
    int asis = w->signer_model == SIM_SIGNER_SIGNERD_ASIS;
    s->max_keys = asis ? SIM_SGND_MAX_KEYS : 0;
    s->unsigned_ok = !asis;
    s->retry_refused = !asis;
    w->resign_next = w->now; /* no signer configuration yet: the first run waits for it */
}

/* The signer configuration's keys as last written: signerd reads the file,
 * not the enforcer's database. */
struct sim_sgnd_conf {
    size_t n;
    sim_sgnd_key_t *keys;
    char (*locators)[ENF_LOCATOR_MAX];
};

static void conf_free(struct sim_sgnd_conf *c)
{
    if (!c)
        return;
    free(c->keys);
    free(c->locators);
    free(c);
}

void sim_sgnd_free(sim_world_t *w)
{
    conf_free(w->sgnd.conf);
    w->sgnd.conf = NULL;
}

static void key_of(const enf_key_t *k, sim_sgnd_key_t *out)
{
    enf_flags_t f;
    enf_key_flags(k, &f);
    uint16_t flags = (k->role & ENF_ROLE_KSK) ? 257 : 256;
    *out = (sim_sgnd_key_t){ k->id,        k->locator, flags, k->keytag,
                             k->algorithm, f.publish,  f.ksk, f.zsk };
}

/* The engine writes the signconf: every key of the zone, in its order. */
static struct sim_sgnd_conf *conf_write(sim_world_t *w)
{
    size_t n = w->zone->nkeys;
    struct sim_sgnd_conf *c = calloc(1, sizeof(*c));
    if (c) {
        c->keys = calloc(n + 1, sizeof(*c->keys));
        c->locators = calloc(n + 1, sizeof(*c->locators));
    }
    if (!c || !c->keys || !c->locators) {
        conf_free(c);
        sim_world_fail(w, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        key_of(&w->zone->keys[i], &c->keys[i]);
        snprintf(c->locators[i], ENF_LOCATOR_MAX, "%s", w->zone->keys[i].locator);
        c->keys[i].locator = c->locators[i];
    }
    c->n = n;
    return c;
}

/* Did the engine change a key's flags without asking for a new signconf? A
 * key purged from the zone must have had none. */
static void check_conf(sim_world_t *w, const struct sim_sgnd_conf *c)
{
    size_t seen = 0;
    for (size_t i = 0; i < c->n && !w->failed; i++) {
        const sim_sgnd_key_t *old = &c->keys[i];
        const enf_key_t *k = enf_zone_find_key(w->zone, old->id);
        sim_sgnd_key_t now = { 0 };
        if (k) {
            key_of(k, &now);
            seen++;
        }
        if (now.publish != old->publish || now.ksk != old->ksk || now.zsk != old->zsk)
            sim_world_fail(w,
                           "at %lld key %lld has flags publish %d ksk %d zsk %d, the signconf "
                           "still %d %d %d: the engine did not ask for a new signconf",
                           (long long)w->now, (long long)old->id, now.publish, now.ksk, now.zsk,
                           old->publish, old->ksk, old->zsk);
    }
    if (!w->failed && seen != w->zone->nkeys)
        sim_world_fail(w,
                       "at %lld the zone has keys the signconf lacks: the engine did not ask "
                       "for a new signconf",
                       (long long)w->now);
}

static void ctx_init(const sim_world_t *w, sim_sgnd_ctx_t *c, const sim_sgnd_key_t *keys, size_t n)
{
    const enf_policy_t *p = &w->pol;
    *c = (sim_sgnd_ctx_t){ w->now,
                           p->sig_refresh,
                           p->sig_jitter,
                           SIM_INCEPTION_OFFSET,
                           p->sig_validity_default,
                           p->sig_validity_denial,
                           p->sig_validity_keyset,
                           keys,
                           n,
                           w->sgnd.max_keys };
}

/* A rebuilt RRset: new (no signatures) if it differs from the one in memory;
 * after a re-read, one that does not differ adopts its signatures. */
static void rebuilt(sim_rrset_t *rr, int differs, int fresh)
{
    if (differs) {
        rr->changed = 1;
        rr->nsig = 0;
    } else if (fresh) {
        rr->changed = 0;
    }
}

static void read_input(sim_world_t *w, int fresh)
{
    if (!fresh)
        return;
    size_t ndata = 0, pick;
    for (size_t r = 1; r < w->nrr; r++) {
        if (w->rr[r].kind != SIM_RR_DATA)
            continue;
        w->rr[r].changed = 0;
        ndata++;
    }
    pick = 1 + (size_t)sim_rng_below(&w->rng, (int64_t)ndata);
    rebuilt(&w->rr[pick], 1, 1);
    w->sgnd.rereads++;
}

/* DNSKEY, denial and NSEC3PARAM RRsets from the configuration (run_apex, run_denial). */
static void build_apex(sim_world_t *w, const sim_sgnd_key_t *keys, size_t n, int fresh)
{
    sim_sgnd_t *s = &w->sgnd;
    sim_set_t pub;
    sim_set_clear(&pub);
    for (size_t i = 0; i < n; i++)
        if (keys[i].publish && sim_set_add(&pub, keys[i].id) < 0)
            sim_world_fail(w, "too many keys in the DNSKEY RRset");
    rebuilt(&s->dnskey, !sim_set_equal(&pub, &s->dnskey_keys) || s->dnskey_ttl != w->pol.keys_ttl,
            fresh);
    s->dnskey_keys = pub;
    s->dnskey_ttl = w->pol.keys_ttl;
    int denial = negative_ttl(&w->pol) != s->denial_ttl;
    int n3p = w->pol.nsec3param_ttl != s->n3p_ttl;
    for (size_t r = 0; r < w->nrr; r++) {
        if (w->rr[r].kind == SIM_RR_DENIAL)
            rebuilt(&w->rr[r], denial, fresh);
        else if (w->rr[r].kind == SIM_RR_N3PARAM)
            rebuilt(&w->rr[r], n3p, fresh);
    }
    s->denial_ttl = negative_ttl(&w->pol);
    s->n3p_ttl = w->pol.nsec3param_ttl;
}

static int same_sig(const sim_sig_t *a, const sim_sig_t *b)
{
    return a->key == b->key && a->keytag == b->keytag && a->algorithm == b->algorithm &&
           a->inception == b->inception && a->expire == b->expire;
}

static int has_sig(const sim_rrset_t *rr, const sim_sig_t *s)
{
    for (int i = 0; i < rr->nsig; i++)
        if (same_sig(&rr->sig[i], s))
            return 1;
    return 0;
}

/* The keys of the signatures in rr that were not in before. */
static void new_keys(const sim_rrset_t *before, const sim_rrset_t *rr, sim_set_t *out)
{
    sim_set_clear(out);
    for (int i = 0; i < rr->nsig; i++)
        if (!has_sig(before, &rr->sig[i]))
            sim_set_add(out, rr->sig[i].key);
}

/* Same signatures kept, same keys signing anew, new ones as the rule says? */
static int compare(sim_world_t *w, const sim_sgnd_ctx_t *c, const sim_rrset_t *before,
                   const sim_rrset_t *real, const sim_rrset_t *model)
{
    char a[256], b[256];
    sim_set_t nr, nm;
    for (int i = 0; i < before->nsig; i++)
        if (has_sig(real, &before->sig[i]) != has_sig(model, &before->sig[i])) {
            sim_world_fail(w,
                           "type %d: %s %s the signature of key %lld (expiring %lld), the "
                           "model does not",
                           real->type, w->sgnd.ops->name,
                           has_sig(real, &before->sig[i]) ? "keeps" : "drops",
                           (long long)before->sig[i].key, (long long)before->sig[i].expire);
            return 0;
        }
    new_keys(before, real, &nr);
    new_keys(before, model, &nm);
    if (!sim_set_equal(&nr, &nm) || real->nsig != model->nsig) {
        sim_world_fail(w, "type %d: %s signs with %s, the model with %s", real->type,
                       w->sgnd.ops->name, sim_set_str(&nr, a, sizeof(a)),
                       sim_set_str(&nm, b, sizeof(b)));
        return 0;
    }
    time_t v = sim_sgnd_validity(c, real->type);
    for (int i = 0; i < real->nsig; i++) {
        const sim_sig_t *s = &real->sig[i];
        if (has_sig(before, s))
            continue;
        if (s->inception != c->now - c->inception_offset || s->expire < c->now + v - c->jitter ||
            s->expire > c->now + v + c->jitter) {
            sim_world_fail(w, "type %d: %s made a signature valid %lld..%lld at %lld", real->type,
                           w->sgnd.ops->name, (long long)s->inception, (long long)s->expire,
                           (long long)c->now);
            return 0;
        }
    }
    return 1;
}

static int needs_work(sim_world_t *w, const sim_sgnd_ctx_t *c, const sim_rrset_t *rr)
{
    int model = sim_sgnd_needs_work(&w->rng, c, rr);
    const sim_sgnd_ops_t *ops = w->sgnd.ops;
    if (!ops)
        return model;
    int real = ops->needs_work(ops->impl, c, rr);
    if (real != model)
        sim_world_fail(w, "type %d: %s says %s, the model says %s", rr->type, ops->name,
                       real ? "work" : "no work", model ? "work" : "no work");
    return real;
}

static void sign(sim_world_t *w, const sim_sgnd_ctx_t *c, sim_rrset_t *rr)
{
    const sim_sgnd_ops_t *ops = w->sgnd.ops;
    sim_rrset_t before = *rr, model = *rr;
    char why[256] = "";
    if ((ops ? ops->sign(ops->impl, c, rr, why, sizeof(why))
             : sim_sgnd_sign(&w->rng, c, rr, why, sizeof(why))) != 0) {
        sim_world_fail(w, "signing type %d: %s", rr->type, why);
        return;
    }
    if (ops && (sim_sgnd_sign(&w->rng, c, &model, why, sizeof(why)) != 0 ||
                !compare(w, c, &before, rr, &model)))
        sim_world_fail(w, "signing type %d: the model failed: %s", rr->type, why);
    sim_set_t fresh;
    new_keys(&before, rr, &fresh);
    w->sgnd.sigs_new += fresh.n;
}

/* The published keys' key tags and algorithms (the DNSKEY RRset sgn_check_zone reads). */
typedef struct published {
    int n;
    uint16_t tag[SIM_SET_MAX];
    int alg[SIM_SET_MAX];
} published_t;

static int is_published(const published_t *p, const sim_sig_t *s)
{
    for (int k = 0; k < p->n; k++)
        if (p->tag[k] == s->keytag && p->alg[k] == s->algorithm)
            return 1;
    return 0;
}

/* A problem sgn_check_zone would report, or 0 if it passes. */
static int check_rrset(const sim_sgnd_ctx_t *c, const sim_rrset_t *rr, const published_t *pub,
                       const int *algs, int nalg, char *why, size_t len)
{
    for (int i = 0; i < rr->nsig; i++) {
        const sim_sig_t *s = &rr->sig[i];
        if ((int32_t)((uint32_t)s->inception - (uint32_t)c->now) > 0 ||
            (int32_t)((uint32_t)s->expire - (uint32_t)c->now) < 0) {
            snprintf(why, len, "type %d: signature by key %u is not valid now", rr->type,
                     s->keytag);
            return 1;
        }
    }
    for (int a = 0; a < nalg; a++) {
        int covered = 0;
        for (int i = 0; i < rr->nsig && !covered; i++)
            covered = rr->sig[i].algorithm == algs[a] && is_published(pub, &rr->sig[i]);
        if (!covered) {
            snprintf(why, len, "type %d: no signature of algorithm %d by a published key", rr->type,
                     algs[a]);
            return 1;
        }
    }
    return 0;
}

static int check_zone(const sim_world_t *w, const sim_sgnd_ctx_t *c, char *why, size_t len)
{
    int algs[SIM_SET_MAX], nalg = 0;
    published_t pub = { 0, { 0 }, { 0 } };
    for (size_t k = 0; k < c->nkeys && pub.n < SIM_SET_MAX; k++) {
        if (!c->keys[k].publish)
            continue;
        int seen = 0;
        for (int a = 0; a < nalg; a++)
            seen |= algs[a] == c->keys[k].algorithm;
        if (!seen)
            algs[nalg++] = c->keys[k].algorithm;
        pub.tag[pub.n] = c->keys[k].keytag;
        pub.alg[pub.n++] = c->keys[k].algorithm;
    }
    if (w->sgnd.dnskey_keys.n == 0) {
        snprintf(why, len, "the zone has no DNSKEY RRset: no key is published");
        return 1;
    }
    for (size_t r = 0; r < w->nrr; r++)
        if (check_rrset(c, &w->rr[r], &pub, algs, nalg, why, len))
            return 1;
    return check_rrset(c, &w->sgnd.dnskey, &pub, algs, nalg, why, len);
}

/* needs_work of every RRset (work[SIM_RRSETS] for the DNSKEY RRset); 1 if
 * any but the SOA has work (zone_has_work: the SOA gets a new serial anyway). */
static int zone_has_work(sim_world_t *w, const sim_sgnd_ctx_t *c, int *work)
{
    int any = 0;
    work[SIM_RRSETS] = needs_work(w, c, &w->sgnd.dnskey);
    any |= work[SIM_RRSETS];
    for (size_t r = 0; r < w->nrr; r++) {
        work[r] = needs_work(w, c, &w->rr[r]);
        any |= r > 0 && work[r];
    }
    return any;
}

static void publish(sim_world_t *w)
{
    sim_sgnd_t *s = &w->sgnd;
    sim_set_t signers;
    sim_set_clear(&signers);
    for (int i = 0; i < s->dnskey.nsig; i++)
        sim_set_add(&signers, s->dnskey.sig[i].key);
    sim_signer_publish_dnskey(w, &s->dnskey_keys, &signers, s->dnskey_ttl);
    for (size_t r = 0; r < w->nrr; r++)
        sim_signer_publish_rrset(w, r, &w->rr[r]);
    s->have_outbound = 1;
    s->published++;
    s->pending = 0;
    if (s->refusing_since && w->now - s->refusing_since > s->longest_refusal)
        s->longest_refusal = w->now - s->refusing_since;
    s->refusing_since = 0;
}

/* signerd's daemon: retry after 60 s, doubling, at most Resign. */
static time_t retry_delay(const sim_world_t *w)
{
    time_t delay = 60;
    for (int i = 1; i < w->sgnd.failures && delay < 86400; i++)
        delay *= 2;
    return delay < resign_of(&w->pol) ? delay : resign_of(&w->pol);
}

static void refuse(sim_world_t *w, const char *why)
{
    sim_sgnd_t *s = &w->sgnd;
    s->failures++;
    s->refused++;
    if (!s->refusing_since)
        s->refusing_since = w->now;
    s->pending = s->retry_refused;
    snprintf(s->last_refusal, sizeof(s->last_refusal), "%s", why);
    if (w->verbose)
        printf("# %lld: signerd refuses to publish: %s\n", (long long)w->now, why);
    w->resign_next = w->now + retry_delay(w);
}

/* The proposed fix for a zone without keys: publish it without DNSSEC. */
static int publish_unsigned(sim_world_t *w, const sim_sgnd_key_t *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (keys[i].publish)
            return 0;
    sim_set_t none;
    sim_set_clear(&none);
    w->sgnd.dnskey.nsig = 0;
    for (size_t r = 0; r < w->nrr; r++)
        w->rr[r].nsig = 0;
    sim_set_clear(&w->sgnd.dnskey_keys);
    sim_signer_publish_dnskey(w, &none, &none, negative_ttl(&w->pol));
    for (size_t r = 0; r < w->nrr; r++)
        sim_signer_publish_rrset(w, r, &w->rr[r]);
    w->sgnd.have_outbound = 1;
    w->sgnd.published++;
    w->sgnd.pending = 0;
    w->sgnd.failures = 0;
    w->sgnd.refusing_since = 0;
    w->resign_next = w->now + resign_of(&w->pol);
    return 1;
}

static void run(sim_world_t *w, const sim_sgnd_key_t *keys, size_t n)
{
    sim_sgnd_t *s = &w->sgnd;
    sim_sgnd_ctx_t c;
    if (s->unsigned_ok && publish_unsigned(w, keys, n))
        return;
    int fresh = s->have_outbound && sim_rng_pct(&w->rng, s->reread_pct);
    ctx_init(w, &c, keys, n);
    read_input(w, fresh);
    build_apex(w, keys, n, fresh);
    int rrwork[SIM_RRSETS + 1];
    int work =
        zone_has_work(w, &c, rrwork) || fresh || w->signer_asap || !s->have_outbound || s->pending;
    w->resign_next = w->now + resign_of(&w->pol);
    if (!work || w->failed) {
        s->failures = 0;
        return;
    }
    w->rr[0].changed = 1; /* a new serial */
    rrwork[0] = 1;
    for (size_t r = 0; r < w->nrr && !w->failed; r++)
        if (rrwork[r])
            sign(w, &c, &w->rr[r]);
    if (!w->failed && rrwork[SIM_RRSETS])
        sign(w, &c, &s->dnskey);
    for (size_t r = 0; r < w->nrr; r++) /* ods_zone_clear_changed: signed for their data now */
        w->rr[r].changed = 0;
    s->dnskey.changed = 0;
    char why[256];
    if (w->failed)
        return;
    if (check_zone(w, &c, why, sizeof(why))) {
        refuse(w, why);
        return;
    }
    s->failures = 0;
    publish(w);
}

/* The enforcer counts on its decisions being served within PropagationDelay
 * (the engine's "signer timing" contract). */
static void check_late(sim_world_t *w)
{
    const sim_sgnd_t *s = &w->sgnd;
    if (s->refusing_since && w->now - s->refusing_since > w->pol.zone_propagation_delay)
        sim_world_fail(w,
                       "at %lld signerd has not published the zone since %lld (longer than "
                       "PropagationDelay %lld): it refused with: %s",
                       (long long)w->now, (long long)s->refusing_since,
                       (long long)w->pol.zone_propagation_delay, s->last_refusal);
}

void sim_sgnd_run(sim_world_t *w)
{
    sim_sgnd_t *s = &w->sgnd;
    if (w->signer_asap || !s->conf) {
        struct sim_sgnd_conf *c = conf_write(w);
        if (!c)
            return;
        conf_free(s->conf);
        s->conf = c;
    }
    check_conf(w, s->conf);
    s->runs++;
    run(w, s->conf->keys, s->conf->n);
    check_late(w);
}
