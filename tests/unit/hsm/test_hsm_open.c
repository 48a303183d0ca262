/*
 * Unit tests for opening HSM repositories on real SoftHSMv2 tokens: good and
 * wrong PINs, missing modules, files that are not PKCS#11 modules, unknown
 * token labels, several repositories and handles sharing one module, token
 * information, and a token whose EdDSA mechanisms are switched off (key
 * generation refused with ODS_EMECH; the self test reports them unsupported).
 */
#include "softhsm.h"
#include "tap.h"

#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/info.h"
#include "hsm/key.h"
#include "hsm/p11names.h"
#include "hsm/selftest.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fx_t fx;

static ods_hsm_repo_spec_t spec(const char *name, const char *label, const char *pin)
{
    ods_hsm_repo_spec_t s = { name, fx.module, label, pin, 0, 0, 0 };
    return s;
}

static int open_fails(ods_hsm_repo_spec_t *specs, size_t n, ods_err_t *err)
{
    ods_hsm_t *hsm = (ods_hsm_t *)&fx; /* must stay untouched on failure */
    int rc = ods_hsm_open(specs, n, &hsm, err);
    if (rc == ODS_OK) {
        ods_hsm_close(hsm);
        return ODS_OK;
    }
    return hsm == (ods_hsm_t *)&fx ? rc : 1;
}

static void test_bad_opens(void)
{
    ods_err_t err = { 0 };
    ods_hsm_repo_spec_t s = spec("alpha", "ods-a", "8642097531");
    ok(open_fails(&s, 1, &err) == ODS_EPIN, "wrong PIN: ODS_EPIN, out-parameter untouched");
    has_str(err.msg, "incorrect PIN for repository alpha", "message names the repository");
    tap_diag("%s", err.msg);
    ok(strstr(err.msg, "8642097531") == NULL && strstr(err.msg, "1234") == NULL,
       "message contains no PIN: %s", err.msg);

    s = spec("alpha", "ods-a", NULL);
    ok(open_fails(&s, 1, &err) == ODS_EPIN, "no PIN: ODS_EPIN");
    has_str(err.msg, "has no PIN", "message says so");

    s = spec("alpha", "ods-a", "1234");
    s.module = "/nonexistent/libpkcs11.so";
    ok(open_fails(&s, 1, &err) == ODS_ENOTFOUND, "missing module: ODS_ENOTFOUND");
    has_str(err.msg, "PKCS#11 module /nonexistent/libpkcs11.so is missing", "message says so");
    tap_diag("%s", err.msg);

    s.module = "/lib/x86_64-linux-gnu/libz.so.1";
    ok(open_fails(&s, 1, &err) == ODS_EHSM, "libz as module: ODS_EHSM");
    has_str(err.msg, "is not a PKCS#11 module (it has no C_GetFunctionList)", "message says so");
    tap_diag("%s", err.msg);

    s.module = "/etc/hostname";
    ok(open_fails(&s, 1, &err) == ODS_EHSM, "a text file as module: ODS_EHSM");
    has_str(err.msg, "cannot load PKCS#11 module /etc/hostname", "message says so");
    tap_diag("%s", err.msg);

    s = spec("alpha", "no-such-token", "1234");
    ok(open_fails(&s, 1, &err) == ODS_ENOTFOUND, "unknown token label: ODS_ENOTFOUND");
    has_str(err.msg, "no token labelled 'no-such-token'", "message names the label");
    has_str(err.msg, "'ods-a'", "and lists token ods-a");
    has_str(err.msg, "'ods-b'", "and token ods-b");
    tap_diag("%s", err.msg);

    s = spec("alpha", "a-label-that-is-longer-than-32-bytes", "1234");
    ok(open_fails(&s, 1, &err) == ODS_EINVAL, "over-long label: ODS_EINVAL");
    ods_hsm_repo_spec_t two[] = { spec("alpha", "ods-a", "1234"), spec("alpha", "ods-b", "5678") };
    ok(open_fails(two, 2, &err) == ODS_EINVAL, "duplicate repository names: ODS_EINVAL");
    /* A good repository followed by a bad one: nothing stays open. */
    ods_hsm_repo_spec_t mixed[] = { spec("alpha", "ods-a", "1234"),
                                    spec("beta", "ods-b", "wrong") };
    ok(open_fails(mixed, 2, &err) == ODS_EPIN, "second repository's PIN wrong: ODS_EPIN");
    has_str(err.msg, "repository beta", "message names the second repository");
}

