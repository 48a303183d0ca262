/*
 * Unit tests for common/hsm on real SoftHSMv2 tokens: key generation for every
 * algorithm, attributes, DNSKEY export, signing verified by OpenSSL and ldns,
 * key tags against ldns, list/find/delete, Capacity, SkipPublicKey and
 * AllowExtraction, recovery after the token's sessions are closed behind the
 * layer's back, random bytes and the self test.
 */
#include "check.h"
#include "softhsm.h"
#include "tap.h"

#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "hsm/selftest.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static fx_t fx;

struct gen_case {
    int algorithm;
    unsigned bits;
    int family;
    const char *curve;
    char locator[ODS_HSM_LOCATOR_LEN + 1];
};

static struct gen_case cases[] = {
    { 8, 1024, ODS_HSM_RSA, NULL, "" },        { 8, 2048, ODS_HSM_RSA, NULL, "" },
    { 8, 4096, ODS_HSM_RSA, NULL, "" },        { 10, 1024, ODS_HSM_RSA, NULL, "" },
    { 10, 2048, ODS_HSM_RSA, NULL, "" },       { 10, 4096, ODS_HSM_RSA, NULL, "" },
    { 13, 256, ODS_HSM_ECDSA, "P-256", "" },   { 14, 384, ODS_HSM_ECDSA, "P-384", "" },
    { 15, 256, ODS_HSM_EDDSA, "Ed25519", "" }, { 16, 456, ODS_HSM_EDDSA, "Ed448", "" },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static bool locator_ok(const char *l)
{
    if (strlen(l) != 32)
        return false;
    for (const char *p = l; *p; p++)
        if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
            return false;
    return true;
}

/* The private key's protection attributes, read straight from the token. */
static void check_attributes(const char *repo_label, const char *locator, bool extractable,
                             bool has_public, const char *what)
{
    CK_SESSION_HANDLE s = fx_session(&fx, repo_label);
    ok(fx_bool_attr(&fx, s, locator, CKO_PRIVATE_KEY, CKA_SENSITIVE) == 1 &&
           fx_bool_attr(&fx, s, locator, CKO_PRIVATE_KEY, CKA_TOKEN) == 1 &&
           fx_bool_attr(&fx, s, locator, CKO_PRIVATE_KEY, CKA_PRIVATE) == 1 &&
           fx_bool_attr(&fx, s, locator, CKO_PRIVATE_KEY, CKA_SIGN) == 1 &&
           fx_bool_attr(&fx, s, locator, CKO_PRIVATE_KEY, CKA_DECRYPT) == 0,
       "%s: private key is token, private, sensitive, sign-only", what);
    is_int(fx_bool_attr(&fx, s, locator, CKO_PRIVATE_KEY, CKA_EXTRACTABLE), extractable,
           "%s: CKA_EXTRACTABLE is %s", what, extractable ? "true" : "false");
    char label[64] = "";
    ok(fx_label(&fx, s, locator, CKO_PRIVATE_KEY, label, sizeof(label)) == 0 &&
           strcmp(label, locator) == 0,
       "%s: CKA_LABEL of the private key is the locator", what);
    if (has_public)
        ok(fx_bool_attr(&fx, s, locator, CKO_PUBLIC_KEY, CKA_TOKEN) == 1 &&
               fx_bool_attr(&fx, s, locator, CKO_PUBLIC_KEY, CKA_VERIFY) == 1 &&
               fx_label(&fx, s, locator, CKO_PUBLIC_KEY, label, sizeof(label)) == 0 &&
               strcmp(label, locator) == 0,
           "%s: public key is a token object, verify-only, labelled with the locator", what);
    fx_p11(&fx)->C_CloseSession(s);
}

static void test_generate_all(ods_hsm_ctx_t *ctx)
{
    for (size_t i = 0; i < NCASES; i++) {
        struct gen_case *c = &cases[i];
        char what[64];
        snprintf(what, sizeof(what), "%s %u", ods_hsm_alg_name(c->algorithm), c->bits);
        ods_err_t err = { 0 };
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = ods_hsm_generate(ctx, "core", c->algorithm, c->bits, c->locator, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!ok(rc == ODS_OK, "%s: generated (%s)", what, err.msg))
            continue;
        tap_diag("%s generated in %.0f ms", what,
                 (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
        ok(locator_ok(c->locator), "%s: locator %s is 32 lowercase hex digits", what, c->locator);
        ods_hsm_key_t *key = NULL;
        rc = ods_hsm_key_find(ctx, c->locator, &key, &err);
        if (!ok(rc == ODS_OK, "%s: found again (%s)", what, err.msg))
            continue;
        ok(ods_hsm_key_family(key) == c->family && ods_hsm_key_bits(key) == c->bits &&
               strcmp(ods_hsm_key_repository(key), "core") == 0,
           "%s: key shape %s/%u in repository %s", what,
           ods_hsm_family_name(ods_hsm_key_family(key)), ods_hsm_key_bits(key),
           ods_hsm_key_repository(key));
        check_attributes("core", c->locator, false, true, what);
        check_key_signs(ctx, key, c->algorithm, c->bits, what);
        if (c->family == ODS_HSM_RSA && c->bits == 1024) {
            check_key_signs(ctx, key, 5, c->bits, "same key as RSASHA1");
            check_key_signs(ctx, key, 7, c->bits, "same key as RSASHA1-NSEC3-SHA1");
        }
        ods_hsm_key_free(key);
    }
}

static const ods_hsm_keyinfo_t *list_find(const ods_hsm_keyinfo_t *keys, size_t n,
                                          const char *locator)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i].locator, locator) == 0)
            return &keys[i];
    return NULL;
}

