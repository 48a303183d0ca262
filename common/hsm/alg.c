/* alg.c -- DNSSEC algorithm table: mechanisms, curves, digests, sizes. */
#include "hsm/internal.h"

#include <string.h>

/* Curve OIDs (DER): P-256 1.2.840.10045.3.1.7, P-384 1.3.132.0.34, Ed25519 1.3.101.112,
 * Ed448 1.3.101.113. */
static const CK_BYTE oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const CK_BYTE oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const CK_BYTE oid_ed25519[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };
static const CK_BYTE oid_ed448[] = { 0x06, 0x03, 0x2b, 0x65, 0x71 };

/* DER DigestInfo prefixes for PKCS #1 v1.5 signatures (RFC 8017 section 9.2, note 1). */
static const CK_BYTE di_sha1[] = { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                   0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 };
static const CK_BYTE di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
static const CK_BYTE di_sha512[] = { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 };

#define RSA_ALG(num, nm, mdid, di)                                                                 \
    {                                                                                              \
        .number = (num), .name = (nm), .family = ODS_HSM_RSA, .key_type = CKK_RSA,                 \
        .gen_mech = CKM_RSA_PKCS_KEY_PAIR_GEN, .sign_mech = CKM_RSA_PKCS, .md = (mdid),            \
        .info = (di), .info_len = sizeof(di),                                                      \
    }

#define CURVE_ALG(num, nm, fam, kt, gm, sm, oid, cv, nbits, plen, slen, mdid)                      \
    {                                                                                              \
        .number = (num), .name = (nm), .family = (fam), .key_type = (kt), .gen_mech = (gm),        \
        .sign_mech = (sm), .params = (oid), .params_len = sizeof(oid), .curve = (cv),              \
        .bits = (nbits), .publen = (plen), .siglen = (slen), .md = (mdid),                         \
    }

static const hsm_alg_t algs[] = {
    RSA_ALG(8, "RSASHA256", HSM_MD_SHA256, di_sha256),
    RSA_ALG(10, "RSASHA512", HSM_MD_SHA512, di_sha512),
    RSA_ALG(5, "RSASHA1", HSM_MD_SHA1, di_sha1),
    RSA_ALG(7, "RSASHA1-NSEC3-SHA1", HSM_MD_SHA1, di_sha1),
    CURVE_ALG(13, "ECDSAP256SHA256", ODS_HSM_ECDSA, CKK_EC, CKM_EC_KEY_PAIR_GEN, CKM_ECDSA,
              oid_p256, "P-256", 256, 64, 64, HSM_MD_SHA256),
    CURVE_ALG(14, "ECDSAP384SHA384", ODS_HSM_ECDSA, CKK_EC, CKM_EC_KEY_PAIR_GEN, CKM_ECDSA,
              oid_p384, "P-384", 384, 96, 96, HSM_MD_SHA384),
    CURVE_ALG(15, "ED25519", ODS_HSM_EDDSA, CKK_EC_EDWARDS, CKM_EC_EDWARDS_KEY_PAIR_GEN, CKM_EDDSA,
              oid_ed25519, "Ed25519", 256, 32, 64, HSM_MD_NONE),
    CURVE_ALG(16, "ED448", ODS_HSM_EDDSA, CKK_EC_EDWARDS, CKM_EC_EDWARDS_KEY_PAIR_GEN, CKM_EDDSA,
              oid_ed448, "Ed448", 456, 57, 114, HSM_MD_NONE),
};

#define NALGS (sizeof(algs) / sizeof(algs[0]))

const hsm_alg_t *hsm_alg_get(int algorithm)
{
    switch (algorithm) {
    case 8:
        return &algs[0];
    case 10:
        return &algs[1];
    case 5:
        return &algs[2];
    case 7:
        return &algs[3];
    case 13:
        return &algs[4];
    case 14:
        return &algs[5];
    case 15:
        return &algs[6];
    case 16:
        return &algs[7];
    default:
        return NULL;
    }
}

const hsm_alg_t *hsm_alg_all(size_t *n)
{
    *n = NALGS;
    return algs;
}

/* PKCS #11 3.0 also allows a PrintableString curve name for the Edwards curves. */
static bool printable_is(const CK_BYTE *p, size_t len, const char *name)
{
    size_t n = strlen(name);
    return len == n + 2 && p[0] == 0x13 && p[1] == n && memcmp(p + 2, name, n) == 0;
}

const hsm_alg_t *hsm_alg_by_params(const CK_BYTE *params, size_t len)
{
    for (size_t i = 0; i < NALGS; i++) {
        const hsm_alg_t *a = &algs[i];
        if (a->params && a->params_len == len && memcmp(a->params, params, len) == 0)
            return a;
    }
    if (printable_is(params, len, "edwards25519"))
        return hsm_alg_get(15);
    if (printable_is(params, len, "edwards448"))
        return hsm_alg_get(16);
    return NULL;
}

bool ods_hsm_alg_known(int algorithm)
{
    return hsm_alg_get(algorithm) != NULL;
}

const char *ods_hsm_alg_name(int algorithm)
{
    const hsm_alg_t *a = hsm_alg_get(algorithm);
    return a ? a->name : NULL;
}

int ods_hsm_alg_family(int algorithm)
{
    const hsm_alg_t *a = hsm_alg_get(algorithm);
    return a ? a->family : ODS_HSM_FAMILY_UNKNOWN;
}

const char *ods_hsm_family_name(int family)
{
    switch (family) {
    case ODS_HSM_RSA:
        return "RSA";
    case ODS_HSM_ECDSA:
        return "ECDSA";
    case ODS_HSM_EDDSA:
        return "EdDSA";
    default:
        return "unknown";
    }
}
