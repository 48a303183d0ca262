/*
 * ctl_hsm_int.h -- shared by the files of the hsm commands (not a public API).
 */
#ifndef CTL_HSM_INT_H
#define CTL_HSM_INT_H

#include "conf/conf.h"
#include "ctl/cmdparse.h"
#include "ctl_args.h"
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

/* `hsm login` (ctl_hsm_login.c): no HSM is opened for it beforehand. */
int ctl_hsm_login(const ctl_opts_t *opts, const ods_cmd_args_t *a);

/* Load conf.xml; on failure the problems are printed on stderr. */
int ctl_hsm_load_conf(const char *path, ods_conf_t **conf);

/* Parse a decimal number in [min, max]; 0 on success. */
int ctl_hsm_number(const char *s, long min, long max, long *out);

#endif
