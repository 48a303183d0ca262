/*
 * ctl_call.h -- send a command to one or both daemons and relay the answer.
 *
 * The daemons get the command words and everything after them (not odsctl's
 * own options, not the "enforcer"/"signer" selector). Their output is copied
 * to stdout and stderr as it arrives; the exit status is the daemon's. With
 * two daemons each answer comes under a one-line header ("== enforcerd =="),
 * or, with --json, both documents are combined into
 * {"enforcer": ..., "signer": ...} (null for a daemon that did not answer).
 *
 * When a daemon cannot be reached, one line on stderr says which daemon,
 * which socket and what to do, and the status is CTL_EXIT_UNREACHABLE.
 */
#ifndef CTL_CALL_H
#define CTL_CALL_H

#include "ctl_args.h"
#include "ctl_route.h"

/*
 * Run the command argv[0..argc) (words first) on route->targets. Returns the
 * exit status for odsctl: the daemon's (the highest of the two), or
 * CTL_EXIT_UNREACHABLE / CTL_EXIT_USAGE (configuration unusable).
 */
int ctl_call_run(const ctl_opts_t *opts, const ctl_route_t *route, int argc, char **argv);

#endif
