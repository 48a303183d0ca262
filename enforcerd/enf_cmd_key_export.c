/*
 * enf_cmd_key_export.c -- `key export`: DNSKEY records, or DS records for the
 * parent. Without filters: the KSKs (and CSKs) the operator should act on
 * now, i.e. whose DS is waiting for ds-submit, ds-seen, ds-retract or
 * ds-gone (as OpenDNSSEC); when there is none it says so.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnssec/ds.h"
#include "engine/view.h"
#include "enf_cmd.h"
#include "enf_keypool.h"
#include "enf_rr.h"
#include "enf_walk.h"

typedef struct export_ctx {
    enf_daemon_t *d;
    enf_reply_t *r;
    int ds, sha1;
    int role;  /* 0: KSK and CSK */
    int state; /* -1: default */
    const char *cka_id;
    size_t shown;
    int failed;
} export_ctx_t;

static int acting_now(const enf_key_t *k)
{
    return k->ds_at_parent == ENF_DSP_SUBMIT || k->ds_at_parent == ENF_DSP_SUBMITTED ||
           k->ds_at_parent == ENF_DSP_RETRACT || k->ds_at_parent == ENF_DSP_RETRACTED;
}

static int selected(const export_ctx_t *c, const enf_key_t *k)
{
    if (c->cka_id)
        return strcasecmp(k->locator, c->cka_id) == 0;
    if (c->role ? k->role != c->role : !(k->role & ENF_ROLE_KSK))
        return 0;
    enf_kl_t s = enf_key_list_state(k);
    if (c->state >= 0)
        return (int)s == c->state;
    if (!c->role) /* no filter at all */
        return acting_now(k);
    return s == ENF_KL_PUBLISH || s == ENF_KL_READY || s == ENF_KL_ACTIVE;
}

static void export_key(export_ctx_t *c, const char *zone, const ods_policy_t *p, const enf_key_t *k)
{
    uint8_t rdata[ODS_HSM_DNSKEY_MAX];
    size_t len = sizeof(rdata);
    ods_err_t err;
    int rc = enf_keypool_dnskey(c->d, k->locator, k->algorithm, k->role, rdata, &len, &err);
    if (rc == ODS_OK && !c->ds) {
        rc = enf_rr_dnskey(zone, (uint32_t)p->keys_ttl, rdata, len, &c->r->out);
    } else if (rc == ODS_OK) {
        const char *state = enf_kl_name(enf_key_list_state(k)), *role = enf_role_name(k->role);
        if (c->sha1) {
            enf_out(c->r, ";%s %s DS record (SHA1):\n", state, role);
            rc = enf_rr_ds(zone, (uint32_t)p->parent_ds_ttl, rdata, len, ODS_DS_SHA1, &c->r->out,
                           &err);
        }
        enf_out(c->r, ";%s %s DS record (SHA256):\n", state, role);
        if (rc == ODS_OK)
            rc = enf_rr_ds(zone, (uint32_t)p->parent_ds_ttl, rdata, len, ODS_DS_SHA256, &c->r->out,
                           &err);
    }
    if (rc != ODS_OK) {
        enf_errout(c->r, "zone %s key %s: %s\n", zone, k->locator, err.msg);
        c->failed = 1;
    }
    c->shown++;
}

static int export_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    export_ctx_t *c = arg;
    if (pi < 0)
        return 0;
    enf_key_t **keys = calloc(z->nkeys ? z->nkeys : 1, sizeof(*keys));
    if (!keys)
        return ODS_ENOMEM;
    for (size_t i = 0; i < z->nkeys; i++)
        keys[i] = &z->keys[i];
    enf_walk_sort_keys(keys, z->nkeys);
    for (size_t i = 0; i < z->nkeys; i++)
        if (selected(c, keys[i]))
            export_key(c, zi->name, &c->d->policies->recs[pi].pol, keys[i]);
    free(keys);
    return 0;
}

static int parse(export_ctx_t *c, const ods_cmd_args_t *a)
{
    const char *t = ods_cmd_get(a, "keytype"), *s = ods_cmd_get(a, "keystate");
    c->ds = ods_cmd_has(a, "ds");
    c->sha1 = ods_cmd_has(a, "sha1");
    c->cka_id = ods_cmd_get(a, "cka_id");
    c->role = enf_cmd_role(t);
    if (c->role < 0) {
        enf_errout(c->r, "unknown keytype, should be one of KSK, ZSK, or CSK\n");
        return -1;
    }
    c->state = s ? enf_kl_parse(s) : -1;
    if (s && c->state < 0) {
        enf_errout(c->r, "unknown keystate\n");
        return -1;
    }
    if (s && !t)
        c->role = ENF_ROLE_KSK; /* a state alone: KSKs in that state */
    return 0;
}

int enf_cmd_key_export(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_get(a, "zone");
    if (!!zone == ods_cmd_has(a, "all")) {
        enf_errout(r, "expected either --zone or --all\n");
        return ENF_EXIT_USAGE;
    }
    export_ctx_t c = { .d = d, .r = r };
    if (parse(&c, a) != 0)
        return ENF_EXIT_USAGE;
    ods_err_t err;
    int rc = enf_walk_zones(d, zone, export_zone, &c, &err);
    if (rc == ODS_ENOMEM)
        ods_err_set(&err, rc, "out of memory");
    if (rc != ODS_OK)
        return enf_fail(r, &err);
    if (c.shown == 0 && !c.cka_id && !c.role && c.state < 0)
        enf_errout(r,
                   "No KSK %s waits for the parent now (ds-submit, ds-seen, ds-retract or "
                   "ds-gone); choose keys with --keytype and --keystate\n",
                   zone ? "of this zone" : "of any zone");
    else if (c.shown == 0)
        enf_errout(r, "No key matches.\n");
    return c.failed ? ENF_EXIT_FAIL : ENF_EXIT_OK;
}