static void test_list(ods_hsm_ctx_t *ctx)
{
    ods_hsm_keyinfo_t *keys = NULL;
    size_t n = 0, count = 0;
    ods_err_t err = { 0 };
    int rc = ods_hsm_list(ctx, "core", &keys, &n, &err);
    ok(rc == ODS_OK && n == NCASES, "list core: %zu keys (%s)", n, err.msg);
    bool sorted = true;
    for (size_t i = 1; i < n; i++)
        sorted = sorted && strcmp(keys[i - 1].locator, keys[i].locator) < 0;
    ok(sorted, "list is sorted by locator");
    for (size_t i = 0; i < NCASES; i++) {
        const struct gen_case *c = &cases[i];
        const ods_hsm_keyinfo_t *k = list_find(keys, n, c->locator);
        ok(k && k->family == c->family && k->bits == c->bits && k->has_public &&
               strcmp(k->repository, "core") == 0 &&
               (c->curve ? k->curve && strcmp(k->curve, c->curve) == 0 : k->curve == NULL) &&
               k->algorithm == (c->family == ODS_HSM_RSA ? 0 : c->algorithm),
           "list shows %s as %s/%u %s", c->locator, k ? ods_hsm_family_name(k->family) : "-",
           k ? k->bits : 0, k && k->curve ? k->curve : "");
    }
    free(keys);
    rc = ods_hsm_count(ctx, "core", &count, &err);
    ok(rc == ODS_OK && count == NCASES, "count core = %zu", count);
    rc = ods_hsm_list(ctx, "self", &keys, &n, &err);
    ok(rc == ODS_OK && n == 0 && keys == NULL, "list of an empty repository is empty");
    rc = ods_hsm_list(ctx, "nosuch", &keys, &n, &err);
    ok(rc == ODS_ENOTFOUND, "list of an unknown repository fails");
    has_str(err.msg, "configured: core, cap, skip, self", "message lists the repositories");
}

