/* pubkey.c -- DNSKEY RDATA and key tags from the keys in the HSM. */
#include "hsm/pubkey.h"
#include "dnssec/keytag.h"
#include "hsm/internal.h"

#include <openssl/x509.h>
#include <string.h>

struct pub_arg {
    const ods_hsm_key_t *key;
    const hsm_alg_t *alg;
    uint8_t *out;
    size_t len;      /* capacity in, length out */
    const char *why; /* set when the key was found but its public key cannot be read */
};

static CK_RV rsa_public(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, struct pub_arg *a)
{
    uint8_t n[1024], e[16];
    size_t nlen = sizeof(n), elen = sizeof(e);
    CK_RV rv = hsm_get_attr(r, s, h, CKA_MODULUS, n, &nlen);
    if (rv == CKR_OK)
        rv = hsm_get_attr(r, s, h, CKA_PUBLIC_EXPONENT, e, &elen);
    if (rv == CKR_OK && hsm_rsa_dnssec(e, elen, n, nlen, a->out, &a->len) != ODS_OK)
        a->why = "its modulus or exponent is malformed, or the output buffer is too small";
    return rv;
}

static CK_RV ec_public(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, struct pub_arg *a)
{
    uint8_t point[256];
    size_t plen = sizeof(point);
    CK_RV rv = hsm_get_attr(r, s, h, CKA_EC_POINT, point, &plen);
    if (rv == CKR_OK && hsm_ec_point_dnssec(a->alg, point, plen, a->out, &a->len) != ODS_OK)
        a->why = "its CKA_EC_POINT is not a point of the key's curve";
    return rv;
}

/* SkipPublicKey EC keys: the SubjectPublicKeyInfo kept on the private key. */
static CK_RV ec_public_info(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
                            struct pub_arg *a)
{
    uint8_t spki[512];
    size_t slen = sizeof(spki);
    CK_RV rv = hsm_get_attr(r, s, h, CKA_PUBLIC_KEY_INFO, spki, &slen);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || (rv == CKR_OK && slen == 0)) {
        a->why = "it has no public key object and its private key has no CKA_PUBLIC_KEY_INFO "
                 "(generated with SkipPublicKey elsewhere?)";
        return CKR_OK;
    }
    const unsigned char *p = spki;
    EVP_PKEY *pk = rv == CKR_OK ? d2i_PUBKEY(NULL, &p, (long)slen) : NULL;
    if (rv == CKR_OK && (pk == NULL || hsm_pkey_to_dnssec(pk, a->alg, a->out, &a->len) != ODS_OK))
        a->why = "its CKA_PUBLIC_KEY_INFO does not hold a key of its curve";
    EVP_PKEY_free(pk);
    return rv;
}

static CK_RV pub_op(hsm_repo_t *r, CK_SESSION_HANDLE s, void *varg)
{
    struct pub_arg *a = varg;
    CK_OBJECT_HANDLE h;
    CK_RV rv = hsm_find_key(r, s, CKO_PUBLIC_KEY, a->key->id, a->key->idlen, &h);
    if (rv != CKR_OK)
        return rv;
    bool rsa = a->alg->family == ODS_HSM_RSA;
    if (h != CK_INVALID_HANDLE)
        return rsa ? rsa_public(r, s, h, a) : ec_public(r, s, h, a);
    rv = hsm_find_key(r, s, CKO_PRIVATE_KEY, a->key->id, a->key->idlen, &h);
    if (rv == CKR_OK && h == CK_INVALID_HANDLE)
        a->why = "the key is no longer in the repository";
    if (rv != CKR_OK || h == CK_INVALID_HANDLE)
        return rv;
    return rsa ? rsa_public(r, s, h, a) : ec_public_info(r, s, h, a);
}

int ods_hsm_dnskey_rdata(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm,
                         uint16_t flags, uint8_t *out, size_t *outlen, ods_err_t *err)
{
    const hsm_alg_t *alg;
    int rc = hsm_key_alg(key, algorithm, &alg, err);
    if (rc != ODS_OK)
        return rc;
    if (*outlen < 4)
        return ods_err_set(err, ODS_EINVAL, "DNSKEY buffer too small");
    struct pub_arg a = { .key = key, .alg = alg, .out = out + 4, .len = *outlen - 4 };
    rc = hsm_ctx_run(ctx, key->repo, pub_op, &a, "reading the public key", err);
    if (rc != ODS_OK) {
        ods_err_prefix(err, "key %s: ", key->locator);
        return rc;
    }
    if (a.why)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "key %s (repository %s): cannot export its public "
                           "key: %s",
                           key->locator, ods_hsm_key_repository(key), a.why);
    out[0] = (uint8_t)(flags >> 8);
    out[1] = (uint8_t)flags;
    out[2] = 3;
    out[3] = (uint8_t)algorithm;
    *outlen = 4 + a.len;
    return ODS_OK;
}

int ods_hsm_keytag(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm, uint16_t flags,
                   uint16_t *keytag, ods_err_t *err)
{
    uint8_t rdata[ODS_HSM_DNSKEY_MAX];
    size_t len = sizeof(rdata);
    int rc = ods_hsm_dnskey_rdata(ctx, key, algorithm, flags, rdata, &len, err);
    if (rc == ODS_OK)
        *keytag = ods_dnssec_keytag(rdata, len);
    return rc;
}
