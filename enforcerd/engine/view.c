/* view.c -- key list states, waiting states and signconf flags (see view.h). */
#include "engine/view.h"

#include <strings.h>

static const char *const kl_names[] = { "generate", "publish", "ready", "active",
                                        "retire",   "dead",    "mixed", "unknown" };

const char *enf_kl_name(enf_kl_t s)
{
    return (unsigned)s <= ENF_KL_UNKNOWN ? kl_names[s] : "unknown";
}

int enf_kl_parse(const char *name)
{
    for (int i = 0; name && i <= ENF_KL_UNKNOWN; i++)
        if (strcasecmp(name, kl_names[i]) == 0)
            return i;
    return -1;
}

static int is_ro(enf_state_t s)
{
    return s == ENF_RUMOURED || s == ENF_OMNIPRESENT;
}

static enf_kl_t map_pair(enf_state_t p, enf_state_t c, int introducing, int dsseen)
{
    if (p == ENF_OMNIPRESENT && c == ENF_OMNIPRESENT)
        return ENF_KL_ACTIVE;
    if (p == ENF_RUMOURED && dsseen && c == ENF_OMNIPRESENT)
        return ENF_KL_ACTIVE;
    if (introducing) {
        if (p == ENF_HIDDEN && c == ENF_HIDDEN)
            return ENF_KL_GENERATE;
        if (p == ENF_HIDDEN || c == ENF_HIDDEN)
            return ENF_KL_PUBLISH;
        return is_ro(p) || is_ro(c) ? ENF_KL_READY : ENF_KL_UNKNOWN;
    }
    if (p == ENF_UNRETENTIVE || c == ENF_UNRETENTIVE)
        return ENF_KL_RETIRE;
    if (p == ENF_HIDDEN && c == ENF_HIDDEN)
        return ENF_KL_RETIRE;
    return is_ro(p) || is_ro(c) ? ENF_KL_READY : ENF_KL_RETIRE;
}

enf_kl_t enf_key_list_state(const enf_key_t *k)
{
    if (enf_key_is_dead(k))
        return ENF_KL_DEAD;
    const enf_record_t *r = k->rec;
    enf_kl_t ks = map_pair(r[ENF_REC_DS].state, r[ENF_REC_DNSKEY].state, k->introducing,
                           k->ds_at_parent == ENF_DSP_SEEN);
    enf_kl_t zs = map_pair(r[ENF_REC_DNSKEY].state, r[ENF_REC_RRSIG].state, k->introducing, 0);
    switch (k->role) {
    case ENF_ROLE_KSK:
        return ks;
    case ENF_ROLE_ZSK:
        return zs;
    case ENF_ROLE_CSK:
        return ks == zs ? ks : ENF_KL_MIXED;
    default:
        return ENF_KL_UNKNOWN;
    }
}

void enf_key_flags(const enf_key_t *k, enf_flags_t *f)
{
    f->publish = is_ro(k->rec[ENF_REC_DNSKEY].state);
    f->ksk = is_ro(k->rec[ENF_REC_KRRSIG].state);
    f->zsk = is_ro(k->rec[ENF_REC_RRSIG].state);
}

static int waits_for_backup(const enf_key_t *k)
{
    if (!k->backup_required || !k->introducing)
        return 0;
    for (int r = 0; r < ENF_REC_COUNT; r++)
        if (k->rec[r].state == ENF_RUMOURED)
            return 1;
    return 0;
}

enf_wait_t enf_key_wait(const enf_key_t *k)
{
    switch (k->ds_at_parent) {
    case ENF_DSP_SUBMIT:
        return ENF_WAIT_DS_SUBMIT;
    case ENF_DSP_SUBMITTED:
        return ENF_WAIT_DS_SEEN;
    case ENF_DSP_RETRACT:
        return ENF_WAIT_DS_RETRACT;
    case ENF_DSP_RETRACTED:
        return ENF_WAIT_DS_GONE;
    default:
        return waits_for_backup(k) ? ENF_WAIT_BACKUP : ENF_WAIT_NONE;
    }
}

const char *enf_wait_text(enf_wait_t w)
{
    switch (w) {
    case ENF_WAIT_DS_SUBMIT:
        return "waiting for ds-submit";
    case ENF_WAIT_DS_SEEN:
        return "waiting for ds-seen";
    case ENF_WAIT_DS_RETRACT:
        return "waiting for ds-retract";
    case ENF_WAIT_DS_GONE:
        return "waiting for ds-gone";
    case ENF_WAIT_BACKUP:
        return "waiting for key backup";
    default:
        return "";
    }
}

const char *enf_wait_action(enf_wait_t w)
{
    switch (w) {
    case ENF_WAIT_DS_SUBMIT:
        return "submit the DS to the parent, then run 'key ds-seen' once the parent publishes "
               "it (ds-submit is optional)";
    case ENF_WAIT_DS_SEEN:
        return "run 'key ds-seen' once the parent publishes the DS";
    case ENF_WAIT_DS_RETRACT:
        return "withdraw the DS at the parent, then run 'key ds-gone' once it is gone "
               "(ds-retract is optional)";
    case ENF_WAIT_DS_GONE:
        return "run 'key ds-gone' once the parent no longer publishes the DS";
    case ENF_WAIT_BACKUP:
        return "back up the key material ('backup prepare', 'backup commit')";
    default:
        return "";
    }
}
