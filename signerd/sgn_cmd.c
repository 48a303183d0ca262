/*
 * sgn_cmd.c -- the signer's control commands (ods-signer's, with the same
 * names and messages, so operators' scripts carry over).
 */
#include "sgn_daemon.h"
#include "ctl/cmdparse.h"
#include "ctl/cmdtab.h"
#include "log/log.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*cmd_fn)(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a);

/* `sign ZONE [--serial N] [--wait]` or `sign --all` */
static int cmd_sign_one(sgn_daemon_t *d, ods_ctl_conn_t *c, const char *zone, const char *serial,
                        bool wait)
{
    sgn_slot_t *s = sgn_daemon_find(d, zone);
    if (s == NULL) {
        ods_ctl_eprintf(c, "Error: Zone %s not found.\n", zone);
        return 1;
    }
    char *end = NULL;
    unsigned long v = serial ? strtoul(serial, &end, 10) : 0;
    if (serial && (*serial == '\0' || *end != '\0' || v > 0xFFFFFFFFul)) {
        ods_ctl_eprintf(c, "Error: --serial %s is not a serial number (0..4294967295).\n", serial);
        return 2;
    }
    pthread_mutex_lock(&d->lock);
    s->force_read = true;
    s->forced_serial = serial != NULL;
    s->serial = (uint32_t)v;
    bool waiting = wait && s->nwaiters < SGN_MAX_WAITERS;
    if (waiting)
        s->waiters[s->nwaiters++] = c;
    pthread_mutex_unlock(&d->lock);
    sgn_daemon_schedule(d, s, 0);
    if (waiting)
        return -1; /* answered when the run ends */
    ods_ctl_printf(c, "Zone %s scheduled for immediate re-sign.\n", zone);
    return 0;
}

static int cmd_sign(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    bool wait = ods_cmd_has(a, "wait");
    if (ods_cmd_has(a, "all") || ods_cmd_npos(a) == 0) {
        for (size_t i = 0; i < d->nslots; i++) {
            sgn_slot_t *s = d->slots[i];
            if (s->removed)
                continue;
            pthread_mutex_lock(&d->lock);
            s->force_read = true;
            pthread_mutex_unlock(&d->lock);
            sgn_daemon_schedule(d, s, 0);
        }
        ods_ctl_printf(c, "All zones scheduled for immediate re-sign.\n");
        return 0;
    }
    return cmd_sign_one(d, c, ods_cmd_pos(a, 0), ods_cmd_get(a, "serial"), wait);
}

static const char *slot_state(const sgn_slot_t *s)
{
    if (s->busy)
        return "signing";
    if (s->queued)
        return "queued";
    if (s->last_rc == ODS_ESTATE)
        return "waiting";
    if (s->last_rc != ODS_OK)
        return "failing";
    if (s->last_run_at == 0)
        return "new";
    return "signed";
}

static void zone_json(ods_buf_t *b, const sgn_slot_t *s, bool first)
{
    ods_json_sep(b, first);
    ods_buf_append_u8(b, '{');
    ods_json_kv_str(b, 1, "zone", s->zs->name);
    ods_json_kv_str(b, 0, "state", slot_state(s));
    if (s->zs->have_outbound)
        ods_json_kv_int(b, 0, "serial", (long long)s->zs->outbound_serial);
    else
        ods_json_kv_null(b, 0, "serial");
    ods_json_kv_int(b, 0, "last_run", (long long)s->last_run_at);
    ods_json_kv_int(b, 0, "next_run", (long long)s->next_run);
    ods_json_kv_str(b, 0, "output", s->zs->output_path);
    ods_json_kv_str(b, 0, "error", s->last_error[0] ? s->last_error : NULL);
    ods_buf_append_u8(b, '}');
}

/* Send a JSON document built in b (one write: no partial document), then free b. */
static int send_json(ods_ctl_conn_t *c, ods_buf_t *b)
{
    int rc = ods_buf_append_u8(b, '\n');
    if (rc == ODS_OK)
        rc = ods_ctl_write(c, 0, b->data, b->len);
    ods_buf_free(b);
    if (rc == ODS_OK || rc == ODS_EIO)
        return 0; /* EIO: the client is gone, nobody to tell */
    ods_ctl_eprintf(c, "Error: cannot send the answer: %s\n", ods_strerror(rc));
    return 1;
}

static int zones_json(sgn_daemon_t *d, ods_ctl_conn_t *c)
{
    ods_buf_t b = ODS_BUF_INIT;
    size_t n = 0;
    ods_buf_printf(&b, "{\"zones\":[");
    pthread_mutex_lock(&d->lock);
    for (size_t i = 0; i < d->nslots; i++)
        if (!d->slots[i]->removed)
            zone_json(&b, d->slots[i], n++ == 0);
    pthread_mutex_unlock(&d->lock);
    ods_buf_printf(&b, "]}");
    return send_json(c, &b);
}