static void test_delete(ods_hsm_ctx_t *ctx)
{
    const char *loc = cases[0].locator;
    ods_err_t err = { 0 };
    ods_hsm_key_t *key = NULL;
    ok(ods_hsm_delete(ctx, loc, &err) == ODS_OK, "delete %s (%s)", loc, err.msg);
    int rc = ods_hsm_key_find(ctx, loc, &key, &err);
    ok(rc == ODS_ENOTFOUND && key == NULL, "deleted key is not found");
    char want[128];
    snprintf(want, sizeof(want), "key %s not found in any repository", loc);
    has_str(err.msg, want, "not-found message names the locator");
    CK_SESSION_HANDLE s = fx_session(&fx, "core");
    ok(fx_count_objects(&fx, s, loc, CKO_PRIVATE_KEY) == 0 &&
           fx_count_objects(&fx, s, loc, CKO_PUBLIC_KEY) == 0,
       "private and public objects are gone from the token");
    fx_p11(&fx)->C_CloseSession(s);
    size_t count = 0;
    ok(ods_hsm_count(ctx, NULL, &count, &err) == ODS_OK && count == NCASES - 1,
       "count over all repositories = %zu", count);
    ok(ods_hsm_delete(ctx, loc, &err) == ODS_ENOTFOUND, "deleting it again: not found");
    /* Locators are accepted in upper case too (CKA_ID is the same bytes). */
    char upper[ODS_HSM_LOCATOR_LEN + 1];
    for (size_t i = 0; i <= ODS_HSM_LOCATOR_LEN; i++)
        upper[i] = (char)toupper((unsigned char)cases[1].locator[i]);
    rc = ods_hsm_key_find(ctx, upper, &key, &err);
    ok(rc == ODS_OK && strcmp(ods_hsm_key_locator(key), cases[1].locator) == 0,
       "an upper-case locator finds the key; its locator is lower case");
    ods_hsm_key_free(key);
}

static void test_bad_input(ods_hsm_ctx_t *ctx)
{
    ods_err_t err = { 0 };
    ods_hsm_key_t *key = NULL;
    char loc[ODS_HSM_LOCATOR_LEN + 1];
    ok(ods_hsm_key_find(ctx, "xyz", &key, &err) == ODS_EINVAL, "odd-length locator rejected");
    has_str(err.msg, "invalid key locator 'xyz'", "message quotes it");
    ok(ods_hsm_key_find(ctx, "0g", &key, &err) == ODS_EINVAL, "non-hex locator rejected");
    ok(ods_hsm_generate(ctx, "core", 3, 1024, loc, &err) == ODS_EINVAL, "DSA (3) rejected");
    has_str(err.msg, "algorithm 3 is not supported", "message names the algorithm");
    ok(ods_hsm_generate(ctx, "core", 8, 512, loc, &err) == ODS_EINVAL, "RSA 512 rejected");
    has_str(err.msg, "RSA key size 512 is out of range", "message names the size");
    ok(ods_hsm_generate(ctx, "nosuch", 13, 0, loc, &err) == ODS_ENOTFOUND,
       "unknown repository rejected");
    has_str(err.msg, "no repository named nosuch", "message names it");

    if (ods_hsm_key_find(ctx, cases[6].locator, &key, &err) != ODS_OK)
        return;
    uint8_t sig[ODS_HSM_SIG_MAX];
    size_t siglen = sizeof(sig);
    ok(ods_hsm_sign(ctx, key, 8, (const uint8_t *)"x", 1, sig, &siglen, &err) == ODS_EINVAL,
       "signing a P-256 key as RSASHA256 is refused");
    has_str(err.msg, "is a P-256 key: it cannot be used with DNSSEC algorithm 8", "and explained");
    ok(ods_hsm_sign(ctx, key, 14, (const uint8_t *)"x", 1, sig, &siglen, &err) == ODS_EINVAL,
       "signing a P-256 key as ECDSAP384SHA384 is refused");
    siglen = 10;
    ok(ods_hsm_sign(ctx, key, 13, (const uint8_t *)"x", 1, sig, &siglen, &err) == ODS_EINVAL &&
           siglen == 10,
       "a too small signature buffer is refused (length untouched)");
    ods_hsm_key_free(key);
}

static void test_capacity(ods_hsm_ctx_t *ctx)
{
    ods_err_t err = { 0 };
    char l1[33], l2[33], l3[33] = "unchanged";
    ok(ods_hsm_generate(ctx, "cap", 13, 0, l1, &err) == ODS_OK, "cap: first key (%s)", err.msg);
    ok(ods_hsm_generate(ctx, "cap", 15, 0, l2, &err) == ODS_OK, "cap: second key (%s)", err.msg);
    int rc = ods_hsm_generate(ctx, "cap", 13, 0, l3, &err);
    ok(rc == ODS_EFULL && strcmp(l3, "unchanged") == 0, "cap: third key refused with ODS_EFULL");
    has_str(err.msg, "repository cap is full (Capacity 2)", "message names repository and limit");
    size_t count = 0;
    ok(ods_hsm_count(ctx, "cap", &count, &err) == ODS_OK && count == 2, "cap holds 2 keys");
    ok(ods_hsm_delete(ctx, l1, &err) == ODS_OK, "cap: delete one");
    ok(ods_hsm_generate(ctx, "cap", 13, 0, l3, &err) == ODS_OK, "cap: room again after delete");
}

