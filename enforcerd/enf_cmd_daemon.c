/* enf_cmd_daemon.c -- running, stop, reload, verbosity, update, repository list, setup. */
#include <stdlib.h>

#include "enf_cmd.h"
#include "enf_json.h"
#include "enf_setup.h"
#include "enf_zones.h"
#include "log/log.h"
#include "svc/pin.h"

int enf_cmd_running(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    enf_out(r, "Engine running.\n");
    if (enf_daemon_hsm_ready(d, &err) != ODS_OK)
        enf_out(r, "Not enforcing: %s.\n", err.msg);
    return ENF_EXIT_OK;
}

/* After the PIN is out of argv: parse --repository and log in. */
static int hsm_login(enf_daemon_t *d, enf_reply_t *r, int argc, char **argv, const char *pin)
{
    int nw = 0;
    ods_cmd_args_t *a = NULL;
    ods_err_t err;
    const ods_cmd_t *cmd = ods_cmd_find(ODS_CMD_LOCAL, argc, argv, &nw);
    if (!cmd || ods_cmd_parse(cmd, argc - nw, argv + nw, &a, &err) != ODS_OK) {
        enf_errout(r, "%s\n", cmd ? err.msg : "the enforcer does not know 'hsm login'");
        return ENF_EXIT_USAGE;
    }
    int rc = enf_daemon_hsm_login(d, ods_cmd_get(a, "repository"), pin, &err);
    ods_cmd_args_free(a);
    if (rc == ODS_EEXIST) {
        enf_out(r, "Nothing to do: %s.\n", err.msg);
        return ENF_EXIT_OK;
    }
    if (rc != ODS_OK) {
        enf_errout(r, "%s; nothing changed\n", err.msg);
        return ENF_EXIT_FAIL;
    }
    if (enf_daemon_hsm_ready(d, NULL) == ODS_OK)
        enf_out(r, "The enforcer is logged in to the HSM: enforcing.\n");
    else
        enf_out(r, "PIN accepted; other repositories still need theirs.\n");
    return ENF_EXIT_OK;
}

int enf_cmd_hsm_login(enf_daemon_t *d, enf_reply_t *r, int argc, char **argv)
{
    char *pin = NULL;
    ods_err_t err;
    if (ods_svc_pin_take_arg(&argc, argv, &pin, &err) != ODS_OK)
        return enf_fail(r, &err);
    int status = hsm_login(d, r, argc, argv, pin);
    ods_svc_pin_free(pin);
    return status;
}

int enf_cmd_stop(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    enf_out(r, "Engine shut down.\n");
    ods_log_notice("stop requested over the control socket");
    enf_daemon_stop(d);
    return ENF_EXIT_OK;
}

int enf_cmd_update_conf(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    if (enf_daemon_reload_conf(d, &err) != ODS_OK) {
        enf_errout(r, "%s: the running configuration is kept\n", err.msg);
        return ENF_EXIT_FAIL;
    }
    enf_out(r, "Configuration %s reloaded.\n", d->conf_path);
    return ENF_EXIT_OK;
}

int enf_cmd_reload(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return enf_cmd_update_conf(d, r, a);
}

int enf_cmd_verbosity(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    char *end;
    long v = strtol(ods_cmd_pos(a, 0), &end, 10);
    if (*end || v < 0 || v > 9) {
        enf_errout(r, "verbosity must be a number from 0 to 9\n");
        return ENF_EXIT_USAGE;
    }
    ods_log_set_verbosity((int)v);
    enf_out(r, "Verbosity level set to %ld.\n", v);
    return ENF_EXIT_OK;
}

int enf_cmd_update_all(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    int rc = enf_daemon_reload_conf(d, &err);
    if (rc == ODS_OK)
        rc = enf_setup_policies(d, 0, &r->out, &err);
    if (rc == ODS_OK)
        rc = enf_zones_import(d, NULL, 0, &r->out, &err);
    if (rc != ODS_OK)
        return enf_fail(r, &err);
    return enf_settle(d, r, ENF_EXIT_OK);
}

int enf_cmd_repository_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const ods_conf_t *c = d->conf;
    if (ods_cmd_has(a, "json")) {
        enf_json_list_open(&r->out, "repositories");
        for (size_t i = 0; i < c->n_repositories; i++) {
            enf_json_item_open(&r->out, i == 0);
            ods_json_kv_str(&r->out, 1, "name", c->repositories[i].name);
            ods_json_kv_int(&r->out, 0, "capacity", (long long)c->repositories[i].capacity);
            ods_json_kv_bool(&r->out, 0, "require_backup", c->repositories[i].require_backup);
            ods_buf_append_u8(&r->out, '}');
        }
        enf_json_list_close(&r->out);
        return ENF_EXIT_OK;
    }
    enf_out(r, "Repositories:\n%-31s %-13s %s\n", "Name:", "Capacity:", "RequireBackup:");
    for (size_t i = 0; i < c->n_repositories; i++) {
        char cap[32];
        if (c->repositories[i].capacity)
            snprintf(cap, sizeof(cap), "%llu", (unsigned long long)c->repositories[i].capacity);
        else
            snprintf(cap, sizeof(cap), "-");
        enf_out(r, "%-31s %-13s %s\n", c->repositories[i].name, cap,
                c->repositories[i].require_backup ? "Yes" : "No");
    }
    return ENF_EXIT_OK;
}

int enf_cmd_setup(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    /* odsctl asks for confirmation before it sends the command */
    ods_err_t err;
    if (enf_setup_all(d, &r->out, &err) != ODS_OK)
        return enf_fail(r, &err);
    enf_out(r, "Database %s set up.\n", d->conf->enforcer.datastore);
    return enf_settle(d, r, ENF_EXIT_OK);
}