static int cmd_zones(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    if (ods_cmd_has(a, "json"))
        return zones_json(d, c);
    size_t n = 0;
    pthread_mutex_lock(&d->lock);
    ods_ctl_printf(c, "Zones:\n");
    for (size_t i = 0; i < d->nslots; i++) {
        const sgn_slot_t *s = d->slots[i];
        if (s->removed)
            continue;
        char when[32] = "-";
        if (s->last_run_at)
            ods_clock_format(s->last_run_at, when, sizeof(when));
        ods_ctl_printf(c, "- %s: %s, serial %" PRIu32 ", last run %s%s%s\n", s->zs->name,
                       slot_state(s), s->zs->outbound_serial, when, s->last_error[0] ? ": " : "",
                       s->last_error);
        n++;
    }
    pthread_mutex_unlock(&d->lock);
    if (n == 0)
        ods_ctl_printf(c, "(none: the enforcer has not given the signer any zone yet)\n");
    return 0;
}

/* A zone's task in the queue: what and when; false when it has none. */
static bool slot_task(const sgn_slot_t *s, time_t now, const char **what, time_t *when)
{
    if (s->removed || (s->next_run == 0 && !s->queued && !s->busy))
        return false;
    *what = s->busy ? "signing now" : s->queued ? "queued" : "sign";
    *when = s->next_run ? s->next_run : now;
    return true;
}

typedef struct sgn_task {
    time_t when;
    const char *what, *zone;
} sgn_task_t;

static int task_cmp(const void *a, const void *b)
{
    const sgn_task_t *x = a, *y = b;
    return x->when < y->when ? -1 : x->when > y->when ? 1 : strcmp(x->zone, y->zone);
}

/* The queue soonest first (zone names stay valid: only this loop frees slots). */
static int queue_json(sgn_daemon_t *d, ods_ctl_conn_t *c, time_t now)
{
    ods_buf_t b = ODS_BUF_INIT;
    size_t n = 0;
    pthread_mutex_lock(&d->lock);
    sgn_task_t *t = malloc((d->nslots ? d->nslots : 1) * sizeof(*t));
    for (size_t i = 0; t && i < d->nslots; i++)
        if (slot_task(d->slots[i], now, &t[n].what, &t[n].when))
            t[n++].zone = d->slots[i]->zs->name;
    pthread_mutex_unlock(&d->lock);
    if (!t) {
        ods_ctl_eprintf(c, "Error: out of memory listing the queue\n");
        return 1;
    }
    qsort(t, n, sizeof(*t), task_cmp);
    ods_buf_append_u8(&b, '{');
    ods_json_kv_time(&b, 1, "now", now);
    ods_json_key(&b, 0, "tasks");
    ods_buf_append_u8(&b, '[');
    for (size_t i = 0; i < n; i++) {
        ods_json_sep(&b, i == 0);
        ods_buf_append_u8(&b, '{');
        ods_json_kv_time(&b, 1, "time", t[i].when);
        ods_json_kv_str(&b, 0, "task", t[i].what);
        ods_json_kv_str(&b, 0, "object", t[i].zone);
        ods_buf_append_u8(&b, '}');
    }
    free(t);
    ods_buf_printf(&b, "]}");
    return send_json(c, &b);
}

static int cmd_queue(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    char now_s[32];
    time_t now = ods_clock_now();
    if (ods_cmd_has(a, "json"))
        return queue_json(d, c, now);
    ods_clock_format(now, now_s, sizeof(now_s));
    ods_ctl_printf(c, "It is now %s (%lld seconds since epoch)\n", now_s, (long long)now);
    pthread_mutex_lock(&d->lock);
    for (size_t i = 0; i < d->nslots; i++) {
        const char *what;
        time_t when;
        char when_s[32];
        if (!slot_task(d->slots[i], now, &what, &when))
            continue;
        ods_clock_format(when, when_s, sizeof(when_s));
        ods_ctl_printf(c, "On %s I will [%s] zone %s\n", when_s, what, d->slots[i]->zs->name);
    }
    pthread_mutex_unlock(&d->lock);
    return 0;
}

static int cmd_flush(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    for (size_t i = 0; i < d->nslots; i++)
        if (!d->slots[i]->removed)
            sgn_daemon_schedule(d, d->slots[i], 0);
    ods_ctl_printf(c, "All tasks scheduled immediately.\n");
    return 0;
}

