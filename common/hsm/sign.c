/* sign.c -- the signing hot path and random bytes. */
#include "hsm/sign.h"
#include "hsm/internal.h"

#include <string.h>

/* The bytes given to C_Sign: DigestInfo || digest (RSA), digest (ECDSA). */
static int digest_input(ods_hsm_ctx_t *ctx, const hsm_alg_t *a, const uint8_t *data, size_t len,
                        uint8_t *buf, size_t *inlen)
{
    unsigned int dlen = 0;
    if (a->info_len)
        memcpy(buf, a->info, a->info_len);
    if (EVP_DigestInit_ex2(ctx->md, ctx->hsm->md[a->md], NULL) != 1 ||
        EVP_DigestUpdate(ctx->md, data, len) != 1 ||
        EVP_DigestFinal_ex(ctx->md, buf + a->info_len, &dlen) != 1)
        return ODS_EHSM;
    *inlen = a->info_len + dlen;
    return ODS_OK;
}

static CK_RV sign_once(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_MECHANISM *m,
                       const uint8_t *in, size_t inlen, uint8_t *out, CK_ULONG *outlen)
{
    CK_RV rv = r->f->C_SignInit(s, m, h);
    if (rv == CKR_OK)
        rv = r->f->C_Sign(s, (CK_BYTE_PTR)in, inlen, out, outlen);
    return rv;
}

/* Look the private key up again after its handle became invalid. */
static CK_RV key_refind(hsm_repo_t *r, CK_SESSION_HANDLE s, const ods_hsm_key_t *key, bool *gone)
{
    CK_OBJECT_HANDLE h;
    CK_RV rv = hsm_find_key(r, s, CKO_PRIVATE_KEY, key->id, key->idlen, &h);
    *gone = rv == CKR_OK && h == CK_INVALID_HANDLE;
    if (rv == CKR_OK && !*gone)
        atomic_store_explicit(&((ods_hsm_key_t *)key)->priv, h, memory_order_relaxed);
    return rv;
}

/* Copy the token's signature to sig in DNSSEC form (ECDSA: fixed-width r || s). */
static int sig_output(const ods_hsm_key_t *key, const hsm_alg_t *a, const uint8_t *raw,
                      size_t rawlen, uint8_t *sig, size_t *siglen, ods_err_t *err)
{
    size_t want = a->siglen ? a->siglen : rawlen;
    if (want > *siglen)
        return ods_err_set(err, ODS_EINVAL, "signature buffer too small (%zu bytes, need %zu)",
                           *siglen, want);
    if (rawlen == want) {
        memcpy(sig, raw, rawlen);
    } else if (a->family == ODS_HSM_ECDSA && rawlen < want && rawlen % 2 == 0) {
        size_t half = rawlen / 2, pad = (want - rawlen) / 2;
        memset(sig, 0, want);
        memcpy(sig + pad, raw, half);
        memcpy(sig + want / 2 + pad, raw + half, half);
    } else {
        return ods_err_set(err, ODS_EHSM,
                           "key %s (repository %s): the token returned a %zu-byte "
                           "%s signature (expected %zu)",
                           key->locator, ods_hsm_key_repository(key), rawlen, a->name, want);
    }
    *siglen = want;
    return ODS_OK;
}

static int sign_fail(ods_err_t *err, const hsm_repo_t *r, const ods_hsm_key_t *key,
                     const hsm_alg_t *a, CK_RV rv, bool gone)
{
    if (gone)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "key %s not found in repository %s (token %s): it was deleted",
                           key->locator, r->name, r->label);
    return hsm_err_rv(err, r, rv, "signing with key %s (%s) failed", key->locator, a->name);
}

int ods_hsm_sign(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm, const uint8_t *data,
                 size_t len, uint8_t *sig, size_t *siglen, ods_err_t *err)
{
    const hsm_alg_t *a;
    int rc = key->hsm == ctx->hsm ? hsm_key_alg(key, algorithm, &a, err)
                                  : ods_err_set(err, ODS_EINVAL, "key from another HSM handle");
    if (rc != ODS_OK)
        return rc;
    size_t need = a->siglen ? a->siglen : (key->bits + 7) / 8;
    if (*siglen < need)
        return ods_err_set(err, ODS_EINVAL, "signature buffer too small (%zu bytes, need %zu)",
                           *siglen, need);
    uint8_t inbuf[32 + EVP_MAX_MD_SIZE];
    const uint8_t *in = data;
    size_t inlen = len;
    if (a->md != HSM_MD_NONE) {
        if (digest_input(ctx, a, data, len, inbuf, &inlen) != ODS_OK)
            return ods_err_set(err, ODS_EHSM, "digest for %s failed in OpenSSL", a->name);
        in = inbuf;
    }
    hsm_repo_t *r = &ctx->hsm->repos[key->repo];
    CK_SESSION_HANDLE s;
    if ((rc = hsm_ctx_session(ctx, key->repo, &s, err)) != ODS_OK)
        return rc;
    CK_MECHANISM mech = { a->sign_mech, NULL, 0 };
    uint8_t raw[ODS_HSM_SIG_MAX];
    CK_ULONG rawlen;
    bool reopened = false, refound = false, gone = false;
    for (;;) {
        rawlen = sizeof(raw);
        CK_OBJECT_HANDLE h = atomic_load_explicit(&key->priv, memory_order_relaxed);
        CK_RV rv = sign_once(r, s, h, &mech, in, inlen, raw, &rawlen);
        if (rv == CKR_OK)
            break;
        if (hsm_rv_handle_lost(rv) && !refound) {
            refound = true;
            if ((rv = key_refind(r, s, key, &gone)) == CKR_OK && !gone)
                continue;
        }
        if (!hsm_rv_session_lost(rv) || reopened)
            return sign_fail(err, r, key, a, rv, gone);
        reopened = true;
        refound = false; /* handles may die with the token's sessions: allow one more look-up */
        if ((rc = hsm_ctx_reopen(ctx, key->repo, rv, &s, err)) != ODS_OK) {
            ods_err_prefix(
                err, "signing with key %s: session lost, reopening it failed: ", key->locator);
            return rc == ODS_EPIN ? rc : hsm_err_code(err, ODS_ETRANSIENT);
        }
    }
    return sig_output(key, a, raw, rawlen, sig, siglen, err);
}

struct random_arg {
    void *buf;
    size_t len;
};

static CK_RV random_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    struct random_arg *a = varg;
    return r->f->C_GenerateRandom(s, a->buf, a->len);
}

int ods_hsm_random(ods_hsm_ctx_t *ctx, void *buf, size_t len, ods_err_t *err)
{
    struct random_arg a = { buf, len };
    return hsm_ctx_run(ctx, 0, random_op, &a, "C_GenerateRandom", err);
}
