/* enf_cmd_zone.c -- zone add, delete, list, set-policy; zonelist import, export. */
#include <stdlib.h>
#include <string.h>

#include "conf/zonelist.h"
#include "enf_cmd.h"
#include "enf_enforce.h"
#include "enf_json.h"
#include "enf_keypool.h"
#include "enf_setup.h"
#include "enf_store_zone.h"
#include "enf_zonelist.h"
#include "enf_zones.h"
#include "log/log.h"
#include "util/clock.h"

typedef struct add_ctx {
    enf_reply_t *r;
    int64_t zone_id;
    char name[ENF_NAME_MAX];
    char done[ENF_NAME_MAX + 64]; /* the answer once enforced */
} add_ctx_t;

/* The zone is in the lists; its keys are in the pool (or cannot be had):
 * enforce it, so its signconf is written, and answer. */
static int finish_add(enf_daemon_t *d, add_ctx_t *c)
{
    ods_err_t err;
    if (enf_daemon_hsm_ready(d, &err) != ODS_OK) /* enforced right after the login */
        enf_errout(c->r, "zone %s waits for its keys: %s\n", c->name, err.msg);
    else if (enf_enforce_zone(d, c->zone_id, NULL, NULL, NULL, &err) != ODS_OK)
        enf_errout(c->r, "zone %s: enforcement failed: %s\n", c->name, err.msg);
    enf_out(c->r, "%s\n", c->done);
    return ENF_EXIT_OK;
}

static void keys_ready(enf_daemon_t *d, void *arg, size_t made, size_t failed);

/* Enforce the zone once the keys of policy index pi are in the pool, then answer. */
static int when_keys(enf_daemon_t *d, add_ctx_t *c, int pi)
{
    ods_err_t err;
    int rc = enf_keypool_ensure(d, pi, c->zone_id, keys_ready, c, &err);
    if (rc == 1)
        return ENF_CMD_PENDING;
    if (rc < 0)
        enf_errout(c->r, "zone %s: asking for keys: %s\n", c->name, err.msg);
    int status = finish_add(d, c);
    free(c);
    return status;
}

static void keys_ready(enf_daemon_t *d, void *arg, size_t made, size_t failed)
{
    add_ctx_t *c = arg;
    if (failed)
        enf_errout(c->r, "zone %s: %zu key(s) could not be generated (see the log)\n", c->name,
                   failed);
    int status = finish_add(d, c);
    enf_reply_finish(d, c->r, status);
    free(c);
}

int enf_cmd_zone_add(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    enf_zone_req_t req = {
        .name = ods_cmd_get(a, "zone"),
        .policy = ods_cmd_get(a, "policy"),
        .signconf = ods_cmd_get(a, "signerconf"),
        .in_type = ods_cmd_get(a, "in-type"),
        .input = ods_cmd_get(a, "input"),
        .out_type = ods_cmd_get(a, "out-type"),
        .output = ods_cmd_get(a, "output"),
        .suspend = ods_cmd_has(a, "suspend"),
    };
    if (!req.name) {
        enf_errout(r, "expected --zone <zone>\n");
        return ENF_EXIT_USAGE;
    }
    enf_zone_info_t zi;
    ods_err_t err;
    int pi;
    if (enf_zones_prepare(d, &req, &zi, &pi, &err) != ODS_OK)
        return enf_fail(r, &err);
    int rc = enf_zones_add(d, &zi, &err);
    add_ctx_t *c = rc == ODS_OK ? calloc(1, sizeof(*c)) : NULL;
    if (c) {
        c->r = r;
        c->zone_id = zi.id;
        snprintf(c->name, sizeof(c->name), "%s", zi.name);
        snprintf(c->done, sizeof(c->done), "Zone %s added successfully", zi.name);
    }
    enf_zone_info_clear(&zi);
    if (rc != ODS_OK)
        return enf_fail(r, &err);
    if (!c || req.suspend) {
        enf_out(r, "Zone %s added successfully\n", c ? c->name : req.name);
        free(c);
        return ENF_EXIT_OK;
    }
    return when_keys(d, c, pi);
}

int enf_cmd_zone_delete(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_get(a, "zone");
    int all = ods_cmd_has(a, "all");
    ods_err_t err;
    if (!!zone == all) {
        enf_errout(r, "expected either --zone <zone> or --all\n");
        return ENF_EXIT_USAGE;
    }
    if (all) {
        size_t n = 0;
        if (enf_zones_delete_all(d, &n, &err) != ODS_OK)
            return enf_fail(r, &err);
        enf_out(r, "Deleted all %zu zone(s) successfully\n", n);
        return ENF_EXIT_OK;
    }
    if (enf_zones_delete(d, zone, &err) != ODS_OK)
        return enf_fail(r, &err);
    enf_out(r, "Deleted zone %s successfully\n", zone);
    return ENF_EXIT_OK;
}

