/*
 * test_odsctl.c -- odsctl as a program, against two stand-in daemons
 * (ctl_fake_daemon, on the real control server) and a fresh SoftHSMv2 token:
 * the argv arrives intact at the right daemon, exit statuses and stderr come
 * back, both-daemon commands, --json combination, the not-running, stale
 * socket, permission and timeout messages, help without a daemon,
 * check-config on the shipped examples, and the hsm commands.
 *
 *   test_odsctl ODSCTL FAKE_DAEMON
 */
#include "softhsm.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *odsctl, *fake;
static char dir[512];
static fx_t fx;

typedef struct run {
    int status;
    char *out, *err;
} run_t;

enum { AS_NOBODY = 1, NO_TTY = 2, NO_CONF = 4 };

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int c;
    while (f && (c = getc(f)) != EOF)
        putc(c, mem);
    fclose(mem);
    if (f)
        fclose(f);
    return buf;
}

static void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
}

static void child(const char *conf, int flags, char **args, const char *out, const char *err)
{
    char *argv[64];
    int n = 0, fd;
    argv[n++] = (char *)odsctl;
    if (!(flags & NO_CONF)) {
        argv[n++] = "-c";
        argv[n++] = (char *)conf;
    }
    while (*args && n < 63)
        argv[n++] = *args++;
    argv[n] = NULL;
    fd = open("/dev/null", O_RDONLY);
    dup2(fd, 0);
    dup2(open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
    dup2(open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
    if (flags & NO_TTY)
        setsid(); /* no controlling terminal: /dev/tty cannot be opened */
    if ((flags & AS_NOBODY) && (setgid(65534) != 0 || setuid(65534) != 0))
        _exit(120);
    execv(odsctl, argv);
    _exit(127);
}

/* Run odsctl [-c conf] args...; fills r. */
static void run_conf(run_t *r, const char *conf, int flags, char **args)
{
    char out[600], err[600];
    int st = 0;
    pid_t pid;
    snprintf(out, sizeof(out), "%s/out.txt", dir);
    snprintf(err, sizeof(err), "%s/err.txt", dir);
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        child(conf, flags, args, out, err);
    waitpid(pid, &st, 0);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->out = slurp(out);
    r->err = slurp(err);
}

static char conf_ok[600], conf_down[600], conf_stale[600], conf_nopin[600];

#define RUN(r, ...) run_conf(r, conf_ok, 0, (char *[]){ __VA_ARGS__, NULL })

static pid_t start_fake(const char *sock, const char *name)
{
    pid_t pid = fork();
    struct stat st;
    if (pid == 0) {
        execl(fake, fake, sock, name, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 1000; i++) {
        if (stat(sock, &st) == 0 && S_ISSOCK(st.st_mode))
            return pid;
        usleep(10000);
    }
    return -1;
}

static void stop_fake(pid_t pid)
{
    int st;
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
}

static void write_conf(const char *path, const char *enf_sock, const char *sig_sock,
                       const char *pin)
{
    FILE *f = fopen(path, "w");
    fprintf(f,
            "<?xml version=\"1.0\"?>\n<Configuration>\n<RepositoryList>\n"
            "<Repository name=\"SoftHSM\"><Module>%s</Module><TokenLabel>ctltest</TokenLabel>"
            "%s</Repository>\n</RepositoryList>\n"
            "<Common><PolicyFile>kasp.xml</PolicyFile><ZoneListFile>zonelist.xml</ZoneListFile>"
            "</Common>\n<Enforcer><SocketFile>%s</SocketFile></Enforcer>\n"
            "<Signer><SocketFile>%s</SocketFile></Signer>\n</Configuration>\n",
            fx.module, pin, enf_sock, sig_sock);
    fclose(f);
}

/* ---- commands reach the right daemon, intact ---- */

static void test_relay(void)
{
    run_t r;
    RUN(&r, "zone", "add", "--zone", "ex\xc3\xa4mple.com", "--policy=lab", "-i", "/in/a b",
        "--xml");
    is_int(r.status, 0, "zone add: exit 0");
    is_str(r.out,
           "{\"daemon\":\"enforcerd\",\"argv\":[\"zone\",\"add\",\"--zone\",\"ex\xc3\xa4mple.com\","
           "\"--policy=lab\",\"-i\",\"/in/a b\",\"--xml\"]}\n",
           "zone add: argv intact at the enforcer (UTF-8, spaces, --opt=value)");
    is_str(r.err, "", "nothing on stderr");
    run_free(&r);

    RUN(&r, "sign", "a.nl", "--serial", "7");
    is_str(r.out, "{\"daemon\":\"signerd\",\"argv\":[\"sign\",\"a.nl\",\"--serial\",\"7\"]}\n",
           "sign goes to the signer");
    run_free(&r);

    setenv("ODS_CONF", conf_ok, 1);
    run_conf(&r, NULL, NO_CONF, (char *[]){ "sign", "b.nl", NULL });
    unsetenv("ODS_CONF");
    is_str(r.out, "{\"daemon\":\"signerd\",\"argv\":[\"sign\",\"b.nl\"]}\n",
           "the configuration from $ODS_CONF");
    run_free(&r);

    RUN(&r, "signer", "update", "a.nl");
    is_str(r.out, "{\"daemon\":\"signerd\",\"argv\":[\"update\",\"a.nl\"]}\n",
           "signer update: selector not sent");
    run_free(&r);

    RUN(&r, "key", "list", "-v", "--", "--zone");
    is_int(r.status, 2, "key list -- x: positional refused locally");
    is_str(r.out, "", "nothing sent");
    run_free(&r);

    run_conf(&r, conf_ok, 0,
             (char *[]){ "-t", "1", "signer", "time", "leap", "--time", "2030-01-01", NULL });
    has_str(r.err, "signerd did not answer within 1 second", "signer time leap: the signer");
    run_free(&r);
}

static int count_lines(const char *s, const char *prefix)
{
    int n = 0;
    size_t plen = strlen(prefix);
    for (const char *p = s; p && *p;) {
        n += strncmp(p, prefix, plen) == 0;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return n;
}

static void test_both(void)
{
    run_t r;
    RUN(&r, "enforcer", "queue");
    is_int(count_lines(r.out, "enforcerd task "), 50000, "enforcer queue: 50000 lines streamed");
    ok(strstr(r.out, "enforcerd task 49999\n") != NULL, "the last line arrived");
    ok(strstr(r.out, "signerd") == NULL && strstr(r.out, "==") == NULL, "one daemon, no header");
    run_free(&r);

    RUN(&r, "running");
    is_int(r.status, 0, "running: exit 0");
    is_str(r.out,
           "== enforcerd ==\n{\"daemon\":\"enforcerd\",\"argv\":[\"running\"]}\n\n"
           "== signerd ==\n{\"daemon\":\"signerd\",\"argv\":[\"running\"]}\n",
           "running: both daemons under headers");
    run_free(&r);

    RUN(&r, "queue", "--json");
    is_str(r.out,
           "{\"enforcer\":{\"daemon\":\"enforcerd\",\"argv\":[\"queue\",\"--json\"]},"
           "\"signer\":{\"daemon\":\"signerd\",\"argv\":[\"queue\",\"--json\"]}}\n",
           "queue --json: one combined document");
    run_free(&r);

    RUN(&r, "enforcer", "verbosity", "5");
    is_int(r.status, 5, "the daemon's exit status is odsctl's");
    is_str(r.err, "enforcerd: verbosity 5 refused\n", "the daemon's stderr is relayed");
    run_free(&r);

    RUN(&r, "verbosity", "4");
    is_int(r.status, 4, "verbosity to both: the worst status");
    has_str(r.err, "signerd: verbosity 4 refused", "both answered");
    run_free(&r);
}

/* ---- daemons that cannot be reached ---- */

static void test_unreachable(void)
{
    run_t r;
    char want[1024];
    run_conf(&r, conf_down, 0, (char *[]){ "zone", "list", NULL });
    is_int(r.status, 3, "not running: exit 3");
    snprintf(want, sizeof(want),
             "odsctl: enforcerd is not running (no socket at %s/down/enforcer.sock): start it "
             "with `service enforcerd start` or `enforcerd -c %s`\n",
             dir, conf_down);
    is_str(r.err, want, "not running: which daemon, the socket, how to start it");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "zone", "lst", NULL });
    is_int(r.status, 2, "a typo fails fast even with the daemon down");
    is_str(r.err, "odsctl: unknown command 'zone lst'; did you mean 'zone list'?\n", "typo");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "zone", "add", "--zone", "a", "--polcy", "p", NULL });
    is_int(r.status, 2, "a wrong option fails fast with the daemon down");
    is_str(r.err,
           "odsctl: unknown option '--polcy' for 'zone add'; did you mean '--policy'? (see "
           "`odsctl help zone add`)\n",
           "wrong option");
    run_free(&r);

    run_conf(&r, conf_stale, 0, (char *[]){ "enforcer", "running", NULL });
    is_int(r.status, 3, "stale socket: exit 3");
    has_str(r.err, "enforcerd is not running (nothing listening on ", "stale socket message");
    run_free(&r);

    run_conf(&r, conf_ok, 0, (char *[]){ "-t", "1", "time", "leap", NULL });
    is_int(r.status, 3, "no answer in time: exit 3");
    has_str(r.err, "enforcerd did not answer within 1 second", "timeout message");
    run_free(&r);
}

