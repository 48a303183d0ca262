/* unit-conf: zonelist.xml (load, normalised names, write, add/find/remove). */
#include "conf_test.h"

#include <stdlib.h>
#include <string.h>

#include "conf/zonelist.h"

static ods_zonelist_t *load_zl(const char *path, const ods_kasp_t *kasp, const char *what)
{
    ods_diag_t *diag = ods_diag_new();
    ods_zonelist_t *zl = NULL;
    int rc = ods_zonelist_load(path, kasp, &zl, diag);
    if (!ok(rc == ODS_OK && zl != NULL, "%s loads (rc %d)", what, rc))
        ct_dump(diag);
    if (!ok(ods_diag_count(diag) == 0, "%s: no problems", what))
        ct_dump(diag);
    ods_diag_free(diag);
    return zl;
}

static void test_example(void)
{
    ods_kasp_t *kasp = NULL;
    ods_kasp_load(ct_example("kasp.xml"), NULL, &kasp, NULL);
    ods_zonelist_t *zl = load_zl(ct_example("zonelist.xml"), kasp, "shipped zonelist.xml");
    ok(zl && zl->n_zones == 1 && strcmp(zl->zones[0].name, "example.com") == 0,
       "one zone, example.com");
    ods_zonelist_free(zl);
    ods_kasp_free(kasp);
}

static void test_ods21_entries(const ods_zonelist_t *zl)
{
    const ods_zonelist_entry_t *e = ods_zonelist_find(zl, "EXAMPLE.net.");
    ok(e != NULL, "Example.NET. is found as EXAMPLE.net.");
    if (e != NULL) {
        is_str(e->name, "example.net", "name normalised: lower case, no trailing dot");
        is_str(e->policy, "ecdsa-csk", "policy");
        is_str(e->signconf, ct_data("ods21/signconf/example.net.xml"), "relative signconf");
        ok(e->input_type == ODS_ADAPTER_DNS && e->output_type == ODS_ADAPTER_DNS, "DNS adapters");
        is_str(e->input, ct_data("ods21/addns.xml"), "DNS adapter configuration path");
        is_int(e->line, 16, "line of the Zone element");
    }
    e = ods_zonelist_find(zl, "0/25.2.0.192.in-addr.arpa");
    ok(e && e->input_type == ODS_ADAPTER_FILE && e->output_type == ODS_ADAPTER_FILE,
       "classless reverse zone; <Adapter type=\"File\"> is a file adapter");
    e = ods_zonelist_find(zl, "example.com");
    ok(e && strcmp(e->input, "/var/lib/opendnssec/unsigned/example.com") == 0 &&
           strcmp(e->output, "/var/lib/opendnssec/signed/example.com") == 0,
       "file input and output");
}

static int entries_equal(const ods_zonelist_entry_t *a, const ods_zonelist_entry_t *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->policy, b->policy) == 0 &&
           strcmp(a->signconf, b->signconf) == 0 && a->input_type == b->input_type &&
           strcmp(a->input, b->input) == 0 && a->output_type == b->output_type &&
           strcmp(a->output, b->output) == 0;
}

static void test_round_trip(const ods_zonelist_t *zl, const ods_kasp_t *kasp)
{
    ods_err_t err = { 0 };
    is_int(ods_zonelist_write(zl, ct_tmp("zonelist.xml"), &err), ODS_OK, "zonelist written");
    char *text = ct_read(ct_tmp("zonelist.xml"));
    has_str(text, "<Adapter type=\"DNS\">", "DNS adapters written as OpenDNSSEC does");
    free(text);
    ods_zonelist_t *back = load_zl(ct_tmp("zonelist.xml"), kasp, "written zonelist");
    ok(back && back->n_zones == zl->n_zones, "same number of zones");
    for (size_t i = 0; back && i < zl->n_zones && i < back->n_zones; i++)
        ok(entries_equal(&zl->zones[i], &back->zones[i]), "zone %s round-trips", zl->zones[i].name);
    ods_zonelist_free(back);
}

static void test_ods21(void)
{
    ods_kasp_t *kasp = NULL;
    ods_kasp_load(ct_data("ods21/kasp.xml"), NULL, &kasp, NULL);
    ods_zonelist_t *zl = load_zl(ct_data("ods21/zonelist.xml"), kasp, "OpenDNSSEC 2.1 zonelist");
    if (zl != NULL) {
        is_int(zl->n_zones, 3, "three zones");
        test_ods21_entries(zl);
        test_round_trip(zl, kasp);
    }
    ods_zonelist_free(zl);
    ods_kasp_free(kasp);
}

static void test_edit(void)
{
    ods_zonelist_t *zl = ods_zonelist_new();
    ods_zonelist_entry_t e = { "WWW.Example.COM.", "default",        "/s/www.xml", ODS_ADAPTER_FILE,
                               "/u/www",           ODS_ADAPTER_FILE, "/o/www",     0 };
    ods_err_t err = { 0 };
    is_int(ods_zonelist_add(zl, &e, &err), ODS_OK, "zone added");
    is_str(zl->zones[0].name, "www.example.com", "added name normalised");
    is_int(ods_zonelist_add(zl, &e, &err), ODS_EEXIST, "adding it again: EEXIST");
    has_str(err.msg, "www.example.com is already in the zone list", "says so");
    e.name = "bad..name";
    is_int(ods_zonelist_add(zl, &e, &err), ODS_EINVAL, "invalid name refused");
    has_str(err.msg, "empty label", "and why");
    e.name = "second.example";
    e.output_type = ODS_ADAPTER_DNS;
    e.output = (char *)ct_data("ods21/addns.xml");
    is_int(ods_zonelist_add(zl, &e, &err), ODS_OK, "second zone added");
    ok(ods_zonelist_find(zl, "Second.Example.") != NULL, "found in any case");
    is_int(ods_zonelist_remove(zl, "www.example.com."), ODS_OK, "removed");
    is_int(ods_zonelist_remove(zl, "www.example.com"), ODS_ENOTFOUND, "removing again fails");
    ok(zl->n_zones == 1 && ods_zonelist_find(zl, "www.example.com") == NULL, "one zone left");
    is_int(ods_zonelist_write(zl, ct_tmp("edited.xml"), &err), ODS_OK, "edited list written");
    ods_zonelist_t *back = load_zl(ct_tmp("edited.xml"), NULL, "edited list");
    ok(back && back->n_zones == 1 && entries_equal(&zl->zones[0], &back->zones[0]),
       "edited list round-trips");
    ods_zonelist_free(back);
    ods_zonelist_free(zl);
    ods_zonelist_free(NULL);
}

void test_zonelist(void)
{
    test_example();
    test_ods21();
    test_edit();
}
