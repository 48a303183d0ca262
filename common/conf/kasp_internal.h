/*
 * kasp_internal.h -- shared by the files that implement kasp.h (kasp.c,
 * kasp_check.c, kasp_export.c). Not for use outside common/conf.
 */
#ifndef ODS_CONF_KASP_INTERNAL_H
#define ODS_CONF_KASP_INTERNAL_H

#include "conf/kasp.h"

/* Like ods_kasp_load, but *out is set whenever the file could be parsed
 * (see ods_conf_load_any). */
int ods_kasp_load_any(const char *path, const ods_conf_t *conf, ods_kasp_t **out, ods_diag_t *diag);

/* What we know about a DNSSEC algorithm number. */
typedef struct ods_kasp_alg {
    int number;
    const char *name; /* "RSASHA256", "ECDSAP256SHA256", ... */
    int usable;       /* 0: rejected (reason says why) */
    int min_bits;     /* RSA: 1024..4096; fixed-size: min == max */
    int max_bits;
    int nsec3;          /* can be used with NSEC3 */
    const char *reason; /* why rejected or discouraged; NULL if fine */
} ods_kasp_alg_t;

/* The entry for an algorithm number; NULL if unknown. */
const ods_kasp_alg_t *ods_kasp_alg(int number);

/* Relative path of a key element: "Keys/KSK" or "Keys/KSK[2]" (index-th of its
 * role, 0-based, counting in policy->keys order). */
void ods_kasp_key_path(const ods_policy_t *policy, size_t index, char *buf, size_t len);

/* Roll type name <-> minimize bits for a role. NULL / -1 when unknown. */
const char *ods_kasp_rolltype_name(int role, int minimize);
int ods_kasp_rolltype_parse(int role, const char *name);

/* "KskRollType", "ZskRollType" or "CskRollType". */
const char *ods_kasp_rolltype_element(int role);

#endif
