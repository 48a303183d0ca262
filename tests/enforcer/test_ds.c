/*
 * test_ds.c -- the DS handshake with the real enforcerd: "please submit DS"
 * then ds-seen, without a DelegationSignerSubmitCommand, with one (a script
 * that records its standard input), and with one that fails; ds-seen on a
 * key that is not waiting fails with a non-zero exit; key export --ds gives
 * the DS that ldns-key2ds computes from the exported DNSKEY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enf_test.h"
#include "tap.h"

static et_t t;

#define CMD(out, err, ...) et_cmd(&t, out, err, __VA_ARGS__, NULL)

/* Leap until the log asks for the DS of `zone`; 1 when it did. */
static int leap_until_submit(const char *zone)
{
    char want[256];
    snprintf(want, sizeof(want), "please submit DS with keytag");
    for (int i = 0; i < 10; i++) {
        char *log = et_read(t.log), *p = log;
        int found = 0;
        while (p && (p = strstr(p, want)) != NULL) {
            char *nl = strchr(p, '\n');
            if (nl)
                *nl = '\0';
            found |= strstr(p, zone) != NULL;
            p = nl ? nl + 1 : NULL;
        }
        free(log);
        if (found)
            return 1;
        CMD(NULL, NULL, "time", "leap");
    }
    return 0;
}

/* Field i of the "-v -p" line of zone's key with this role. */
static void key_field(const char *zone, const char *role, int i, char *buf, size_t len)
{
    char *out = NULL, prefix[300];
    buf[0] = '\0';
    CMD(&out, NULL, "key", "list", "--verbose", "--parsable", "--zone", zone);
    snprintf(prefix, sizeof(prefix), "%s;%s;", zone, role);
    char *line = out ? strstr(out, prefix) : NULL;
    for (int f = 0; line && f < i; f++)
        line = strchr(line, ';') ? strchr(line, ';') + 1 : NULL;
    if (line)
        snprintf(buf, len, "%.*s", (int)strcspn(line, ";\n"), line);
    free(out);
}

static void ksk_of(const char *zone, char *tag, char *loc, char *next)
{
    key_field(zone, "KSK", 8, tag, 16);
    key_field(zone, "KSK", 6, loc, 64);
    key_field(zone, "KSK", 3, next, 64);
}

static void test_without_command(void)
{
    char *out = NULL, *err = NULL, tag[16], loc[64], next[64], ztag[16];
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "a.example"), 0, "zone a.example added");
    free(out);
    ok(leap_until_submit("a.example"), "time leap brings 'please submit DS ... a.example'");
    ksk_of("a.example", tag, loc, next);
    is_str(next, "waiting for ds-seen", "without a submit command the KSK waits for ds-seen");

    key_field("a.example", "ZSK", 8, ztag, sizeof(ztag));
    is_int(CMD(&out, &err, "key", "ds-seen", "--zone", "a.example", "--keytag", ztag), 1,
           "ds-seen on the ZSK fails with a non-zero exit");
    has_str(out, "0 KSK matches found.", "no KSK matched");
    ok(err && strlen(err) > 10, "with an explanation: %s", err ? err : "");
    free(out);
    free(err);
    is_int(CMD(NULL, NULL, "key", "ds-seen", "--zone", "a.example", "--cka_id", "00ff"), 1,
           "ds-seen on an unknown CKA_ID fails");
    is_int(CMD(NULL, &err, "key", "ds-seen", "--zone", "a.example"), 2,
           "ds-seen with --zone alone is a usage error");
    has_str(err, "expected --zone and either --cka_id or --keytag", "saying what is needed");
    free(err);

    is_int(CMD(&out, NULL, "key", "ds-seen"), 0, "ds-seen without options lists the keys");
    has_str(out, tag, "waiting for it");
    free(out);
    is_int(CMD(&out, NULL, "key", "ds-seen", "--zone", "a.example", "--keytag", tag), 0,
           "ds-seen on the KSK right after 'please submit DS' works");
    has_str(out, "1 KSK matches found.\n1 KSKs changed.\n", "with OpenDNSSEC's counts");
    free(out);
    key_field("a.example", "KSK", 2, next, sizeof(next));
    is_str(next, "active", "the KSK is active after ds-seen");
    is_int(CMD(&out, &err, "key", "ds-seen", "--zone", "a.example", "--keytag", tag), 1,
           "ds-seen again fails: the key no longer waits");
    free(out);
    free(err);
}

