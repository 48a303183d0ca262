/*
 * softhsm.h -- test fixture: a private SoftHSMv2 token directory per test
 * program (mkdtemp), its own softhsm2.conf (SOFTHSM2_CONF is set for this
 * process), tokens initialised with softhsm2-util, and direct PKCS#11 access
 * to the module for checks the HSM layer does not offer (attributes, closing
 * sessions behind the layer's back).
 */
#ifndef ODS_TEST_SOFTHSM_H
#define ODS_TEST_SOFTHSM_H

#include <p11-kit/pkcs11.h>
#include <stddef.h>

typedef struct fx {
    char dir[512];
    char module[512];
} fx_t;

/*
 * Make the directory and softhsm2.conf; extra_conf (may be NULL) is appended
 * to the configuration (e.g. "slots.mechanisms = -CKM_EDDSA"). Must run
 * before the module is first initialised in this process. 0 on success.
 */
int fx_init(fx_t *fx, const char *tag, const char *extra_conf);

/* Initialise a token with softhsm2-util (SO PIN 1234). 0 on success. */
int fx_token(fx_t *fx, const char *label, const char *pin);

/* Remove the directory tree. */
void fx_cleanup(fx_t *fx);

/* The module's function list (dlopen + C_GetFunctionList), or NULL. */
CK_FUNCTION_LIST_PTR fx_p11(const fx_t *fx);

/* The slot of the initialised token with this label, or (CK_SLOT_ID)-1. */
CK_SLOT_ID fx_slot(const fx_t *fx, const char *label);

/* A new session on that token (the application is normally logged in already). */
CK_SESSION_HANDLE fx_session(const fx_t *fx, const char *label);

/* Read a CK_BBOOL attribute of the object with this CKA_ID hex and class; -1 on error. */
int fx_bool_attr(const fx_t *fx, CK_SESSION_HANDLE s, const char *locator, CK_OBJECT_CLASS cls,
                 CK_ATTRIBUTE_TYPE type);

/* Read CKA_LABEL of that object into buf (NUL-terminated); -1 on error. */
int fx_label(const fx_t *fx, CK_SESSION_HANDLE s, const char *locator, CK_OBJECT_CLASS cls,
             char *buf, size_t size);

/* Number of objects of this class with this CKA_ID (locator hex); -1 on error. */
int fx_count_objects(const fx_t *fx, CK_SESSION_HANDLE s, const char *locator, CK_OBJECT_CLASS cls);

#endif
