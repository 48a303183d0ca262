/*
 * pkey.c -- DNSSEC public keys from PKCS#11 attributes and OpenSSL EVP_PKEYs.
 * The other direction (DNSKEY -> EVP_PKEY) is dnssec/verify.h.
 */
#include "hsm/internal.h"

#include <openssl/core_names.h>
#include <string.h>

int hsm_rsa_dnssec(const uint8_t *e, size_t elen, const uint8_t *n, size_t nlen, uint8_t *out,
                   size_t *len)
{
    for (; elen > 0 && *e == 0; e++, elen--)
        ;
    for (; nlen > 0 && *n == 0; n++, nlen--)
        ;
    size_t hdr = elen <= 255 ? 1 : 3;
    if (elen == 0 || nlen == 0 || elen > 0xffff || hdr + elen + nlen > *len)
        return ODS_EINVAL;
    if (hdr == 1) {
        out[0] = (uint8_t)elen;
    } else {
        out[0] = 0;
        out[1] = (uint8_t)(elen >> 8);
        out[2] = (uint8_t)elen;
    }
    memcpy(out + hdr, e, elen);
    memcpy(out + hdr + elen, n, nlen);
    *len = hdr + elen + nlen;
    return ODS_OK;
}

int hsm_ec_point_dnssec(const hsm_alg_t *a, const uint8_t *pt, size_t ptlen, uint8_t *out,
                        size_t *len)
{
    /* ECDSA points are uncompressed (0x04 || x || y); EdDSA keys are the raw key. */
    size_t raw = a->family == ODS_HSM_ECDSA ? a->publen + 1 : a->publen;
    size_t skip = a->family == ODS_HSM_ECDSA ? 1 : 0;
    if (ptlen != raw) {
        /* PKCS #11 wraps the point in a DER OCTET STRING. */
        size_t hdr = ptlen > 2 && pt[1] == 0x81 ? 3 : 2;
        size_t inner = hdr == 3 ? pt[2] : (ptlen > 1 ? pt[1] : 0);
        if (ptlen < hdr || pt[0] != 0x04 || (hdr == 2 && pt[1] >= 0x80) || inner != raw ||
            hdr + inner != ptlen)
            return ODS_EINVAL;
        pt += hdr;
    }
    if ((skip && pt[0] != 0x04) || a->publen > *len)
        return ODS_EINVAL;
    memcpy(out, pt + skip, a->publen);
    *len = a->publen;
    return ODS_OK;
}

static int rsa_to_dnssec(EVP_PKEY *pkey, uint8_t *out, size_t *len)
{
    BIGNUM *n = NULL, *e = NULL;
    uint8_t nb[1024], eb[16];
    int rc = ODS_EINVAL;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) &&
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) &&
        BN_num_bytes(n) <= (int)sizeof(nb) && BN_num_bytes(e) <= (int)sizeof(eb)) {
        int nlen = BN_bn2bin(n, nb), elen = BN_bn2bin(e, eb);
        rc = hsm_rsa_dnssec(eb, (size_t)elen, nb, (size_t)nlen, out, len);
    }
    BN_free(n);
    BN_free(e);
    return rc;
}

int hsm_pkey_to_dnssec(EVP_PKEY *pkey, const hsm_alg_t *a, uint8_t *out, size_t *len)
{
    if (a->family == ODS_HSM_RSA)
        return EVP_PKEY_is_a(pkey, "RSA") ? rsa_to_dnssec(pkey, out, len) : ODS_EINVAL;
    if (a->family == ODS_HSM_EDDSA) {
        size_t l = *len;
        if (EVP_PKEY_get_raw_public_key(pkey, out, &l) != 1 || l != a->publen)
            return ODS_EINVAL;
        *len = l;
        return ODS_OK;
    }
    uint8_t point[1 + 96 + 1];
    size_t plen = 0;
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                        sizeof(point), &plen) != 1)
        return ODS_EINVAL;
    return hsm_ec_point_dnssec(a, point, plen, out, len);
}
