/*
 * unit-conf: broken files. Each case copies a good OpenDNSSEC 2.1 fixture
 * (data/ods21/) with one edit and checks that loading reports exactly that
 * problem: its severity, line and the words that explain it.
 */
#include "conf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/kasp.h"
#include "conf/signconf.h"
#include "conf/zonelist.h"

enum kind { CONF, KASP, ZONELIST, SIGNCONF };

struct broken {
    enum kind kind;
    const char *from, *to; /* the edit */
    int severity;          /* expected problem */
    int line;
    const char *text;
};

#define E             ODS_DIAG_ERROR
#define W             ODS_DIAG_WARNING
#define ALG8_2048_ZSK "<Algorithm length=\"2048\">8</Algorithm>\n\t\t\t\t<Lifetime>P30D"
#define ALG13_ZSK     "<Algorithm length=\"256\">13</Algorithm>\n\t\t\t\t<Lifetime>P60D"
#define CSK_RESIGN    "CSK with NSEC</Description>\n\t\t<Signatures>\n\t\t\t<Resign>PT2H"
#define MYSQL                                                                                      \
    "<Datastore><MySQL><Host Port=\"3306\">db</Host><Database>kasp</Database>"                     \
    "<Username>ods</Username><Password>pw</Password></MySQL></Datastore>"

