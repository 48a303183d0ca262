/*
 * ctl_fake_daemon.c -- a stand-in daemon for the odsctl tests, on the real
 * control server (common/ctl/server.c):
 *
 *   ctl_fake_daemon SOCKET NAME
 *
 * It answers every command with one JSON line {"daemon":NAME,"argv":[...]}
 * on stdout and exit status 0, except:
 *   verbosity N     "NAME: verbosity N refused" on stderr, exit status N
 *   queue           50000 numbered lines on stdout (unless --json is given)
 *   time leap       never answers (until the client goes away)
 *   stop            answers, then stops the daemon
 * It runs until "stop" or SIGTERM.
 */
#include "ctl/server.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake {
    struct event_base *base;
    const char *name;
};

static void json_string(ods_ctl_conn_t *c, const char *s)
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

static void echo(ods_ctl_conn_t *c, const char *name, int argc, char **argv)
{
    ods_ctl_printf(c, "{\"daemon\":\"%s\",\"argv\":[", name);
    for (int i = 0; i < argc; i++) {
        ods_ctl_printf(c, "%s", i ? "," : "");
        json_string(c, argv[i]);
    }
    ods_ctl_printf(c, "]}\n");
}

static int has_arg(int argc, char **argv, const char *want)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], want) == 0)
            return 1;
    return 0;
}

static void on_close(ods_ctl_conn_t *c, void *arg)
{
    ods_ctl_finish(c, 0);
}

static void handle(ods_ctl_conn_t *c, int argc, char **argv, void *arg)
{
    struct fake *f = arg;
    if (strcmp(argv[0], "verbosity") == 0 && argc == 2) {
        ods_ctl_eprintf(c, "%s: verbosity %s refused\n", f->name, argv[1]);
        ods_ctl_finish(c, atoi(argv[1]));
        return;
    }
    if (strcmp(argv[0], "time") == 0) {
        ods_ctl_conn_set_close_cb(c, on_close, NULL);
        return;
    }
    if (strcmp(argv[0], "queue") == 0 && !has_arg(argc, argv, "--json")) {
        for (int i = 0; i < 50000; i++)
            ods_ctl_printf(c, "%s task %d\n", f->name, i);
        ods_ctl_finish(c, 0);
        return;
    }
    echo(c, f->name, argc, argv);
    ods_ctl_finish(c, 0);
    if (strcmp(argv[0], "stop") == 0)
        event_base_loopexit(f->base, NULL);
}

static void on_term(evutil_socket_t sig, short what, void *arg)
{
    event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
    struct fake f;
    ods_ctl_server_t *srv = NULL;
    ods_ctl_limits_t lim;
    struct event *term;
    ods_err_t err;
    if (argc != 3) {
        fprintf(stderr, "usage: ctl_fake_daemon SOCKET NAME\n");
        return 2;
    }
    f.base = event_base_new();
    f.name = argv[2];
    if (!f.base || ods_ctl_server_new(f.base, argv[1], 0660, (gid_t)-1, handle, &f, &srv, &err)) {
        fprintf(stderr, "ctl_fake_daemon: %s\n", f.base ? err.msg : "no event base");
        return 1;
    }
    ods_ctl_limits_default(&lim);
    lim.output_max = 16u * 1024 * 1024; /* queue writes its lines at once */
    ods_ctl_server_set_limits(srv, &lim, NULL);
    term = evsignal_new(f.base, SIGTERM, on_term, f.base);
    evsignal_add(term, NULL);
    event_base_dispatch(f.base);
    event_free(term);
    ods_ctl_server_free(srv);
    event_base_free(f.base);
    return 0;
}