static void test_permission(void)
{
    run_t r;
    char sock[600];
    snprintf(sock, sizeof(sock), "%s/enforcer.sock", dir);
    if (geteuid() == 0) {
        /* root passes every mode check: ask as nobody, who is not in the socket's group */
        chmod(dir, 0755);
        run_conf(&r, conf_ok, AS_NOBODY, (char *[]){ "enforcer", "running", NULL });
    } else {
        chmod(sock, 0);
        run_conf(&r, conf_ok, 0, (char *[]){ "enforcer", "running", NULL });
        chmod(sock, 0660);
    }
    is_int(r.status, 3, "permission denied: exit 3");
    has_str(r.err, "odsctl: cannot talk to enforcerd: permission denied on ", "names the daemon");
    has_str(r.err, "member of group", "says which group may use it");
    run_free(&r);
    chmod(dir, 0700);
}

/* ---- questions ---- */

static void test_setup(void)
{
    run_t r;
    run_conf(&r, conf_ok, NO_TTY, (char *[]){ "setup", NULL });
    is_int(r.status, 2, "setup without a terminal: refused");
    is_str(r.err, "odsctl: no terminal to confirm on: use `odsctl setup --force`\n",
           "asks for --force");
    is_str(r.out, "", "the daemon was not asked");
    run_free(&r);
    RUN(&r, "setup", "-f");
    is_str(r.out, "{\"daemon\":\"enforcerd\",\"argv\":[\"setup\",\"--force\"]}\n",
           "setup -f sent to the running enforcer as setup --force");
    run_free(&r);
}

