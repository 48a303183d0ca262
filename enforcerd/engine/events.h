/*
 * events.h -- what an engine run asks its caller to do, and what it did.
 *
 * enf_update() and the operator commands append events; the caller acts on
 * them (write the signconf, run DelegationSignerSubmitCommand, delete a key
 * from the HSM, log). Texts are complete sentences; the ones operators and
 * test suites grep for are OpenDNSSEC's, e.g.
 *   "please submit DS with keytag 12345 for zone example.com".
 *
 * Ownership: the caller owns the enf_events_t (enf_events_init / _free); each
 * event is stored by value. If an append fails for lack of memory the event
 * is dropped and `status` becomes ODS_ENOMEM: the caller must then treat the
 * run as incomplete (rewrite the signconf, re-read the DS states).
 * Thread-safety: none.
 */
#ifndef ODS_ENF_EVENTS_H
#define ODS_ENF_EVENTS_H

#include "engine/model.h"

typedef enum enf_event_type {
    ENF_EV_TRANSITION, /* a record changed state (text says which) */
    ENF_EV_SIGNCONF,   /* the zone's signer configuration must be rewritten */
    ENF_EV_DS_SUBMIT,  /* "please submit DS with keytag %u for zone %s" */
    ENF_EV_DS_RETRACT, /* "please retract DS with keytag %u for zone %s"; DS requests
                        * come in the order the parent must apply them */
    ENF_EV_KEY_NEW,    /* a key was added to the zone */
    ENF_EV_KEY_RETIRE, /* a key's goal became "retire" */
    ENF_EV_KEY_PURGE,  /* a dead key was removed: delete it from the store and the HSM */
    ENF_EV_NO_KEYS,    /* no key material available, retry in 60 s */
    ENF_EV_BACKUP,     /* a transition waits for the key material to be backed up */
    ENF_EV_LIFETIME,   /* a policy key's lifetime is too short, no key inserted */
    ENF_EV_UNSIGNED,   /* the policy has no keys: the zone becomes unsigned */
    ENF_EV_DS_COMMAND, /* an operator ds-* command changed a key */
} enf_event_type_t;

typedef struct enf_event {
    enf_event_type_t type;
    int64_t key_id; /* 0 when the event is about the zone */
    int role;
    int algorithm;
    uint16_t keytag;
    int fresh; /* DS_SUBMIT/DS_RETRACT: 1 if the key entered that state in this run */
    char locator[ENF_LOCATOR_MAX];
    char repository[ENF_REPO_MAX];
    char text[320];
} enf_event_t;

typedef struct enf_events {
    enf_event_t *ev;
    size_t count;
    size_t cap;
    int status; /* ODS_OK, or ODS_ENOMEM if an event or a key could not be stored */
} enf_events_t;

void enf_events_init(enf_events_t *e);
void enf_events_free(enf_events_t *e);

/* Forget the events (keeps the memory). */
void enf_events_clear(enf_events_t *e);

/* Append an event about key k (NULL: about the zone) with a printf-style text.
 * e may be NULL (the event is discarded). */
void enf_events_add(enf_events_t *e, enf_event_type_t type, const enf_key_t *k, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

/* Number of events of this type. */
size_t enf_events_count(const enf_events_t *e, enf_event_type_t type);

/* 1 if the run changed the zone's keys (transition, new, retired or purged key). */
int enf_events_changed(const enf_events_t *e);

#endif
