/*
 * check.h -- check a whole configuration at once, like ods-kaspcheck:
 * conf.xml, then the kasp.xml and zonelist.xml it names, with every check
 * (schemas, values, cross references, the system: modules, users,
 * directories). This is `odsctl check-config`, and what the daemons run at
 * start-up.
 *
 * Every problem goes to diag; for each file that is valid an INFO line
 * "The XML in FILE is valid" is added, as ods-kaspcheck prints. Nothing
 * stops at the first problem. Thread-safe (no shared state).
 */
#ifndef ODS_CONF_CHECK_H
#define ODS_CONF_CHECK_H

#include <stdio.h>

#include "conf/conf.h"
#include "conf/diag.h"

/*
 * Check the configuration rooted at conf_path. Returns ODS_OK when no ERROR
 * was found (warnings allowed), ODS_ECONFIG otherwise (ODS_ENOMEM when out
 * of memory).
 */
int ods_conf_check_all(const char *conf_path, ods_diag_t *diag);

/*
 * What a daemon does before it starts: ods_conf_check_all, every warning and
 * error written to out as "PROG: ..." lines (INFO lines left out), and, when
 * there is no error, conf.xml loaded into *conf (owned by the caller). A bad
 * configuration never gets as far as a running daemon.
 */
int ods_conf_startup_check(const char *conf_path, const char *prog, FILE *out, ods_conf_t **conf);

#endif
