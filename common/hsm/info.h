/*
 * info.h -- details of a repository's module, slot and token, for
 * `odsctl hsm info`. Needs no session; thread-safe.
 */
#ifndef ODS_HSM_INFO_H
#define ODS_HSM_INFO_H

#include "hsm/hsm.h"
#include "util/status.h"

#include <stddef.h>

/* Memory figures the token does not report are ODS_HSM_INFO_UNAVAILABLE. */
#define ODS_HSM_INFO_UNAVAILABLE ((unsigned long)-1)

typedef struct ods_hsm_mechinfo {
    unsigned long type;
    const char *name; /* "CKM_ECDSA", ...; NULL when not in our table (print type in hex) */
    unsigned long min_key_size, max_key_size;
    unsigned long flags; /* CKF_SIGN, CKF_GENERATE_KEY_PAIR, ... */
} ods_hsm_mechinfo_t;

typedef struct ods_hsm_token_info {
    const char *repository; /* owned by the ods_hsm_t */
    const char *module;     /* module path as configured; owned by the ods_hsm_t */
    char library[33];       /* C_GetInfo libraryDescription */
    char library_manufacturer[33];
    unsigned long slot;
    char slot_description[65];
    char label[33];
    char manufacturer[33];
    char model[17];
    char serial[17];
    unsigned long free_public_memory, total_public_memory;
    unsigned long free_private_memory, total_private_memory;
    unsigned long session_count, max_session_count; /* max 0: no limit (CK_EFFECTIVELY_INFINITE) */
    ods_hsm_mechinfo_t *mechanisms;                 /* owned by this struct */
    size_t nmechanisms;
} ods_hsm_token_info_t;

/* Details of one repository; *out is owned by the caller (ods_hsm_token_info_free). */
int ods_hsm_token_info(ods_hsm_t *hsm, const char *repository, ods_hsm_token_info_t **out,
                       ods_err_t *err);

/* NULL is a no-op. */
void ods_hsm_token_info_free(ods_hsm_token_info_t *info);

#endif