typedef struct list_ctx {
    enf_daemon_t *d;
    enf_reply_t *r;
    int json;
    size_t n;
} list_ctx_t;

static const char *policy_name(const enf_daemon_t *d, int64_t id)
{
    int pi = enf_policies_find_id(d->policies, id);
    return pi >= 0 ? d->policies->recs[pi].pol.name : "?";
}

static void zone_json(list_ctx_t *c, const enf_zone_info_t *zi)
{
    ods_buf_t *b = &c->r->out;
    enf_json_item_open(b, c->n == 0);
    ods_json_kv_str(b, 1, "zone", zi->name);
    ods_json_kv_str(b, 0, "policy", policy_name(c->d, zi->policy_id));
    ods_json_kv_time(b, 0, "next_change", zi->next_change);
    ods_json_kv_str(b, 0, "signconf", zi->signconf);
    ods_json_kv_str(b, 0, "input_type", ods_adapter_type_name(zi->input_type));
    ods_json_kv_str(b, 0, "input", zi->input);
    ods_json_kv_str(b, 0, "output_type", ods_adapter_type_name(zi->output_type));
    ods_json_kv_str(b, 0, "output", zi->output);
    ods_json_kv_bool(b, 0, "suspended", zi->suspended);
    ods_json_kv_bool(b, 0, "waiting_for_keys", zi->waiting_keys);
    ods_buf_append_u8(b, '}');
}

static int list_one(void *arg, const enf_zone_info_t *zi)
{
    list_ctx_t *c = arg;
    if (c->json) {
        zone_json(c, zi);
    } else {
        char next[32] = "-";
        if (zi->next_change >= 0)
            ods_clock_format(zi->next_change, next, sizeof(next));
        if (c->n == 0)
            enf_out(c->r, "Zones:\n%-31s %-13s %-26s %s\n",
                    "Zone:", "Policy:", "Next change:", "Signer Configuration:");
        enf_out(c->r, "%-31s %-13s %-26s %s\n", zi->name, policy_name(c->d, zi->policy_id), next,
                zi->signconf);
    }
    c->n++;
    return 0;
}

int enf_cmd_zone_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    list_ctx_t c = { .d = d, .r = r, .json = ods_cmd_has(a, "json") };
    ods_err_t err;
    if (c.json)
        enf_json_list_open(&r->out, "zones");
    if (enf_store_zone_foreach(d->store, 0, list_one, &c, &err) != ODS_OK)
        return c.json ? enf_json_fail(r, &err) : enf_fail(r, &err);
    if (c.json)
        enf_json_list_close(&r->out);
    else if (c.n == 0)
        enf_out(r, "No zones in database.\n");
    return ENF_EXIT_OK;
}

int enf_cmd_zone_set_policy(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_get(a, "zone"), *policy = ods_cmd_get(a, "policy");
    if (!zone || !policy) {
        enf_errout(r, "expected --zone <zone> and --policy <policy>\n");
        return ENF_EXIT_USAGE;
    }
    ods_err_t err;
    add_ctx_t *c = calloc(1, sizeof(*c));
    if (!c) {
        enf_errout(r, "out of memory\n");
        return ENF_EXIT_FAIL;
    }
    if (enf_zones_set_policy(d, zone, policy, &c->zone_id, &err) != ODS_OK) {
        free(c);
        return enf_fail(r, &err);
    }
    c->r = r;
    snprintf(c->name, sizeof(c->name), "%s", zone);
    snprintf(c->done, sizeof(c->done), "Zone %s now uses policy %s", zone, policy);
    return when_keys(d, c, enf_policies_find(d->policies, policy));
}

int enf_cmd_zonelist_import(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    if (enf_zones_import(d, ods_cmd_get(a, "file"), ods_cmd_has(a, "remove-missing-zones"), &r->out,
                         &err) != ODS_OK)
        return enf_fail(r, &err);
    return enf_settle(d, r, ENF_EXIT_OK);
}

int enf_cmd_zonelist_export(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    if (enf_zonelist_render(d->zonelist, &r->out) != ODS_OK) {
        enf_errout(r, "out of memory\n");
        return ENF_EXIT_FAIL;
    }
    return ENF_EXIT_OK;
}
