/*
 * test_backup.c -- RequireBackup and key purge with the real enforcerd:
 * keys of a RequireBackup repository do not go live until `backup prepare`
 * and `backup commit` (rollback undoes prepare); `key purge --delete`
 * removes dead keys from the database and the HSM (policy without Purge).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enf_test.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "tap.h"

static et_t t;

#define CMD(out, err, ...) et_cmd(&t, out, err, __VA_ARGS__, NULL)

/* The DNSKEY state of zone's key with role, from key list --debug --parsable. */
static void dnskey_state(const char *zone, const char *role, char *buf, size_t len)
{
    char *out = NULL, prefix[300];
    CMD(&out, NULL, "key", "list", "--debug", "--parsable", "--zone", zone);
    snprintf(prefix, sizeof(prefix), "%s;%s;", zone, role);
    char *p = out ? strstr(out, prefix) : NULL;
    for (int f = 0; p && f < 3; f++)
        p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL;
    snprintf(buf, len, "%.*s", p ? (int)strcspn(p, ";") : 0, p ? p : "");
    free(out);
}

static void test_backup(void)
{
    char *out = NULL, state[64];
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "b.example"), 0, "zone added");
    free(out);
    for (int i = 0; i < 5; i++)
        CMD(NULL, NULL, "time", "leap");
    dnskey_state("b.example", "KSK", state, sizeof(state));
    is_str(state, "rumoured", "a key not backed up never gets its DNSKEY omnipresent");
    CMD(&out, NULL, "key", "list", "--zone", "b.example");
    has_str(out, "waiting for key backup", "key list says what it waits for");
    free(out);
    CMD(&out, NULL, "backup", "list");
    ok(out && strstr(out, "Repository SoftHSM (RequireBackup)") && !strstr(out, " 0 not backed up"),
       "backup list counts keys not backed up");
    free(out);
    is_int(CMD(&out, NULL, "backup", "prepare", "--repository", "SoftHSM"), 0, "backup prepare");
    has_str(out, "prepared for backup", "marks them");
    free(out);
    is_int(CMD(&out, NULL, "backup", "rollback"), 0, "backup rollback");
    free(out);
    CMD(&out, NULL, "backup", "list");
    has_str(out, " 0 prepared for backup", "rollback returns them to not backed up");
    free(out);
    CMD(NULL, NULL, "backup", "prepare");
    CMD(NULL, NULL, "time", "leap");
    dnskey_state("b.example", "KSK", state, sizeof(state));
    is_str(state, "rumoured", "prepared is not enough");
    is_int(CMD(&out, NULL, "backup", "commit", "--repository", "SoftHSM"), 0, "backup commit");
    has_str(out, "marked as backed up", "marks them");
    free(out);
    for (int i = 0; i < 3; i++)
        CMD(NULL, NULL, "time", "leap");
    dnskey_state("b.example", "KSK", state, sizeof(state));
    is_str(state, "omnipresent", "once backed up the keys go live");
    is_int(CMD(&out, NULL, "backup", "commit", "--repository", "nope"), 1,
           "an unknown repository is refused");
    free(out);
}

/* Leap until the zone has a dead ZSK; its locator in loc. */
static int find_dead(const char *zone, char *loc, size_t len)
{
    for (int i = 0; i < 60; i++) {
        CMD(NULL, NULL, "key", "ds-seen", "--all");
        CMD(NULL, NULL, "backup", "prepare"); /* every new key needs a backup */
        CMD(NULL, NULL, "backup", "commit");
        char *out = NULL, prefix[300];
        CMD(&out, NULL, "key", "list", "--verbose", "--parsable", "--all", "--zone", zone);
        snprintf(prefix, sizeof(prefix), "%s;ZSK;dead;", zone);
        char *p = out ? strstr(out, prefix) : NULL;
        for (int f = 0; p && f < 6; f++)
            p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL;
        if (p)
            snprintf(loc, len, "%.*s", (int)strcspn(p, ";"), p);
        free(out);
        if (p)
            return 1;
        CMD(NULL, NULL, "time", "leap");
    }
    return 0;
}

