/* conf.c -- conf.xml: Common, Enforcer and Signer sections (see conf.h). */
#include "conf/conf_internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ods_config.h"

#define MAX_THREADS 1024

static const struct {
    const char *name;
    int value;
} facilities[] = {
    { "kern", LOG_KERN },     { "user", LOG_USER },     { "mail", LOG_MAIL },
    { "daemon", LOG_DAEMON }, { "auth", LOG_AUTH },     { "lpr", LOG_LPR },
    { "news", LOG_NEWS },     { "uucp", LOG_UUCP },     { "cron", LOG_CRON },
    { "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
    { "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
    { "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

/* Elements OpenDNSSEC 1.x had and 2.x rejects: accepted by our schema only
 * so that we can say what to do. */
static const struct {
    const char *path;
    const char *why;
} obsolete[] = {
    { "Enforcer/Interval",
      "<Interval> is obsolete since OpenDNSSEC 2.0: the enforcer schedules each zone's next "
      "run itself; remove the element" },
    { "Common/ZoneFetchFile",
      "<ZoneFetchFile> is obsolete since OpenDNSSEC 2.0: configure zone transfers per zone with "
      "<Adapter type=\"DNS\"> in zonelist.xml; remove the element" },
    { "Signer/ToolsDirectory",
      "<ToolsDirectory> is obsolete: the signer runs no external tools; remove the element" },
};

static void read_logging(ods_xml_rd_t *rd, xmlNodePtr common, ods_conf_t *conf)
{
    uint64_t v;
    if (ods_xml_get_uint(rd, common, "Logging/Verbosity", 100, &v) == 1)
        conf->verbosity = (int)v;
    conf->facility = LOG_DAEMON;
    if (ods_xml_get(rd, common, "Logging/Syslog") == NULL)
        return;
    conf->use_syslog = 1;
    xmlNodePtr f = ods_xml_get(rd, common, "Logging/Syslog/Facility");
    if (ods_xml_get_text(rd, common, "Logging/Syslog/Facility", &conf->facility_name) != 1)
        return;
    for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
        if (strcmp(facilities[i].name, conf->facility_name) == 0) {
            conf->facility = facilities[i].value;
            return;
        }
    ods_xml_diag(rd, ODS_DIAG_ERROR, f,
                 "unknown syslog facility '%s': use daemon, user or local0..local7",
                 conf->facility_name);
}

static void read_common(ods_xml_rd_t *rd, xmlNodePtr root, ods_conf_t *conf)
{
    xmlNodePtr common = ods_xml_get(rd, root, "Common");
    read_logging(rd, common, conf);
    ods_xml_get_path(rd, common, "PolicyFile", &conf->policy_file);
    ods_xml_get_path(rd, common, "ZoneListFile", &conf->zonelist_file);
}

static void read_privileges(ods_xml_rd_t *rd, xmlNodePtr section, ods_conf_privileges_t *p)
{
    ods_xml_get_text(rd, section, "Privileges/User", &p->user);
    ods_xml_get_text(rd, section, "Privileges/Group", &p->group);
    ods_xml_get_path(rd, section, "Privileges/Directory", &p->chroot);
}

static void read_threads(ods_xml_rd_t *rd, xmlNodePtr section, const char *name, int *out)
{
    uint64_t v;
    if (ods_xml_get_uint(rd, section, name, UINT32_MAX, &v) != 1)
        return;
    if (v == 0 || v > MAX_THREADS)
        ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(section, name), "%s must be between 1 and %d",
                     name, MAX_THREADS);
    else
        *out = (int)v;
}

static void read_datastore(ods_xml_rd_t *rd, xmlNodePtr enforcer, ods_conf_enforcer_t *e)
{
    xmlNodePtr mysql = ods_xml_get(rd, enforcer, "Datastore/MySQL");
    if (mysql != NULL) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, mysql,
                     "MySQL datastores are not supported; use <SQLite>/path/to/kasp.db</SQLite> "
                     "(OpenDNSSEC's convert_mysql_to_sqlite script migrates the data)");
        return;
    }
    ods_xml_get_path(rd, enforcer, "Datastore/SQLite", &e->datastore);
}

static void read_enforcer(ods_xml_rd_t *rd, xmlNodePtr root, ods_conf_enforcer_t *e)
{
    xmlNodePtr enf = ods_xml_get(rd, root, "Enforcer");
    read_privileges(rd, enf, &e->privileges);
    read_datastore(rd, enf, e);
    e->manual_keygen = ods_xml_get_flag(rd, enf, "ManualKeyGeneration");
    ods_xml_get_duration(rd, enf, "AutomaticKeyGenerationPeriod", &e->keygen_period);
    ods_xml_get_duration(rd, enf, "RolloverNotification", &e->rollover_notification);
    ods_xml_get_text(rd, enf, "DelegationSignerSubmitCommand", &e->ds_submit_cmd);
    ods_xml_get_text(rd, enf, "DelegationSignerRetractCommand", &e->ds_retract_cmd);
    ods_xml_get_path(rd, enf, "PidFile", &e->pidfile);
    ods_xml_get_path(rd, enf, "SocketFile", &e->socketfile);
    ods_xml_get_path(rd, enf, "WorkingDirectory", &e->workdir);
    read_threads(rd, enf, "WorkerThreads", &e->worker_threads);
}

static void read_interface(ods_xml_rd_t *rd, xmlNodePtr node, ods_conf_interface_t *ifc)
{
    uint64_t port = ODS_CONF_DEFAULT_LISTENER_PORT;
    ods_xml_get_uint(rd, node, "Port", 65535, &port);
    ifc->port = (int)port;
    if (ods_xml_get_text(rd, node, "Address", &ifc->address) != 1)
        return;
    unsigned char addr[16];
    if (ifc->address[0] == '\0') {
        free(ifc->address);
        ifc->address = NULL;
    } else if (inet_pton(AF_INET, ifc->address, addr) != 1 &&
               inet_pton(AF_INET6, ifc->address, addr) != 1) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(node, "Address"),
                     "'%s' is not an IPv4 or IPv6 address", ifc->address);
    }
}

