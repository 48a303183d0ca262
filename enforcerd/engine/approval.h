/*
 * approval.h -- may a record take its next step? Goal, policy order, DNSSEC validity.
 *
 * enf_desired_state(): the next state on the way to the key's goal
 *   introduce: hidden -> rumoured -> omnipresent (unretentive -> rumoured)
 *   retire:    rumoured/omnipresent -> unretentive -> hidden
 *
 * enf_policy_approval(): the RollType orders moves to rumoured
 * (OpenDNSSEC's policyApproval()):
 *   DS      with the DS minimize bit, only once the DNSKEY is omnipresent;
 *   DNSKEY  with the DNSKEY minimize bit, only once the RRSIG (ZSK roles) or
 *           the DS (KSK roles) is omnipresent, unless the algorithm has no
 *           usable KSK (first key, algorithm rollover);
 *   KRRSIG  once the DNSKEY is no longer hidden;
 *   RRSIG   with the RRSIG minimize bit, only once the DNSKEY is omnipresent,
 *           unless the algorithm has no usable ZSK.
 * and a KRRSIG leaves only once its DNSKEY does (never signing a DNSKEY RRset
 * it is still published in without signing it: OpenDNSSEC's masks give the
 * same order).
 *
 * enf_dnssec_approval(): the rules of rules.h are evaluated before and after
 * the move; the move is allowed iff every rule that held before still holds
 * after (a rule already broken may stay broken, so a bad state can recover).
 *
 * Pure; the zone is changed temporarily inside enf_dnssec_approval() and
 * restored before it returns.
 */
#ifndef ODS_ENF_APPROVAL_H
#define ODS_ENF_APPROVAL_H

#include "engine/model.h"

enf_state_t enf_desired_state(int introducing, enf_state_t state);

int enf_policy_approval(const enf_zone_t *z, const enf_key_t *k, enf_rec_t type, enf_state_t next);

/* allow_unsigned: the policy has no keys, rule 1 is not required. */
int enf_dnssec_approval(enf_zone_t *z, enf_key_t *k, enf_rec_t type, enf_state_t next,
                        int allow_unsigned);

#endif
