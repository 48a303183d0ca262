/* keygen.c -- key pair generation: unique CKA_ID, templates, capacity, SkipPublicKey. */
#include "dnssec/verify.h"
#include "hsm/internal.h"
#include "hsm/p11names.h"

#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#define GEN_ID_LEN    16
#define GEN_ID_TRIES  16
#define GEN_ATTRS_MAX 12

struct gen_arg {
    const hsm_alg_t *alg;
    CK_ULONG bits;
    bool skip_public;
    bool extractable;
    CK_BYTE id[GEN_ID_LEN];
    char label[ODS_HSM_LOCATOR_LEN + 1];
    CK_OBJECT_HANDLE pub, priv;
    CK_RV rv; /* the last failure, for the message */
};

/* Draw random CKA_IDs until one is not used by any object in the token. */
static CK_RV unique_id(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_BYTE *id)
{
    for (int tries = 0; tries < GEN_ID_TRIES; tries++) {
        CK_RV rv = r->f->C_GenerateRandom(s, id, GEN_ID_LEN);
        if (rv != CKR_OK)
            return rv;
        CK_ATTRIBUTE tmpl[] = { { CKA_ID, id, GEN_ID_LEN } };
        CK_OBJECT_HANDLE h;
        CK_ULONG n = 0;
        if ((rv = hsm_find(r, s, tmpl, 1, &h, 1, &n)) != CKR_OK)
            return rv;
        if (n == 0)
            return CKR_OK;
    }
    return CKR_FUNCTION_FAILED; /* a broken random generator */
}

#define ATTR(t, type, ptr, len) ((t)[n++] = (CK_ATTRIBUTE){ (type), (void *)(ptr), (len) })

static CK_RV gen_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    struct gen_arg *a = varg;
    CK_RV rv = unique_id(r, s, a->id);
    if (rv != CKR_OK)
        return a->rv = rv;
    hsm_locator_format(a->id, GEN_ID_LEN, a->label);
    static const CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    static const CK_BYTE exponent[] = { 0x01, 0x00, 0x01 }; /* 65537 */
    CK_BBOOL pub_token = !a->skip_public, extractable = a->extractable;
    size_t llen = strlen(a->label);
    CK_ATTRIBUTE pub[GEN_ATTRS_MAX], priv[GEN_ATTRS_MAX];
    CK_ULONG n = 0;
    ATTR(pub, CKA_TOKEN, &pub_token, 1);
    ATTR(pub, CKA_PRIVATE, &no, 1);
    ATTR(pub, CKA_ID, a->id, GEN_ID_LEN);
    ATTR(pub, CKA_LABEL, a->label, llen);
    ATTR(pub, CKA_VERIFY, &yes, 1);
    ATTR(pub, CKA_ENCRYPT, &no, 1);
    ATTR(pub, CKA_WRAP, &no, 1);
    if (a->alg->family == ODS_HSM_RSA) {
        ATTR(pub, CKA_MODULUS_BITS, &a->bits, sizeof(a->bits));
        ATTR(pub, CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent));
    } else {
        ATTR(pub, CKA_EC_PARAMS, a->alg->params, a->alg->params_len);
    }
    CK_ULONG npub = n;
    n = 0;
    ATTR(priv, CKA_TOKEN, &yes, 1);
    ATTR(priv, CKA_PRIVATE, &yes, 1);
    ATTR(priv, CKA_SENSITIVE, &yes, 1);
    ATTR(priv, CKA_EXTRACTABLE, &extractable, 1);
    ATTR(priv, CKA_SIGN, &yes, 1);
    ATTR(priv, CKA_DECRYPT, &no, 1);
    ATTR(priv, CKA_UNWRAP, &no, 1);
    ATTR(priv, CKA_ID, a->id, GEN_ID_LEN);
    ATTR(priv, CKA_LABEL, a->label, llen);
    CK_MECHANISM mech = { a->alg->gen_mech, NULL, 0 };
    rv = r->f->C_GenerateKeyPair(s, &mech, pub, npub, priv, n, &a->pub, &a->priv);
    return a->rv = rv;
}

/*
 * SkipPublicKey: the public key is a session object and dies with the session.
 * RSA private keys carry the modulus and exponent; for EC keys keep the public
 * key in the private key's CKA_PUBLIC_KEY_INFO. Then drop the session object.
 */
static CK_RV keep_public_info(hsm_repo_t *r, CK_SESSION_HANDLE s, struct gen_arg *a)
{
    /* DNSKEY RDATA (zone key, protocol 3) for dnssec/verify.h to build the key from */
    CK_BYTE point[256], rdata[4 + 128] = { 1, 0, 3, (CK_BYTE)a->alg->number };
    size_t plen = sizeof(point), klen = sizeof(rdata) - 4;
    CK_RV rv = hsm_get_attr(r, s, a->pub, CKA_EC_POINT, point, &plen);
    if (rv != CKR_OK)
        return rv;
    EVP_PKEY *pk = NULL;
    if (hsm_ec_point_dnssec(a->alg, point, plen, rdata + 4, &klen) != ODS_OK ||
        ods_verify_pkey_from_dnskey(rdata, 4 + klen, &pk, NULL) != ODS_OK)
        return CKR_PUBLIC_KEY_INVALID;
    unsigned char *spki = NULL;
    int slen = i2d_PUBKEY(pk, &spki);
    EVP_PKEY_free(pk);
    if (slen <= 0)
        return CKR_HOST_MEMORY;
    CK_ATTRIBUTE attr = { CKA_PUBLIC_KEY_INFO, spki, (CK_ULONG)slen };
    rv = r->f->C_SetAttributeValue(s, a->priv, &attr, 1);
    OPENSSL_free(spki);
    return rv;
}

