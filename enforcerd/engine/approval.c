/* approval.c -- goal, RollType order and DNSSEC validity of one move (see approval.h). */
#include "engine/approval.h"

#include "engine/rules.h"

enf_state_t enf_desired_state(int introducing, enf_state_t state)
{
    if (introducing) {
        switch (state) {
        case ENF_HIDDEN:
        case ENF_UNRETENTIVE:
            return ENF_RUMOURED;
        case ENF_RUMOURED:
            return ENF_OMNIPRESENT;
        default:
            return state;
        }
    }
    switch (state) {
    case ENF_RUMOURED:
    case ENF_OMNIPRESENT:
        return ENF_UNRETENTIVE;
    case ENF_UNRETENTIVE:
        return ENF_HIDDEN;
    default:
        return state;
    }
}

static int done_or_na(enf_state_t s)
{
    return s == ENF_OMNIPRESENT || s == ENF_NA;
}

static int dnskey_may_rumour(const enf_zone_t *z, const enf_key_t *k)
{
    if (!(k->minimize & ENF_MIN_DNSKEY))
        return 1;
    if ((k->role & ENF_ROLE_ZSK) && done_or_na(k->rec[ENF_REC_RRSIG].state))
        return 1;
    if ((k->role & ENF_ROLE_KSK) && done_or_na(k->rec[ENF_REC_DS].state))
        return 1;
    /* The DS cannot go first without a working chain: algorithm rollover or first key. */
    return !enf_rules_usable_ksk(z, k->algorithm, k);
}

static int rrsig_may_rumour(const enf_zone_t *z, const enf_key_t *k)
{
    if (!(k->minimize & ENF_MIN_RRSIG))
        return 1;
    if (k->rec[ENF_REC_DNSKEY].state == ENF_OMNIPRESENT)
        return 1;
    return !enf_rules_usable_zsk(z, k->algorithm, k);
}

int enf_policy_approval(const enf_zone_t *z, const enf_key_t *k, enf_rec_t type, enf_state_t next)
{
    if (next != ENF_RUMOURED)
        return 1;
    switch (type) {
    case ENF_REC_DS:
        return !(k->minimize & ENF_MIN_DS) || k->rec[ENF_REC_DNSKEY].state == ENF_OMNIPRESENT;
    case ENF_REC_DNSKEY:
        return dnskey_may_rumour(z, k);
    case ENF_REC_KRRSIG:
        return k->rec[ENF_REC_DNSKEY].state != ENF_HIDDEN;
    default:
        return rrsig_may_rumour(z, k);
    }
}

int enf_dnssec_approval(enf_zone_t *z, enf_key_t *k, enf_rec_t type, enf_state_t next,
                        int allow_unsigned)
{
    int before = enf_rules_eval(z, k->algorithm);
    enf_record_t saved = k->rec[type];
    enf_oldest_t saved_oldest = z->oldest;
    enf_record_move(z, k, type, next, z->order + 1);
    int after = enf_rules_eval(z, k->algorithm);
    k->rec[type] = saved;
    z->oldest = saved_oldest;
    if (before < 0 || after < 0)
        return 0; /* too many keys to judge: do not move */
    int valid = (~before | after) & ENF_RULES_ALL;
    if (allow_unsigned)
        valid |= ENF_RULE1;
    return valid == ENF_RULES_ALL;
}
