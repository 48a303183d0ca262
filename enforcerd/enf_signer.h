/*
 * enf_signer.h -- telling the signer what changed, over its control socket
 * (Signer/SocketFile in conf.xml).
 *
 * After a zone's signer configuration changed: {"update", ZONE}; after the
 * zone list (zones.xml) changed: {"update", "--all"}; after `time leap`:
 * {"time", "leap", "--time", EPOCH}. Notifications are collected while a
 * command or a timer pass runs and sent together by enf_signer_flush, once
 * per zone; when the zone list changed, or too many zones did, one
 * "update --all" replaces them. A signer that is not running is logged at
 * info, not as an error: it reads everything when it starts.
 *
 * Ownership: enf_signer_new returns an owned object. Thread-safety: none.
 */
#ifndef ENF_SIGNER_H
#define ENF_SIGNER_H

#include <time.h>

#include "conf/conf.h"
#include "util/status.h"

/* More pending zones than this are sent as one "update --all". */
#define ENF_SIGNER_MAX_ZONES 64

/* How long one call to the signer may take (milliseconds). */
#define ENF_SIGNER_TIMEOUT_MS 5000

typedef struct enf_signer enf_signer_t;

int enf_signer_new(enf_signer_t **out);
void enf_signer_free(enf_signer_t *s);

/* Note that a zone's signer configuration changed. */
void enf_signer_zone_changed(enf_signer_t *s, const char *zone);

/* Note that the zone list changed. */
void enf_signer_list_changed(enf_signer_t *s);

/* Send what is pending; returns the number of calls that reached the signer. */
int enf_signer_flush(enf_signer_t *s, const ods_conf_t *conf);

/* Move the signer's clock to t. ODS_OK, or the error of the call (err). */
int enf_signer_time_leap(const ods_conf_t *conf, time_t t, ods_err_t *err);

/* Send one command (argv[0..argc)) to the signer; ODS_OK when it answered
 * with exit status 0. ODS_ENOTFOUND when it is not running. */
int enf_signer_call(const ods_conf_t *conf, int argc, char *const *argv, ods_err_t *err);

#endif
