/*
 * ctl_args.c -- odsctl's own options (see ctl_args.h).
 */
#include "ctl_args.h"

#include "ods_config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The value of an option at argv[*i]: "-cFILE", "-c FILE", "--config=FILE", "--config FILE". */
static int opt_value(int argc, char **argv, int *i, size_t prefix, const char **value,
                     ods_err_t *err)
{
    const char *arg = argv[*i];
    if (arg[prefix] == '=' || (arg[1] != '-' && arg[prefix] != '\0')) {
        *value = arg + prefix + (arg[prefix] == '=');
        return ODS_OK;
    }
    if (*i + 1 >= argc)
        return ods_err_set(err, ODS_EINVAL, "option '%s' needs a value", arg);
    *value = argv[++*i];
    return ODS_OK;
}

static int is_opt(const char *arg, const char *shrt, const char *lng)
{
    size_t n = strlen(lng);
    if (strncmp(arg, shrt, 2) == 0)
        return 1;
    return strncmp(arg, lng, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_timeout(const char *s, int *ms, ods_err_t *err)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 86400)
        return ods_err_set(err, ODS_EINVAL, "timeout '%s' is not a number of seconds (0..86400)",
                           s);
    *ms = (int)v * 1000;
    return ODS_OK;
}

int ctl_args_parse(int argc, char **argv, ctl_opts_t *opts, ods_err_t *err)
{
    ctl_opts_t o = { 0 };
    const char *env = getenv("ODS_CONF");
    int i, rc = ODS_OK;
    o.conf = env && *env ? env : ODS_CONF_FILE;
    o.conf_given = env && *env;
    for (i = 1; i < argc && rc == ODS_OK; i++) {
        const char *arg = argv[i], *v = NULL;
        if (arg[0] != '-' || arg[1] == '\0')
            break;
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            o.help = 1;
        } else if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
            o.version = 1;
        } else if (is_opt(arg, "-c", "--config")) {
            rc = opt_value(argc, argv, &i, arg[1] == '-' ? 8 : 2, &v, err);
            if (rc == ODS_OK) {
                o.conf = v;
                o.conf_given = 1;
            }
        } else if (is_opt(arg, "-t", "--timeout")) {
            rc = opt_value(argc, argv, &i, arg[1] == '-' ? 9 : 2, &v, err);
            if (rc == ODS_OK)
                rc = parse_timeout(v, &o.timeout_ms, err);
        } else {
            rc = ods_err_set(err, ODS_EINVAL,
                             "unknown option '%s' (odsctl's own options are -c, -t, -h and -V; "
                             "command options go after the command)",
                             arg);
        }
    }
    if (rc != ODS_OK)
        return rc;
    if (o.conf[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "the configuration file name is empty");
    o.argc = argc - i;
    o.argv = argv + i;
    *opts = o;
    return ODS_OK;
}

void ctl_args_usage(FILE *out)
{
    fprintf(out,
            "usage: odsctl [-c FILE] [-t SECONDS] [enforcer|signer] COMMAND [OPTIONS] [ARGS]\n"
            "       odsctl help [COMMAND]      list the commands, or explain one\n"
            "       odsctl COMMAND --help      the same\n"
            "\n"
            "  -c, --config FILE      conf.xml (default $ODS_CONF, else %s)\n"
            "  -t, --timeout SECONDS  give up when a daemon has not answered in time "
            "(default: wait)\n"
            "  -h, --help             this text and the list of commands\n"
            "  -V, --version          print the version\n"
            "\n"
            "odsctl sends each command to the daemon that runs it (enforcerd or signerd);\n"
            "\"odsctl enforcer COMMAND\" or \"odsctl signer COMMAND\" addresses one daemon.\n"
            "\n"
            "exit status: 0 success, 1 the command failed, 2 usage error,\n"
            "             3 the daemon is not running or cannot be reached\n",
            ODS_CONF_FILE);
}
