/*
 * enf_daemon.h -- the enforcer daemon: configuration, database, HSM, event
 * loop (control socket, the enforce timer, signals) and the state shared
 * by the modules that act on it.
 *
 * Everything here runs on the event loop's thread; only the key generation
 * threads (enf_keygen.h) and DS command runners (enf_parent.h) work
 * elsewhere, and they hand their results back through the inbox.
 *
 * Ownership: enf_daemon_new returns an object owned by the caller, freed
 * with enf_daemon_free after enf_daemon_run returned.
 */
#ifndef ENF_DAEMON_H
#define ENF_DAEMON_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "conf/conf.h"
#include "ctl/server.h"
#include "enf_inbox.h"
#include "enf_keygen.h"
#include "enf_policy.h"
#include "enf_store.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "svc/pin.h"
#include "util/status.h"

struct event_base;
struct event;
typedef struct enf_zonelist enf_zonelist_t;
typedef struct enf_signer enf_signer_t;
typedef struct enf_keypool enf_keypool_t;
typedef struct enf_parent enf_parent_t;

/* Zones enforced per timer callback before the loop serves commands again. */
#define ENF_ENFORCE_BATCH 256

typedef struct enf_daemon {
    char *conf_path;
    ods_conf_t *conf;
    struct event_base *base;
    ods_ctl_server_t *ctl;
    enf_inbox_t *inbox;
    enf_store_t *store;
    enf_policies_t *policies;
    ods_hsm_t *hsm;         /* NULL when conf.xml lists no repository */
    ods_hsm_ctx_t *hsm_ctx; /* the loop thread's HSM context */
    enf_keygen_t *keygen;   /* NULL without an HSM */
    ods_svc_login_t *login; /* while a repository waits for `odsctl hsm login` */
    enf_keypool_t *pool;
    enf_zonelist_t *zonelist; /* zones.xml / zonelist.xml */
    enf_signer_t *signer;     /* notifications for the signer */
    enf_parent_t *parent;     /* DelegationSigner commands */
    struct event *timer;      /* the next zone (or salt) due */
    struct ods_svc_signals *signals;
    int64_t next_key_id; /* id for the next key a zone gets */
    time_t timer_at;     /* when the timer fires (-1: not armed) */
    int stopping;
} enf_daemon_t;

/* Everything but the loop: load conf.xml (already checked), open the
 * database, the HSM (after daemonising: the caller's job) and the control
 * socket. err names what failed. */
int enf_daemon_new(const char *conf_path, enf_daemon_t **out, ods_err_t *err);

/* Open the HSM repositories and start key generation (after any fork).
 * A repository without a PIN is not an error: the daemon then waits for
 * `odsctl hsm login` (d->login set), enforcing and generating nothing. */
int enf_daemon_open_hsm(enf_daemon_t *d, ods_err_t *err);

/* `hsm login`: the PIN of repository repo (NULL: the one waiting). Once
 * every repository has its PIN the HSM is opened and the work that waited
 * is scheduled. Errors: see ods_svc_login_give; ODS_EEXIST when the enforcer
 * does not wait for a PIN. Nothing changes on failure. */
int enf_daemon_hsm_login(enf_daemon_t *d, const char *repo, const char *pin, ods_err_t *err);

/* ODS_OK when the HSM is logged in (or no repository is configured);
 * ODS_ESTATE "the HSM is not logged in yet: run `odsctl hsm login`". */
int enf_daemon_hsm_ready(const enf_daemon_t *d, ods_err_t *err);

/* Listen on the control socket (Enforcer/SocketFile), mode 0660, group gid
 * ((gid_t)-1: unchanged). */
int enf_daemon_listen(enf_daemon_t *d, gid_t gid, ods_err_t *err);

/* Run the event loop until stop (SIGTERM, SIGINT, `stop`). */
int enf_daemon_run(enf_daemon_t *d);

/* Ask the loop to stop after the current callback. */
void enf_daemon_stop(enf_daemon_t *d);

void enf_daemon_free(enf_daemon_t *d);

/* Re-arm the timer for the earliest zone or salt due. */
void enf_daemon_reschedule(enf_daemon_t *d);

/* The earliest time something is scheduled (zones, salts); -1 if nothing. */
time_t enf_daemon_next_event(enf_daemon_t *d);

/* Reload the policies from the database after a change. */
int enf_daemon_reload_policies(enf_daemon_t *d, ods_err_t *err);

/* Re-read conf.xml (update conf, SIGHUP); the running one stays on failure. */
int enf_daemon_reload_conf(enf_daemon_t *d, ods_err_t *err);

#endif
