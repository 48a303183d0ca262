/*
 * test_zones.c -- the real enforcerd with a SoftHSMv2 token: setup, policy
 * import/export/update, zone add and delete with zones.xml and zonelist.xml
 * kept in step, the first keys of a new zone and a signconf that the conf
 * module loads back, key list in its layouts, zonelist import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/kasp.h"
#include "conf/signconf.h"
#include "conf/zonelist.h"
#include "enf_test.h"
#include "tap.h"

static et_t t;

#define CMD(out, err, ...) et_cmd(&t, out, err, __VA_ARGS__, NULL)

static ods_zonelist_t *load_list(const char *path)
{
    ods_zonelist_t *zl = NULL;
    return ods_zonelist_load(path, NULL, &zl, NULL) == ODS_OK ? zl : NULL;
}

static void check_lists(const char *zone, int present)
{
    char path[800];
    snprintf(path, sizeof(path), "%s/zones.xml", t.signer_dir);
    ods_zonelist_t *signer = load_list(path), *oper = load_list(t.zonelist);
    ok(signer && oper, "zones.xml and zonelist.xml load");
    const ods_zonelist_entry_t *e = signer ? ods_zonelist_find(signer, zone) : NULL;
    ok(present ? e != NULL : e == NULL, "zones.xml %s %s", present ? "lists" : "no longer lists",
       zone);
    e = oper ? ods_zonelist_find(oper, zone) : NULL;
    ok(present ? e != NULL : e == NULL, "zonelist.xml %s %s", present ? "lists" : "no longer lists",
       zone);
    ods_zonelist_free(signer);
    ods_zonelist_free(oper);
}

static ods_signconf_t *signconf_of(const char *zone)
{
    char path[800];
    snprintf(path, sizeof(path), "%s/signconf/%s.xml", t.workdir, zone);
    ods_signconf_t *sc = NULL;
    ods_err_t err;
    if (ods_signconf_load(path, &sc, &err) != ODS_OK)
        printf("# %s\n", err.msg);
    return sc;
}

static void test_add(void)
{
    char *out = NULL, *err = NULL;
    is_int(CMD(&out, &err, "zone", "add", "--zone", "Example.COM."), 0, "zone add succeeds");
    has_str(out, "Zone example.com added successfully", "with OpenDNSSEC's message");
    free(out);
    free(err);
    check_lists("example.com", 1);
    char path[800];
    snprintf(path, sizeof(path), "%s/zones.xml", t.signer_dir);
    ods_zonelist_t *zl = load_list(path);
    const ods_zonelist_entry_t *e = zl ? ods_zonelist_find(zl, "example.com") : NULL;
    char want[800];
    snprintf(want, sizeof(want), "%s/unsigned/example.com", t.workdir);
    ok(e && strcmp(e->policy, "default") == 0 && strcmp(e->input, want) == 0 &&
           e->input_type == ODS_ADAPTER_FILE,
       "policy and input default as in OpenDNSSEC");
    ods_zonelist_free(zl);

    ods_signconf_t *sc = signconf_of("example.com");
    ok(sc != NULL, "the first signconf is written and loads");
    if (!sc)
        return;
    is_int(sc->n_keys, 2, "with two keys from the pool");
    int ksk = -1, zsk = -1;
    for (size_t i = 0; i < sc->n_keys; i++) {
        if (sc->keys[i].flags == 257)
            ksk = (int)i;
        else if (sc->keys[i].flags == 256)
            zsk = (int)i;
    }
    ok(ksk >= 0 && sc->keys[ksk].ksk && sc->keys[ksk].publish && !sc->keys[ksk].zsk,
       "the KSK is published and signs the DNSKEY set");
    ok(zsk >= 0 && sc->keys[zsk].zsk && sc->keys[zsk].publish && !sc->keys[zsk].ksk,
       "the ZSK is published and signs the zone");
    is_int(sc->denial, ODS_DENIAL_NSEC3, "NSEC3 from the policy");
    is_int(sc->nsec3_salt_len, 8, "with an 8-octet salt");
    ods_signconf_free(sc);

    is_int(CMD(NULL, &err, "zone", "add", "--zone", "example.com"), 1, "adding it again fails");
    has_str(err, "Unable to add zone, zone already exists!", "saying so");
    free(err);
    is_int(CMD(NULL, &err, "zone", "add", "--zone", "x.example", "--policy", "nope"), 1,
           "an unknown policy fails");
    has_str(err, "Unable to find policy nope needed for adding the zone!", "saying so");
    free(err);
}

static void test_key_list(void)
{
    char *out = NULL, f[256], loc[256];
    is_int(CMD(&out, NULL, "key", "list"), 0, "key list");
    has_str(out,
            "Keys:\nZone:                           Keytype: State:    Date of next "
            "transition:\n",
            "default header as OpenDNSSEC");
    ok(et_field(out, "KSK", 2, f, sizeof(f)) && strcmp(f, "publish") == 0,
       "the new KSK is in the publish state");
    ok(et_field(out, "ZSK", 2, f, sizeof(f)) && strcmp(f, "ready") == 0,
       "the new ZSK is ready (its signatures are being introduced)");
    free(out);

    is_int(CMD(&out, NULL, "key", "list", "--verbose"), 0, "key list --verbose");
    has_str(out, "Size: Algorithm: CKA_ID:                          Repository: KeyTag:",
            "verbose header");
    ok(et_field(out, "KSK", 7, loc, sizeof(loc)) && strlen(loc) == 32, "awk $8 is the CKA_ID (%s)",
       loc);
    ok(et_field(out, "KSK", 8, f, sizeof(f)) && strcmp(f, "SoftHSM") == 0, "then the repository");
    ok(et_field(out, "KSK", 5, f, sizeof(f)) && strcmp(f, "256") == 0, "and the size");
    free(out);

    is_int(CMD(&out, NULL, "key", "list", "--debug"), 0, "key list --debug");
    has_str(out,
            "Zone:                           Key role:     DS:          DNSKEY:      "
            "RRSIGDNSKEY: RRSIG:       Pub: Act: Id:",
            "debug header");
    ok(et_field(out, "KSK", 2, f, sizeof(f)) && strcmp(f, "hidden") == 0, "KSK DS hidden");
    ok(et_field(out, "KSK", 3, f, sizeof(f)) && strcmp(f, "rumoured") == 0, "KSK DNSKEY rumoured");
    ok(et_field(out, "KSK", 8, f, sizeof(f)) && strcmp(f, loc) == 0, "the 9th column is the Id");
    free(out);

    is_int(CMD(&out, NULL, "key", "list", "--verbose", "--parsable"), 0, "-v -p");
    char line[512];
    snprintf(line, sizeof(line), "example.com;KSK;publish;");
    has_str(out, line, "zone;role;state;... fields");
    ok(out && strstr(out, loc) && et_count_lines(out, ";") == 2 && !strstr(out, "Keys:"),
       "one line per key, no header");
    free(out);
    is_int(CMD(&out, NULL, "key", "list", "--debug", "--parsable"), 0, "-d -p");
    snprintf(line, sizeof(line), "example.com;KSK;hidden;rumoured;rumoured;NA;1;1;%s\n", loc);
    has_str(out, line, "the 9th field is the CKA_ID");
    free(out);

    is_int(CMD(&out, NULL, "key", "list", "--keystate", "publish"), 0, "--keystate publish");
    is_int(et_count_lines(out, "example.com"), 1, "only the KSK");
    free(out);
    char *err = NULL;
    is_int(CMD(NULL, &err, "key", "list", "--keystate", "publish", "--all"), 2,
           "--keystate with --all is refused");
    has_str(err, "cannot be given together", "saying so");
    free(err);

    char path[800], *py = NULL;
    is_int(CMD(&out, NULL, "key", "list", "--json"), 0, "key list --json");
    et_file(&t, "keys.json", out ? out : "", 0, path);
    free(out);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import json,sys; d=json.load(open(\"%s\"))[\"keys\"]; "
             "k=[x for x in d if x[\"role\"]==\"KSK\"][0]; "
             "print(len(d), k[\"records\"][\"DNSKEY\"][\"state\"], k[\"goal\"], "
             "k[\"next_transition\"] > 0, k[\"cka_id\"])'",
             path);
    is_int(et_sh(cmd, &py), 0, "the JSON parses");
    snprintf(line, sizeof(line), "2 rumoured introduce True %s\n", loc);
    is_str(py, line, "with record states, goal, next transition and CKA_ID");
    free(py);
}

static void test_queue_and_status(void)
{
    char *out = NULL, *err = NULL;
    is_int(CMD(&out, NULL, "queue"), 0, "queue");
    has_str(out, "It is now ", "prints the time");
    has_str(out, " seconds since epoch)\n", "as OpenDNSSEC (cut -d '(')");
    has_str(out, "I will enforce zone example.com", "and the zone's next task");
    free(out);
    is_int(CMD(&out, NULL, "flush"), 0, "flush");
    has_str(out, "All tasks scheduled immediately.", "with OpenDNSSEC's message");
    free(out);
    is_int(CMD(NULL, NULL, "enforce", "--zone", "example.com"), 0, "enforce --zone");
    is_int(CMD(NULL, &err, "enforce", "--zone", "nope.example"), 1, "enforce of an unknown zone");
    has_str(err, "Unable to find zone nope.example", "fails, saying so");
    free(err);
    is_int(CMD(&out, NULL, "zone", "status", "--zone", "example.com"), 0, "zone status");
    has_str(out, "Zone example.com (policy default): next change ", "shows the next change");
    free(out);
    is_int(CMD(&out, NULL, "rollover", "list"), 0, "rollover list");
    has_str(out, "Keytype:      Rollover expected:", "with OpenDNSSEC's header");
    ok(out && et_count_lines(out, "example.com") == 2, "one line per key role");
    free(out);
    is_int(CMD(&out, NULL, "look-ahead", "--zone", "example.com", "--steps", "3"), 0, "look-ahead");
    has_str(out, "DNSKEY rumoured -> omnipresent", "shows the coming transitions");
    free(out);
    is_int(CMD(&out, NULL, "repository", "list"), 0, "repository list");
    has_str(out, "SoftHSM", "lists the repository");
    free(out);
    is_int(CMD(NULL, &err, "zone", "lst"), 2, "a mistyped command is a usage error");
    has_str(err, "did you mean 'zone list'", "with a suggestion");
    free(err);
}

static void test_policies(void)
{
    char *out = NULL;
    is_int(CMD(&out, NULL, "policy", "import"), 0, "policy import");
    has_str(out, "Policy default already up-to-date", "an unchanged policy is up-to-date");
    free(out);
    et_kasp(&t, ET_POLICY_LAB("default", "") ET_POLICY_LAB("shared", "<ShareKeys/>")
                    ET_POLICY_LAB("extra", ""));
    is_int(CMD(&out, NULL, "policy", "import"), 0, "policy import of a new kasp.xml");
    has_str(out, "Created policy extra successfully", "a new policy is created");
    has_str(out, "Policy shared already up-to-date", "the others are unchanged");
    free(out);
    char *k = et_read(t.kasp), *p = k ? strstr(k, "<DS><TTL>PT5M") : NULL;
    if (p)
        memcpy(p, "<DS><TTL>PT6M", 13);
    et_file(&t, "kasp.xml", k ? k : "", 0, NULL);
    free(k);
    is_int(CMD(&out, NULL, "policy", "import"), 0, "policy import after a change");
    has_str(out, "Updated policy default successfully", "the changed policy is updated");
    free(out);

    char path[800];
    ods_kasp_t *file = NULL, *exported = NULL;
    is_int(CMD(&out, NULL, "policy", "export", "--all"), 0, "policy export --all");
    et_file(&t, "exported.xml", out ? out : "", 0, path);
    free(out);
    ods_kasp_load(t.kasp, NULL, &file, NULL);
    ods_kasp_load(path, NULL, &exported, NULL);
    ok(file && exported && exported->n_policies == file->n_policies,
       "the export is a valid kasp.xml with every policy");
    for (size_t i = 0; file && exported && i < file->n_policies; i++)
        ok(ods_policy_equal(&file->policies[i], ods_kasp_find(exported, file->policies[i].name)),
           "policy %s exports as imported", file->policies[i].name);
    ods_kasp_free(file);
    ods_kasp_free(exported);

    ods_signconf_t *before = signconf_of("example.com");
    is_int(CMD(&out, NULL, "policy", "resalt", "--policy", "default"), 0, "policy resalt");
    free(out);
    ods_signconf_t *after = signconf_of("example.com");
    ok(before && after && after->nsec3_salt_len == 8 &&
           memcmp(before->nsec3_salt, after->nsec3_salt, 8) != 0,
       "the zone's signconf gets a new salt");
    ods_signconf_free(before);
    ods_signconf_free(after);
}

static void test_more_zones(void)
{
    char *out = NULL, *err = NULL;
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "b.example", "--policy", "shared", "--input",
               "in/b.example", "--output", "/tmp/b.signed"),
           0, "a zone with relative input and absolute output");
    free(out);
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "c.example", "--policy", "shared"), 0,
           "a second zone of a ShareKeys policy");
    free(out);
    char lb[64], lc[64];
    CMD(&out, NULL, "key", "list", "--verbose", "--zone", "b.example");
    et_field(out, "KSK", 7, lb, sizeof(lb));
    free(out);
    CMD(&out, NULL, "key", "list", "--verbose", "--zone", "c.example");
    et_field(out, "KSK", 7, lc, sizeof(lc));
    free(out);
    is_str(lc, lb, "ShareKeys: both zones use the same KSK");
    is_int(CMD(&out, NULL, "zone", "set-policy", "--zone", "c.example", "--policy", "default"), 0,
           "zone set-policy");
    has_str(out, "Zone c.example now uses policy default", "says so");
    free(out);
    CMD(&out, NULL, "key", "list", "--all", "--zone", "c.example");
    ok(et_count_lines(out, "c.example") == 2,
       "keys of the same shape are kept: no rollover is needed");
    free(out);
    char sc_path[800];
    snprintf(sc_path, sizeof(sc_path), "%s/zones.xml", t.signer_dir);
    ods_zonelist_t *zl = load_list(sc_path);
    const ods_zonelist_entry_t *e = zl ? ods_zonelist_find(zl, "c.example") : NULL;
    ok(e && strcmp(e->policy, "default") == 0, "zones.xml has the new policy");
    ods_zonelist_free(zl);
    is_int(CMD(&out, NULL, "zone", "list"), 0, "zone list");
    is_int(et_count_lines(out, "shared"), 1, "lists the zones with their policy");
    free(out);

    is_int(CMD(&out, NULL, "zone", "delete", "--zone", "example.com"), 0, "zone delete");
    has_str(out, "Deleted zone example.com successfully", "with OpenDNSSEC's message");
    free(out);
    check_lists("example.com", 0);
    is_int(CMD(NULL, &err, "zone", "delete", "--zone", "example.com"), 1, "deleting it again");
    has_str(err, "Unable to delete zone, zone example.com not found!", "fails, saying so");
    free(err);

    char path[800];
    et_file(&t, "more.xml",
            "<?xml version=\"1.0\"?><ZoneList>"
            "<Zone name=\"d.example\"><Policy>default</Policy><SignerConfiguration>/tmp/d.xml"
            "</SignerConfiguration><Adapters><Input><File>/tmp/d</File></Input><Output><File>"
            "/tmp/d.s</File></Output></Adapters></Zone>"
            "<Zone name=\"e.example\"><Policy>extra</Policy><SignerConfiguration>/tmp/e.xml"
            "</SignerConfiguration><Adapters><Input><File>/tmp/e</File></Input><Output><File>"
            "/tmp/e.s</File></Output></Adapters></Zone></ZoneList>",
            0, path);
    is_int(CMD(&out, NULL, "zonelist", "import", "--file", path), 0, "zonelist import");
    has_str(out, "2 added, 0 updated, 0 removed, 0 unchanged", "adds the new zones");
    free(out);
    CMD(&out, NULL, "key", "list", "--all");
    ok(et_count_lines(out, "d.example") == 2 && et_count_lines(out, "e.example") == 2,
       "imported zones get their first keys before the command answers");
    free(out);
    check_lists("e.example", 1);
    unlink("/tmp/d.xml");
    unlink("/tmp/e.xml");
}

int main(void)
{
    if (et_init(&t, "zones") != 0 ||
        et_conf(&t,
                "<AutomaticKeyGenerationPeriod>PT2H"
                "</AutomaticKeyGenerationPeriod>",
                NULL) != 0 ||
        et_kasp(&t, ET_POLICY_LAB("default", "") ET_POLICY_LAB("shared", "<ShareKeys/>")) != 0) {
        ok(0, "fixture");
        return tap_done();
    }
    is_int(et_setup(&t), 0, "enforcerd --setup");
    ok(et_log_has(&t, "Created policy shared successfully"), "imports kasp.xml");
    if (et_start(&t, NULL) != 0) {
        ok(0, "the daemon starts (log %s)", t.log);
        et_cleanup(&t);
        return tap_done();
    }
    test_add();
    test_key_list();
    test_queue_and_status();
    test_policies();
    test_more_zones();
    is_int(et_stop(&t), 0, "the daemon stops cleanly");
    ok(et_log_clean(&t), "no sanitizer report in the log");
    et_cleanup(&t);
    return tap_done();
}
