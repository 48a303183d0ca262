/*
 * enf_zonelist.h -- the zone list as the signer (zones.xml) and the operator
 * (zonelist.xml) read it, kept in memory already rendered.
 *
 * Each zone's <Zone> element is rendered once, when the zone is added or
 * changed; writing the file is then one pass over the rendered entries
 * (no XML tree, no database query), so adding zones one by one costs one
 * entry's rendering plus one sequential write each. Files are written
 * atomically (temporary file, fsync, rename): the signer sees the old list
 * or the new one. The format is zonelist.xml's (conf/zonelist.h loads it).
 *
 * Ownership: the list owns its entries. Thread-safety: none.
 */
#ifndef ENF_ZONELIST_H
#define ENF_ZONELIST_H

#include <stddef.h>

#include "enf_policy.h"
#include "enf_store.h"
#include "enf_store_zone.h"
#include "util/buf.h"

typedef struct enf_zonelist enf_zonelist_t;

int enf_zonelist_new(enf_zonelist_t **out);
void enf_zonelist_free(enf_zonelist_t *zl);

/* Rebuild from the database. */
int enf_zonelist_load(enf_zonelist_t *zl, enf_store_t *s, const enf_policies_t *ps, ods_err_t *err);

/* Add or replace the entry of zone zi (policy: its policy's name). */
int enf_zonelist_put(enf_zonelist_t *zl, const enf_zone_info_t *zi, const char *policy);

/* Remove a zone's entry (no-op when absent). */
void enf_zonelist_remove(enf_zonelist_t *zl, const char *name);

/* Forget every entry. */
void enf_zonelist_clear(enf_zonelist_t *zl);

size_t enf_zonelist_count(const enf_zonelist_t *zl);

/* Append the whole document to out. ODS_OK or ODS_ENOMEM. */
int enf_zonelist_render(const enf_zonelist_t *zl, ods_buf_t *out);

/* Write the document to path atomically, mode 0640 (creating its directory
 * if needed). */
int enf_zonelist_write(const enf_zonelist_t *zl, const char *path, ods_err_t *err);

#endif