static int read_listener(ods_xml_rd_t *rd, xmlNodePtr signer, ods_conf_signer_t *s)
{
    xmlNodePtr listener = ods_xml_get(rd, signer, "Listener");
    size_t n = ods_xml_count(listener, "Interface");
    if (n == 0)
        return ODS_OK;
    if ((s->interfaces = calloc(n, sizeof(*s->interfaces))) == NULL)
        return ODS_ENOMEM;
    for (xmlNodePtr i = ods_xml_child(listener, "Interface"); i; i = ods_xml_next(i))
        read_interface(rd, i, &s->interfaces[s->n_interfaces++]);
    return ODS_OK;
}

static int read_signer(ods_xml_rd_t *rd, xmlNodePtr root, ods_conf_t *conf)
{
    ods_conf_signer_t *s = &conf->signer;
    xmlNodePtr sig = ods_xml_get(rd, root, "Signer");
    conf->has_signer = sig != NULL;
    read_privileges(rd, sig, &s->privileges);
    ods_xml_get_path(rd, sig, "WorkingDirectory", &s->workdir);
    read_threads(rd, sig, "WorkerThreads", &s->worker_threads);
    read_threads(rd, sig, "SignerThreads", &s->signer_threads);
    ods_xml_get_text(rd, sig, "NotifyCommand", &s->notify_cmd);
    ods_xml_get_path(rd, sig, "PidFile", &s->pidfile);
    ods_xml_get_path(rd, sig, "SocketFile", &s->socketfile);
    return read_listener(rd, sig, s);
}

static void check_obsolete(ods_xml_rd_t *rd, xmlNodePtr root)
{
    for (size_t i = 0; i < sizeof(obsolete) / sizeof(obsolete[0]); i++) {
        xmlNodePtr n = ods_xml_find(root, obsolete[i].path);
        if (n != NULL)
            ods_xml_diag(rd, ODS_DIAG_ERROR, n, "%s", obsolete[i].why);
    }
}

/* Set *field to a copy of def unless already set; returns 0 when out of memory. */
static int set_default(char **field, const char *def)
{
    if (*field == NULL)
        *field = strdup(def);
    return *field != NULL;
}

static int apply_defaults(ods_conf_t *c)
{
    ods_conf_enforcer_t *e = &c->enforcer;
    ods_conf_signer_t *s = &c->signer;
    if (s->signer_threads == 0)
        s->signer_threads = s->worker_threads;
    int ok = set_default(&c->policy_file, ODS_CONFDIR "/kasp.xml") &
             set_default(&c->zonelist_file, ODS_CONFDIR "/zonelist.xml") &
             set_default(&e->datastore, ODS_STATEDIR "/kasp.db") &
             set_default(&e->pidfile, ODS_RUNDIR "/enforcerd.pid") &
             set_default(&e->socketfile, ODS_RUNDIR "/enforcer.sock") &
             set_default(&e->workdir, ODS_STATEDIR "/enforcer") &
             set_default(&s->pidfile, ODS_RUNDIR "/signerd.pid") &
             set_default(&s->socketfile, ODS_RUNDIR "/signer.sock") &
             set_default(&s->workdir, ODS_STATEDIR "/signer");
    return ok ? ODS_OK : ODS_ENOMEM;
}

