/* sgn_test.c -- shared helpers for the signer core tests (see sgn_test.h). */
#include "sgn_test.h"

#include "dnssec/name.h"
#include "dnssec/nsec3.h"
#include "dnssec/rrsig.h"
#include "dnssec/verify.h"
#include "hsm/pubkey.h"
#include "util/buf.h"

#include <dirent.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int st_env_open(st_env_t *e, const char *tag, bool with_hsm, char *why, size_t whylen)
{
    memset(e, 0, sizeof(*e));
    if (fx_init(&e->fx, tag, NULL) != 0) {
        snprintf(why, whylen, "cannot make the fixture directory");
        return -1;
    }
    snprintf(e->dir, sizeof(e->dir), "%s/work", e->fx.dir);
    if (mkdir(e->dir, 0700) != 0) {
        snprintf(why, whylen, "cannot make %s", e->dir);
        return -1;
    }
    if (!with_hsm)
        return 0;
    if (fx_token(&e->fx, ST_REPO, ST_PIN) != 0) {
        snprintf(why, whylen, "softhsm2-util --init-token failed");
        return -1;
    }
    ods_hsm_repo_spec_t spec = { ST_REPO, e->fx.module, ST_REPO, ST_PIN, 0, 0, 0 };
    ods_err_t err = { 0 };
    if (ods_hsm_open(&spec, 1, &e->hsm, &err) != ODS_OK ||
        ods_hsm_ctx_new(e->hsm, &e->ctx, &err) != ODS_OK) {
        snprintf(why, whylen, "%s", err.msg);
        return -1;
    }
    return 0;
}

void st_env_close(st_env_t *e)
{
    ods_hsm_ctx_free(e->ctx);
    ods_hsm_close(e->hsm);
    e->ctx = NULL;
    e->hsm = NULL;
    fx_cleanup(&e->fx);
}

const char *st_path(const st_env_t *e, const char *name)
{
    static char buf[8][1200];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof(buf[0]), "%s/%s", e->dir, name);
    return p;
}

int st_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    size_t n = strlen(text);
    int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
    return fclose(f) == 0 ? rc : -1;
}

char *st_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    ods_buf_t b = ODS_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ods_buf_append(&b, chunk, n);
    fclose(f);
    char *s = strdup(ods_buf_cstr(&b) ? ods_buf_cstr(&b) : "");
    ods_buf_free(&b);
    return s;
}

int st_entries(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, part) != NULL;
    closedir(d);
    return n;
}

int st_keygen(st_env_t *e, int alg, char locator[ODS_HSM_LOCATOR_LEN + 1])
{
    return ods_hsm_generate(e->ctx, ST_REPO, alg, 1024, locator, NULL) == ODS_OK ? 0 : -1;
}

int st_dnskey(st_env_t *e, const char *locator, int alg, uint16_t flags, uint8_t *rd, size_t *len,
              uint16_t *tag)
{
    ods_hsm_key_t *key = NULL;
    int rc = ods_hsm_key_find(e->ctx, locator, &key, NULL);
    if (rc == ODS_OK)
        rc = ods_hsm_dnskey_rdata(e->ctx, key, alg, flags, rd, len, NULL);
    if (rc == ODS_OK)
        rc = ods_hsm_keytag(e->ctx, key, alg, flags, tag, NULL);
    ods_hsm_key_free(key);
    return rc == ODS_OK ? 0 : -1;
}

ods_signconf_t *st_signconf(const char *zone)
{
    ods_signconf_t *sc = ods_signconf_new();
    if (sc == NULL || (sc->zone = strdup(zone)) == NULL) {
        ods_signconf_free(sc);
        return NULL;
    }
    sc->resign = 7200;
    sc->refresh = 3 * 86400;
    sc->validity_default = 14 * 86400;
    sc->validity_denial = 7 * 86400;
    sc->validity_keyset = 21 * 86400;
    sc->jitter = 0;
    sc->inception_offset = 3600;
    sc->denial = ODS_DENIAL_NSEC;
    sc->nsec3_algorithm = 1;
    sc->keys_ttl = 3600;
    sc->soa_ttl = 3600;
    sc->soa_minimum = 300;
    sc->serial = ODS_SERIAL_COUNTER;
    return sc;
}

