/*
 * enf_enforce.h -- running the rule engine on a zone and acting on what it
 * says.
 *
 * One enforcement of a zone is one transaction: load the zone's keys and
 * records, optionally apply an operator's change (ds-seen, rollover, ...),
 * run enf_update(), take new keys from the pool, write the signer
 * configuration when it changed (before the commit, so the database never
 * says a record is published that the signer was not told about), save
 * what changed, commit. Then, outside the transaction: delete purged keys
 * from the HSM, start DelegationSigner commands, log, queue the signer
 * notification, and ask the key pool to refill.
 *
 * DS requests: when a KSK's DS may go to the parent the engine asks to
 * "please submit DS with keytag N for zone Z" (logged as a warning). With a
 * DelegationSignerSubmitCommand it runs in the background and the DS becomes
 * "submitted" when it succeeds; without one the DS becomes "submitted" at
 * once (as OpenDNSSEC 2.1 does), so `key list` says "waiting for ds-seen".
 * Either way `key ds-seen` is accepted straight away. Retracting works the
 * same way with DelegationSignerRetractCommand ("waiting for ds-gone").
 *
 * Thread-safety: event loop only.
 */
#ifndef ENF_ENFORCE_H
#define ENF_ENFORCE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/ds.h"
#include "engine/events.h"
#include "engine/model.h"
#include "enf_daemon.h"
#include "enf_parent.h"

/* A change applied to the zone before the engine runs (inside the
 * transaction). Returns >= 0 to go on (a count the caller gets back in
 * *result), < 0 to roll back (err filled). */
typedef int (*enf_mutate_fn)(enf_daemon_t *d, enf_zone_t *z, const enf_policy_t *p, void *arg,
                             enf_events_t *ev, ods_err_t *err);

/* Enforce zone id now, after fn (may be NULL). *result (may be NULL) gets
 * fn's return value. */
int enf_enforce_zone(enf_daemon_t *d, int64_t zone_id, enf_mutate_fn fn, void *arg, int *result,
                     ods_err_t *err);

/* Enforce up to max zones that are due at now; *done: how many. Signer
 * notifications are sent before returning. */
int enf_enforce_due(enf_daemon_t *d, size_t max, size_t *done, ods_err_t *err);

/* A DelegationSigner command succeeded: move the key's DS on and enforce. */
void enf_enforce_ds_command_done(enf_daemon_t *d, enf_ds_cmd_t kind, const char *zone,
                                 const char *locator);

/* Write the signer configuration of zone id from the database (`signconf`,
 * repair after a failed commit). */
int enf_enforce_write_signconf(enf_daemon_t *d, int64_t zone_id, ods_err_t *err);

#endif
