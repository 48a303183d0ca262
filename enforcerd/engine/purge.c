/*
 * purge.c -- step 3 of enf_update(): remove keys dead for Keys/Purge (removeDeadKeys).
 *
 * A key qualifies when its goal is retire and every applicable record is
 * hidden; it is removed once now >= (latest last_change of its records) +
 * Purge, and once no cached version it was part of can matter any more (its
 * change numbers are below the zone's oldest versions; rules.h). The caller
 * gets an ENF_EV_KEY_PURGE event with the key's locator and
 * repository, to delete it from its store and (unless another zone shares
 * it) from the HSM.
 */
#include "engine/internal.h"
#include "engine/versions.h"

static time_t last_change(const enf_key_t *k)
{
    time_t t = -1;
    for (int r = 0; r < ENF_REC_COUNT; r++)
        if (k->rec[r].state != ENF_NA && k->rec[r].last_change > t)
            t = k->rec[r].last_change;
    return t;
}

time_t enf_purge(const enf_policy_t *p, enf_zone_t *z, time_t now, enf_events_t *ev)
{
    time_t ret = -1;
    size_t i = 0;
    while (i < z->nkeys) {
        enf_key_t *k = &z->keys[i];
        if (!enf_key_is_dead(k) || !enf_versions_forgotten(z, k)) {
            i++;
            continue;
        }
        time_t due = last_change(k) + p->purge;
        if (due > now) {
            enf_min_time(due, &ret);
            i++;
            continue;
        }
        enf_events_add(ev, ENF_EV_KEY_PURGE, k,
                       "zone %s: removeDeadKeys deleting key: %s (%s keytag %u)", z->name,
                       k->locator, enf_role_name(k->role), k->keytag);
        enf_zone_remove_key(z, k->id);
        z->signconf_needs_writing = 1;
    }
    return ret;
}
