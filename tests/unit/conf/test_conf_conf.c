/* unit-conf: conf.xml (examples, OpenDNSSEC 2.1 files, defaults, PINs). */
#include "conf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "conf/conf.h"
#include "ods_config.h"

static ods_conf_t *load_ok(const char *path, const char *what)
{
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *conf = NULL;
    int rc = ods_conf_load(path, &conf, diag);
    if (!ok(rc == ODS_OK && conf != NULL, "%s loads (rc %d)", what, rc))
        ct_dump(diag);
    is_int(ods_diag_count_severity(diag, ODS_DIAG_ERROR), 0, "%s: no errors", what);
    ods_diag_free(diag);
    return conf;
}

static void test_example(void)
{
    ods_conf_t *c = load_ok(ct_example("conf.xml"), "shipped conf.xml");
    if (c == NULL)
        return;
    is_int(c->n_repositories, 1, "one repository");
    const ods_conf_repository_t *r = ods_conf_find_repository(c, "SoftHSM");
    ok(r != NULL, "repository SoftHSM found by name");
    if (r != NULL) {
        is_str(r->module, "/usr/lib/softhsm/libsofthsm2.so", "SoftHSMv2 module");
        is_str(r->token_label, "OpenDNSSEC", "token label");
    }
    is_str(c->policy_file, ct_example("kasp.xml"), "PolicyFile resolved beside conf.xml");
    is_str(c->zonelist_file, ct_example("zonelist.xml"), "ZoneListFile resolved beside conf.xml");
    is_int(c->facility, LOG_LOCAL0, "facility local0");
    ok(ods_conf_find_repository(c, "nope") == NULL, "unknown repository not found");
    ods_conf_free(c);
}

static void test_ods21_repositories(const ods_conf_t *c)
{
    is_int(c->n_repositories, 3, "three repositories");
    const ods_conf_repository_t *r = &c->repositories[1];
    is_str(r->name, "sca6000", "second repository name");
    is_str(r->module, "/usr/lib/libpkcs11.so", "module");
    is_str(r->token_label, "Sun Metaslot", "token label with a space");
    is_str(r->pin, "test:5678", "PIN");
    ok(r->pin_file == NULL, "no PINFile");
    is_int(r->capacity, 255, "Capacity");
    ok(r->require_backup && r->skip_public_key && r->allow_extraction, "all three flags");
    r = &c->repositories[0];
    ok(!r->require_backup && r->skip_public_key && !r->allow_extraction && r->capacity == 0,
       "first repository: SkipPublicKey only, unlimited");
    ok(c->repositories[2].pin == NULL, "repository without PIN has pin NULL");
}

static void test_ods21_enforcer(const ods_conf_enforcer_t *e)
{
    is_str(e->privileges.user, "root", "enforcer user");
    is_str(e->privileges.group, "root", "enforcer group");
    is_str(e->privileges.chroot, "/var/chroot", "enforcer chroot");
    is_str(e->datastore, "/var/lib/opendnssec/kasp.db", "SQLite datastore");
    ok(e->manual_keygen, "ManualKeyGeneration");
    is_int(e->keygen_period, 2 * 365 * 86400, "AutomaticKeyGenerationPeriod P2Y");
    is_int(e->rollover_notification, 14 * 86400, "RolloverNotification P14D");
    is_str(e->ds_submit_cmd, "/usr/sbin/ds-submit --cka_id", "submit command kept as written");
    is_str(e->ds_retract_cmd, "/usr/sbin/ds-retract", "retract command");
    is_str(e->pidfile, "/run/opendnssec/enforcerd.pid", "enforcer PidFile");
    is_str(e->socketfile, "/run/opendnssec/enforcer.sock", "enforcer SocketFile");
    is_str(e->workdir, "/var/lib/opendnssec/enforcer", "enforcer WorkingDirectory");
    is_int(e->worker_threads, 2, "enforcer WorkerThreads");
}