int st_signconf_key(ods_signconf_t *sc, const char *locator, int alg, uint16_t flags, bool ksk,
                    bool zsk, bool publish)
{
    ods_signconf_key_t k = { .flags = flags,
                             .algorithm = (uint8_t)alg,
                             .locator = (char *)locator,
                             .ksk = ksk,
                             .zsk = zsk,
                             .publish = publish };
    return ods_signconf_add_key(sc, &k);
}

ods_zone_t *st_zone(const st_env_t *e, const char *apex, const char *file, const char *text,
                    char *why, size_t whylen)
{
    const char *path = st_path(e, file);
    ods_err_t err = { 0 };
    if (st_write(path, text) != 0) {
        snprintf(why, whylen, "cannot write %s", path);
        return NULL;
    }
    ods_zone_t *z = ods_zone_new(st_name(apex));
    if (z == NULL || ods_zone_load(z, path, NULL, NULL, &err) != ODS_OK) {
        snprintf(why, whylen, "%s", z ? err.msg : "out of memory");
        ods_zone_free(z);
        return NULL;
    }
    return z;
}

const uint8_t *st_name(const char *text)
{
    static uint8_t buf[8][ODS_NAME_MAX_LEN];
    static int next;
    uint8_t *p = buf[next++ % 8];
    size_t len;
    if (ods_name_from_text(text, strlen(text), p, &len, NULL) != ODS_OK) {
        fprintf(stderr, "bad name in a test: %s\n", text);
        abort();
    }
    return p;
}

const char *st_ntext(const uint8_t *wire)
{
    static char buf[8][ODS_NAME_TEXT_MAX];
    static int next;
    char *p = buf[next++ % 8];
    if (ods_name_to_text(wire, p, sizeof(buf[0])) != ODS_OK)
        snprintf(p, sizeof(buf[0]), "?");
    return p;
}

void st_thread_init(sgn_thread_t *t, ods_hsm_ctx_t *ctx, uint64_t seed)
{
    *t = (sgn_thread_t){ 0, ctx, ODS_BUF_INIT, seed ? seed : 0x2545F4914F6CDD1Dull,
                         ods_arena_new() };
}

void st_thread_free(sgn_thread_t *t, bool keep_arena)
{
    ods_buf_free(&t->data);
    if (!keep_arena)
        ods_arena_free(t->arena);
    t->arena = NULL;
}

static bool signs(const ods_zname_t *n, uint16_t type)
{
    if (n->flags & ODS_ZNAME_OCCLUDED)
        return false;
    return !(n->flags & ODS_ZNAME_DELEG) || type == LDNS_RR_TYPE_DS || type == LDNS_RR_TYPE_NSEC;
}

int st_sign_zone(ods_zone_t *z, sgn_thread_t *t, const sgn_sigctx_t *c, unsigned *nnew,
                 ods_err_t *err)
{
    unsigned reused = 0;
    uint8_t owner[ODS_NAME_MAX_LEN];
    size_t olen;
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < ods_zone_count(z); i++) {
        ods_zname_t *n = ods_zone_name(z, i);
        for (uint16_t k = 0; rc == ODS_OK && k < n->nrrsets; k++)
            if (signs(n, n->rrsets[k].type))
                rc = sgn_rrset_sign(t, c, n->owner, &n->rrsets[k], nnew, &reused, err);
    }
    for (size_t i = 0; rc == ODS_OK && i < ods_zone_nsec3_count(z); i++) {
        ods_znsec3_t *r = ods_zone_nsec3(z, i);
        rc = ods_nsec3_owner(r->hash, 20, ods_zone_apex(z), owner, &olen);
        if (rc == ODS_OK)
            rc = sgn_rrset_sign(t, c, owner, &r->rrset, nnew, &reused, err);
    }
    if (ods_zone_adopt_arena(z, t->arena) != ODS_OK) {
        ods_arena_free(t->arena);
        rc = ODS_ENOMEM;
    }
    t->arena = ods_arena_new();
    ods_zone_clear_changed(z);
    return rc;
}

