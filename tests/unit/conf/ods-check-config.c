/*
 * ods-check-config -- check conf.xml and the kasp.xml and zonelist.xml it
 * names, and print every problem (like ods-kaspcheck). Exit status 1 when
 * there is an ERROR, 2 on usage errors. To become `odsctl check-config`.
 *
 * usage: ods-check-config [CONF.XML]   (default: ODS_CONF_FILE)
 */
#include <stdio.h>
#include <string.h>

#include "conf/check.h"
#include "ods_config.h"

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fprintf(stderr, "usage: %s [conf.xml]\n", argv[0]);
        return 2;
    }
    const char *path = argc == 2 ? argv[1] : ODS_CONF_FILE;
    ods_diag_t *diag = ods_diag_new();
    if (diag == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    int rc = ods_conf_check_all(path, diag);
    ods_diag_print(diag, stdout);
    ods_diag_free(diag);
    return rc == 0 ? 0 : 1;
}
