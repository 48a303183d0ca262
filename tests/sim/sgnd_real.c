/* sgnd_real.c -- signerd's own signing decisions in the simulation (see sgnd_real.h). */
#include "sgnd_real.h"

#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "sgn_keys.h"
#include "sgn_pool.h"
#include "sgn_rrsign.h"
#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPO "sim"

struct sim_sgnd_real {
    ods_hsm_t *hsm;
    ods_hsm_ctx_t *ctx;
    sgn_thread_t t;
    ods_signconf_t *sc; /* the configuration ks was loaded from */
    sgn_keyset_t *ks;
    sim_sgnd_key_t *loaded; /* the keys and flags of sc */
    size_t nloaded;
    sim_sgnd_ops_t ops;
    sim_sgnd_real_stats_t st;
};

/* The apex, a data name and an NSEC3 owner of example.com, in wire form. */
static const uint8_t apex[] = "\7example\3com";
static const uint8_t www[] = "\3www\7example\3com";
static const uint8_t hashed[] = "\040"
                                "0123456789abcdefghijklmnopqrstuv\7example\3com";

/* One RDATA of each type, as [u16 length][RDATA]. */
static const uint8_t rd_a[] = { 0, 4, 192, 0, 2, 1 };
static const uint8_t rd_soa[] = { 0,   54,  2,   'n', 's', 7,   'e', 'x', 'a', 'm', 'p', 'l',
                                  'e', 3,   'c', 'o', 'm', 0,   4,   'h', 'o', 's', 't', 7,
                                  'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,   'c', 'o', 'm', 0,
                                  0,   0,   0,   1,   0,   0,   14,  16,  0,   0,   7,   8,
                                  0,   9,   58,  128, 0,   0,   14,  16 };
static const uint8_t rd_nsec[] = { 0,   20,  3,   'w', 'w', 'w', 7,   'e', 'x', 'a', 'm',
                                   'p', 'l', 'e', 3,   'c', 'o', 'm', 0,   0,   1,   0x40 };
static const uint8_t rd_nsec3[] = { 0, 29, 1,  0,  0,  0,  0,  20, 1,  2,  3,  4,  5, 6, 7,   8,
                                    9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0, 1, 0x40 };
static const uint8_t rd_n3p[] = { 0, 5, 1, 0, 0, 0, 0 };
static const uint8_t rd_dnskey[] = { 0, 8, 1, 1, 3, 13, 0xde, 0xad, 0xbe, 0xef };

static const uint8_t *owner_of(int type)
{
    if (type == SIM_T_A)
        return www;
    return type == SIM_T_NSEC3 ? hashed : apex;
}

static void rdata_of(int type, const uint8_t **rd, uint32_t *len)
{
    switch (type) {
    case SIM_T_SOA:
        *rd = rd_soa, *len = sizeof(rd_soa);
        break;
    case SIM_T_NSEC:
        *rd = rd_nsec, *len = sizeof(rd_nsec);
        break;
    case SIM_T_NSEC3:
        *rd = rd_nsec3, *len = sizeof(rd_nsec3);
        break;
    case SIM_T_NSEC3PARAM:
        *rd = rd_n3p, *len = sizeof(rd_n3p);
        break;
    case SIM_T_DNSKEY:
        *rd = rd_dnskey, *len = sizeof(rd_dnskey);
        break;
    default:
        *rd = rd_a, *len = sizeof(rd_a);
        break;
    }
}

int sim_sgnd_real_keygen(void *ctx, int role, int algorithm, char *locator, size_t len,
                         uint16_t *keytag, char *why, size_t whylen)
{
    sim_sgnd_real_t *r = ctx;
    char loc[ODS_HSM_LOCATOR_LEN + 1];
    ods_hsm_key_t *key = NULL;
    ods_err_t err = { 0 };
    uint16_t flags = (role & ENF_ROLE_KSK) ? 257 : 256;
    int rc = ods_hsm_generate(r->ctx, REPO, algorithm, 1024, loc, &err);
    if (rc == ODS_OK)
        rc = ods_hsm_key_find(r->ctx, loc, &key, &err);
    if (rc == ODS_OK)
        rc = ods_hsm_keytag(r->ctx, key, algorithm, flags, keytag, &err);
    ods_hsm_key_free(key);
    if (rc != ODS_OK) {
        snprintf(why, whylen, "algorithm %d: %s", algorithm, err.msg);
        return -1;
    }
    snprintf(locator, len, "%s", loc);
    r->st.keys++;
    return 0;
}

