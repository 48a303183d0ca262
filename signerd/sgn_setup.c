/*
 * sgn_setup.c -- create and tear down the signer daemon: HSM, signing pool,
 * control socket, loop events, workers, zones.
 */
#include "sgn_daemon.h"
#include "hsm/hsm.h"
#include "log/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The opened HSM and its signing pool; on failure nothing is kept. */
static int start_hsm(sgn_daemon_t *d, ods_hsm_t *hsm, ods_err_t *err)
{
    int nsign = d->conf->signer.signer_threads > 0 ? d->conf->signer.signer_threads : 2;
    int rc = sgn_pool_new(hsm, nsign, &d->pool, err);
    if (rc != ODS_OK) {
        ods_hsm_close(hsm);
        return rc;
    }
    d->hsm = hsm;
    return ODS_OK;
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

/* Open the HSM, or wait for `odsctl hsm login` when a PIN is missing. */
static int open_hsm(sgn_daemon_t *d, ods_err_t *err)
{
    const ods_conf_t *c = d->conf;
    if (c->n_repositories == 0)
        return ods_err_set(err, ODS_ECONFIG,
                           "%s: no Repository in RepositoryList: the signer "
                           "needs the HSM that holds the keys",
                           c->path);
    int rc = ods_svc_login_new(c, &d->login, err);
    if (rc != ODS_OK)
        return rc;
    for (size_t i = 0; i < ods_svc_login_count(d->login); i++)
        if (!ods_svc_login_has_pin(d->login, i))
            ods_log_notice("repository %s needs a PIN: run `odsctl hsm login`",
                           ods_svc_login_name(d->login, i));
    if (ods_svc_login_missing(d->login) > 0)
        return ODS_OK; /* serve commands; sign once logged in */
    rc = ods_svc_login_open(d->login, open_repos, d, err);
    ods_svc_login_free(d->login);
    d->login = NULL;
    return rc;
}

int sgn_daemon_hsm_login(sgn_daemon_t *d, const char *repo, const char *pin, ods_err_t *err)
{
    if (d->login == NULL)
        return ods_err_set(err, ODS_EEXIST, "the signer is already logged in to the HSM");
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
    rc = sgn_workers_start(d, err);
    if (rc != ODS_OK) {
        ods_log_crit("%s", err->msg);
        sgn_daemon_stop(d); /* logged in but cannot work: stop rather than pretend */
        return rc;
    }
    ods_log_notice("the HSM is logged in: signing with %d worker(s), %d signing thread(s)",
                   d->nworkers, sgn_pool_size(d->pool));
    sgn_daemon_rearm(d);
    return ODS_OK;
}

static int setup_events(sgn_daemon_t *d, ods_err_t *err)
{
    d->base = event_base_new();
    if (d->base == NULL || pipe2(d->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        return ods_err_set(err, ODS_EIO, "cannot set up the event loop");
    d->timer = evtimer_new(d->base, NULL, NULL);
    event_free(d->timer);
    d->timer = NULL;
    return ODS_OK;
}

int sgn_daemon_new(const char *conf_path, ods_conf_t *conf, gid_t sock_gid, sgn_daemon_t **out,
                   ods_err_t *err)
{
    sgn_daemon_t *d = calloc(1, sizeof(*d));
    if (d == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    d->conf = conf;
    d->wake[0] = d->wake[1] = -1;
    d->conf_path = strdup(conf_path);
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->jobs, NULL);
    *out = d;
    int rc = setup_events(d, err);
    if (rc == ODS_OK)
        rc = mkdir(conf->signer.workdir, 0750) == 0 || errno == EEXIST
                 ? ODS_OK
                 : ods_err_set(err, ODS_EIO, "cannot create WorkingDirectory %s: %s",
                               conf->signer.workdir, strerror(errno));
    if (rc == ODS_OK)
        rc = ods_ctl_server_new(d->base, conf->signer.socketfile, 0660, sock_gid, sgn_cmd_handle, d,
                                &d->ctl, err);
    if (rc == ODS_OK)
        rc = open_hsm(d, err);
    return rc;
}

int sgn_daemon_run(sgn_daemon_t *d)
{
    ods_err_t err;
    d->timer = evtimer_new(d->base, on_timer_cb, d);
    d->wake_ev = event_new(d->base, d->wake[0], EV_READ | EV_PERSIST, on_wake_cb, d);
    if (d->timer == NULL || d->wake_ev == NULL || event_add(d->wake_ev, NULL) != 0) {
        ods_log_crit("cannot set up the event loop");
        return 1;
    }
    if (d->login == NULL && sgn_workers_start(d, &err) != ODS_OK) {
        ods_log_crit("%s", err.msg);
        return 1;
    }
    int removed, added, updated;
    if (sgn_zonelist_sync(d, &removed, &added, &updated, &err) != ODS_OK)
        ods_log_error("%s (the signer serves no zones until the list is fixed)", err.msg);
    if (d->login != NULL)
        ods_log_notice("signerd started: %d zone(s); not signing until `odsctl hsm login`", added);
    else
        ods_log_notice("signerd started: %d zone(s), %d worker(s), %d signing thread(s)", added,
                       d->nworkers, sgn_pool_size(d->pool));
    event_base_dispatch(d->base);
    ods_log_notice("signerd stopping");
    sgn_pool_abort(d->pool);
    sgn_workers_stop(d);
    return d->exit_code;
}

void sgn_daemon_free(sgn_daemon_t *d)
{
    if (d == NULL)
        return;
    if (d->workers != NULL)
        sgn_workers_stop(d);
    ods_ctl_server_free(d->ctl);
    sgn_pool_free(d->pool);
    for (size_t i = 0; i < d->nslots; i++) {
        sgn_zone_free(d->slots[i]->zs);
        free(d->slots[i]);
    }
    free(d->slots);
    free(d->queue);
    if (d->timer)
        event_free(d->timer);
    if (d->wake_ev)
        event_free(d->wake_ev);
    if (d->base)
        event_base_free(d->base);
    if (d->wake[0] >= 0)
        close(d->wake[0]);
    if (d->wake[1] >= 0)
        close(d->wake[1]);
    ods_hsm_close(d->hsm);
    ods_svc_login_free(d->login);
    ods_conf_free(d->conf);
    free(d->conf_path);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->jobs);
    free(d);
}

int sgn_daemon_reload(sgn_daemon_t *d, ods_err_t *err)
{
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *conf = NULL;
    int rc = diag ? ods_conf_load(d->conf_path, &conf, diag) : ODS_ENOMEM;
    if (rc != ODS_OK) {
        ods_diag_to_err(diag, rc, err);
        ods_diag_free(diag);
        return rc; /* keep running with the configuration we have */
    }
    ods_diag_free(diag);
    /* Run-time settings only; sockets, HSM and threads need a restart. */
    pthread_mutex_lock(&d->lock);
    char *notify = conf->signer.notify_cmd;
    conf->signer.notify_cmd = d->conf->signer.notify_cmd;
    d->conf->signer.notify_cmd = notify;
    d->conf->verbosity = conf->verbosity;
    pthread_mutex_unlock(&d->lock);
    ods_log_set_verbosity(conf->verbosity);
    ods_conf_free(conf);
    int removed, added, updated;
    return sgn_zonelist_sync(d, &removed, &added, &updated, err);
}