/* Our reference 1: verify.h over the signed data built from the RRSIG's fields. */
static bool ours_ok(const uint8_t *owner, const ods_rrset_t *s, const ods_rrsig_t *sig,
                    const uint8_t *dnskey, size_t len, char *why, size_t whylen)
{
    ods_rrsig_fields_t f;
    const uint8_t *sb;
    size_t sl;
    const uint8_t *rd[1024];
    uint16_t rl[1024];
    uint32_t off = 0;
    size_t n = 0;
    ods_buf_t data = ODS_BUF_INIT;
    ods_err_t err = { 0 };
    if (ods_rrsig_parse(sig->rdata, sig->len, &f, &sb, &sl) != ODS_OK) {
        snprintf(why, whylen, "the RRSIG RDATA does not parse");
        return false;
    }
    while (n < 1024 && ods_rrset_next(s, &off, &rd[n], &rl[n]))
        n++;
    int rc = ods_rrsig_signed_data(&data, &f, owner, LDNS_RR_CLASS_IN, rd, rl, n);
    if (rc == ODS_OK)
        rc = ods_verify_dnskey(dnskey, len, data.data, data.len, sb, sl, &err);
    ods_buf_free(&data);
    if (rc != ODS_OK)
        snprintf(why, whylen, "verify.h: %s", err.msg[0] ? err.msg : "cannot build the data");
    return rc == ODS_OK;
}

/* One RR in wire form (owner type class ttl rdlength rdata) parsed by ldns. */
static ldns_rr *wire_rr(const uint8_t *owner, uint16_t type, uint32_t ttl, const uint8_t *rd,
                        uint16_t len)
{
    uint8_t wire[ODS_NAME_MAX_LEN + 10 + 65535];
    size_t n = ods_name_len(owner), pos = 0;
    memcpy(wire, owner, n);
    uint8_t hdr[10] = { (uint8_t)(type >> 8),
                        (uint8_t)type,
                        0,
                        1,
                        (uint8_t)(ttl >> 24),
                        (uint8_t)(ttl >> 16),
                        (uint8_t)(ttl >> 8),
                        (uint8_t)ttl,
                        (uint8_t)(len >> 8),
                        (uint8_t)len };
    memcpy(wire + n, hdr, 10);
    memcpy(wire + n + 10, rd, len);
    ldns_rr *rr = NULL;
    if (ldns_wire2rr(&rr, wire, n + 10 + len, &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
        return NULL;
    return rr;
}

/* Reference 2: ldns, from RRs in wire form, at time now. */
static bool ldns_ok(const uint8_t *owner, const ods_rrset_t *s, const ods_rrsig_t *sig,
                    const uint8_t *dnskey, size_t len, time_t now, char *why, size_t whylen)
{
    ods_rrsig_fields_t f;
    const uint8_t *sb;
    size_t sl;
    if (ods_rrsig_parse(sig->rdata, sig->len, &f, &sb, &sl) != ODS_OK)
        return false;
    ldns_rr_list *set = ldns_rr_list_new();
    uint32_t off = 0;
    const uint8_t *rd;
    uint16_t rl;
    bool built = set != NULL;
    while (built && ods_rrset_next(s, &off, &rd, &rl)) {
        ldns_rr *rr = wire_rr(owner, s->type, s->ttl, rd, rl);
        built = rr != NULL && ldns_rr_list_push_rr(set, rr);
    }
    ldns_rr *rrsig = wire_rr(owner, LDNS_RR_TYPE_RRSIG, s->ttl, sig->rdata, sig->len);
    ldns_rr *key = wire_rr(f.signer, LDNS_RR_TYPE_DNSKEY, 3600, dnskey, (uint16_t)len);
    ldns_status st = LDNS_STATUS_ERR;
    if (built && rrsig && key)
        st = ldns_verify_rrsig_time(set, rrsig, key, now);
    if (st != LDNS_STATUS_OK)
        snprintf(why, whylen, "ldns: %s",
                 built && rrsig && key ? ldns_get_errorstr_by_id(st) : "cannot rebuild the RRs");
    ldns_rr_list_deep_free(set);
    ldns_rr_free(rrsig);
    ldns_rr_free(key);
    return st == LDNS_STATUS_OK;
}

bool st_sig_ok(const uint8_t *owner, const ods_rrset_t *s, const ods_rrsig_t *sig,
               const uint8_t *dnskey, size_t len, time_t now, char *why, size_t whylen)
{
    snprintf(why, whylen, "verifies");
    return ours_ok(owner, s, sig, dnskey, len, why, whylen) &&
           ldns_ok(owner, s, sig, dnskey, len, now, why, whylen);
}

const sgn_key_t *st_key_of(const sgn_keyset_t *ks, const ods_rrsig_t *sig)
{
    for (size_t i = 0; i < ks->n; i++)
        if (ks->keys[i].resolved && ks->keys[i].keytag == sig->keytag &&
            ks->keys[i].algorithm == sig->algorithm)
            return &ks->keys[i];
    return NULL;
}
