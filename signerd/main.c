/*
 * signerd -- the signer daemon. main() only reads the options and the
 * configuration, detaches and hands over to the daemon (sgn_daemon.c).
 */
#include "conf/check.h"
#include "conf/conf.h"
#include "log/log.h"
#include "sgn_daemon.h"
#include "svc/daemon.h"
#include "svc/pidfile.h"
#include "svc/privs.h"
#include "svc/rundir.h"
#include "svc/signals.h"
#include "util/clock.h"

#include "ods_config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct opts {
    const char *conf;
    int foreground;
    int extra_verbosity;
    const char *set_time;
} opts_t;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: signerd [-c conf.xml] [-d] [-v] [-V] [-h] [--set-time TIME]\n"
            "  -c, --config FILE   configuration (default %s)\n"
            "  -d, --no-daemon     stay in the foreground and log to stderr\n"
            "  -v, --verbose       more verbose logging (repeat for more)\n"
            "  -V, --version       print the version and exit\n"
            "  -h, --help          this help\n"
            "      --set-time TIME start with the clock at TIME (tests)\n",
            ODS_CONF_FILE);
}

/* 0 to go on, otherwise 1 + the exit code. */
static int parse_opts(int argc, char **argv, opts_t *o)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "no-daemon", no_argument, NULL, 'd' },
        { "verbose", no_argument, NULL, 'v' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { "set-time", required_argument, NULL, 'T' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    o->conf = getenv("ODS_CONF") ? getenv("ODS_CONF") : ODS_CONF_FILE;
    while ((c = getopt_long(argc, argv, "c:dvVh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->conf = optarg;
            break;
        case 'd':
            o->foreground = 1;
            break;
        case 'v':
            o->extra_verbosity++;
            break;
        case 'T':
            o->set_time = optarg;
            break;
        case 'V':
            printf("signerd %s\n", ODS_VERSION);
            return 1;
        case 'h':
            usage(stdout);
            return 1;
        default:
            usage(stderr);
            return 3;
        }
    }
    return 0;
}

static void start_logging(const ods_conf_t *conf, const opts_t *o)
{
    int v = conf->verbosity + o->extra_verbosity;
    if (o->foreground)
        ods_log_open_stderr("signerd", v);
    else /* detached: stderr is /dev/null, so syslog even without Logging/Syslog */
        ods_log_open_syslog("signerd", conf->use_syslog ? conf->facility : LOG_DAEMON, v);
}

/* Everything that can fail before "ready"; on failure the reason goes to the starter. */
static int start(sgn_daemon_t **dp, const opts_t *o, ods_conf_t *conf, ods_svc_daemon_t *svc,
                 ods_svc_pidfile_t **pf)
{
    ods_err_t err;
    ods_svc_privs_t privs;
    int rc = ods_svc_privs_resolve(conf, ODS_SVC_SIGNER, &privs, &err);
    if (rc == ODS_OK)
        rc = ods_svc_rundir_ensure(conf->signer.socketfile, 0755, &err);
    if (rc == ODS_OK)
        rc = ods_svc_pidfile_create(conf->signer.pidfile, pf, &err);
    if (rc == ODS_OK)
        rc = sgn_daemon_new(o->conf, conf, ods_svc_privs_group(&privs), dp, &err);
    else
        ods_conf_free(conf);
    if (rc == ODS_OK)
        rc = ods_svc_privs_chown(&privs, (*dp)->conf->signer.workdir,
                                 ODS_SVC_CHOWN_RECURSIVE | ODS_SVC_CHOWN_PRIVATE, &err);
    if (rc == ODS_OK) /* the socket is the daemon's, as the enforcer's is */
        rc = ods_svc_privs_chown(&privs, (*dp)->conf->signer.socketfile, 0, &err);
    if (rc == ODS_OK)
        rc = ods_svc_privs_drop(&privs, &err);
    if (rc != ODS_OK) {
        ods_log_crit("%s", err.msg);
        ods_svc_daemon_fail(svc, err.msg);
        return rc;
    }
    if (ods_svc_daemon_ready(svc, &err) != ODS_OK)
        ods_log_warning("%s", err.msg);
    return ODS_OK;
}

static void on_hup(int sig, void *arg)
{
    ods_err_t err;
    ods_log_notice("SIGHUP: reloading the configuration");
    if (sgn_daemon_reload(arg, &err) != ODS_OK)
        ods_log_error("reload failed: %s", err.msg);
}

static void on_term(int sig, void *arg)
{
    ods_log_notice("signal %d: stopping", sig);
    sgn_daemon_stop(arg);
}

static int run(sgn_daemon_t *d)
{
    ods_svc_signals_t *sigs = NULL;
    ods_err_t err;
    int rc = ods_svc_signals_new(d->base, &sigs, &err);
    if (rc == ODS_OK)
        rc = ods_svc_signals_on(sigs, SIGHUP, on_hup, d, &err);
    if (rc == ODS_OK)
        rc = ods_svc_signals_on(sigs, SIGTERM, on_term, d, &err);
    if (rc == ODS_OK)
        rc = ods_svc_signals_on(sigs, SIGINT, on_term, d, &err);
    if (rc != ODS_OK) {
        ods_log_crit("%s", err.msg);
        ods_svc_signals_free(sigs);
        return 1;
    }
    int status = sgn_daemon_run(d);
    ods_svc_signals_free(sigs);
    return status;
}

int main(int argc, char **argv)
{
    opts_t o = { 0 };
    int rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc - 1;
    time_t t0;
    if (o.set_time != NULL && ods_clock_parse(o.set_time, &t0) != ODS_OK) {
        fprintf(stderr, "signerd: --set-time %s is not a time\n", o.set_time);
        return 2;
    }
    if (o.set_time != NULL)
        ods_clock_set(t0);
    ods_conf_t *conf;
    if (ods_conf_startup_check(o.conf, "signerd", stderr, &conf) != ODS_OK)
        return 1;
    ods_svc_daemon_t *svc = NULL;
    int status = 0;
    ods_err_t err;
    rc = ods_svc_daemon_start(!o.foreground, &svc, &status, &err);
    if (rc == ODS_SVC_ORIGINAL) {
        ods_conf_free(conf);
        return status;
    }
    if (rc != ODS_OK) {
        fprintf(stderr, "signerd: %s\n", err.msg);
        ods_conf_free(conf);
        return 1;
    }
    start_logging(conf, &o);
    sgn_daemon_t *d = NULL;
    ods_svc_pidfile_t *pf = NULL;
    status = start(&d, &o, conf, svc, &pf) == ODS_OK ? run(d) : 1;
    ods_svc_daemon_notify(svc, "STOPPING=1", NULL);
    sgn_daemon_free(d);
    ods_svc_pidfile_remove(pf);
    ods_svc_daemon_free(svc);
    ods_log_notice("signerd stopped");
    ods_log_close();
    return status;
}
