/* objects.c -- finding token objects and reading their attributes. */
#include "hsm/internal.h"

#include <stdlib.h>
#include <string.h>

CK_RV hsm_find(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n,
               CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *found)
{
    CK_RV rv = r->f->C_FindObjectsInit(s, tmpl, n);
    if (rv != CKR_OK)
        return rv;
    *found = 0;
    rv = r->f->C_FindObjects(s, out, max, found);
    CK_RV fin = r->f->C_FindObjectsFinal(s);
    return rv != CKR_OK ? rv : fin;
}

CK_RV hsm_find_all(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n,
                   CK_OBJECT_HANDLE **out, size_t *count)
{
    CK_RV rv = r->f->C_FindObjectsInit(s, tmpl, n);
    if (rv != CKR_OK)
        return rv;
    CK_OBJECT_HANDLE *all = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            CK_OBJECT_HANDLE *p = realloc(all, ncap * sizeof(*p));
            if (p == NULL) {
                rv = CKR_HOST_MEMORY;
                break;
            }
            all = p;
            cap = ncap;
        }
        CK_ULONG got = 0;
        rv = r->f->C_FindObjects(s, all + len, cap - len, &got);
        if (rv != CKR_OK || got == 0)
            break;
        len += got;
    }
    CK_RV fin = r->f->C_FindObjectsFinal(s);
    if (rv == CKR_OK)
        rv = fin;
    if (rv != CKR_OK) {
        free(all);
        return rv;
    }
    if (len == 0) {
        free(all);
        all = NULL;
    }
    *out = all;
    *count = len;
    return CKR_OK;
}

CK_RV hsm_find_key(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const CK_BYTE *id,
                   size_t idlen, CK_OBJECT_HANDLE *h)
{
    CK_ATTRIBUTE tmpl[] = {
        { CKA_CLASS, &cls, sizeof(cls) },
        { CKA_ID, (void *)id, idlen },
    };
    CK_OBJECT_HANDLE found[1];
    CK_ULONG n = 0;
    CK_RV rv = hsm_find(r, s, tmpl, 2, found, 1, &n);
    if (rv == CKR_OK)
        *h = n ? found[0] : CK_INVALID_HANDLE;
    return rv;
}

CK_RV hsm_get_attr(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type,
                   void *buf, size_t *len)
{
    CK_ATTRIBUTE a = { type, buf, *len };
    CK_RV rv = r->f->C_GetAttributeValue(s, h, &a, 1);
    if (rv == CKR_OK && a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
        rv = CKR_ATTRIBUTE_TYPE_INVALID;
    if (rv == CKR_OK)
        *len = a.ulValueLen;
    return rv;
}

/* Bits of a big-endian unsigned integer. */
static unsigned be_bits(const CK_BYTE *p, size_t len)
{
    while (len > 0 && *p == 0) {
        p++;
        len--;
    }
    if (len == 0)
        return 0;
    unsigned bits = (unsigned)(len - 1) * 8;
    for (CK_BYTE b = *p; b; b >>= 1)
        bits++;
    return bits;
}

CK_RV hsm_key_shape(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, int *family,
                    int *algorithm, unsigned *bits)
{
    CK_KEY_TYPE kt;
    size_t len = sizeof(kt);
    CK_RV rv = hsm_get_attr(r, s, h, CKA_KEY_TYPE, &kt, &len);
    if (rv != CKR_OK)
        return rv;
    CK_BYTE buf[1100];
    *family = ODS_HSM_FAMILY_UNKNOWN;
    *algorithm = 0;
    *bits = 0;
    len = sizeof(buf);
    if (kt == CKK_RSA) {
        rv = hsm_get_attr(r, s, h, CKA_MODULUS, buf, &len);
        if (rv == CKR_OK) {
            *family = ODS_HSM_RSA;
            *bits = be_bits(buf, len);
        }
    } else if (kt == CKK_EC || kt == CKK_EC_EDWARDS) {
        rv = hsm_get_attr(r, s, h, CKA_EC_PARAMS, buf, &len);
        const hsm_alg_t *a = rv == CKR_OK ? hsm_alg_by_params(buf, len) : NULL;
        if (a) {
            *family = a->family;
            *algorithm = a->number;
            *bits = a->bits;
        }
    }
    /* Keys of other types or curves are listed as unknown; they cannot be used. */
    return rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE ? CKR_OK : rv;
}
