/* verify.c -- software verification of DNSSEC signatures against DNSKEY RDATA. */
#include "hsm/verify.h"
#include "hsm/internal.h"

#include <openssl/ecdsa.h>
#include <openssl/err.h>

static const EVP_MD *verify_md(enum hsm_md md)
{
    switch (md) {
    case HSM_MD_SHA1:
        return EVP_sha1();
    case HSM_MD_SHA256:
        return EVP_sha256();
    case HSM_MD_SHA384:
        return EVP_sha384();
    case HSM_MD_SHA512:
        return EVP_sha512();
    default:
        return NULL;
    }
}

/* DNSSEC r || s (RFC 6605) to the DER ECDSA-Sig-Value OpenSSL verifies. */
static int ecdsa_der(const hsm_alg_t *a, const uint8_t *sig, size_t siglen, unsigned char **der,
                     int *derlen)
{
    if (siglen != a->siglen)
        return ODS_EINVAL;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)siglen / 2, NULL);
    BIGNUM *s = BN_bin2bn(sig + siglen / 2, (int)siglen / 2, NULL);
    if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return ODS_ENOMEM;
    }
    *der = NULL;
    *derlen = i2d_ECDSA_SIG(es, der);
    ECDSA_SIG_free(es);
    return *derlen > 0 ? ODS_OK : ODS_ENOMEM;
}

static int verify_pkey(EVP_PKEY *pk, const hsm_alg_t *a, const uint8_t *data, size_t len,
                       const uint8_t *sig, size_t siglen)
{
    unsigned char *der = NULL;
    int derlen = 0;
    if (a->family == ODS_HSM_ECDSA) {
        int rc = ecdsa_der(a, sig, siglen, &der, &derlen);
        if (rc != ODS_OK)
            return rc;
        sig = der;
        siglen = (size_t)derlen;
    }
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    int ok = mc && EVP_DigestVerifyInit(mc, NULL, verify_md(a->md), NULL, pk) == 1 &&
             EVP_DigestVerify(mc, sig, siglen, data, len) == 1;
    EVP_MD_CTX_free(mc);
    OPENSSL_free(der);
    return ok ? ODS_OK : ODS_EINVAL;
}

int ods_hsm_verify(const uint8_t *rdata, size_t rdlen, const uint8_t *data, size_t len,
                   const uint8_t *sig, size_t siglen, ods_err_t *err)
{
    if (rdlen < 5 || rdata[2] != 3)
        return ods_err_set(err, ODS_EINVAL, "not a DNSKEY RDATA");
    const hsm_alg_t *a = hsm_alg_get(rdata[3]);
    if (a == NULL)
        return ods_err_set(err, ODS_EMECH, "DNSSEC algorithm %d is not supported", rdata[3]);
    EVP_PKEY *pk = hsm_pkey_from_dnssec(a, rdata + 4, rdlen - 4);
    if (pk == NULL)
        return ods_err_set(err, ODS_EINVAL, "malformed %s public key in DNSKEY", a->name);
    int rc = verify_pkey(pk, a, data, len, sig, siglen);
    EVP_PKEY_free(pk);
    ERR_clear_error();
    if (rc == ODS_ENOMEM)
        return ods_err_set(err, rc, "out of memory");
    if (rc != ODS_OK)
        return ods_err_set(err, rc, "%s signature (%zu bytes) does not verify", a->name, siglen);
    return ODS_OK;
}
