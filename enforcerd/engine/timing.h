/*
 * timing.h -- when a record may move, given TTLs, delays and safety margins.
 *
 * OpenDNSSEC's minTransitionTime():
 *   to rumoured or unretentive: at once;
 *   DS to omnipresent/hidden:      last_change + TTL + RegistrationDelay + Parent/PropagationDelay
 *   DNSKEY, KRRSIG:                last_change + TTL + Zone/PropagationDelay
 *                                  + PublishSafety (to omnipresent) or RetireSafety (to hidden)
 *   RRSIG:                         last_change + TTL + Zone/PropagationDelay
 *                                  (+ the time old signatures may linger, see below)
 * TTL is the larger of the record's TTL and the policy's TTL now (DS:
 * Parent/DS/TTL; DNSKEY: Keys/TTL, and while no DNSKEY is omnipresent at
 * least min(SOA TTL, SOA Minimum) for cached negative answers; RRSIG:
 * max(MaxZoneTTL, NSEC3 TTL, min(SOA TTL, SOA Minimum))). The record's TTL
 * is the effective TTL when it last changed: the policy's, raised after a
 * TTL was shortened to what is left of the old one (enf_ttl_track), so a
 * shortened TTL still counts for records that changed while the old one
 * could be cached. OpenDNSSEC instead adds what is left of the old TTL at
 * the time of evaluation to last_change, which can be too little (a record
 * changed long before the evaluation) and makes the time depend on when the
 * engine happens to run.
 *
 * Lingering signatures. The signer keeps the signatures of a key that is
 * still published but no longer active until they are due for refresh, and a
 * newly active key of the same algorithm only replaces them as they come due:
 * at most Jitter + max(Validity/Default, Validity/Denial) + Resign - Refresh
 * after the old key stopped signing (the "smooth ZSK" time). So a key's RRSIG
 * becomes omnipresent no earlier than every other key's lingering has ended,
 * and an unretentive RRSIG becomes hidden no earlier than its own has ended.
 * OpenDNSSEC adds this time only when the keys' DNSKEYs are omnipresent; we
 * add it whenever the old key's DNSKEY is published, which also covers a key
 * retired while its DNSKEY was only rumoured.
 *
 * Pure functions; thread-safe on distinct zones.
 */
#ifndef ODS_ENF_TIMING_H
#define ODS_ENF_TIMING_H

#include "engine/model.h"

/* Note TTL changes of the policy: after a TTL was shortened, the old TTL keeps
 * counting until it has run out (sets ttl_end_* and ttl_* of the zone). */
void enf_ttl_track(const enf_policy_t *p, enf_zone_t *z, time_t now);

/* The TTL in force now for record type `type`: the policy's, or what is left
 * of a longer one that was shortened (stored with a record when it changes). */
time_t enf_ttl_effective(const enf_policy_t *p, const enf_zone_t *z, enf_rec_t type, time_t now);

/* Jitter + max(Validity/Default, Validity/Denial) + Resign - Refresh, at least 0. */
time_t enf_smooth_extra(const enf_policy_t *p);

/* The earliest time record `type` of key k may move to `next`. */
time_t enf_transition_time(const enf_policy_t *p, const enf_zone_t *z, const enf_key_t *k,
                           enf_rec_t type, enf_state_t next);

#endif
