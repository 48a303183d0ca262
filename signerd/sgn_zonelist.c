/*
 * sgn_zonelist.c -- the zones the signer serves come from the enforcer's
 * zone list, <Signer WorkingDirectory>/zones.xml (zonelist.xml format).
 * Re-read on start, on `update --all`, on `reload` and on SIGHUP.
 */
#include "sgn_daemon.h"
#include "conf/zonelist.h"
#include "log/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool same_paths(const sgn_zone_t *zs, const ods_zonelist_entry_t *e)
{
    return strcmp(zs->signconf_path, e->signconf) == 0 && strcmp(zs->input_path, e->input) == 0 &&
           strcmp(zs->output_path, e->output) == 0;
}

/* Add a zone (not yet scheduled); restore its state after a restart. */
static int add_slot(sgn_daemon_t *d, const ods_zonelist_entry_t *e, ods_err_t *err)
{
    if (e->input_type != ODS_ADAPTER_FILE || e->output_type != ODS_ADAPTER_FILE)
        return ods_err_set(err, ODS_ECONFIG,
                           "zone %s: only the File input and output adapters are supported",
                           e->name);
    sgn_slot_t *s = calloc(1, sizeof(*s));
    sgn_slot_t **grown = realloc(d->slots, (d->nslots + 1) * sizeof(*grown));
    if (s == NULL || grown == NULL) {
        free(s);
        if (grown != NULL)
            d->slots = grown;
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    d->slots = grown;
    int rc = sgn_zone_new(e->name, e->signconf, e->input, e->output, d->conf->signer.workdir,
                          &s->zs, err);
    if (rc != ODS_OK) {
        free(s);
        return rc;
    }
    ods_err_t e2;
    rc = sgn_zone_restore(s->zs, &e2);
    if (rc == ODS_OK)
        ods_log_info("zone %s: restored serial %u and the signatures of %s", e->name,
                     s->zs->outbound_serial, e->output);
    else if (rc != ODS_ENOTFOUND)
        ods_log_warning("zone %s: cannot restore the last signed zone (%s): signing from scratch",
                        e->name, e2.msg);
    d->slots[d->nslots++] = s;
    return ODS_OK;
}

static void mark_removed(sgn_daemon_t *d, sgn_slot_t *s)
{
    pthread_mutex_lock(&d->lock);
    s->removed = true;
    s->next_run = 0;
    pthread_mutex_unlock(&d->lock);
}

static int load_list(sgn_daemon_t *d, ods_zonelist_t **zl, ods_err_t *err)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/zones.xml", d->conf->signer.workdir);
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT) {
        *zl = ods_zonelist_new();
        return *zl ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    ods_diag_t *diag = ods_diag_new();
    int rc = diag ? ods_zonelist_load(path, NULL, zl, diag) : ODS_ENOMEM;
    if (rc != ODS_OK)
        ods_diag_to_err(diag, rc, err);
    ods_diag_free(diag);
    return rc;
}

int sgn_zonelist_sync(sgn_daemon_t *d, int *removed, int *added, int *updated, ods_err_t *err)
{
    ods_zonelist_t *zl;
    int rc = load_list(d, &zl, err);
    *removed = *added = *updated = 0;
    if (rc != ODS_OK)
        return rc;
    for (size_t i = 0; i < d->nslots; i++) {
        sgn_slot_t *s = d->slots[i];
        const ods_zonelist_entry_t *e = ods_zonelist_find(zl, s->zs->name);
        if (s->removed || (e != NULL && same_paths(s->zs, e)))
            continue;
        mark_removed(d, s);
        (*removed)++;
    }
    for (size_t i = 0; i < zl->n_zones; i++) {
        const ods_zonelist_entry_t *e = &zl->zones[i];
        if (sgn_daemon_find(d, e->name) != NULL)
            continue;
        ods_err_t e2;
        if (add_slot(d, e, &e2) != ODS_OK) {
            ods_log_error("%s", e2.msg);
            continue;
        }
        sgn_daemon_schedule(d, d->slots[d->nslots - 1], 0);
        (*added)++;
    }
    ods_zonelist_free(zl);
    return ODS_OK;
}
