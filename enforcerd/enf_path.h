/*
 * enf_path.h -- small file-system helpers for the files the enforcer writes
 * (signer configurations, zones.xml, zonelist.xml). Thread-safe.
 */
#ifndef ENF_PATH_H
#define ENF_PATH_H

#include <stddef.h>

#include "util/status.h"

/* Create the directory that holds path (mode 0755) when it is missing and
 * its own parent exists. ODS_OK when it exists afterwards. */
int enf_path_ensure_parent(const char *path, ods_err_t *err);

/* dir + "/" + a + b into a new string; NULL when out of memory. */
char *enf_path_join(const char *dir, const char *a, const char *b);

#endif
