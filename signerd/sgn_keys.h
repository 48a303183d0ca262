/*
 * sgn_keys.h -- the keys of one zone's signer configuration, resolved in the
 * HSM: their DNSKEY RDATA, key tag and private-key handle.
 *
 * A key with a Locator must exist in the HSM; a key given only as a
 * ResourceRecord (e.g. an offline KSK) is published but cannot sign. A key
 * with none of Publish, KSK and ZSK is on its way out: it is not looked up
 * (the enforcer may have purged it from the HSM) and plays no part.
 * Ownership: sgn_keyset_t owns its keys and their HSM handles; it is built
 * by a zone worker and then shared read-only by the signing threads.
 */
#ifndef SGN_KEYS_H
#define SGN_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/signconf.h"
#include "hsm/hsm.h"
#include "hsm/ctx.h"
#include "hsm/key.h"
#include "util/status.h"

typedef struct sgn_key {
    uint16_t flags;
    uint8_t algorithm;
    uint16_t keytag;
    bool ksk, zsk, publish; /* from the signconf */
    bool deactivate;
    bool tag_clash; /* another key of this algorithm has the same key tag */
    bool resolved;  /* DNSKEY known; false for a retiring key with no flags (not looked up) */
    char locator[130];
    ods_hsm_key_t *hsm;   /* NULL: no private key (ResourceRecord only) */
    uint8_t dnskey[2048]; /* DNSKEY RDATA */
    uint16_t dnskey_len;
} sgn_key_t;

typedef struct sgn_keyset {
    sgn_key_t *keys;
    size_t n;
} sgn_keyset_t;

/* Resolve every key of sc with ctx. Errors name the zone and locator. */
int sgn_keyset_load(const ods_signconf_t *sc, ods_hsm_ctx_t *ctx, sgn_keyset_t **out,
                    ods_err_t *err);
void sgn_keyset_free(sgn_keyset_t *ks);

/* The key that made a signature (key tag and algorithm), NULL if none or ambiguous. */
const sgn_key_t *sgn_keyset_find(const sgn_keyset_t *ks, uint16_t keytag, uint8_t algorithm);

/* Does key k sign RRsets of type (DNSKEY: KSK role; others: ZSK role)? */
bool sgn_key_signs(const sgn_key_t *k, uint16_t type);

#endif
