#include "dnssec/verify.h"
#include "dnssec/algorithm.h"
#include "dnssec/digest.h"
#include "dnssec/keytag.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

#define DNSKEY_ZONE_FLAG 0x0100
#define DNSKEY_PROTOCOL  3

struct ods_verify_key {
    EVP_PKEY *pkey;
    const ods_algorithm_t *alg;
    uint16_t tag;
};

/* Build a public EVP_PKEY of type keytype from params in bld. */
static int pkey_from_params(const char *keytype, OSSL_PARAM_BLD *bld, EVP_PKEY **pkey)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    EVP_PKEY *k = NULL;
    int ok = params != NULL && ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
             EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    if (!ok) {
        ERR_clear_error();
        return ODS_EINVAL;
    }
    *pkey = k;
    return ODS_OK;
}

/* RFC 3110: exponent length (1 octet, or 0 and 2 octets), exponent, modulus. */
static int rsa_pkey(const uint8_t *pub, size_t len, EVP_PKEY **pkey, const char **why)
{
    size_t off = 1, elen = len > 0 ? pub[0] : 0;
    if (len >= 3 && pub[0] == 0) {
        elen = (size_t)pub[1] << 8 | pub[2];
        off = 3;
    }
    if (len < off || elen == 0 || elen >= len - off) {
        *why = "the RSA exponent or modulus is missing or truncated";
        return ODS_EINVAL;
    }
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *e = BN_bin2bn(pub + off, (int)elen, NULL);
    BIGNUM *n = BN_bin2bn(pub + off + elen, (int)(len - off - elen), NULL);
    int rc = ODS_ENOMEM;
    if (bld != NULL && e != NULL && n != NULL &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1) {
        rc = pkey_from_params("RSA", bld, pkey);
        *why = "OpenSSL rejects the RSA public key";
    }
    BN_free(e);
    BN_free(n);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

/* RFC 6605 (x | y, made an uncompressed point) and RFC 8080 (raw key). */
static int curve_pkey(const ods_algorithm_t *a, const uint8_t *pub, size_t len, EVP_PKEY **pkey,
                      const char **why)
{
    if (len != a->pubkey_len) {
        *why = "the public key has the wrong length for its algorithm";
        return ODS_EINVAL;
    }
    uint8_t point[1 + 2 * 48];
    const uint8_t *octets = pub;
    size_t olen = len;
    if (a->keytype == ODS_KEYTYPE_ECDSA) {
        point[0] = 0x04;
        memcpy(point + 1, pub, len);
        octets = point;
        olen = len + 1;
    }
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    int rc = ODS_ENOMEM;
    if (bld != NULL &&
        (a->keytype != ODS_KEYTYPE_ECDSA ||
         OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, a->curve, 0) == 1) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, octets, olen) == 1) {
        rc = pkey_from_params(a->keytype == ODS_KEYTYPE_ECDSA ? "EC" : a->curve, bld, pkey);
        *why = "OpenSSL rejects the public key (not a point on the curve?)";
    }
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

static int check_dnskey(const uint8_t *dnskey, size_t len, const ods_algorithm_t **alg,
                        ods_err_t *err)
{
    uint16_t tag = ods_dnssec_keytag(dnskey, len);
    if (len < 5)
        return ods_err_set(err, ODS_EINVAL, "DNSKEY RDATA of %zu octets is too short", len);
    if (dnskey[2] != DNSKEY_PROTOCOL || !((dnskey[0] << 8 | dnskey[1]) & DNSKEY_ZONE_FLAG))
        return ods_err_set(err, ODS_EINVAL,
                           "DNSKEY %u is not a zone key (protocol %u, flags %u): it cannot "
                           "verify signatures",
                           tag, dnskey[2], dnskey[0] << 8 | dnskey[1]);
    const ods_algorithm_t *a = ods_algorithm_by_number(dnskey[3]);
    if (a == NULL || !a->can_verify)
        return ods_err_set(err, ODS_EMECH,
                           "DNSKEY %u uses algorithm %u (%s), which this signer cannot verify", tag,
                           dnskey[3], a != NULL ? a->mnemonic : "unknown");
    *alg = a;
    return ODS_OK;
}

int ods_verify_pkey_from_dnskey(const uint8_t *dnskey, size_t len, EVP_PKEY **pkey, ods_err_t *err)
{
    const ods_algorithm_t *a = NULL;
    int rc = check_dnskey(dnskey, len, &a, err);
    if (rc != ODS_OK)
        return rc;
    const char *why = "out of memory";
    EVP_PKEY *k = NULL;
    if (a->keytype == ODS_KEYTYPE_RSA)
        rc = rsa_pkey(dnskey + 4, len - 4, &k, &why);
    else
        rc = curve_pkey(a, dnskey + 4, len - 4, &k, &why);
    uint16_t tag = ods_dnssec_keytag(dnskey, len);
    if (rc != ODS_OK)
        return ods_err_set(err, rc, "DNSKEY %u (%s): %s", tag, a->mnemonic, why);
    int bits = EVP_PKEY_get_bits(k);
    if (a->keytype == ODS_KEYTYPE_RSA && bits < a->min_bits) {
        EVP_PKEY_free(k);
        return ods_err_set(err, ODS_EINVAL,
                           "DNSKEY %u (%s): an RSA key of %d bits is below the %u-bit minimum", tag,
                           a->mnemonic, bits, a->min_bits);
    }
    *pkey = k;
    return ODS_OK;
}

