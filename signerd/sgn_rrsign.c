#include "sgn_rrsign.h"
#include "dnssec/name.h"
#include "dnssec/rrsig.h"
#include "hsm/sign.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#define SGN_STACK_KEYS 64 /* plans up to this size live on the stack */

static uint32_t validity_for(const sgn_sigctx_t *c, uint16_t type)
{
    if (type == LDNS_RR_TYPE_DNSKEY)
        return c->val_keyset ? c->val_keyset : c->val_default;
    if (type == LDNS_RR_TYPE_NSEC || type == LDNS_RR_TYPE_NSEC3)
        return c->val_denial;
    return c->val_default;
}

bool sgn_sig_fresh(const sgn_sigctx_t *c, const ods_rrsig_t *sig, uint16_t type)
{
    const sgn_key_t *k = sgn_keyset_find(c->keys, sig->keytag, sig->algorithm);
    if (k == NULL || !sgn_key_signs(k, type) || c->refresh == 0)
        return false;
    /* RFC 1982 arithmetic: timestamps are 32-bit and wrap */
    if ((int32_t)(sig->inception - c->now) > 0)
        return false;
    return (int32_t)(sig->expiration - c->now) > (int32_t)c->refresh;
}

/* A plan: which signatures stay (keep[], nkeep of them) and which keys must
 * sign (need[], one per key of the configuration, however many). */
typedef struct plan {
    uint16_t keep_stack[SGN_STACK_KEYS];
    bool need_stack[SGN_STACK_KEYS];
    uint16_t *keep;
    bool *need;
    size_t nkeep, nneed;
} plan_t;

static void plan_free(plan_t *p)
{
    if (p->keep != p->keep_stack)
        free(p->keep);
    if (p->need != p->need_stack)
        free(p->need);
}

/* Fill p for s; false when out of memory. */
static bool plan(const sgn_sigctx_t *c, const ods_rrset_t *s, plan_t *p)
{
    const sgn_keyset_t *ks = c->keys;
    p->keep = s->nsigs <= SGN_STACK_KEYS ? p->keep_stack : malloc(s->nsigs * sizeof(*p->keep));
    p->need = ks->n <= SGN_STACK_KEYS ? p->need_stack : malloc(ks->n * sizeof(*p->need));
    p->nkeep = p->nneed = 0;
    if (p->keep == NULL || p->need == NULL) {
        plan_free(p);
        return false;
    }
    for (size_t k = 0; k < ks->n; k++)
        p->need[k] = sgn_key_signs(&ks->keys[k], s->type);
    for (uint16_t i = 0; i < s->nsigs && !(s->flags & ODS_RRSET_CHANGED); i++) {
        const ods_rrsig_t *sig = &s->sigs[i];
        if (!sgn_sig_fresh(c, sig, s->type))
            continue;
        size_t k = (size_t)(sgn_keyset_find(ks, sig->keytag, sig->algorithm) - ks->keys);
        if (p->need[k]) { /* one signature per key is enough */
            p->need[k] = false;
            p->keep[p->nkeep++] = i;
        }
    }
    for (size_t k = 0; k < ks->n; k++)
        p->nneed += p->need[k];
    return true;
}

bool sgn_rrset_needs_work(const sgn_sigctx_t *c, const ods_rrset_t *s)
{
    plan_t p;
    if (!plan(c, s, &p))
        return true; /* signing it will report the shortage */
    bool work = p.nkeep != s->nsigs || p.nneed > 0;
    plan_free(&p);
    return work;
}

/* Make one signature with key k into *out (RDATA in the thread's arena). */
static int make_sig(sgn_thread_t *t, const sgn_sigctx_t *c, const uint8_t *owner,
                    const ods_rrset_t *s, const sgn_key_t *k, const uint8_t *const *rd,
                    const uint16_t *rl, ods_rrsig_t *out, ods_err_t *err)
{
    uint32_t validity = validity_for(c, s->type);
    uint64_t span = 2ull * c->jitter + 1;
    ods_rrsig_fields_t f = {
        .type_covered = s->type,
        .algorithm = k->algorithm,
        .labels = (uint8_t)ods_name_rrsig_labels(owner),
        .original_ttl = s->ttl,
        .expiration = c->now + validity + (uint32_t)sgn_thread_random(t, span) - c->jitter,
        .inception = c->now - c->inception_offset,
        .key_tag = k->keytag,
        .signer = c->apex,
    };
    ods_buf_reset(&t->data);
    if (ods_rrsig_signed_data(&t->data, &f, owner, LDNS_RR_CLASS_IN, rd, rl, s->count) != ODS_OK)
        return ods_err_set(err, ODS_EINVAL, "cannot build the data to sign");
    uint8_t sig[1024];
    size_t siglen = sizeof(sig);
    int rc =
        ods_hsm_sign(t->ctx, k->hsm, k->algorithm, t->data.data, t->data.len, sig, &siglen, err);
    if (rc != ODS_OK)
        return rc;
    ods_buf_reset(&t->data);
    if (ods_rrsig_rdata(&t->data, &f, sig, siglen) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    uint8_t *rdata = ods_arena_dup(t->arena, t->data.data, t->data.len);
    if (rdata == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    return ods_rrsig_from_rdata(out, rdata, (uint16_t)t->data.len);
}

/* Keep p's signatures and make the missing ones. */
static int rrset_sign(sgn_thread_t *t, const sgn_sigctx_t *c, const uint8_t *owner, ods_rrset_t *s,
                      const plan_t *p, unsigned *nnew, ods_err_t *err)
{
    ods_rrsig_t *sigs = ods_arena_alloc(t->arena, (p->nkeep + p->nneed + 1) * sizeof(*sigs));
    if (sigs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < p->nkeep; i++)
        sigs[n++] = s->sigs[p->keep[i]];
    const uint8_t *rd_stack[64];
    uint16_t rl_stack[64];
    const uint8_t **rd = s->count <= 64 ? rd_stack : malloc(s->count * sizeof(*rd));
    uint16_t *rl = s->count <= 64 ? rl_stack : malloc(s->count * sizeof(*rl));
    int rc = (rd && rl) ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    uint32_t off = 0;
    for (size_t i = 0; rc == ODS_OK && ods_rrset_next(s, &off, &rd[i], &rl[i]); i++)
        ;
    for (size_t k = 0; rc == ODS_OK && k < c->keys->n; k++) {
        if (!p->need[k])
            continue;
        rc = make_sig(t, c, owner, s, &c->keys->keys[k], rd, rl, &sigs[n], err);
        if (rc == ODS_OK) {
            n++;
            (*nnew)++;
        }
    }
    if (rd != rd_stack)
        free(rd);
    if (rl != rl_stack)
        free(rl);
    if (rc == ODS_OK)
        ods_rrset_set_sigs(s, sigs, (uint16_t)n);
    return rc;
}

int sgn_rrset_sign(sgn_thread_t *t, const sgn_sigctx_t *c, const uint8_t *owner, ods_rrset_t *s,
                   unsigned *nnew, unsigned *nreused, ods_err_t *err)
{
    plan_t p;
    if (!plan(c, s, &p))
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    *nreused += (unsigned)p.nkeep;
    int rc =
        p.nneed == 0 && p.nkeep == s->nsigs ? ODS_OK : rrset_sign(t, c, owner, s, &p, nnew, err);
    plan_free(&p);
    return rc;
}
