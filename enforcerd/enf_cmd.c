/* enf_cmd.c -- finding, parsing and answering control commands (see enf_cmd.h). */
#include "enf_cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl/cmdtab.h"
#include "engine/model.h"
#include "enf_signer.h"
#include "log/log.h"

static const struct {
    const char *words;
    enf_cmd_fn fn;
} handlers[] = {
    { "setup", enf_cmd_setup },
    { "running", enf_cmd_running },
    { "stop", enf_cmd_stop },
    { "reload", enf_cmd_reload },
    { "verbosity", enf_cmd_verbosity },
    { "update conf", enf_cmd_update_conf },
    { "update repositorylist", enf_cmd_update_conf },
    { "update all", enf_cmd_update_all },
    { "repository list", enf_cmd_repository_list },
    { "queue", enf_cmd_queue },
    { "flush", enf_cmd_flush },
    { "enforce", enf_cmd_enforce },
    { "time leap", enf_cmd_time_leap },
    { "signconf", enf_cmd_signconf },
    { "policy list", enf_cmd_policy_list },
    { "policy export", enf_cmd_policy_export },
    { "policy import", enf_cmd_policy_import },
    { "policy purge", enf_cmd_policy_purge },
    { "policy resalt", enf_cmd_policy_resalt },
    { "zone add", enf_cmd_zone_add },
    { "zone delete", enf_cmd_zone_delete },
    { "zone list", enf_cmd_zone_list },
    { "zone set-policy", enf_cmd_zone_set_policy },
    { "zone status", enf_cmd_zone_status },
    { "zonelist import", enf_cmd_zonelist_import },
    { "zonelist export", enf_cmd_zonelist_export },
    { "key list", enf_cmd_key_list },
    { "key export", enf_cmd_key_export },
    { "key import", enf_cmd_key_import },
    { "key ds-submit", enf_cmd_key_ds_submit },
    { "key ds-seen", enf_cmd_key_ds_seen },
    { "key ds-retract", enf_cmd_key_ds_retract },
    { "key ds-gone", enf_cmd_key_ds_gone },
    { "key generate", enf_cmd_key_generate },
    { "key purge", enf_cmd_key_purge },
    { "key rollover", enf_cmd_key_rollover },
    { "rollover list", enf_cmd_rollover_list },
    { "look-ahead", enf_cmd_look_ahead },
    { "backup list", enf_cmd_backup_list },
    { "backup prepare", enf_cmd_backup_prepare },
    { "backup commit", enf_cmd_backup_commit },
    { "backup rollback", enf_cmd_backup_rollback },
};

/* Commands that make or use keys (and key purge --delete): refused until
 * `odsctl hsm login`. */
static const char *const needs_hsm[] = {
    "enforce",      "flush",         "time leap",   "key generate",   "key import",
    "key rollover", "key ds-submit", "key ds-seen", "key ds-retract", "key ds-gone",
};

static int hsm_missing(const enf_daemon_t *d, const ods_cmd_args_t *args, ods_err_t *err)
{
    const char *words = ods_cmd_args_cmd(args)->words;
    int needs = strcmp(words, "key purge") == 0 && ods_cmd_has(args, "delete");
    for (size_t i = 0; !needs && i < sizeof(needs_hsm) / sizeof(needs_hsm[0]); i++)
        needs = strcmp(needs_hsm[i], words) == 0;
    return needs && enf_daemon_hsm_ready(d, err) != ODS_OK;
}

static enf_cmd_fn handler_of(const ods_cmd_t *cmd)
{
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (strcmp(handlers[i].words, cmd->words) == 0)
            return handlers[i].fn;
    return NULL;
}

int enf_cmd_role(const char *t)
{
    if (!t)
        return 0;
    if (strcasecmp(t, "KSK") == 0)
        return ENF_ROLE_KSK;
    if (strcasecmp(t, "ZSK") == 0)
        return ENF_ROLE_ZSK;
    return strcasecmp(t, "CSK") == 0 ? ENF_ROLE_CSK : -1;
}

enf_reply_t *enf_reply_new(ods_ctl_conn_t *conn)
{
    enf_reply_t *r = calloc(1, sizeof(*r));
    if (r)
        r->conn = conn;
    return r;
}

void enf_reply_free(enf_reply_t *r)
{
    if (!r)
        return;
    ods_buf_free(&r->out);
    ods_buf_free(&r->err);
    free(r);
}

static void vappend(ods_buf_t *b, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        ods_buf_append(b, small, (size_t)n);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            ods_buf_append(b, big, (size_t)n);
            free(big);
        }
    }
    va_end(ap2);
}

void enf_out(enf_reply_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(&r->out, fmt, ap);
    va_end(ap);
}

void enf_errout(enf_reply_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(&r->err, fmt, ap);
    va_end(ap);
}

int enf_fail(enf_reply_t *r, const ods_err_t *err)
{
    enf_errout(r, "%s\n", err->msg[0] ? err->msg : ods_strerror(err->code));
    return ENF_EXIT_FAIL;
}

void enf_reply_finish(enf_daemon_t *d, enf_reply_t *r, int status)
{
    enf_signer_flush(d->signer, d->conf);
    enf_daemon_reschedule(d);
    if (r->conn) {
        if (r->out.len)
            ods_ctl_write(r->conn, 0, r->out.data, r->out.len);
        if (r->err.len)
            ods_ctl_write(r->conn, 1, r->err.data, r->err.len);
        ods_ctl_finish(r->conn, status);
    }
    enf_reply_free(r);
}

static int parse_and_run(enf_daemon_t *d, enf_reply_t *r, int argc, char **argv)
{
    int nw = 0;
    if (argc >= 2 && strcmp(argv[0], "hsm") == 0 && strcmp(argv[1], "login") == 0)
        return enf_cmd_hsm_login(d, r, argc, argv); /* the PIN goes before parsing */
    const ods_cmd_t *cmd = ods_cmd_find(ODS_CMD_ENFORCER, argc, argv, &nw);
    enf_cmd_fn fn = cmd ? handler_of(cmd) : NULL;
    if (!fn) {
        const char *near = ods_cmd_suggest(ODS_CMD_ENFORCER, argc, argv);
        enf_errout(r, "unknown command '%s' for the enforcer%s%s%s\n", argc ? argv[0] : "",
                   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return ENF_EXIT_USAGE;
    }
    ods_cmd_args_t *args = NULL;
    ods_err_t err;
    if (ods_cmd_parse(cmd, argc - nw, argv + nw, &args, &err) != ODS_OK) {
        enf_errout(r, "%s\n", err.msg);
        return ENF_EXIT_USAGE;
    }
    if (hsm_missing(d, args, &err)) {
        ods_cmd_args_free(args);
        return enf_fail(r, &err);
    }
    ods_log_debug("command: %s", cmd->words);
    int status = fn(d, r, args);
    ods_cmd_args_free(args);
    return status;
}

int enf_cmd_run(enf_daemon_t *d, enf_reply_t *r, int argc, char **argv)
{
    return parse_and_run(d, r, argc, argv);
}

void enf_cmd_dispatch(ods_ctl_conn_t *conn, int argc, char **argv, void *arg)
{
    enf_daemon_t *d = arg;
    enf_reply_t *r = enf_reply_new(conn);
    if (!r) {
        ods_ctl_eprintf(conn, "the enforcer is out of memory\n");
        ods_ctl_finish(conn, ENF_EXIT_FAIL);
        return;
    }
    int status = parse_and_run(d, r, argc, argv);
    if (status != ENF_CMD_PENDING)
        enf_reply_finish(d, r, status);
}
