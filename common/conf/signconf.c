/* signconf.c -- load a signer configuration (see signconf.h). */
#include "conf/signconf.h"
#include "util/hex.h"
#include "conf/xml.h"
#include "conf/zonename.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

ods_signconf_t *ods_signconf_new(void)
{
    return calloc(1, sizeof(ods_signconf_t));
}

static void key_clear(ods_signconf_key_t *k)
{
    free(k->locator);
    free(k->resource_record);
}

void ods_signconf_free(ods_signconf_t *sc)
{
    if (sc == NULL)
        return;
    free(sc->zone);
    for (size_t i = 0; i < sc->n_keys; i++)
        key_clear(&sc->keys[i]);
    free(sc->keys);
    for (size_t i = 0; i < sc->n_signature_rrs; i++)
        free(sc->signature_rrs[i]);
    free(sc->signature_rrs);
    free(sc);
}

static int copy_opt(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return src == NULL || *dst != NULL;
}

int ods_signconf_add_key(ods_signconf_t *sc, const ods_signconf_key_t *key)
{
    ods_signconf_key_t *k = realloc(sc->keys, (sc->n_keys + 1) * sizeof(*k));
    if (k == NULL)
        return ODS_ENOMEM;
    sc->keys = k;
    ods_signconf_key_t copy = *key;
    if (!copy_opt(&copy.locator, key->locator) ||
        !copy_opt(&copy.resource_record, key->resource_record)) {
        key_clear(&copy);
        return ODS_ENOMEM;
    }
    sc->keys[sc->n_keys++] = copy;
    return ODS_OK;
}

/* Salt text: hex digits, "" or "-" for none. */
static int parse_salt(const char *text, uint8_t *salt, size_t *len)
{
    size_t n = strlen(text);
    if (strcmp(text, "-") == 0)
        n = 0;
    if (n % 2 != 0 || n / 2 > ODS_SIGNCONF_MAX_SALT)
        return ODS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)text[i]))
            return ODS_EINVAL;
    for (size_t i = 0; i < n; i += 2)
        salt[i / 2] = (uint8_t)(ods_hex_digit((unsigned char)text[i]) * 16 +
                                ods_hex_digit((unsigned char)text[i + 1]));
    *len = n / 2;
    return ODS_OK;
}

static void read_signatures(ods_xml_rd_t *rd, xmlNodePtr zone, ods_signconf_t *sc)
{
    xmlNodePtr s = ods_xml_child(zone, "Signatures");
    ods_xml_get_duration(rd, s, "Resign", &sc->resign);
    ods_xml_get_duration(rd, s, "Refresh", &sc->refresh);
    ods_xml_get_duration(rd, s, "Validity/Default", &sc->validity_default);
    ods_xml_get_duration(rd, s, "Validity/Denial", &sc->validity_denial);
    ods_xml_get_duration(rd, s, "Validity/Keyset", &sc->validity_keyset);
    ods_xml_get_duration(rd, s, "Jitter", &sc->jitter);
    ods_xml_get_duration(rd, s, "InceptionOffset", &sc->inception_offset);
    ods_xml_get_duration(rd, s, "MaxZoneTTL", &sc->max_zone_ttl);
}

static void read_denial(ods_xml_rd_t *rd, xmlNodePtr zone, ods_signconf_t *sc)
{
    xmlNodePtr d = ods_xml_child(zone, "Denial"), n3 = ods_xml_child(d, "NSEC3");
    uint64_t v;
    if (n3 == NULL) {
        sc->denial = ods_xml_child(d, "NSEC") ? ODS_DENIAL_NSEC : 0;
        return;
    }
    sc->denial = ODS_DENIAL_NSEC3;
    ods_xml_get_duration(rd, n3, "TTL", &sc->nsec3_ttl);
    sc->nsec3_optout = ods_xml_get_flag(rd, n3, "OptOut");
    if (ods_xml_get_uint(rd, n3, "Hash/Algorithm", 255, &v) == 1)
        sc->nsec3_algorithm = (uint8_t)v;
    if (ods_xml_get_uint(rd, n3, "Hash/Iterations", 65535, &v) == 1)
        sc->nsec3_iterations = (uint16_t)v;
    char *salt = NULL;
    if (ods_xml_get_text(rd, n3, "Hash/Salt", &salt) == 1 &&
        parse_salt(salt, sc->nsec3_salt, &sc->nsec3_salt_len) != ODS_OK)
        ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(n3, "Hash/Salt"),
                     "salt '%s' is not hex (at most 255 octets; empty for no salt)", salt);
    free(salt);
}

