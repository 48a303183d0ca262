/*
 * zonename.h -- zone names as odsng stores them: lower case, no trailing
 * dot (the root zone is "."), checked to be a valid DNS name made of
 * letters, digits, '-', '_' and '/' (RFC 2317 classless reverse zones).
 * Pure functions; thread-safe.
 */
#ifndef ODS_CONF_ZONENAME_H
#define ODS_CONF_ZONENAME_H

#include "util/status.h"

/*
 * Normalise and check name. On success *out is a malloc'ed copy in
 * canonical form. On failure err says what is wrong (ODS_EINVAL), or
 * ODS_ENOMEM.
 */
int ods_zone_name_normalize(const char *name, char **out, ods_err_t *err);

#endif
