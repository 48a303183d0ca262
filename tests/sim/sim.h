/*
 * sim.h -- internals shared by the simulated world's files (world.c,
 * signer.c, parent.c). Tests include world.h.
 */
#ifndef ODS_SIM_SIM_H
#define ODS_SIM_SIM_H

#include "world.h"

enum {
    SIM_PARENT_ADD,      /* the parent publishes the DS of key */
    SIM_PARENT_REMOVE,   /* the parent withdraws it */
    SIM_OP_SEND_SUBMIT,  /* the operator sends the DS to the parent */
    SIM_OP_SEND_RETRACT, /* the operator asks the parent to withdraw it */
    SIM_OP_SEEN,         /* the operator runs ds-seen */
    SIM_OP_GONE,         /* the operator runs ds-gone */
};

/* Queues of timed actions, kept in order (a later push is never due earlier). */
int sim_queue_push(sim_queue_t *q, time_t when, int kind, int64_t key);
time_t sim_queue_next(const sim_queue_t *q); /* SIM_NEVER when empty */
int sim_queue_pop_due(sim_queue_t *q, time_t now, sim_action_t *out);
void sim_queue_free(sim_queue_t *q);

/* The signer, in the world's model (signer.c dispatches). */
void sim_signer_init(sim_world_t *w);
void sim_signer_run(sim_world_t *w);
time_t sim_rrset_ttl(const enf_policy_t *p, int kind);
/* Publish RRset r (signers: the keys of its signatures) and the DNSKEY RRset. */
void sim_signer_publish_rrset(sim_world_t *w, size_t r, const sim_rrset_t *rr);
void sim_signer_publish_dnskey(sim_world_t *w, const sim_set_t *pub, const sim_set_t *ksk,
                               time_t ttl);

void sim_signer_free(sim_world_t *w);

/* The signerd model (signer_sgnd.c). */
void sim_sgnd_init(sim_world_t *w);
void sim_sgnd_run(sim_world_t *w);
void sim_sgnd_free(sim_world_t *w);

void sim_parent_init(sim_world_t *w);
void sim_parent_republish(sim_world_t *w); /* after a DS TTL change */
void sim_parent_process(sim_world_t *w);
void sim_operator_process(sim_world_t *w);
void sim_operator_observe(sim_world_t *w, const enf_events_t *ev);

#endif
