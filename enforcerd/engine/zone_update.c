/*
 * zone_update.c -- step 2 of enf_update(): move records until nothing can move (updateZone).
 *
 * Every pass visits every key and its records in the order DS, DNSKEY,
 * RRSIGDNSKEY, RRSIG; a move restarts the search until a whole pass moves
 * nothing, so a KRRSIG can follow its DNSKEY, or an old key's record leave
 * right after its successor's arrived, in the same run. The result is the
 * earliest time at which a move was refused only because it was too early.
 */
#include "engine/approval.h"
#include "engine/ds.h"
#include "engine/internal.h"
#include "engine/rules.h"
#include "engine/timing.h"

static void announce(const enf_zone_t *z, const enf_key_t *k, enf_rec_t type, enf_state_t from,
                     enf_state_t to, enf_events_t *ev)
{
    enf_events_add(ev, ENF_EV_TRANSITION, k, "zone %s: %s keytag %u (CKA_ID %s) %s %s -> %s",
                   z->name, enf_role_name(k->role), k->keytag, k->locator, enf_rec_name(type),
                   enf_state_name(from), enf_state_name(to));
}

static int backup_reported(const enf_events_t *ev, const enf_key_t *k)
{
    for (size_t i = 0; ev && i < ev->count; i++)
        if (ev->ev[i].type == ENF_EV_BACKUP && ev->ev[i].key_id == k->id)
            return 1;
    return 0;
}

static void make_move(const enf_policy_t *p, enf_zone_t *z, enf_key_t *k, enf_rec_t type,
                      enf_state_t next, time_t now, enf_events_t *ev)
{
    enf_record_t *rec = &k->rec[type];
    enf_state_t from = rec->state;
    if (type == ENF_REC_DS)
        enf_ds_on_transition(k, next);
    enf_record_move(z, k, type, next, ++z->order);
    rec->last_change = now;
    rec->ttl = enf_ttl_effective(p, z, type, now);
    z->signconf_needs_writing = 1;
    announce(z, k, type, from, next, ev);
}

/* The checks after the goal: operator, policy order, validity, timing, backup. */
static int may_move(const enf_policy_t *p, enf_zone_t *z, enf_key_t *k, enf_rec_t type,
                    enf_state_t next, time_t now, int allow_unsigned, time_t *ret, enf_events_t *ev)
{
    if (enf_ds_waiting_for_user(k, type, next))
        return 0;
    if (!enf_policy_approval(z, k, type, next))
        return 0;
    if (!enf_dnssec_approval(z, k, type, next, allow_unsigned))
        return 0;
    time_t t = enf_transition_time(p, z, k, type, next);
    if (t > now) {
        enf_min_time(t, ret);
        return 0;
    }
    if (next == ENF_OMNIPRESENT && k->backup_required) {
        if (!backup_reported(ev, k))
            enf_events_add(ev, ENF_EV_BACKUP, k,
                           "zone %s: Ready for transition but key material not backed up yet "
                           "(%s)",
                           z->name, k->locator);
        enf_min_time(now + ENF_BACKUP_RETRY, ret);
        return 0;
    }
    return 1;
}

/* Try to move one record toward its goal. 1 if it moved; *ret gets the time
 * of a move refused only because it is too early. */
static int try_move(const enf_policy_t *p, enf_zone_t *z, enf_key_t *k, enf_rec_t type, time_t now,
                    int allow_unsigned, time_t *ret, enf_events_t *ev)
{
    enf_state_t next = enf_desired_state(k->introducing, k->rec[type].state);
    if (next == k->rec[type].state || !may_move(p, z, k, type, next, now, allow_unsigned, ret, ev))
        return 0;
    make_move(p, z, k, type, next, now, ev);
    return 1;
}

/* One pass over every record; 1 if anything moved. */
static int pass(const enf_policy_t *p, enf_zone_t *z, time_t now, int allow_unsigned, time_t *ret,
                enf_events_t *ev)
{
    int moved = 0;
    for (size_t i = 0; i < z->nkeys; i++)
        for (int r = 0; r < ENF_REC_COUNT; r++)
            moved |= try_move(p, z, &z->keys[i], (enf_rec_t)r, now, allow_unsigned, ret, ev);
    return moved;
}

time_t enf_zone_update(const enf_policy_t *p, enf_zone_t *z, time_t now, int allow_unsigned,
                       enf_events_t *ev)
{
    time_t ret;
    enf_ttl_track(p, z, now);
    do
        ret = -1; /* the last pass, which moves nothing, has the complete list */
    while (pass(p, z, now, allow_unsigned, &ret, ev));
    return ret;
}
