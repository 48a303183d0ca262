/*
 * sgnd_plan.c -- the signerd model's per-RRset decisions, re-implemented from
 * the rule in signerd/sgn_rrsign.h (see sgnd.h).
 */
#include "sgnd.h"

#include <stdio.h>
#include <stdlib.h>

const sim_sgnd_key_t *sim_sgnd_find(const sim_sgnd_ctx_t *c, uint16_t keytag, int algorithm)
{
    const sim_sgnd_key_t *found = NULL;
    for (size_t i = 0; i < c->nkeys; i++) {
        if (c->keys[i].keytag != keytag || c->keys[i].algorithm != algorithm)
            continue;
        if (found)
            return NULL; /* two keys share tag and algorithm: whose is it? */
        found = &c->keys[i];
    }
    return found;
}

time_t sim_sgnd_validity(const sim_sgnd_ctx_t *c, int type)
{
    if (type == SIM_T_DNSKEY)
        return c->val_keyset ? c->val_keyset : c->val_default;
    if (type == SIM_T_NSEC || type == SIM_T_NSEC3)
        return c->val_denial;
    return c->val_default;
}

static int key_signs(const sim_sgnd_key_t *k, int type)
{
    return type == SIM_T_DNSKEY ? k->ksk : k->zsk;
}

/* Signer timestamps are 32-bit and compared in serial arithmetic (RFC 1982). */
static int32_t diff32(time_t a, time_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* The key of a signature that may stay, or NULL (sgn_sig_fresh). */
static const sim_sgnd_key_t *fresh(const sim_sgnd_ctx_t *c, const sim_sig_t *s, int type)
{
    const sim_sgnd_key_t *k = sim_sgnd_find(c, s->keytag, s->algorithm);
    if (!k || !key_signs(k, type) || c->refresh == 0 || diff32(s->inception, c->now) > 0)
        return NULL;
    return diff32(s->expire, c->now) > (int32_t)c->refresh ? k : NULL;
}

/* How many keys of the configuration signerd looks at. */
static size_t looked_at(const sim_sgnd_ctx_t *c)
{
    return c->max_keys && c->max_keys < c->nkeys ? c->max_keys : c->nkeys;
}

/* Which signatures stay (keep[i]) and which keys must sign (need[k], one
 * per key looked at); the number kept. Keys past looked_at() neither sign
 * nor keep a signature. */
static int plan(const sim_sgnd_ctx_t *c, const sim_rrset_t *rr, int *keep, char *need)
{
    int nkeep = 0;
    size_t nk = looked_at(c);
    for (size_t k = 0; k < nk; k++)
        need[k] = (char)key_signs(&c->keys[k], rr->type);
    for (int i = 0; i < rr->nsig; i++)
        keep[i] = 0;
    if (rr->changed)
        return 0;
    for (int i = 0; i < rr->nsig; i++) {
        const sim_sgnd_key_t *key = fresh(c, &rr->sig[i], rr->type);
        size_t k = key ? (size_t)(key - c->keys) : nk;
        if (k < nk && need[k]) { /* one signature per key */
            need[k] = 0;
            keep[i] = 1;
            nkeep++;
        }
    }
    return nkeep;
}

#define NEED_STACK 512 /* keys; more are allocated */

static char *need_alloc(const sim_sgnd_ctx_t *c, char *stack)
{
    return looked_at(c) <= NEED_STACK ? stack : malloc(looked_at(c));
}

static void need_free(char *need, char *stack)
{
    if (need != stack)
        free(need);
}

int sim_sgnd_needs_work(void *rng, const sim_sgnd_ctx_t *c, const sim_rrset_t *rr)
{
    int keep[SIM_SET_MAX], work;
    char stack[NEED_STACK], *need = need_alloc(c, stack);
    (void)rng;
    if (!need)
        return -1;
    work = plan(c, rr, keep, need) != rr->nsig;
    for (size_t k = 0; k < looked_at(c) && !work; k++)
        work = need[k];
    need_free(need, stack);
    return work;
}

int sim_sgnd_sign(void *rng, const sim_sgnd_ctx_t *c, sim_rrset_t *rr, char *why, size_t len)
{
    int keep[SIM_SET_MAX], n = 0, rc = 0;
    char stack[NEED_STACK], *need = need_alloc(c, stack);
    if (!need) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    plan(c, rr, keep, need);
    for (int i = 0; i < rr->nsig; i++)
        if (keep[i])
            rr->sig[n++] = rr->sig[i];
    time_t validity = sim_sgnd_validity(c, rr->type);
    for (size_t k = 0; k < looked_at(c) && rc == 0; k++) {
        if (!need[k])
            continue;
        if (n == SIM_SET_MAX) {
            snprintf(why, len, "more than %d signatures on an RRset", SIM_SET_MAX);
            rc = -1;
            break;
        }
        sim_sig_t *s = &rr->sig[n++];
        s->key = c->keys[k].id;
        s->algorithm = c->keys[k].algorithm;
        s->keytag = c->keys[k].keytag;
        s->inception = c->now - c->inception_offset;
        s->expire = c->now + validity + sim_rng_range(rng, -c->jitter, c->jitter);
    }
    rr->nsig = n;
    need_free(need, stack);
    return rc;
}
