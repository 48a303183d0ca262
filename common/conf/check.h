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

#include "conf/diag.h"

/*
 * Check the configuration rooted at conf_path. Returns ODS_OK when no ERROR
 * was found (warnings allowed), ODS_ECONFIG otherwise (ODS_ENOMEM when out
 * of memory).
 */
int ods_conf_check_all(const char *conf_path, ods_diag_t *diag);

#endif