static void test_ods21_signer(const ods_conf_t *c)
{
    const ods_conf_signer_t *s = &c->signer;
    ok(c->has_signer, "Signer section present");
    is_str(s->privileges.user, "root", "signer user");
    ok(s->privileges.chroot == NULL, "signer without chroot");
    is_str(s->workdir, "/var/lib/opendnssec/signer", "signer WorkingDirectory");
    is_int(s->worker_threads, 8, "signer WorkerThreads");
    is_int(s->signer_threads, 16, "SignerThreads");
    is_str(s->notify_cmd, "/usr/sbin/rndc reload %zone", "NotifyCommand");
    is_str(s->socketfile, ODS_RUNDIR "/signer.sock", "signer socket default");
    is_int(s->n_interfaces, 3, "three listener interfaces");
    if (s->n_interfaces == 3) {
        ok(s->interfaces[0].address == NULL && s->interfaces[0].port == 53, "any address, 53");
        ok(strcmp(s->interfaces[1].address, "192.0.2.1") == 0 && s->interfaces[1].port == 5353,
           "IPv4 address and port");
        ok(strcmp(s->interfaces[2].address, "2001:db8::1") == 0 &&
               s->interfaces[2].port == ODS_CONF_DEFAULT_LISTENER_PORT,
           "IPv6 address, default port");
    }
}

static void test_ods21(void)
{
    ods_conf_t *c = load_ok(ct_data("ods21/conf.xml"), "OpenDNSSEC 2.1 conf.xml");
    if (c == NULL)
        return;
    test_ods21_repositories(c);
    ok(c->use_syslog && c->facility == LOG_LOCAL3, "syslog facility local3");
    is_str(c->facility_name, "local3", "facility name");
    is_int(c->verbosity, 4, "Verbosity");
    is_str(c->policy_file, ct_data("ods21/kasp.xml"), "relative PolicyFile");
    test_ods21_enforcer(&c->enforcer);
    test_ods21_signer(c);
    ods_conf_free(c);
}

#define MINIMAL "<Configuration><RepositoryList/><Common/><Enforcer/></Configuration>\n"

static void test_defaults(void)
{
    ct_write(ct_tmp("minimal.xml"), MINIMAL);
    ods_conf_t *c = load_ok(ct_tmp("minimal.xml"), "minimal conf.xml");
    if (c == NULL)
        return;
    is_str(c->policy_file, ODS_CONFDIR "/kasp.xml", "default PolicyFile");
    is_str(c->zonelist_file, ODS_CONFDIR "/zonelist.xml", "default ZoneListFile");
    is_str(c->enforcer.datastore, ODS_STATEDIR "/kasp.db", "default datastore");
    is_str(c->enforcer.socketfile, ODS_RUNDIR "/enforcer.sock", "default enforcer socket");
    is_str(c->enforcer.pidfile, ODS_RUNDIR "/enforcerd.pid", "default enforcer pid file");
    is_str(c->enforcer.workdir, ODS_STATEDIR "/enforcer", "default enforcer workdir");
    is_str(c->signer.socketfile, ODS_RUNDIR "/signer.sock", "default signer socket");
    is_str(c->signer.pidfile, ODS_RUNDIR "/signerd.pid", "default signer pid file");
    is_str(c->signer.workdir, ODS_STATEDIR "/signer", "default signer workdir");
    is_int(c->enforcer.keygen_period, 365 * 86400, "default key generation period P1Y");
    is_int(c->enforcer.rollover_notification, 0, "rollover notification off");
    is_int(c->enforcer.worker_threads, 4, "default enforcer threads");
    ok(c->signer.worker_threads == 4 && c->signer.signer_threads == 4, "default signer threads");
    ok(!c->has_signer && !c->use_syslog && c->facility == LOG_DAEMON, "no signer, no syslog");
    is_int(c->verbosity, 3, "default verbosity");
    ods_conf_free(c);
}

static void test_relative(void)
{
    char *cwd = getcwd(NULL, 0);
    mkdir(ct_tmp("rel"), 0755);
    ct_write(ct_tmp("rel/conf.xml"),
             "<Configuration><RepositoryList/><Common><PolicyFile>sub/k.xml</PolicyFile>"
             "</Common><Enforcer><Datastore><SQLite>../db/kasp.db</SQLite></Datastore>"
             "</Enforcer></Configuration>");
    ods_conf_t *c = NULL;
    if (chdir(ct_tmp("rel")) == 0) {
        ods_conf_load("conf.xml", &c, NULL);
        if (chdir(cwd) != 0)
            ct_note("cannot return to %s", cwd);
    }
    ok(c != NULL, "conf.xml given relative to the current directory loads");
    if (c != NULL) {
        is_str(c->path, ct_tmp("rel/conf.xml"), "its path is made absolute");
        is_str(c->policy_file, ct_tmp("rel/sub/k.xml"), "relative PolicyFile beside it");
        is_str(c->enforcer.datastore, ct_tmp("rel/../db/kasp.db"), "relative datastore");
    }
    ods_conf_free(c);
    free(cwd);
}

