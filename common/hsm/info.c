/* info.c -- module, slot, token and mechanism details. */
#include "hsm/info.h"
#include "hsm/internal.h"
#include "hsm/p11names.h"

#include <stdlib.h>
#include <string.h>

static unsigned long info_ulong(CK_ULONG v)
{
    return v == CK_UNAVAILABLE_INFORMATION ? ODS_HSM_INFO_UNAVAILABLE : (unsigned long)v;
}

static CK_RV info_token(hsm_repo_t *r, ods_hsm_token_info_t *ti)
{
    CK_INFO li;
    CK_SLOT_INFO si;
    CK_TOKEN_INFO tk;
    CK_RV rv = r->f->C_GetInfo(&li);
    if (rv == CKR_OK)
        rv = r->f->C_GetSlotInfo(r->slot, &si);
    if (rv == CKR_OK)
        rv = r->f->C_GetTokenInfo(r->slot, &tk);
    if (rv != CKR_OK)
        return rv;
    hsm_padded_copy(ti->library, li.libraryDescription, 32);
    hsm_padded_copy(ti->library_manufacturer, li.manufacturerID, 32);
    hsm_padded_copy(ti->slot_description, si.slotDescription, 64);
    hsm_padded_copy(ti->label, tk.label, 32);
    hsm_padded_copy(ti->manufacturer, tk.manufacturerID, 32);
    hsm_padded_copy(ti->model, tk.model, 16);
    hsm_padded_copy(ti->serial, tk.serialNumber, 16);
    ti->free_public_memory = info_ulong(tk.ulFreePublicMemory);
    ti->total_public_memory = info_ulong(tk.ulTotalPublicMemory);
    ti->free_private_memory = info_ulong(tk.ulFreePrivateMemory);
    ti->total_private_memory = info_ulong(tk.ulTotalPrivateMemory);
    ti->session_count = info_ulong(tk.ulSessionCount);
    ti->max_session_count = info_ulong(tk.ulMaxSessionCount);
    return CKR_OK;
}

static CK_RV info_mechs(hsm_repo_t *r, ods_hsm_token_info_t *ti)
{
    ti->mechanisms = calloc(r->nmechs ? r->nmechs : 1, sizeof(*ti->mechanisms));
    if (ti->mechanisms == NULL)
        return CKR_HOST_MEMORY;
    for (size_t i = 0; i < r->nmechs; i++) {
        ods_hsm_mechinfo_t *m = &ti->mechanisms[ti->nmechanisms++];
        CK_MECHANISM_INFO mi = { 0 };
        m->type = r->mechs[i];
        m->name = ods_hsm_mech_name(m->type);
        if (r->f->C_GetMechanismInfo(r->slot, r->mechs[i], &mi) == CKR_OK) {
            m->min_key_size = mi.ulMinKeySize;
            m->max_key_size = mi.ulMaxKeySize;
            m->flags = mi.flags;
        }
    }
    return CKR_OK;
}

int ods_hsm_token_info(ods_hsm_t *hsm, const char *repository, ods_hsm_token_info_t **out,
                       ods_err_t *err)
{
    size_t ri;
    int rc = hsm_repo_find(hsm, repository, &ri, err);
    if (rc != ODS_OK)
        return rc;
    hsm_repo_t *r = &hsm->repos[ri];
    ods_hsm_token_info_t *ti = calloc(1, sizeof(*ti));
    if (ti == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    ti->repository = r->name;
    ti->module = r->module_path;
    ti->slot = r->slot;
    CK_RV rv = info_token(r, ti);
    if (rv == CKR_OK)
        rv = info_mechs(r, ti);
    if (rv != CKR_OK) {
        ods_hsm_token_info_free(ti);
        return hsm_err_rv(err, r, rv, "reading the token information failed");
    }
    *out = ti;
    return ODS_OK;
}

void ods_hsm_token_info_free(ods_hsm_token_info_t *info)
{
    if (info == NULL)
        return;
    free(info->mechanisms);
    free(info);
}
