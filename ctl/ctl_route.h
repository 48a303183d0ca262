/*
 * ctl_route.h -- which program runs a command line, and where its socket is.
 *
 * "odsctl enforcer CMD" and "odsctl signer CMD" address one daemon. The bare
 * form finds the command among the enforcer's, odsctl's own and the signer's
 * (a signer command whose first word also starts an enforcer command, i.e.
 * "update", needs "odsctl signer ..."). A command both daemons run goes to
 * both, except "time leap", which goes to the enforcer (it moves the
 * signer's clock itself).
 *
 * Socket paths come from conf.xml (Enforcer/SocketFile, Signer/SocketFile;
 * the conf module supplies the defaults when they are absent).
 *
 * No shared state; thread-safe.
 */
#ifndef CTL_ROUTE_H
#define CTL_ROUTE_H

#include "ctl/cmdtab.h"
#include "util/status.h"

typedef struct ctl_route {
    const ods_cmd_t *cmd; /* the command */
    int targets;          /* ODS_CMD_ENFORCER and/or ODS_CMD_SIGNER, or ODS_CMD_LOCAL */
    int selector;         /* 1 if argv[0] was "enforcer" or "signer" */
    int nwords;           /* command words after the selector */
} ctl_route_t;

/*
 * Find the command at argv[0..argc). ODS_ENOTFOUND when there is none, with
 * the message odsctl prints ("unknown command 'zone ad'; did you mean 'zone
 * add'?", "'zone' needs a subcommand: list, add, ..."); ODS_EINVAL when argc
 * is 0 or only a selector was given.
 */
int ctl_route_find(int argc, char *const *argv, ctl_route_t *route, ods_err_t *err);

/* "enforcerd" or "signerd" for ODS_CMD_ENFORCER or ODS_CMD_SIGNER. */
const char *ctl_route_daemon_name(int target);

/*
 * The control socket of target (ODS_CMD_ENFORCER or ODS_CMD_SIGNER) from the
 * configuration file conf_path; *path is a new string (free()). When the file
 * cannot be loaded and conf_given is 0, the built-in default path is used and
 * *warning (may be NULL) gets a line saying so; with conf_given a load failure
 * is ODS_ECONFIG naming the first problem.
 */
int ctl_route_socket(const char *conf_path, int conf_given, int target, char **path, char **warning,
                     ods_err_t *err);

#endif
