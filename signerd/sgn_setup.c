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

static int open_hsm(sgn_daemon_t *d, ods_err_t *err)
{
    const ods_conf_t *c = d->conf;
    if (c->n_repositories == 0)
        return ods_err_set(err, ODS_ECONFIG,
                           "%s: no Repository in RepositoryList: the signer "
                           "needs the HSM that holds the keys",
                           c->path);
    ods_hsm_repo_spec_t *specs = calloc(c->n_repositories, sizeof(*specs));
    if (specs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_repositories; i++) {
        const ods_conf_repository_t *r = &c->repositories[i];
        specs[i] = (ods_hsm_repo_spec_t){ r->name,
                                          r->module,
                                          r->token_label,
                                          r->pin,
                                          (unsigned)r->capacity,
                                          r->skip_public_key,
                                          r->allow_extraction };
        if (r->pin != NULL)
            ods_log_secret_add(r->pin);
    }
    int rc = ods_hsm_open(specs, c->n_repositories, &d->hsm, err);
    free(specs);
    return rc;
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
    int nsign = conf->signer.signer_threads > 0 ? conf->signer.signer_threads : 2;
    if (rc == ODS_OK)
        rc = sgn_pool_new(d->hsm, nsign, &d->pool, err);
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
    if (sgn_workers_start(d, &err) != ODS_OK) {
        ods_log_crit("%s", err.msg);
        return 1;
    }
    int removed, added, updated;
    if (sgn_zonelist_sync(d, &removed, &added, &updated, &err) != ODS_OK)
        ods_log_error("%s (the signer serves no zones until the list is fixed)", err.msg);
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
