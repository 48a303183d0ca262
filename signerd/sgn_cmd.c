/*
 * sgn_cmd.c -- the signer's control commands (ods-signer's, with the same
 * names and messages, so operators' scripts carry over).
 */
#include "sgn_daemon.h"
#include "ctl/cmdparse.h"
#include "ctl/cmdtab.h"
#include "log/log.h"
#include "util/clock.h"

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

static void json_str(ods_ctl_conn_t *c, const char *s)
{
    ods_ctl_printf(c, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ods_ctl_printf(c, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            ods_ctl_printf(c, "\\u%04x", (unsigned char)*s);
        else
            ods_ctl_printf(c, "%c", *s);
    }
    ods_ctl_printf(c, "\"");
}

static void zone_json(ods_ctl_conn_t *c, const sgn_slot_t *s, bool first)
{
    ods_ctl_printf(c, "%s{\"zone\":", first ? "" : ",");
    json_str(c, s->zs->name);
    ods_ctl_printf(c, ",\"state\":\"%s\",\"serial\":", slot_state(s));
    if (s->zs->have_outbound)
        ods_ctl_printf(c, "%" PRIu32, s->zs->outbound_serial);
    else
        ods_ctl_printf(c, "null");
    ods_ctl_printf(c, ",\"last_run\":%lld,\"next_run\":%lld,\"output\":", (long long)s->last_run_at,
                   (long long)s->next_run);
    json_str(c, s->zs->output_path);
    ods_ctl_printf(c, ",\"error\":");
    if (s->last_error[0])
        json_str(c, s->last_error);
    else
        ods_ctl_printf(c, "null");
    ods_ctl_printf(c, "}");
}

static int cmd_zones(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    bool json = ods_cmd_has(a, "json");
    size_t n = 0;
    pthread_mutex_lock(&d->lock);
    if (json)
        ods_ctl_printf(c, "{\"zones\":[");
    else
        ods_ctl_printf(c, "Zones:\n");
    for (size_t i = 0; i < d->nslots; i++) {
        const sgn_slot_t *s = d->slots[i];
        if (s->removed)
            continue;
        if (json) {
            zone_json(c, s, n == 0);
        } else {
            char when[32] = "-";
            if (s->last_run_at)
                ods_clock_format(s->last_run_at, when, sizeof(when));
            ods_ctl_printf(c, "- %s: %s, serial %" PRIu32 ", last run %s%s%s\n", s->zs->name,
                           slot_state(s), s->zs->outbound_serial, when,
                           s->last_error[0] ? ": " : "", s->last_error);
        }
        n++;
    }
    pthread_mutex_unlock(&d->lock);
    if (json)
        ods_ctl_printf(c, "]}\n");
    else if (n == 0)
        ods_ctl_printf(c, "(none: the enforcer has not given the signer any zone yet)\n");
    return 0;
}

static int cmd_queue(sgn_daemon_t *d, ods_ctl_conn_t *c, const ods_cmd_args_t *a)
{
    char now_s[32];
    time_t now = ods_clock_now();
    ods_clock_format(now, now_s, sizeof(now_s));
    bool json = ods_cmd_has(a, "json");
    if (json)
        ods_ctl_printf(c, "{\"now\":%lld,\"tasks\":[", (long long)now);
    else
        ods_ctl_printf(c, "It is now %s (%lld seconds since epoch)\n", now_s, (long long)now);
    pthread_mutex_lock(&d->lock);
    size_t n = 0;
    for (size_t i = 0; i < d->nslots; i++) {
        const sgn_slot_t *s = d->slots[i];
        if (s->removed || (s->next_run == 0 && !s->queued && !s->busy))
            continue;
        char when[32];
        ods_clock_format(s->next_run ? s->next_run : now, when, sizeof(when));
        const char *what = s->busy ? "signing now" : s->queued ? "queued" : "sign";
        if (json)
            ods_ctl_printf(c, "%s{\"object\":\"%s\",\"task\":\"%s\",\"time\":%lld}", n ? "," : "",
                           s->zs->name, what, (long long)(s->next_run ? s->next_run : now));
        else
            ods_ctl_printf(c, "On %s I will [%s] zone %s\n", when, what, s->zs->name);
        n++;
    }
    pthread_mutex_unlock(&d->lock);
    if (json)
        ods_ctl_printf(c, "]}\n");
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
    return 0;
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
