/* check.c -- check conf.xml, kasp.xml and zonelist.xml together (see check.h). */
#include "conf/check.h"
#include "conf/conf_internal.h"
#include "conf/kasp_internal.h"
#include "conf/zonelist.h"

#include <unistd.h>

static void valid_info(ods_diag_t *diag, int rc, const char *path)
{
    if (rc == ODS_OK || rc == ODS_ECONFIG)
        ods_diag_add(diag, ODS_DIAG_INFO, NULL, 0, NULL, "The XML in %s is valid", path);
}

/* zonelist.xml is optional: since OpenDNSSEC 2.0 the enforcer's database is
 * authoritative and zones are added with `zone add`. */
static void check_zonelist(const char *path, const ods_kasp_t *kasp, ods_diag_t *diag)
{
    if (access(path, F_OK) != 0) {
        ods_diag_add(diag, ODS_DIAG_WARNING, path, 0, NULL,
                     "zone list does not exist (fine if zones are added with `odsctl zone add`)");
        return;
    }
    ods_zonelist_t *zl = NULL;
    int rc = ods_zonelist_load(path, kasp, &zl, diag);
    valid_info(diag, rc, path);
    ods_zonelist_free(zl);
}

static int check_all(const char *conf_path, ods_diag_t *diag)
{
    size_t errors = ods_diag_count_severity(diag, ODS_DIAG_ERROR);
    ods_conf_t *conf = NULL;
    int rc = ods_conf_load_any(conf_path, &conf, diag);
    if (rc == ODS_ENOMEM)
        return rc;
    if (conf != NULL) {
        valid_info(diag, rc, conf->path);
        ods_conf_check_env(conf, diag);
        ods_kasp_t *kasp = NULL;
        rc = ods_kasp_load_any(conf->policy_file, conf, &kasp, diag);
        valid_info(diag, rc, conf->policy_file);
        if (kasp != NULL)
            check_zonelist(conf->zonelist_file, kasp, diag);
        ods_kasp_free(kasp);
        ods_conf_free(conf);
        if (rc == ODS_ENOMEM)
            return rc;
    }
    return ods_diag_count_severity(diag, ODS_DIAG_ERROR) > errors ? ODS_ECONFIG : ODS_OK;
}

int ods_conf_check_all(const char *conf_path, ods_diag_t *diag)
{
    if (diag != NULL)
        return check_all(conf_path, diag);
    ods_diag_t *own = ods_diag_new();
    int rc = own ? check_all(conf_path, own) : ODS_ENOMEM;
    ods_diag_free(own);
    return rc;
}

int ods_conf_startup_check(const char *conf_path, const char *prog, FILE *out, ods_conf_t **conf)
{
    ods_diag_t *diag = ods_diag_new();
    int rc = diag ? ods_conf_check_all(conf_path, diag) : ODS_ENOMEM;
    for (size_t i = 0; diag && i < ods_diag_count(diag); i++) {
        const ods_diag_entry_t *e = ods_diag_get(diag, i);
        char line[2048];
        if (e->severity == ODS_DIAG_INFO)
            continue;
        ods_diag_format(e, line, sizeof(line));
        fprintf(out, "%s: %s\n", prog, line);
    }
    ods_diag_free(diag);
    if (rc == ODS_OK)
        rc = ods_conf_load(conf_path, conf, NULL);
    if (rc != ODS_OK)
        fprintf(out, "%s: %s is not usable (see above); not starting (check it with `odsctl -c %s "
                     "check-config`)\n",
                prog, conf_path, conf_path);
    return rc;
}