/*
 * Run odsctl -c conf args... on a pseudo-terminal; when its output ends with
 * prompt_end, type answer. r->out gets everything it wrote (stdout and
 * stderr, and the echo of what was typed, if echo is on).
 */
static void run_pty(run_t *r, const char *conf, char **args, const char *prompt_end,
                    const char *answer)
{
    char *argv[32], buf[4096];
    int n = 0, master = -1, st = 0, answered = 0;
    size_t len = 0, cap = 1 << 16;
    pid_t pid;
    argv[n++] = (char *)odsctl;
    argv[n++] = "-c";
    argv[n++] = (char *)conf;
    while (*args && n < 31)
        argv[n++] = *args++;
    argv[n] = NULL;
    fflush(stdout);
    pid = forkpty(&master, NULL, NULL, NULL);
    if (pid == 0) {
        execv(odsctl, argv);
        _exit(127);
    }
    r->out = calloc(1, cap);
    r->err = NULL;
    for (;;) {
        struct pollfd p = { .fd = master, .events = POLLIN };
        ssize_t got;
        if (poll(&p, 1, 30000) <= 0)
            break;
        got = read(master, buf, sizeof(buf));
        if (got <= 0)
            break; /* EIO once the child has closed the terminal */
        if (len + (size_t)got >= cap)
            got = (ssize_t)(cap - 1 - len);
        memcpy(r->out + len, buf, (size_t)got);
        len += (size_t)got;
        if (!answered && len >= strlen(prompt_end) &&
            strcmp(r->out + len - strlen(prompt_end), prompt_end) == 0) {
            answered = write(master, answer, strlen(answer)) == (ssize_t)strlen(answer);
        }
    }
    close(master);
    waitpid(pid, &st, 0);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_terminal(void)
{
    run_t r;
    run_pty(&r, conf_ok, (char *[]){ "setup", NULL }, "[y/N] ", "y\n");
    is_int(r.status, 0, "setup, answered y on the terminal");
    has_str(r.out, "This deletes the database of the enforcer", "setup asks first");
    has_str(r.out, "{\"daemon\":\"enforcerd\",\"argv\":[\"setup\",\"--force\"]}",
            "then sends setup --force");
    run_free(&r);
    run_pty(&r, conf_ok, (char *[]){ "setup", NULL }, "[y/N] ", "\n");
    is_int(r.status, 1, "setup, answered with the default (no)");
    has_str(r.out, "setup cancelled, nothing changed", "says so");
    ok(strstr(r.out, "daemon") == NULL, "and sends nothing");
    run_free(&r);

    run_pty(&r, conf_nopin, (char *[]){ "hsm", "list", NULL }, "(token ctltest): ", "1234\n");
    is_int(r.status, 0, "hsm list with the PIN typed on the terminal");
    has_str(r.out, "PIN for repository SoftHSM (token ctltest): ", "asks for the PIN");
    ok(strstr(r.out, "1234") == NULL, "the PIN is not echoed");
    has_str(r.out, "keys found.", "and lists");
    run_free(&r);
    run_pty(&r, conf_nopin, (char *[]){ "hsm", "list", NULL }, "(token ctltest): ", "9999\n");
    is_int(r.status, 1, "a wrong PIN fails");
    run_free(&r);

    run_pty(&r, conf_nopin, (char *[]){ "hsm", "login", NULL }, "(token ctltest): ", "1234\n");
    is_int(r.status, 0, "hsm login with the PIN typed on the terminal");
    has_str(r.out,
            "{\"daemon\":\"enforcerd\",\"argv\":[\"hsm\",\"login\",\"--repository\","
            "\"SoftHSM\",\"--pin-follows\",\"1234\"]}",
            "the enforcer gets the PIN after the marker, as the last argument");
    has_str(r.out, "{\"daemon\":\"signerd\",\"argv\":[\"hsm\",\"login\"", "so does the signer");
    run_free(&r);
    run_pty(&r, conf_nopin, (char *[]){ "hsm", "login", NULL }, "(token ctltest): ", "9999\n");
    is_int(r.status, 1, "hsm login with a wrong PIN fails");
    has_str(r.out, "incorrect PIN for repository SoftHSM", "says the PIN is wrong");
    ok(strstr(r.out, "\"daemon\"") == NULL, "and sends nothing to the daemons");
    run_free(&r);
    RUN(&r, "hsm", "login");
    is_int(r.status, 0, "hsm login when conf.xml has the PIN");
    has_str(r.out, "Every repository has its PIN in", "says there is nothing to do");
    run_free(&r);
    RUN(&r, "hsm", "login", "--repository", "Nope");
    is_int(r.status, 2, "hsm login --repository with an unknown name");
    has_str(r.err, "no repository named 'Nope'", "names it");
    run_free(&r);

    RUN(&r, "hsm", "generate", "SoftHSM", "ed448");
    is_int(r.status, 0, "hsm generate by algorithm mnemonic (ED448)");
    run_free(&r);
    RUN(&r, "hsm", "generate", "SoftHSM", "eddsa");
    is_int(r.status, 0, "hsm generate eddsa");
    run_free(&r);
    run_pty(&r, conf_ok, (char *[]){ "hsm", "purge", "SoftHSM", NULL }, "[y/N] ", "y\n");
    is_int(r.status, 0, "hsm purge, confirmed on the terminal");
    has_str(r.out, "This deletes all 2 keys in repository SoftHSM", "asks first");
    has_str(r.out, "Purged 2 of 2 keys from repository SoftHSM.", "then purges");
    run_free(&r);
}

/* ---- help, never a daemon ---- */

static void test_help(void)
{
    run_t r, r2;
    size_t n;
    const char *missing = NULL;
    run_conf(&r, conf_down, 0, (char *[]){ "help", NULL });
    is_int(r.status, 0, "help: exit 0");
    {
        char *p = r.out;
        const char *groups[] = { "enforcer (enforcerd)", "signer (signerd)", "both daemons",
                                 "odsctl itself" };
        for (int i = 0; i < 4; i++) {
            char *g = strstr(p ? p : "", groups[i]);
            ok(g != NULL, "help lists group '%s' in order", groups[i]);
            p = g;
        }
    }
    (void)n;
    static const char *words[] = { "setup",         "zone add",  "key list",     "key ds-seen",
                                   "rollover list", "sign",      "zones",        "signer update",
                                   "queue",         "time leap", "check-config", "hsm dnskey",
                                   "zone status" };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        char line[64];
        snprintf(line, sizeof(line), "\n  %s ", words[i]);
        if (!strstr(r.out, line))
            missing = words[i];
    }
    ok(missing == NULL, "help lists every command (missing: %s)", missing ? missing : "none");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "help", "zone", "add", NULL });
    is_int(r.status, 0, "help zone add: exit 0");
    has_str(r.out, "usage: odsctl zone add --zone ZONE", "usage line");
    has_str(r.out, "  -p, --policy POLICY", "options");
    has_str(r.out, "odsctl zone add --zone example.com", "example");
    run_conf(&r2, conf_down, 0, (char *[]){ "zone", "add", "--help", NULL });
    is_str(r2.out, r.out, "COMMAND --help is the same text");
    is_int(r2.status, 0, "COMMAND --help: exit 0, no daemon needed");
    run_free(&r);
    run_free(&r2);

    run_conf(&r, conf_down, 0, (char *[]){ "signer", "help", NULL });
    ok(r.status == 0 && strstr(r.out, "  sign ") && !strstr(r.out, "key list"),
       "signer help: the signer's commands");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "help", "key", NULL });
    has_str(r.out, "  key ds-seen ", "help on a group lists its commands");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "help", "zone", "ad", NULL });
    is_int(r.status, 2, "help on an unknown command: exit 2");
    is_str(r.err, "odsctl: unknown command 'zone ad'; did you mean 'zone add'?\n", "suggestion");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ NULL });
    is_int(r.status, 2, "no command: exit 2");
    has_str(r.out, "usage: odsctl", "no command: usage");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "--version", NULL });
    ok(r.status == 0 && strncmp(r.out, "odsctl ", 7) == 0, "--version");
    run_free(&r);

    run_conf(&r, conf_down, 0, (char *[]){ "--bogus", "zone", "list", NULL });
    is_int(r.status, 2, "unknown global option: exit 2");
    has_str(r.err, "odsctl: unknown option '--bogus'", "names it");
    run_free(&r);
}

