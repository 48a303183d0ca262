/*
 * internal.h -- private structures and helpers shared by the files of
 * common/hsm. Nothing outside common/hsm includes this header.
 *
 * PKCS#11 types come from p11-kit's pkcs11.h (the standard API, in p11-kit's
 * CRYPTOKI_COMPAT mode); we never link against a module, we dlopen it.
 */
#ifndef ODS_HSM_INTERNAL_H
#define ODS_HSM_INTERNAL_H

#include "hsm/alg.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "util/status.h"

#include <p11-kit/pkcs11.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/* A loaded PKCS#11 module, shared by every repository that names the same file. */
typedef struct hsm_module hsm_module_t;

/*
 * Load (or share) the module at path and C_Initialize it with CKF_OS_LOCKING_OK.
 * repo names the repository in error messages. Thread-safe (a process-wide lock).
 */
int hsm_module_acquire(const char *path, const char *repo, hsm_module_t **out,
                       CK_FUNCTION_LIST_PTR *fl, ods_err_t *err);
/* Drop one reference; the last one calls C_Finalize (if we initialised the module). */
void hsm_module_release(hsm_module_t *m);

/* One repository: a token in a slot of a module. Immutable after ods_hsm_open. */
typedef struct hsm_repo {
    char *name;
    char *label;
    char *module_path;
    char *pin; /* NULL: protected authentication path; wiped on close */
    size_t pinlen;
    unsigned capacity;
    bool skip_public_key;
    bool allow_extraction;
    hsm_module_t *mod;
    CK_FUNCTION_LIST_PTR f;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE session; /* held open so that the login persists */
    CK_MECHANISM_TYPE *mechs;
    size_t nmechs;
    pthread_mutex_t gen_lock; /* serialises count + generate when capacity != 0 */
} hsm_repo_t;

enum hsm_md { HSM_MD_NONE, HSM_MD_SHA1, HSM_MD_SHA256, HSM_MD_SHA384, HSM_MD_SHA512, HSM_MD_N };

struct ods_hsm {
    hsm_repo_t *repos;
    size_t nrepos;
    EVP_MD *md[HSM_MD_N]; /* fetched once; EVP_MD objects are shareable across threads */
};

struct ods_hsm_ctx {
    ods_hsm_t *hsm;
    CK_SESSION_HANDLE *sessions; /* one per repository; CK_INVALID_HANDLE until first use */
    EVP_MD_CTX *md;
};

#define HSM_ID_MAX 64

struct ods_hsm_key {
    const ods_hsm_t *hsm;
    size_t repo;
    CK_BYTE id[HSM_ID_MAX];
    size_t idlen;
    char locator[ODS_HSM_LOCATOR_MAX];
    int family;
    int algorithm; /* ECDSA/EdDSA: the one algorithm of the curve; RSA: 0 */
    unsigned bits;
    _Atomic CK_OBJECT_HANDLE priv; /* cached private-key handle, re-found when invalid */
};

/* Static description of one DNSSEC algorithm (alg.c). */
typedef struct hsm_alg {
    int number;
    const char *name;
    int family;
    CK_KEY_TYPE key_type;
    CK_MECHANISM_TYPE gen_mech;
    CK_MECHANISM_TYPE sign_mech;
    const CK_BYTE *params; /* CKA_EC_PARAMS (DER OID); NULL for RSA */
    size_t params_len;
    const char *curve;   /* "P-256", "Ed25519", ...; NULL for RSA */
    unsigned bits;       /* key size of the curve; 0 for RSA */
    size_t publen;       /* DNSSEC public key length (EC: x||y; EdDSA: raw); 0 for RSA */
    size_t siglen;       /* fixed signature length; 0 for RSA */
    enum hsm_md md;      /* software digest before C_Sign; NONE for EdDSA */
    const CK_BYTE *info; /* RSA: DER DigestInfo prefix */
    size_t info_len;
} hsm_alg_t;

const hsm_alg_t *hsm_alg_get(int algorithm);
/* The curve algorithm of CKA_EC_PARAMS (OID or printable-string form), or NULL. */
const hsm_alg_t *hsm_alg_by_params(const CK_BYTE *params, size_t len);
/* All algorithms, in table order; *n is set to the count. */
const hsm_alg_t *hsm_alg_all(size_t *n);

/* Repository lookup by name; fills err (listing the known names) when absent. */
int hsm_repo_find(const ods_hsm_t *hsm, const char *name, size_t *index, ods_err_t *err);
/* Copy a fixed-width, space-padded PKCS#11 string (labels, ...) of n bytes into out[n + 1]. */
void hsm_padded_copy(char *out, const CK_UTF8CHAR *in, size_t n);
bool hsm_repo_has_mech(const hsm_repo_t *r, CK_MECHANISM_TYPE m);
/* C_Login on session s; CKR_USER_ALREADY_LOGGED_IN counts as success. */
int hsm_repo_login(hsm_repo_t *r, CK_SESSION_HANDLE s, ods_err_t *err);

