/* enf_cmd_queue.c -- queue, flush, enforce, time leap, signconf. */
#include <stdlib.h>
#include <string.h>

#include "enf_cmd.h"
#include "enf_enforce.h"
#include "enf_json.h"
#include "enf_keypool.h"
#include "enf_parent.h"
#include "enf_resalt.h"
#include "enf_setup.h"
#include "enf_signer.h"
#include "enf_store_zone.h"
#include "enf_zones.h"
#include "log/log.h"
#include "util/clock.h"

typedef struct task {
    time_t when;
    const char *what; /* text: "enforce zone" / "resalt policy" */
    const char *task; /* JSON: "enforce" / "resalt policy" */
    char name[ENF_NAME_MAX];
} task_t;

typedef struct tasks {
    task_t *v;
    size_t n, cap;
} tasks_t;

static int add_task(tasks_t *t, time_t when, const char *what, const char *task, const char *name)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        task_t *nv = realloc(t->v, cap * sizeof(*nv));
        if (!nv)
            return ODS_ENOMEM;
        t->v = nv;
        t->cap = cap;
    }
    t->v[t->n].when = when;
    t->v[t->n].what = what;
    t->v[t->n].task = task;
    snprintf(t->v[t->n].name, sizeof(t->v[t->n].name), "%s", name);
    t->n++;
    return 0;
}

static int zone_task(void *arg, const enf_zone_info_t *zi)
{
    if (zi->next_change < 0 || zi->suspended)
        return 0;
    return add_task(arg, zi->next_change, "enforce zone", "enforce", zi->name);
}

static int by_time(const void *a, const void *b)
{
    const task_t *x = a, *y = b;
    return x->when < y->when ? -1 : x->when > y->when ? 1 : strcmp(x->name, y->name);
}

static int collect_tasks(enf_daemon_t *d, tasks_t *t, ods_err_t *err)
{
    int rc = enf_store_zone_foreach(d->store, 0, zone_task, t, err);
    for (size_t i = 0; rc == ODS_OK && i < d->policies->n; i++) {
        time_t s = enf_policy_resalt_time(&d->policies->recs[i]);
        if (s >= 0)
            rc = add_task(t, s, "resalt policy", "resalt policy", d->policies->recs[i].pol.name);
    }
    if (rc == ODS_ENOMEM)
        return ods_err_set(err, rc, "out of memory");
    if (t->n > 1)
        qsort(t->v, t->n, sizeof(*t->v), by_time);
    return rc;
}

static void print_time(enf_reply_t *r, const char *label, time_t t)
{
    char text[32];
    ods_clock_format(t, text, sizeof(text));
    enf_out(r, "%s%s (%lld seconds since epoch)\n", label, text, (long long)t);
}

static void queue_json(enf_daemon_t *d, enf_reply_t *r, const tasks_t *t, time_t now)
{
    ods_buf_t *b = &r->out;
    ods_buf_append_u8(b, '{');
    ods_json_kv_time(b, 1, "now", now);
    ods_json_kv_int(b, 0, "keys_being_generated",
                    d->keygen ? (long long)enf_keygen_pending_all(d->keygen) : 0);
    ods_json_key(b, 0, "tasks");
    ods_buf_append_u8(b, '[');
    for (size_t i = 0; i < t->n; i++) {
        enf_json_item_open(b, i == 0);
        ods_json_kv_time(b, 1, "time", t->v[i].when);
        ods_json_kv_str(b, 0, "task", t->v[i].task);
        ods_json_kv_str(b, 0, "object", t->v[i].name);
        ods_buf_append_u8(b, '}');
    }
    enf_json_list_close(b);
}

int enf_cmd_queue(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    tasks_t t = { 0 };
    ods_err_t err;
    time_t now = ods_clock_now();
    if (collect_tasks(d, &t, &err) != ODS_OK) {
        free(t.v);
        return ods_cmd_has(a, "json") ? enf_json_fail(r, &err) : enf_fail(r, &err);
    }
    if (ods_cmd_has(a, "json")) {
        queue_json(d, r, &t, now);
    } else {
        enf_out(r, "There %s %zu %s scheduled.\n", t.n == 1 ? "is" : "are", t.n,
                t.n == 1 ? "task" : "tasks");
        print_time(r, "It is now ", now);
        if (t.n && t.v[0].when > now)
            print_time(r, "Next task scheduled ", t.v[0].when);
        else if (t.n)
            enf_out(r, "Next task scheduled immediately\n");
        for (size_t i = 0; i < t.n; i++) {
            char text[32];
            ods_clock_format(t.v[i].when, text, sizeof(text));
            enf_out(r, "On %s I will %s %s\n", text, t.v[i].what, t.v[i].name);
        }
        if (d->keygen && enf_keygen_pending_all(d->keygen))
            enf_out(r, "Key generation: %zu key(s) being generated\n",
                    enf_keygen_pending_all(d->keygen));
        if (enf_parent_running(d->parent))
            enf_out(r, "DS commands running: %zu\n", enf_parent_running(d->parent));
    }
    free(t.v);
    return ENF_EXIT_OK;
}