/* The DS of `zone`'s KSK from key export --ds equals ldns-key2ds's. */
static void test_export(const char *zone, const char *tag)
{
    char *dnskey = NULL, *ds = NULL, *ref = NULL, path[800], cmd[1000], a[256], b[256];
    is_int(CMD(&dnskey, NULL, "key", "export", "--zone", zone, "--keytype", "KSK", "--keystate",
               "active"),
           0, "key export (DNSKEY)");
    has_str(dnskey, "IN\tDNSKEY\t257 3 13 ", "a DNSKEY record of the KSK");
    et_file(&t, "ksk.key", dnskey ? dnskey : "", 0, path);
    snprintf(cmd, sizeof(cmd), "ldns-key2ds -n -2 %s", path);
    is_int(et_sh(cmd, &ref), 0, "ldns-key2ds reads it");
    is_int(CMD(&ds, NULL, "key", "export", "--zone", zone, "--keytype", "KSK", "--keystate",
               "active", "--ds"),
           0, "key export --ds");
    has_str(ds, ";active KSK DS record (SHA256):\n", "with OpenDNSSEC's comment line");
    int same = 1;
    for (int i = 4; i <= 7; i++) {
        et_field(ds, "\tDS\t", i, a, sizeof(a));
        et_field(ref, "\tDS\t", i, b, sizeof(b));
        same &= strcasecmp(a, b) == 0;
    }
    ok(same, "keytag, algorithm, digest type and digest equal ldns-key2ds's");
    has_str(ds, tag, "the keytag is the KSK's");
    free(dnskey);
    free(ds);
    free(ref);
    char *out = NULL, *err = NULL;
    CMD(&out, &err, "key", "export", "--zone", zone, "--ds");
    ok(out && out[0] == '\0' && err && strstr(err, "waits for the parent"),
       "with nothing to act on, key export says so instead of printing an empty line");
    free(out);
    free(err);
}

/* Wait (real time) until path exists and is not empty; its text or NULL. */
static char *wait_file(const char *path)
{
    for (int i = 0; i < 200; i++) {
        char *text = et_read(path);
        if (text && text[0])
            return text;
        free(text);
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void wait_state(const char *zone, const char *want, char *next)
{
    char tag[16], loc[64];
    for (int i = 0; i < 100; i++) {
        ksk_of(zone, tag, loc, next);
        if (strcmp(next, want) == 0)
            return;
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static void use_command(const char *script)
{
    char extra[1000];
    snprintf(extra, sizeof(extra),
             "<AutomaticKeyGenerationPeriod>PT2H</AutomaticKeyGenerationPeriod>"
             "<DelegationSignerSubmitCommand>%s</DelegationSignerSubmitCommand>",
             script);
    et_conf(&t, extra, NULL);
    is_int(CMD(NULL, NULL, "update", "conf"), 0, "update conf takes the submit command");
}

static void test_with_command(void)
{
    char script[700], record[800], body[1200], tag[16], loc[64], next[64], *out = NULL;
    snprintf(record, sizeof(record), "%s/submitted.txt", t.fx.dir);
    snprintf(body, sizeof(body), "#!/bin/sh\ncat > %s.tmp && mv %s.tmp %s\n", record, record,
             record);
    et_file(&t, "submit.sh", body, 1, script);
    use_command(script);
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "b.example"), 0, "zone b.example added");
    free(out);
    ok(leap_until_submit("b.example"), "'please submit DS' for b.example");
    char *stdin_text = wait_file(record);
    ok(stdin_text != NULL, "the submit command ran");
    ksk_of("b.example", tag, loc, next);
    has_str(stdin_text, "b.example. 300 IN DNSKEY 257 3 13 ", "it got the DNSKEY on stdin");
    has_str(stdin_text, " IN DS ", "and the DS");
    has_str(stdin_text, tag, "of the KSK");
    free(stdin_text);
    wait_state("b.example", "waiting for ds-seen", next);
    is_str(next, "waiting for ds-seen", "a successful command marks the DS submitted");
    is_int(CMD(&out, NULL, "key", "ds-seen", "--zone", "b.example", "--cka_id", loc), 0,
           "ds-seen by CKA_ID works");
    free(out);
    test_export("b.example", tag);

    et_file(&t, "fail.sh", "#!/bin/sh\ncat >/dev/null\nexit 3\n", 1, script);
    use_command(script);
    CMD(&out, NULL, "zone", "add", "--zone", "c.example");
    free(out);
    ok(leap_until_submit("c.example"), "'please submit DS' for c.example");
    for (int i = 0; i < 100 && !et_log_has(&t, "failed for key"); i++) {
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    ok(et_log_has(&t, "DelegationSignerSubmitCommand"), "a failing command is logged");
    ksk_of("c.example", tag, loc, next);
    is_str(next, "waiting for ds-submit", "the DS stays unsubmitted");
    is_int(CMD(&out, NULL, "key", "ds-seen", "--zone", "c.example", "--keytag", tag), 0,
           "ds-seen is still accepted");
    free(out);
}

int main(void)
{
    if (et_init(&t, "ds") != 0 ||
        et_conf(&t, "<AutomaticKeyGenerationPeriod>PT2H</AutomaticKeyGenerationPeriod>", NULL) ||
        et_kasp(&t, ET_POLICY_LAB("default", "")) != 0 || et_setup(&t) != 0 ||
        et_start(&t, NULL) != 0) {
        ok(0, "fixture and daemon (log %s)", t.log);
        et_cleanup(&t);
        return tap_done();
    }
    test_without_command();
    test_with_command();
    is_int(et_stop(&t), 0, "the daemon stops cleanly");
    ok(et_log_clean(&t), "no sanitizer report in the log");
    et_cleanup(&t);
    return tap_done();
}
