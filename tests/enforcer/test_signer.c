/*
 * test_signer.c -- what enforcerd tells the signer. The test listens on the
 * signer's control socket (the real server side of the control protocol, in
 * a thread of this process) and records every command: zone add must have
 * sent "update --all" before it answers (no "zone not found" race), a
 * signconf change sends "update ZONE", and time leap sends the signer its
 * new time as "time leap --time EPOCH". With no signer listening, commands
 * still succeed.
 */
#include <event2/event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/server.h"
#include "enf_test.h"
#include "tap.h"

static et_t t;

#define CMD(out, err, ...) et_cmd(&t, out, err, __VA_ARGS__, NULL)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char received[64][256];
static int nreceived;
static struct event_base *base;

static void on_command(ods_ctl_conn_t *conn, int argc, char **argv, void *arg)
{
    char line[256] = "";
    for (int i = 0; i < argc; i++)
        snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", i ? " " : "", argv[i]);
    pthread_mutex_lock(&lock);
    if (nreceived < 64)
        snprintf(received[nreceived++], sizeof(received[0]), "%s", line);
    pthread_mutex_unlock(&lock);
    ods_ctl_finish(conn, 0);
}

static void *serve(void *arg)
{
    event_base_dispatch(base);
    return NULL;
}

static volatile int stop_flag;

/* The loop checks the flag itself: libevent here is not built for cross-thread calls. */
static void check_stop(evutil_socket_t fd, short what, void *arg)
{
    if (stop_flag)
        event_base_loopbreak(base);
}

/* Index of the first command received at or after `from` that starts with prefix; -1. */
static int got(int from, const char *prefix)
{
    int at = -1;
    pthread_mutex_lock(&lock);
    for (int i = from; i < nreceived && at < 0; i++)
        if (strncmp(received[i], prefix, strlen(prefix)) == 0)
            at = i;
    pthread_mutex_unlock(&lock);
    return at;
}

static int count(void)
{
    pthread_mutex_lock(&lock);
    int n = nreceived;
    pthread_mutex_unlock(&lock);
    return n;
}

static void test_notifications(void)
{
    char *out = NULL, want[128];
    int mark = count();
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "s.example"), 0, "zone add");
    free(out);
    ok(got(mark, "update --all") >= 0, "the signer was told to re-read zones.xml before zone add "
                                       "answered");
    mark = count();
    is_int(CMD(&out, NULL, "time", "leap"), 0, "time leap");
    char epoch[32] = "";
    et_field(out, "Leaping to time", 5, epoch, sizeof(epoch));
    free(out);
    snprintf(want, sizeof(want), "time leap --time %s", epoch + 1); /* "(123" */
    ok(got(mark, want) >= 0, "the signer's clock was moved along (%s)", want);
    ok(got(mark, "update s.example") > got(mark, "time leap"),
       "the changed signconf was announced after the clock moved");
    mark = count();
    is_int(CMD(&out, NULL, "signconf"), 0, "signconf (rewrite all)");
    free(out);
    ok(got(mark, "update s.example") >= 0, "announces every zone");
}

int main(void)
{
    if (et_init(&t, "signer") != 0 ||
        et_conf(&t, "<AutomaticKeyGenerationPeriod>PT2H</AutomaticKeyGenerationPeriod>", NULL) ||
        et_kasp(&t, ET_POLICY_LAB("default", "")) != 0 || et_setup(&t) != 0 ||
        et_start(&t, NULL) != 0) {
        ok(0, "fixture and daemon (log %s)", t.log);
        et_cleanup(&t);
        return tap_done();
    }
    char *out = NULL;
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "early.example"), 0,
           "zone add works without a signer listening");
    free(out);
    ok(et_log_has(&t, "signer not running"), "which is logged, not an error");

    char sock[800];
    snprintf(sock, sizeof(sock), "%s/signer.sock", t.signer_dir);
    ods_ctl_server_t *srv = NULL;
    ods_err_t err;
    base = event_base_new();
    pthread_t th;
    struct event *tick = base ? event_new(base, -1, EV_PERSIST, check_stop, NULL) : NULL;
    struct timeval every = { 0, 50 * 1000 };
    if (!tick || event_add(tick, &every) != 0 ||
        ods_ctl_server_new(base, sock, 0660, (gid_t)-1, on_command, NULL, &srv, &err) ||
        pthread_create(&th, NULL, serve, NULL) != 0) {
        ok(0, "listen on the signer socket: %s", err.msg);
    } else {
        test_notifications();
        stop_flag = 1;
        pthread_join(th, NULL);
        ods_ctl_server_free(srv);
    }
    if (tick)
        event_free(tick);
    if (base)
        event_base_free(base);
    is_int(et_stop(&t), 0, "the daemon stops cleanly");
    ok(et_log_clean(&t), "no sanitizer report in the log");
    et_cleanup(&t);
    return tap_done();
}
