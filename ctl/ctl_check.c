/*
 * ctl_check.c -- `odsctl check-config` (see ctl_check.h).
 */
#include "ctl_check.h"

#include "conf/check.h"
#include "conf/diag.h"
#include "ctl_args.h"

#include <stdio.h>

int ctl_check_run(const char *conf_path)
{
    ods_diag_t *diag = ods_diag_new();
    size_t nerr, nwarn;
    int rc;
    if (!diag) {
        fprintf(stderr, "odsctl: out of memory\n");
        return CTL_EXIT_FAIL;
    }
    rc = ods_conf_check_all(conf_path, diag);
    ods_diag_print(diag, stdout);
    nerr = ods_diag_count_severity(diag, ODS_DIAG_ERROR);
    nwarn = ods_diag_count_severity(diag, ODS_DIAG_WARNING);
    if (rc == ODS_ENOMEM)
        fprintf(stderr, "odsctl: out of memory checking %s\n", conf_path);
    else
        printf("%s: %zu error%s, %zu warning%s\n", conf_path, nerr, nerr == 1 ? "" : "s", nwarn,
               nwarn == 1 ? "" : "s");
    ods_diag_free(diag);
    return rc == ODS_OK && nerr == 0 ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}
