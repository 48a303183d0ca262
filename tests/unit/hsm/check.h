/*
 * check.h -- independent checks for the HSM tests (header-only: include once
 * per test program, after tap.h): verify signatures and compute key tags with
 * ldns, not with our code, and sign-then-verify a key through the layer
 * (and with dnssec/verify.h).
 */
#ifndef ODS_TEST_HSM_CHECK_H
#define ODS_TEST_HSM_CHECK_H

#include "tap.h"

#include "dnssec/verify.h"
#include "hsm/alg.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "hsm/sign.h"

#include <ldns/ldns.h>
#include <stddef.h>
#include <stdint.h>

#define CHECK_FN static __attribute__((unused))

/* ldns_verify_rrsig_buffers_raw over data with the DNSKEY RDATA's key; 1 if valid. */
CHECK_FN int ldns_sig_ok(const uint8_t *rdata, size_t rdlen, const uint8_t *data, size_t len,
                         const uint8_t *sig, size_t siglen)
{
    ldns_buffer *buf = ldns_buffer_new(len ? len : 1);
    ldns_buffer *der = NULL;
    if (buf == NULL)
        return 0;
    ldns_buffer_write(buf, data, len); /* ldns verifies [0, position) */
    unsigned char *s = (unsigned char *)sig;
    size_t slen = siglen;
    int alg = rdata[3];
    if (alg == LDNS_ECDSAP256SHA256 || alg == LDNS_ECDSAP384SHA384) {
        /* DNS r||s to the DER form ldns hands OpenSSL, converted by ldns itself */
        ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, siglen, sig);
        der = ldns_buffer_new(256);
        if (rdf == NULL || der == NULL ||
            ldns_convert_ecdsa_rrsig_rdf2asn1(der, rdf) != LDNS_STATUS_OK) {
            ldns_rdf_deep_free(rdf);
            ldns_buffer_free(der);
            ldns_buffer_free(buf);
            return 0;
        }
        ldns_rdf_deep_free(rdf);
        s = ldns_buffer_begin(der);
        slen = ldns_buffer_position(der);
    }
    ldns_status st = ldns_verify_rrsig_buffers_raw(s, slen, buf, (unsigned char *)rdata + 4,
                                                   rdlen - 4, (uint8_t)alg);
    ldns_buffer_free(der);
    ldns_buffer_free(buf);
    return st == LDNS_STATUS_OK;
}

/* ldns_calc_keytag of a DNSKEY RR built from the RDATA; -1 on error. */
CHECK_FN int ldns_tag(const uint8_t *rdata, size_t rdlen)
{
    ldns_rr *rr = ldns_rr_new();
    if (rr == NULL)
        return -1;
    ldns_rr_set_type(rr, LDNS_RR_TYPE_DNSKEY);
    ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
    ldns_rr_set_owner(rr, ldns_dname_new_frm_str("example."));
    ldns_rr_push_rdf(
        rr, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, (uint16_t)(rdata[0] << 8 | rdata[1])));
    ldns_rr_push_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8, rdata[2]));
    ldns_rr_push_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_ALG, rdata[3]));
    ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, rdlen - 4, rdata + 4));
    int tag = ldns_calc_keytag(rr);
    ldns_rr_free(rr);
    return tag;
}

/* Expected public key length (after the 4-byte header) for algorithm and RSA bits. */
CHECK_FN size_t expected_publen(int algorithm, unsigned bits)
{
    switch (algorithm) {
    case 13:
        return 64;
    case 14:
        return 96;
    case 15:
        return 32;
    case 16:
        return 57;
    default:
        return 1 + 3 + bits / 8; /* exponent length byte, 65537, modulus */
    }
}

CHECK_FN int sign_one(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm,
                      const uint8_t *rdata, size_t rdlen, size_t msglen, const char *what)
{
    uint8_t msg[3000], sig[ODS_HSM_SIG_MAX];
    size_t siglen = sizeof(sig);
    for (size_t i = 0; i < msglen; i++)
        msg[i] = (uint8_t)(i * 7 + msglen);
    ods_err_t err = { 0 };
    int rc = ods_hsm_sign(ctx, key, algorithm, msg, msglen, sig, &siglen, &err);
    int fails = !ok(rc == ODS_OK, "%s: sign %zu bytes with algorithm %d (%s)", what, msglen,
                    algorithm, err.msg);
    if (rc != ODS_OK)
        return fails;
    fails += !ok(ods_verify_dnskey(rdata, rdlen, msg, msglen, sig, siglen, &err) == ODS_OK,
                 "%s: OpenSSL verifies the %zu-byte signature (%s)", what, siglen, err.msg);
    fails += !ok(ldns_sig_ok(rdata, rdlen, msg, msglen, sig, siglen),
                 "%s: ldns verifies the signature", what);
    if (msglen == 0)
        return fails;
    msg[msglen / 2] ^= 0x40;
    fails += !ok(ods_verify_dnskey(rdata, rdlen, msg, msglen, sig, siglen, NULL) != ODS_OK &&
                     !ldns_sig_ok(rdata, rdlen, msg, msglen, sig, siglen),
                 "%s: neither verifies it over a changed message", what);
    return fails;
}

/*
 * Export the DNSKEY (flags 257), sign messages of several sizes, verify each
 * with ods_verify_dnskey and with ldns, check a changed message fails both, and
 * compare the key tag with ldns's. Returns the number of failed checks.
 */
CHECK_FN int check_key_signs(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm,
                             unsigned bits, const char *what)
{
    uint8_t rdata[ODS_HSM_DNSKEY_MAX];
    size_t rdlen = sizeof(rdata);
    ods_err_t err = { 0 };
    int rc = ods_hsm_dnskey_rdata(ctx, key, algorithm, 257, rdata, &rdlen, &err);
    if (!ok(rc == ODS_OK, "%s: DNSKEY RDATA exported (%s)", what, err.msg))
        return 1;
    int fails = 0;
    fails += !ok(rdata[0] == 1 && rdata[1] == 1 && rdata[2] == 3 && rdata[3] == algorithm,
                 "%s: DNSKEY header is flags 257, protocol 3, algorithm %d", what, algorithm);
    size_t want = expected_publen(algorithm, bits);
    fails +=
        !ok(rdlen - 4 == want, "%s: public key is %zu bytes (want %zu)", what, rdlen - 4, want);
    uint16_t tag = 0;
    rc = ods_hsm_keytag(ctx, key, algorithm, 257, &tag, &err);
    int ltag = ldns_tag(rdata, rdlen);
    fails += !ok(rc == ODS_OK && tag == ltag, "%s: keytag %u equals ldns's %d", what, tag, ltag);
    static const size_t sizes[] = { 0, 1, 100, 2900 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        fails += sign_one(ctx, key, algorithm, rdata, rdlen, sizes[i], what);
    return fails;
}

#endif
