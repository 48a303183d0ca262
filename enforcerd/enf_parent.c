/* enf_parent.c -- the DelegationSigner commands (see enf_parent.h). */
#include "enf_parent.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dnssec/ds.h"
#include "enf_enforce.h"
#include "enf_rr.h"
#include "log/log.h"
#include "svc/signals.h"

extern char **environ;

typedef struct job {
    struct job *next;
    enf_parent_t *p;
    pthread_t thread;
    enf_ds_cmd_t kind;
    char *cmd, *zone, *locator, *input;
    int status; /* exit status, -1 if it did not run or was killed */
    int finished;
    int joined;
} job_t;

struct enf_parent {
    enf_daemon_t *d;
    pthread_mutex_t lock;
    job_t *jobs; /* running or finished and not yet reaped */
    volatile int stop;
};

static const char *kind_name(enf_ds_cmd_t kind)
{
    return kind == ENF_DS_CMD_SUBMIT ? "Submit" : "Retract";
}

const char *enf_parent_command(const enf_daemon_t *d, enf_ds_cmd_t kind)
{
    const char *c = kind == ENF_DS_CMD_SUBMIT ? d->conf->enforcer.ds_submit_cmd
                                              : d->conf->enforcer.ds_retract_cmd;
    return c && c[0] ? c : NULL;
}

/* The command without a trailing " --cka_id"; *cka set when it had one. */
static char *strip_cka(const char *cmd, int *cka)
{
    char *c = strdup(cmd);
    char *pos = c ? strstr(c, " --cka_id") : NULL;
    *cka = pos && pos[strlen(" --cka_id")] == '\0';
    if (*cka)
        *pos = '\0';
    return c;
}

int enf_parent_check(const char *cmd, ods_err_t *err)
{
    int cka;
    char *prog = strip_cka(cmd, &cka);
    if (!prog)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    prog[strcspn(prog, " \t")] = '\0';
    struct stat st;
    int rc = ODS_OK;
    if (stat(prog, &st) != 0)
        rc = ods_err_set(err, ODS_ENOTFOUND, "Cannot stat file %s: %s", prog, strerror(errno));
    else if (S_ISREG(st.st_mode) && !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
        rc = ods_err_set(err, ODS_EPERM, "File %s is not executable", prog);
    free(prog);
    return rc;
}

static void tabs_to_spaces(char *s, size_t from)
{
    for (s += from; *s; s++)
        if (*s == '\t')
            *s = ' ';
}

int enf_parent_input(const char *cmd, const char *zone, const char *locator, const uint8_t *rdata,
                     size_t len, uint32_t dnskey_ttl, uint32_t ds_ttl, ods_buf_t *out,
                     ods_err_t *err)
{
    int cka;
    char *c = strip_cka(cmd ? cmd : "", &cka);
    free(c);
    size_t start = out->len;
    int rc = enf_rr_dnskey(zone, dnskey_ttl, rdata, len, out);
    if (rc == ODS_OK && cka) {
        out->len--; /* the newline */
        rc = ods_buf_printf(out, "; {cka_id = %s}\n", locator);
    }
    if (rc == ODS_OK)
        rc = enf_rr_ds(zone, ds_ttl, rdata, len, ODS_DS_SHA256, out, err);
    else
        rc = ods_err_set(err, rc, "out of memory");
    if (rc == ODS_OK && ods_buf_cstr(out))
        tabs_to_spaces((char *)out->data, start);
    return rc;
}

/* ---- running ---- */

static pid_t spawn(const char *cmd, int *infd)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        return -1;
    }
    *infd = fds[1];
    return pid;
}

static void feed(int fd, const char *text)
{
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t w = write(fd, text, left);
        if (w <= 0 && errno != EINTR)
            break;
        if (w > 0) {
            text += w;
            left -= (size_t)w;
        }
    }
    close(fd);
}

