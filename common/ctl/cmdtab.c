/*
 * cmdtab.c -- the command table (see cmdtab.h) and its look-ups.
 *
 * Option names and short aliases follow ods-enforcer, ods-signer and
 * ods-hsmutil of OpenDNSSEC 2.1; --json on list commands and "zone status"
 * are odsng additions.
 */
#include "ctl/cmdtab.h"

#include <stdlib.h>
#include <string.h>

#define E  ODS_CMD_ENFORCER
#define S  ODS_CMD_SIGNER
#define L  ODS_CMD_LOCAL
#define ES (ODS_CMD_ENFORCER | ODS_CMD_SIGNER)

/* ---- options shared by several commands ---- */

#define OPT_JSON                                                                                   \
    {                                                                                              \
        "json", 0, 0, NULL, "print JSON for scripts instead of text"                               \
    }
#define OPT_ZONE(h)                                                                                \
    {                                                                                              \
        "zone", 'z', 1, "ZONE", h                                                                  \
    }
#define OPT_POLICY(h)                                                                              \
    {                                                                                              \
        "policy", 'p', 1, "POLICY", h                                                              \
    }
#define OPT_ALL(h)                                                                                 \
    {                                                                                              \
        "all", 'a', 0, NULL, h                                                                     \
    }
#define OPT_XML                                                                                    \
    {                                                                                              \
        "xml", 'u', 0, NULL, "also rewrite zonelist.xml from the database"                         \
    }
#define OPT_REPOSITORY(h)                                                                          \
    {                                                                                              \
        "repository", 'r', 1, "REPOSITORY", h                                                      \
    }
#define OPT_KEYTYPE(h)                                                                             \
    {                                                                                              \
        "keytype", 't', 1, "KSK|ZSK|CSK", h                                                        \
    }
#define OPT_KEYSTATE(h)                                                                            \
    {                                                                                              \
        "keystate", 'e', 1, "STATE", h                                                             \
    }
#define OPT_CKA_ID(h)                                                                              \
    {                                                                                              \
        "cka_id", 'k', 1, "CKA_ID", h                                                              \
    }
#define OPT_END                                                                                    \
    {                                                                                              \
        NULL, 0, 0, NULL, NULL                                                                     \
    }

static const ods_cmd_opt_t opts_none[] = { OPT_END };
static const ods_cmd_opt_t opts_json[] = { OPT_JSON, OPT_END };

static const ods_cmd_opt_t opts_setup[] = {
    { "force", 'f', 0, NULL, "do not ask for confirmation" },
    OPT_END,
};

static const ods_cmd_opt_t opts_policy_one_or_all[] = {
    OPT_POLICY("the policy's name"),
    OPT_ALL("every policy"),
    OPT_END,
};

static const ods_cmd_opt_t opts_policy_import[] = {
    { "remove-missing-policies", 'r', 0, NULL,
      "delete policies that are no longer in kasp.xml (and have no zones)" },
    OPT_END,
};

static const ods_cmd_opt_t opts_zone_add[] = {
    OPT_ZONE("the zone's name"),
    OPT_POLICY("the KASP policy to use (default: \"default\")"),
    { "signerconf", 's', 1, "FILE",
      "where the enforcer writes the zone's signer configuration "
      "(default: WORKDIR/signconf/ZONE.xml)" },
    { "in-type", 'j', 1, "File|DNS", "input adapter type (default: File)" },
    { "input", 'i', 1, "FILE", "unsigned zone file, or the DNS adapter's configuration" },
    { "out-type", 'q', 1, "File|DNS", "output adapter type (default: File)" },
    { "output", 'o', 1, "FILE", "signed zone file, or the DNS adapter's configuration" },
    OPT_XML,
    { "suspend", 'n', 0, NULL, "add the zone but do not enforce or sign it yet" },
    OPT_END,
};

static const ods_cmd_opt_t opts_zone_delete[] = {
    OPT_ZONE("the zone to delete"),
    OPT_ALL("delete every zone"),
    OPT_XML,
    OPT_END,
};

static const ods_cmd_opt_t opts_zone_set_policy[] = {
    OPT_ZONE("the zone"),
    OPT_POLICY("the new policy"),
    OPT_XML,
    OPT_END,
};

