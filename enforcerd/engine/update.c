/* update.c -- enf_update() and enf_rollover() (see update.h). */
#include "engine/internal.h"

/* The keys waiting for a DS request, in the order their DS records moved. */
static size_t waiting_ds(const enf_zone_t *z, const enf_key_t **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < z->nkeys && n < max; i++) {
        const enf_key_t *k = &z->keys[i];
        if (k->ds_at_parent != ENF_DSP_SUBMIT && k->ds_at_parent != ENF_DSP_RETRACT)
            continue;
        size_t j = n++;
        while (j > 0 && out[j - 1]->rec[ENF_REC_DS].order > k->rec[ENF_REC_DS].order) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = k;
    }
    return n;
}

/*
 * OpenDNSSEC's enforce task logs these for every waiting key after every run.
 * They come in the order the DS records moved, which is the order the parent
 * must apply them in: a DS is withdrawn only after the DS that replaces it was
 * asked for. `fresh` marks the keys whose DS moved in this run (start: the
 * zone's change number before it).
 */
static void remind_ds(const enf_zone_t *z, int64_t start, enf_events_t *ev)
{
    const enf_key_t *keys[64];
    size_t n = waiting_ds(z, keys, 64);
    for (size_t i = 0; ev && i < n; i++) {
        const enf_key_t *k = keys[i];
        int submit = k->ds_at_parent == ENF_DSP_SUBMIT;
        size_t before = ev->count;
        enf_events_add(ev, submit ? ENF_EV_DS_SUBMIT : ENF_EV_DS_RETRACT, k,
                       "please %s DS with keytag %u for zone %s", submit ? "submit" : "retract",
                       k->keytag, z->name);
        if (ev->count > before)
            ev->ev[before].fresh = k->rec[ENF_REC_DS].order > start;
    }
}

time_t enf_update(const enf_policy_t *p, enf_zone_t *z, time_t now, enf_key_source_t *src,
                  enf_events_t *ev)
{
    int allow_unsigned = 0;
    int64_t start = z->order;
    time_t next = enf_policy_update(p, z, now, src, ev, &allow_unsigned);
    enf_min_time(enf_zone_update(p, z, now, allow_unsigned, ev), &next);
    if (p->purge >= 0)
        enf_min_time(enf_purge(p, z, now, ev), &next);
    remind_ds(z, start, ev);
    if (z->signconf_needs_writing)
        enf_events_add(ev, ENF_EV_SIGNCONF, NULL, "zone %s: signconf needs writing", z->name);
    z->next_change = next;
    return next;
}

int enf_rollover(enf_zone_t *z, const enf_policy_t *p, int role, ods_err_t *err)
{
    int n = 0;
    for (size_t i = 0; i < p->nkeys; i++) {
        int r = p->keys[i].role;
        if (role != 0 && r != role)
            continue;
        if (r == ENF_ROLE_KSK)
            z->roll_ksk_now = 1;
        else if (r == ENF_ROLE_ZSK)
            z->roll_zsk_now = 1;
        else
            z->roll_csk_now = 1;
        n++;
    }
    if (n == 0)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "zone %s: policy %s has no %s; roll the keys it has (key list shows "
                           "their roles)",
                           z->name, p->name, role ? enf_role_name(role) : "keys");
    return n;
}
