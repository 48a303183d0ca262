#include "sgn_rrsign.h"
#include "dnssec/name.h"
#include "dnssec/rrsig.h"
#include "hsm/sign.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#define SGN_MAX_KEYS 64

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

/* Which signatures stay (keep[]), and which keys must sign (need[]). */
static size_t plan(const sgn_sigctx_t *c, const ods_rrset_t *s, uint16_t *keep, bool *need)
{
    size_t nkeep = 0;
    const sgn_keyset_t *ks = c->keys;
    for (size_t k = 0; k < ks->n && k < SGN_MAX_KEYS; k++)
        need[k] = sgn_key_signs(&ks->keys[k], s->type);
    if (s->flags & ODS_RRSET_CHANGED)
        return 0;
    for (uint16_t i = 0; i < s->nsigs; i++) {
        const ods_rrsig_t *sig = &s->sigs[i];
        if (!sgn_sig_fresh(c, sig, s->type))
            continue;
        const sgn_key_t *key = sgn_keyset_find(ks, sig->keytag, sig->algorithm);
        size_t k = (size_t)(key - ks->keys);
        if (k < SGN_MAX_KEYS && need[k]) { /* one signature per key is enough */
            need[k] = false;
            keep[nkeep++] = i;
        }
    }
    return nkeep;
}

bool sgn_rrset_needs_work(const sgn_sigctx_t *c, const ods_rrset_t *s)
{
    uint16_t keep[SGN_MAX_KEYS];
    bool need[SGN_MAX_KEYS];
    size_t nkeep = plan(c, s, keep, need);
    if (nkeep != s->nsigs)
        return true;
    for (size_t k = 0; k < c->keys->n && k < SGN_MAX_KEYS; k++)
        if (need[k])
            return true;
    return false;
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

int sgn_rrset_sign(sgn_thread_t *t, const sgn_sigctx_t *c, const uint8_t *owner, ods_rrset_t *s,
                   unsigned *nnew, unsigned *nreused, ods_err_t *err)
{
    uint16_t keep[SGN_MAX_KEYS];
    bool need[SGN_MAX_KEYS];
    size_t nkeep = plan(c, s, keep, need), nneed = 0;
    for (size_t k = 0; k < c->keys->n && k < SGN_MAX_KEYS; k++)
        nneed += need[k];
    *nreused += (unsigned)nkeep;
    if (nneed == 0 && nkeep == s->nsigs)
        return ODS_OK;
    ods_rrsig_t *sigs = ods_arena_alloc(t->arena, (nkeep + nneed + 1) * sizeof(*sigs));
    if (sigs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < nkeep; i++)
        sigs[n++] = s->sigs[keep[i]];
    const uint8_t *rd_stack[64];
    uint16_t rl_stack[64];
    const uint8_t **rd = s->count <= 64 ? rd_stack : malloc(s->count * sizeof(*rd));
    uint16_t *rl = s->count <= 64 ? rl_stack : malloc(s->count * sizeof(*rl));
    int rc = (rd && rl) ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    uint32_t off = 0;
    for (size_t i = 0; rc == ODS_OK && ods_rrset_next(s, &off, &rd[i], &rl[i]); i++)
        ;
    for (size_t k = 0; rc == ODS_OK && k < c->keys->n && k < SGN_MAX_KEYS; k++) {
        if (!need[k])
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