static const ods_cmd_opt_t opts_zone_status[] = {
    OPT_ZONE("only this zone"),
    OPT_JSON,
    OPT_END,
};

static const ods_cmd_opt_t opts_zonelist_import[] = {
    { "remove-missing-zones", 'r', 0, NULL, "delete zones that are not in the file" },
    { "file", 'f', 1, "FILE", "read this file instead of ZoneListFile (absolute path)" },
    OPT_END,
};

static const ods_cmd_opt_t opts_key_list[] = {
    { "verbose", 'v', 0, NULL, "add size, algorithm, CKA_ID, repository and keytag" },
    { "debug", 'd', 0, NULL, "show the DS, DNSKEY, RRSIG-DNSKEY and RRSIG record states" },
    { "full", 'f', 0, NULL, "--verbose and --debug together" },
    { "parsable", 'p', 0, NULL, "';'-separated fields, no header" },
    OPT_ZONE("only keys of this zone"),
    OPT_KEYSTATE("only keys in these states (comma list: generate, publish, ready, active, "
                 "retire, unknown, mixed, dead)"),
    OPT_KEYTYPE("only keys of this role"),
    OPT_ALL("include keys in the generate and dead states"),
    OPT_JSON,
    OPT_END,
};

static const ods_cmd_opt_t opts_key_export[] = {
    OPT_ZONE("keys of this zone"),
    OPT_ALL("keys of every zone"),
    { "ds", 'd', 0, NULL, "print DS records (SHA-256) instead of DNSKEY records" },
    { "sha1", 's', 0, NULL, "with --ds: SHA-1 digests as well" },
    OPT_KEYSTATE("only keys in this state (default: publish, ready and active)"),
    OPT_KEYTYPE("only keys of this role (default: KSK and CSK)"),
    OPT_CKA_ID("only the key with this locator"),
    OPT_END,
};

static const ods_cmd_opt_t opts_key_import[] = {
    OPT_CKA_ID("locator (CKA_ID, hex) of the existing HSM key"),
    OPT_REPOSITORY("the repository that holds the key"),
    OPT_ZONE("the zone the key is for"),
    { "bits", 'b', 1, "BITS", "key size" },
    { "algorithm", 'g', 1, "ALGORITHM", "DNSSEC algorithm number" },
    OPT_KEYSTATE("state to start in: generate, publish, ready, active or retire"),
    OPT_KEYTYPE("role of the key"),
    { "inception_time", 'w', 1, "TIME", "when the key was created (YYYY-MM-DD-HH:MM:SS)" },
    OPT_END,
};

static const ods_cmd_opt_t opts_key_ds[] = {
    OPT_ZONE("the zone"),
    { "keytag", 'x', 1, "KEYTAG", "the key's keytag" },
    OPT_CKA_ID("the key's locator"),
    OPT_ALL("every key waiting for this step"),
    OPT_END,
};

static const ods_cmd_opt_t opts_key_generate[] = {
    { "duration", 'd', 1, "DURATION", "generate keys for this period (e.g. P1Y)" },
    OPT_POLICY("for the zones of this policy"),
    OPT_ALL("for every policy"),
    OPT_END,
};

static const ods_cmd_opt_t opts_key_purge[] = {
    OPT_POLICY("keys of the zones of this policy"),
    OPT_ZONE("keys of this zone"),
    { "delete", 'd', 0, NULL, "also delete the keys from the HSM" },
    OPT_END,
};

static const ods_cmd_opt_t opts_key_rollover[] = {
    OPT_ZONE("roll the keys of this zone"),
    OPT_POLICY("roll the keys of every zone of this policy"),
    OPT_KEYTYPE("only this role (default: every role)"),
    OPT_END,
};

static const ods_cmd_opt_t opts_rollover_list[] = {
    OPT_ZONE("only this zone"),
    OPT_JSON,
    OPT_END,
};

static const ods_cmd_opt_t opts_backup[] = {
    OPT_REPOSITORY("only keys in this repository"),
    OPT_END,
};

static const ods_cmd_opt_t opts_enforce[] = {
    OPT_ZONE("only this zone"),
    OPT_END,
};

static const ods_cmd_opt_t opts_look_ahead[] = {
    OPT_ZONE("the zone"),
    { "steps", 's', 1, "N", "how many future events to show (default 10)" },
    OPT_JSON,
    OPT_END,
};

