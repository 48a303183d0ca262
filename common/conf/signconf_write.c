/* signconf_write.c -- write a signer configuration atomically (see signconf.h). */
#include "conf/signconf.h"
#include "conf/xmlwrite.h"

#include <stdio.h>

#include "util/atomicfile.h"

static void write_signatures(ods_xw_t *w, const ods_signconf_t *sc)
{
    ods_xw_start(w, "Signatures", NULL, NULL);
    ods_xw_duration(w, "Resign", sc->resign);
    ods_xw_duration(w, "Refresh", sc->refresh);
    ods_xw_start(w, "Validity", NULL, NULL);
    ods_xw_duration(w, "Default", sc->validity_default);
    ods_xw_duration(w, "Denial", sc->validity_denial);
    if (sc->validity_keyset > 0)
        ods_xw_duration(w, "Keyset", sc->validity_keyset);
    ods_xw_end(w, "Validity");
    ods_xw_duration(w, "Jitter", sc->jitter);
    ods_xw_duration(w, "InceptionOffset", sc->inception_offset);
    if (sc->max_zone_ttl > 0)
        ods_xw_duration(w, "MaxZoneTTL", sc->max_zone_ttl);
    ods_xw_end(w, "Signatures");
}

static void write_denial(ods_xw_t *w, const ods_signconf_t *sc)
{
    ods_xw_start(w, "Denial", NULL, NULL);
    if (sc->denial == ODS_DENIAL_NSEC) {
        ods_xw_leaf(w, "NSEC", NULL);
        ods_xw_end(w, "Denial");
        return;
    }
    char salt[2 * ODS_SIGNCONF_MAX_SALT + 1] = "";
    for (size_t i = 0; i < sc->nsec3_salt_len && i < ODS_SIGNCONF_MAX_SALT; i++)
        snprintf(salt + 2 * i, 3, "%02x", sc->nsec3_salt[i]);
    ods_xw_start(w, "NSEC3", NULL, NULL);
    if (sc->nsec3_ttl > 0)
        ods_xw_duration(w, "TTL", sc->nsec3_ttl);
    ods_xw_flag(w, "OptOut", sc->nsec3_optout);
    ods_xw_start(w, "Hash", NULL, NULL);
    ods_xw_uint(w, "Algorithm", sc->nsec3_algorithm);
    ods_xw_uint(w, "Iterations", sc->nsec3_iterations);
    ods_xw_leaf(w, "Salt", salt);
    ods_xw_end(w, "Hash");
    ods_xw_end(w, "NSEC3");
    ods_xw_end(w, "Denial");
}

static void write_key(ods_xw_t *w, const ods_signconf_key_t *k)
{
    ods_xw_start(w, "Key", NULL, NULL);
    ods_xw_uint(w, "Flags", k->flags);
    ods_xw_uint(w, "Algorithm", k->algorithm);
    if (k->locator != NULL)
        ods_xw_leaf(w, "Locator", k->locator);
    if (k->resource_record != NULL)
        ods_xw_leaf(w, "ResourceRecord", k->resource_record);
    ods_xw_flag(w, "KSK", k->ksk);
    ods_xw_flag(w, "ZSK", k->zsk);
    ods_xw_flag(w, "Publish", k->publish);
    ods_xw_flag(w, "Deactivate", k->deactivate);
    ods_xw_end(w, "Key");
}

static void write_keys(ods_xw_t *w, const ods_signconf_t *sc)
{
    ods_xw_start(w, "Keys", NULL, NULL);
    ods_xw_duration(w, "TTL", sc->keys_ttl);
    for (size_t i = 0; i < sc->n_keys; i++)
        write_key(w, &sc->keys[i]);
    for (size_t i = 0; i < sc->n_signature_rrs; i++)
        ods_xw_leaf(w, "SignatureResourceRecord", sc->signature_rrs[i]);
    ods_xw_end(w, "Keys");
}

static void write_soa(ods_xw_t *w, const ods_signconf_t *sc)
{
    ods_xw_start(w, "SOA", NULL, NULL);
    ods_xw_duration(w, "TTL", sc->soa_ttl);
    ods_xw_duration(w, "Minimum", sc->soa_minimum);
    ods_xw_leaf(w, "Serial", ods_serial_name(sc->serial));
    ods_xw_end(w, "SOA");
}

static int check_writable(const ods_signconf_t *sc, const char *path, ods_err_t *err)
{
    if (sc->zone == NULL || sc->zone[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "%s: signer configuration without a zone name", path);
    if (ods_serial_parse(ods_serial_name(sc->serial)) == 0)
        return ods_err_set(err, ODS_EINVAL, "%s: zone %s: invalid serial type %d", path, sc->zone,
                           sc->serial);
    if (sc->denial != ODS_DENIAL_NSEC && sc->denial != ODS_DENIAL_NSEC3)
        return ods_err_set(err, ODS_EINVAL, "%s: zone %s: invalid denial type %d", path, sc->zone,
                           sc->denial);
    for (size_t i = 0; i < sc->n_keys; i++)
        if ((sc->keys[i].locator == NULL || sc->keys[i].locator[0] == '\0') &&
            sc->keys[i].resource_record == NULL)
            return ods_err_set(err, ODS_EINVAL,
                               "%s: zone %s: key %zu has neither locator nor resource record", path,
                               sc->zone, i + 1);
    return ODS_OK;
}

int ods_signconf_write(const ods_signconf_t *sc, const char *path, ods_err_t *err)
{
    int rc = check_writable(sc, path, err);
    if (rc != ODS_OK)
        return rc;
    ods_buf_t buf = ODS_BUF_INIT;
    ods_xw_t w;
    ods_xw_init(&w, &buf, 0);
    ods_xw_declaration(&w);
    ods_xw_start(&w, "SignerConfiguration", NULL, NULL);
    ods_xw_start(&w, "Zone", "name", sc->zone);
    ods_xw_flag(&w, "Passthrough", sc->passthrough);
    write_signatures(&w, sc);
    write_denial(&w, sc);
    write_keys(&w, sc);
    write_soa(&w, sc);
    ods_xw_end(&w, "Zone");
    ods_xw_end(&w, "SignerConfiguration");
    rc = ods_xw_finish(&w);
    if (rc != ODS_OK)
        rc = ods_err_set(err, rc, "%s: out of memory", path);
    else
        rc = ods_atomic_write(path, buf.data, buf.len, 0640, err);
    ods_buf_free(&buf);
    return rc;
}
