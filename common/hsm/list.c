/* list.c -- listing and counting keys: one C_FindObjects per class, never one per key. */
#include "hsm/internal.h"

#include <stdlib.h>
#include <string.h>

typedef char locator_t[ODS_HSM_LOCATOR_MAX];

struct list_arg {
    ods_hsm_keyinfo_t *keys;
    size_t n, cap;
    size_t start; /* first entry of the repository being listed */
    const char *repository;
};

static int cmp_locator(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int cmp_keyinfo(const void *a, const void *b)
{
    return strcmp(((const ods_hsm_keyinfo_t *)a)->locator, ((const ods_hsm_keyinfo_t *)b)->locator);
}

/* The locator of an object, or "" when it has no usable CKA_ID. */
static CK_RV object_locator(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, char *out)
{
    CK_BYTE id[HSM_ID_MAX];
    size_t len = sizeof(id);
    CK_RV rv = hsm_get_attr(r, s, h, CKA_ID, id, &len);
    out[0] = '\0';
    if (rv == CKR_OK)
        hsm_locator_format(id, len, out);
    /* A missing or over-long CKA_ID is not ours: skip the object. */
    return rv == CKR_BUFFER_TOO_SMALL || rv == CKR_ATTRIBUTE_TYPE_INVALID ? CKR_OK : rv;
}

/* Sorted locators of all public keys, to mark which private keys have one. */
static CK_RV public_locators(hsm_repo_t *r, CK_SESSION_HANDLE s, locator_t **out, size_t *n)
{
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &cls, sizeof(cls) } };
    CK_OBJECT_HANDLE *h;
    size_t count;
    CK_RV rv = hsm_find_all(r, s, tmpl, 1, &h, &count);
    if (rv != CKR_OK)
        return rv;
    locator_t *locs = count ? calloc(count, sizeof(*locs)) : NULL;
    if (count && locs == NULL)
        rv = CKR_HOST_MEMORY;
    for (size_t i = 0; rv == CKR_OK && i < count; i++)
        rv = object_locator(r, s, h[i], locs[i]);
    free(h);
    if (rv != CKR_OK) {
        free(locs);
        return rv;
    }
    if (count)
        qsort(locs, count, sizeof(*locs), cmp_locator);
    *out = locs;
    *n = count;
    return CKR_OK;
}

static CK_RV list_push(struct list_arg *a, ods_hsm_keyinfo_t **slot)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? 2 * a->cap : 64;
        ods_hsm_keyinfo_t *p = realloc(a->keys, ncap * sizeof(*p));
        if (p == NULL)
            return CKR_HOST_MEMORY;
        a->keys = p;
        a->cap = ncap;
    }
    *slot = &a->keys[a->n++];
    memset(*slot, 0, sizeof(**slot));
    return CKR_OK;
}

static CK_RV list_key(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, struct list_arg *a,
                      const locator_t *pubs, size_t npubs)
{
    locator_t loc;
    CK_RV rv = object_locator(r, s, h, loc);
    if (rv != CKR_OK || loc[0] == '\0')
        return rv;
    ods_hsm_keyinfo_t *k;
    if ((rv = list_push(a, &k)) != CKR_OK)
        return rv;
    memcpy(k->locator, loc, sizeof(loc));
    k->repository = r->name;
    k->has_public = npubs && bsearch(loc, pubs, npubs, sizeof(*pubs), cmp_locator) != NULL;
    rv = hsm_key_shape(r, s, h, &k->family, &k->algorithm, &k->bits);
    const hsm_alg_t *alg = hsm_alg_get(k->algorithm);
    k->curve = alg ? alg->curve : NULL;
    return rv;
}

static CK_RV list_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    struct list_arg *a = varg;
    a->n = a->start; /* a retry after a lost session starts the repository again */
    locator_t *pubs = NULL;
    size_t npubs = 0;
    CK_RV rv = public_locators(r, s, &pubs, &npubs);
    if (rv != CKR_OK)
        return rv;
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &cls, sizeof(cls) } };
    CK_OBJECT_HANDLE *h = NULL;
    size_t count = 0;
    rv = hsm_find_all(r, s, tmpl, 1, &h, &count);
    for (size_t i = 0; rv == CKR_OK && i < count; i++)
        rv = list_key(r, s, h[i], a, pubs, npubs);
    free(h);
    free(pubs);
    if (rv == CKR_OK && a->n > a->start)
        qsort(a->keys + a->start, a->n - a->start, sizeof(*a->keys), cmp_keyinfo);
    return rv;
}

/* Repositories [*first, *last) selected by name (NULL: all). */
static int repo_range(ods_hsm_ctx_t *ctx, const char *repository, size_t *first, size_t *last,
                      ods_err_t *err)
{
    if (repository == NULL) {
        *first = 0;
        *last = ctx->hsm->nrepos;
        return ODS_OK;
    }
    int rc = hsm_repo_find(ctx->hsm, repository, first, err);
    *last = *first + 1;
    return rc;
}

int ods_hsm_list(ods_hsm_ctx_t *ctx, const char *repository, ods_hsm_keyinfo_t **keys, size_t *n,
                 ods_err_t *err)
{
    size_t first, last;
    int rc = repo_range(ctx, repository, &first, &last, err);
    struct list_arg a = { 0 };
    for (size_t r = first; rc == ODS_OK && r < last; r++) {
        a.start = a.n;
        rc = hsm_ctx_run(ctx, r, list_op, &a, "listing keys", err);
    }
    if (rc != ODS_OK) {
        free(a.keys);
        return rc;
    }
    if (a.n == 0) {
        free(a.keys);
        a.keys = NULL;
    }
    *keys = a.keys;
    *n = a.n;
    return ODS_OK;
}

static CK_RV count_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &cls, sizeof(cls) } };
    CK_OBJECT_HANDLE *h = NULL;
    CK_RV rv = hsm_find_all(r, s, tmpl, 1, &h, varg);
    free(h);
    return rv;
}

/* Key pairs in repository r (used by generation to enforce Capacity). */
int hsm_count_repo(ods_hsm_ctx_t *ctx, size_t r, size_t *count, ods_err_t *err)
{
    size_t n = 0;
    int rc = hsm_ctx_run(ctx, r, count_op, &n, "counting keys", err);
    if (rc == ODS_OK)
        *count = n;
    return rc;
}

int ods_hsm_count(ods_hsm_ctx_t *ctx, const char *repository, size_t *count, ods_err_t *err)
{
    size_t first, last, total = 0;
    int rc = repo_range(ctx, repository, &first, &last, err);
    for (size_t r = first; rc == ODS_OK && r < last; r++) {
        size_t n = 0;
        rc = hsm_count_repo(ctx, r, &n, err);
        total += n;
    }
    if (rc == ODS_OK)
        *count = total;
    return rc;
}
