/*
 * odsctl -- the control client of odsng. main() reads odsctl's own options,
 * finds the command in the table (ctl/cmdtab.h), checks its options locally,
 * and runs it: help, check-config, version and hsm here; everything else in
 * the daemon that owns it (ctl_call.c).
 */
#include "ctl/cmdparse.h"
#include "ctl_args.h"
#include "ctl_call.h"
#include "ctl_check.h"
#include "ctl_help.h"
#include "ctl_hsm.h"
#include "ctl_route.h"
#include "ctl_setup.h"
#include "ctl_tty.h"

#include "ods_config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static int run_local(const ctl_opts_t *opts, const ods_cmd_args_t *a, int argc, char **argv,
                     int nwords)
{
    const char *words = ods_cmd_args_cmd(a)->words;
    if (strcmp(words, "help") == 0)
        return ctl_help_run(argc - nwords, argv + nwords);
    if (strcmp(words, "version") == 0) {
        printf("odsctl %s\n", ODS_VERSION);
        return CTL_EXIT_OK;
    }
    if (strcmp(words, "check-config") == 0)
        return ctl_check_run(opts->conf);
    return ctl_hsm_run(opts, a);
}

static int run_command(const ctl_opts_t *opts, int argc, char **argv)
{
    ctl_route_t r;
    ods_cmd_args_t *a = NULL;
    ods_err_t err;
    int status;
    /* "odsctl enforcer help", "odsctl signer --help": that daemon's commands */
    if (argc == 2 && (strcmp(argv[0], "enforcer") == 0 || strcmp(argv[0], "signer") == 0) &&
        (strcmp(argv[1], "help") == 0 || ctl_help_requested(1, argv + 1)))
        return ctl_help_run(1, argv);
    if (ctl_route_find(argc, argv, &r, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_USAGE;
    }
    argc -= r.selector; /* the daemons get the words and what follows */
    argv += r.selector;
    if (ctl_help_requested(argc - r.nwords, argv + r.nwords))
        return ctl_help_run(r.nwords, argv);
    if (ods_cmd_parse(r.cmd, argc - r.nwords, argv + r.nwords, &a, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s (see `odsctl help %s`)\n", err.msg, r.cmd->words);
        return CTL_EXIT_USAGE;
    }
    if (r.targets == ODS_CMD_LOCAL) {
        status = run_local(opts, a, argc, argv, r.nwords);
    } else if (strcmp(r.cmd->words, "setup") == 0) {
        status = ctl_setup_run(opts, &r, ods_cmd_has(a, "force"));
    } else {
        status = ctl_call_run(opts, &r, argc, argv);
    }
    ods_cmd_args_free(a);
    return status;
}

int main(int argc, char **argv)
{
    ctl_opts_t opts;
    ods_err_t err;
    signal(SIGPIPE, SIG_IGN);
    if (ctl_args_parse(argc, argv, &opts, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        ctl_args_usage(stderr);
        return CTL_EXIT_USAGE;
    }
    if (opts.version) {
        printf("odsctl %s\n", ODS_VERSION);
        return CTL_EXIT_OK;
    }
    if (opts.help || opts.argc == 0) {
        ctl_help_run(0, NULL);
        return opts.help ? CTL_EXIT_OK : CTL_EXIT_USAGE;
    }
    return run_command(&opts, opts.argc, opts.argv);
}
