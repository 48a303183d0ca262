/*
 * rules.h -- the three DNSSEC validity rules, evaluated on a zone's record states.
 *
 * What a resolver may hold. A resolver may hold any version of the parent's
 * DS RRset, any version of the DNSKEY RRset (with its RRSIGs) and any version
 * of a data RRset's signatures that some cache can still have, independently.
 * A version is named by a change number v (model.h): a rumoured record is in
 * every version from its arrival on, an unretentive one in the versions
 * between its arrival (or, if it had been omnipresent, any older one) and its
 * withdrawal, an omnipresent one in all, a hidden one in none. Versions older
 * than the zone's oldest version for that RRset (for signatures: for that
 * algorithm, since the signer replaces them per algorithm) are in no cache:
 * it rises when a record becomes omnipresent. A DS or DNSKEY
 * RRset version that contained a record now hidden is in no cache either. A
 * data RRset keeps the signatures of its last complete signing (every active
 * key of that version) minus signatures of now inactive keys that the
 * signer dropped while another inactive key's signature still lingered
 * (timing.h); so a signature version is in no cache only once every key that
 * signed it is hidden, and its worst case is "the active keys of that
 * version plus any single one of its inactive keys".
 *
 * The rules, for one algorithm A (OpenDNSSEC's rule1/rule2/rule3 -- a good
 * key, a record swapped from a key to its successor, or an unsigned state --
 * stated on the versions themselves, so chains of overlapping rollovers are
 * judged exactly, OPENDNSSEC-914):
 *   rule 1  the newest DS RRset is not empty (any algorithm): the zone does not
 *           go insecure (skipped when the policy has no keys);
 *   rule 2  every DS RRset version with a DS of A, combined with every DNSKEY
 *           RRset version, has a DS of A pointing at a DNSKEY of that version
 *           whose signature over it is in that version too;
 *   rule 3  if any DS RRset version has a DS of A, every DNSKEY RRset version
 *           combined with every signature version has, in the worst case
 *           above, a signature of A by a key in that DNSKEY RRset.
 *
 * All functions are pure and thread-safe on distinct or read-only zones.
 */
#ifndef ODS_ENF_RULES_H
#define ODS_ENF_RULES_H

#include "engine/model.h"

enum {
    ENF_RULE1 = 1,
    ENF_RULE2 = 2,
    ENF_RULE3 = 4,
    ENF_RULES_ALL = 7,
};

/* The rules that hold for `algorithm` (ENF_RULE* bits), or -1 if the zone has
 * more keys in play than the evaluator handles (64 of the algorithm, 128 in all). */
int enf_rules_eval(const enf_zone_t *z, int algorithm);

/* 1 if all three rules hold for every algorithm used by the zone's keys (rule 1
 * only if require_ds), 0 otherwise. For tests and previews. */
int enf_rules_zone_valid(const enf_zone_t *z, int require_ds);

/* 1 if, leaving out key `except`, every DS version combined with every DNSKEY
 * version has a working DS->DNSKEY chain of `algorithm` (a usable KSK). */
int enf_rules_usable_ksk(const enf_zone_t *z, int algorithm, const enf_key_t *except);

/* 1 if, leaving out key `except`, every DNSKEY version combined with every
 * signature version has a signing key of `algorithm` in it (a usable ZSK). */
int enf_rules_usable_zsk(const enf_zone_t *z, int algorithm, const enf_key_t *except);

/* Move record `type` of key k (a key of z) to state `next` as the engine
 * does, giving it change number `order`: keeps order_in/order_out right and
 * raises the zone's oldest_* when the move proves older versions gone. Does
 * not touch last_change or ttl. */
void enf_record_move(enf_zone_t *z, enf_key_t *k, enf_rec_t type, enf_state_t next, int64_t order);

#endif
