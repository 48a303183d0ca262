/* enf_signconf.c -- signer configurations (see enf_signconf.h). */
#include "enf_signconf.h"
#include "util/hex.h"

#include <stdlib.h>
#include <string.h>

#include "engine/view.h"
#include "enf_path.h"

static void set_salt(ods_signconf_t *sc, const char *hex)
{
    size_t n = strlen(hex) / 2;
    sc->nsec3_salt_len = 0;
    for (size_t i = 0; i < n && i < ODS_SIGNCONF_MAX_SALT; i++) {
        int hi = ods_hex_digit(hex[2 * i]), lo = ods_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return;
        sc->nsec3_salt[i] = (uint8_t)(hi << 4 | lo);
        sc->nsec3_salt_len = i + 1;
    }
}

static void copy_policy(const enf_policy_rec_t *r, ods_signconf_t *sc)
{
    const ods_policy_t *p = &r->pol;
    sc->passthrough = p->passthrough;
    sc->resign = p->resign;
    sc->refresh = p->refresh;
    sc->validity_default = p->validity_default;
    sc->validity_denial = p->validity_denial;
    sc->validity_keyset = p->validity_keyset;
    sc->jitter = p->jitter;
    sc->inception_offset = p->inception_offset;
    sc->max_zone_ttl = p->max_zone_ttl;
    sc->denial = p->denial;
    sc->nsec3_optout = p->nsec3_optout;
    sc->nsec3_ttl = p->nsec3_ttl;
    sc->nsec3_algorithm = (uint8_t)p->nsec3_algorithm;
    sc->nsec3_iterations = (uint16_t)p->nsec3_iterations;
    set_salt(sc, r->salt);
    sc->keys_ttl = p->keys_ttl;
    sc->soa_ttl = p->zone_soa_ttl;
    sc->soa_minimum = p->zone_soa_minimum;
    sc->serial = p->serial;
}

static int add_keys(const enf_zone_t *z, ods_signconf_t *sc)
{
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *k = &z->keys[i];
        enf_flags_t f;
        enf_key_flags(k, &f);
        ods_signconf_key_t key = {
            .flags = (k->role & ENF_ROLE_KSK) ? 257 : 256,
            .algorithm = (uint8_t)k->algorithm,
            .locator = (char *)k->locator,
            .ksk = f.ksk,
            .zsk = f.zsk,
            .publish = f.publish,
        };
        if (ods_signconf_add_key(sc, &key) != ODS_OK)
            return ODS_ENOMEM;
    }
    return ODS_OK;
}

int enf_signconf_build(const enf_policy_rec_t *r, const enf_zone_t *z, ods_signconf_t **out,
                       ods_err_t *err)
{
    ods_signconf_t *sc = ods_signconf_new();
    if (sc)
        copy_policy(r, sc);
    if (!sc || !(sc->zone = strdup(z->name)) || add_keys(z, sc) != ODS_OK) {
        ods_signconf_free(sc);
        return ods_err_set(err, ODS_ENOMEM, "out of memory building the signconf of zone %s",
                           z->name);
    }
    *out = sc;
    return ODS_OK;
}

int enf_signconf_write(const enf_policy_rec_t *r, const enf_zone_t *z, const char *path,
                       ods_err_t *err)
{
    ods_signconf_t *sc;
    int rc = enf_signconf_build(r, z, &sc, err);
    if (rc != ODS_OK)
        return rc;
    rc = enf_path_ensure_parent(path, err);
    if (rc == ODS_OK)
        rc = ods_signconf_write(sc, path, err);
    ods_signconf_free(sc);
    if (rc != ODS_OK)
        ods_err_prefix(err, "zone %s: ", z->name);
    return rc;
}