static const struct broken cases[] = {
    /* conf.xml */
    { CONF, "<Capacity>255<", "<Capacity>0<", E, 26, "Capacity 0 would allow no keys" },
    { CONF, "<Datastore><SQLite>/var/lib/opendnssec/kasp.db</SQLite></Datastore>", MYSQL, E, 59,
      "MySQL datastores are not supported; use <SQLite>" },
    { CONF, "<ManualKeyGeneration/>", "<ManualKeyGeneration/><Interval>PT1H</Interval>", E, 60,
      "<Interval> is obsolete since OpenDNSSEC 2.0" },
    { CONF, "<Repository name=\"nopin\">", "<Repository name=\"SoftHSM\">", E, 31,
      "repository name 'SoftHSM' is already used on line 16" },
    { CONF, "<TokenLabel>Other<", "<TokenLabel>OpenDNSSEC<", W, 31,
      "use the same module and token label 'OpenDNSSEC'" },
    { CONF, "<ManualKeyGeneration/>", "<ManualKeyGen/>", E, 60, "<ManualKeyGen> is not allowed" },
    { CONF, "<RolloverNotification>P14D<", "<RolloverNotification>P14<", E, 62,
      "duration 'P14': number without a valid date" },
    { CONF, "<WorkerThreads>2<", "<WorkerThreads>0<", E, 68,
      "WorkerThreads must be between 1 and 1024" },
    { CONF, "\t</Common>", "\t</Commons>", E, 13, "not well-formed XML" },
    { CONF, "<Address>192.0.2.1<", "<Address>192.0.2.999<", E, 48,
      "'192.0.2.999' is not an IPv4 or IPv6 address" },
    { CONF, "<PIN>1234</PIN>", "<PIN>1234</PIN><PINFile>pin</PINFile>", E, 19,
      "both <PIN> and <PINFile> are given for repository 'SoftHSM'" },
    { CONF, "<Facility>local3<", "<Facility>local9<", E, 10,
      "unknown syslog facility 'local9': use daemon, user or local0..local7" },
    { CONF, "<TokenLabel>Other</TokenLabel>", "", E, 31, "<TokenLabel> is missing" },
    /* kasp.xml (checked against the fixture's conf.xml) */
    { KASP, "<Refresh>P2D<", "<Refresh>PT30M<", E, 68, "PT30M must be longer than Resign (PT1H)" },
    { KASP, "<Denial>P5D<", "<Denial>P1D<", E, 71, "P1D must be longer than Refresh (P2D)" },
    { KASP, "<Jitter>PT6H<", "<Jitter>P8D<", E, 74,
      "Jitter P8D must be shorter than Signatures/Validity/Default (P7D)" },
    { KASP, "<Jitter>PT6H<", "<Jitter>P3D<", W, 74, "Jitter P3D is more than half of" },
    { KASP, "<InceptionOffset>PT10M<", "<InceptionOffset>PT11M<", W, 154,
      "PT11M is more than 10 minutes" },
    { KASP, "<Repository>sca6000<", "<Repository>nosuch<", E, 99,
      "repository 'nosuch' is not defined in" },
    { KASP, "<Algorithm length=\"3072\">8<", "<Algorithm length=\"3072\">1<", E, 97,
      "algorithm 1 (RSAMD5) must not be used" },
    { KASP, ALG8_2048_ZSK, "<Algorithm length=\"2048\">9</Algorithm>\n\t\t\t\t<Lifetime>P30D", E,
      105, "algorithm 9 is not a DNSSEC signing algorithm" },
    { KASP, ALG13_ZSK, "<Algorithm length=\"384\">13</Algorithm>\n\t\t\t\t<Lifetime>P60D", E, 111,
      "ECDSAP256SHA256 keys are 256 bits, not 384: set length=\"256\"" },
    { KASP, "<Algorithm length=\"3072\">8<", "<Algorithm length=\"8192\">8<", E, 97,
      "RSASHA256 keys must be 1024 to 4096 bits, not 8192" },
    { KASP, "<Algorithm>1</Algorithm>\n\t\t\t\t\t<Iterations>0",
      "<Algorithm>2</Algorithm>\n\t\t\t\t\t<Iterations>0", E, 84,
      "NSEC3 hash algorithm 2 is not defined: use 1" },
    { KASP, "<Iterations>5<", "<Iterations>501<", E, 22,
      "501 NSEC3 iterations: validating resolvers treat such zones as insecure" },
    { KASP, "<Algorithm length=\"1024\">8<", "<Algorithm length=\"1024\">5<", E, 38,
      "algorithm 5 (RSASHA1) cannot be used with NSEC3" },
    { KASP, CSK_RESIGN, "CSK with NSEC</Description>\n\t\t<Signatures>\n\t\t\t<Resign>PT10M", W,
      147, "a date counter allows at most 99 new serials a day" },
    { KASP, "<Lifetime>P90D<", "<Lifetime>P400D<", W, 34,
      "KSK Lifetime P365D is shorter than ZSK Lifetime P400D" },
    { KASP, "<Lifetime>P180D<", "<Lifetime>PT1H<", E, 165,
      "Lifetime PT1H is not longer than Parent DS TTL + Keys TTL (PT2H)" },
    { KASP, "<Lifetime>P90D<", "<Lifetime>PT12H<", E, 39,
      "Lifetime PT12H is not longer than MaxZoneTTL + Keys TTL (P1DT1H)" },
    { KASP, "<Policy name=\"ecdsa-csk\">", "<Policy name=\"default\">", E, 144,
      "policy name 'default' is already used on line 4" },
    { KASP, "<Policy name=\"default\">", "<Policy name=\"standard\">", W, 0,
      "no policy is named 'default'" },
    { KASP, "<Refresh>P2D</Refresh>", "", E, 69, "expected <Refresh> here, found <Validity>" },
    { KASP, "<Algorithm length=\"1024\">8<", "<Algorithm length=\"256\">15<", E, 37,
      "algorithm 15 has no KSK or CSK: nothing would sign the DNSKEY set" },
    { KASP, "<Algorithm length=\"1024\">8<", "<Algorithm length=\"256\">15<", E, 32,
      "algorithm 8 has no ZSK or CSK: nothing would sign the zone's data" },
    { KASP, "<Resalt>P3M<", "<Resalt>P3M1D<", W, 82, "a month counts as 31 days" },
    /* zonelist.xml (checked against the fixture's kasp.xml) */
    { ZONELIST, "<Zone name=\"Example.NET.\">", "<Zone name=\"EXAMPLE.COM\">", E, 16,
      "the name example.com is already used by zone example.com (line 4)" },
    { ZONELIST, "<Policy>ecdsa-csk<", "<Policy>nosuch<", E, 16,
      "policy 'nosuch' is not defined in" },
    { ZONELIST, "<Zone name=\"example.com\">", "<Zone name=\"exa mple.com\">", E, 4,
      "may only contain letters, digits" },
    { ZONELIST, "<Adapter type=\"File\">", "<Adapter type=\"Pipe\">", E, 33,
      "unknown adapter type 'Pipe'" },
    { ZONELIST, "<File>/var/lib/opendnssec/signed/0-25<",
      "<File>/var/lib/opendnssec/signed/example.com<", E, 28,
      "output file /var/lib/opendnssec/signed/example.com is already used by zone example.com" },
    { ZONELIST, "unsigned/example.com<", "signed/example.com<", E, 4,
      "input and output are the same file" },
    /* signer configurations (one error line through ods_err_t) */
    { SIGNCONF, "<Salt>3B2E89A4C57D1F60<", "<Salt>3B2<", E, 20, "salt '3B2' is not hex" },
    { SIGNCONF, "<Serial>unixtime<", "<Serial>weekly<", E, 55, "Serial" },
    { SIGNCONF, "<Locator>c0ffee00c0ffee00c0ffee00c0ffee00</Locator>", "", E, 46,
      "key without <Locator> or <ResourceRecord>" },
};

