/*
 * main.c -- enforcerd: options, configuration check before detaching, then
 * the daemon (enf_daemon.h).
 *
 *   enforcerd [-c conf.xml] [-d] [-v] [--set-time TIME] [--setup]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/check.h"
#include "conf/conf.h"
#include "enf_daemon.h"
#include "enf_setup.h"
#include "log/log.h"
#include "ods_config.h"
#include "svc/daemon.h"
#include "svc/pidfile.h"
#include "svc/privs.h"
#include "svc/rundir.h"
#include "util/clock.h"

typedef struct opts {
    const char *conf;
    int foreground;
    int verbose;
    const char *set_time;
    int setup;
} opts_t;

static void usage(FILE *fp)
{
    fprintf(fp, "usage: enforcerd [-c conf.xml] [-d] [-v] [--set-time TIME] [--setup]\n"
                "  -c, --config FILE  configuration (default " ODS_CONF_FILE ")\n"
                "  -d, --no-daemon    stay in the foreground, log to standard error\n"
                "  -v, --verbose      log more (repeat for more)\n"
                "      --set-time T   start the clock at T (testing; see 'time leap')\n"
                "      --setup        create or wipe the database and import kasp.xml and\n"
                "                     zonelist.xml, then exit (the daemon must not run)\n"
                "  -V, --version      print the version\n");
}

static int parse(int argc, char **argv, opts_t *o)
{
    static const struct option longs[] = {
        { "config", required_argument, NULL, 'c' }, { "no-daemon", no_argument, NULL, 'd' },
        { "verbose", no_argument, NULL, 'v' },      { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },         { "set-time", required_argument, NULL, 't' },
        { "setup", no_argument, NULL, 's' },        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof(*o));
    o->conf = ODS_CONF_FILE;
    int c;
    while ((c = getopt_long(argc, argv, "c:dvVh", longs, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->conf = optarg;
            break;
        case 'd':
            o->foreground = 1;
            break;
        case 'v':
            o->verbose++;
            break;
        case 't':
            o->set_time = optarg;
            break;
        case 's':
            o->setup = 1;
            break;
        case 'V':
            printf("enforcerd %s\n", ODS_VERSION);
            exit(0);
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    return optind == argc ? 0 : -1;
}

static int run_setup(const char *path)
{
    enf_daemon_t *d;
    ods_err_t err;
    ods_buf_t out = ODS_BUF_INIT;
    int rc = enf_daemon_new(path, &d, &err);
    if (rc == ODS_OK) {
        rc = enf_setup_all(d, &out, &err);
        enf_daemon_free(d);
    }
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    ods_buf_free(&out);
    if (rc != ODS_OK)
        fprintf(stderr, "enforcerd: setup: %s\n", err.msg);
    return rc == ODS_OK ? 0 : 1;
}

static void open_log(const ods_conf_t *conf, const opts_t *o)
{
    int v = conf->verbosity + o->verbose;
    if (o->foreground || !conf->use_syslog)
        ods_log_open_stderr("enforcerd", v);
    else
        ods_log_open_syslog("enforcerd", conf->facility, v);
}

/* Give the daemon's user what it writes after the drop: the working
 * directory, the database with SQLite's WAL files (all private: the
 * database may have been made by root's `odsctl setup` with mode 0644), and
 * the socket (so that it can remove it). */
static int give_files(const ods_conf_enforcer_t *e, const ods_svc_privs_t *privs, ods_err_t *err)
{
    char wal[4096], shm[4096];
    snprintf(wal, sizeof(wal), "%s-wal", e->datastore);
    snprintf(shm, sizeof(shm), "%s-shm", e->datastore);
    const char *owned[] = { e->workdir, e->datastore, wal, shm, e->socketfile };
    const int flags[] = { ODS_SVC_CHOWN_RECURSIVE | ODS_SVC_CHOWN_PRIVATE, ODS_SVC_CHOWN_PRIVATE,
                          ODS_SVC_CHOWN_PRIVATE, ODS_SVC_CHOWN_PRIVATE, 0 };
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < sizeof(owned) / sizeof(owned[0]); i++) {
        int r = ods_svc_privs_chown(privs, owned[i], flags[i], err);
        rc = r == ODS_ENOTFOUND ? ODS_OK : r;
    }
    return rc;
}

