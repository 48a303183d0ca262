/* enf_daemon.c -- the daemon's objects, event loop and timer (see enf_daemon.h). */
#include "enf_daemon.h"

#include <event2/event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "conf/diag.h"
#include "enf_cmd.h"
#include "enf_enforce.h"
#include "enf_keypool.h"
#include "enf_parent.h"
#include "enf_resalt.h"
#include "enf_signer.h"
#include "enf_store_zone.h"
#include "enf_zonelist.h"
#include "log/log.h"
#include "svc/pin.h"
#include "svc/signals.h"
#include "util/clock.h"

#define ENF_TIMER_MAX 3600 /* look again at least hourly (clock changes) */

static int load_conf(const char *path, ods_conf_t **out, ods_err_t *err)
{
    ods_diag_t *diag = ods_diag_new();
    if (!diag)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = ods_conf_load(path, out, diag);
    if (rc != ODS_OK && ods_diag_to_err(diag, rc, err) == ODS_OK)
        ods_err_set(err, rc, "cannot load %s", path);
    ods_diag_free(diag);
    return rc;
}

int enf_daemon_reload_policies(enf_daemon_t *d, ods_err_t *err)
{
    enf_policies_t *ps;
    int rc = enf_policies_load(d->store, &ps, err);
    if (rc != ODS_OK)
        return rc;
    enf_policies_free(d->policies);
    d->policies = ps;
    return ODS_OK;
}

static int open_state(enf_daemon_t *d, ods_err_t *err)
{
    int rc = enf_store_open(d->conf->enforcer.datastore, &d->store, err);
    if (rc == ODS_OK)
        rc = enf_daemon_reload_policies(d, err);
    if (rc == ODS_OK)
        rc = enf_store_key_max_id(d->store, &d->next_key_id, err);
    if (rc == ODS_OK && enf_zonelist_new(&d->zonelist) != ODS_OK)
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK)
        rc = enf_zonelist_load(d->zonelist, d->store, d->policies, err);
    return rc;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    enf_daemon_t *d = arg;
    ods_err_t err;
    size_t done = 0;
    d->timer_at = -1;
    if (enf_enforce_due(d, ENF_ENFORCE_BATCH, &done, &err) != ODS_OK)
        ods_log_error("enforcing due zones: %s", err.msg);
    if (enf_resalt_due(d, -1, NULL, &err) != ODS_OK)
        ods_log_error("resalting: %s", err.msg);
    enf_signer_flush(d->signer, d->conf);
    enf_daemon_reschedule(d);
}

int enf_daemon_new(const char *conf_path, enf_daemon_t **out, ods_err_t *err)
{
    enf_daemon_t *d = calloc(1, sizeof(*d));
    if (!d || !(d->conf_path = strdup(conf_path))) {
        free(d);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    d->timer_at = -1;
    int rc = load_conf(conf_path, &d->conf, err);
    if (rc == ODS_OK && !(d->base = event_base_new()))
        rc = ods_err_set(err, ODS_ENOMEM, "cannot create the event loop");
    if (rc == ODS_OK && !(d->timer = evtimer_new(d->base, on_timer, d)))
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK)
        rc = enf_inbox_new(d->base, &d->inbox, err);
    if (rc == ODS_OK && enf_signer_new(&d->signer) != ODS_OK)
        rc = ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (rc == ODS_OK)
        rc = enf_parent_new(d, &d->parent, err);
    if (rc == ODS_OK)
        rc = enf_keypool_new(d, &d->pool, err);
    if (rc == ODS_OK)
        rc = open_state(d, err);
    if (rc != ODS_OK) {
        enf_daemon_free(d);
        return rc;
    }
    *out = d;
    return ODS_OK;
}

/* The opened HSM's context and key generators; on failure nothing is kept. */
static int start_hsm(enf_daemon_t *d, ods_hsm_t *hsm, ods_err_t *err)
{
    int threads = d->conf->enforcer.worker_threads > 0 ? d->conf->enforcer.worker_threads : 1;
    d->hsm = hsm;
    int rc = ods_hsm_ctx_new(d->hsm, &d->hsm_ctx, err);
    if (rc == ODS_OK)
        rc = enf_keygen_new(d->hsm, threads, d->inbox, enf_keypool_on_keys, d, &d->keygen, err);
    if (rc != ODS_OK) {
        ods_hsm_ctx_free(d->hsm_ctx);
        ods_hsm_close(d->hsm);
        d->hsm_ctx = NULL;
        d->hsm = NULL;
    }
    return rc;
}