static const char *fixture(enum kind kind)
{
    static const char *const names[] = { "ods21/conf.xml", "ods21/kasp.xml", "ods21/zonelist.xml",
                                         "ods21/signconf.xml" };
    return names[kind];
}

/* Load the edited file; problems go to diag (signconf: one line into err). */
static int load(enum kind kind, const char *path, ods_diag_t *diag, ods_err_t *err)
{
    ods_conf_t *conf = NULL;
    ods_kasp_t *kasp = NULL;
    ods_conf_load(ct_data("ods21/conf.xml"), &conf, NULL);
    ods_kasp_load(ct_data("ods21/kasp.xml"), NULL, &kasp, NULL);
    int rc = -1;
    if (kind == CONF) {
        ods_conf_t *c = NULL;
        rc = ods_conf_load(path, &c, diag);
        ods_conf_free(c);
    } else if (kind == KASP) {
        ods_kasp_t *k = NULL;
        rc = ods_kasp_load(path, conf, &k, diag);
        ods_kasp_free(k);
    } else if (kind == ZONELIST) {
        ods_zonelist_t *z = NULL;
        rc = ods_zonelist_load(path, kasp, &z, diag);
        ods_zonelist_free(z);
    } else {
        ods_signconf_t *s = NULL;
        rc = ods_signconf_load(path, &s, err);
        ods_signconf_free(s);
    }
    ods_conf_free(conf);
    ods_kasp_free(kasp);
    return rc;
}

static int found_in_diag(const ods_diag_t *diag, const struct broken *c)
{
    for (size_t i = 0; i < ods_diag_count(diag); i++) {
        const ods_diag_entry_t *e = ods_diag_get(diag, i);
        if (e->severity == c->severity && e->line == c->line && strstr(e->message, c->text))
            return 1;
    }
    return 0;
}

static void run_case(size_t n, const struct broken *c)
{
    char name[32], where[64];
    snprintf(name, sizeof(name), "broken%zu.xml", n);
    if (!ok(ct_copy_edit(fixture(c->kind), name, c->from, c->to) == 0, "case %zu: edit", n))
        return;
    ods_diag_t *diag = ods_diag_new();
    ods_err_t err = { 0 };
    int rc = load(c->kind, ct_tmp(name), diag, &err);
    int found;
    if (c->kind == SIGNCONF) {
        snprintf(where, sizeof(where), "%s:%d: ", name, c->line);
        found = strstr(err.msg, where) != NULL && strstr(err.msg, c->text) != NULL;
    } else {
        found = found_in_diag(diag, c);
    }
    ok((c->severity == ODS_DIAG_ERROR) == (rc != ODS_OK), "case %zu (%s): %s", n, fixture(c->kind),
       c->severity == E ? "refused" : "accepted");
    if (!ok(found, "case %zu: %s on line %d: %s", n, ods_diag_severity_name(c->severity), c->line,
            c->text) ||
        getenv("CONF_TEST_VERBOSE") != NULL) {
        ct_dump(diag);
        ct_note("err: %s", err.msg);
    }
    ods_diag_free(diag);
}

void test_broken(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(i + 1, &cases[i]);
}
