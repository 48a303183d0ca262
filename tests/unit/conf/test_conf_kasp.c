/* unit-conf: kasp.xml (examples, OpenDNSSEC 2.1 files, durations, export). */
#include "conf_test.h"

#include <stdlib.h>
#include <string.h>

#include "conf/kasp.h"

#define DAY 86400

static ods_kasp_t *load_kasp(const char *path, const ods_conf_t *conf, ods_diag_t *diag,
                             const char *what)
{
    ods_kasp_t *kasp = NULL;
    int rc = ods_kasp_load(path, conf, &kasp, diag);
    if (!ok(rc == ODS_OK && kasp != NULL, "%s loads (rc %d)", what, rc))
        ct_dump(diag);
    return kasp;
}

static void test_example_default(const ods_policy_t *p)
{
    ok(p->denial == ODS_DENIAL_NSEC3 && p->nsec3_iterations == 0 && p->nsec3_salt_length == 0,
       "default: NSEC3 with 0 iterations and no salt");
    is_int(p->serial, ODS_SERIAL_DATECOUNTER, "default: datecounter serial");
    is_int(p->n_keys, 2, "default: two keys");
    if (p->n_keys != 2)
        return;
    const ods_policy_key_t *ksk = &p->keys[0], *zsk = &p->keys[1];
    ok(ksk->role == ODS_ROLE_KSK && ksk->algorithm == 13 && ksk->bits == 256,
       "default: ECDSA P-256 KSK");
    ok(zsk->role == ODS_ROLE_ZSK && zsk->algorithm == 13 && zsk->bits == 256,
       "default: ECDSA P-256 ZSK");
    is_int(ksk->minimize, ODS_MINIMIZE_DS, "KSK roll type defaults to double signature");
    is_int(zsk->minimize, ODS_MINIMIZE_RRSIG, "ZSK roll type defaults to pre-publication");
    is_str(ksk->repository, "SoftHSM", "KSK repository");
}

static void test_examples(void)
{
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *conf = NULL;
    ods_conf_load(ct_example("conf.xml"), &conf, diag);
    ods_kasp_t *k = load_kasp(ct_example("kasp.xml"), conf, diag, "shipped kasp.xml");
    if (!ok(ods_diag_count(diag) == 0, "shipped conf.xml and kasp.xml: no problems at all"))
        ct_dump(diag);
    if (k != NULL) {
        is_int(k->n_policies, 3, "three example policies");
        const ods_policy_t *p = ods_kasp_find(k, "default");
        ok(p != NULL, "policy 'default'");
        if (p != NULL)
            test_example_default(p);
        p = ods_kasp_find(k, "csk");
        ok(p && p->n_keys == 1 && p->keys[0].role == ODS_ROLE_CSK &&
               p->keys[0].minimize == (ODS_MINIMIZE_DS | ODS_MINIMIZE_RRSIG),
           "policy 'csk': one CSK, pre-publication");
        p = ods_kasp_find(k, "lab");
        ok(p && p->resign == 300 && p->keys[0].lifetime == 4 * 3600, "policy 'lab': short times");
        ok(ods_kasp_find(k, "missing") == NULL, "unknown policy not found");
    }
    ods_kasp_free(k);
    ods_conf_free(conf);
    ods_diag_free(diag);
}

static void test_everything_signatures(const ods_policy_t *p)
{
    ok(p->passthrough, "Passthrough");
    is_str(p->description, "Every optional element", "Description");
    ok(p->resign == 3600 && p->refresh == 2 * DAY, "Resign, Refresh");
    ok(p->validity_default == 7 * DAY && p->validity_denial == 5 * DAY &&
           p->validity_keyset == 10 * DAY,
       "Validity Default, Denial, Keyset");
    ok(p->jitter == 6 * 3600 && p->inception_offset == 300 && p->max_zone_ttl == 6 * 3600,
       "Jitter, InceptionOffset, MaxZoneTTL");
    ok(p->denial == ODS_DENIAL_NSEC3 && p->nsec3_ttl == 300 && p->nsec3_optout,
       "NSEC3 TTL and OptOut");
    is_int(p->nsec3_resalt, 3 * 31 * DAY, "Resalt P3M is 93 days");
    ok(p->nsec3_algorithm == 1 && p->nsec3_iterations == 0 && p->nsec3_salt_length == 0,
       "NSEC3 hash");
}

