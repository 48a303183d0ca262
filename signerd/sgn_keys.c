#include "sgn_keys.h"
#include "dnssec/keytag.h"
#include "hsm/pubkey.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* Decode a signconf ResourceRecord: a DNSKEY in presentation form or base64 RDATA. */
static int key_from_rr(sgn_key_t *k, const char *rr)
{
    ldns_rr *lrr = NULL;
    if (ldns_rr_new_frm_str(&lrr, rr, 3600, NULL, NULL) == LDNS_STATUS_OK &&
        ldns_rr_get_type(lrr) == LDNS_RR_TYPE_DNSKEY) {
        ldns_buffer *b = ldns_buffer_new(1024);
        int rc = ODS_EINVAL;
        if (b && ldns_rr_rdata2buffer_wire(b, lrr) == LDNS_STATUS_OK &&
            ldns_buffer_position(b) <= sizeof(k->dnskey)) {
            k->dnskey_len = (uint16_t)ldns_buffer_position(b);
            memcpy(k->dnskey, ldns_buffer_begin(b), k->dnskey_len);
            rc = ODS_OK;
        }
        ldns_buffer_free(b);
        ldns_rr_free(lrr);
        return rc;
    }
    ldns_rr_free(lrr);
    return ODS_EINVAL;
}

static int key_load(sgn_key_t *k, const ods_signconf_key_t *c, ods_hsm_ctx_t *ctx, const char *zone,
                    ods_err_t *err)
{
    k->flags = c->flags;
    k->algorithm = c->algorithm;
    k->ksk = c->ksk;
    k->zsk = c->zsk;
    k->publish = c->publish;
    k->deactivate = c->deactivate;
    snprintf(k->locator, sizeof(k->locator), "%s", c->locator ? c->locator : "");
    if (!c->ksk && !c->zsk && !c->publish)
        return ODS_OK; /* retiring: neither published nor signing, and maybe purged already */
    if (c->locator != NULL) {
        ods_err_t e;
        int rc = ods_hsm_key_find(ctx, c->locator, &k->hsm, &e);
        if (rc != ODS_OK)
            return ods_err_set(err, rc, "zone %s: key %s: %s", zone, c->locator, e.msg);
        size_t len = sizeof(k->dnskey);
        rc = ods_hsm_dnskey_rdata(ctx, k->hsm, c->algorithm, c->flags, k->dnskey, &len, &e);
        if (rc != ODS_OK)
            return ods_err_set(err, rc, "zone %s: key %s: %s", zone, c->locator, e.msg);
        k->dnskey_len = (uint16_t)len;
    } else if (c->resource_record == NULL || key_from_rr(k, c->resource_record) != ODS_OK) {
        return ods_err_set(err, ODS_ECONFIG,
                           "zone %s: a key has neither a usable Locator nor a DNSKEY "
                           "ResourceRecord: fix the signer configuration",
                           zone);
    }
    k->keytag = ods_dnssec_keytag(k->dnskey, k->dnskey_len);
    k->resolved = true;
    return ODS_OK;
}

int sgn_keyset_load(const ods_signconf_t *sc, ods_hsm_ctx_t *ctx, sgn_keyset_t **out,
                    ods_err_t *err)
{
    sgn_keyset_t *ks = calloc(1, sizeof(*ks));
    if (ks == NULL ||
        (sc->n_keys > 0 && (ks->keys = calloc(sc->n_keys, sizeof(sgn_key_t))) == NULL)) {
        free(ks);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < sc->n_keys; i++) {
        int rc = key_load(&ks->keys[i], &sc->keys[i], ctx, sc->zone, err);
        ks->n = i + 1;
        if (rc != ODS_OK) {
            sgn_keyset_free(ks);
            return rc;
        }
    }
    for (size_t i = 0; i < ks->n; i++)
        for (size_t j = 0; j < ks->n; j++)
            if (i != j && ks->keys[i].resolved && ks->keys[j].resolved &&
                ks->keys[i].keytag == ks->keys[j].keytag &&
                ks->keys[i].algorithm == ks->keys[j].algorithm)
                ks->keys[i].tag_clash = true;
    *out = ks;
    return ODS_OK;
}

void sgn_keyset_free(sgn_keyset_t *ks)
{
    if (ks == NULL)
        return;
    for (size_t i = 0; i < ks->n; i++)
        ods_hsm_key_free(ks->keys[i].hsm);
    free(ks->keys);
    free(ks);
}

const sgn_key_t *sgn_keyset_find(const sgn_keyset_t *ks, uint16_t keytag, uint8_t algorithm)
{
    for (size_t i = 0; i < ks->n; i++) {
        const sgn_key_t *k = &ks->keys[i];
        if (k->resolved && k->keytag == keytag && k->algorithm == algorithm)
            return k->tag_clash ? NULL : k;
    }
    return NULL;
}

bool sgn_key_signs(const sgn_key_t *k, uint16_t type)
{
    if (k->hsm == NULL || k->deactivate)
        return false;
    return type == LDNS_RR_TYPE_DNSKEY ? k->ksk : k->zsk;
}