static void lower(char *s)
{
    for (; s != NULL && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static void read_key(ods_xml_rd_t *rd, xmlNodePtr kn, ods_signconf_key_t *k)
{
    uint64_t v;
    if (ods_xml_get_uint(rd, kn, "Flags", 65535, &v) == 1)
        k->flags = (uint16_t)v;
    if (ods_xml_get_uint(rd, kn, "Algorithm", 255, &v) == 1)
        k->algorithm = (uint8_t)v;
    ods_xml_get_text(rd, kn, "Locator", &k->locator);
    lower(k->locator);
    ods_xml_get_text(rd, kn, "ResourceRecord", &k->resource_record);
    k->ksk = ods_xml_get_flag(rd, kn, "KSK");
    k->zsk = ods_xml_get_flag(rd, kn, "ZSK");
    k->publish = ods_xml_get_flag(rd, kn, "Publish");
    k->deactivate = ods_xml_get_flag(rd, kn, "Deactivate");
    if ((k->locator == NULL || k->locator[0] == '\0') && k->resource_record == NULL)
        ods_xml_diag(rd, ODS_DIAG_ERROR, kn,
                     "key without <Locator> or <ResourceRecord>: the signer cannot find it");
}

static int read_keys(ods_xml_rd_t *rd, xmlNodePtr zone, ods_signconf_t *sc)
{
    xmlNodePtr keys = ods_xml_child(zone, "Keys");
    ods_xml_get_duration(rd, keys, "TTL", &sc->keys_ttl);
    size_t nk = ods_xml_count(keys, "Key"), ns = ods_xml_count(keys, "SignatureResourceRecord");
    sc->keys = nk ? calloc(nk, sizeof(*sc->keys)) : NULL;
    sc->signature_rrs = ns ? calloc(ns, sizeof(char *)) : NULL;
    if ((nk && !sc->keys) || (ns && !sc->signature_rrs))
        return ODS_ENOMEM;
    for (xmlNodePtr k = ods_xml_child(keys, "Key"); k; k = ods_xml_next(k))
        read_key(rd, k, &sc->keys[sc->n_keys++]);
    for (xmlNodePtr s = ods_xml_child(keys, "SignatureResourceRecord"); s; s = ods_xml_next(s))
        if (ods_xml_get_text(rd, s, "", &sc->signature_rrs[sc->n_signature_rrs]) == 1)
            sc->n_signature_rrs++;
    return ODS_OK;
}

static void read_soa(ods_xml_rd_t *rd, xmlNodePtr zone, ods_signconf_t *sc)
{
    xmlNodePtr soa = ods_xml_child(zone, "SOA");
    ods_xml_get_duration(rd, soa, "TTL", &sc->soa_ttl);
    ods_xml_get_duration(rd, soa, "Minimum", &sc->soa_minimum);
    char *serial = NULL;
    if (ods_xml_get_text(rd, soa, "Serial", &serial) == 1 &&
        (sc->serial = ods_serial_parse(serial)) == 0)
        ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(soa, "Serial"),
                     "unknown serial type '%s': use counter, datecounter, unixtime or keep",
                     serial);
    free(serial);
}

/* ods_xml_loader_t read: arg is the ods_signconf_t to fill. */
static int signconf_read(const char *file, xmlDocPtr doc, void *arg, ods_diag_t *diag)
{
    ods_signconf_t *sc = arg;
    ods_xml_rd_t rd = { file, diag, NULL, NULL, 0 };
    xmlNodePtr zone = ods_xml_child(xmlDocGetRootElement(doc), "Zone");
    char *raw = NULL;
    ods_err_t err;
    ods_xml_get_attr(zone, "name", &raw);
    if (zone != NULL && ods_zone_name_normalize(raw, &sc->zone, &err) != ODS_OK)
        ods_xml_diag(&rd, ODS_DIAG_ERROR, zone, "%s", err.msg);
    free(raw);
    sc->passthrough = ods_xml_get_flag(&rd, zone, "Passthrough");
    read_signatures(&rd, zone, sc);
    read_denial(&rd, zone, sc);
    read_soa(&rd, zone, sc);
    return read_keys(&rd, zone, sc);
}

static const ods_xml_loader_t signconf_loader = { ODS_SCHEMA_SIGNCONF, signconf_read, NULL };

int ods_signconf_load(const char *path, ods_signconf_t **out, ods_err_t *err)
{
    ods_diag_t *diag = ods_diag_new();
    ods_signconf_t *sc = ods_signconf_new();
    struct stat st;
    int rc = diag && sc ? ods_xml_load(path, &signconf_loader, sc, &st, diag) : ODS_ENOMEM;
    if (rc == ODS_ENOMEM)
        ods_err_set(err, rc, "%s: out of memory", path);
    else if (rc != ODS_OK)
        ods_diag_to_err(diag, rc, err);
    ods_diag_free(diag);
    if (rc != ODS_OK) {
        ods_signconf_free(sc);
        return rc;
    }
    sc->mtime = st.st_mtime;
    *out = sc;
    return ODS_OK;
}
