/* enf_cmd_policy.c -- policy list, export, import, purge, resalt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enf_cmd.h"
#include "enf_json.h"
#include "enf_resalt.h"
#include "enf_setup.h"
#include "enf_store_policy.h"
#include "enf_store_zone.h"

int enf_cmd_policy_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const enf_policies_t *ps = d->policies;
    if (ods_cmd_has(a, "json")) {
        enf_json_list_open(&r->out, "policies");
        for (size_t i = 0; i < ps->n; i++) {
            const enf_policy_rec_t *p = &ps->recs[i];
            enf_json_item_open(&r->out, i == 0);
            ods_json_kv_str(&r->out, 1, "name", p->pol.name);
            ods_json_kv_str(&r->out, 0, "description", p->pol.description);
            ods_json_kv_str(&r->out, 0, "salt", p->pol.denial == ODS_DENIAL_NSEC3 ? p->salt : NULL);
            ods_buf_append_u8(&r->out, '}');
        }
        enf_json_list_close(&r->out);
        return ENF_EXIT_OK;
    }
    enf_out(r, "Policies:\n");
    for (size_t i = 0; i < ps->n; i++)
        enf_out(r, "%-31s %s\n", ps->recs[i].pol.name, ps->recs[i].pol.description);
    return ENF_EXIT_OK;
}

int enf_cmd_policy_export(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *name = ods_cmd_get(a, "policy");
    int all = ods_cmd_has(a, "all");
    if (!!name == all) {
        enf_errout(r, "expected either --policy <policy> or --all\n");
        return ENF_EXIT_USAGE;
    }
    const enf_policies_t *ps = d->policies;
    const ods_policy_t **sel = calloc(ps->n ? ps->n : 1, sizeof(*sel));
    size_t n = 0;
    if (!sel) {
        enf_errout(r, "out of memory\n");
        return ENF_EXIT_FAIL;
    }
    for (size_t i = 0; i < ps->n; i++)
        if (all || strcmp(ps->recs[i].pol.name, name) == 0)
            sel[n++] = &ps->recs[i].pol;
    int status = ENF_EXIT_OK;
    if (!all && n == 0) {
        enf_errout(r, "Unable to find policy %s\n", name);
        status = ENF_EXIT_FAIL;
    } else if (ods_kasp_policies_to_xml(sel, n, &r->out) != ODS_OK) {
        enf_errout(r, "out of memory\n");
        status = ENF_EXIT_FAIL;
    }
    free(sel);
    return status;
}

int enf_cmd_policy_import(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    if (enf_setup_policies(d, ods_cmd_has(a, "remove-missing-policies"), &r->out, &err) != ODS_OK)
        return enf_fail(r, &err);
    return enf_settle(d, r, ENF_EXIT_OK);
}

int enf_cmd_policy_purge(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    size_t purged = 0;
    int rc = enf_store_begin(d->store, &err);
    for (size_t i = 0; rc == ODS_OK && i < d->policies->n; i++) {
        size_t nzones = 0;
        rc = enf_store_zone_count(d->store, d->policies->recs[i].id, &nzones, &err);
        if (rc != ODS_OK || nzones)
            continue;
        enf_out(r, "No zones on policy %s; purging...\n", d->policies->recs[i].pol.name);
        rc = enf_store_policy_delete(d->store, d->policies->recs[i].id, &err);
        purged++;
    }
    if (rc == ODS_OK)
        rc = enf_store_commit(d->store, &err);
    else
        enf_store_rollback(d->store);
    if (rc == ODS_OK)
        rc = enf_daemon_reload_policies(d, &err);
    if (rc != ODS_OK)
        return enf_fail(r, &err);
    if (!purged)
        enf_out(r, "No policies to purge.\n");
    return ENF_EXIT_OK;
}

int enf_cmd_policy_resalt(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *name = ods_cmd_get(a, "policy");
    int all = ods_cmd_has(a, "all");
    if (!!name == all) {
        enf_errout(r, "expected either --policy <policy> or --all\n");
        return ENF_EXIT_USAGE;
    }
    ods_err_t err;
    size_t total = 0;
    for (size_t i = 0; i < d->policies->n; i++) {
        if (!all && strcmp(d->policies->recs[i].pol.name, name) != 0)
            continue;
        size_t n = 0;
        char pname[ENF_NAME_MAX];
        snprintf(pname, sizeof(pname), "%s", d->policies->recs[i].pol.name);
        if (enf_resalt_due(d, (int)i, &n, &err) != ODS_OK)
            return enf_fail(r, &err);
        if (n)
            enf_out(r, "Policy %s resalted.\n", pname);
        else
            enf_out(r, "Policy %s has no NSEC3 salt to change.\n", pname);
        total++;
    }
    if (!all && total == 0) {
        enf_errout(r, "Unable to find policy %s\n", name);
        return ENF_EXIT_FAIL;
    }
    return ENF_EXIT_OK;
}