static int cmd_clear(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_pos(a, 0);
    sgn_slot_t *s = sgn_daemon_find(d, zone);
    if (s == NULL) {
        ods_ctl_eprintf(c, "Error: Zone %s not found.\n", zone);
        return 1;
    }
    pthread_mutex_lock(&d->lock);
    s->clear_pending = true; /* done by the worker before the next run */
    pthread_mutex_unlock(&d->lock);
    ods_ctl_printf(c,
                   "Internal zone information about %s cleared: the next run signs it from "
                   "scratch.\n",
                   zone);
    return 0;
}

static int cmd_update(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    ods_err_t err;
    if (ods_cmd_has(a, "all") || ods_cmd_npos(a) == 0) {
        int removed, added, updated;
        if (sgn_zonelist_sync(d, &removed, &added, &updated, &err) != ODS_OK) {
            ods_ctl_eprintf(c, "Error: %s\n", err.msg);
            return 1;
        }
        for (size_t i = 0; i < d->nslots; i++)
            if (!d->slots[i]->removed)
                sgn_daemon_schedule(d, d->slots[i], 0);
        ods_ctl_printf(c, "Zone list updated: %d removed, %d added, %d updated.\n", removed, added,
                       updated);
        return 0;
    }
    const char *zone = ods_cmd_pos(a, 0);
    sgn_slot_t *s = sgn_daemon_find(d, zone);
    int removed, added, updated;
    if (s == NULL && sgn_zonelist_sync(d, &removed, &added, &updated, &err) == ODS_OK)
        s = sgn_daemon_find(d, zone); /* the enforcer may have just added it */
    if (s == NULL) {
        ods_ctl_eprintf(c, "Error: Zone %s not found.\n", zone);
        return 1;
    }
    sgn_daemon_schedule(d, s, 0); /* the run reloads a changed signer configuration */
    ods_ctl_printf(c, "Zone %s config being updated.\n", zone);
    return 0;
}

static int cmd_retransfer(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_pos(a, 0);
    if (sgn_daemon_find(d, zone) == NULL) {
        ods_ctl_eprintf(c, "Error: Zone %s not found.\n", zone);
        return 1;
    }
    ods_ctl_eprintf(c,
                    "Error: zone %s reads its input from a file; there is nothing to "
                    "transfer (use `odsctl sign %s` to re-read it).\n",
                    zone, zone);
    return 1;
}

static int cmd_running(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    ods_ctl_printf(c, "signerd is running (pid %d).\n", (int)getpid());
    if (d->login != NULL)
        ods_ctl_printf(c, "Not signing: %s.\n", ODS_SVC_LOGIN_WANTED);
    return 0;
}

/* `hsm login` once the PIN is out of argv: parse --repository, log in. */
static int hsm_login(sgn_daemon_t *d, ods_ctl_conn_t *c, int argc, char **argv, const char *pin)
{
    int nw = 0;
    ods_cmd_args_t *a = NULL;
    ods_err_t err;
    const ods_cmd_t *cmd = ods_cmd_find(ODS_CMD_LOCAL, argc, argv, &nw);
    if (cmd == NULL || ods_cmd_parse(cmd, argc - nw, argv + nw, &a, &err) != ODS_OK) {
        ods_ctl_eprintf(c, "Error: %s\n", cmd ? err.msg : "signerd does not know 'hsm login'");
        return 2;
    }
    int rc = sgn_daemon_hsm_login(d, ods_cmd_get(a, "repository"), pin, &err);
    ods_cmd_args_free(a);
    if (rc == ODS_EEXIST) {
        ods_ctl_printf(c, "Nothing to do: %s.\n", err.msg);
        return 0;
    }
    if (rc != ODS_OK) {
        ods_ctl_eprintf(c, "Error: %s; nothing changed\n", err.msg);
        return 1;
    }
    ods_ctl_printf(c, d->login ? "PIN accepted; other repositories still need theirs.\n"
                               : "The signer is logged in to the HSM: signing.\n");
    return 0;
}

/* `hsm login` from odsctl: the PIN is the request's last argument (svc/pin.h);
 * it is taken out and wiped before anything else looks at argv. */
static void cmd_hsm_login(sgn_daemon_t *d, ods_ctl_conn_t *c, int argc, char **argv)
{
    char *pin = NULL;
    ods_err_t err;
    int status = 1;
    if (ods_svc_pin_take_arg(&argc, argv, &pin, &err) != ODS_OK)
        ods_ctl_eprintf(c, "Error: %s\n", err.msg);
    else
        status = hsm_login(d, c, argc, argv, pin);
    ods_svc_pin_free(pin);
    ods_ctl_finish(c, status);
}

