/*
 * test_cmdparse.c -- the option parser: every accepted form, every error and
 * its message (with the suggestion), ownership of the copies, usage text.
 */
#include "ctl/cmdparse.h"
#include "tap.h"

#include <stdlib.h>

static const ods_cmd_t *cmd_of(const char *words)
{
    size_t n;
    const ods_cmd_t *t = ods_cmd_table(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].words, words) == 0)
            return &t[i];
    return NULL;
}

/* Parse a space-separated line (no quoting) for words; returns the rc. */
static int parse(const char *words, const char *line, ods_cmd_args_t **out, ods_err_t *err)
{
    char *buf = strdup(line);
    char *argv[32];
    int argc = 0, rc;
    for (char *tok = strtok(buf, " "); tok && argc < 32; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    ods_err_clear(err);
    rc = ods_cmd_parse(cmd_of(words), argc, argv, out, err);
    free(buf);
    return rc;
}

static void test_forms(void)
{
    ods_cmd_args_t *a = NULL;
    ods_err_t err;
    is_int(parse("zone add",
                 "--zone a.nl --policy=lab -i /in/a.nl -o/out/a.nl --xml -n --in-type File", &a,
                 &err),
           ODS_OK, "zone add parses");
    is_str(ods_cmd_get(a, "zone"), "a.nl", "--zone VALUE");
    is_str(ods_cmd_get(a, "policy"), "lab", "--policy=VALUE");
    is_str(ods_cmd_get(a, "input"), "/in/a.nl", "-i VALUE");
    is_str(ods_cmd_get(a, "output"), "/out/a.nl", "-oVALUE");
    is_str(ods_cmd_get(a, "xml"), "", "flag --xml is \"\"");
    ok(ods_cmd_has(a, "suspend"), "short flag -n");
    is_str(ods_cmd_get(a, "in-type"), "File", "dashed long name");
    ok(!ods_cmd_has(a, "signerconf") && ods_cmd_get(a, "signerconf") == NULL, "absent: NULL");
    ok(ods_cmd_get(a, "nonsense") == NULL, "unknown name: NULL");
    is_int(ods_cmd_npos(a), 0, "no positionals");
    ok(ods_cmd_args_cmd(a) == cmd_of("zone add"), "args remember the command");
    ods_cmd_args_free(a);

    is_int(parse("key list", "-vd -z a.nl -e active,ready --json", &a, &err), ODS_OK,
           "bundled flags");
    ok(ods_cmd_has(a, "verbose") && ods_cmd_has(a, "debug") && ods_cmd_has(a, "json"),
       "-vd sets both");
    is_str(ods_cmd_get(a, "keystate"), "active,ready", "comma list kept as one value");
    ods_cmd_args_free(a);

    is_int(parse("key list", "-vza.nl", &a, &err), ODS_OK, "flag bundled with a valued option");
    is_str(ods_cmd_get(a, "zone"), "a.nl", "-vza.nl: zone");
    ods_cmd_args_free(a);

    is_int(parse("key list", "-pz a.nl", &a, &err), ODS_OK, "-pz VALUE");
    is_str(ods_cmd_get(a, "zone"), "a.nl", "-pz VALUE: zone");
    ods_cmd_args_free(a);

    is_int(parse("sign", "example.com --serial 2024010101 --wait", &a, &err), ODS_OK, "sign");
    is_int(ods_cmd_npos(a), 1, "one positional");
    is_str(ods_cmd_pos(a, 0), "example.com", "positional before options");
    is_str(ods_cmd_get(a, "serial"), "2024010101", "--serial");
    ok(ods_cmd_pos(a, 1) == NULL && ods_cmd_pos(a, -1) == NULL, "out of range: NULL");
    ods_cmd_args_free(a);

    is_int(parse("hsm generate", "SoftHSM -- -rsa 2048", &a, &err), ODS_OK, "-- ends options");
    is_str(ods_cmd_pos(a, 1), "-rsa", "after --, a dash word is positional");
    is_int(ods_cmd_npos(a), 3, "three positionals");
    ods_cmd_args_free(a);

    is_int(parse("help", "key list -", &a, &err), ODS_OK, "'-' alone is positional");
    is_int(ods_cmd_npos(a), 3, "unlimited positionals");
    ods_cmd_args_free(a);

    is_int(parse("zone add", "--zone a.nl --zone b.nl --policy=", &a, &err), ODS_OK, "repeat");
    is_str(ods_cmd_get(a, "zone"), "b.nl", "last value wins");
    is_str(ods_cmd_get(a, "policy"), "", "--opt= gives an empty value");
    ods_cmd_args_free(a);

    is_int(parse("zone add", "--zone --xml", &a, &err), ODS_OK, "a value may start with --");
    is_str(ods_cmd_get(a, "zone"), "--xml", "value taken verbatim");
    ok(!ods_cmd_has(a, "xml"), "and not as a flag");
    ods_cmd_args_free(a);

    is_int(parse("queue", "", &a, &err), ODS_OK, "no arguments");
    is_int(ods_cmd_npos(a), 0, "empty");
    ods_cmd_args_free(a);
    ods_cmd_args_free(NULL);
}

static void expect_error(const char *words, const char *line, const char *msg)
{
    ods_cmd_args_t *a = (ods_cmd_args_t *)&a; /* must stay untouched */
    ods_err_t err;
    int rc = parse(words, line, &a, &err);
    ok(rc == ODS_EINVAL && a == (ods_cmd_args_t *)&a, "%s %s: rejected", words, line);
    is_str(err.msg, msg, "%s %s: message", words, line);
}

static void test_errors(void)
{
    expect_error("zone add", "--zon a.nl",
                 "unknown option '--zon' for 'zone add'; did you mean "
                 "'--zone'?");
    expect_error("zone add", "--zone a.nl --polcy lab",
                 "unknown option '--polcy' for 'zone add'; did you mean '--policy'?");
    expect_error("key list", "--verb",
                 "unknown option '--verb' for 'key list'; did you mean "
                 "'--verbose'?");
    expect_error("key list", "--frobnicate",
                 "unknown option '--frobnicate' for 'key list' "
                 "(valid options: --verbose, --debug, --full, "
                 "--parsable, --zone, --keystate, --keytype, --all, "
                 "--json)");
    expect_error("queue", "--zone a",
                 "unknown option '--zone' for 'queue' (valid options: "
                 "--json)");
    expect_error("flush", "--all", "unknown option '--all' for 'flush' (valid options: none)");
    expect_error("key list", "-vX",
                 "unknown option '-X' for 'key list' (valid options: "
                 "--verbose, --debug, --full, --parsable, --zone, --keystate, "
                 "--keytype, --all, --json)");
    expect_error("zone add", "--zone", "option '--zone' of 'zone add' needs a value (ZONE)");
    expect_error("zone add", "-z", "option '--zone' of 'zone add' needs a value (ZONE)");
    expect_error("zone add", "--xml=yes", "option '--xml' of 'zone add' takes no value");
    expect_error("sign", "a.nl b.nl",
                 "'sign' takes at most 1 argument ([ZONE]), got 2: 'a.nl' 'b.nl'");
    expect_error("hsm remove", "", "'hsm remove' needs 1 argument (LOCATOR)");
    expect_error("hsm generate", "SoftHSM",
                 "'hsm generate' needs at least 2 arguments (REPOSITORY ALGORITHM [BITS])");
    expect_error("queue", "extra", "'queue' takes no arguments, got 1: 'extra'");
    expect_error("zone list", "-- --json", "'zone list' takes no arguments, got 1: '--json'");
}

static void test_usage(void)
{
    ods_buf_t b = ODS_BUF_INIT;
    ods_cmd_usage(cmd_of("zone add"), &b);
    has_str(ods_buf_cstr(&b), "usage: odsctl zone add --zone ZONE [--policy POLICY]", "usage");
    has_str(ods_buf_cstr(&b), "  -z, --zone ZONE", "option with short alias");
    has_str(ods_buf_cstr(&b), "  -n, --suspend  ", "flag with short alias");
    has_str(ods_buf_cstr(&b), "examples:\n  odsctl zone add --zone example.com", "example");
    has_str(ods_buf_cstr(&b), "(default:\n                             WORKDIR/signconf",
            "wrapped");
    has_str(ods_buf_cstr(&b), "Run by the enforcer", "owner");
    ods_buf_reset(&b);
    ods_cmd_usage(cmd_of("sign"), &b);
    has_str(ods_buf_cstr(&b), "      --serial SERIAL", "option without short alias");
    has_str(ods_buf_cstr(&b), "examples:\n  odsctl sign example.com\n", "several examples");
    ods_buf_reset(&b);
    ods_cmd_usage_line(cmd_of("update"), &b);
    is_str(ods_buf_cstr(&b), "usage: odsctl signer update (ZONE | --all)", "signer update");
    ods_buf_reset(&b);
    ods_cmd_usage_line(cmd_of("hsm dnskey"), &b);
    is_str(ods_buf_cstr(&b), "usage: odsctl hsm dnskey LOCATOR NAME FLAGS ALGORITHM", "args");
    ods_buf_reset(&b);
    ods_cmd_usage(cmd_of("flush"), &b);
    ok(strstr(ods_buf_cstr(&b), "options:") == NULL, "no options section without options");
    /* every line of every usage fits in 100 columns */
    {
        size_t n;
        const ods_cmd_t *t = ods_cmd_table(&n);
        int wide = 0;
        for (size_t i = 0; i < n; i++) {
            ods_buf_reset(&b);
            ods_cmd_usage(&t[i], &b);
            for (const char *p = ods_buf_cstr(&b); *p;) {
                size_t len = strcspn(p, "\n");
                if (len > 100 && strncmp(p, "usage:", 6) != 0 && strncmp(p, "  odsctl", 8) != 0) {
                    tap_diag("'%s': %.*s", t[i].words, (int)len, p);
                    wide++;
                }
                p += len + (p[len] == '\n');
            }
        }
        is_int(wide, 0, "help text is wrapped");
    }
    ods_buf_free(&b);
}

int main(void)
{
    test_forms();
    test_errors();
    test_usage();
    return tap_done();
}
