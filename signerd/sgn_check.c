#include "sgn_check.h"
#include "dnssec/keytag.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "dnssec/rrsig.h"
#include "dnssec/verify.h"

#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_MAX_KEYS    1024 /* DNSKEYs looked at; algorithms are far fewer */
#define CHECK_MAX_SAMPLED 256  /* (key, type) pairs whose first signature is verified */

typedef struct chk {
    const ods_zone_t *z;
    uint32_t now;
    size_t verify_every;
    ods_verify_key_t *vk[CHECK_MAX_KEYS];
    uint16_t tag[CHECK_MAX_KEYS];
    uint8_t alg[CHECK_MAX_KEYS];
    uint32_t sampled[CHECK_MAX_SAMPLED]; /* key index << 16 | type, verified once */
    size_t nsampled;
    size_t nkeys;
    uint8_t algs[CHECK_MAX_KEYS]; /* distinct algorithms of zone keys */
    size_t nalgs;
    size_t problems;
    const sgn_keyset_t *ks;
    ods_buf_t data;
    sgn_check_stats_t st;
    ods_err_t *err;
} chk_t;

static void problem(chk_t *c, const uint8_t *owner, uint16_t type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void problem(chk_t *c, const uint8_t *owner, uint16_t type, const char *fmt, ...)
{
    if (c->problems++ > 0)
        return;
    char on[ODS_NAME_TEXT_MAX], msg[600];
    char *tn = ldns_rr_type2str((ldns_rr_type)type);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ods_name_to_text(owner, on, sizeof(on));
    ods_err_set(c->err, ODS_EZONE, "%s %s: %s", on, tn ? tn : "?", msg);
    free(tn);
}

static int key_index(const chk_t *c, uint16_t tag, uint8_t alg)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (c->tag[i] == tag && c->alg[i] == alg)
            return (int)i;
    return -1;
}

static int load_keys(chk_t *c, const ods_rrset_t *dnskeys)
{
    uint32_t off = 0;
    const uint8_t *rd;
    uint16_t len;
    while (ods_rrset_next(dnskeys, &off, &rd, &len) && c->nkeys < CHECK_MAX_KEYS) {
        if (len < 4)
            continue;
        uint16_t flags = (uint16_t)(rd[0] << 8 | rd[1]);
        size_t i = c->nkeys++;
        c->tag[i] = ods_dnssec_keytag(rd, len);
        c->alg[i] = rd[3];
        ods_verify_key_new(rd, len, &c->vk[i], NULL); /* NULL vk: cannot verify, still counted */
        if (!(flags & 0x0100) || (flags & 0x0080))
            continue; /* not a zone key, or revoked: it need not sign */
        bool seen = false;
        for (size_t a = 0; a < c->nalgs; a++)
            seen |= c->algs[a] == rd[3];
        if (!seen)
            c->algs[c->nalgs++] = rd[3];
    }
    return ODS_OK;
}

/* The first signature by key k over this type? (Remembered while there is room.) */
static bool first_of_kind(chk_t *c, int k, uint16_t type)
{
    uint32_t id = (uint32_t)k << 16 | type;
    for (size_t i = 0; i < c->nsampled; i++)
        if (c->sampled[i] == id)
            return false;
    if (c->nsampled == CHECK_MAX_SAMPLED)
        return false; /* every Nth still applies */
    c->sampled[c->nsampled++] = id;
    return true;
}

/* Cryptographic check of one signature. */
static void verify_sig(chk_t *c, const uint8_t *owner, const ods_rrset_t *s, const ods_rrsig_t *sig,
                       int k)
{
    ods_rrsig_fields_t f;
    const uint8_t *sigbytes;
    size_t siglen;
    if (c->vk[k] == NULL || ods_rrsig_parse(sig->rdata, sig->len, &f, &sigbytes, &siglen) != ODS_OK)
        return;
    const uint8_t **rd = malloc((s->count + 1u) * sizeof(*rd));
    uint16_t *rl = malloc((s->count + 1u) * sizeof(*rl));
    uint32_t off = 0;
    int rc = (rd && rl) ? ODS_OK : ODS_ENOMEM;
    for (size_t i = 0; rc == ODS_OK && ods_rrset_next(s, &off, &rd[i], &rl[i]); i++)
        ;
    ods_buf_reset(&c->data);
    if (rc == ODS_OK)
        rc = ods_rrsig_signed_data(&c->data, &f, owner, LDNS_RR_CLASS_IN, rd, rl, s->count);
    free(rd);
    free(rl);
    if (rc != ODS_OK)
        return;
    ods_err_t e;
    c->st.verified++;
    /* key tags may clash (RFC 4034 B.1): any published key with this tag and algorithm will do */
    rc = ODS_EZONE;
    for (size_t j = (size_t)k; j < c->nkeys && rc != ODS_OK; j++)
        if (c->tag[j] == sig->keytag && c->alg[j] == sig->algorithm && c->vk[j] != NULL)
            rc = ods_verify_key_check(c->vk[j], c->data.data, c->data.len, sigbytes, siglen, &e);
    if (rc != ODS_OK)
        problem(c, owner, s->type, "signature by key %u does not verify: %s", sig->keytag, e.msg);
}

