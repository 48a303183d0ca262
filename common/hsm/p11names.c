/* p11names.c -- CK_RV and CKM names, error classification, error messages. */
#include "hsm/p11names.h"
#include "hsm/internal.h"

#include <stdarg.h>
#include <stdio.h>

struct name {
    unsigned long value;
    const char *name;
};

#define N(x)                                                                                       \
    {                                                                                              \
        x, #x                                                                                      \
    }

static const struct name rv_names[] = {
    N(CKR_OK),
    N(CKR_CANCEL),
    N(CKR_HOST_MEMORY),
    N(CKR_SLOT_ID_INVALID),
    N(CKR_GENERAL_ERROR),
    N(CKR_FUNCTION_FAILED),
    N(CKR_ARGUMENTS_BAD),
    N(CKR_NO_EVENT),
    N(CKR_NEED_TO_CREATE_THREADS),
    N(CKR_CANT_LOCK),
    N(CKR_ATTRIBUTE_READ_ONLY),
    N(CKR_ATTRIBUTE_SENSITIVE),
    N(CKR_ATTRIBUTE_TYPE_INVALID),
    N(CKR_ATTRIBUTE_VALUE_INVALID),
    N(CKR_ACTION_PROHIBITED),
    N(CKR_DATA_INVALID),
    N(CKR_DATA_LEN_RANGE),
    N(CKR_DEVICE_ERROR),
    N(CKR_DEVICE_MEMORY),
    N(CKR_DEVICE_REMOVED),
    N(CKR_FUNCTION_CANCELED),
    N(CKR_FUNCTION_NOT_PARALLEL),
    N(CKR_FUNCTION_NOT_SUPPORTED),
    N(CKR_KEY_HANDLE_INVALID),
    N(CKR_KEY_SIZE_RANGE),
    N(CKR_KEY_TYPE_INCONSISTENT),
    N(CKR_KEY_FUNCTION_NOT_PERMITTED),
    N(CKR_KEY_UNEXTRACTABLE),
    N(CKR_MECHANISM_INVALID),
    N(CKR_MECHANISM_PARAM_INVALID),
    N(CKR_OBJECT_HANDLE_INVALID),
    N(CKR_OPERATION_ACTIVE),
    N(CKR_OPERATION_NOT_INITIALIZED),
    N(CKR_PIN_INCORRECT),
    N(CKR_PIN_INVALID),
    N(CKR_PIN_LEN_RANGE),
    N(CKR_PIN_EXPIRED),
    N(CKR_PIN_LOCKED),
    N(CKR_SESSION_CLOSED),
    N(CKR_SESSION_COUNT),
    N(CKR_SESSION_HANDLE_INVALID),
    N(CKR_SESSION_PARALLEL_NOT_SUPPORTED),
    N(CKR_SESSION_READ_ONLY),
    N(CKR_SESSION_EXISTS),
    N(CKR_SESSION_READ_ONLY_EXISTS),
    N(CKR_SESSION_READ_WRITE_SO_EXISTS),
    N(CKR_SIGNATURE_INVALID),
    N(CKR_SIGNATURE_LEN_RANGE),
    N(CKR_TEMPLATE_INCOMPLETE),
    N(CKR_TEMPLATE_INCONSISTENT),
    N(CKR_TOKEN_NOT_PRESENT),
    N(CKR_TOKEN_NOT_RECOGNIZED),
    N(CKR_TOKEN_WRITE_PROTECTED),
    N(CKR_USER_ALREADY_LOGGED_IN),
    N(CKR_USER_NOT_LOGGED_IN),
    N(CKR_USER_PIN_NOT_INITIALIZED),
    N(CKR_USER_TYPE_INVALID),
    N(CKR_USER_ANOTHER_ALREADY_LOGGED_IN),
    N(CKR_USER_TOO_MANY_TYPES),
    N(CKR_RANDOM_SEED_NOT_SUPPORTED),
    N(CKR_RANDOM_NO_RNG),
    N(CKR_DOMAIN_PARAMS_INVALID),
    N(CKR_CURVE_NOT_SUPPORTED),
    N(CKR_BUFFER_TOO_SMALL),
    N(CKR_INFORMATION_SENSITIVE),
    N(CKR_CRYPTOKI_NOT_INITIALIZED),
    N(CKR_CRYPTOKI_ALREADY_INITIALIZED),
    N(CKR_MUTEX_BAD),
    N(CKR_MUTEX_NOT_LOCKED),
    N(CKR_FIPS_SELF_TEST_FAILED),
    N(CKR_LIBRARY_LOAD_FAILED),
    N(CKR_PIN_TOO_WEAK),
    N(CKR_PUBLIC_KEY_INVALID),
    N(CKR_FUNCTION_REJECTED),
};