/* SkipPublicKey + AllowExtraction: no public objects, export still works. */
static void test_skip_public(ods_hsm_ctx_t *ctx)
{
    static const struct {
        int algorithm;
        unsigned bits;
    } skip[] = { { 8, 2048 }, { 13, 256 }, { 14, 384 }, { 15, 256 }, { 16, 456 } };
    for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
        char loc[33], what[64];
        ods_err_t err = { 0 };
        snprintf(what, sizeof(what), "SkipPublicKey %s", ods_hsm_alg_name(skip[i].algorithm));
        if (!ok(ods_hsm_generate(ctx, "skip", skip[i].algorithm, skip[i].bits, loc, &err) == ODS_OK,
                "%s: generated (%s)", what, err.msg))
            continue;
        CK_SESSION_HANDLE s = fx_session(&fx, "skip");
        is_int(fx_count_objects(&fx, s, loc, CKO_PUBLIC_KEY), 0, "%s: no public key object", what);
        fx_p11(&fx)->C_CloseSession(s);
        check_attributes("skip", loc, true, false, what);
        ods_hsm_key_t *key = NULL;
        if (ok(ods_hsm_key_find(ctx, loc, &key, &err) == ODS_OK, "%s: found", what))
            check_key_signs(ctx, key, skip[i].algorithm, skip[i].bits, what);
        ods_hsm_key_free(key);
    }
    ods_hsm_keyinfo_t *keys = NULL;
    size_t n = 0;
    ods_hsm_list(ctx, "skip", &keys, &n, NULL);
    bool none_public = n == 5;
    for (size_t i = 0; i < n; i++)
        none_public = none_public && !keys[i].has_public;
    ok(none_public, "list: %zu SkipPublicKey keys, none with a public object", n);
    free(keys);
}

static int sign_verify(ods_hsm_ctx_t *ctx, const ods_hsm_key_t *key, int alg)
{
    uint8_t rdata[ODS_HSM_DNSKEY_MAX], sig[ODS_HSM_SIG_MAX];
    size_t rdlen = sizeof(rdata), siglen = sizeof(sig);
    static const uint8_t msg[] = "after the session was lost";
    ods_err_t err = { 0 };
    if (ods_hsm_sign(ctx, key, alg, msg, sizeof(msg), sig, &siglen, &err) != ODS_OK) {
        tap_diag("sign: %s", err.msg);
        return 0;
    }
    return ods_hsm_dnskey_rdata(ctx, key, alg, 256, rdata, &rdlen, &err) == ODS_OK &&
           ldns_sig_ok(rdata, rdlen, msg, sizeof(msg), sig, siglen);
}

/* Close every session of the token through the module: the layer must reopen, log in, re-find. */
static void test_session_loss(ods_hsm_t *hsm, ods_hsm_ctx_t *ctx)
{
    ods_hsm_ctx_t *ctx2 = NULL;
    ods_hsm_key_t *p256 = NULL, *ed = NULL;
    ods_err_t err = { 0 };
    ods_hsm_ctx_new(hsm, &ctx2, &err);
    ods_hsm_key_find(ctx, cases[6].locator, &p256, &err);
    ods_hsm_key_find(ctx, cases[8].locator, &ed, &err);
    if (!ok(ctx2 && p256 && ed, "keys and a second context for the session test"))
        return;
    ok(sign_verify(ctx2, p256, 13), "second context signs before the loss");
    CK_FUNCTION_LIST_PTR f = fx_p11(&fx);
    CK_RV rv = f->C_CloseAllSessions(fx_slot(&fx, "core"));
    ok(rv == CKR_OK, "C_CloseAllSessions on token core behind the layer's back");
    ok(sign_verify(ctx2, p256, 13), "second context signs after the loss (reopened, re-found)");
    ok(sign_verify(ctx, ed, 15), "first context signs with another key after the loss");
    size_t n = 0;
    ok(ods_hsm_count(ctx, "core", &n, &err) == ODS_OK && n == NCASES - 1,
       "count works after the loss (%s)", err.msg);
    /* Twice more, including the login session the layer keeps: every session of every token. */
    for (int round = 0; round < 2; round++) {
        f->C_CloseAllSessions(fx_slot(&fx, "core"));
        ok(sign_verify(ctx, p256, 13) && sign_verify(ctx2, ed, 15), "round %d: signing recovers",
           round + 1);
    }
    ods_hsm_key_free(p256);
    ods_hsm_key_free(ed);
    ods_hsm_ctx_free(ctx2);
}