int enf_cmd_flush(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    ods_err_t err;
    if (enf_store_exec(d->store, "UPDATE zones SET next_change = 0 WHERE next_change > 0", &err) !=
        ODS_OK)
        return enf_fail(r, &err);
    enf_out(r, "All tasks scheduled immediately.\n");
    enf_settle_now(d);
    return ENF_EXIT_OK;
}

static int enforce_one(enf_daemon_t *d, enf_reply_t *r, const char *name)
{
    enf_zone_info_t zi;
    ods_err_t err;
    int rc = enf_zones_find(d, name, &zi, &err);
    if (rc != ODS_OK)
        return enf_fail(r, &err);
    if (zi.suspended) {
        zi.suspended = 0; /* enforcing a suspended zone resumes it */
        rc = enf_store_zone_update_info(d->store, &zi, &err);
    }
    if (rc == ODS_OK)
        rc = enf_enforce_zone(d, zi.id, NULL, NULL, NULL, &err);
    enf_zone_info_clear(&zi);
    return rc == ODS_OK ? ENF_EXIT_OK : enf_fail(r, &err);
}

int enf_cmd_enforce(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *zone = ods_cmd_get(a, "zone");
    if (zone)
        return enforce_one(d, r, zone);
    ods_err_t err;
    if (enf_store_zone_set_next(d->store, 0, 0, ods_clock_now(), &err) != ODS_OK)
        return enf_fail(r, &err);
    enf_settle_now(d);
    return ENF_EXIT_OK;
}

/* "YYYY-MM-DD-HH:MM:SS" (OpenDNSSEC) or any form ods_clock_parse knows. */
static int parse_leap_time(const char *text, time_t *t)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", text);
    if (strlen(buf) == 19 && buf[10] == '-')
        buf[10] = ' ';
    return ods_clock_parse(buf, t);
}

static void leap_signer(enf_daemon_t *d, time_t t)
{
    ods_err_t err;
    int rc = enf_signer_time_leap(d->conf, t, &err);
    if (rc == ODS_ENOTFOUND)
        ods_log_info("time leap: signer not running, its clock was not moved");
    else if (rc != ODS_OK)
        ods_log_warning("time leap: the signer's clock was not moved: %s", err.msg);
}

int enf_cmd_time_leap(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    const char *given = ods_cmd_get(a, "time");
    time_t now = ods_clock_now(), t;
    if (given && parse_leap_time(given, &t) != ODS_OK) {
        enf_errout(r,
                   "Time leap: Error - could not convert '%s' to a time. Format is "
                   "YYYY-MM-DD-HH:MM:SS\n",
                   given);
        return ENF_EXIT_USAGE;
    }
    if (!given && (t = enf_daemon_next_event(d)) < 0) {
        enf_out(r, "There are no tasks scheduled.\n");
        return ENF_EXIT_FAIL;
    }
    print_time(r, "It is now       ", now);
    if (t > now) {
        char text[32];
        ods_clock_format(t, text, sizeof(text));
        ods_clock_set(t);
        ods_log_info("Time leap: Leaping to time %s", text);
        leap_signer(d, t);
    }
    print_time(r, "Leaping to time ", t > now ? t : now);
    ods_err_t err;
    enf_settle_now(d);
    if (enf_resalt_due(d, -1, NULL, &err) != ODS_OK)
        enf_errout(r, "resalt: %s\n", err.msg);
    return ENF_EXIT_OK;
}

static int write_one(void *arg, const enf_zone_info_t *zi)
{
    size_t *n = ((void **)arg)[1];
    enf_daemon_t *d = ((void **)arg)[0];
    ods_err_t err;
    if (enf_enforce_write_signconf(d, zi->id, &err) != ODS_OK)
        ods_log_error("%s", err.msg);
    else
        (*n)++;
    return 0;
}

int enf_cmd_signconf(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    size_t n = 0;
    void *ctx[2] = { d, &n };
    ods_err_t err;
    if (enf_store_zone_foreach(d->store, 0, write_one, ctx, &err) != ODS_OK)
        return enf_fail(r, &err);
    enf_out(r, "Signer configurations written for %zu zone(s).\n", n);
    return ENF_EXIT_OK;
}
