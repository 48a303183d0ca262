/* unit-conf: ods_conf_check_all (the whole configuration at once). */
#include "conf_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/check.h"

static void test_examples(void)
{
    ods_diag_t *diag = ods_diag_new();
    int rc = ods_conf_check_all(ct_example("conf.xml"), diag);
    if (!ok(rc == ODS_OK && !ods_diag_has_errors(diag), "shipped configuration: no errors"))
        ct_dump(diag);
    char want[1024];
    snprintf(want, sizeof(want), "The XML in %s is valid", ct_example("kasp.xml"));
    ok(ct_find(diag, ODS_DIAG_INFO, want) != NULL, "INFO: the XML in kasp.xml is valid");
    is_int(ods_diag_count_severity(diag, ODS_DIAG_INFO), 3, "one such line per file");
    ods_diag_free(diag);
}

/* A configuration with one problem in each file: all three are reported. */
static void test_everything_at_once(void)
{
    mkdir(ct_tmp("all"), 0755);
    ct_copy_edit("ods21/conf.xml", "all/conf.xml", "<Capacity>255<", "<Capacity>0<");
    ct_copy_edit("ods21/kasp.xml", "all/kasp.xml", "<Refresh>P2D<", "<Refresh>PT30M<");
    ct_copy_edit("ods21/zonelist.xml", "all/zonelist.xml", "<Policy>ecdsa-csk<", "<Policy>nosuch<");
    ods_diag_t *diag = ods_diag_new();
    int rc = ods_conf_check_all(ct_tmp("all/conf.xml"), diag);
    is_int(rc, ODS_ECONFIG, "errors found");
    const ods_diag_entry_t *a = ct_find(diag, ODS_DIAG_ERROR, "Capacity 0");
    const ods_diag_entry_t *b = ct_find(diag, ODS_DIAG_ERROR, "must be longer than Resign");
    const ods_diag_entry_t *c = ct_find(diag, ODS_DIAG_ERROR, "policy 'nosuch' is not defined");
    ok(a && b && c, "problems in conf.xml, kasp.xml and zonelist.xml all reported");
    ok(a && strcmp(a->file, ct_tmp("all/conf.xml")) == 0 && a->line == 26, "conf.xml:26");
    ok(b && strcmp(b->file, ct_tmp("all/kasp.xml")) == 0 && b->line == 68, "kasp.xml:68");
    ok(c && strcmp(c->file, ct_tmp("all/zonelist.xml")) == 0 && c->line == 16, "zonelist.xml:16");
    ok(ct_find(diag, ODS_DIAG_WARNING, "PKCS#11 module /usr/lib/libpkcs11.so") != NULL,
       "missing module file: warning");
    ok(ct_find(diag, ODS_DIAG_WARNING, "ds-submit is not an executable") != NULL,
       "missing DS submit command: warning");
    ok(ct_find(diag, ODS_DIAG_INFO, "kasp.xml is valid") != NULL,
       "kasp.xml passes the schema even though a value is wrong");
    ods_diag_free(diag);
}

static void test_missing(void)
{
    ods_diag_t *diag = ods_diag_new();
    int rc = ods_conf_check_all(ct_tmp("nonexistent.xml"), diag);
    const ods_diag_entry_t *e = ct_find(diag, ODS_DIAG_ERROR, "cannot open");
    ok(rc != ODS_OK && e && strstr(e->message, "No such file"), "missing conf.xml: error");
    ods_diag_free(diag);

    ct_write(ct_tmp("users.xml"),
             "<Configuration><RepositoryList/><Common><PolicyFile>" CONF_EXAMPLES "/kasp.xml"
             "</PolicyFile><ZoneListFile>nozones.xml</ZoneListFile></Common><Enforcer>"
             "<Privileges><User>no-such-user-odsng</User><Group>no-such-group-odsng</Group>"
             "</Privileges></Enforcer></Configuration>\n");
    diag = ods_diag_new();
    rc = ods_conf_check_all(ct_tmp("users.xml"), diag);
    ok(ct_find(diag, ODS_DIAG_WARNING, "user 'no-such-user-odsng' does not exist") &&
           ct_find(diag, ODS_DIAG_WARNING, "group 'no-such-group-odsng' does not exist"),
       "unknown user and group: warnings");
    ok(ct_find(diag, ODS_DIAG_WARNING, "zone list does not exist") != NULL,
       "missing zonelist.xml: only a warning");
    ok(ct_find(diag, ODS_DIAG_ERROR, "repository 'SoftHSM' is not defined") != NULL,
       "policies naming a repository conf.xml lacks: error");
    ods_diag_free(diag);
}

void test_check(void)
{
    test_examples();
    test_everything_at_once();
    test_missing();
}
