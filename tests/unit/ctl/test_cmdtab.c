/*
 * test_cmdtab.c -- the command table: every entry complete and consistent,
 * look-ups by words, typo suggestions, and the options that OpenDNSSEC's
 * tools accept (so operators' scripts carry over).
 */
#include "ctl/cmdtab.h"
#include "tap.h"

#include <ctype.h>
#include <stdlib.h>

static int word_chars_ok(const char *s)
{
    if (!*s || *s == ' ' || s[strlen(s) - 1] == ' ' || strstr(s, "  "))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_' ||
              *s == ' '))
            return 0;
    return 1;
}

static void check_options(const ods_cmd_t *c, int *bad)
{
    for (const ods_cmd_opt_t *o = c->opts; o->name; o++) {
        if (!o->help || !*o->help || !word_chars_ok(o->name) || strchr(o->name, ' ') ||
            (o->has_arg && (!o->arg_name || !*o->arg_name)) || (!o->has_arg && o->arg_name)) {
            tap_diag("option --%s of '%s' is incomplete", o->name, c->words);
            (*bad)++;
        }
        for (const ods_cmd_opt_t *p = o + 1; p->name; p++) {
            if (strcmp(o->name, p->name) == 0 ||
                (o->short_name && o->short_name == p->short_name)) {
                tap_diag("'%s': --%s and --%s collide", c->words, o->name, p->name);
                (*bad)++;
            }
        }
        if (o->short_name == 'h') {
            tap_diag("'%s': -h is reserved for help", c->words);
            (*bad)++;
        }
    }
}

static void test_sanity(void)
{
    size_t n;
    const ods_cmd_t *t = ods_cmd_table(&n);
    int bad = 0, dups = 0, positional = 0;
    ok(n >= 55, "table has %zu commands", n);
    for (size_t i = 0; i < n; i++) {
        const ods_cmd_t *c = &t[i];
        if (!word_chars_ok(c->words) || !c->summary || !*c->summary || !c->help ||
            strlen(c->help) < 20 || !c->example || strncmp(c->example, "odsctl ", 7) != 0 ||
            !c->args || !c->synopsis || !c->opts || !(c->owner & ODS_CMD_ALL) ||
            (c->owner & ~ODS_CMD_ALL)) {
            tap_diag("command '%s' is incomplete", c->words);
            bad++;
        }
        if (c->min_pos < 0 || (c->max_pos >= 0 && c->max_pos < c->min_pos) ||
            ((c->max_pos != 0) != (*c->args != '\0'))) {
            tap_diag("command '%s': positional counts do not match '%s'", c->words, c->args);
            positional++;
        }
        if (strstr(c->example, c->words) == NULL) {
            tap_diag("the example of '%s' does not use it", c->words);
            bad++;
        }
        check_options(c, &bad);
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(c->words, t[j].words) == 0 && (c->owner & t[j].owner)) {
                tap_diag("duplicate words '%s'", c->words);
                dups++;
            }
    }
    is_int(bad, 0, "every command has words, summary, help, example, owner; every option help");
    is_int(dups, 0, "no duplicate words for one owner");
    is_int(positional, 0, "positional counts agree with the usage");
}

