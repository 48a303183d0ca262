/*
 * view.h -- what operators and the signer see of a key: key list states,
 * what a key waits for, and the signconf flags.
 *
 * Key list state (OpenDNSSEC's map_keystate(), a.10). Let p be the first
 * record of the chain and c the second (KSK: DS and DNSKEY; ZSK: DNSKEY and
 * RRSIG):
 *   active    p and c omnipresent, or (KSK) p rumoured after ds-seen and c omnipresent
 *   introducing: generate (both hidden), publish (either hidden), ready (either
 *             omnipresent or rumoured), unknown otherwise;
 *   retiring:  retire (either unretentive, or both hidden), ready (either
 *             omnipresent or rumoured), retire otherwise.
 * A CSK whose KSK and ZSK views differ is "mixed". Unlike OpenDNSSEC, a
 * retired key whose records are all hidden is shown as "dead".
 *
 * Signconf flags (set_key_flags()): publish = DNSKEY rumoured or omnipresent,
 * ksk = RRSIGDNSKEY rumoured or omnipresent, zsk = RRSIG rumoured or
 * omnipresent; they become <Publish/>, <KSK/> and <ZSK/>.
 *
 * Pure functions of one key; thread-safe.
 */
#ifndef ODS_ENF_VIEW_H
#define ODS_ENF_VIEW_H

#include "engine/model.h"

typedef enum enf_kl {
    ENF_KL_GENERATE,
    ENF_KL_PUBLISH,
    ENF_KL_READY,
    ENF_KL_ACTIVE,
    ENF_KL_RETIRE,
    ENF_KL_DEAD,
    ENF_KL_MIXED,
    ENF_KL_UNKNOWN,
} enf_kl_t;

enf_kl_t enf_key_list_state(const enf_key_t *k);

/* "generate", "publish", "ready", "active", "retire", "dead", "mixed", "unknown". */
const char *enf_kl_name(enf_kl_t s);

/* The state named `name` (case-insensitive), or -1 (for --keystate filters). */
int enf_kl_parse(const char *name);

typedef struct enf_flags {
    int publish;
    int ksk;
    int zsk;
} enf_flags_t;

void enf_key_flags(const enf_key_t *k, enf_flags_t *f);

typedef enum enf_wait {
    ENF_WAIT_NONE,
    ENF_WAIT_DS_SUBMIT,  /* "waiting for ds-submit" */
    ENF_WAIT_DS_SEEN,    /* "waiting for ds-seen" */
    ENF_WAIT_DS_RETRACT, /* "waiting for ds-retract" */
    ENF_WAIT_DS_GONE,    /* "waiting for ds-gone" */
    ENF_WAIT_BACKUP,     /* "waiting for key backup" */
} enf_wait_t;

/* What operator action, if any, the key waits for. */
enf_wait_t enf_key_wait(const enf_key_t *k);

/* The "Date of next transition" text for a waiting key ("waiting for ds-seen"), "" for none. */
const char *enf_wait_text(enf_wait_t w);

/* One line telling the operator what to do next, "" for none; e.g. for
 * ENF_WAIT_DS_SUBMIT: "submit the DS to the parent, then run 'key ds-seen'
 * (ds-submit is optional)". */
const char *enf_wait_action(enf_wait_t w);

#endif
