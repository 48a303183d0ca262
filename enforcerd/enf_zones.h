/*
 * enf_zones.h -- the zone list operations: add, delete, change policy,
 * import zonelist.xml; and keeping zones.xml (for the signer, in the
 * signer's WorkingDirectory) and zonelist.xml (ZoneListFile) in step with
 * the database after every change, each written atomically, and the signer
 * told ("update --all").
 *
 * Defaults for `zone add` (as OpenDNSSEC, under the enforcer's
 * WorkingDirectory W): policy "default", input W/unsigned/ZONE, output
 * W/signed/ZONE, signer configuration W/signconf/ZONE.xml, adapters File.
 * Relative paths are taken relative to W.
 *
 * Thread-safety: event loop only.
 */
#ifndef ENF_ZONES_H
#define ENF_ZONES_H

#include <stddef.h>
#include <stdint.h>

#include "enf_daemon.h"
#include "enf_store_zone.h"
#include "util/buf.h"

/* A zone as `zone add` describes it; NULL fields take the defaults. */
typedef struct enf_zone_req {
    const char *name;
    const char *policy;
    const char *signconf;
    const char *in_type; /* "File" or "DNS" */
    const char *input;
    const char *out_type;
    const char *output;
    int suspend;
} enf_zone_req_t;

/* Fill zi (owned strings) from req with the defaults; checks the name, the
 * adapter types and that the policy exists ("Unable to find policy %s
 * needed for adding the zone!"). *pi: the policy's index. */
int enf_zones_prepare(enf_daemon_t *d, const enf_zone_req_t *req, enf_zone_info_t *zi, int *pi,
                      ods_err_t *err);

/* Add the zone (ODS_EEXIST: "Unable to add zone, zone already exists!"),
 * write zones.xml and zonelist.xml, queue "update --all". zi->id is set.
 * Nothing is scheduled for the zone: the caller enforces it when its first
 * keys are in the pool (a daemon that stops meanwhile does it at start). */
int enf_zones_add(enf_daemon_t *d, enf_zone_info_t *zi, ods_err_t *err);

/* Delete a zone ("Unable to delete zone, zone %s not found!"); its keys are
 * released (kept in the HSM until `key purge --delete`). */
int enf_zones_delete(enf_daemon_t *d, const char *name, ods_err_t *err);

/* Delete every zone; *n receives how many. */
int enf_zones_delete_all(enf_daemon_t *d, size_t *n, ods_err_t *err);

/* Move a zone to another policy (the lists are rewritten; the caller
 * enforces the zone once the new policy's keys are in the pool). */
int enf_zones_set_policy(enf_daemon_t *d, const char *name, const char *policy, int64_t *zone_id,
                         ods_err_t *err);

/* Import zonelist.xml (path NULL: ZoneListFile): add new zones, update
 * changed ones, with remove_missing delete the others; one transaction.
 * Lines for the operator are appended to out. */
int enf_zones_import(enf_daemon_t *d, const char *path, int remove_missing, ods_buf_t *out,
                     ods_err_t *err);

/* Write zones.xml and zonelist.xml from the in-memory list and queue
 * "update --all" for the signer. Only zones.xml must be written: failing
 * to update ZoneListFile is logged as a warning. */
int enf_zones_write_lists(enf_daemon_t *d, ods_err_t *err);

/* Look a zone up by name as the operator typed it (any case, trailing dot):
 * ODS_ENOTFOUND with "Unable to find zone %s" when there is none. */
int enf_zones_find(enf_daemon_t *d, const char *name, enf_zone_info_t *zi, ods_err_t *err);

/* Path of the signer's zones.xml (owned by the caller). */
char *enf_zones_signer_list_path(const enf_daemon_t *d);

#endif