static void test_everything_keys(const ods_policy_t *p)
{
    ok(p->keys_ttl == 7200 && p->retire_safety == 1800 && p->publish_safety == 2700,
       "Keys TTL and safeties");
    ok(p->share_keys && p->purge == 30 * DAY, "ShareKeys, Purge");
    is_int(p->n_keys, 4, "four keys");
    if (p->n_keys != 4)
        return;
    const ods_policy_key_t *k = &p->keys[0];
    ok(k->role == ODS_ROLE_KSK && k->algorithm == 8 && k->bits == 3072, "KSK RSASHA256/3072");
    is_int(k->lifetime, 2 * 365 * DAY, "KSK Lifetime P2Y is 730 days");
    is_str(k->repository, "sca6000", "KSK repository");
    ok(k->manual_rollover && k->rfc5011, "ManualRollover, RFC5011");
    is_int(k->minimize, ODS_MINIMIZE_DNSKEY, "KskDoubleDS");
    is_int(p->keys[1].minimize, ODS_MINIMIZE_DNSKEY, "ZskDoubleRRsig");
    is_int(p->keys[2].minimize, 0, "ZskDoubleSignature");
    ok(p->keys[3].role == ODS_ROLE_CSK && p->keys[3].minimize == ODS_MINIMIZE_RRSIG,
       "CskSingleSignature");
}

static void test_everything_zone(const ods_policy_t *p)
{
    ok(p->zone_propagation_delay == 7200 && p->zone_soa_ttl == 3600 && p->zone_soa_minimum == 900 &&
           p->serial == ODS_SERIAL_KEEP,
       "Zone");
    ok(p->parent_propagation_delay == 3 * 3600 && p->parent_ds_ttl == DAY &&
           p->parent_soa_ttl == 2 * DAY && p->parent_soa_minimum == 7200 &&
           p->parent_registration_delay == DAY,
       "Parent, with RegistrationDelay");
}

static void test_ods21(void)
{
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *conf = NULL;
    ods_conf_load(ct_data("ods21/conf.xml"), &conf, NULL);
    ods_kasp_t *k = load_kasp(ct_data("ods21/kasp.xml"), conf, diag, "OpenDNSSEC 2.1 kasp.xml");
    is_int(ods_diag_count_severity(diag, ODS_DIAG_ERROR), 0, "no errors");
    const ods_policy_t *p = k ? ods_kasp_find(k, "everything") : NULL;
    if (p != NULL) {
        test_everything_signatures(p);
        test_everything_keys(p);
        test_everything_zone(p);
    }
    p = k ? ods_kasp_find(k, "default") : NULL;
    ok(p && p->purge == 14 * DAY && p->nsec3_iterations == 5 && p->nsec3_salt_length == 8 &&
           p->serial == ODS_SERIAL_UNIXTIME && p->validity_keyset == 0 && p->max_zone_ttl == DAY,
       "OpenDNSSEC's default policy");
    p = k ? ods_kasp_find(k, "ecdsa-csk") : NULL;
    ok(p && p->denial == ODS_DENIAL_NSEC && p->purge == -1 && p->max_zone_ttl == 0 &&
           p->keys[0].standby == 1 && p->keys[0].minimize == 0,
       "CSK policy with NSEC, no Purge (-1), Standby, CskDoubleRRset");
    const ods_diag_entry_t *e = ct_find(diag, ODS_DIAG_WARNING, "P3M uses M (months)");
    ok(e && e->line == 82 && strstr(e->message, "93 days"), "P3M: warning on line 82, 93 days");
    e = ct_find(diag, ODS_DIAG_INFO, "P2Y uses Y (years)");
    ok(e && e->line == 98, "P2Y: note on line 98");
    e = ct_find(diag, ODS_DIAG_WARNING, "Standby keys are not implemented");
    ok(e && e->line == 167, "Standby: warning on line 167");
    ods_kasp_free(k);
    ods_conf_free(conf);
    ods_diag_free(diag);
}

