/*
 * zonelist_internal.h -- shared by the files that implement zonelist.h.
 * Not for use outside common/conf.
 */
#ifndef ODS_CONF_ZONELIST_INTERNAL_H
#define ODS_CONF_ZONELIST_INTERNAL_H

#include "conf/zonelist.h"

/* A new zeroed entry at the end of the list; NULL when out of memory. */
ods_zonelist_entry_t *ods_zonelist_append(ods_zonelist_t *zl);

#endif