/* ods_svc_login_open_fn: check PINs (keep 0), or open the HSM for good. */
static int open_repos(void *arg, const ods_hsm_repo_spec_t *specs, size_t n, int keep,
                      ods_err_t *err)
{
    ods_hsm_t *hsm;
    int rc = ods_hsm_open(specs, n, &hsm, err);
    if (rc != ODS_OK)
        return rc;
    if (!keep) {
        ods_hsm_close(hsm);
        return ODS_OK;
    }
    return start_hsm(arg, hsm, err);
}

int enf_daemon_open_hsm(enf_daemon_t *d, ods_err_t *err)
{
    if (d->conf->n_repositories == 0) {
        ods_log_warning("no repository in %s: the enforcer cannot make keys", d->conf_path);
        return ODS_OK;
    }
    int rc = ods_svc_login_new(d->conf, &d->login, err);
    if (rc != ODS_OK)
        return rc;
    for (size_t i = 0; i < ods_svc_login_count(d->login); i++)
        if (!ods_svc_login_has_pin(d->login, i))
            ods_log_notice("repository %s needs a PIN: run `odsctl hsm login`",
                           ods_svc_login_name(d->login, i));
    if (ods_svc_login_missing(d->login) > 0)
        return ODS_OK; /* serve commands; enforce once logged in */
    rc = ods_svc_login_open(d->login, open_repos, d, err);
    ods_svc_login_free(d->login);
    d->login = NULL;
    return rc;
}

int enf_daemon_hsm_ready(const enf_daemon_t *d, ods_err_t *err)
{
    return d->login ? ods_err_set(err, ODS_ESTATE, "%s", ODS_SVC_LOGIN_WANTED) : ODS_OK;
}

/* Logged in at last: the zones and keys that waited, now. */
static void start_waiting_work(enf_daemon_t *d)
{
    ods_err_t err;
    ods_log_notice("the HSM is logged in: enforcing and generating keys");
    if (enf_store_zone_due_keyless(d->store, ods_clock_now(), &err) != ODS_OK)
        ods_log_error("scheduling new zones: %s", err.msg);
    if (enf_keypool_plan(d, &err) != ODS_OK)
        ods_log_error("planning key generation: %s", err.msg);
    enf_daemon_reschedule(d);
}

int enf_daemon_hsm_login(enf_daemon_t *d, const char *repo, const char *pin, ods_err_t *err)
{
    if (!d->login)
        return ods_err_set(err, ODS_EEXIST, "%s",
                           d->hsm ? "the enforcer is already logged in to the HSM"
                                  : "no repository is configured: there is nothing to log in to");
    int rc = ods_svc_login_give(d->login, repo, pin, open_repos, d, err);
    if (rc != ODS_OK)
        return rc;
    size_t left = ods_svc_login_missing(d->login);
    if (left > 0) {
        ods_log_notice("HSM PIN accepted; %zu repository(ies) still need one", left);
        return ODS_OK;
    }
    ods_svc_login_free(d->login);
    d->login = NULL;
    start_waiting_work(d);
    return ODS_OK;
}

int enf_daemon_listen(enf_daemon_t *d, gid_t gid, ods_err_t *err)
{
    return ods_ctl_server_new(d->base, d->conf->enforcer.socketfile, 0660, gid, enf_cmd_dispatch, d,
                              &d->ctl, err);
}

static void on_signal(int sig, void *arg)
{
    enf_daemon_t *d = arg;
    if (sig == SIGHUP) {
        ods_err_t err;
        ods_log_notice("SIGHUP: reloading %s", d->conf_path);
        if (enf_daemon_reload_conf(d, &err) != ODS_OK)
            ods_log_error("reload failed, keeping the running configuration: %s", err.msg);
        return;
    }
    ods_log_notice("signal %d: stopping", (int)sig);
    enf_daemon_stop(d);
}