/* Things that need root: pid file, socket, database files, HSM; then drop. */
static int start(enf_daemon_t *d, const ods_svc_privs_t *privs, ods_svc_pidfile_t **pf,
                 ods_err_t *err)
{
    const ods_conf_enforcer_t *e = &d->conf->enforcer;
    int rc = ods_svc_pidfile_create(e->pidfile, pf, err);
    if (rc == ODS_OK)
        rc = ods_svc_rundir_ensure(e->socketfile, 0755, err);
    if (rc == ODS_OK)
        rc = enf_daemon_listen(d, ods_svc_privs_group(privs), err);
    if (rc == ODS_OK)
        rc = enf_daemon_open_hsm(d, err);
    if (rc == ODS_OK)
        rc = give_files(e, privs, err);
    if (rc == ODS_OK)
        rc = ods_svc_privs_drop(privs, err);
    return rc;
}

static int serve(const opts_t *o, const ods_conf_t *conf, ods_svc_daemon_t *svc,
                 const ods_svc_privs_t *privs)
{
    enf_daemon_t *d = NULL;
    ods_svc_pidfile_t *pf = NULL;
    ods_err_t err;
    time_t t;
    int rc = ODS_OK;
    if (o->set_time) {
        rc = ods_clock_parse(o->set_time, &t);
        if (rc == ODS_OK)
            ods_clock_set(t);
        else
            ods_err_set(&err, rc, "--set-time %s: not a time (YYYY-MM-DD HH:MM:SS)", o->set_time);
    }
    if (rc == ODS_OK)
        rc = enf_daemon_new(o->conf, &d, &err);
    if (rc == ODS_OK)
        rc = start(d, privs, &pf, &err);
    if (rc != ODS_OK) {
        ods_log_error("%s", err.msg);
        ods_svc_daemon_fail(svc, err.msg);
    } else {
        ods_svc_daemon_ready(svc, NULL);
        ods_log_notice("enforcerd %s started (%s)", ODS_VERSION, conf->enforcer.socketfile);
        enf_daemon_run(d);
        ods_svc_daemon_notify(svc, "STOPPING=1", NULL);
        ods_log_notice("enforcerd stopped");
    }
    enf_daemon_free(d);
    ods_svc_pidfile_remove(pf);
    return rc == ODS_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    opts_t o;
    ods_conf_t *conf = NULL;
    if (parse(argc, argv, &o) != 0)
        return 2;
    if (ods_conf_startup_check(o.conf, "enforcerd", stderr, &conf) != ODS_OK)
        return 1;
    static char conf_path[4096]; /* absolute: the daemon works from / */
    snprintf(conf_path, sizeof(conf_path), "%s", conf->path);
    o.conf = conf_path;
    if (o.setup) {
        ods_log_open_stderr("enforcerd", conf->verbosity + o.verbose);
        ods_conf_free(conf);
        return run_setup(o.conf);
    }
    ods_svc_privs_t privs;
    ods_svc_daemon_t *svc = NULL;
    ods_err_t err;
    int status = 1;
    if (ods_svc_privs_resolve(conf, ODS_SVC_ENFORCER, &privs, &err) != ODS_OK) {
        fprintf(stderr, "enforcerd: %s\n", err.msg);
        ods_conf_free(conf);
        return 1;
    }
    int rc = ods_svc_daemon_start(!o.foreground, &svc, &status, &err);
    if (rc == ODS_SVC_ORIGINAL || rc != ODS_OK) {
        if (rc != ODS_SVC_ORIGINAL)
            fprintf(stderr, "enforcerd: %s\n", err.msg);
        ods_conf_free(conf);
        return rc == ODS_SVC_ORIGINAL ? status : 1;
    }
    open_log(conf, &o);
    status = serve(&o, conf, svc, &privs);
    ods_svc_daemon_free(svc);
    ods_conf_free(conf);
    ods_log_close();
    return status;
}