static const ods_cmd_opt_t opts_time_leap[] = {
    { "time", 't', 1, "TIME", "leap to this time (YYYY-MM-DD-HH:MM:SS) instead of the next task" },
    { "attach", 'a', 0, NULL, "run the tasks due and stay attached until they finish" },
    OPT_END,
};

static const ods_cmd_opt_t opts_sign[] = {
    { "serial", 0, 1, "SERIAL", "use this SOA serial for the new version" },
    OPT_ALL("every zone"),
    { "wait", 'w', 0, NULL, "return only when the signed zone has been written" },
    OPT_END,
};

static const ods_cmd_opt_t opts_update_signer[] = {
    OPT_ALL("re-read zones.xml and every signer configuration"),
    OPT_END,
};

static const ods_cmd_opt_t opts_hsm_login[] = {
    OPT_REPOSITORY("only this repository (default: every one without a PIN in conf.xml)"),
    OPT_END,
};

static const ods_cmd_opt_t opts_hsm_purge[] = {
    { "force", 'f', 0, NULL, "do not ask for confirmation" },
    OPT_END,
};

#define DAEMON_WORDS_NOTE                                                                          \
    " Without \"enforcer\" or \"signer\" in front, odsctl sends it to both daemons and "           \
    "prints each answer under a one-line header."