static void test_purge(char *dead, char *released, size_t len)
{
    char *out = NULL;
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "p.example", "--policy", "nopurge"), 0,
           "zone of a policy without Purge");
    free(out);
    CMD(NULL, NULL, "backup", "prepare");
    CMD(NULL, NULL, "backup", "commit");
    ok(find_dead("p.example", dead, len), "a ZSK rollover leaves a dead key (%s)", dead);
    is_int(CMD(&out, NULL, "key", "purge", "--zone", "p.example", "--delete"), 0, "key purge");
    has_str(out, "deleting key: ", "says which key it deletes");
    has_str(out, dead, "the dead one");
    free(out);
    CMD(&out, NULL, "key", "list", "--all", "--verbose");
    ok(out && !strstr(out, dead), "the key is gone from the database");
    free(out);
    is_int(CMD(&out, NULL, "key", "purge", "--zone", "p.example"), 0, "purging again");
    has_str(out, "No keys to purge for p.example", "finds nothing");
    free(out);

    /* a deleted zone's keys stay in the HSM until key purge --policy --delete */
    CMD(&out, NULL, "key", "list", "--verbose", "--parsable", "--zone", "p.example");
    char *p = out ? strstr(out, "p.example;KSK;") : NULL;
    for (int f = 0; p && f < 6; f++)
        p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL;
    snprintf(released, len, "%.*s", p ? (int)strcspn(p, ";") : 0, p ? p : "");
    free(out);
    is_int(CMD(&out, NULL, "zone", "delete", "--zone", "p.example"), 0, "zone deleted");
    free(out);
    is_int(CMD(&out, NULL, "key", "purge", "--policy", "nopurge", "--delete"), 0,
           "key purge --policy --delete");
    ok(out && strstr(out, released) && strstr(out, "its zone was deleted"),
       "deletes the keys the deleted zone used (%s)", released);
    free(out);
}

static void check_deleted(const char *dead, const char *released)
{
    ods_hsm_repo_spec_t spec = {
        .name = "SoftHSM", .module = t.fx.module, .token_label = "OpenDNSSEC", .pin = "1234"
    };
    ods_hsm_t *hsm = NULL;
    ods_hsm_ctx_t *ctx = NULL;
    ods_hsm_key_t *k = NULL;
    ods_err_t err;
    if (ods_hsm_open(&spec, 1, &hsm, &err) == ODS_OK && ods_hsm_ctx_new(hsm, &ctx, &err) == 0) {
        is_int(ods_hsm_key_find(ctx, dead, &k, &err), ODS_ENOTFOUND,
               "the purged key is deleted from the HSM");
        is_int(ods_hsm_key_find(ctx, released, &k, &err), ODS_ENOTFOUND,
               "so is the deleted zone's KSK");
    } else
        ok(0, "open the token: %s", err.msg);
    ods_hsm_key_free(k);
    ods_hsm_ctx_free(ctx);
    ods_hsm_close(hsm);
}

int main(void)
{
    char nopurge[8192];
    snprintf(nopurge, sizeof(nopurge), "%s", ET_POLICY_LAB("nopurge", ""));
    char *p = strstr(nopurge, "<Purge>PT1H</Purge>");
    if (p)
        memmove(p, p + strlen("<Purge>PT1H</Purge>"), strlen(p + 19) + 1);
    char policies[16384];
    snprintf(policies, sizeof(policies), "%s%s", ET_POLICY_LAB("default", ""), nopurge);
    if (et_init(&t, "backup") != 0 ||
        et_conf(&t, "<AutomaticKeyGenerationPeriod>PT2H</AutomaticKeyGenerationPeriod>",
                "<RequireBackup/>") != 0 ||
        et_kasp(&t, policies) != 0 || et_setup(&t) != 0 || et_start(&t, NULL) != 0) {
        ok(0, "fixture and daemon (log %s)", t.log);
        et_cleanup(&t);
        return tap_done();
    }
    char dead[80] = "", released[80] = "";
    test_backup();
    test_purge(dead, released, sizeof(dead));
    is_int(et_stop(&t), 0, "the daemon stops cleanly");
    ok(et_log_clean(&t), "no sanitizer report in the log");
    check_deleted(dead, released);
    et_cleanup(&t);
    return tap_done();
}