/* Two tokens at once, and a second handle sharing the module. */
static void test_two_repos(void)
{
    ods_hsm_repo_spec_t specs[] = { spec("alpha", "ods-a", "1234"), spec("beta", "ods-b", "5678") };
    ods_hsm_t *hsm = NULL, *other = NULL;
    ods_hsm_ctx_t *ctx = NULL;
    ods_err_t err = { 0 };
    if (!ok(ods_hsm_open(specs, 2, &hsm, &err) == ODS_OK, "open two repositories (%s)", err.msg))
        return;
    ok(ods_hsm_repo_count(hsm) == 2 && strcmp(ods_hsm_repo_name(hsm, 1), "beta") == 0,
       "two repositories, in order");
    ods_hsm_ctx_new(hsm, &ctx, &err);
    char la[33] = "", lb[33] = "";
    ok(ods_hsm_generate(ctx, "alpha", 13, 0, la, &err) == ODS_OK &&
           ods_hsm_generate(ctx, "beta", 14, 0, lb, &err) == ODS_OK,
       "a key in each (%s)", err.msg);
    ods_hsm_key_t *ka = NULL, *kb = NULL;
    ok(ods_hsm_key_find(ctx, la, &ka, &err) == ODS_OK &&
           strcmp(ods_hsm_key_repository(ka), "alpha") == 0,
       "key a found in alpha");
    ok(ods_hsm_key_find(ctx, lb, &kb, &err) == ODS_OK &&
           strcmp(ods_hsm_key_repository(kb), "beta") == 0,
       "key b found in beta (searching all repositories)");
    size_t n = 0;
    ok(ods_hsm_count(ctx, NULL, &n, &err) == ODS_OK && n == 2, "two keys in all");
    /* A second handle on the same module: closing it must not finalize the module under us. */
    ods_hsm_repo_spec_t b = spec("beta", "ods-b", "5678");
    ok(ods_hsm_open(&b, 1, &other, &err) == ODS_OK, "second handle on the module (%s)", err.msg);
    ods_hsm_close(other);
    ods_hsm_key_free(ka);
    ka = NULL;
    ok(ods_hsm_key_find(ctx, la, &ka, &err) == ODS_OK, "first handle still works (%s)", err.msg);
    ok(ods_hsm_delete(ctx, la, &err) == ODS_OK && ods_hsm_delete(ctx, lb, &err) == ODS_OK,
       "keys deleted");
    ods_hsm_key_free(ka);
    ods_hsm_key_free(kb);
    ods_hsm_ctx_free(ctx);
    ods_hsm_close(hsm);
    /* And the module can be initialised again after the last handle finalized it. */
    ok(ods_hsm_open(specs, 2, &hsm, &err) == ODS_OK, "open again after close (%s)", err.msg);
    ods_hsm_close(hsm);
}

static bool has_mech(const ods_hsm_token_info_t *ti, const char *name)
{
    for (size_t i = 0; i < ti->nmechanisms; i++)
        if (ti->mechanisms[i].name && strcmp(ti->mechanisms[i].name, name) == 0)
            return true;
    return false;
}

/* Token details, and a token with EdDSA switched off in softhsm2.conf. */
static void test_info_and_mechs(void)
{
    ods_hsm_repo_spec_t s = spec("alpha", "ods-a", "1234");
    ods_hsm_t *hsm = NULL;
    ods_err_t err = { 0 };
    if (!ok(ods_hsm_open(&s, 1, &hsm, &err) == ODS_OK, "open (%s)", err.msg))
        return;
    ods_hsm_token_info_t *ti = NULL;
    if (ok(ods_hsm_token_info(hsm, "alpha", &ti, &err) == ODS_OK, "token info (%s)", err.msg)) {
        is_str(ti->label, "ods-a", "label, padding removed");
        is_str(ti->model, "SoftHSM v2", "model");
        has_str(ti->manufacturer, "SoftHSM", "manufacturer");
        ok(ti->slot == fx_slot(&fx, "ods-a"), "slot %lu", ti->slot);
        ok(has_mech(ti, "CKM_ECDSA") && has_mech(ti, "CKM_RSA_PKCS"), "ECDSA and RSA listed");
        ok(!has_mech(ti, "CKM_EC_EDWARDS_KEY_PAIR_GEN") && !has_mech(ti, "CKM_EDDSA"),
           "EdDSA switched off in softhsm2.conf");
        tap_diag("%s %s, library %s, %zu mechanisms", ti->manufacturer, ti->model, ti->library,
                 ti->nmechanisms);
    }
    ods_hsm_token_info_free(ti);
    ok(ods_hsm_token_info(hsm, "gamma", &ti, &err) == ODS_ENOTFOUND, "info on unknown repository");

    ods_hsm_ctx_t *ctx = NULL;
    ods_hsm_ctx_new(hsm, &ctx, &err);
    char loc[33];
    ok(ods_hsm_generate(ctx, "alpha", 16, 0, loc, &err) == ODS_EMECH, "Ed448 refused: ODS_EMECH");
    has_str(err.msg, "token ods-a (repository alpha) does not support ED448 key generation",
            "message names token, repository and algorithm");
    ods_hsm_ctx_free(ctx);

    char *text = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&text, &len);
    int rc = ods_hsm_selftest(hsm, "alpha", report, &err);
    fclose(report);
    ok(rc == ODS_OK, "self test passes with EdDSA unsupported (%s)", err.msg);
    has_str(text, "ED25519            not supported", "ED25519 reported unsupported");
    has_str(text, "4 passed, 0 failed.", "the other four pass");
    free(text);
    ods_hsm_close(hsm);
}

int main(void)
{
    if (fx_init(&fx, "open", /* SoftHSM 2.6.1 ignores the first name after '-': hence NONE */
                "slots.mechanisms = -NONE,CKM_EC_EDWARDS_KEY_PAIR_GEN,CKM_EDDSA") != 0)
        return ok(0, "fixture"), tap_done();
    if (ok(fx_token(&fx, "ods-a", "1234") == 0 && fx_token(&fx, "ods-b", "5678") == 0,
           "tokens ods-a and ods-b initialised")) {
        test_bad_opens();
        test_two_repos();
        test_info_and_mechs();
    }
    is_str(ods_hsm_rv_name(0xa0), "CKR_PIN_INCORRECT", "CK_RV name table");
    ok(ods_hsm_rv_status(0xb3) == ODS_ETRANSIENT && ods_hsm_rv_status(0xa0) == ODS_EPIN &&
           ods_hsm_rv_status(0x31) == ODS_EFULL && ods_hsm_rv_status(0x70) == ODS_EMECH &&
           ods_hsm_rv_status(0x06) == ODS_EHSM,
       "CK_RV classification: session invalid transient, PIN, device memory, mechanism, failed");
    fx_cleanup(&fx);
    return tap_done();
}
