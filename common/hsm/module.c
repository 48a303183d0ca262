/*
 * module.c -- the process-wide registry of loaded PKCS#11 modules.
 *
 * A module file is dlopen'ed and C_Initialize'd once however many
 * repositories (or ods_hsm_t objects) name it, and finalized when the last
 * one releases it. Modules are loaded with RTLD_NODELETE: C++ modules such as
 * SoftHSMv2 do not survive being unmapped and mapped again, and leak checkers
 * need the code mapped to attribute what the module keeps until exit.
 */
#include "hsm/internal.h"
#include "hsm/p11names.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct hsm_module {
    char *key; /* realpath of the module, or the name as given when it has no '/' */
    void *dl;
    CK_FUNCTION_LIST_PTR f;
    unsigned refs;
    bool finalize; /* we initialised it, so we finalize it */
    struct hsm_module *next;
};

static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;
static hsm_module_t *modules;

static int module_key(const char *path, const char *repo, char **key, ods_err_t *err)
{
    if (strchr(path, '/') == NULL) {
        *key = strdup(path);
    } else {
        char buf[PATH_MAX];
        if (realpath(path, buf) == NULL)
            return ods_err_set(err, errno == ENOENT ? ODS_ENOTFOUND : ODS_EIO,
                               "repository %s: PKCS#11 module %s is missing (%s): check the "
                               "Module path in the configuration",
                               repo, path, strerror(errno));
        *key = strdup(buf);
    }
    return *key ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
}

static int module_load(hsm_module_t *m, const char *path, const char *repo, ods_err_t *err)
{
    m->dl = dlopen(m->key, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (m->dl == NULL) {
        const char *why = dlerror();
        return ods_err_set(err, ODS_EHSM, "repository %s: cannot load PKCS#11 module %s: %s", repo,
                           path, why ? why : "unknown error");
    }
    CK_C_GetFunctionList get;
    *(void **)&get = dlsym(m->dl, "C_GetFunctionList");
    if (get == NULL)
        return ods_err_set(err, ODS_EHSM,
                           "repository %s: %s is not a PKCS#11 module (it has no "
                           "C_GetFunctionList): check the Module path in the configuration",
                           repo, path);
    CK_RV rv = get(&m->f);
    if (rv != CKR_OK || m->f == NULL || m->f->C_Initialize == NULL)
        return ods_err_set(err, ODS_EHSM, "repository %s: C_GetFunctionList of %s failed: %s", repo,
                           path, ods_hsm_rv_name(rv) ? ods_hsm_rv_name(rv) : "no list");
    CK_C_INITIALIZE_ARGS args = { .flags = CKF_OS_LOCKING_OK };
    rv = m->f->C_Initialize(&args);
    if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED)
        return ODS_OK; /* someone else in this process initialised it and will finalize it */
    if (rv != CKR_OK) {
        const char *name = ods_hsm_rv_name(rv);
        return ods_err_set(err, ODS_EHSM,
                           "repository %s: C_Initialize of PKCS#11 module %s "
                           "failed: %s",
                           repo, path, name ? name : "unknown CKR");
    }
    m->finalize = true;
    return ODS_OK;
}

static void module_destroy(hsm_module_t *m)
{
    if (m->finalize)
        m->f->C_Finalize(NULL);
    if (m->dl)
        dlclose(m->dl);
    free(m->key);
    free(m);
}

int hsm_module_acquire(const char *path, const char *repo, hsm_module_t **out,
                       CK_FUNCTION_LIST_PTR *fl, ods_err_t *err)
{
    char *key;
    int rc = module_key(path, repo, &key, err);
    if (rc != ODS_OK)
        return rc;
    pthread_mutex_lock(&modules_lock);
    hsm_module_t *m = modules;
    while (m && strcmp(m->key, key) != 0)
        m = m->next;
    if (m) {
        free(key);
    } else if ((m = calloc(1, sizeof(*m))) == NULL) {
        free(key);
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    } else {
        m->key = key;
        rc = module_load(m, path, repo, err);
        if (rc == ODS_OK) {
            m->next = modules;
            modules = m;
        } else {
            module_destroy(m);
        }
    }
    if (rc == ODS_OK) {
        m->refs++;
        *out = m;
        *fl = m->f;
    }
    pthread_mutex_unlock(&modules_lock);
    return rc;
}

void hsm_module_release(hsm_module_t *m)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&modules_lock);
    if (--m->refs == 0) {
        hsm_module_t **pp = &modules;
        while (*pp != m)
            pp = &(*pp)->next;
        *pp = m->next;
        module_destroy(m);
    }
    pthread_mutex_unlock(&modules_lock);
}