static int same_keys(const sim_sgnd_real_t *r, const sim_sgnd_ctx_t *c)
{
    if (!r->ks || r->nloaded != c->nkeys)
        return 0;
    for (size_t i = 0; i < c->nkeys; i++) {
        const sim_sgnd_key_t *a = &r->loaded[i], *b = &c->keys[i];
        if (a->id != b->id || a->publish != b->publish || a->ksk != b->ksk || a->zsk != b->zsk)
            return 0;
    }
    return 1;
}

static void unload(sim_sgnd_real_t *r)
{
    sgn_keyset_free(r->ks);
    ods_signconf_free(r->sc);
    free(r->loaded);
    r->ks = NULL;
    r->sc = NULL;
    r->loaded = NULL;
    r->nloaded = 0;
}

/* The signer configuration of c's keys, loaded as signerd loads it. */
static int load(sim_sgnd_real_t *r, const sim_sgnd_ctx_t *c, char *why, size_t len)
{
    ods_err_t err = { 0 };
    if (same_keys(r, c))
        return 0;
    unload(r);
    r->sc = ods_signconf_new();
    r->loaded = calloc(c->nkeys + 1, sizeof(*r->loaded));
    int rc = r->sc && r->loaded && (r->sc->zone = strdup("example.com")) ? ODS_OK : ODS_ENOMEM;
    for (size_t i = 0; i < c->nkeys && rc == ODS_OK; i++) {
        const sim_sgnd_key_t *k = &c->keys[i];
        ods_signconf_key_t sk = { .flags = k->flags,
                                  .algorithm = (uint8_t)k->algorithm,
                                  .locator = (char *)k->locator,
                                  .ksk = k->ksk,
                                  .zsk = k->zsk,
                                  .publish = k->publish };
        rc = ods_signconf_add_key(r->sc, &sk);
        r->loaded[i] = *k;
        r->loaded[i].locator = NULL; /* the world's string, not ours to keep */
    }
    r->nloaded = c->nkeys;
    if (rc == ODS_OK)
        rc = sgn_keyset_load(r->sc, r->ctx, &r->ks, &err);
    if (rc != ODS_OK) {
        snprintf(why, len, "sgn_keyset_load: %s", rc == ODS_ENOMEM ? "out of memory" : err.msg);
        unload(r);
        return -1;
    }
    r->st.keyset_loads++;
    return 0;
}

static void sigctx_of(const sim_sgnd_real_t *r, const sim_sgnd_ctx_t *c, sgn_sigctx_t *sc)
{
    *sc = (sgn_sigctx_t){ .apex = apex,
                          .keys = r->ks,
                          .now = (uint32_t)c->now,
                          .refresh = (uint32_t)c->refresh,
                          .inception_offset = (uint32_t)c->inception_offset,
                          .jitter = (uint32_t)c->jitter,
                          .val_default = (uint32_t)c->val_default,
                          .val_denial = (uint32_t)c->val_denial,
                          .val_keyset = (uint32_t)c->val_keyset };
}

/* rr as signerd holds it: sigs[] must have room for rr->nsig entries. */
static void rrset_of(const sim_rrset_t *rr, ods_rrset_t *s, ods_rrsig_t *sigs)
{
    memset(s, 0, sizeof(*s));
    s->type = (uint16_t)rr->type;
    s->count = 1;
    s->ttl = 3600;
    rdata_of(rr->type, &s->rdata, &s->rdlen);
    s->flags = rr->changed ? ODS_RRSET_CHANGED : 0;
    for (int i = 0; i < rr->nsig; i++)
        sigs[i] = (ods_rrsig_t){ NULL,
                                 0,
                                 rr->sig[i].keytag,
                                 (uint8_t)rr->sig[i].algorithm,
                                 (uint32_t)rr->sig[i].inception,
                                 (uint32_t)rr->sig[i].expire };
    s->nsigs = (uint16_t)rr->nsig;
    s->sigs = sigs;
}

static int real_needs_work(void *impl, const sim_sgnd_ctx_t *c, const sim_rrset_t *rr)
{
    sim_sgnd_real_t *r = impl;
    ods_rrsig_t sigs[SIM_SET_MAX];
    ods_rrset_t s;
    sgn_sigctx_t sc;
    char why[256];
    if (load(r, c, why, sizeof(why)) != 0)
        return -1;
    sigctx_of(r, c, &sc);
    rrset_of(rr, &s, sigs);
    r->st.needs_work_calls++;
    return sgn_rrset_needs_work(&sc, &s) ? 1 : 0;
}

/* A signature kept from before: the same fields. */
static const sim_sig_t *kept(const sim_rrset_t *before, const ods_rrsig_t *g)
{
    for (int i = 0; i < before->nsig; i++) {
        const sim_sig_t *s = &before->sig[i];
        if (s->keytag == g->keytag && s->algorithm == g->algorithm &&
            (uint32_t)s->inception == g->inception && (uint32_t)s->expire == g->expiration)
            return s;
    }
    return NULL;
}

