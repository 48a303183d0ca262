/*
 * enf_setup.h -- loading the configuration files into the database:
 * `policy import` (kasp.xml), `setup` (wipe, then kasp.xml and
 * zonelist.xml), `update all`, and settling: giving the zones their first
 * keys and enforcing every zone that is due before the command answers.
 *
 * Thread-safety: event loop only.
 */
#ifndef ENF_SETUP_H
#define ENF_SETUP_H

#include "enf_cmd.h"
#include "enf_daemon.h"

/* Import PolicyFile: create/update policies (out gets the per-policy lines),
 * reload them, schedule the zones of changed policies, resalt, plan keys. */
int enf_setup_policies(enf_daemon_t *d, int remove_missing, ods_buf_t *out, ods_err_t *err);

/* Delete every policy, zone and key from the database and empty zones.xml. */
int enf_setup_wipe(enf_daemon_t *d, ods_err_t *err);

/* Wipe, then import kasp.xml and zonelist.xml (no keys yet: the zones are
 * due, and get their keys when the daemon runs). */
int enf_setup_all(enf_daemon_t *d, ods_buf_t *out, ods_err_t *err);

/* Ask for the keys due zones need now, then (when they are made) enforce
 * every due zone and finish r with `status`. Returns ENF_CMD_PENDING when
 * it waits, else `status` after enforcing. */
int enf_settle(enf_daemon_t *d, enf_reply_t *r, int status);

/* Enforce every zone that is due, in batches, until none is. */
void enf_settle_now(enf_daemon_t *d);

#endif
