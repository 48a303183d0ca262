/* enf_signer.c -- notifications for the signer (see enf_signer.h). */
#include "enf_signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/client.h"
#include "log/log.h"

struct enf_signer {
    char *zones[ENF_SIGNER_MAX_ZONES];
    size_t nzones;
    int all; /* "update --all" pending */
};

int enf_signer_new(enf_signer_t **out)
{
    enf_signer_t *s = calloc(1, sizeof(*s));
    if (!s)
        return ODS_ENOMEM;
    *out = s;
    return ODS_OK;
}

static void forget_zones(enf_signer_t *s)
{
    for (size_t i = 0; i < s->nzones; i++)
        free(s->zones[i]);
    s->nzones = 0;
}

void enf_signer_free(enf_signer_t *s)
{
    if (!s)
        return;
    forget_zones(s);
    free(s);
}

void enf_signer_zone_changed(enf_signer_t *s, const char *zone)
{
    if (s->all)
        return;
    for (size_t i = 0; i < s->nzones; i++)
        if (strcmp(s->zones[i], zone) == 0)
            return;
    char *copy = s->nzones < ENF_SIGNER_MAX_ZONES ? strdup(zone) : NULL;
    if (!copy) {
        enf_signer_list_changed(s); /* too many zones, or no memory: tell it everything */
        return;
    }
    s->zones[s->nzones++] = copy;
}

void enf_signer_list_changed(enf_signer_t *s)
{
    forget_zones(s);
    s->all = 1;
}

int enf_signer_call(const ods_conf_t *conf, int argc, char *const *argv, ods_err_t *err)
{
    int status = 0;
    int rc = ods_ctl_call(conf->signer.socketfile, argc, argv, NULL, NULL, ENF_SIGNER_TIMEOUT_MS,
                          &status, err);
    if (rc == ODS_OK && status != 0)
        rc = ods_err_set(err, ODS_ESTATE, "the signer answered '%s%s%s' with exit status %d",
                         argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "", status);
    return rc;
}

static int call_logged(const ods_conf_t *conf, int argc, char *const *argv)
{
    ods_err_t err;
    int rc = enf_signer_call(conf, argc, argv, &err);
    if (rc == ODS_ENOTFOUND)
        ods_log_info("signer not running (%s): it reads the zone list and the signer "
                     "configurations when it starts",
                     conf->signer.socketfile);
    else if (rc != ODS_OK)
        ods_log_warning("notifying the signer: %s", err.msg);
    return rc == ODS_OK;
}

int enf_signer_flush(enf_signer_t *s, const ods_conf_t *conf)
{
    int reached = 0;
    if (s->all) {
        char *argv[] = { "update", "--all", NULL };
        reached += call_logged(conf, 2, argv);
    }
    for (size_t i = 0; i < s->nzones; i++) {
        char *argv[] = { "update", s->zones[i], NULL };
        int ok = call_logged(conf, 2, argv);
        reached += ok;
        if (!ok)
            break; /* not running or failing: the next zones would fail the same way */
    }
    forget_zones(s);
    s->all = 0;
    return reached;
}

int enf_signer_time_leap(const ods_conf_t *conf, time_t t, ods_err_t *err)
{
    char when[32];
    snprintf(when, sizeof(when), "%lld", (long long)t);
    char *argv[] = { "time", "leap", "--time", when, NULL };
    return enf_signer_call(conf, 4, argv, err);
}
