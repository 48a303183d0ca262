#include "helpers.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 1;

uint64_t th_seed(void)
{
    const char *env = getenv("ODS_TEST_SEED");
    uint64_t seed =
        env != NULL ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ (uint64_t)clock();
    rng_state = seed != 0 ? seed : 1;
    return seed;
}

uint64_t th_rand(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

unsigned th_below(unsigned n)
{
    return (unsigned)(th_rand() % n);
}

static const uint8_t pool[] = { 'a', 'A', 'b',  'B',  'z', 'Z',  '_', '[', '`', '{',
                                '-', '0', 0x00, 0xff, '.', '\\', '@', ' ', '*', 0x7f };

size_t th_random_name(uint8_t *out, unsigned maxlabels)
{
    size_t pos = 0;
    unsigned n = th_below(maxlabels + 1);
    for (unsigned i = 0; i < n; i++) {
        unsigned len = th_below(16) == 0 ? 1 + th_below(63) : 1 + th_below(3);
        if (pos + 1 + len + 1 > 255)
            break;
        out[pos++] = (uint8_t)len;
        for (unsigned j = 0; j < len; j++)
            out[pos++] = pool[th_below(th_below(4) == 0 ? sizeof(pool) : 4)];
    }
    out[pos++] = 0;
    return pos;
}

static size_t wire_name_len(const uint8_t *w)
{
    size_t p = 0;
    while (w[p] != 0)
        p += (size_t)w[p] + 1;
    return p + 1;
}

ldns_rdf *th_ldns_name(const uint8_t *wire)
{
    return ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, wire_name_len(wire), wire);
}

ldns_rr *th_ldns_rr(const uint8_t *owner, uint16_t type, uint16_t rrclass, uint32_t ttl,
                    const uint8_t *rdata, size_t rdlen)
{
    uint8_t wire[255 + 10 + 65535];
    size_t olen = wire_name_len(owner), pos = 0;
    memcpy(wire, owner, olen);
    uint8_t *p = wire + olen;
    p[0] = (uint8_t)(type >> 8);
    p[1] = (uint8_t)type;
    p[2] = (uint8_t)(rrclass >> 8);
    p[3] = (uint8_t)rrclass;
    p[4] = (uint8_t)(ttl >> 24);
    p[5] = (uint8_t)(ttl >> 16);
    p[6] = (uint8_t)(ttl >> 8);
    p[7] = (uint8_t)ttl;
    p[8] = (uint8_t)(rdlen >> 8);
    p[9] = (uint8_t)rdlen;
    memcpy(p + 10, rdata, rdlen);
    ldns_rr *rr = NULL;
    if (ldns_wire2rr(&rr, wire, olen + 10 + rdlen, &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
        return NULL;
    return rr;
}

size_t th_ldns_rdata(const ldns_rr *rr, uint8_t *out, size_t outlen)
{
    ldns_buffer *b = ldns_buffer_new(1024);
    size_t n = 0;
    if (b != NULL && ldns_rr_rdata2buffer_wire(b, rr) == LDNS_STATUS_OK &&
        ldns_buffer_position(b) <= outlen) {
        n = ldns_buffer_position(b);
        memcpy(out, ldns_buffer_begin(b), n);
    }
    ldns_buffer_free(b);
    return n;
}

EVP_PKEY *th_keygen(uint8_t alg, unsigned bits)
{
    switch (alg) {
    case 5:
    case 7:
    case 8:
    case 10:
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    case 13:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    case 14:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    case 15:
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    case 16:
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED448");
    default:
        return NULL;
    }
}

static size_t rsa_public(EVP_PKEY *key, uint8_t *out, size_t outlen)
{
    BIGNUM *n = NULL, *e = NULL;
    size_t len = 0;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
        size_t el = (size_t)BN_num_bytes(e), nl = (size_t)BN_num_bytes(n);
        size_t hl = el > 255 ? 3 : 1;
        if (hl + el + nl <= outlen) {
            if (hl == 1) {
                out[0] = (uint8_t)el;
            } else {
                out[0] = 0;
                out[1] = (uint8_t)(el >> 8);
                out[2] = (uint8_t)el;
            }
            BN_bn2bin(e, out + hl);
            BN_bn2bin(n, out + hl + el);
            len = hl + el + nl;
        }
    }
    BN_free(n);
    BN_free(e);
    return len;
}

size_t th_dnskey_rdata(EVP_PKEY *key, uint16_t flags, uint8_t alg, uint8_t *out, size_t outlen)
{
    uint8_t pub[1024];
    size_t len = 0;
    if (outlen < 4)
        return 0;
    out[0] = (uint8_t)(flags >> 8);
    out[1] = (uint8_t)flags;
    out[2] = 3;
    out[3] = alg;
    if (alg == 13 || alg == 14) {
        if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &len) !=
                1 ||
            pub[0] != 0x04 || len - 1 > outlen - 4)
            return 0;
        memcpy(out + 4, pub + 1, len - 1);
        return 4 + len - 1;
    }
    if (alg == 15 || alg == 16) {
        len = outlen - 4;
        return EVP_PKEY_get_raw_public_key(key, out + 4, &len) == 1 ? 4 + len : 0;
    }
    len = rsa_public(key, out + 4, outlen - 4);
    return len ? 4 + len : 0;
}

static const EVP_MD *alg_md(uint8_t alg)
{
    switch (alg) {
    case 5:
    case 7:
        return EVP_sha1();
    case 8:
    case 13:
        return EVP_sha256();
    case 10:
        return EVP_sha512();
    case 14:
        return EVP_sha384();
    default:
        return NULL;
    }
}

static size_t ecdsa_raw(const uint8_t *der, size_t derlen, uint8_t alg, uint8_t *sig, size_t siglen)
{
    int half = alg == 13 ? 32 : 48;
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
    size_t n = 0;
    if (es != NULL && siglen >= (size_t)(2 * half)) {
        const BIGNUM *r, *s;
        ECDSA_SIG_get0(es, &r, &s);
        if (BN_bn2binpad(r, sig, half) == half && BN_bn2binpad(s, sig + half, half) == half)
            n = (size_t)(2 * half);
    }
    ECDSA_SIG_free(es);
    return n;
}

size_t th_sign(EVP_PKEY *key, uint8_t alg, const uint8_t *data, size_t len, uint8_t *sig,
               size_t siglen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t buf[1024];
    size_t n = sizeof(buf), out = 0;
    if (ctx != NULL && EVP_DigestSignInit(ctx, NULL, alg_md(alg), NULL, key) == 1 &&
        EVP_DigestSign(ctx, buf, &n, data, len) == 1) {
        if (alg == 13 || alg == 14) {
            out = ecdsa_raw(buf, n, alg, sig, siglen);
        } else if (n <= siglen) {
            memcpy(sig, buf, n);
            out = n;
        }
    }
    EVP_MD_CTX_free(ctx);
    return out;
}

const char *th_hex(const uint8_t *p, size_t n)
{
    static char buf[4096];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 < sizeof(buf); i++)
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%02x", p[i]);
    buf[k] = '\0';
    return buf;
}
