/* hsm.c -- opening and closing repositories: module, token, mechanisms, login. */
#include "hsm/internal.h"
#include "hsm/p11names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hsm_padded_copy(char *out, const CK_UTF8CHAR *in, size_t n)
{
    memcpy(out, in, n);
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
        n--;
    out[n] = '\0';
}

static int spec_check(const ods_hsm_repo_spec_t *s, size_t i, ods_err_t *err)
{
    if (s->name == NULL || s->name[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "repository %zu has no name", i + 1);
    if (s->module == NULL || s->module[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "repository %s has no Module", s->name);
    if (s->token_label == NULL || s->token_label[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "repository %s has no TokenLabel", s->name);
    if (strlen(s->token_label) > 32)
        return ods_err_set(err, ODS_EINVAL,
                           "repository %s: TokenLabel '%s' is longer than 32 bytes", s->name,
                           s->token_label);
    return ODS_OK;
}

/* Find the slot holding an initialised token labelled r->label. */
static int repo_find_slot(hsm_repo_t *r, ods_err_t *err)
{
    CK_ULONG n = 0;
    CK_RV rv = r->f->C_GetSlotList(CK_TRUE, NULL, &n);
    CK_SLOT_ID *slots = rv == CKR_OK ? calloc(n ? n : 1, sizeof(*slots)) : NULL;
    if (rv == CKR_OK && slots == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rv == CKR_OK)
        rv = r->f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK) {
        free(slots);
        return hsm_err_rv(err, r, rv, "C_GetSlotList in module %s failed", r->module_path);
    }
    char seen[ODS_ERR_MSG_MAX / 2] = "";
    size_t used = 0;
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        char label[33];
        if (r->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK || !(ti.flags & CKF_TOKEN_INITIALIZED))
            continue;
        hsm_padded_copy(label, ti.label, sizeof(ti.label));
        if (strcmp(label, r->label) == 0) {
            r->slot = slots[i];
            free(slots);
            return ODS_OK;
        }
        if (used < sizeof(seen))
            used += snprintf(seen + used, sizeof(seen) - used, "%s'%s'", used ? ", " : "", label);
    }
    free(slots);
    return ods_err_set(err, ODS_ENOTFOUND,
                       "repository %s: no token labelled '%s' in PKCS#11 module %s (tokens "
                       "present: %s): check TokenLabel or initialise the token",
                       r->name, r->label, r->module_path, used ? seen : "none");
}

static int repo_load_mechs(hsm_repo_t *r, ods_err_t *err)
{
    CK_ULONG n = 0;
    CK_RV rv = r->f->C_GetMechanismList(r->slot, NULL, &n);
    if (rv == CKR_OK && (r->mechs = calloc(n ? n : 1, sizeof(*r->mechs))) == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rv == CKR_OK)
        rv = r->f->C_GetMechanismList(r->slot, r->mechs, &n);
    if (rv != CKR_OK)
        return hsm_err_rv(err, r, rv, "C_GetMechanismList failed");
    r->nmechs = n;
    return ODS_OK;
}

bool hsm_repo_has_mech(const hsm_repo_t *r, CK_MECHANISM_TYPE m)
{
    for (size_t i = 0; i < r->nmechs; i++)
        if (r->mechs[i] == m)
            return true;
    return false;
}

int hsm_repo_login(hsm_repo_t *r, CK_SESSION_HANDLE s, ods_err_t *err)
{
    CK_RV rv = r->f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)r->pin, (CK_ULONG)r->pinlen);
    if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)
        return ODS_OK;
    if (rv == CKR_PIN_INCORRECT)
        return ods_err_set(err, ODS_EPIN,
                           "incorrect PIN for repository %s (token %s): check its PIN", r->name,
                           r->label);
    return hsm_err_rv(err, r, rv, "C_Login failed");
}

static int repo_login_session(hsm_repo_t *r, ods_err_t *err)
{
    CK_TOKEN_INFO ti;
    CK_RV rv = r->f->C_GetTokenInfo(r->slot, &ti);
    if (rv != CKR_OK)
        return hsm_err_rv(err, r, rv, "C_GetTokenInfo failed");
    if (r->pin == NULL && !(ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH))
        return ods_err_set(err, ODS_EPIN, "repository %s (token %s) has no PIN: configure one",
                           r->name, r->label);
    rv = r->f->C_OpenSession(r->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &r->session);
    if (rv != CKR_OK) {
        r->session = CK_INVALID_HANDLE;
        return hsm_err_rv(err, r, rv, "C_OpenSession failed");
    }
    return hsm_repo_login(r, r->session, err);
}

static void repo_close(hsm_repo_t *r)
{
    /* The session may have been closed behind our back; close only what is still ours. */
    CK_SESSION_INFO si;
    if (r->session != CK_INVALID_HANDLE && r->f->C_GetSessionInfo(r->session, &si) == CKR_OK &&
        si.slotID == r->slot)
        r->f->C_CloseSession(r->session);
    hsm_module_release(r->mod);
    if (r->pin) {
        explicit_bzero(r->pin, r->pinlen);
        free(r->pin);
    }
    pthread_mutex_destroy(&r->gen_lock);
    free(r->name);
    free(r->label);
    free(r->module_path);
    free(r->mechs);
}