/* ---- errors (p11names.c) ---- */

/* True for the return values after which the session is reopened and the call retried once. */
bool hsm_rv_session_lost(CK_RV rv);
bool hsm_rv_handle_lost(CK_RV rv);
/*
 * Set err from a failed PKCS#11 call: code from ods_hsm_rv_status(rv), message
 * "repository R (token L): <what>: CKR_NAME" plus a hint for the class of error.
 */
int hsm_err_rv(ods_err_t *err, const hsm_repo_t *r, CK_RV rv, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Change the code of an error already set (keeping its message); returns code. */
int hsm_err_code(ods_err_t *err, int code);

/* ---- sessions (ctx.c) ---- */

/* The context's session for repository r, opened (and logged in) on first use. */
int hsm_ctx_session(ods_hsm_ctx_t *ctx, size_t r, CK_SESSION_HANDLE *s, ods_err_t *err);
/* Replace the context's session for r after it failed with `why` (a session-lost error). */
int hsm_ctx_reopen(ods_hsm_ctx_t *ctx, size_t r, CK_RV why, CK_SESSION_HANDLE *s, ods_err_t *err);

/* An operation run on a session; returns the first failing CK_RV or CKR_OK. */
typedef CK_RV (*hsm_op_fn)(hsm_repo_t *r, CK_SESSION_HANDLE s, void *arg);
/*
 * Run op on the context's session for repository r. A session-lost failure
 * reopens the session and runs op once more; if that fails too the result is
 * ODS_ETRANSIENT. On failure err says "<what> failed: CKR_...".
 */
int hsm_ctx_run(ods_hsm_ctx_t *ctx, size_t r, hsm_op_fn op, void *arg, const char *what,
                ods_err_t *err);

/* ---- objects (objects.c) ---- */

/* Find at most max objects matching tmpl; *found is the number written. */
CK_RV hsm_find(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n,
               CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *found);
/* Find every object matching tmpl into a malloc'd array (*out NULL when none). */
CK_RV hsm_find_all(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n,
                   CK_OBJECT_HANDLE **out, size_t *count);
/* Find the one key object of class cls with CKA_ID id; *h = CK_INVALID_HANDLE if none. */
CK_RV hsm_find_key(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const CK_BYTE *id,
                   size_t idlen, CK_OBJECT_HANDLE *h);
/* Read one variable-length attribute into buf (capacity *len); *len = its length. */
CK_RV hsm_get_attr(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type,
                   void *buf, size_t *len);
/* Key family, bits and curve algorithm of a private or public key object. */
CK_RV hsm_key_shape(hsm_repo_t *r, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, int *family,
                    int *algorithm, unsigned *bits);

/* Key pairs (private keys) in repository r; used to enforce Capacity (list.c). */
int hsm_count_repo(ods_hsm_ctx_t *ctx, size_t r, size_t *count, ods_err_t *err);

/* ---- locators (key.c) ---- */

/* Parse a hex locator into a CKA_ID; ODS_EINVAL with a message when malformed. */
int hsm_locator_parse(const char *locator, CK_BYTE *id, size_t *idlen, ods_err_t *err);
void hsm_locator_format(const CK_BYTE *id, size_t idlen, char *out);
/* The algorithm entry for using key with `algorithm`; ODS_EINVAL when they do not fit. */
int hsm_key_alg(const ods_hsm_key_t *key, int algorithm, const hsm_alg_t **out, ods_err_t *err);

/* ---- public keys (pkey.c): DNSSEC public key from PKCS#11 / OpenSSL ---- */
/* (DNSKEY RDATA -> EVP_PKEY is ods_verify_pkey_from_dnskey in dnssec/verify.h.) */

/* The DNSSEC public key of pkey (RSA: RFC 3110 form) into out (capacity *len). */
int hsm_pkey_to_dnssec(EVP_PKEY *pkey, const hsm_alg_t *a, uint8_t *out, size_t *len);
/* RFC 3110 public key from big-endian exponent and modulus (leading zeros stripped). */
int hsm_rsa_dnssec(const uint8_t *e, size_t elen, const uint8_t *n, size_t nlen, uint8_t *out,
                   size_t *len);
/* x||y or raw EdDSA key from a CKA_EC_POINT value (DER OCTET STRING or raw). */
int hsm_ec_point_dnssec(const hsm_alg_t *a, const uint8_t *pt, size_t ptlen, uint8_t *out,
                        size_t *len);

#endif
