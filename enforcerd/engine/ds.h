/*
 * ds.h -- the DS handshake between the enforcer, the operator and the parent.
 *
 * The engine moves ds_at_parent when a key's DS record moves (a.8):
 *   DS -> rumoured:    RETRACT -> SUBMITTED (re-introduction); SUBMIT, SUBMITTED,
 *                      SEEN unchanged; anything else -> SUBMIT ("please submit DS").
 *   DS -> unretentive: SUBMIT, SUBMITTED, SEEN -> RETRACT ("please retract DS");
 *                      UNSUBMITTED, RETRACT, RETRACTED, GONE unchanged.
 * Unlike OpenDNSSEC, SUBMIT -> RETRACT rather than UNSUBMITTED: once asked to
 * submit, the operator may have sent the DS without telling us (ds-seen is
 * accepted from SUBMIT), so we ask for it to be withdrawn and wait for
 * ds-gone rather than assume it was never sent.
 * A DS waits for the operator: to become omnipresent it needs SEEN, to become
 * hidden UNSUBMITTED or GONE.
 *
 * Operator commands (pure state changes on KSK and CSK keys):
 *   enf_ds_submit   SUBMIT -> SUBMITTED
 *   enf_ds_seen     SUBMIT or SUBMITTED -> SEEN
 *   enf_ds_retract  RETRACT -> RETRACTED
 *   enf_ds_gone     RETRACT or RETRACTED -> GONE
 * Each change also sets the DS record's last_change to now, so the DS timing
 * (DS TTL + RegistrationDelay + Parent/PropagationDelay) runs from the
 * command. They return the number of keys changed (> 0), or ODS_ENOTFOUND
 * with a message naming the zone and the key when nothing was waiting; the
 * caller should run enf_update() afterwards.
 *
 * Not thread-safe; changes the zone in place.
 */
#ifndef ODS_ENF_DS_H
#define ODS_ENF_DS_H

#include "engine/events.h"
#include "engine/model.h"
#include "util/status.h"

typedef enum enf_select_by {
    ENF_SELECT_ALL,     /* every KSK/CSK in the "from" state */
    ENF_SELECT_KEYTAG,  /* the key with this keytag */
    ENF_SELECT_LOCATOR, /* the key with this CKA_ID (case-insensitive hex) */
} enf_select_by_t;

typedef struct enf_key_select {
    enf_select_by_t by;
    uint16_t keytag;
    const char *locator;
} enf_key_select_t;

/* 1 if record `type` of k cannot move to `next` before an operator command. */
int enf_ds_waiting_for_user(const enf_key_t *k, enf_rec_t type, enf_state_t next);

/* Update k->ds_at_parent for its DS record moving to `next`; 1 if it changed. */
int enf_ds_on_transition(enf_key_t *k, enf_state_t next);

/* 1 if the key matches the selection (role, keytag or locator; not the state). */
int enf_key_selected(const enf_key_t *k, const enf_key_select_t *sel);

int enf_ds_submit(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                  ods_err_t *err);
int enf_ds_seen(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                ods_err_t *err);
int enf_ds_retract(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                   ods_err_t *err);
int enf_ds_gone(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                ods_err_t *err);

#endif
