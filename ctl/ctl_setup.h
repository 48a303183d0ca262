/*
 * ctl_setup.h -- `odsctl setup`: create or wipe the enforcer's database.
 *
 * As in the operator's day of SPEC section 1, setup usually runs before the
 * daemons start: when no enforcerd answers on its socket, odsctl runs
 * `enforcerd -c CONF --setup` itself; when one runs, the daemon does it.
 * Without --force it asks for confirmation on the terminal first.
 */
#ifndef CTL_SETUP_H
#define CTL_SETUP_H

#include <stdbool.h>

#include "ctl_args.h"
#include "ctl_route.h"

int ctl_setup_run(const ctl_opts_t *opts, const ctl_route_t *r, bool force);

#endif
