/* unit-conf: ods_diag_t (formatting, element paths, secrets). */
#include "conf_test.h"

#include <stdlib.h>
#include <string.h>

static void test_display_paths(void)
{
    char buf[256];
    ods_diag_path_display("/KASP/Policy[@name='default']/Signatures/Refresh", buf, sizeof(buf));
    is_str(buf, "Policy 'default' Signatures/Refresh", "policy path shortened");
    ods_diag_path_display("/Configuration/RepositoryList/Repository[@name='a/b']/PIN", buf,
                          sizeof(buf));
    is_str(buf, "RepositoryList/Repository 'a/b' PIN", "a '/' inside a name is kept");
    ods_diag_path_display("/KASP/Policy[@name='x']/Keys/KSK[2]/Algorithm", buf, sizeof(buf));
    is_str(buf, "Policy 'x' Keys/KSK[2]/Algorithm", "indexes are kept");
    ods_diag_path_display("/KASP", buf, sizeof(buf));
    is_str(buf, "KASP", "root only");
    ods_diag_path_display("/KASP/Policy[@name='default']/Signatures/Refresh", buf, 10);
    is_str(buf, "Policy 'd", "truncated to the buffer");
}

static void test_format(void)
{
    ods_diag_t *d = ods_diag_new();
    ods_diag_add(d, ODS_DIAG_ERROR, "/etc/odsng/kasp.xml", 12,
                 "/KASP/Policy[@name='default']/Signatures/Refresh",
                 "PT2H must be longer than Resign (%s)", "PT3H");
    ods_diag_add(d, ODS_DIAG_WARNING, "/etc/odsng/conf.xml", 0, NULL, "no line");
    ods_diag_add(d, ODS_DIAG_INFO, NULL, 0, NULL, "The XML in %s is valid", "x.xml");
    is_int(ods_diag_count(d), 3, "three entries");
    is_int(ods_diag_count_severity(d, ODS_DIAG_ERROR), 1, "one error");
    ok(ods_diag_has_errors(d), "has errors");
    char *text = ct_diag_text(d);
    is_str(text,
           "ERROR: /etc/odsng/kasp.xml:12: Policy 'default' Signatures/Refresh: PT2H must be "
           "longer than Resign (PT3H)\n"
           "WARNING: /etc/odsng/conf.xml: no line\n"
           "INFO: The XML in x.xml is valid\n",
           "printed like ods-kaspcheck, with file, line and element");
    free(text);
    ods_err_t err = { 0 };
    is_int(ods_diag_to_err(d, ODS_ECONFIG, &err), ODS_ECONFIG, "to_err returns the code");
    is_str(err.msg,
           "/etc/odsng/kasp.xml:12: Policy 'default' Signatures/Refresh: PT2H must be longer "
           "than Resign (PT3H)",
           "to_err gives the first error");
    ods_diag_add(d, ODS_DIAG_ERROR, "f", 1, NULL, "second");
    ods_diag_to_err(d, ODS_ECONFIG, &err);
    has_str(err.msg, "(and 1 more error)", "to_err counts the others");
    ods_diag_free(d);

    ods_diag_t *clean = ods_diag_new();
    ods_diag_add(clean, ODS_DIAG_WARNING, NULL, 0, NULL, "w");
    ok(!ods_diag_has_errors(clean), "warnings are not errors");
    is_int(ods_diag_to_err(clean, ODS_ECONFIG, &err), ODS_OK, "to_err without errors is OK");
    ods_diag_free(clean);
    ods_diag_free(NULL);
    ods_diag_add(NULL, ODS_DIAG_ERROR, NULL, 0, NULL, "ignored");
    ok(1, "NULL diag is a no-op");
}

static void test_secrets(void)
{
    ods_diag_t *d = ods_diag_new();
    ods_diag_add_secret(d, "s3cr3t");
    ods_diag_add(d, ODS_DIAG_ERROR, "f", 1, NULL, "value 's3cr3t' and again s3cr3ts3cr3t");
    const ods_diag_entry_t *e = ods_diag_get(d, 0);
    is_str(e->message, "value '********' and again ****************", "secret redacted");
    ods_diag_free(d);
}

void test_diag(void)
{
    test_display_paths();
    test_format();
    test_secrets();
}
