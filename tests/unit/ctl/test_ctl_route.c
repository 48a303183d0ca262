/*
 * test_ctl_route.c -- odsctl's routing: which program runs each command of
 * the table, the selector words, the error messages for unknown commands,
 * and the socket paths read from conf.xml.
 */
#include "ctl_route.h"
#include "ods_config.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int split(char *buf, char **argv, int max)
{
    int argc = 0;
    for (char *tok = strtok(buf, " "); tok && argc < max; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    return argc;
}

/* Route a line; returns the rc, fills *r and err. */
static int route(const char *line, ctl_route_t *r, ods_err_t *err)
{
    char buf[256], *argv[16];
    int argc;
    snprintf(buf, sizeof(buf), "%s", line);
    argc = split(buf, argv, 16);
    ods_err_clear(err);
    return ctl_route_find(argc, argv, r, err);
}

static void expect(const char *line, const char *words, int targets, int selector)
{
    ctl_route_t r = { 0 };
    ods_err_t err;
    int rc = route(line, &r, &err);
    ok(rc == ODS_OK && r.cmd && strcmp(r.cmd->words, words) == 0 && r.targets == targets &&
           r.selector == selector,
       "'%s' -> %s, targets %d", line, words, targets);
    if (rc != ODS_OK)
        tap_diag("%s", err.msg);
}

static void expect_err(const char *line, const char *msg)
{
    ctl_route_t r = { 0 };
    ods_err_t err;
    int rc = route(line, &r, &err);
    ok(rc != ODS_OK && r.cmd == NULL, "'%s' is refused", line);
    is_str(err.msg, msg, "'%s': message", line);
}

static const int E = ODS_CMD_ENFORCER, S = ODS_CMD_SIGNER, L = ODS_CMD_LOCAL;

static void test_targets(void)
{
    expect("key list --verbose", "key list", E, 0);
    expect("zone add --zone a.nl", "zone add", E, 0);
    expect("zone status --json", "zone status", E, 0);
    expect("update all", "update all", E, 0);
    expect("setup", "setup", E, 0);
    expect("sign a.nl", "sign", S, 0);
    expect("zones --json", "zones", S, 0);
    expect("clear a.nl", "clear", S, 0);
    expect("retransfer a.nl", "retransfer", S, 0);
    expect("signer update a.nl", "update", S, 1);
    expect("signer update --all", "update", S, 1);
    expect("queue", "queue", E | S, 0);
    expect("flush", "flush", E | S, 0);
    expect("running", "running", E | S, 0);
    expect("reload", "reload", E | S, 0);
    expect("stop", "stop", E | S, 0);
    expect("verbosity 4", "verbosity", E | S, 0);
    expect("time leap", "time leap", E, 0);
    expect("enforcer queue", "queue", E, 1);
    expect("signer queue --json", "queue", S, 1);
    expect("signer time leap --time 2030-01-01-00:00:00", "time leap", S, 1);
    expect("enforcer stop", "stop", E, 1);
    expect("enforcer key list", "key list", E, 1);
    expect("signer sign --all", "sign", S, 1);
    expect("help key list", "help", L, 0);
    expect("check-config", "check-config", L, 0);
    expect("version", "version", L, 0);
    expect("hsm list SoftHSM", "hsm list", L, 0);
    expect("hsm generate SoftHSM rsa 2048", "hsm generate", L, 0);
}

/* Every command of the table is reachable, bare or with its daemon's selector. */
static void test_reachable(void)
{
    size_t n;
    const ods_cmd_t *t = ods_cmd_table(&n);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char line[128];
        ctl_route_t r;
        ods_err_t err;
        if (ods_cmd_bare_reachable(&t[i]))
            snprintf(line, sizeof(line), "%s", t[i].words);
        else
            snprintf(line, sizeof(line), "signer %s", t[i].words);
        if (route(line, &r, &err) != ODS_OK || r.cmd != &t[i]) {
            tap_diag("'%s' does not reach its command", line);
            bad++;
        }
        for (int d = ODS_CMD_ENFORCER; d <= ODS_CMD_SIGNER; d <<= 1) {
            if (!(t[i].owner & d))
                continue;
            snprintf(line, sizeof(line), "%s %s", d == E ? "enforcer" : "signer", t[i].words);
            if (route(line, &r, &err) != ODS_OK || r.cmd != &t[i] || r.targets != d) {
                tap_diag("'%s' does not reach its command", line);
                bad++;
            }
        }
    }
    is_int(bad, 0, "all %zu commands reachable", n);
}