/* ---- check-config ---- */

static void test_check_config(void)
{
    run_t r;
    char conf[600], bad[600];
    const char *src = getenv("ODS_SOURCE_ROOT");
    snprintf(conf, sizeof(conf), "%s/conf/conf.xml", src ? src : "../../..");
    run_conf(&r, conf, 0, (char *[]){ "check-config", NULL });
    is_int(r.status, 0, "check-config on the shipped conf/conf.xml passes");
    has_str(r.out, "INFO: The XML in ", "says the files are valid");
    has_str(r.out, "conf.xml: 0 errors", "summary line");
    ok(strstr(r.out, "ERROR") == NULL, "no ERROR line");
    if (r.status != 0)
        tap_diag("%s%s", r.out, r.err);
    run_free(&r);

    snprintf(bad, sizeof(bad), "%s/bad-conf.xml", dir);
    FILE *f = fopen(bad, "w");
    fprintf(f, "<?xml version=\"1.0\"?>\n<Configuration>\n<RepositoryList/>\n"
               "<Common><Bogus/></Common>\n</Configuration>\n");
    fclose(f);
    run_conf(&r, bad, 0, (char *[]){ "check-config", NULL });
    is_int(r.status, 1, "a broken conf.xml: exit 1");
    has_str(r.out, "ERROR: ", "prints the errors");
    has_str(r.out, "bad-conf.xml:", "names the file");
    run_free(&r);
}

