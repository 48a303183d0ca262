/* model.c -- zones, keys and policies as plain data (see model.h). */
#include "engine/model.h"

#include "util/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *enf_state_name(enf_state_t s)
{
    static const char *const names[] = { "hidden", "rumoured", "omnipresent", "unretentive", "NA" };
    return (unsigned)s < 5 ? names[s] : "invalid";
}

const char *enf_role_name(int role)
{
    switch (role) {
    case ENF_ROLE_KSK:
        return "KSK";
    case ENF_ROLE_ZSK:
        return "ZSK";
    case ENF_ROLE_CSK:
        return "CSK";
    default:
        return "invalid";
    }
}

const char *enf_rec_name(enf_rec_t r)
{
    static const char *const names[] = { "DS", "DNSKEY", "RRSIGDNSKEY", "RRSIG" };
    return (unsigned)r < ENF_REC_COUNT ? names[r] : "invalid";
}

const char *enf_dsp_name(enf_dsp_t d)
{
    static const char *const names[] = { "unsubmitted", "submit",    "submitted", "seen",
                                         "retract",     "retracted", "gone" };
    return (unsigned)d < 7 ? names[d] : "invalid";
}

int enf_rolltype_minimize(const char *rolltype)
{
    static const struct {
        const char *name;
        int minimize;
    } table[] = {
        { "KskDoubleRRset", 0 },
        { "KskDoubleDS", ENF_MIN_DNSKEY },
        { "KskDoubleSignature", ENF_MIN_DS },
        { "ZskDoubleSignature", 0 },
        { "ZskPrePublication", ENF_MIN_RRSIG },
        { "ZskDoubleRRsig", ENF_MIN_DNSKEY },
        { "CskDoubleRRset", 0 },
        { "CskSingleSignature", ENF_MIN_RRSIG },
        { "CskDoubleDS", ENF_MIN_DNSKEY },
        { "CskDoubleSignature", ENF_MIN_DS },
        { "CskPrePublication", ENF_MIN_DS | ENF_MIN_RRSIG },
    };
    if (!rolltype)
        return -1;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcasecmp(rolltype, table[i].name) == 0)
            return table[i].minimize;
    return -1;
}

int enf_rolltype_default(int role)
{
    switch (role) {
    case ENF_ROLE_KSK:
        return ENF_MIN_DS; /* KskDoubleSignature */
    case ENF_ROLE_ZSK:
        return ENF_MIN_RRSIG; /* ZskPrePublication */
    default:
        return ENF_MIN_DS | ENF_MIN_RRSIG; /* CskPrePublication */
    }
}

void enf_policy_init(enf_policy_t *p, const char *name)
{
    memset(p, 0, sizeof(*p));
    if (name)
        snprintf(p->name, sizeof(p->name), "%s", name);
    p->purge = -1;
}

int enf_policy_add_key(enf_policy_t *p, const enf_policy_key_t *pk)
{
    if (p->nkeys >= ENF_POLICY_KEYS_MAX)
        return ODS_EFULL;
    p->keys[p->nkeys++] = *pk;
    return ODS_OK;
}

void enf_key_init(enf_key_t *k, int role, time_t now)
{
    memset(k, 0, sizeof(*k));
    k->role = role;
    k->inception = now;
    k->introducing = 1;
    k->ds_at_parent = ENF_DSP_UNSUBMITTED;
    for (int r = 0; r < ENF_REC_COUNT; r++) {
        k->rec[r].state = ENF_HIDDEN;
        k->rec[r].last_change = now;
    }
    if (!(role & ENF_ROLE_KSK)) {
        k->rec[ENF_REC_DS].state = ENF_NA;
        k->rec[ENF_REC_KRRSIG].state = ENF_NA;
    }
    if (!(role & ENF_ROLE_ZSK))
        k->rec[ENF_REC_RRSIG].state = ENF_NA;
}

enf_zone_t *enf_zone_new(const char *name)
{
    enf_zone_t *z = calloc(1, sizeof(*z));
    if (!z)
        return NULL;
    if (name)
        snprintf(z->name, sizeof(z->name), "%s", name);
    z->next_change = -1;
    return z;
}

void enf_zone_free(enf_zone_t *z)
{
    if (!z)
        return;
    free(z->keys);
    free(z);
}

enf_zone_t *enf_zone_copy(const enf_zone_t *z)
{
    enf_zone_t *c = malloc(sizeof(*c));
    if (!c)
        return NULL;
    *c = *z;
    c->keys = NULL;
    c->cap = 0;
    if (z->nkeys) {
        c->keys = malloc(z->nkeys * sizeof(*c->keys));
        if (!c->keys) {
            free(c);
            return NULL;
        }
        memcpy(c->keys, z->keys, z->nkeys * sizeof(*c->keys));
        c->cap = z->nkeys;
    }
    return c;
}

int enf_zone_reserve(enf_zone_t *z, size_t n)
{
    if (z->nkeys + n <= z->cap)
        return ODS_OK;
    size_t cap = z->cap ? z->cap * 2 : 8;
    while (cap < z->nkeys + n)
        cap *= 2;
    enf_key_t *keys = realloc(z->keys, cap * sizeof(*keys));
    if (!keys)
        return ODS_ENOMEM;
    z->keys = keys;
    z->cap = cap;
    return ODS_OK;
}

int enf_zone_add_key(enf_zone_t *z, const enf_key_t *k)
{
    if (enf_zone_find_key(z, k->id))
        return ODS_EEXIST;
    int rc = enf_zone_reserve(z, 1);
    if (rc != ODS_OK)
        return rc;
    z->keys[z->nkeys++] = *k;
    return ODS_OK;
}

enf_key_t *enf_zone_find_key(const enf_zone_t *z, int64_t id)
{
    for (size_t i = 0; i < z->nkeys; i++)
        if (z->keys[i].id == id)
            return &z->keys[i];
    return NULL;
}

int enf_zone_remove_key(enf_zone_t *z, int64_t id)
{
    enf_key_t *k = enf_zone_find_key(z, id);
    if (!k)
        return ODS_ENOTFOUND;
    size_t i = (size_t)(k - z->keys);
    memmove(&z->keys[i], &z->keys[i + 1], (z->nkeys - i - 1) * sizeof(*k));
    z->nkeys--;
    return ODS_OK;
}

int enf_key_is_dead(const enf_key_t *k)
{
    if (k->introducing)
        return 0;
    for (int r = 0; r < ENF_REC_COUNT; r++)
        if (k->rec[r].state != ENF_HIDDEN && k->rec[r].state != ENF_NA)
            return 0;
    return 1;
}
