/* key.c -- locators, finding and deleting keys. */
#include "hsm/internal.h"
#include "util/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hsm_locator_parse(const char *locator, CK_BYTE *id, size_t *idlen, ods_err_t *err)
{
    size_t len = locator ? strlen(locator) : 0;
    if (len == 0 || len % 2 != 0 || len / 2 > HSM_ID_MAX)
        return ods_err_set(err, ODS_EINVAL,
                           "invalid key locator '%s': expected the hex CKA_ID of the key "
                           "(32 hex characters)",
                           locator ? locator : "");
    for (size_t i = 0; i < len; i += 2) {
        int hi = ods_hex_digit(locator[i]), lo = ods_hex_digit(locator[i + 1]);
        if (hi < 0 || lo < 0)
            return ods_err_set(err, ODS_EINVAL, "invalid key locator '%s': '%c' is not a hex digit",
                               locator, hi < 0 ? locator[i] : locator[i + 1]);
        id[i / 2] = (CK_BYTE)(hi << 4 | lo);
    }
    *idlen = len / 2;
    return ODS_OK;
}

void hsm_locator_format(const CK_BYTE *id, size_t idlen, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < idlen; i++) {
        out[2 * i] = digits[id[i] >> 4];
        out[2 * i + 1] = digits[id[i] & 15];
    }
    out[2 * idlen] = '\0';
}

struct find_arg {
    const CK_BYTE *id;
    size_t idlen;
    CK_OBJECT_HANDLE priv;
    int family, algorithm;
    unsigned bits;
};

static CK_RV find_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    struct find_arg *a = varg;
    CK_RV rv = hsm_find_key(r, s, CKO_PRIVATE_KEY, a->id, a->idlen, &a->priv);
    if (rv == CKR_OK && a->priv != CK_INVALID_HANDLE)
        rv = hsm_key_shape(r, s, a->priv, &a->family, &a->algorithm, &a->bits);
    return rv;
}

static int key_make(ods_hsm_ctx_t *ctx, size_t r, const struct find_arg *a, ods_hsm_key_t **out,
                    ods_err_t *err)
{
    ods_hsm_key_t *key = calloc(1, sizeof(*key));
    if (key == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    key->hsm = ctx->hsm;
    key->repo = r;
    memcpy(key->id, a->id, a->idlen);
    key->idlen = a->idlen;
    hsm_locator_format(a->id, a->idlen, key->locator);
    key->family = a->family;
    key->algorithm = a->algorithm;
    key->bits = a->bits;
    atomic_init(&key->priv, a->priv);
    *out = key;
    return ODS_OK;
}

int ods_hsm_key_find(ods_hsm_ctx_t *ctx, const char *locator, ods_hsm_key_t **out, ods_err_t *err)
{
    CK_BYTE id[HSM_ID_MAX];
    struct find_arg a = { .id = id };
    int rc = hsm_locator_parse(locator, id, &a.idlen, err);
    if (rc != ODS_OK)
        return rc;
    for (size_t r = 0; r < ctx->hsm->nrepos; r++) {
        a.priv = CK_INVALID_HANDLE;
        rc = hsm_ctx_run(ctx, r, find_op, &a, "looking up a key", err);
        if (rc != ODS_OK) {
            ods_err_prefix(err, "key %s: ", locator);
            return rc;
        }
        if (a.priv != CK_INVALID_HANDLE)
            return key_make(ctx, r, &a, out, err);
    }
    return ods_err_set(err, ODS_ENOTFOUND, "key %s not found in any repository", locator);
}

void ods_hsm_key_free(ods_hsm_key_t *key)
{
    free(key);
}

const char *ods_hsm_key_locator(const ods_hsm_key_t *key)
{
    return key->locator;
}

const char *ods_hsm_key_repository(const ods_hsm_key_t *key)
{
    return key->hsm->repos[key->repo].name;
}

int ods_hsm_key_family(const ods_hsm_key_t *key)
{
    return key->family;
}

unsigned ods_hsm_key_bits(const ods_hsm_key_t *key)
{
    return key->bits;
}

int hsm_key_alg(const ods_hsm_key_t *key, int algorithm, const hsm_alg_t **out, ods_err_t *err)
{
    const hsm_alg_t *a = hsm_alg_get(algorithm);
    if (a && a->family == key->family &&
        (a->family == ODS_HSM_RSA || a->number == key->algorithm)) {
        *out = a;
        return ODS_OK;
    }
    const hsm_alg_t *k = hsm_alg_get(key->algorithm);
    char shape[32];
    if (key->family == ODS_HSM_RSA)
        snprintf(shape, sizeof(shape), "%u-bit RSA", key->bits);
    else
        snprintf(shape, sizeof(shape), "%s", k ? k->curve : "unknown type of");
    return ods_err_set(err, ODS_EINVAL,
                       "key %s (repository %s) is a %s key: it cannot be used with DNSSEC "
                       "algorithm %d (%s)",
                       key->locator, ods_hsm_key_repository(key), shape, algorithm,
                       a ? a->name : "not supported");
}

struct delete_arg {
    const CK_BYTE *id;
    size_t idlen;
    size_t deleted;
};

/* Destroy every private and public key object with the CKA_ID (not certificates or data). */
static CK_RV delete_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    struct delete_arg *a = varg;
    static const CK_OBJECT_CLASS classes[] = { CKO_PRIVATE_KEY, CKO_PUBLIC_KEY };
    for (size_t c = 0; c < 2; c++) {
        CK_OBJECT_CLASS cls = classes[c];
        CK_ATTRIBUTE tmpl[] = {
            { CKA_CLASS, &cls, sizeof(cls) },
            { CKA_ID, (void *)a->id, a->idlen },
        };
        CK_OBJECT_HANDLE h[16];
        CK_ULONG n = 0;
        CK_RV rv = hsm_find(r, s, tmpl, 2, h, 16, &n);
        for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
            rv = r->f->C_DestroyObject(s, h[i]);
            a->deleted += rv == CKR_OK;
        }
        if (rv != CKR_OK)
            return rv;
    }
    return CKR_OK;
}

int ods_hsm_delete(ods_hsm_ctx_t *ctx, const char *locator, ods_err_t *err)
{
    CK_BYTE id[HSM_ID_MAX];
    struct delete_arg a = { .id = id };
    int rc = hsm_locator_parse(locator, id, &a.idlen, err);
    if (rc != ODS_OK)
        return rc;
    for (size_t r = 0; r < ctx->hsm->nrepos; r++) {
        rc = hsm_ctx_run(ctx, r, delete_op, &a, "deleting a key", err);
        if (rc != ODS_OK) {
            ods_err_prefix(err, "key %s: ", locator);
            return rc;
        }
        if (a.deleted)
            return ODS_OK;
    }
    return ods_err_set(err, ODS_ENOTFOUND, "key %s not found in any repository", locator);
}
