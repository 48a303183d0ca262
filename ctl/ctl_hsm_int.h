/*
 * ctl_hsm_int.h -- shared by the files of the hsm commands (not a public API).
 */
#ifndef CTL_HSM_INT_H
#define CTL_HSM_INT_H

#include "ctl/cmdparse.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"

/* An open HSM for one command. */
typedef struct ctl_hsm {
    ods_hsm_t *hsm;
    ods_hsm_ctx_t *ctx;
} ctl_hsm_t;

int ctl_hsm_list(ctl_hsm_t *h, const ods_cmd_args_t *a);
int ctl_hsm_info(ctl_hsm_t *h, const ods_cmd_args_t *a);
int ctl_hsm_dnskey(ctl_hsm_t *h, const ods_cmd_args_t *a);

/* Parse a decimal number in [min, max]; 0 on success. */
int ctl_hsm_number(const char *s, long min, long max, long *out);

#endif
