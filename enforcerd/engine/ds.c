/* ds.c -- ds_at_parent transitions and the ds-* operator commands (see ds.h). */
#include "engine/ds.h"

#include <strings.h>

#define BIT(d) (1u << (d))

int enf_ds_waiting_for_user(const enf_key_t *k, enf_rec_t type, enf_state_t next)
{
    if (type != ENF_REC_DS)
        return 0;
    if (next == ENF_OMNIPRESENT)
        return k->ds_at_parent != ENF_DSP_SEEN;
    if (next == ENF_HIDDEN)
        return k->ds_at_parent != ENF_DSP_UNSUBMITTED && k->ds_at_parent != ENF_DSP_GONE;
    return 0;
}

static int set_dsp(enf_key_t *k, enf_dsp_t to)
{
    if (k->ds_at_parent == to)
        return 0;
    k->ds_at_parent = to;
    return 1;
}

int enf_ds_on_transition(enf_key_t *k, enf_state_t next)
{
    enf_dsp_t d = k->ds_at_parent;
    if (next == ENF_RUMOURED) {
        if (d == ENF_DSP_SUBMIT || d == ENF_DSP_SUBMITTED || d == ENF_DSP_SEEN)
            return 0;
        return set_dsp(k, d == ENF_DSP_RETRACT ? ENF_DSP_SUBMITTED : ENF_DSP_SUBMIT);
    }
    if (next == ENF_UNRETENTIVE) {
        if (d == ENF_DSP_SUBMIT || d == ENF_DSP_SUBMITTED || d == ENF_DSP_SEEN)
            return set_dsp(k, ENF_DSP_RETRACT);
    }
    return 0;
}

int enf_key_selected(const enf_key_t *k, const enf_key_select_t *sel)
{
    if (!(k->role & ENF_ROLE_KSK))
        return 0;
    switch (sel->by) {
    case ENF_SELECT_KEYTAG:
        return k->keytag == sel->keytag;
    case ENF_SELECT_LOCATOR:
        return sel->locator && strcasecmp(k->locator, sel->locator) == 0;
    default:
        return 1;
    }
}

static void describe_miss(const enf_zone_t *z, const enf_key_select_t *sel, const char *cmd,
                          ods_err_t *err)
{
    const enf_key_t *hit = NULL;
    for (size_t i = 0; i < z->nkeys && sel->by != ENF_SELECT_ALL; i++)
        if (enf_key_selected(&z->keys[i], sel))
            hit = &z->keys[i];
    if (hit)
        ods_err_set(err, ODS_ENOTFOUND,
                    "zone %s: %s keytag %u (CKA_ID %s) is not waiting for %s: its DS is %s "
                    "and the DS at the parent is '%s'; see 'key list --verbose'",
                    z->name, enf_role_name(hit->role), hit->keytag, hit->locator, cmd,
                    enf_state_name(hit->rec[ENF_REC_DS].state), enf_dsp_name(hit->ds_at_parent));
    else if (sel->by == ENF_SELECT_KEYTAG)
        ods_err_set(err, ODS_ENOTFOUND, "zone %s: no KSK or CSK with keytag %u", z->name,
                    sel->keytag);
    else if (sel->by == ENF_SELECT_LOCATOR)
        ods_err_set(err, ODS_ENOTFOUND, "zone %s: no KSK or CSK with CKA_ID %s", z->name,
                    sel->locator ? sel->locator : "(none)");
    else
        ods_err_set(err, ODS_ENOTFOUND, "zone %s: no KSK or CSK is waiting for %s", z->name, cmd);
}

static int change_keys(enf_zone_t *z, const enf_key_select_t *sel, unsigned from, enf_dsp_t to,
                       time_t now, const char *cmd, enf_events_t *ev, ods_err_t *err)
{
    int n = 0;
    for (size_t i = 0; i < z->nkeys; i++) {
        enf_key_t *k = &z->keys[i];
        if (!enf_key_selected(k, sel) || !(from & BIT(k->ds_at_parent)))
            continue;
        enf_dsp_t was = k->ds_at_parent;
        k->ds_at_parent = to;
        k->rec[ENF_REC_DS].last_change = now;
        n++;
        enf_events_add(ev, ENF_EV_DS_COMMAND, k, "zone %s: %s keytag %u: %s: DS at parent %s -> %s",
                       z->name, enf_role_name(k->role), k->keytag, cmd, enf_dsp_name(was),
                       enf_dsp_name(to));
    }
    if (n == 0)
        describe_miss(z, sel, cmd, err);
    return n ? n : ODS_ENOTFOUND;
}

int enf_ds_submit(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                  ods_err_t *err)
{
    return change_keys(z, sel, BIT(ENF_DSP_SUBMIT), ENF_DSP_SUBMITTED, now, "ds-submit", ev, err);
}

int enf_ds_seen(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                ods_err_t *err)
{
    return change_keys(z, sel, BIT(ENF_DSP_SUBMIT) | BIT(ENF_DSP_SUBMITTED), ENF_DSP_SEEN, now,
                       "ds-seen", ev, err);
}

int enf_ds_retract(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                   ods_err_t *err)
{
    return change_keys(z, sel, BIT(ENF_DSP_RETRACT), ENF_DSP_RETRACTED, now, "ds-retract", ev, err);
}

int enf_ds_gone(enf_zone_t *z, const enf_key_select_t *sel, time_t now, enf_events_t *ev,
                ods_err_t *err)
{
    return change_keys(z, sel, BIT(ENF_DSP_RETRACT) | BIT(ENF_DSP_RETRACTED), ENF_DSP_GONE, now,
                       "ds-gone", ev, err);
}