/* ---- hsm ---- */

static void first_locator(const char *out, char *loc, size_t size)
{
    const char *p = strstr(out ? out : "", "Key generation successful: ");
    loc[0] = '\0';
    if (p)
        snprintf(loc, size, "%.32s", p + strlen("Key generation successful: "));
}

/* The key tag dnspython computes for the DNSKEY line in file, or -1. */
static int dnspython_keytag(const char *file)
{
    char cmd[1024];
    FILE *p;
    int tag = -1;
    /* Debian's python3 has python3-dnspython; a python3 earlier in PATH may not */
    snprintf(cmd, sizeof(cmd),
             "%s -c 'import sys, dns.rdata, dns.dnssec\n"
             "f = open(sys.argv[1]).read().split(\";\")[0].split(\"\\t\")\n"
             "print(dns.dnssec.key_id(dns.rdata.from_text(\"IN\", \"DNSKEY\", f[4])))' %s",
             access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3", file);
    p = popen(cmd, "r");
    if (p && fscanf(p, "%d", &tag) != 1)
        tag = -1;
    if (p)
        pclose(p);
    return tag;
}

static void test_hsm_keys(void)
{
    run_t r;
    char loc[64], loc2[64], path[700], cmd[900];
    RUN(&r, "hsm", "list");
    is_int(r.status, 0, "hsm list on a fresh token");
    has_str(r.out, "0 keys found.", "no keys");
    run_free(&r);

    RUN(&r, "hsm", "generate", "SoftHSM", "ecdsa", "256");
    is_int(r.status, 0, "hsm generate ecdsa");
    first_locator(r.out, loc, sizeof(loc));
    is_int(strlen(loc), 32, "a 32-hex-digit locator");
    run_free(&r);
    RUN(&r, "hsm", "generate", "SoftHSM", "rsa", "1024");
    first_locator(r.out, loc2, sizeof(loc2));
    ok(r.status == 0 && strlen(loc2) == 32, "hsm generate rsa 1024");
    run_free(&r);

    RUN(&r, "hsm", "list", "SoftHSM");
    has_str(r.out, "2 keys found.", "two keys listed");
    has_str(r.out, loc, "the ECDSA key");
    has_str(r.out, "ECDSA/256", "its type");
    has_str(r.out, "RSA/1024", "the RSA key");
    run_free(&r);

    RUN(&r, "hsm", "list", "--json");
    snprintf(path, sizeof(path), "%s/list.json", dir);
    FILE *f = fopen(path, "w");
    fputs(r.out ? r.out : "", f);
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "python3 %s/tests/unit/ctl/json_check.py %s/docs/json/"
             "hsm-list.schema.json %s",
             getenv("ODS_SOURCE_ROOT"), getenv("ODS_SOURCE_ROOT"), path);
    is_int(system(cmd), 0, "hsm list --json matches docs/json/hsm-list.schema.json");
    has_str(r.out, "\"curve\":\"P-256\"", "JSON has the curve");
    run_free(&r);

    RUN(&r, "hsm", "dnskey", loc, "example.com", "257", "13");
    is_int(r.status, 0, "hsm dnskey");
    has_str(r.out, "example.com.\t3600\tIN\tDNSKEY\t257 3 13 ", "a DNSKEY record");
    snprintf(path, sizeof(path), "%s/dnskey.txt", dir);
    f = fopen(path, "w");
    fputs(r.out ? r.out : "", f);
    fclose(f);
    {
        char want[64];
        int tag = dnspython_keytag(path);
        snprintf(want, sizeof(want), ";{id = %d (ksk), size = 256b}", tag);
        ok(tag >= 0, "dnspython reads the DNSKEY");
        has_str(r.out, want, "the key tag agrees with dnspython");
    }
    run_free(&r);

    RUN(&r, "hsm", "remove", loc);
    is_str(r.out, "Key remove successful.\n", "hsm remove");
    run_free(&r);
    RUN(&r, "hsm", "remove", loc);
    is_int(r.status, 1, "removing it again fails");
    has_str(r.err, "Key not found: ", "key not found");
    run_free(&r);

    RUN(&r, "hsm", "purge", "SoftHSM", "--force");
    is_str(r.out, "Purged 1 of 1 keys from repository SoftHSM.\n", "hsm purge --force");
    run_free(&r);
    RUN(&r, "hsm", "list");
    has_str(r.out, "0 keys found.", "empty after purge");
    run_free(&r);
}

