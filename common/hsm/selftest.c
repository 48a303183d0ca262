/* selftest.c -- generate, sign, export, verify in software, delete: per algorithm. */
#include "hsm/selftest.h"
#include "dnssec/keytag.h"
#include "dnssec/verify.h"
#include "hsm/internal.h"
#include "hsm/pubkey.h"
#include "hsm/sign.h"

#include <string.h>

static const struct {
    int algorithm;
    unsigned bits;
} cases[] = { { 8, 2048 }, { 10, 2048 }, { 13, 256 }, { 14, 384 }, { 15, 256 }, { 16, 456 } };

static const uint8_t message[] = "odsng HSM self test: sign this, then verify it from the DNSKEY";

/* Sign, export and verify with a found key; err explains a failure. */
static int check_key(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int algorithm, uint16_t *tag,
                     ods_err_t *err)
{
    uint8_t rdata[ODS_HSM_DNSKEY_MAX], sig[ODS_HSM_SIG_MAX], other[sizeof(message)];
    size_t rdlen = sizeof(rdata), siglen = sizeof(sig);
    int rc = ods_hsm_sign(ctx, key, algorithm, message, sizeof(message), sig, &siglen, err);
    if (rc == ODS_OK)
        rc = ods_hsm_dnskey_rdata(ctx, key, algorithm, 256, rdata, &rdlen, err);
    if (rc == ODS_OK)
        rc = ods_verify_dnskey(rdata, rdlen, message, sizeof(message), sig, siglen, err);
    if (rc != ODS_OK)
        return rc;
    memcpy(other, message, sizeof(message));
    other[0] ^= 1;
    if (ods_verify_dnskey(rdata, rdlen, other, sizeof(other), sig, siglen, NULL) == ODS_OK)
        return ods_err_set(err, ODS_EHSM, "a signature also verified over a changed message");
    *tag = ods_dnssec_keytag(rdata, rdlen);
    return ODS_OK;
}

/* One algorithm: 1 passed, 0 not supported, -1 failed. */
static int run_case(ods_hsm_ctx_t *ctx, const char *repo, int algorithm, unsigned bits,
                    FILE *report)
{
    const char *name = ods_hsm_alg_name(algorithm);
    char locator[ODS_HSM_LOCATOR_LEN + 1] = "";
    ods_err_t err = { 0 };
    ods_hsm_key_t *key = NULL;
    uint16_t tag = 0;
    int rc = ods_hsm_generate(ctx, repo, algorithm, bits, locator, &err);
    if (rc == ODS_EMECH) {
        if (report)
            fprintf(report, "  %-18s not supported: %s\n", name, err.msg);
        return 0;
    }
    if (rc == ODS_OK && (rc = ods_hsm_key_find(ctx, locator, &key, &err)) == ODS_OK)
        rc = check_key(ctx, key, algorithm, &tag, &err);
    ods_hsm_key_free(key);
    ods_err_t derr = { 0 };
    if (locator[0] && rc != ODS_EFULL && ods_hsm_delete(ctx, locator, &derr) != ODS_OK &&
        rc == ODS_OK) {
        rc = derr.code;
        err = derr;
    }
    if (report && rc == ODS_OK)
        fprintf(report, "  %-18s %4u bits  ok (generated, signed, verified, deleted; keytag %u)\n",
                name, bits, tag);
    else if (report)
        fprintf(report, "  %-18s %4u bits  FAILED: %s\n", name, bits, err.msg);
    return rc == ODS_OK ? 1 : -1;
}

int ods_hsm_selftest(ods_hsm_t *hsm, const char *repository, FILE *report, ods_err_t *err)
{
    size_t ri;
    int rc = hsm_repo_find(hsm, repository, &ri, err);
    ods_hsm_ctx_t *ctx = NULL;
    if (rc == ODS_OK)
        rc = ods_hsm_ctx_new(hsm, &ctx, err);
    if (rc != ODS_OK)
        return rc;
    if (report)
        fprintf(report, "Testing repository %s (token %s):\n", repository, hsm->repos[ri].label);
    int failed = 0, passed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int res = run_case(ctx, repository, cases[i].algorithm, cases[i].bits, report);
        failed += res < 0;
        passed += res > 0;
    }
    ods_hsm_ctx_free(ctx);
    if (report)
        fprintf(report, "%d passed, %d failed.\n", passed, failed);
    if (failed)
        return ods_err_set(err, ODS_EHSM, "self test of repository %s failed for %d algorithm%s",
                           repository, failed, failed == 1 ? "" : "s");
    return ODS_OK;
}