static int skip_public(ods_hsm_ctx_t *ctx, size_t ri, struct gen_arg *a, ods_err_t *err)
{
    hsm_repo_t *r = &ctx->hsm->repos[ri];
    CK_SESSION_HANDLE s = ctx->sessions[ri];
    CK_RV rv = a->alg->family == ODS_HSM_RSA ? CKR_OK : keep_public_info(r, s, a);
    r->f->C_DestroyObject(s, a->pub);
    if (rv == CKR_OK)
        return ODS_OK;
    r->f->C_DestroyObject(s, a->priv);
    const char *name = ods_hsm_rv_name(rv);
    return ods_err_set(err, ODS_EMECH,
                       "repository %s (token %s): SkipPublicKey is set but the token does not "
                       "keep the public key of %s keys on the private key (%s): remove "
                       "SkipPublicKey from the repository",
                       r->name, r->label, a->alg->name, name ? name : "CKR unknown");
}

static int check_mech(hsm_repo_t *r, const hsm_alg_t *alg, unsigned bits, ods_err_t *err)
{
    CK_MECHANISM_TYPE need[] = { alg->gen_mech, alg->sign_mech };
    for (size_t i = 0; i < 2; i++)
        if (!hsm_repo_has_mech(r, need[i]))
            return ods_err_set(err, ODS_EMECH,
                               "token %s (repository %s) does not support %s %s (%s)", r->label,
                               r->name, alg->name, i == 0 ? "key generation" : "signing",
                               ods_hsm_mech_name(need[i]));
    if (alg->family != ODS_HSM_RSA)
        return ODS_OK;
    if (bits < ODS_HSM_RSA_MIN_BITS || bits > ODS_HSM_RSA_MAX_BITS)
        return ods_err_set(err, ODS_EINVAL, "RSA key size %u is out of range (%d to %d bits)", bits,
                           ODS_HSM_RSA_MIN_BITS, ODS_HSM_RSA_MAX_BITS);
    CK_MECHANISM_INFO mi;
    if (r->f->C_GetMechanismInfo(r->slot, alg->gen_mech, &mi) == CKR_OK &&
        (bits < mi.ulMinKeySize || bits > mi.ulMaxKeySize))
        return ods_err_set(err, ODS_EMECH,
                           "token %s (repository %s) does not support %u-bit RSA keys (only "
                           "%lu to %lu bits)",
                           r->label, r->name, bits, (unsigned long)mi.ulMinKeySize,
                           (unsigned long)mi.ulMaxKeySize);
    return ODS_OK;
}

static int check_capacity(ods_hsm_ctx_t *ctx, size_t ri, ods_err_t *err)
{
    hsm_repo_t *r = &ctx->hsm->repos[ri];
    size_t count;
    int rc = hsm_count_repo(ctx, ri, &count, err);
    if (rc != ODS_OK || count < r->capacity)
        return rc;
    return ods_err_set(err, ODS_EFULL,
                       "repository %s is full (Capacity %u): it holds %zu key pairs; delete "
                       "unused keys or raise its Capacity",
                       r->name, r->capacity, count);
}

static int generate(ods_hsm_ctx_t *ctx, size_t ri, struct gen_arg *a, ods_err_t *err)
{
    hsm_repo_t *r = &ctx->hsm->repos[ri];
    char what[96];
    snprintf(what, sizeof(what), "generating an %s key", a->alg->name);
    int rc = hsm_ctx_run(ctx, ri, gen_op, a, what, err);
    if (rc == ODS_EMECH) {
        const char *name = ods_hsm_rv_name(a->rv);
        return ods_err_set(err, rc,
                           "token %s (repository %s) does not support %s key generation"
                           " (%s)",
                           r->label, r->name, a->alg->name, name ? name : "CKR unknown");
    }
    if (rc == ODS_EFULL)
        return ods_err_set(err, rc,
                           "repository %s is full: token %s has no memory left for another key "
                           "(CKR_DEVICE_MEMORY); delete unused keys",
                           r->name, r->label);
    if (rc == ODS_OK && a->skip_public)
        rc = skip_public(ctx, ri, a, err);
    return rc;
}

int ods_hsm_generate(ods_hsm_ctx_t *ctx, const char *repository, int algorithm, unsigned bits,
                     char locator_out[ODS_HSM_LOCATOR_LEN + 1], ods_err_t *err)
{
    size_t ri;
    int rc = hsm_repo_find(ctx->hsm, repository, &ri, err);
    if (rc != ODS_OK)
        return rc;
    hsm_repo_t *r = &ctx->hsm->repos[ri];
    struct gen_arg a = { .alg = hsm_alg_get(algorithm), .bits = bits };
    if (a.alg == NULL)
        return ods_err_set(err, ODS_EINVAL,
                           "repository %s: DNSSEC algorithm %d is not supported "
                           "(use 5, 7, 8, 10, 13, 14, 15 or 16)",
                           r->name, algorithm);
    if ((rc = check_mech(r, a.alg, bits, err)) != ODS_OK)
        return rc;
    a.skip_public = r->skip_public_key;
    a.extractable = r->allow_extraction;
    /* With a Capacity, count and generate under one lock so threads cannot overshoot it. */
    bool serial = r->capacity != 0;
    if (serial)
        pthread_mutex_lock(&r->gen_lock);
    rc = serial ? check_capacity(ctx, ri, err) : ODS_OK;
    if (rc == ODS_OK)
        rc = generate(ctx, ri, &a, err);
    if (serial)
        pthread_mutex_unlock(&r->gen_lock);
    if (rc == ODS_OK)
        memcpy(locator_out, a.label, sizeof(a.label));
    return rc;
}
