/* ctx.c -- per-thread contexts: lazily opened sessions, session-loss recovery. */
#include "hsm/internal.h"

#include <stdlib.h>

int ods_hsm_ctx_new(ods_hsm_t *hsm, ods_hsm_ctx_t **out, ods_err_t *err)
{
    ods_hsm_ctx_t *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    ctx->hsm = hsm;
    ctx->sessions = calloc(hsm->nrepos, sizeof(*ctx->sessions));
    ctx->md = EVP_MD_CTX_new();
    if (ctx->sessions == NULL || ctx->md == NULL) {
        ods_hsm_ctx_free(ctx);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < hsm->nrepos; i++)
        ctx->sessions[i] = CK_INVALID_HANDLE;
    *out = ctx;
    return ODS_OK;
}

void ods_hsm_ctx_free(ods_hsm_ctx_t *ctx)
{
    if (ctx == NULL)
        return;
    for (size_t i = 0; ctx->sessions && i < ctx->hsm->nrepos; i++)
        if (ctx->sessions[i] != CK_INVALID_HANDLE)
            ctx->hsm->repos[i].f->C_CloseSession(ctx->sessions[i]);
    EVP_MD_CTX_free(ctx->md);
    free(ctx->sessions);
    free(ctx);
}

ods_hsm_t *ods_hsm_ctx_hsm(const ods_hsm_ctx_t *ctx)
{
    return ctx->hsm;
}

/* Open a session; log in unless the application already is (login is per token, not session). */
static int session_open(hsm_repo_t *r, CK_SESSION_HANDLE *out, ods_err_t *err)
{
    CK_SESSION_HANDLE s;
    CK_RV rv = r->f->C_OpenSession(r->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    if (rv != CKR_OK)
        return hsm_err_rv(err, r, rv, "C_OpenSession failed");
    CK_SESSION_INFO si;
    rv = r->f->C_GetSessionInfo(s, &si);
    int rc = ODS_OK;
    if (rv != CKR_OK)
        rc = hsm_err_rv(err, r, rv, "C_GetSessionInfo failed");
    else if (si.state == CKS_RO_PUBLIC_SESSION || si.state == CKS_RW_PUBLIC_SESSION)
        rc = hsm_repo_login(r, s, err);
    if (rc != ODS_OK) {
        r->f->C_CloseSession(s);
        return rc;
    }
    *out = s;
    return ODS_OK;
}

int hsm_ctx_session(ods_hsm_ctx_t *ctx, size_t r, CK_SESSION_HANDLE *s, ods_err_t *err)
{
    if (ctx->sessions[r] == CK_INVALID_HANDLE) {
        int rc = session_open(&ctx->hsm->repos[r], &ctx->sessions[r], err);
        if (rc != ODS_OK)
            return rc;
    }
    *s = ctx->sessions[r];
    return ODS_OK;
}

/*
 * Whether a session that failed with rv may still be open. Dead handles are
 * not closed again: a module may have given the number to another session.
 */
static bool session_may_live(CK_RV rv)
{
    return rv == CKR_DEVICE_ERROR || rv == CKR_USER_NOT_LOGGED_IN || rv == CKR_OPERATION_ACTIVE;
}

int hsm_ctx_reopen(ods_hsm_ctx_t *ctx, size_t r, CK_RV why, CK_SESSION_HANDLE *s, ods_err_t *err)
{
    if (ctx->sessions[r] != CK_INVALID_HANDLE && session_may_live(why))
        ctx->hsm->repos[r].f->C_CloseSession(ctx->sessions[r]);
    ctx->sessions[r] = CK_INVALID_HANDLE;
    return hsm_ctx_session(ctx, r, s, err);
}

int hsm_ctx_run(ods_hsm_ctx_t *ctx, size_t r, hsm_op_fn op, void *arg, const char *what,
                ods_err_t *err)
{
    hsm_repo_t *repo = &ctx->hsm->repos[r];
    CK_SESSION_HANDLE s;
    int rc = hsm_ctx_session(ctx, r, &s, err);
    if (rc != ODS_OK)
        return rc;
    CK_RV rv = op(repo, s, arg);
    if (hsm_rv_session_lost(rv)) {
        rc = hsm_ctx_reopen(ctx, r, rv, &s, err);
        if (rc != ODS_OK && rc != ODS_EPIN) {
            ods_err_prefix(err, "%s: session lost, reopening it failed: ", what);
            rc = hsm_err_code(err, ODS_ETRANSIENT);
        }
        if (rc != ODS_OK)
            return rc;
        rv = op(repo, s, arg);
    }
    if (rv == CKR_OK)
        return ODS_OK;
    return hsm_err_rv(err, repo, rv, "%s failed", what);
}