static const ods_cmd_t table[] = {
    /* ---------------- enforcer ---------------- */
    { "setup", E, "", 0, 0, "create or wipe the enforcer database",
      "Delete the enforcer's database (policies, zones, keys) and create an empty one, "
      "then import kasp.xml and zonelist.xml. odsctl asks for confirmation on the terminal "
      "unless --force is given. The keys stay in the HSM.",
      "odsctl setup\nodsctl setup --force", opts_setup, "[--force]" },

    { "policy list", E, "", 0, 0, "list the policies", "List every policy with its description.",
      "odsctl policy list\nodsctl policy list --json", opts_json, "[--json]" },
    { "policy export", E, "", 0, 0, "print policies as kasp.xml",
      "Print one policy, or all of them, in kasp.xml format.",
      "odsctl policy export --policy default\nodsctl policy export --all > kasp.xml",
      opts_policy_one_or_all, "(--policy POLICY | --all)" },
    { "policy import", E, "", 0, 0, "load kasp.xml into the database",
      "Read PolicyFile (kasp.xml), validate it and create or update the policies in the "
      "database. The zones of changed policies are enforced again.",
      "odsctl policy import\nodsctl policy import --remove-missing-policies", opts_policy_import,
      "[--remove-missing-policies]" },
    { "policy purge", E, "", 0, 0, "delete policies that have no zones",
      "Delete every policy that no zone uses.", "odsctl policy purge", opts_none, "" },
    { "policy resalt", E, "", 0, 0, "make new NSEC3 salts now",
      "Give the NSEC3 chains of a policy's zones a new random salt now, instead of waiting "
      "for the policy's Resalt period.",
      "odsctl policy resalt --policy default\nodsctl policy resalt --all", opts_policy_one_or_all,
      "(--policy POLICY | --all)" },

    { "zone list", E, "", 0, 0, "list the zones",
      "List every zone with its policy, signer configuration and adapters.",
      "odsctl zone list\nodsctl zone list --json", opts_json, "[--json]" },
    { "zone add", E, "", 0, 0, "add a zone",
      "Add a zone under a policy. The enforcer creates its keys and signer configuration "
      "and tells the signer. Without --input and --output the enforcer's default "
      "unsigned and signed zone directories are used.",
      "odsctl zone add --zone example.com --policy default \\\n"
      "    --input /var/db/dns/unsigned/example.com --output /var/db/dns/signed/example.com",
      opts_zone_add,
      "--zone ZONE [--policy POLICY] [--signerconf FILE] [--in-type File|DNS] [--input FILE] "
      "[--out-type File|DNS] [--output FILE] [--xml] [--suspend]" },
    { "zone delete", E, "", 0, 0, "delete a zone",
      "Delete a zone (or every zone) from the enforcer and the signer. Its keys are released "
      "and purged later.",
      "odsctl zone delete --zone example.com\nodsctl zone delete --all --xml", opts_zone_delete,
      "(--zone ZONE | --all) [--xml]" },
    { "zone set-policy", E, "", 0, 0, "move a zone to another policy",
      "Change the policy of a zone. The enforcer rolls keys as the new policy requires.",
      "odsctl zone set-policy --zone example.com --policy lab", opts_zone_set_policy,
      "--zone ZONE --policy POLICY [--xml]" },
    { "zone status", E, "", 0, 0, "show each zone's next event and what it waits for",
      "For each zone (or one), show when the enforcer will next act on it and why it is "
      "waiting: a key state transition and the time it becomes safe, the DS handshake "
      "with the parent (ds-submit, ds-seen, ...), or key generation.",
      "odsctl zone status\nodsctl zone status --zone example.com --json", opts_zone_status,
      "[--zone ZONE] [--json]" },

    { "zonelist import", E, "", 0, 0, "sync the zones from zonelist.xml",
      "Add and update the zones of zonelist.xml in the database; with "
      "--remove-missing-zones, also delete the zones the file no longer lists.",
      "odsctl zonelist import\nodsctl zonelist import --remove-missing-zones --file "
      "/etc/odsng/zonelist.xml",
      opts_zonelist_import, "[--remove-missing-zones] [--file FILE]" },
    { "zonelist export", E, "", 0, 0, "print zonelist.xml from the database",
      "Print the zones of the database in zonelist.xml format.",
      "odsctl zonelist export > zonelist.xml", opts_none, "" },

    { "key list", E, "", 0, 0, "list the keys and their states",
      "List the keys of every zone (or one) with their state (generate, publish, ready, "
      "active, retire, dead) and the date of the next transition. Output columns are "
      "those of ods-enforcer key list.",
      "odsctl key list --verbose\nodsctl key list --zone example.com --keytype KSK --parsable "
      "--verbose\nodsctl key list --json",
      opts_key_list,
      "[--verbose] [--debug] [--full] [--parsable] [--zone ZONE] [--keystate STATE[,STATE]] "
      "[--keytype KSK|ZSK|CSK] [--all] [--json]" },
    { "key export", E, "", 0, 0, "print DNSKEY or DS records",
      "Print the DNSKEY records of a zone's keys, or with --ds the DS records to hand to "
      "the parent (SHA-256; with --sha1 also SHA-1).",
      "odsctl key export --zone example.com --ds\nodsctl key export --all", opts_key_export,
      "(--zone ZONE | --all) [--ds [--sha1]] [--keystate STATE] [--keytype KSK|ZSK|CSK] "
      "[--cka_id CKA_ID]" },
    { "key import", E, "", 0, 0, "adopt an existing HSM key into a zone",
      "Attach a key that already exists in an HSM repository to a zone, in the given role "
      "and state.",
      "odsctl key import --zone example.com --cka_id 6f1e... --repository SoftHSM "
      "--bits 256 --algorithm 13 --keytype KSK --keystate active "
      "--inception_time 2024-01-01-00:00:00",
      opts_key_import,
      "--zone ZONE --cka_id CKA_ID --repository REPOSITORY --bits BITS --algorithm ALGORITHM "
      "--keytype KSK|ZSK|CSK --keystate STATE --inception_time TIME" },
    { "key ds-submit", E, "", 0, 0, "record that the DS was submitted to the parent",
      "Tell the enforcer that a KSK's DS has been submitted to the parent. Without options, "
      "list the keys waiting for it.",
      "odsctl key ds-submit --zone example.com --keytag 60509", opts_key_ds,
      "[--zone ZONE (--keytag KEYTAG | --cka_id CKA_ID) | --all]" },
    { "key ds-seen", E, "", 0, 0, "record that the parent publishes the DS",
      "Tell the enforcer that the parent now publishes a KSK's DS record, so the rollover "
      "can go on. Without options, list the keys waiting for it.",
      "odsctl key ds-seen --zone example.com --keytag 60509", opts_key_ds,
      "[--zone ZONE (--keytag KEYTAG | --cka_id CKA_ID) | --all]" },
    { "key ds-retract", E, "", 0, 0, "record that the DS removal was requested",
      "Tell the enforcer that the removal of an old KSK's DS has been requested from the "
      "parent. Without options, list the keys waiting for it.",
      "odsctl key ds-retract --zone example.com --keytag 60509", opts_key_ds,
      "[--zone ZONE (--keytag KEYTAG | --cka_id CKA_ID) | --all]" },
    { "key ds-gone", E, "", 0, 0, "record that the parent no longer publishes the DS",
      "Tell the enforcer that the parent has removed an old KSK's DS record. Without "
      "options, list the keys waiting for it.",
      "odsctl key ds-gone --zone example.com --keytag 60509", opts_key_ds,
      "[--zone ZONE (--keytag KEYTAG | --cka_id CKA_ID) | --all]" },
    { "key generate", E, "", 0, 0, "pre-generate keys in the HSM",
      "Generate the keys the zones of a policy (or all) will need for the given period.",
      "odsctl key generate --duration P1Y --all", opts_key_generate,
      "--duration DURATION (--policy POLICY | --all)" },
    { "key purge", E, "", 0, 0, "remove dead keys",
      "Remove the keys of a zone or policy that are dead (fully retired); with --delete also "
      "from the HSM.",
      "odsctl key purge --zone example.com --delete", opts_key_purge,
      "(--policy POLICY | --zone ZONE) [--delete]" },
    { "key rollover", E, "", 0, 0, "start a key rollover now",
      "Start a rollover of a zone's keys (or those of every zone of a policy) now, instead of "
      "at the end of the key lifetime. Without --keytype every role rolls.",
      "odsctl key rollover --zone example.com --keytype ZSK", opts_key_rollover,
      "(--zone ZONE | --policy POLICY) [--keytype KSK|ZSK|CSK]" },
    { "rollover list", E, "", 0, 0, "list the expected rollover dates",
      "For each zone and key role, show when the next rollover is expected.",
      "odsctl rollover list --zone example.com", opts_rollover_list, "[--zone ZONE] [--json]" },
    { "backup list", E, "", 0, 0, "list the keys' backup state",
      "For repositories with RequireBackup, list how many keys are backed up, prepared or "
      "not backed up.",
      "odsctl backup list --repository SoftHSM", opts_backup, "[--repository REPOSITORY]" },
    { "backup prepare", E, "", 0, 0, "mark new keys as about to be backed up",
      "Mark the keys generated since the last backup as being backed up; run before taking "
      "the HSM backup.",
      "odsctl backup prepare --repository SoftHSM", opts_backup, "[--repository REPOSITORY]" },
    { "backup commit", E, "", 0, 0, "mark prepared keys as backed up",
      "Mark the prepared keys as backed up (after the HSM backup succeeded), so they may be "
      "used.",
      "odsctl backup commit --repository SoftHSM", opts_backup, "[--repository REPOSITORY]" },
    { "backup rollback", E, "", 0, 0, "undo backup prepare",
      "Return the prepared keys to the not-backed-up state (the HSM backup failed).",
      "odsctl backup rollback --repository SoftHSM", opts_backup, "[--repository REPOSITORY]" },
    { "repository list", E, "", 0, 0, "list the HSM repositories",
      "List the repositories of conf.xml with their capacity and whether they require a "
      "backup.",
      "odsctl repository list\nodsctl repository list --json", opts_json, "[--json]" },
    { "enforce", E, "", 0, 0, "run the enforcer for every zone (or one) now",
      "Evaluate the key states of every zone, or one zone, now instead of at the scheduled "
      "time.",
      "odsctl enforce\nodsctl enforce --zone example.com", opts_enforce, "[--zone ZONE]" },
    { "look-ahead", E, "", 0, 0, "show what the enforcer will do next for a zone",
      "Simulate the coming events of a zone's key states (assuming the operator answers DS "
      "steps at once) without changing anything.",
      "odsctl look-ahead --zone example.com --steps 5", opts_look_ahead,
      "--zone ZONE [--steps N] [--json]" },
    { "signconf", E, "", 0, 0, "rewrite every signer configuration",
      "Write the signer configuration of every zone again and tell the signer.", "odsctl signconf",
      opts_none, "" },
    { "update conf", E, "", 0, 0, "re-read conf.xml",
      "Re-read conf.xml. A file that does not validate is refused and the running "
      "configuration kept.",
      "odsctl update conf", opts_none, "" },
    { "update repositorylist", E, "", 0, 0, "re-read the repository list",
      "Re-read the RepositoryList of conf.xml.", "odsctl update repositorylist", opts_none, "" },
    { "update all", E, "", 0, 0, "re-read every configuration file",
      "Re-read the repository list, then import kasp.xml and zonelist.xml (policy import and "
      "zonelist import).",
      "odsctl update all", opts_none, "" },

    /* ---------------- both daemons ---------------- */
    { "queue", ES, "", 0, 0, "list the scheduled tasks",
      "List the daemon's scheduled tasks and when they run; also prints the daemon's current "
      "time." DAEMON_WORDS_NOTE,
      "odsctl queue\nodsctl enforcer queue --json", opts_json, "[--json]" },
    { "flush", ES, "", 0, 0, "run every scheduled task now",
      "Run every scheduled task now instead of at its time." DAEMON_WORDS_NOTE,
      "odsctl flush\nodsctl signer flush", opts_none, "" },
    { "running", ES, "", 0, 0, "check that the daemon is running",
      "Say whether the daemon is running (exit status 0) or not (3)." DAEMON_WORDS_NOTE,
      "odsctl running\nodsctl enforcer running", opts_none, "" },
    { "reload", ES, "", 0, 0, "reload the configuration",
      "Re-read the configuration files, like SIGHUP." DAEMON_WORDS_NOTE,
      "odsctl reload\nodsctl signer reload", opts_none, "" },
    { "stop", ES, "", 0, 0, "stop the daemon",
      "Stop the daemon cleanly after the work in progress." DAEMON_WORDS_NOTE,
      "odsctl stop\nodsctl enforcer stop", opts_none, "" },
    { "verbosity", ES, "LEVEL", 1, 1, "set the log level",
      "Set the daemon's log verbosity (0 errors only ... 5 debug)." DAEMON_WORDS_NOTE,
      "odsctl verbosity 4\nodsctl signer verbosity 3", opts_none, "" },
    { "time leap", ES, "", 0, 0, "move the daemon's test clock to its next task",
      "Testing only (daemon started with --set-time): jump the clock to the next scheduled "
      "task, or to --time, and run what is due. Without \"enforcer\" or \"signer\" in front it "
      "goes to the enforcer, which moves the signer's clock with its own.",
      "odsctl time leap\nodsctl time leap --time 2030-01-01-00:00:00", opts_time_leap,
      "[--time TIME] [--attach]" },

    /* ---------------- signer ---------------- */
    { "sign", S, "[ZONE]", 0, 1, "re-read a zone and sign it now",
      "Re-read the unsigned zone and publish a new signed version now (only what changed is "
      "signed again). --serial forces the new SOA serial.",
      "odsctl sign example.com\nodsctl sign example.com --serial 2024010101\n"
      "odsctl sign --all --wait",
      opts_sign, "(ZONE [--serial SERIAL] | --all) [--wait]" },
    { "zones", S, "", 0, 0, "list the signer's zones",
      "List the zones the signer knows, with the state of their last signing run.",
      "odsctl zones\nodsctl zones --json", opts_json, "[--json]" },
    { "clear", S, "ZONE", 1, 1, "forget a zone's signatures",
      "Drop the signer's copy of a zone and its saved state, so the next run signs "
      "everything again.",
      "odsctl clear example.com", opts_none, "" },
    { "update", S, "[ZONE]", 0, 1, "re-read a zone's signer configuration",
      "Re-read the signer configuration of one zone, or with --all zones.xml and every "
      "signer configuration. Reach it as \"odsctl signer update\" (\"odsctl update\" is the "
      "enforcer's).",
      "odsctl signer update example.com\nodsctl signer update --all", opts_update_signer,
      "(ZONE | --all)" },
    { "retransfer", S, "ZONE", 1, 1, "transfer a zone again from its primary",
      "Fetch the zone again with a full transfer (AXFR) from the primary (DNS input adapter).",
      "odsctl retransfer example.com", opts_none, "" },

    /* ---------------- odsctl itself ---------------- */
    { "help", L, "[COMMAND...]", 0, -1, "list the commands or explain one",
      "Without arguments, list every command grouped by daemon. With a command, show its "
      "usage, options and an example.",
      "odsctl help\nodsctl help key list", opts_none, "" },
    { "version", L, "", 0, 0, "print odsctl's version", "Print the version of odsctl.",
      "odsctl version", opts_none, "" },
    { "check-config", L, "", 0, 0, "check conf.xml, kasp.xml and zonelist.xml",
      "Validate conf.xml and the kasp.xml and zonelist.xml it names against their schemas "
      "and check their values, cross references and the system (modules, users, "
      "directories), like ods-kaspcheck. Prints every problem; the exit status is 1 if "
      "there is an ERROR.",
      "odsctl check-config\nodsctl -c /etc/odsng/conf.xml check-config", opts_none, "" },
    { "hsm list", L, "[REPOSITORY]", 0, 1, "list the keys in the HSM",
      "List the keys of every repository, or one, with their locator (CKA_ID) and type.",
      "odsctl hsm list\nodsctl hsm list SoftHSM --json", opts_json, "[REPOSITORY] [--json]" },
    { "hsm generate", L, "REPOSITORY ALGORITHM [BITS]", 2, 3, "generate a key pair",
      "Generate a key pair in a repository. ALGORITHM is rsa, ecdsa or eddsa (or a DNSSEC "
      "algorithm number); BITS is the RSA size, 256 or 384 for ECDSA, 255 or 448 for EdDSA.",
      "odsctl hsm generate SoftHSM rsa 2048\nodsctl hsm generate SoftHSM ecdsa 256", opts_none,
      "" },
    { "hsm remove", L, "LOCATOR", 1, 1, "delete a key pair",
      "Delete the key pair with this locator (CKA_ID in hex) from the HSM. The enforcer is "
      "not told: remove only keys it does not use.",
      "odsctl hsm remove 6f1e3a0c9b...", opts_none, "" },
    { "hsm purge", L, "REPOSITORY", 1, 1, "delete every key in a repository",
      "Delete every key pair in a repository, after a confirmation unless --force.",
      "odsctl hsm purge SoftHSM", opts_hsm_purge, "REPOSITORY [--force]" },
    { "hsm info", L, "", 0, 0, "show the repositories' tokens",
      "Show the slot, token, manufacturer, model and free memory of every repository.",
      "odsctl hsm info", opts_none, "" },
    { "hsm test", L, "REPOSITORY", 1, 1, "test a repository",
      "Generate keys, sign, verify and delete them in a repository, and report each step.",
      "odsctl hsm test SoftHSM", opts_none, "" },
    { "hsm dnskey", L, "LOCATOR NAME FLAGS ALGORITHM", 4, 4, "print a key as a DNSKEY record",
      "Print the DNSKEY record of an HSM key for owner NAME with FLAGS (256 ZSK, 257 KSK) and "
      "the DNSSEC ALGORITHM number.",
      "odsctl hsm dnskey 6f1e3a0c9b... example.com 257 13", opts_none, "" },
    /* odsctl asks and checks the PIN, then hands it to both daemons, which
     * find this entry with ODS_CMD_LOCAL (see svc/pin.h for the request) */
    { "hsm login", L, "", 0, 0, "give the running daemons the HSM PIN",
      "Ask on the terminal, without echo, for the PIN of every repository that has no PIN or "
      "PINFile in conf.xml (or of --repository), check it against the token, and hand it to "
      "both running daemons over their control sockets. They then open the HSM and start "
      "enforcing and signing. The PIN never appears on a command line or in a log; "
      "ODS_PIN_<NAME> in odsctl's environment is used instead of asking.",
      "odsctl hsm login\nodsctl hsm login --repository SoftHSM", opts_hsm_login,
      "[--repository REPOSITORY]" },
};

