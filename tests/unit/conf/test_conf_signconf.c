/* unit-conf: signer configurations (OpenDNSSEC's files, write/load round trip). */
#include "conf_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/signconf.h"

#define DAY 86400

static ods_signconf_t *load_sc(const char *path, const char *what)
{
    ods_signconf_t *sc = NULL;
    ods_err_t err = { 0 };
    int rc = ods_signconf_load(path, &sc, &err);
    if (!ok(rc == ODS_OK && sc != NULL, "%s loads (rc %d)", what, rc))
        ct_note("%s", err.msg);
    return sc;
}

static void test_ods21_keys(const ods_signconf_t *sc)
{
    is_int(sc->n_keys, 4, "four keys");
    if (sc->n_keys != 4)
        return;
    const ods_signconf_key_t *k = sc->keys;
    ok(k[0].flags == 257 && k[0].algorithm == 8 && k[0].ksk && !k[0].zsk && k[0].publish,
       "KSK: 257, RSASHA256, KSK, Publish");
    is_str(k[0].locator, "1e4b5cd7f6d56cf9ad1e3f9c0e2a5a8b", "KSK locator");
    ok(k[1].flags == 256 && k[1].zsk && !k[1].ksk && k[1].publish, "active ZSK");
    ok(k[2].publish && !k[2].zsk && !k[2].ksk, "published, inactive ZSK");
    ok(!k[3].publish && !k[3].zsk && !k[3].ksk && !k[3].deactivate,
       "a key with no flags is listed too");
    ok(k[3].resource_record == NULL, "no resource record");
}

static void test_ods21(void)
{
    ods_signconf_t *sc = load_sc(ct_data("ods21/signconf.xml"), "signconf written by OpenDNSSEC");
    if (sc == NULL)
        return;
    is_str(sc->zone, "example.com", "zone");
    ok(!sc->passthrough, "not passthrough");
    ok(sc->resign == 7200 && sc->refresh == 3 * DAY && sc->validity_default == 14 * DAY &&
           sc->validity_denial == 14 * DAY && sc->validity_keyset == 0,
       "signature times (PT...S)");
    ok(sc->jitter == 43200 && sc->inception_offset == 3600 && sc->max_zone_ttl == DAY,
       "jitter, inception offset, MaxZoneTTL");
    ok(sc->denial == ODS_DENIAL_NSEC3 && sc->nsec3_algorithm == 1 && sc->nsec3_iterations == 5 &&
           !sc->nsec3_optout && sc->nsec3_ttl == 0,
       "NSEC3 parameters");
    static const uint8_t salt[] = { 0x3b, 0x2e, 0x89, 0xa4, 0xc5, 0x7d, 0x1f, 0x60 };
    ok(sc->nsec3_salt_len == 8 && memcmp(sc->nsec3_salt, salt, 8) == 0, "salt from hex");
    is_int(sc->keys_ttl, 3600, "DNSKEY TTL");
    test_ods21_keys(sc);
    ok(sc->soa_ttl == 3600 && sc->soa_minimum == 3600 && sc->serial == ODS_SERIAL_UNIXTIME, "SOA");
    struct stat st;
    stat(ct_data("ods21/signconf.xml"), &st);
    is_int(sc->mtime, st.st_mtime, "mtime of the file");
    ods_signconf_free(sc);
}

static void test_offline_ksk(void)
{
    ods_signconf_t *sc = load_sc(ct_data("ods21/signconf-offline-ksk.xml"), "offline-KSK signconf");
    if (sc == NULL)
        return;
    ok(sc->passthrough && strcmp(sc->zone, "example.org") == 0, "passthrough zone");
    ok(sc->validity_keyset == 21 * DAY && sc->validity_denial == 7 * DAY, "Keyset validity");
    ok(sc->nsec3_optout && sc->nsec3_salt_len == 0 && sc->nsec3_iterations == 0,
       "opt-out, salt '-' means none");
    ok(sc->n_keys == 2 && sc->keys[0].locator == NULL && sc->keys[0].resource_record != NULL,
       "KSK given as a resource record");
    ok(sc->n_keys == 2 && strcmp(sc->keys[1].locator, "abcdef0123456789abcdef0123456789") == 0,
       "locator in lower case");
    ok(sc->n_keys == 2 && sc->keys[1].deactivate, "Deactivate");
    ok(sc->n_signature_rrs == 2 && strcmp(sc->signature_rrs[1], "c2lnbmF0dXJlIHR3bw==") == 0,
       "pre-made DNSKEY signatures");
    ok(sc->serial == ODS_SERIAL_COUNTER && sc->soa_ttl == 600, "SOA in any order");
    ods_signconf_free(sc);
}