static int add_signals(enf_daemon_t *d, ods_err_t *err)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    int rc = ods_svc_signals_new(d->base, &d->signals, err);
    for (size_t i = 0; rc == ODS_OK && i < sizeof(sigs) / sizeof(sigs[0]); i++)
        rc = ods_svc_signals_on(d->signals, sigs[i], on_signal, d, err);
    return rc;
}

int enf_daemon_run(enf_daemon_t *d)
{
    ods_err_t err;
    if (add_signals(d, &err) != ODS_OK) {
        ods_log_error("signals: %s", err.msg);
        return ODS_ENOMEM;
    }
    /* zones added just before a stop have not had their first run */
    if (enf_store_zone_due_keyless(d->store, ods_clock_now(), &err) != ODS_OK)
        ods_log_error("scheduling new zones: %s", err.msg);
    if (enf_keypool_plan(d, &err) != ODS_OK)
        ods_log_error("planning key generation: %s", err.msg);
    enf_daemon_reschedule(d);
    event_base_dispatch(d->base);
    return ODS_OK;
}

void enf_daemon_stop(enf_daemon_t *d)
{
    /* leave the loop a moment later, so the answer to `stop` reaches its client */
    struct timeval tv = { 0, 100 * 1000 };
    d->stopping = 1;
    event_base_loopexit(d->base, &tv);
}

time_t enf_daemon_next_event(enf_daemon_t *d)
{
    time_t t = -1;
    if (enf_store_zone_next(d->store, &t, NULL) != ODS_OK)
        t = ods_clock_now() + 60;
    for (size_t i = 0; d->policies && i < d->policies->n; i++) {
        time_t s = enf_policy_resalt_time(&d->policies->recs[i]);
        if (s >= 0 && (t < 0 || s < t))
            t = s;
    }
    return t;
}

void enf_daemon_reschedule(enf_daemon_t *d)
{
    if (!d->timer || d->stopping)
        return;
    if (d->login) { /* nothing runs before `odsctl hsm login` */
        evtimer_del(d->timer);
        d->timer_at = -1;
        return;
    }
    time_t t = enf_daemon_next_event(d), now = ods_clock_now();
    evtimer_del(d->timer);
    d->timer_at = t;
    time_t delay = t < 0 ? ENF_TIMER_MAX : t <= now ? 0 : t - now;
    if (delay > ENF_TIMER_MAX)
        delay = ENF_TIMER_MAX;
    struct timeval tv = { (long)delay, 0 };
    evtimer_add(d->timer, &tv);
}

int enf_daemon_reload_conf(enf_daemon_t *d, ods_err_t *err)
{
    ods_conf_t *conf;
    int rc = load_conf(d->conf_path, &conf, err);
    if (rc != ODS_OK)
        return rc;
    if (strcmp(conf->enforcer.datastore, d->conf->enforcer.datastore) != 0 ||
        strcmp(conf->enforcer.socketfile, d->conf->enforcer.socketfile) != 0)
        ods_log_warning("Datastore and SocketFile changes take effect after a restart");
    /* the HSM keeps the repositories it was opened with until a restart */
    ods_conf_t *old = d->conf;
    d->conf = conf;
    ods_conf_free(old);
    ods_log_set_verbosity(d->conf->verbosity);
    return ODS_OK;
}

void enf_daemon_free(enf_daemon_t *d)
{
    if (!d)
        return;
    d->stopping = 1;
    ods_ctl_server_free(d->ctl);
    enf_parent_free(d->parent);
    enf_keygen_free(d->keygen); /* delivers the last keys into the pool */
    enf_keypool_free(d->pool);
    enf_inbox_free(d->inbox);
    ods_svc_signals_free(d->signals);
    if (d->timer)
        event_free(d->timer);
    ods_hsm_ctx_free(d->hsm_ctx);
    ods_hsm_close(d->hsm);
    ods_svc_login_free(d->login);
    enf_zonelist_free(d->zonelist);
    enf_signer_free(d->signer);
    enf_policies_free(d->policies);
    enf_store_close(d->store);
    if (d->base)
        event_base_free(d->base);
    ods_conf_free(d->conf);
    free(d->conf_path);
    free(d);
}