static void test_hsm_other(void)
{
    run_t r;
    RUN(&r, "hsm", "generate", "SoftHSM", "dsa");
    is_int(r.status, 2, "dsa refused");
    has_str(r.err, "RFC 8624", "says why");
    run_free(&r);
    RUN(&r, "hsm", "list", "Nope");
    is_int(r.status, 1, "unknown repository");
    has_str(r.err, "no repository named 'Nope'", "names it");
    run_free(&r);
    RUN(&r, "hsm", "info");
    is_int(r.status, 0, "hsm info");
    has_str(r.out, "Token label:    ctltest", "shows the token");
    run_free(&r);
    run_conf(&r, conf_ok, NO_TTY, (char *[]){ "hsm", "purge", "SoftHSM", NULL });
    ok(r.status == 0 && strstr(r.out, "No keys found"), "purge of an empty repository");
    run_free(&r);
    RUN(&r, "hsm", "test", "SoftHSM");
    is_int(r.status, 0, "hsm test passes on SoftHSMv2");
    has_str(r.out, "All tests passed for repository SoftHSM.", "says so");
    if (r.status != 0)
        tap_diag("%s%s", r.out, r.err);
    run_free(&r);
}

static void make_stale_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        tap_diag("bind %s: %s", path, strerror(errno));
    close(fd); /* the file stays, nobody listens */
}