/* Every active key of the signer configuration has signed s. */
static void check_active_keys(chk_t *c, const uint8_t *owner, const ods_rrset_t *s)
{
    for (size_t k = 0; c->ks != NULL && k < c->ks->n; k++) {
        const sgn_key_t *key = &c->ks->keys[k];
        if (!sgn_key_signs(key, s->type))
            continue;
        bool found = false;
        for (uint16_t i = 0; i < s->nsigs && !found; i++)
            found = s->sigs[i].keytag == key->keytag && s->sigs[i].algorithm == key->algorithm;
        if (!found)
            problem(c, owner, s->type, "no signature by active key %u (locator %s)", key->keytag,
                    key->locator);
    }
}

static void check_rrset(chk_t *c, const uint8_t *owner, const ods_rrset_t *s, bool should_sign)
{
    c->st.rrsets++;
    if (!should_sign) {
        if (s->nsigs > 0)
            problem(c, owner, s->type, "signed, but it is not authoritative data");
        return;
    }
    uint8_t covered[CHECK_MAX_KEYS] = { 0 };
    for (uint16_t i = 0; i < s->nsigs; i++) {
        const ods_rrsig_t *sig = &s->sigs[i];
        c->st.sigs++;
        if ((int32_t)(sig->inception - c->now) > 0 || (int32_t)(sig->expiration - c->now) < 0)
            problem(c, owner, s->type, "signature by key %u is not valid now", sig->keytag);
        int k = key_index(c, sig->keytag, sig->algorithm);
        if (k < 0)
            continue; /* an unpublished key's signature (double-RRSIG roll): harmless */
        for (size_t a = 0; a < c->nalgs; a++)
            covered[a] |= c->algs[a] == sig->algorithm;
        bool nth = c->verify_every > 0 && c->st.sigs % c->verify_every == 0;
        if (first_of_kind(c, k, s->type) || nth)
            verify_sig(c, owner, s, sig, k);
    }
    for (size_t a = 0; a < c->nalgs; a++)
        if (!covered[a])
            problem(c, owner, s->type, "no signature of algorithm %u by a published key",
                    c->algs[a]);
    check_active_keys(c, owner, s);
}

static void check_name(chk_t *c, const ods_zname_t *n)
{
    bool occluded = n->flags & ODS_ZNAME_OCCLUDED, deleg = n->flags & ODS_ZNAME_DELEG;
    for (uint16_t i = 0; i < n->nrrsets; i++) {
        uint16_t t = n->rrsets[i].type;
        bool sign = !occluded && (!deleg || t == LDNS_RR_TYPE_DS || t == LDNS_RR_TYPE_NSEC);
        check_rrset(c, n->owner, &n->rrsets[i], sign);
    }
}

int sgn_check_zone(const ods_zone_t *z, uint32_t now, size_t verify_every, const sgn_keyset_t *ks,
                   sgn_check_stats_t *st, ods_err_t *err)
{
    chk_t c = {
        .z = z, .now = now, .verify_every = verify_every, .ks = ks, .data = ODS_BUF_INIT, .err = err
    };
    ods_zname_t *apex = ods_zone_apex_name(z);
    const ods_rrset_t *dnskeys = apex ? ods_zname_rrset(apex, LDNS_RR_TYPE_DNSKEY) : NULL;
    if (apex == NULL || ods_zname_rrset(apex, LDNS_RR_TYPE_SOA) == NULL)
        return ods_err_set(err, ODS_EZONE, "the zone has no SOA at its apex");
    if (dnskeys == NULL)
        return ods_err_set(err, ODS_EZONE, "the zone has no DNSKEY RRset: no key is published");
    load_keys(&c, dnskeys);
    if (c.nalgs == 0)
        problem(&c, apex->owner, LDNS_RR_TYPE_DNSKEY, "no usable zone key is published");
    for (size_t i = 0; i < ods_zone_count(z); i++)
        check_name(&c, ods_zone_name(z, i));
    uint8_t owner[ODS_NAME_MAX_LEN];
    size_t olen;
    for (size_t i = 0; i < ods_zone_nsec3_count(z); i++) {
        const ods_znsec3_t *r = ods_zone_nsec3(z, i);
        if (ods_nsec3_owner(r->hash, 20, ods_zone_apex(z), owner, &olen) == ODS_OK)
            check_rrset(&c, owner, &r->rrset, true);
    }
    for (size_t i = 0; i < c.nkeys; i++)
        ods_verify_key_free(c.vk[i]);
    ods_buf_free(&c.data);
    if (st != NULL)
        *st = c.st;
    if (c.problems > 1 && err != NULL) {
        char more[64];
        snprintf(more, sizeof(more), " (and %zu more problems)", c.problems - 1);
        strncat(err->msg, more, sizeof(err->msg) - strlen(err->msg) - 1);
    }
    return c.problems ? ODS_EZONE : ODS_OK;
}
