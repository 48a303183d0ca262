/*
 * ctx.h -- per-thread HSM contexts.
 *
 * A context holds one PKCS#11 session per repository, each opened (and
 * logged in, if the token has lost its login) on first use. A context is
 * owned by one thread at a time: never use it from two threads at once; give
 * every signing worker its own. Contexts of one ods_hsm_t may be used
 * concurrently.
 *
 * Session loss: when a call fails with CKR_SESSION_HANDLE_INVALID,
 * CKR_SESSION_CLOSED, CKR_DEVICE_ERROR, CKR_DEVICE_REMOVED,
 * CKR_TOKEN_NOT_PRESENT, CKR_USER_NOT_LOGGED_IN or CKR_OPERATION_ACTIVE, the
 * context closes that session, opens a new one, logs in again if needed and
 * retries the call once. If the retry fails too the call returns
 * ODS_ETRANSIENT: the caller should try again later (the token may be
 * resetting), not give up on the key.
 */
#ifndef ODS_HSM_CTX_H
#define ODS_HSM_CTX_H

#include "hsm/hsm.h"
#include "util/status.h"

typedef struct ods_hsm_ctx ods_hsm_ctx_t;

/* A new context on hsm; hsm must outlive it. Opens no session yet. */
int ods_hsm_ctx_new(ods_hsm_t *hsm, ods_hsm_ctx_t **out, ods_err_t *err);

/* Close the context's sessions and free it. NULL is a no-op. */
void ods_hsm_ctx_free(ods_hsm_ctx_t *ctx);

/* The ods_hsm_t the context was made from. */
ods_hsm_t *ods_hsm_ctx_hsm(const ods_hsm_ctx_t *ctx);

#endif
