/*
 * ctl_check.h -- `odsctl check-config`: conf.xml and the files it names, with
 * every check of the conf module (ods_conf_check_all), like ods-kaspcheck.
 */
#ifndef CTL_CHECK_H
#define CTL_CHECK_H

/*
 * Print every problem (ERROR/WARNING/INFO lines) on stdout and a summary.
 * Returns 0 without errors (warnings allowed), 1 with errors.
 */
int ctl_check_run(const char *conf_path);

#endif
