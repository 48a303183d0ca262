/*
 * zonelist.h -- zonelist.xml: the zones, their policies, signer
 * configuration files and input/output adapters.
 *
 * OpenDNSSEC 2.1's zonelist.xml is accepted unchanged. Zone names are
 * normalised (lower case, no trailing dot; see zonename.h). Relative paths
 * are resolved against the directory of the file. Loading checks: valid
 * zone names, no duplicate zones, known adapter types (File, DNS), a policy
 * that exists (when kasp is given), no two zones writing the same signed
 * zone or signer configuration, input and output not the same file; DNS
 * adapter configuration files that do not exist give a WARNING.
 *
 * Ownership: the list owns its entries and their strings. Not thread-safe
 * per object; read-only use from several threads is safe.
 */
#ifndef ODS_CONF_ZONELIST_H
#define ODS_CONF_ZONELIST_H

#include <stddef.h>

#include "conf/diag.h"
#include "conf/kasp.h"
#include "util/status.h"

typedef enum ods_adapter_type {
    ODS_ADAPTER_FILE = 1, /* <File>path</File>: a zone file */
    ODS_ADAPTER_DNS = 2,  /* <Adapter type="DNS">addns.xml</Adapter>: zone transfers */
} ods_adapter_type_t;

typedef struct ods_zonelist_entry {
    char *name;     /* normalised zone name */
    char *policy;   /* Policy */
    char *signconf; /* SignerConfiguration path */
    int input_type; /* ODS_ADAPTER_* */
    char *input;    /* zone file, or DNS adapter configuration */
    int output_type;
    char *output;
    int line; /* line of the Zone element; 0 if not from a file */
} ods_zonelist_entry_t;

typedef struct ods_zonelist {
    char *path; /* the file loaded (absolute); NULL for a new list */
    ods_zonelist_entry_t *zones;
    size_t n_zones;
    size_t cap;
} ods_zonelist_t;

/* An empty list (NULL when out of memory). */
ods_zonelist_t *ods_zonelist_new(void);
void ods_zonelist_free(ods_zonelist_t *zl);

/*
 * Load zonelist.xml. kasp may be NULL (policies are not checked). Problems
 * go to diag (may be NULL). Returns ODS_OK and sets *out when there is no
 * ERROR; otherwise ODS_EIO, ODS_EPARSE or ODS_ECONFIG, *out untouched.
 */
int ods_zonelist_load(const char *path, const ods_kasp_t *kasp, ods_zonelist_t **out,
                      ods_diag_t *diag);

/*
 * Write the list to path atomically (temporary file, fsync, rename), in
 * OpenDNSSEC's format (<File> for file adapters, <Adapter type="DNS"> for
 * DNS). Loading it back gives the same entries.
 */
int ods_zonelist_write(const ods_zonelist_t *zl, const char *path, ods_err_t *err);

/*
 * Add a copy of entry (its line is ignored). The name is normalised; every
 * string must be set and the types valid. ODS_EEXIST if the zone is listed
 * already, ODS_EINVAL for a bad entry (err says why), ODS_ENOMEM.
 */
int ods_zonelist_add(ods_zonelist_t *zl, const ods_zonelist_entry_t *entry, ods_err_t *err);

/* The entry for a zone (name in any case, trailing dot allowed); NULL if none. */
const ods_zonelist_entry_t *ods_zonelist_find(const ods_zonelist_t *zl, const char *name);

/* Remove a zone: ODS_OK or ODS_ENOTFOUND. */
int ods_zonelist_remove(ods_zonelist_t *zl, const char *name);

/* "File" / "DNS"; "?" otherwise. */
const char *ods_adapter_type_name(int type);

/* ODS_ADAPTER_* for "File" or "DNS" (any case); 0 if unknown. */
int ods_adapter_type_parse(const char *name);

#endif
