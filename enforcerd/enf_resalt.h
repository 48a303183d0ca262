/*
 * enf_resalt.h -- NSEC3 salts: a new random salt (from the HSM) when a
 * policy's Resalt period has passed, its salt length changed, or the
 * operator runs `policy resalt`; then every zone of the policy gets a new
 * signer configuration. Event loop only.
 */
#ifndef ENF_RESALT_H
#define ENF_RESALT_H

#include <stddef.h>

#include "enf_daemon.h"

/* Resalt the policies that are due (pi -1), or policy index pi now (force).
 * *n (may be NULL): policies resalted. */
int enf_resalt_due(enf_daemon_t *d, int pi, size_t *n, ods_err_t *err);

#endif