static int str_same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int keys_equal(const ods_signconf_key_t *a, const ods_signconf_key_t *b)
{
    return a->flags == b->flags && a->algorithm == b->algorithm && a->ksk == b->ksk &&
           a->zsk == b->zsk && a->publish == b->publish && a->deactivate == b->deactivate &&
           str_same(a->locator, b->locator) && str_same(a->resource_record, b->resource_record);
}

static int sc_equal(const ods_signconf_t *a, const ods_signconf_t *b)
{
    int same =
        strcmp(a->zone, b->zone) == 0 && a->passthrough == b->passthrough &&
        a->resign == b->resign && a->refresh == b->refresh &&
        a->validity_default == b->validity_default && a->validity_denial == b->validity_denial &&
        a->validity_keyset == b->validity_keyset && a->jitter == b->jitter &&
        a->inception_offset == b->inception_offset && a->max_zone_ttl == b->max_zone_ttl &&
        a->denial == b->denial && a->nsec3_optout == b->nsec3_optout &&
        a->nsec3_ttl == b->nsec3_ttl && a->nsec3_algorithm == b->nsec3_algorithm &&
        a->nsec3_iterations == b->nsec3_iterations && a->nsec3_salt_len == b->nsec3_salt_len &&
        memcmp(a->nsec3_salt, b->nsec3_salt, a->nsec3_salt_len) == 0 &&
        a->keys_ttl == b->keys_ttl && a->n_keys == b->n_keys &&
        a->n_signature_rrs == b->n_signature_rrs && a->soa_ttl == b->soa_ttl &&
        a->soa_minimum == b->soa_minimum && a->serial == b->serial;
    for (size_t i = 0; same && i < a->n_keys; i++)
        same = keys_equal(&a->keys[i], &b->keys[i]);
    for (size_t i = 0; same && i < a->n_signature_rrs; i++)
        same = strcmp(a->signature_rrs[i], b->signature_rrs[i]) == 0;
    return same;
}

static void round_trip(const char *path, const char *what)
{
    ods_signconf_t *sc = load_sc(path, what), *back = NULL;
    ods_err_t err = { 0 };
    if (sc == NULL)
        return;
    is_int(ods_signconf_write(sc, ct_tmp("sc.xml"), &err), ODS_OK, "%s written", what);
    back = load_sc(ct_tmp("sc.xml"), "written signconf");
    ok(back && sc_equal(sc, back), "%s: write then load gives the same values", what);
    ods_signconf_free(back);
    ods_signconf_free(sc);
}

static void test_build(void)
{
    ods_signconf_t *sc = ods_signconf_new();
    ods_err_t err = { 0 };
    is_int(ods_signconf_write(sc, ct_tmp("new.xml"), &err), ODS_EINVAL, "no zone: refused");
    has_str(err.msg, "without a zone name", "and why");
    sc->zone = strdup("new.example");
    sc->resign = 7200, sc->refresh = 3 * DAY, sc->validity_default = 14 * DAY;
    sc->validity_denial = 14 * DAY, sc->jitter = 3600, sc->keys_ttl = 3600;
    sc->denial = ODS_DENIAL_NSEC3, sc->nsec3_algorithm = 1, sc->serial = ODS_SERIAL_DATECOUNTER;
    sc->soa_ttl = sc->soa_minimum = 3600;
    ods_signconf_key_t k = { 257, 13, "00ff", 1, 1, 1, 0, NULL };
    is_int(ods_signconf_add_key(sc, &k), ODS_OK, "key added");
    is_int(ods_signconf_write(sc, ct_tmp("new.xml"), &err), ODS_OK, "written");
    char *text = ct_read(ct_tmp("new.xml"));
    has_str(text, "<Salt></Salt>", "no salt is written as an empty Salt");
    free(text);
    ods_signconf_t *back = load_sc(ct_tmp("new.xml"), "new signconf");
    ok(back && sc_equal(sc, back), "built signconf round-trips");
    ods_signconf_free(back);
    ods_signconf_free(sc);
}

void test_signconf(void)
{
    test_ods21();
    test_offline_ksk();
    round_trip(ct_data("ods21/signconf.xml"), "OpenDNSSEC signconf");
    round_trip(ct_data("ods21/signconf-offline-ksk.xml"), "offline-KSK signconf");
    round_trip(ct_example("signconf.xml"), "example signconf");
    test_build();
    ods_signconf_free(NULL);
}
