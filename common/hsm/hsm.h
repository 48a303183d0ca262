/*
 * hsm.h -- the PKCS#11 HSM layer: open the configured repositories (tokens).
 *
 * A repository is a token (found by its label) in a PKCS#11 module loaded
 * with dlopen. ods_hsm_open loads each module (a module named by several
 * repositories is loaded and initialised once, process-wide, with
 * CKF_OS_LOCKING_OK), finds each token, logs in with the PIN and keeps one
 * session per repository open so the login persists.
 *
 * Work is done through per-thread contexts (hsm/ctx.h) holding their own
 * sessions; keys (hsm/key.h), signing (hsm/sign.h), public-key export
 * (hsm/pubkey.h), token details (hsm/info.h) and the self test
 * (hsm/selftest.h) build on them.
 *
 * PINs: ods_hsm_open copies each PIN; the copy lives as long as the ods_hsm_t
 * (it is needed to log in again after a token loses its sessions) and is
 * wiped with explicit_bzero by ods_hsm_close. PINs never appear in messages.
 *
 * Processes: PKCS#11 modules do not survive fork(); open the HSM in the
 * process that uses it (after daemonising), and never use it in a child.
 *
 * Thread-safety: ods_hsm_open and ods_hsm_close are not thread-safe against
 * uses of the same ods_hsm_t; close it only after every context made from it
 * has been freed and no thread uses it. Everything else taking an ods_hsm_t
 * (contexts, token info, self test) may run concurrently.
 */
#ifndef ODS_HSM_HSM_H
#define ODS_HSM_HSM_H

#include "util/status.h"

#include <stddef.h>

typedef struct ods_hsm ods_hsm_t;

/* One repository as configured (conf.xml RepositoryList/Repository). */
typedef struct ods_hsm_repo_spec {
    const char *name;        /* Repository name="..." */
    const char *module;      /* path of the PKCS#11 module */
    const char *token_label; /* TokenLabel (at most 32 bytes) */
    const char *pin;         /* PIN; NULL only for tokens with a protected authentication path */
    unsigned capacity;       /* Capacity: most key pairs in the token; 0 = unlimited */
    int skip_public_key;     /* SkipPublicKey: public key objects are not stored */
    int allow_extraction;    /* AllowExtraction: private keys get CKA_EXTRACTABLE */
} ods_hsm_repo_spec_t;

/*
 * Open the n repositories of specs (n >= 1). On success *out owns everything;
 * the specs (and their strings) may be freed afterwards. On failure nothing is
 * left loaded or logged in, and err names the repository, module or token:
 * ODS_ENOTFOUND (module file missing, no token with that label: the message
 * lists the labels present), ODS_EHSM (not a PKCS#11 module, C_Initialize
 * failed), ODS_EPIN (incorrect or missing PIN), ODS_EINVAL (bad spec).
 */
int ods_hsm_open(const ods_hsm_repo_spec_t *specs, size_t n, ods_hsm_t **out, ods_err_t *err);

/*
 * Close the sessions (the token logs the application out with its last one),
 * finalize modules no other handle uses, wipe the PIN copies. NULL is a no-op.
 */
void ods_hsm_close(ods_hsm_t *hsm);

/* Number of repositories, and the name of repository i (owned by hsm). */
size_t ods_hsm_repo_count(const ods_hsm_t *hsm);
const char *ods_hsm_repo_name(const ods_hsm_t *hsm, size_t i);

#endif