static int wait_child(enf_parent_t *p, pid_t pid)
{
    int status;
    time_t deadline = time(NULL) + ENF_DS_CMD_TIMEOUT;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (p->stop || time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static void reap(void *arg);

static void *run_job(void *arg)
{
    job_t *j = arg;
    int fd = -1;
    ods_svc_signals_mask_thread(); /* signals go to the loop */
    pid_t pid = spawn(j->cmd, &fd);
    j->status = -1;
    if (pid > 0) {
        feed(fd, j->input);
        j->status = wait_child(j->p, pid);
    }
    pthread_mutex_lock(&j->p->lock);
    j->finished = 1;
    pthread_mutex_unlock(&j->p->lock);
    if (enf_inbox_post(j->p->d->inbox, reap, j->p) != ODS_OK)
        ods_log_error("DS command for zone %s: cannot report back (out of memory)", j->zone);
    return NULL;
}

static void job_free(job_t *j)
{
    free(j->cmd);
    free(j->zone);
    free(j->locator);
    free(j->input);
    free(j);
}

static void report(enf_parent_t *p, job_t *j)
{
    if (j->status != 0) {
        ods_log_error("DelegationSigner%sCommand %s failed for key %s of zone %s (exit status "
                      "%d): run 'key ds-%s --zone %s --cka_id %s' once it is done",
                      kind_name(j->kind), j->cmd, j->locator, j->zone, j->status,
                      j->kind == ENF_DS_CMD_SUBMIT ? "submit" : "retract", j->zone, j->locator);
        return;
    }
    ods_log_notice("key %s of zone %s %sed to %s", j->locator, j->zone,
                   j->kind == ENF_DS_CMD_SUBMIT ? "submitt" : "retract", j->cmd);
    if (!p->stop)
        enf_enforce_ds_command_done(p->d, j->kind, j->zone, j->locator);
}

/* Loop thread: join finished jobs and act on their results. */
static void reap(void *arg)
{
    enf_parent_t *p = arg;
    for (;;) {
        job_t *done = NULL;
        pthread_mutex_lock(&p->lock);
        for (job_t **jp = &p->jobs; *jp; jp = &(*jp)->next)
            if ((*jp)->finished) {
                done = *jp;
                *jp = done->next;
                break;
            }
        pthread_mutex_unlock(&p->lock);
        if (!done)
            return;
        if (!done->joined)
            pthread_join(done->thread, NULL);
        report(p, done);
        job_free(done);
    }
}

int enf_parent_run(enf_daemon_t *d, enf_ds_cmd_t kind, const char *zone, const char *locator,
                   const char *input, ods_err_t *err)
{
    const char *cmd = enf_parent_command(d, kind);
    if (!cmd)
        return ods_err_set(err, ODS_ENOTFOUND, "No \"DelegationSigner%sCommand\" configured.",
                           kind_name(kind));
    int rc = enf_parent_check(cmd, err);
    if (rc != ODS_OK)
        return rc;
    job_t *j = calloc(1, sizeof(*j));
    int cka;
    if (!j || !(j->cmd = strip_cka(cmd, &cka)) || !(j->zone = strdup(zone)) ||
        !(j->locator = strdup(locator)) || !(j->input = strdup(input))) {
        if (j)
            job_free(j);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    j->p = d->parent;
    j->kind = kind;
    pthread_mutex_lock(&d->parent->lock);
    j->next = d->parent->jobs;
    d->parent->jobs = j;
    int prc = pthread_create(&j->thread, NULL, run_job, j);
    if (prc != 0)
        d->parent->jobs = j->next;
    pthread_mutex_unlock(&d->parent->lock);
    if (prc != 0) {
        job_free(j);
        return ods_err_set(err, ODS_EIO, "cannot start a thread for the DS command");
    }
    return ODS_OK;
}

int enf_parent_new(enf_daemon_t *d, enf_parent_t **out, ods_err_t *err)
{
    enf_parent_t *p = calloc(1, sizeof(*p));
    if (!p)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    p->d = d;
    pthread_mutex_init(&p->lock, NULL);
    *out = p;
    return ODS_OK;
}

size_t enf_parent_running(const enf_parent_t *p)
{
    size_t n = 0;
    pthread_mutex_lock((pthread_mutex_t *)&p->lock);
    for (const job_t *j = p->jobs; j; j = j->next)
        n += !j->finished;
    pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
    return n;
}

void enf_parent_free(enf_parent_t *p)
{
    if (!p)
        return;
    p->stop = 1; /* running commands are killed */
    pthread_mutex_lock(&p->lock);
    job_t *list = p->jobs;
    pthread_mutex_unlock(&p->lock);
    for (job_t *j = list; j; j = j->next) {
        pthread_join(j->thread, NULL);
        j->joined = 1;
    }
    enf_inbox_run(p->d->inbox); /* their reports, while p is still there */
    reap(p);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
