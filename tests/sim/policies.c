/* policies.c -- policies for the simulations (see policies.h). */
#include "policies.h"

#include <string.h>

static void add_key(enf_policy_t *p, int role, int alg, int bits, time_t lifetime)
{
    enf_policy_key_t pk;
    memset(&pk, 0, sizeof(pk));
    pk.role = role;
    pk.algorithm = alg;
    pk.bits = bits;
    pk.lifetime = lifetime;
    strcpy(pk.repository, "SoftHSM");
    pk.minimize = enf_rolltype_default(role);
    enf_policy_add_key(p, &pk);
}

void sim_policy_default(enf_policy_t *p, int layout)
{
    enf_policy_init(p, "default");
    p->sig_resign = 2 * SIM_HOUR;
    p->sig_refresh = 3 * SIM_DAY;
    p->sig_validity_default = 14 * SIM_DAY;
    p->sig_validity_denial = 14 * SIM_DAY;
    p->sig_jitter = 12 * SIM_HOUR;
    p->max_zone_ttl = SIM_DAY;
    p->nsec3 = 1;
    p->nsec3param_ttl = SIM_HOUR;
    p->keys_ttl = SIM_HOUR;
    p->retire_safety = SIM_HOUR;
    p->publish_safety = SIM_HOUR;
    p->purge = 14 * SIM_DAY;
    p->zone_propagation_delay = 12 * SIM_HOUR;
    p->zone_soa_ttl = SIM_HOUR;
    p->zone_soa_minimum = SIM_HOUR;
    p->parent_propagation_delay = 9999;
    p->parent_ds_ttl = SIM_HOUR;
    p->parent_registration_delay = 0;
    if (layout == SIM_CSK) {
        add_key(p, ENF_ROLE_CSK, 13, 256, 365 * SIM_DAY);
    } else {
        add_key(p, ENF_ROLE_KSK, 8, 2048, 365 * SIM_DAY);
        add_key(p, ENF_ROLE_ZSK, 8, 1024, 90 * SIM_DAY);
    }
}

enf_policy_key_t *sim_policy_key(enf_policy_t *p, int role)
{
    for (size_t i = 0; i < p->nkeys; i++)
        if (p->keys[i].role == role)
            return &p->keys[i];
    return NULL;
}

void sim_policy_set_algorithm(enf_policy_t *p, int algorithm)
{
    for (size_t i = 0; i < p->nkeys; i++) {
        enf_policy_key_t *pk = &p->keys[i];
        pk->algorithm = algorithm;
        if (algorithm == 13 || algorithm == 15)
            pk->bits = algorithm == 13 ? 256 : 255;
        else
            pk->bits = pk->role & ENF_ROLE_KSK ? 2048 : 1024;
    }
}
