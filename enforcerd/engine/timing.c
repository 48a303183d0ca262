/* timing.c -- TTL tracking and minimum transition times (see timing.h). */
#include "engine/timing.h"

static time_t max_t(time_t a, time_t b)
{
    return a > b ? a : b;
}

static time_t min_t(time_t a, time_t b)
{
    return a < b ? a : b;
}

static time_t negative_ttl(const enf_policy_t *p)
{
    return min_t(p->zone_soa_ttl, p->zone_soa_minimum);
}

static time_t policy_ttl_rs(const enf_policy_t *p)
{
    time_t ttl = p->max_zone_ttl;
    if (p->nsec3)
        ttl = max_t(ttl, p->nsec3param_ttl);
    return max_t(ttl, negative_ttl(p));
}

static void track_one(time_t *last, time_t *end, time_t policy_ttl, time_t now)
{
    if (*last > policy_ttl)
        *end = max_t(*end, now + *last);
    *last = policy_ttl;
}

void enf_ttl_track(const enf_policy_t *p, enf_zone_t *z, time_t now)
{
    track_one(&z->ttl_ds, &z->ttl_end_ds, p->parent_ds_ttl, now);
    track_one(&z->ttl_dk, &z->ttl_end_dk, p->keys_ttl, now);
    track_one(&z->ttl_rs, &z->ttl_end_rs, policy_ttl_rs(p), now);
}

static int has_omnipresent_dnskey(const enf_zone_t *z)
{
    for (size_t i = 0; i < z->nkeys; i++)
        if (z->keys[i].rec[ENF_REC_DNSKEY].state == ENF_OMNIPRESENT)
            return 1;
    return 0;
}

/* The policy's TTL for a record type, with negative answers for a first DNSKEY. */
static time_t policy_ttl(const enf_policy_t *p, const enf_zone_t *z, enf_rec_t type)
{
    switch (type) {
    case ENF_REC_DS:
        return p->parent_ds_ttl;
    case ENF_REC_DNSKEY:
    case ENF_REC_KRRSIG:
        return has_omnipresent_dnskey(z) ? p->keys_ttl : max_t(p->keys_ttl, negative_ttl(p));
    default:
        return policy_ttl_rs(p);
    }
}

static time_t ttl_end(const enf_zone_t *z, enf_rec_t type)
{
    return type == ENF_REC_DS      ? z->ttl_end_ds
           : type == ENF_REC_RRSIG ? z->ttl_end_rs
                                   : z->ttl_end_dk;
}

time_t enf_ttl_effective(const enf_policy_t *p, const enf_zone_t *z, enf_rec_t type, time_t now)
{
    return max_t(policy_ttl(p, z, type), ttl_end(z, type) - now);
}

time_t enf_smooth_extra(const enf_policy_t *p)
{
    time_t extra = p->sig_jitter + max_t(p->sig_validity_default, p->sig_validity_denial) +
                   p->sig_resign - p->sig_refresh;
    return extra > 0 ? extra : 0;
}

/* Until when signatures of y (whose RRSIG is unretentive) may stay in the zone. */
static time_t linger_end(const enf_policy_t *p, const enf_key_t *y)
{
    const enf_record_t *rs = &y->rec[ENF_REC_RRSIG];
    const enf_record_t *dk = &y->rec[ENF_REC_DNSKEY];
    time_t full = rs->last_change + enf_smooth_extra(p);
    if (dk->state == ENF_RUMOURED || dk->state == ENF_OMNIPRESENT)
        return full; /* still published: kept until due for refresh */
    if (dk->last_change > rs->last_change)
        return min_t(full, dk->last_change); /* dropped when unpublished */
    return rs->last_change;
}

/* The latest end of lingering of other keys' signatures of k's algorithm. */
static time_t others_linger_end(const enf_policy_t *p, const enf_zone_t *z, const enf_key_t *k)
{
    time_t end = 0;
    for (size_t i = 0; i < z->nkeys; i++) {
        const enf_key_t *y = &z->keys[i];
        if (y->id == k->id || y->algorithm != k->algorithm)
            continue;
        if (y->rec[ENF_REC_RRSIG].state == ENF_UNRETENTIVE)
            end = max_t(end, linger_end(p, y));
    }
    return end;
}

time_t enf_transition_time(const enf_policy_t *p, const enf_zone_t *z, const enf_key_t *k,
                           enf_rec_t type, enf_state_t next)
{
    const enf_record_t *rec = &k->rec[type];
    if (next == ENF_RUMOURED || next == ENF_UNRETENTIVE)
        return rec->last_change;
    /* The record's TTL covers what was cached when it changed; the policy's
     * covers a TTL raised since. Neither depends on now, so the time computed
     * at one run is the time every later run computes. */
    time_t ttl = max_t(rec->ttl, policy_ttl(p, z, type));
    switch (type) {
    case ENF_REC_DS:
        return rec->last_change + ttl + p->parent_registration_delay + p->parent_propagation_delay;
    case ENF_REC_DNSKEY:
    case ENF_REC_KRRSIG:
        return rec->last_change + ttl + p->zone_propagation_delay +
               (next == ENF_OMNIPRESENT ? p->publish_safety : p->retire_safety);
    default: {
        time_t from = next == ENF_OMNIPRESENT ? max_t(rec->last_change, others_linger_end(p, z, k))
                                              : linger_end(p, k);
        return from + ttl + p->zone_propagation_delay;
    }
    }
}
