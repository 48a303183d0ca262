/*
 * enf_cmd.h -- the enforcer's control commands.
 *
 * The control socket's handler (enf_cmd_dispatch) finds the command in the
 * shared table (ctl/cmdtab.h), parses its options (ctl/cmdparse.h) and calls
 * its handler here. A handler writes its answer into an enf_reply_t (the
 * answer is sent in one piece, however long) and returns the exit status,
 * or ENF_CMD_PENDING when it finishes later (waiting for key generation):
 * it then owns the reply and calls enf_reply_finish itself.
 *
 * After every command the signer is told what changed and the enforce timer
 * is re-armed. Texts that scripts grep for are OpenDNSSEC's.
 *
 * Thread-safety: event loop only.
 */
#ifndef ENF_CMD_H
#define ENF_CMD_H

#include "ctl/cmdparse.h"
#include "ctl/server.h"
#include "enf_daemon.h"
#include "util/buf.h"

#define ENF_CMD_PENDING (-1)

/* Exit statuses. */
enum {
    ENF_EXIT_OK = 0,
    ENF_EXIT_FAIL = 1,  /* the command failed (message on stderr) */
    ENF_EXIT_USAGE = 2, /* bad command line */
};

typedef struct enf_reply {
    ods_ctl_conn_t *conn;
    ods_buf_t out; /* standard output */
    ods_buf_t err; /* standard error */
    int status;    /* for a pending reply: the status to finish with */
} enf_reply_t;

/* The control socket's request handler (arg: the daemon). */
void enf_cmd_dispatch(ods_ctl_conn_t *conn, int argc, char **argv, void *arg);

/* Run one command line as the socket would, writing to r (tests, setup). */
int enf_cmd_run(enf_daemon_t *d, enf_reply_t *r, int argc, char **argv);

enf_reply_t *enf_reply_new(ods_ctl_conn_t *conn);
/* Send the answer, notify the signer, re-arm the timer, finish conn, free r. */
void enf_reply_finish(enf_daemon_t *d, enf_reply_t *r, int status);
void enf_reply_free(enf_reply_t *r);

/* Append to stdout / stderr. */
void enf_out(enf_reply_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void enf_errout(enf_reply_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An error line on stderr and ENF_EXIT_FAIL. */
int enf_fail(enf_reply_t *r, const ods_err_t *err);

/* --keytype: ENF_ROLE_KSK/ZSK/CSK for "KSK"/"ZSK"/"CSK" (any case), 0 for
 * NULL (not given), -1 for anything else. */
int enf_cmd_role(const char *keytype);

typedef int (*enf_cmd_fn)(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);

/* enf_cmd_daemon.c */
int enf_cmd_running(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_stop(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_reload(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_verbosity(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_update_conf(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_update_all(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_repository_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_setup(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* `hsm login` from odsctl: the raw request, whose last argument is the PIN
 * (svc/pin.h); taken out and wiped before anything else looks at argv. */
int enf_cmd_hsm_login(enf_daemon_t *d, enf_reply_t *r, int argc, char **argv);
/* enf_cmd_queue.c */
int enf_cmd_queue(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_flush(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_enforce(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_time_leap(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_signconf(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_policy.c */
int enf_cmd_policy_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_policy_export(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_policy_import(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_policy_purge(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_policy_resalt(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_zone.c */
int enf_cmd_zone_add(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_zone_delete(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_zone_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_zone_set_policy(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_zonelist_import(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_zonelist_export(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_status.c */
int enf_cmd_zone_status(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_rollover_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_look_ahead(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_key_list.c */
int enf_cmd_key_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_key_export.c */
int enf_cmd_key_export(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_key_ds.c */
int enf_cmd_key_ds_submit(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_key_ds_seen(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_key_ds_retract(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_key_ds_gone(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_key.c */
int enf_cmd_key_rollover(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_key_generate(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_key_purge(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_key_import(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
/* enf_cmd_backup.c */
int enf_cmd_backup_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_backup_prepare(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_backup_commit(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);
int enf_cmd_backup_rollback(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a);

#endif
