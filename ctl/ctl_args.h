/*
 * ctl_args.h -- odsctl's own options (those before the command) and exit codes.
 *
 *   odsctl [-c FILE] [-t SECONDS] [-h] [-V] [enforcer|signer] COMMAND [ARGS...]
 *
 * Options end at the first word that does not start with '-' (the command) or
 * at "--". The configuration file is -c, else $ODS_CONF, else ODS_CONF_FILE.
 * No shared state; argv is borrowed (ctl_opts_t points into it).
 */
#ifndef CTL_ARGS_H
#define CTL_ARGS_H

#include "util/status.h"

#include <stdio.h>

/* Exit statuses of odsctl (a daemon's own non-zero status is passed through). */
enum {
    CTL_EXIT_OK = 0,          /* success */
    CTL_EXIT_FAIL = 1,        /* the command failed (in the daemon, or a local command) */
    CTL_EXIT_USAGE = 2,       /* unknown command or option, wrong arguments */
    CTL_EXIT_UNREACHABLE = 3, /* the daemon is not running, permission denied, no answer */
};

typedef struct ctl_opts {
    const char *conf; /* configuration file */
    int conf_given;   /* -c was used (or $ODS_CONF): a missing file is an error */
    int timeout_ms;   /* -t: bound on a whole daemon call; 0 = none */
    int help;         /* -h / --help without a command */
    int version;      /* -V / --version */
    int argc;         /* the command and its arguments */
    char **argv;
} ctl_opts_t;

/* Parse argv[1..argc). ODS_EINVAL with a one-line message on a bad option. */
int ctl_args_parse(int argc, char **argv, ctl_opts_t *opts, ods_err_t *err);

/* The usage synopsis of odsctl itself (global options and exit codes). */
void ctl_args_usage(FILE *out);

#endif
