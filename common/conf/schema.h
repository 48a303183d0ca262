/*
 * schema.h -- the RelaxNG schemas in conf/ compiled into the library,
 * so the daemons never depend on an install path. The same files are
 * installed to $datadir/odsng for operators and other tools.
 *
 * The data is constant; thread-safe.
 */
#ifndef ODS_CONF_SCHEMA_H
#define ODS_CONF_SCHEMA_H

#include <stddef.h>

typedef enum ods_schema {
    ODS_SCHEMA_CONF,     /* conf.rng: conf.xml */
    ODS_SCHEMA_KASP,     /* kasp.rng: kasp.xml */
    ODS_SCHEMA_ZONELIST, /* zonelist.rng: zonelist.xml */
    ODS_SCHEMA_SIGNCONF, /* signconf.rng: per-zone signer configuration */
} ods_schema_t;

/* The schema text (not NUL-terminated) and its length; NULL for a bad id. */
const char *ods_schema_text(ods_schema_t id, size_t *len);

/* The schema's file name ("kasp.rng"); "?" for a bad id. */
const char *ods_schema_name(ods_schema_t id);

#endif