static const struct name mech_names[] = {
    N(CKM_RSA_PKCS_KEY_PAIR_GEN),
    N(CKM_RSA_PKCS),
    N(CKM_RSA_X_509),
    N(CKM_RSA_PKCS_PSS),
    N(CKM_SHA1_RSA_PKCS),
    N(CKM_SHA256_RSA_PKCS),
    N(CKM_SHA384_RSA_PKCS),
    N(CKM_SHA512_RSA_PKCS),
    N(CKM_DSA_KEY_PAIR_GEN),
    N(CKM_DSA),
    N(CKM_DSA_SHA1),
    N(CKM_DSA_PARAMETER_GEN),
    N(CKM_SHA_1),
    N(CKM_SHA256),
    N(CKM_SHA384),
    N(CKM_SHA512),
    N(CKM_MD5),
    N(CKM_EC_KEY_PAIR_GEN),
    N(CKM_ECDSA),
    N(CKM_ECDSA_SHA1),
    N(CKM_ECDSA_SHA256),
    N(CKM_ECDSA_SHA384),
    N(CKM_ECDSA_SHA512),
    N(CKM_ECDH1_DERIVE),
    N(CKM_EC_EDWARDS_KEY_PAIR_GEN),
    N(CKM_EDDSA),
    N(CKM_GOSTR3410_KEY_PAIR_GEN),
    N(CKM_GOSTR3410),
    N(CKM_AES_KEY_GEN),
    N(CKM_AES_CBC),
    N(CKM_AES_ECB),
    N(CKM_AES_GCM),
    N(CKM_GENERIC_SECRET_KEY_GEN),
    N(CKM_SHA256_HMAC),
};

#undef N

static const char *lookup(const struct name *t, size_t n, unsigned long v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == v)
            return t[i].name;
    return NULL;
}

const char *ods_hsm_rv_name(unsigned long rv)
{
    return lookup(rv_names, sizeof(rv_names) / sizeof(rv_names[0]), rv);
}

const char *ods_hsm_mech_name(unsigned long mech)
{
    return lookup(mech_names, sizeof(mech_names) / sizeof(mech_names[0]), mech);
}

bool hsm_rv_session_lost(CK_RV rv)
{
    switch (rv) {
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_DEVICE_ERROR:
    case CKR_DEVICE_REMOVED:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_USER_NOT_LOGGED_IN:
    case CKR_OPERATION_ACTIVE:
        return true;
    default:
        return false;
    }
}

bool hsm_rv_handle_lost(CK_RV rv)
{
    return rv == CKR_OBJECT_HANDLE_INVALID || rv == CKR_KEY_HANDLE_INVALID;
}

int ods_hsm_rv_status(unsigned long rv)
{
    if (rv == CKR_OK)
        return ODS_OK;
    if (hsm_rv_session_lost(rv))
        return ODS_ETRANSIENT;
    switch (rv) {
    case CKR_SESSION_COUNT:
    case CKR_FUNCTION_CANCELED:
    case CKR_CANT_LOCK:
        return ODS_ETRANSIENT;
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
    case CKR_PIN_EXPIRED:
    case CKR_PIN_LOCKED:
    case CKR_USER_PIN_NOT_INITIALIZED:
        return ODS_EPIN;
    case CKR_DEVICE_MEMORY:
        return ODS_EFULL;
    case CKR_HOST_MEMORY:
        return ODS_ENOMEM;
    case CKR_MECHANISM_INVALID:
    case CKR_MECHANISM_PARAM_INVALID:
    case CKR_CURVE_NOT_SUPPORTED:
    case CKR_DOMAIN_PARAMS_INVALID:
    case CKR_KEY_SIZE_RANGE:
    case CKR_FUNCTION_NOT_SUPPORTED:
        return ODS_EMECH;
    case CKR_OBJECT_HANDLE_INVALID:
    case CKR_KEY_HANDLE_INVALID:
        return ODS_ENOTFOUND;
    default:
        return ODS_EHSM;
    }
}

static const char *hint(int code)
{
    switch (code) {
    case ODS_ETRANSIENT:
        return "; the failure is temporary (session or device lost): try again later";
    case ODS_EPIN:
        return "; check the PIN of the repository";
    case ODS_EFULL:
        return "; the token is out of memory: delete unused keys";
    case ODS_EMECH:
        return "; the token does not support this";
    default:
        return "";
    }
}

int hsm_err_rv(ods_err_t *err, const hsm_repo_t *r, CK_RV rv, const char *fmt, ...)
{
    int code = ods_hsm_rv_status(rv);
    if (code == ODS_OK)
        code = ODS_EHSM;
    if (err == NULL)
        return code;
    char what[ODS_ERR_MSG_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    const char *name = ods_hsm_rv_name(rv);
    char num[32];
    snprintf(num, sizeof(num), "CKR 0x%lx", (unsigned long)rv);
    return ods_err_set(err, code, "repository %s (token %s): %s: %s%s", r->name, r->label, what,
                       name ? name : num, hint(code));
}

int hsm_err_code(ods_err_t *err, int code)
{
    if (err)
        err->code = code;
    return code;
}