#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

const ods_cmd_t *ods_cmd_table(size_t *n)
{
    if (n)
        *n = TABLE_LEN;
    return table;
}

int ods_cmd_nwords(const ods_cmd_t *cmd)
{
    int n = 1;
    for (const char *p = cmd->words; *p; p++)
        n += *p == ' ';
    return n;
}

/* 1 if cmd->words equals argv[0..nwords) joined by single spaces. */
static int words_match(const ods_cmd_t *cmd, int nwords, int argc, char *const *argv)
{
    const char *p = cmd->words;
    if (nwords > argc)
        return 0;
    for (int i = 0; i < nwords; i++) {
        size_t len = strlen(argv[i]);
        if (strncmp(p, argv[i], len) != 0)
            return 0;
        p += len;
        if (i + 1 < nwords) {
            if (*p != ' ')
                return 0;
            p++;
        }
    }
    return *p == '\0';
}

const ods_cmd_t *ods_cmd_find(int owner_mask, int argc, char *const *argv, int *nwords)
{
    const ods_cmd_t *best = NULL;
    int best_n = 0;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const ods_cmd_t *c = &table[i];
        int n = ods_cmd_nwords(c);
        if (!(c->owner & owner_mask) || n <= best_n)
            continue;
        if (words_match(c, n, argc, argv)) {
            best = c;
            best_n = n;
        }
    }
    if (best && nwords)
        *nwords = best_n;
    return best;
}