static void test_random(ods_hsm_ctx_t *ctx)
{
    uint8_t a[32] = { 0 }, b[32] = { 0 };
    ods_err_t err = { 0 };
    ok(ods_hsm_random(ctx, a, sizeof(a), &err) == ODS_OK &&
           ods_hsm_random(ctx, b, sizeof(b), &err) == ODS_OK && memcmp(a, b, sizeof(a)) != 0,
       "random bytes from the token differ between calls (%s)", err.msg);
}

static void test_selftest(ods_hsm_t *hsm)
{
    char *text = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&text, &len);
    ods_err_t err = { 0 };
    int rc = ods_hsm_selftest(hsm, "self", report, &err);
    fclose(report);
    ok(rc == ODS_OK, "self test of a fresh token passes (%s)", err.msg);
    int oks = 0;
    for (const char *p = text; (p = strstr(p, " ok (")) != NULL; p++)
        oks++;
    ok(oks == 6, "six algorithms passed (%d)", oks);
    has_str(text, "6 passed, 0 failed.", "summary line");
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        tap_diag("%s", line);
    free(text);
    size_t n = 99;
    ods_hsm_ctx_t *ctx = NULL;
    ods_hsm_ctx_new(hsm, &ctx, NULL);
    ok(ctx && ods_hsm_count(ctx, "self", &n, NULL) == ODS_OK && n == 0,
       "the self test deleted its keys");
    ods_hsm_ctx_free(ctx);
}

int main(void)
{
    static const char *const labels[] = { "core", "cap", "skip", "self" };
    if (fx_init(&fx, "core", NULL) != 0)
        return ok(0, "fixture"), tap_done();
    for (size_t i = 0; i < 4; i++)
        if (!ok(fx_token(&fx, labels[i], "1234") == 0, "token %s initialised", labels[i])) {
            fx_cleanup(&fx);
            return tap_done();
        }
    char pin[] = "1234";
    ods_hsm_repo_spec_t specs[] = {
        { "core", fx.module, "core", pin, 0, 0, 0 },
        { "cap", fx.module, "cap", pin, 2, 0, 0 },
        { "skip", fx.module, "skip", pin, 0, 1, 1 },
        { "self", fx.module, "self", pin, 0, 0, 0 },
    };
    ods_hsm_t *hsm = NULL;
    ods_hsm_ctx_t *ctx = NULL;
    ods_err_t err = { 0 };
    int rc = ods_hsm_open(specs, 4, &hsm, &err);
    /* The layer keeps its own copy of the PIN: the caller's may be wiped at once. */
    memset(pin, 'x', 4);
    if (ok(rc == ODS_OK, "open four repositories (%s)", err.msg) &&
        ok(ods_hsm_ctx_new(hsm, &ctx, &err) == ODS_OK, "context")) {
        test_generate_all(ctx);
        test_list(ctx);
        test_delete(ctx);
        test_bad_input(ctx);
        test_capacity(ctx);
        test_skip_public(ctx);
        test_session_loss(hsm, ctx);
        test_random(ctx);
        test_selftest(hsm);
    }
    ods_hsm_ctx_free(ctx);
    ods_hsm_close(hsm);
    fx_cleanup(&fx);
    return tap_done();
}
