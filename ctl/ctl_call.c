/*
 * ctl_call.c -- relay a command to the daemons (see ctl_call.h).
 */
#include "ctl_call.h"

#include "ctl/client.h"
#include "ctl/cmdparse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Default bound on "running": a liveness check should not hang. */
#define RUNNING_TIMEOUT_MS 10000

/* The one line explaining why a daemon could not be used. */
static void explain(const ctl_opts_t *opts, int target, const char *path, int rc,
                    const ods_err_t *err)
{
    const char *name = ctl_route_daemon_name(target);
    struct stat st;
    switch (rc) {
    case ODS_ENOTFOUND:
        fprintf(stderr,
                "odsctl: %s is not running (%s %s): start it with `service %s start` or "
                "`%s -c %s`\n",
                name, stat(path, &st) == 0 ? "nothing listening on" : "no socket at", path, name,
                name, opts->conf);
        break;
    case ODS_EPERM:
        fprintf(stderr, "odsctl: cannot talk to %s: %s\n", name, err->msg);
        break;
    case ODS_ETIMEOUT:
        fprintf(stderr,
                "odsctl: %s did not answer within %d second%s (socket %s); it may be busy: see "
                "its log, or allow more time with -t SECONDS\n",
                name, opts->timeout_ms / 1000, opts->timeout_ms == 1000 ? "" : "s", path);
        break;
    default:
        fprintf(stderr, "odsctl: %s: %s\n", name, err->msg);
        break;
    }
}

/* One daemon; its stdout goes to out. Returns odsctl's exit status. */
static int call_one(const ctl_opts_t *opts, int target, int argc, char **argv, FILE *out,
                    int timeout_ms)
{
    char *path = NULL, *warning = NULL;
    ods_err_t err;
    int status = 0, rc;
    ods_err_clear(&err);
    rc = ctl_route_socket(opts->conf, opts->conf_given, target, &path, &warning, &err);
    if (rc != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return rc == ODS_ENOMEM ? CTL_EXIT_FAIL : CTL_EXIT_USAGE;
    }
    if (warning)
        fprintf(stderr, "odsctl: warning: %s\n", warning);
    fflush(stdout);
    rc = ods_ctl_call(path, argc, argv, out, stderr, timeout_ms, &status, &err);
    if (rc == ODS_EINVAL) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        status = CTL_EXIT_USAGE;
    } else if (rc == ODS_EIO && ferror(out)) {
        status = CTL_EXIT_FAIL; /* our reader went away (odsctl ... | head): say nothing */
    } else if (rc != ODS_OK) {
        ctl_opts_t o = *opts;
        o.timeout_ms = timeout_ms;
        explain(&o, target, path, rc, &err);
        status = CTL_EXIT_UNREACHABLE;
    }
    free(warning);
    free(path);
    return status;
}

static int wants_json(const ods_cmd_t *cmd, int argc, char **argv)
{
    int nw = ods_cmd_nwords(cmd), json = 0;
    ods_cmd_args_t *a = NULL;
    if (ods_cmd_parse(cmd, argc - nw, argv + nw, &a, NULL) == ODS_OK)
        json = ods_cmd_has(a, "json");
    ods_cmd_args_free(a);
    return json;
}

/* Strip white space at the end of a captured document. */
static size_t doc_len(const char *doc, size_t len)
{
    while (len > 0 && (doc[len - 1] == '\n' || doc[len - 1] == ' ' || doc[len - 1] == '\r'))
        len--;
    return len;
}

/* Both daemons with --json: one combined document. */
static int call_both_json(const ctl_opts_t *opts, int argc, char **argv, int timeout_ms)
{
    static const int targets[2] = { ODS_CMD_ENFORCER, ODS_CMD_SIGNER };
    int worst = 0;
    printf("{");
    for (int i = 0; i < 2; i++) {
        char *doc = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&doc, &len);
        int st = mem ? call_one(opts, targets[i], argc, argv, mem, timeout_ms) : CTL_EXIT_FAIL;
        if (mem)
            fclose(mem);
        len = doc ? doc_len(doc, len) : 0;
        printf("%s\"%s\":", i ? "," : "", targets[i] == ODS_CMD_SIGNER ? "signer" : "enforcer");
        if (st == 0 && len > 0)
            fwrite(doc, 1, len, stdout);
        else
            printf("null");
        free(doc);
        worst = st > worst ? st : worst;
    }
    printf("}\n");
    return worst;
}

int ctl_call_run(const ctl_opts_t *opts, const ctl_route_t *route, int argc, char **argv)
{
    int timeout_ms = opts->timeout_ms, worst = 0, both;
    if (timeout_ms == 0 && strcmp(route->cmd->words, "running") == 0)
        timeout_ms = RUNNING_TIMEOUT_MS;
    both = route->targets == (ODS_CMD_ENFORCER | ODS_CMD_SIGNER);
    if (!both)
        return call_one(opts, route->targets, argc, argv, stdout, timeout_ms);
    if (wants_json(route->cmd, argc, argv))
        return call_both_json(opts, argc, argv, timeout_ms);
    for (int t = ODS_CMD_ENFORCER; t <= ODS_CMD_SIGNER; t <<= 1) {
        int st;
        printf("%s== %s ==\n", t == ODS_CMD_SIGNER ? "\n" : "", ctl_route_daemon_name(t));
        st = call_one(opts, t, argc, argv, stdout, timeout_ms);
        fflush(stdout);
        worst = st > worst ? st : worst;
    }
    return worst;
}