int ods_cmd_distance(const char *a, const char *b, int cap)
{
    /* optimal string alignment: insertions, deletions, substitutions and
     * transpositions of neighbours ("sing" -> "sign") each cost 1 */
    size_t la = strlen(a), lb = strlen(b);
    int *rows = malloc(3 * (lb + 1) * sizeof(*rows));
    int *prev2, *prev, *cur, result;
    if (!rows)
        return cap + 1;
    prev2 = rows;
    prev = rows + lb + 1;
    cur = rows + 2 * (lb + 1);
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int *tmp;
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
        }
        tmp = prev2;
        prev2 = prev;
        prev = cur;
        cur = tmp;
    }
    result = prev[lb];
    free(rows);
    return result > cap ? cap + 1 : result;
}

/* argv[0..n) joined by spaces into buf (truncated to fit). */
static void join_words(char *buf, size_t size, int n, char *const *argv)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len + 1 < size; i++) {
        size_t w = strlen(argv[i]);
        if (i > 0)
            buf[len++] = ' ';
        if (len + w >= size)
            w = size - len - 1;
        memcpy(buf + len, argv[i], w);
        len += w;
        buf[len] = '\0';
    }
}

/* Largest edit distance still taken as a typo of a command word string of this length. */
static int typo_cap(size_t len)
{
    return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

/* The first k words of words into buf (truncated to fit). */
static void first_words(char *buf, size_t size, const char *words, int k)
{
    size_t len = 0;
    while (words[len] && len + 1 < size) {
        if (words[len] == ' ' && --k == 0)
            break;
        len++;
    }
    memcpy(buf, words, len);
    buf[len] = '\0';
}

const char *ods_cmd_suggest(int owner_mask, int argc, char *const *argv)
{
    const char *best = NULL;
    int best_d = 0, best_k = 0;
    char typed[256], want[256];
    int nwords = 0;
    while (nwords < argc && argv[nwords][0] != '-') /* the words typed before any option */
        nwords++;
    if (nwords == 0)
        return NULL;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const ods_cmd_t *c = &table[i];
        int n = ods_cmd_nwords(c), k = n < nwords ? n : nwords, d, cap;
        if (!(c->owner & owner_mask))
            continue;
        /* as many words as the command has, or as were typed if fewer */
        join_words(typed, sizeof(typed), k, argv);
        first_words(want, sizeof(want), c->words, k);
        cap = typo_cap(strlen(want));
        d = ods_cmd_distance(typed, want, cap);
        /* the one that matches more words first ("zone dleete" is "zone delete",
         * not "zones"), then the closest */
        if (d <= cap && (!best || k > best_k || (k == best_k && d < best_d))) {
            best = c->words;
            best_d = d;
            best_k = k;
        }
    }
    return best;
}

const ods_cmd_opt_t *ods_cmd_opt_find(const ods_cmd_t *cmd, const char *name)
{
    for (const ods_cmd_opt_t *o = cmd->opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

const ods_cmd_opt_t *ods_cmd_opt_short(const ods_cmd_t *cmd, char c)
{
    if (c == 0)
        return NULL;
    for (const ods_cmd_opt_t *o = cmd->opts; o && o->name; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

int ods_cmd_bare_reachable(const ods_cmd_t *cmd)
{
    size_t first = strcspn(cmd->words, " ");
    if (cmd->owner & (ODS_CMD_ENFORCER | ODS_CMD_LOCAL))
        return 1;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const ods_cmd_t *c = &table[i];
        if (!(c->owner & (ODS_CMD_ENFORCER | ODS_CMD_LOCAL)))
            continue;
        if (strncmp(c->words, cmd->words, first) == 0 &&
            (c->words[first] == ' ' || c->words[first] == '\0'))
            return 0;
    }
    return 1;
}