static ods_conf_t *conf_new(const char *path)
{
    ods_conf_t *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->verbosity = ODS_CONF_DEFAULT_VERBOSITY;
    c->enforcer.keygen_period = ODS_CONF_DEFAULT_KEYGEN_PERIOD;
    c->enforcer.worker_threads = ODS_CONF_DEFAULT_WORKER_THREADS;
    c->signer.worker_threads = ODS_CONF_DEFAULT_WORKER_THREADS;
    c->path = strdup(path);
    c->src = ods_srcmap_new(path, "/Configuration");
    if (c->path == NULL || c->src == NULL) {
        ods_conf_free(c);
        return NULL;
    }
    return c;
}

/* Read every value of the document (valid or not) into conf. */
static int read_document(const char *path, xmlDocPtr doc, ods_conf_t *conf, ods_diag_t *diag)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ods_xml_rd_t rd = { path, diag, conf->src, root, 0 };
    int rc = ods_conf_read_repositories(&rd, root, conf);
    if (rc == ODS_OK) {
        read_common(&rd, root, conf);
        read_enforcer(&rd, root, &conf->enforcer);
        rc = read_signer(&rd, root, conf);
    }
    if (rc == ODS_OK)
        check_obsolete(&rd, root);
    if (rc == ODS_OK)
        rc = apply_defaults(conf);
    return rc;
}

/* ods_xml_loader_t read: arg is an ods_conf_t ** that receives the new object. */
static int conf_read(const char *file, xmlDocPtr doc, void *arg, ods_diag_t *diag)
{
    ods_conf_t **conf = arg;
    ods_conf_register_pins(doc, diag); /* before any message can quote a PIN */
    if ((*conf = conf_new(file)) == NULL)
        return ODS_ENOMEM;
    return read_document(file, doc, *conf, diag);
}

static const ods_xml_loader_t conf_loader = { ODS_SCHEMA_CONF, conf_read, NULL };

/* keep: hand out the object after errors too (ods_conf_load_any). */
static int conf_load(const char *path, ods_conf_t **out, ods_diag_t *diag, int keep)
{
    ods_conf_t *conf = NULL;
    int rc = ods_xml_load(path, &conf_loader, &conf, NULL, diag);
    if (conf != NULL && (rc == ODS_OK || (keep && rc != ODS_ENOMEM))) {
        *out = conf;
        return rc;
    }
    ods_conf_free(conf);
    return rc;
}

int ods_conf_load(const char *path, ods_conf_t **out, ods_diag_t *diag)
{
    return conf_load(path, out, diag, 0);
}

int ods_conf_load_any(const char *path, ods_conf_t **out, ods_diag_t *diag)
{
    return conf_load(path, out, diag, 1);
}

static void privileges_clear(ods_conf_privileges_t *p)
{
    free(p->user);
    free(p->group);
    free(p->chroot);
}

static void enforcer_clear(ods_conf_enforcer_t *e)
{
    privileges_clear(&e->privileges);
    free(e->datastore);
    free(e->ds_submit_cmd);
    free(e->ds_retract_cmd);
    free(e->pidfile);
    free(e->socketfile);
    free(e->workdir);
}

static void signer_clear(ods_conf_signer_t *s)
{
    privileges_clear(&s->privileges);
    free(s->workdir);
    free(s->notify_cmd);
    free(s->pidfile);
    free(s->socketfile);
    for (size_t i = 0; i < s->n_interfaces; i++)
        free(s->interfaces[i].address);
    free(s->interfaces);
}

void ods_conf_wipe_secrets(ods_conf_t *conf)
{
    for (size_t i = 0; conf != NULL && i < conf->n_repositories; i++) {
        char *pin = conf->repositories[i].pin;
        if (pin != NULL)
            explicit_bzero(pin, strlen(pin));
    }
}

void ods_conf_free(ods_conf_t *conf)
{
    if (conf == NULL)
        return;
    ods_conf_wipe_secrets(conf);
    for (size_t i = 0; i < conf->n_repositories; i++)
        ods_conf_repository_clear(&conf->repositories[i]);
    free(conf->repositories);
    free(conf->path);
    free(conf->facility_name);
    free(conf->policy_file);
    free(conf->zonelist_file);
    enforcer_clear(&conf->enforcer);
    signer_clear(&conf->signer);
    ods_srcmap_free(conf->src);
    free(conf);
}

const ods_conf_repository_t *ods_conf_find_repository(const ods_conf_t *conf, const char *name)
{
    for (size_t i = 0; conf != NULL && name != NULL && i < conf->n_repositories; i++)
        if (conf->repositories[i].name && strcmp(conf->repositories[i].name, name) == 0)
            return &conf->repositories[i];
    return NULL;
}