static void test_errors(void)
{
    expect_err("zone ad --zone a.nl", "unknown command 'zone ad'; did you mean 'zone add'?");
    expect_err("key lst", "unknown command 'key lst'; did you mean 'key list'?");
    expect_err("frobnicate", "unknown command 'frobnicate'; `odsctl help` lists the commands");
    expect_err("zone", "'zone' needs a subcommand: list, add, delete, set-policy, status (see "
                       "`odsctl help zone`)");
    expect_err("key --zone a", "'key' needs a subcommand: list, export, import, ds-submit, "
                               "ds-seen, ds-retract, ds-gone, generate, purge, rollover (see "
                               "`odsctl help key`)");
    expect_err("update a.nl", "'update' needs a subcommand: conf, repositorylist, all; the "
                              "signer's update is `odsctl signer update a.nl`");
    expect_err("update confg", "unknown command 'update confg'; did you mean 'update conf'?");
    expect_err("enforcer sign a.nl",
               "unknown enforcer command 'sign a.nl'; `odsctl help` lists the commands");
    expect_err("signer zone", "unknown signer command 'zone'; did you mean 'zones'?");
    expect_err("signer key list", "unknown signer command 'key list'; `odsctl help` lists the "
                                  "commands");
    expect_err("enforcer hsm list",
               "unknown enforcer command 'hsm list'; `odsctl help` lists the commands");
    expect_err("signer", "'signer' needs a command; `odsctl help signer` lists them");
    is_int(ctl_route_find(0, NULL, &(ctl_route_t){ 0 }, NULL), ODS_EINVAL, "no command");
}

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void expect_socket(const char *conf, int given, int target, const char *want,
                          int want_warning, const char *what)
{
    char path[512], *got = NULL, *warning = NULL;
    ods_err_t err;
    int rc;
    snprintf(path, sizeof(path), "%s/%s", dir, conf);
    rc = ctl_route_socket(path, given, target, &got, &warning, &err);
    if (want) {
        ok(rc == ODS_OK && got && strcmp(got, want) == 0, "%s: %s", what, want);
        if (rc != ODS_OK || !got || strcmp(got, want) != 0)
            tap_diag("got %s (%s)", got ? got : "nothing", rc == ODS_OK ? "" : err.msg);
    } else {
        ok(rc != ODS_OK && got == NULL, "%s: refused (%s)", what, rc != ODS_OK ? err.msg : "");
    }
    ok(!!warning == want_warning, "%s: %s warning", what, want_warning ? "a" : "no");
    free(got);
    free(warning);
}

#define CONF_HEAD                                                                                  \
    "<?xml version=\"1.0\"?>\n<Configuration>\n<RepositoryList><Repository name=\"SoftHSM\">"      \
    "<Module>/usr/lib/softhsm/libsofthsm2.so</Module><TokenLabel>t</TokenLabel><PIN>1234</PIN>"    \
    "</Repository></RepositoryList>\n<Common><PolicyFile>kasp.xml</PolicyFile>"                    \
    "<ZoneListFile>zonelist.xml</ZoneListFile></Common>\n"

static void test_sockets(void)
{
    char want[512], want2[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/ods-ctl-route-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    write_file("conf.xml", CONF_HEAD "<Enforcer><SocketFile>/run/x/enf.sock</SocketFile>"
                                     "</Enforcer>\n<Signer><SocketFile>sub/sig.sock</SocketFile>"
                                     "</Signer>\n</Configuration>\n");
    snprintf(want, sizeof(want), "%s/sub/sig.sock", dir);
    expect_socket("conf.xml", 1, E, "/run/x/enf.sock", 0, "Enforcer/SocketFile");
    expect_socket("conf.xml", 1, S, want, 0, "relative Signer/SocketFile");
    write_file("nosock.xml", CONF_HEAD "<Enforcer/>\n<Signer/>\n</Configuration>\n");
    expect_socket("nosock.xml", 1, E, ODS_RUNDIR "/enforcer.sock", 0, "default enforcer");
    /* a conf.xml that does not load (schema error): SocketFile is still read */
    write_file("bad.xml", CONF_HEAD "<Enforcer><SocketFile> e.sock </SocketFile><Bogus/>"
                                    "</Enforcer>\n</Configuration>\n");
    snprintf(want2, sizeof(want2), "%s/e.sock", dir);
    expect_socket("bad.xml", 1, E, want2, 0, "SocketFile of a conf.xml with errors");
    write_file("garbage.xml", "this is not XML <");
    expect_socket("garbage.xml", 1, E, NULL, 0, "not XML, given with -c");
    expect_socket("garbage.xml", 0, E, ODS_RUNDIR "/enforcer.sock", 1, "not XML, default conf");
    expect_socket("missing.xml", 1, S, NULL, 0, "missing, given with -c");
    expect_socket("missing.xml", 0, S, ODS_RUNDIR "/signer.sock", 0, "missing default conf");
    is_str(ctl_route_daemon_name(E), "enforcerd", "daemon name");
    is_str(ctl_route_daemon_name(S), "signerd", "daemon name");
    {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        ok(system(cmd) == 0, "clean up");
    }
}

int main(void)
{
    test_targets();
    test_reachable();
    test_errors();
    test_sockets();
    return tap_done();
}
