/*
 * enf_cmd_backup.c -- backup list, prepare, commit, rollback (RequireBackup):
 * new keys of a RequireBackup repository may not go live until the HSM has
 * been backed up: `backup prepare` marks the keys made so far, the operator
 * backs up the token, `backup commit` lets those keys go live (or
 * `backup rollback` when the backup failed).
 */
#include <string.h>

#include "enf_cmd.h"
#include "enf_setup.h"
#include "enf_store_hsmkey.h"
#include "enf_store_zone.h"
#include "util/clock.h"

static int check_repo(enf_daemon_t *d, enf_reply_t *r, const char *repo)
{
    if (repo && !ods_conf_find_repository(d->conf, repo)) {
        enf_errout(r, "Can't find repository: %s\n", repo);
        return -1;
    }
    return 0;
}

int enf_cmd_backup_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *only = ods_cmd_get(a, "repository");
    if (check_repo(d, r, only) != 0)
        return ENF_EXIT_FAIL;
    enf_out(r, "Backups:\n");
    for (size_t i = 0; i < d->conf->n_repositories; i++) {
        const ods_conf_repository_t *repo = &d->conf->repositories[i];
        if (only && strcmp(only, repo->name) != 0)
            continue;
        size_t c[4];
        ods_err_t err;
        if (enf_store_hsmkey_backup_counts(d->store, repo->name, c, &err) != ODS_OK)
            return enf_fail(r, &err);
        enf_out(r,
                "Repository %s%s: %zu key(s) backed up, %zu prepared for backup, %zu not "
                "backed up, %zu without backup requirement\n",
                repo->name, repo->require_backup ? " (RequireBackup)" : "", c[ENF_BACKUP_DONE],
                c[ENF_BACKUP_REQUESTED], c[ENF_BACKUP_REQUIRED], c[ENF_BACKUP_NONE]);
    }
    return ENF_EXIT_OK;
}

static int move(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a, int from, int to,
                const char *done)
{
    const char *repo = ods_cmd_get(a, "repository");
    if (check_repo(d, r, repo) != 0)
        return ENF_EXIT_FAIL;
    size_t n = 0;
    ods_err_t err;
    if (enf_store_hsmkey_backup(d->store, repo, from, to, &n, &err) != ODS_OK)
        return enf_fail(r, &err);
    enf_out(r, "%zu key(s)%s%s %s\n", n, repo ? " in repository " : "", repo ? repo : "", done);
    return ENF_EXIT_OK;
}

int enf_cmd_backup_prepare(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return move(d, r, a, ENF_BACKUP_REQUIRED, ENF_BACKUP_REQUESTED,
                "prepared for backup; back up the HSM, then run 'backup commit'.");
}

int enf_cmd_backup_rollback(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    return move(d, r, a, ENF_BACKUP_REQUESTED, ENF_BACKUP_REQUIRED, "returned to 'not backed up'.");
}

int enf_cmd_backup_commit(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    int status = move(d, r, a, ENF_BACKUP_REQUESTED, ENF_BACKUP_DONE,
                      "marked as backed up: they may now be used.");
    ods_err_t err;
    if (status != ENF_EXIT_OK)
        return status;
    /* zones waiting for these keys can move on now */
    if (enf_store_zone_set_next(d->store, 0, 0, ods_clock_now(), &err) != ODS_OK)
        return enf_fail(r, &err);
    enf_settle_now(d);
    return ENF_EXIT_OK;
}
