/*
 * ctl_help.h -- `odsctl help`, `odsctl help COMMAND`, `COMMAND --help`.
 * Never contacts a daemon.
 */
#ifndef CTL_HELP_H
#define CTL_HELP_H

#include <stdio.h>

/* Every command grouped by who runs it, with its summary. mask limits the groups. */
void ctl_help_list(FILE *out, int mask);

/*
 * `odsctl help [enforcer|signer] [WORDS...]`: the list, a daemon's list, or
 * one command's usage. Returns the exit status (2 for an unknown command,
 * with the message on stderr).
 */
int ctl_help_run(int argc, char **argv);

/* 1 if "-h" or "--help" appears among argv before "--". */
int ctl_help_requested(int argc, char **argv);

#endif