#define PIN_CONF(pin_elem, extra)                                                                  \
    "<Configuration><RepositoryList><Repository name=\"r\">\n"                                     \
    "<Module>/m.so</Module><TokenLabel>t</TokenLabel>\n" pin_elem "\n" extra                       \
    "</Repository></RepositoryList><Common/><Enforcer/></Configuration>\n"

static ods_conf_t *load_pin_conf(const char *text, ods_diag_t *diag)
{
    ods_conf_t *c = NULL;
    ct_write(ct_tmp("pin.xml"), text);
    ods_conf_load(ct_tmp("pin.xml"), &c, diag);
    return c;
}

static void test_pin_file(void)
{
    ct_write(ct_tmp("token.pin"), "Qq-77-secret\nsecond line\n");
    chmod(ct_tmp("token.pin"), 0600);
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *c = load_pin_conf(PIN_CONF("<PINFile>token.pin</PINFile>", ""), diag);
    ok(c != NULL && strcmp(c->repositories[0].pin, "Qq-77-secret") == 0,
       "PINFile: first line read at load time");
    if (c != NULL)
        is_str(c->repositories[0].pin_file, ct_tmp("token.pin"), "pin_file is absolute");
    is_int(ods_diag_count(diag), 0, "mode 0600: no warning");
    ods_conf_free(c);
    ods_diag_free(diag);

    chmod(ct_tmp("token.pin"), 0644);
    diag = ods_diag_new();
    c = load_pin_conf(PIN_CONF("<PINFile>token.pin</PINFile>", ""), diag);
    const ods_diag_entry_t *e = ct_find(diag, ODS_DIAG_WARNING, "readable by every user");
    ok(c != NULL && e != NULL && e->line == 3, "mode 0644: warning on line 3");
    ods_conf_free(c);
    ods_diag_free(diag);
}

static void test_pin_redacted(void)
{
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *c =
        load_pin_conf(PIN_CONF("<PIN>Zx9-s3cr3t</PIN>", "<Capacity>Zx9-s3cr3t</Capacity>\n"), diag);
    ok(c == NULL, "PIN in Capacity is an error");
    char *text = ct_diag_text(diag);
    ok(text && strstr(text, "Zx9-s3cr3t") == NULL && strstr(text, "********"),
       "the PIN never appears in diagnostics");
    free(text);
    ods_diag_free(diag);

    chmod(ct_tmp("token.pin"), 0600);
    diag = ods_diag_new();
    c = load_pin_conf(
        PIN_CONF("<PINFile>token.pin</PINFile>", "<Capacity>Qq-77-secret</Capacity>\n"), diag);
    text = ct_diag_text(diag);
    ok(c == NULL && text && strstr(text, "Qq-77-secret") == NULL,
       "a PIN read from PINFile never appears in diagnostics");
    free(text);
    ods_diag_free(diag);
}

static void test_pin_wiped(void)
{
    ods_conf_t *c = load_ok(ct_data("ods21/conf.xml"), "conf.xml for PIN wiping");
    if (c == NULL)
        return;
    char *pin = c->repositories[1].pin;
    size_t len = strlen(pin);
    ods_conf_wipe_secrets(c);
    size_t zero = 0;
    for (size_t i = 0; i < len; i++)
        zero += pin[i] == '\0';
    is_int(zero, len, "every byte of the PIN is wiped (ods_conf_free does this first)");
    ods_conf_free(c);
}

void test_conf(void)
{
    test_example();
    test_ods21();
    test_defaults();
    test_relative();
    test_pin_file();
    test_pin_redacted();
    test_pin_wiped();
    ods_conf_free(NULL);
}
