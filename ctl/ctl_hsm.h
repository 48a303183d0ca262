/*
 * ctl_hsm.h -- `odsctl hsm ...`: the HSM commands that replace ods-hsmutil,
 * run by odsctl itself through common/hsm on the repositories of conf.xml.
 *
 * PINs come from conf.xml (PIN/PINFile), ODS_PIN_<NAME> or a credential file
 * (svc/pin.h), else odsctl asks on the terminal. They are wiped after use.
 */
#ifndef CTL_HSM_H
#define CTL_HSM_H

#include "ctl/cmdparse.h"
#include "ctl_args.h"

/* Run the parsed hsm command a; returns odsctl's exit status. */
int ctl_hsm_run(const ctl_opts_t *opts, const ods_cmd_args_t *a);

#endif