static int cmd_reload(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    ods_err_t err;
    if (sgn_daemon_reload(d, &err) != ODS_OK) {
        ods_ctl_eprintf(c, "Error: %s (still running with the previous configuration)\n", err.msg);
        return 1;
    }
    ods_ctl_printf(c, "Reloading signer engine.\n");
    return 0;
}

static int cmd_stop(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    ods_ctl_printf(c, "Engine shut down.\n");
    sgn_daemon_stop(d);
    return 0;
}

static int cmd_verbosity(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    char *end;
    long v = strtol(ods_cmd_pos(a, 0), &end, 10);
    if (*end != '\0' || v < 0 || v > 9) {
        ods_ctl_eprintf(c, "Error: verbosity must be a number from 0 to 9.\n");
        return 2;
    }
    ods_log_set_verbosity((int)v);
    ods_ctl_printf(c, "Verbosity level set to %ld.\n", v);
    return 0;
}

/* `time leap [--time T]`: the enforcer moves our clock with its own. */
static int cmd_time_leap(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    const char *t = ods_cmd_get(a, "time");
    time_t to = 0;
    if (t != NULL && ods_clock_parse(t, &to) != ODS_OK) {
        ods_ctl_eprintf(c,
                        "Error: --time %s is not a time (use epoch seconds or "
                        "YYYY-MM-DD HH:MM:SS).\n",
                        t);
        return 2;
    }
    if (t == NULL) {
        pthread_mutex_lock(&d->lock);
        for (size_t i = 0; i < d->nslots; i++)
            if (d->slots[i]->next_run && (to == 0 || d->slots[i]->next_run < to))
                to = d->slots[i]->next_run;
        pthread_mutex_unlock(&d->lock);
        if (to == 0) {
            ods_ctl_printf(c, "There are no tasks scheduled.\n");
            return 0;
        }
    }
    if (to > ods_clock_now())
        ods_clock_set(to);
    char buf[32];
    ods_clock_format(ods_clock_now(), buf, sizeof(buf));
    ods_log_notice("time leap: the signer's clock is now %s", buf);
    ods_ctl_printf(c, "Time leap: the signer's clock is now %s.\n", buf);
    sgn_daemon_rearm(d);
    return 0;
}

static const struct {
    const char *words;
    cmd_fn fn;
} handlers[] = {
    { "sign", cmd_sign },
    { "zones", cmd_zones },
    { "queue", cmd_queue },
    { "flush", cmd_flush },
    { "clear", cmd_clear },
    { "update", cmd_update },
    { "retransfer", cmd_retransfer },
    { "running", cmd_running },
    { "reload", cmd_reload },
    { "stop", cmd_stop },
    { "verbosity", cmd_verbosity },
    { "time leap", cmd_time_leap },
};

void sgn_cmd_handle(ods_ctl_conn_t *conn, int argc, char **argv, void *arg)
{
    sgn_daemon_t *d = arg;
    int skip = argc > 0 && strcmp(argv[0], "signer") == 0;
    int nwords = 0;
    if (argc - skip >= 2 && strcmp(argv[skip], "hsm") == 0 &&
        strcmp(argv[skip + 1], "login") == 0) {
        cmd_hsm_login(d, conn, argc - skip, argv + skip);
        return;
    }
    const ods_cmd_t *cmd = ods_cmd_find(ODS_CMD_SIGNER, argc - skip, argv + skip, &nwords);
    cmd_fn fn = NULL;
    for (size_t i = 0; cmd && i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (strcmp(handlers[i].words, cmd->words) == 0)
            fn = handlers[i].fn;
    if (fn == NULL) {
        ods_ctl_eprintf(conn, "Error: signerd does not know the command '%s'; try `odsctl help`.\n",
                        argc > skip ? argv[skip] : "");
        ods_ctl_finish(conn, 2);
        return;
    }
    if (fn == cmd_sign && d->login != NULL) { /* signing needs the HSM */
        ods_ctl_eprintf(conn, "Error: %s.\n", ODS_SVC_LOGIN_WANTED);
        ods_ctl_finish(conn, 1);
        return;
    }
    ods_cmd_args_t *a = NULL;
    ods_err_t err;
    if (ods_cmd_parse(cmd, argc - skip - nwords, argv + skip + nwords, &a, &err) != ODS_OK) {
        ods_ctl_eprintf(conn, "Error: %s\n", err.msg);
        ods_ctl_finish(conn, 2);
        return;
    }
    int rc = fn(d, conn, a);
    ods_cmd_args_free(a);
    if (rc >= 0)
        ods_ctl_finish(conn, rc);
}