/* The key that made new signature g: the next signing key, in order, with its tag. */
static const sim_sgnd_key_t *maker(const sim_sgnd_ctx_t *c, const ods_rrsig_t *g, int type,
                                   size_t *from)
{
    for (size_t k = *from; k < c->nkeys; k++) {
        const sim_sgnd_key_t *key = &c->keys[k];
        if (key->keytag == g->keytag && key->algorithm == g->algorithm &&
            (type == SIM_T_DNSKEY ? key->ksk : key->zsk)) {
            *from = k + 1;
            return key;
        }
    }
    return NULL;
}

/* The signatures of s back into rr (before: rr as it was). */
static int read_back(const sim_sgnd_ctx_t *c, const sim_rrset_t *before, const ods_rrset_t *s,
                     sim_rrset_t *rr, char *why, size_t len)
{
    size_t from = 0;
    if (s->nsigs > SIM_SET_MAX) {
        snprintf(why, len, "%u signatures on one RRset", s->nsigs);
        return -1;
    }
    for (uint16_t i = 0; i < s->nsigs; i++) {
        const ods_rrsig_t *g = &s->sigs[i];
        const sim_sig_t *old = kept(before, g);
        const sim_sgnd_key_t *k = old ? NULL : maker(c, g, rr->type, &from);
        if (!old && !k) {
            snprintf(why, len, "a new signature by key tag %u of no signing key", g->keytag);
            return -1;
        }
        rr->sig[i] = old ? *old
                         : (sim_sig_t){ k->id, g->algorithm, g->keytag,
                                        c->now + (int32_t)(g->inception - (uint32_t)c->now),
                                        c->now + (int32_t)(g->expiration - (uint32_t)c->now) };
    }
    rr->nsig = s->nsigs;
    return 0;
}

static int real_sign(void *impl, const sim_sgnd_ctx_t *c, sim_rrset_t *rr, char *why, size_t len)
{
    sim_sgnd_real_t *r = impl;
    ods_rrsig_t sigs[SIM_SET_MAX];
    ods_rrset_t s;
    sgn_sigctx_t sc;
    ods_err_t err = { 0 };
    unsigned nnew = 0, nreused = 0;
    if (load(r, c, why, len) != 0)
        return -1;
    sigctx_of(r, c, &sc);
    rrset_of(rr, &s, sigs);
    r->t.arena = ods_arena_new();
    if (!r->t.arena) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    int rc = sgn_rrset_sign(&r->t, &sc, owner_of(rr->type), &s, &nnew, &nreused, &err);
    sim_rrset_t before = *rr;
    if (rc == ODS_OK)
        rc = read_back(c, &before, &s, rr, why, len) == 0 ? ODS_OK : ODS_EINVAL;
    else
        snprintf(why, len, "sgn_rrset_sign: %s", err.msg);
    ods_arena_free(r->t.arena); /* the new signatures' RDATA: read back already */
    r->t.arena = NULL;
    r->st.signatures += nnew;
    return rc == ODS_OK ? 0 : -1;
}

int sim_sgnd_real_new(const char *module, const char *token, const char *pin, sim_sgnd_real_t **out,
                      char *why, size_t len)
{
    ods_hsm_repo_spec_t spec = { REPO, module, token, pin, 0, 0, 0 };
    ods_err_t err = { 0 };
    sim_sgnd_real_t *r = calloc(1, sizeof(*r));
    if (!r) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    if (ods_hsm_open(&spec, 1, &r->hsm, &err) != ODS_OK ||
        ods_hsm_ctx_new(r->hsm, &r->ctx, &err) != ODS_OK) {
        snprintf(why, len, "%s", err.msg);
        sim_sgnd_real_free(r);
        return -1;
    }
    r->t = (sgn_thread_t){ 0, r->ctx, ODS_BUF_INIT, 0x9e3779b97f4a7c15ULL, NULL };
    r->ops = (sim_sgnd_ops_t){ "signerd's sgn_rrsign.c", real_needs_work, real_sign, r };
    *out = r;
    return 0;
}

void sim_sgnd_real_reset(sim_sgnd_real_t *r)
{
    unload(r);
}

void sim_sgnd_real_free(sim_sgnd_real_t *r)
{
    if (!r)
        return;
    unload(r);
    ods_buf_free(&r->t.data);
    ods_hsm_ctx_free(r->ctx);
    ods_hsm_close(r->hsm);
    free(r);
}

const sim_sgnd_ops_t *sim_sgnd_real_ops(sim_sgnd_real_t *r)
{
    return &r->ops;
}

void sim_sgnd_real_stats(const sim_sgnd_real_t *r, sim_sgnd_real_stats_t *st)
{
    *st = r->st;
}