static int repo_copy(hsm_repo_t *r, const ods_hsm_repo_spec_t *s, ods_err_t *err)
{
    r->session = CK_INVALID_HANDLE;
    pthread_mutex_init(&r->gen_lock, NULL);
    r->name = strdup(s->name);
    r->label = strdup(s->token_label);
    r->module_path = strdup(s->module);
    r->capacity = s->capacity;
    r->skip_public_key = s->skip_public_key != 0;
    r->allow_extraction = s->allow_extraction != 0;
    if (s->pin) {
        r->pinlen = strlen(s->pin);
        r->pin = malloc(r->pinlen + 1);
        if (r->pin)
            memcpy(r->pin, s->pin, r->pinlen + 1);
    }
    if (!r->name || !r->label || !r->module_path || (s->pin && !r->pin))
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    return ODS_OK;
}

static int repo_open(hsm_repo_t *r, const ods_hsm_repo_spec_t *s, ods_err_t *err)
{
    int rc = repo_copy(r, s, err);
    if (rc == ODS_OK)
        rc = hsm_module_acquire(r->module_path, r->name, &r->mod, &r->f, err);
    if (rc == ODS_OK)
        rc = repo_find_slot(r, err);
    if (rc == ODS_OK)
        rc = repo_load_mechs(r, err);
    if (rc == ODS_OK)
        rc = repo_login_session(r, err);
    return rc;
}

static int fetch_digests(ods_hsm_t *hsm, ods_err_t *err)
{
    static const char *const names[HSM_MD_N] = { NULL, "SHA1", "SHA256", "SHA384", "SHA512" };
    for (int i = 1; i < HSM_MD_N; i++)
        if ((hsm->md[i] = EVP_MD_fetch(NULL, names[i], NULL)) == NULL)
            return ods_err_set(err, ODS_EHSM, "OpenSSL has no %s digest", names[i]);
    return ODS_OK;
}

static int names_unique(const ods_hsm_repo_spec_t *specs, size_t n, ods_err_t *err)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(specs[i].name, specs[j].name) == 0)
                return ods_err_set(err, ODS_EINVAL, "repository name %s is used twice",
                                   specs[i].name);
    return ODS_OK;
}

int ods_hsm_open(const ods_hsm_repo_spec_t *specs, size_t n, ods_hsm_t **out, ods_err_t *err)
{
    if (specs == NULL || n == 0)
        return ods_err_set(err, ODS_EINVAL, "no HSM repository configured");
    for (size_t i = 0; i < n; i++) {
        int rc = spec_check(&specs[i], i, err);
        if (rc != ODS_OK)
            return rc;
    }
    int rc = names_unique(specs, n, err);
    if (rc != ODS_OK)
        return rc;
    ods_hsm_t *hsm = calloc(1, sizeof(*hsm));
    if (hsm == NULL || (hsm->repos = calloc(n, sizeof(*hsm->repos))) == NULL) {
        free(hsm);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    rc = fetch_digests(hsm, err);
    for (size_t i = 0; rc == ODS_OK && i < n; i++) {
        hsm->nrepos = i + 1;
        rc = repo_open(&hsm->repos[i], &specs[i], err);
    }
    if (rc != ODS_OK) {
        ods_hsm_close(hsm);
        return rc;
    }
    *out = hsm;
    return ODS_OK;
}

void ods_hsm_close(ods_hsm_t *hsm)
{
    if (hsm == NULL)
        return;
    /* Close in reverse so a shared module is finalized after its last repository. */
    for (size_t i = hsm->nrepos; i-- > 0;)
        repo_close(&hsm->repos[i]);
    for (int i = 0; i < HSM_MD_N; i++)
        EVP_MD_free(hsm->md[i]);
    free(hsm->repos);
    free(hsm);
}

size_t ods_hsm_repo_count(const ods_hsm_t *hsm)
{
    return hsm->nrepos;
}

const char *ods_hsm_repo_name(const ods_hsm_t *hsm, size_t i)
{
    return i < hsm->nrepos ? hsm->repos[i].name : NULL;
}

int hsm_repo_find(const ods_hsm_t *hsm, const char *name, size_t *index, ods_err_t *err)
{
    char known[ODS_ERR_MSG_MAX / 2] = "";
    size_t used = 0;
    for (size_t i = 0; i < hsm->nrepos; i++) {
        if (name && strcmp(hsm->repos[i].name, name) == 0) {
            *index = i;
            return ODS_OK;
        }
        if (used < sizeof(known))
            used += snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "",
                             hsm->repos[i].name);
    }
    return ods_err_set(err, ODS_ENOTFOUND, "no repository named %s (configured: %s)",
                       name ? name : "(none)", known);
}