/* Export every policy of a file, load the export back, compare. */
static void round_trip(const char *path, const char *what)
{
    ods_kasp_t *k = NULL;
    ods_kasp_load(path, NULL, &k, NULL);
    ok(k != NULL, "%s loads for export", what);
    if (k == NULL)
        return;
    const ods_policy_t **all = calloc(k->n_policies, sizeof(*all));
    for (size_t i = 0; i < k->n_policies; i++)
        all[i] = &k->policies[i];
    ods_buf_t buf = ODS_BUF_INIT;
    is_int(ods_kasp_policies_to_xml(all, k->n_policies, &buf), ODS_OK, "%s exported", what);
    ct_write(ct_tmp("export.xml"), ods_buf_cstr(&buf));
    ods_kasp_t *back = NULL;
    ods_diag_t *diag = ods_diag_new();
    if (!ok(ods_kasp_load(ct_tmp("export.xml"), NULL, &back, diag) == ODS_OK,
            "%s: export loads back", what))
        ct_dump(diag);
    for (size_t i = 0; back && i < k->n_policies; i++)
        ok(i < back->n_policies && ods_policy_equal(&k->policies[i], &back->policies[i]),
           "%s: policy '%s' round-trips", what, k->policies[i].name);
    ods_buf_free(&buf);
    ods_diag_free(diag);
    ods_kasp_free(back);
    free(all);
    ods_kasp_free(k);
}

static void test_export(void)
{
    round_trip(ct_example("kasp.xml"), "shipped kasp.xml");
    round_trip(ct_data("ods21/kasp.xml"), "OpenDNSSEC 2.1 kasp.xml");
    ods_kasp_t *k = NULL;
    ods_kasp_load(ct_example("kasp.xml"), NULL, &k, NULL);
    ods_buf_t buf = ODS_BUF_INIT;
    if (k != NULL && ods_kasp_policy_to_xml(ods_kasp_find(k, "default"), &buf) == ODS_OK) {
        const char *x = ods_buf_cstr(&buf);
        has_str(x, "\t<Policy name=\"default\">", "one policy element");
        has_str(x, "<Algorithm length=\"256\">13</Algorithm>", "algorithm with length");
        has_str(x, "<KskRollType>KskDoubleSignature</KskRollType>", "roll type written");
        ok(ods_policy_equal(&k->policies[0], &k->policies[0]) &&
               !ods_policy_equal(&k->policies[0], &k->policies[1]),
           "policy comparison");
    }
    ods_buf_free(&buf);
    ods_kasp_free(k);
}

static void test_check_unsourced(void)
{
    ods_policy_key_t keys[2] = {
        { ODS_ROLE_KSK, 13, 256, 365 * DAY, "r", 0, 0, 0, ODS_MINIMIZE_DS },
        { ODS_ROLE_ZSK, 13, 256, 90 * DAY, "r", 0, 0, 0, ODS_MINIMIZE_RRSIG },
    };
    ods_policy_t p = { 0 };
    p.name = "db";
    p.resign = 7200;
    p.refresh = 3600;
    p.validity_default = p.validity_denial = 14 * DAY;
    p.denial = ODS_DENIAL_NSEC;
    p.keys = keys;
    p.n_keys = 2;
    p.serial = ODS_SERIAL_COUNTER;
    ods_diag_t *diag = ods_diag_new();
    ods_kasp_check_policy(&p, NULL, diag);
    const ods_diag_entry_t *e = ct_find(diag, ODS_DIAG_ERROR, "must be longer than Resign");
    ok(e && e->file == NULL && e->line == 0 &&
           strcmp(e->path, "/KASP/Policy[@name='db']/Signatures/Refresh") == 0,
       "checks work on a policy without a file");
    is_int(ods_diag_count(diag), 1, "and find only that problem");
    ods_diag_free(diag);
}

void test_kasp(void)
{
    test_examples();
    test_ods21();
    test_export();
    test_check_unsourced();
}