int main(int argc, char **argv)
{
    char enf[600], sig[600], stale[600], down[600];
    pid_t e, s;
    if (argc != 3) {
        fprintf(stderr, "usage: test_odsctl ODSCTL FAKE_DAEMON\n");
        return 2;
    }
    odsctl = argv[1];
    fake = argv[2];
    unsetenv("ODS_CONF");
    /* SoftHSM's own leaks are suppressed by frame; that needs full unwinding in odsctl */
    setenv("ASAN_OPTIONS", "fast_unwind_on_malloc=0", 1);
    if (fx_init(&fx, "ctl", NULL) != 0 || fx_token(&fx, "ctltest", "1234") != 0) {
        printf("Bail out! cannot create a SoftHSMv2 token\n");
        return 1;
    }
    snprintf(dir, sizeof(dir), "%s", fx.dir);
    snprintf(enf, sizeof(enf), "%s/enforcer.sock", dir);
    snprintf(sig, sizeof(sig), "%s/signer.sock", dir);
    snprintf(stale, sizeof(stale), "%s/stale.sock", dir);
    snprintf(down, sizeof(down), "%s/down/enforcer.sock", dir);
    snprintf(conf_ok, sizeof(conf_ok), "%s/conf.xml", dir);
    snprintf(conf_down, sizeof(conf_down), "%s/conf-down.xml", dir);
    snprintf(conf_stale, sizeof(conf_stale), "%s/conf-stale.xml", dir);
    snprintf(conf_nopin, sizeof(conf_nopin), "%s/conf-nopin.xml", dir);
    write_conf(conf_ok, enf, "signer.sock", "<PIN>1234</PIN>"); /* relative: next to conf.xml */
    write_conf(conf_down, down, down, "<PIN>1234</PIN>");
    write_conf(conf_stale, stale, stale, "<PIN>1234</PIN>");
    write_conf(conf_nopin, enf, sig, "");
    make_stale_socket(stale);
    e = start_fake(enf, "enforcerd");
    s = start_fake(sig, "signerd");
    ok(e > 0 && s > 0, "fake daemons listening");
    test_relay();
    test_both();
    test_unreachable();
    test_permission();
    test_setup();
    test_help();
    test_check_config();
    test_hsm_keys();
    test_hsm_other();
    test_terminal();
    stop_fake(e);
    stop_fake(s);
    fx_cleanup(&fx);
    return tap_done();
}