static const ods_cmd_t *find(int mask, const char *line, int *nw)
{
    static char buf[256];
    char *argv[16];
    int argc = 0;
    snprintf(buf, sizeof(buf), "%s", line);
    for (char *tok = strtok(buf, " "); tok && argc < 16; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    return ods_cmd_find(mask, argc, argv, nw);
}

static void test_find(void)
{
    int nw = -1;
    const ods_cmd_t *c;
    c = find(ODS_CMD_ALL, "key list --verbose", &nw);
    ok(c && strcmp(c->words, "key list") == 0 && nw == 2, "key list found, 2 words");
    c = find(ODS_CMD_ENFORCER, "update conf", &nw);
    ok(c && strcmp(c->words, "update conf") == 0 && nw == 2, "longest match: update conf");
    c = find(ODS_CMD_SIGNER, "update example.com", &nw);
    ok(c && strcmp(c->words, "update") == 0 && c->owner == ODS_CMD_SIGNER && nw == 1,
       "signer's update");
    c = find(ODS_CMD_ENFORCER, "update example.com", &nw);
    ok(c == NULL, "the enforcer has no bare update");
    c = find(ODS_CMD_SIGNER, "key list", &nw);
    ok(c == NULL, "the signer has no key list");
    c = find(ODS_CMD_SIGNER, "time leap --time 2030-01-01-00:00:00", &nw);
    ok(c && (c->owner & ODS_CMD_SIGNER) && nw == 2, "time leap is the signer's too");
    c = find(ODS_CMD_ENFORCER, "queue", &nw);
    ok(c && c->owner == (ODS_CMD_ENFORCER | ODS_CMD_SIGNER), "queue belongs to both");
    c = find(ODS_CMD_ALL, "zone", &nw);
    ok(c == NULL, "'zone' alone is not a command");
    c = find(ODS_CMD_ALL, "key listx", &nw);
    ok(c == NULL, "words match exactly");
    nw = 42;
    ok(find(ODS_CMD_ALL, "frobnicate", &nw) == NULL && nw == 42, "unknown: NULL, nwords kept");
    ok(ods_cmd_find(ODS_CMD_ALL, 0, NULL, NULL) == NULL, "empty argv");
    c = find(ODS_CMD_LOCAL, "hsm generate SoftHSM rsa 2048", &nw);
    ok(c && c->owner == ODS_CMD_LOCAL && nw == 2, "hsm generate is local");
    ok(!ods_cmd_bare_reachable(find(ODS_CMD_SIGNER, "update", NULL)),
       "signer's update needs 'odsctl signer update'");
    ok(ods_cmd_bare_reachable(find(ODS_CMD_SIGNER, "sign", NULL)), "sign is reachable bare");
    ok(ods_cmd_bare_reachable(find(ODS_CMD_ENFORCER, "update all", NULL)), "update all bare");
    is_int(ods_cmd_nwords(find(ODS_CMD_ALL, "key ds-seen", NULL)), 2, "nwords");
}

static const char *suggest(int mask, const char *line)
{
    static char buf[256];
    char *argv[16];
    int argc = 0;
    snprintf(buf, sizeof(buf), "%s", line);
    for (char *tok = strtok(buf, " "); tok && argc < 16; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    return ods_cmd_suggest(mask, argc, argv);
}

static void test_suggest(void)
{
    is_str(suggest(ODS_CMD_ALL, "zone ad --zone a.nl"), "zone add", "zone ad");
    is_str(suggest(ODS_CMD_ALL, "key lst"), "key list", "key lst");
    is_str(suggest(ODS_CMD_ALL, "key ds-sen --zone a"), "key ds-seen", "key ds-sen");
    is_str(suggest(ODS_CMD_ALL, "zone dleete"), "zone delete", "transposition");
    is_str(suggest(ODS_CMD_ALL, "sing a.nl"), "sign", "sing");
    is_str(suggest(ODS_CMD_ALL, "runing"), "running", "runing");
    is_str(suggest(ODS_CMD_ALL, "hsm lst"), "hsm list", "hsm lst");
    is_str(suggest(ODS_CMD_ALL, "check-conf"), "check-config", "check-conf");
    is_str(suggest(ODS_CMD_ALL, "timeleap"), NULL, "too far: nothing");
    is_str(suggest(ODS_CMD_ALL, "frobnicate the widget"), NULL, "nonsense: nothing");
    is_str(suggest(ODS_CMD_SIGNER, "key lst"), NULL, "owner mask respected");
    is_int(ods_cmd_distance("kitten", "sitting", 10), 3, "distance kitten/sitting");
    is_int(ods_cmd_distance("", "abc", 10), 3, "distance from empty");
    is_int(ods_cmd_distance("abc", "abc", 0), 0, "equal strings");
    is_int(ods_cmd_distance("abcdefgh", "zzzzzzzz", 2), 3, "capped at cap+1");
}

/* The option names and aliases of OpenDNSSEC 2.1's tools, spot-checked. */
static void expect_opt(const char *words, const char *name, char short_name, int has_arg)
{
    const ods_cmd_t *c = find(ODS_CMD_ALL, words, NULL);
    const ods_cmd_opt_t *o = c ? ods_cmd_opt_find(c, name) : NULL;
    ok(o && o->short_name == short_name && o->has_arg == has_arg &&
           (short_name == 0 || ods_cmd_opt_short(c, short_name) == o),
       "%s --%s (-%c)", words, name, short_name ? short_name : '0');
}

static void test_compat(void)
{
    static const char *lists[] = { "zone list",     "key list",    "queue",
                                   "policy list",   "zones",       "repository list",
                                   "rollover list", "zone status", "hsm list" };
    expect_opt("zone add", "zone", 'z', 1);
    expect_opt("zone add", "policy", 'p', 1);
    expect_opt("zone add", "signerconf", 's', 1);
    expect_opt("zone add", "in-type", 'j', 1);
    expect_opt("zone add", "input", 'i', 1);
    expect_opt("zone add", "out-type", 'q', 1);
    expect_opt("zone add", "output", 'o', 1);
    expect_opt("zone add", "xml", 'u', 0);
    expect_opt("zone add", "suspend", 'n', 0);
    expect_opt("zone delete", "all", 'a', 0);
    expect_opt("key list", "verbose", 'v', 0);
    expect_opt("key list", "debug", 'd', 0);
    expect_opt("key list", "full", 'f', 0);
    expect_opt("key list", "parsable", 'p', 0);
    expect_opt("key list", "keystate", 'e', 1);
    expect_opt("key list", "keytype", 't', 1);
    expect_opt("key export", "ds", 'd', 0);
    expect_opt("key export", "sha1", 's', 0);
    expect_opt("key export", "cka_id", 'k', 1);
    expect_opt("key ds-seen", "keytag", 'x', 1);
    expect_opt("key ds-submit", "cka_id", 'k', 1);
    expect_opt("key import", "inception_time", 'w', 1);
    expect_opt("key import", "algorithm", 'g', 1);
    expect_opt("key generate", "duration", 'd', 1);
    expect_opt("key purge", "delete", 'd', 0);
    expect_opt("key rollover", "keytype", 't', 1);
    expect_opt("policy import", "remove-missing-policies", 'r', 0);
    expect_opt("zonelist import", "remove-missing-zones", 'r', 0);
    expect_opt("zonelist import", "file", 'f', 1);
    expect_opt("time leap", "time", 't', 1);
    expect_opt("sign", "serial", 0, 1);
    expect_opt("hsm purge", "force", 'f', 0);
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        const ods_cmd_t *c = find(ODS_CMD_ALL, lists[i], NULL);
        ok(c && ods_cmd_opt_find(c, "json"), "%s takes --json", lists[i]);
    }
}

/* s with '-' written as roff's "\-" */
static void roff_escape(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 3 < size; s++) {
        if (*s == '-')
            out[n++] = '\\';
        out[n++] = *s;
    }
    out[n] = '\0';
}