int ods_verify_key_new(const uint8_t *dnskey, size_t len, ods_verify_key_t **key, ods_err_t *err)
{
    EVP_PKEY *pkey;
    int rc = ods_verify_pkey_from_dnskey(dnskey, len, &pkey, err);
    if (rc != ODS_OK)
        return rc;
    ods_verify_key_t *k = malloc(sizeof(*k));
    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return ods_err_set(err, ODS_ENOMEM, "out of memory building a verification key");
    }
    k->pkey = pkey;
    k->alg = ods_algorithm_by_number(dnskey[3]);
    k->tag = ods_dnssec_keytag(dnskey, len);
    *key = k;
    return ODS_OK;
}

void ods_verify_key_free(ods_verify_key_t *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey);
    free(key);
}

uint8_t ods_verify_key_algorithm(const ods_verify_key_t *key)
{
    return key->alg->number;
}

uint16_t ods_verify_key_tag(const ods_verify_key_t *key)
{
    return key->tag;
}

/* One DER INTEGER from a big-endian unsigned value; returns octets written. */
static size_t der_integer(uint8_t *out, const uint8_t *v, size_t n)
{
    while (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    size_t pad = (v[0] & 0x80) ? 1 : 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, v, n);
    return 2 + pad + n;
}

/* r | s (two halves of siglen) as a DER ECDSA-Sig-Value; out has 110 octets. */
static size_t ecdsa_der(const uint8_t *sig, size_t siglen, uint8_t *out)
{
    size_t half = siglen / 2;
    size_t n = der_integer(out + 2, sig, half);
    n += der_integer(out + 2 + n, sig + half, half);
    out[0] = 0x30;
    out[1] = (uint8_t)n; /* at most 2 * (3 + 48) = 102: short form */
    return 2 + n;
}

static int digest_verify(const ods_verify_key_t *key, const uint8_t *data, size_t len,
                         const uint8_t *sig, size_t siglen)
{
    const EVP_MD *md = NULL;
    if (key->alg->digest != ODS_DIGEST_NONE && (md = ods_digest_evp(key->alg->digest)) == NULL)
        return ODS_EMECH;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return ODS_ENOMEM;
    int rc = ODS_EMECH;
    if (EVP_DigestVerifyInit(ctx, NULL, md, NULL, key->pkey) == 1)
        rc = EVP_DigestVerify(ctx, sig, siglen, data, len) == 1 ? ODS_OK : ODS_EZONE;
    EVP_MD_CTX_free(ctx);
    if (rc != ODS_OK)
        ERR_clear_error(); /* leave no stale OpenSSL errors behind in this thread */
    return rc;
}

int ods_verify_key_check(const ods_verify_key_t *key, const uint8_t *data, size_t len,
                         const uint8_t *sig, size_t siglen, ods_err_t *err)
{
    const ods_algorithm_t *a = key->alg;
    uint8_t der[110];
    if (a->sig_len != 0 && siglen != a->sig_len)
        return ods_err_set(err, ODS_EZONE,
                           "signature by key %u (%s) is %zu octets, expected %u: it is bogus",
                           key->tag, a->mnemonic, siglen, a->sig_len);
    if (a->keytype == ODS_KEYTYPE_ECDSA) {
        siglen = ecdsa_der(sig, siglen, der);
        sig = der;
    }
    int rc = digest_verify(key, data, len, sig, siglen);
    if (rc == ODS_EZONE)
        return ods_err_set(err, rc, "signature by key %u (%s) does not verify", key->tag,
                           a->mnemonic);
    if (rc != ODS_OK)
        return ods_err_set(err, rc, "cannot verify with key %u (%s): %s", key->tag, a->mnemonic,
                           rc == ODS_ENOMEM ? "out of memory" : "OpenSSL lacks support");
    return ODS_OK;
}

int ods_verify_dnskey(const uint8_t *dnskey, size_t dnskey_len, const uint8_t *data, size_t len,
                      const uint8_t *sig, size_t siglen, ods_err_t *err)
{
    ods_verify_key_t *key;
    int rc = ods_verify_key_new(dnskey, dnskey_len, &key, err);
    if (rc != ODS_OK)
        return rc;
    rc = ods_verify_key_check(key, data, len, sig, siglen, err);
    ods_verify_key_free(key);
    return rc;
}