/* docs/man/odsctl.8 documents every command and every option of the table. */
static void test_manpage(void)
{
    const char *root = getenv("ODS_SOURCE_ROOT");
    char path[512], want[256], esc[200];
    FILE *f;
    char *page = NULL;
    size_t len = 0, n;
    const ods_cmd_t *t = ods_cmd_table(&n);
    int missing = 0;
    snprintf(path, sizeof(path), "%s/docs/man/odsctl.8", root ? root : "../../..");
    f = fopen(path, "r");
    if (!ok(f != NULL, "open %s", path))
        return;
    page = calloc(1, 1 << 20);
    len = fread(page, 1, (1 << 20) - 1, f);
    fclose(f);
    ok(len > 1000, "the man page has text");
    for (size_t i = 0; i < n; i++) {
        roff_escape(t[i].words, esc, sizeof(esc));
        snprintf(want, sizeof(want), "\\fB%s%s\\fR", ods_cmd_bare_reachable(&t[i]) ? "" : "signer ",
                 esc);
        if (!strstr(page, want)) {
            tap_diag("odsctl.8 lacks the command %s", want);
            missing++;
        }
        for (const ods_cmd_opt_t *o = t[i].opts; o->name; o++) {
            roff_escape(o->name, esc, sizeof(esc));
            snprintf(want, sizeof(want), "\\fB\\-\\-%s\\fR", esc);
            if (!strstr(page, want)) {
                tap_diag("odsctl.8 lacks option %s of %s", want, t[i].words);
                missing++;
            }
        }
    }
    is_int(missing, 0, "odsctl.8 documents every command and option");
    free(page);
}

int main(void)
{
    test_sanity();
    test_find();
    test_suggest();
    test_compat();
    test_manpage();
    return tap_done();
}
