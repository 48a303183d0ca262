/* enf_zones_import.c -- `zonelist import`: zonelist.xml into the database (see enf_zones.h). */
#include <stdlib.h>
#include <string.h>

#include "conf/diag.h"
#include "conf/zonelist.h"
#include "enf_store_hsmkey.h"
#include "enf_zonelist.h"
#include "enf_zones.h"
#include "util/clock.h"

typedef struct counts {
    size_t added, updated, removed, same, failed;
} counts_t;

static int same_info(const enf_zone_info_t *a, const enf_zone_info_t *b)
{
    return a->policy_id == b->policy_id && a->input_type == b->input_type &&
           a->output_type == b->output_type && strcmp(a->signconf, b->signconf) == 0 &&
           strcmp(a->input, b->input) == 0 && strcmp(a->output, b->output) == 0;
}

static int import_entry(enf_daemon_t *d, const ods_zonelist_entry_t *e, counts_t *c, ods_buf_t *out,
                        ods_err_t *err)
{
    int pi = enf_policies_find(d->policies, e->policy);
    if (pi < 0) {
        ods_buf_printf(out, "Unable to find policy %s needed for adding zone %s!\n", e->policy,
                       e->name);
        c->failed++;
        return ODS_OK;
    }
    enf_zone_info_t want = { 0 }, have;
    snprintf(want.name, sizeof(want.name), "%s", e->name);
    want.policy_id = d->policies->recs[pi].id;
    want.signconf = e->signconf, want.input = e->input, want.output = e->output;
    want.input_type = e->input_type, want.output_type = e->output_type;
    int rc = enf_store_zone_get(d->store, e->name, &have, err);
    if (rc == ODS_ENOTFOUND) {
        time_t now = ods_clock_now();
        want.next_change = -1; /* enforced once its first keys are there (enf_settle) */
        for (int r = 1; r <= 3; r++)
            want.next_roll[r] = now;
        c->added++;
        return enf_store_zone_insert(d->store, &want, err);
    }
    if (rc != ODS_OK)
        return rc;
    want.id = have.id;
    want.suspended = have.suspended;
    if (same_info(&want, &have)) {
        c->same++;
    } else {
        c->updated++;
        rc = enf_store_zone_update_info(d->store, &want, err);
        if (rc == ODS_OK && want.policy_id != have.policy_id)
            rc = enf_store_zone_set_next(d->store, have.id, 0, ods_clock_now(), err);
    }
    enf_zone_info_clear(&have);
    return rc;
}

typedef struct missing_ctx {
    const ods_zonelist_t *zl;
    int64_t *ids;
    size_t n, cap;
} missing_ctx_t;

static int note_missing(void *arg, const enf_zone_info_t *zi)
{
    missing_ctx_t *m = arg;
    if (ods_zonelist_find(m->zl, zi->name))
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        int64_t *nv = realloc(m->ids, cap * sizeof(*nv));
        if (!nv)
            return ODS_ENOMEM;
        m->ids = nv;
        m->cap = cap;
    }
    m->ids[m->n++] = zi->id;
    return 0;
}

static int remove_missing(enf_daemon_t *d, const ods_zonelist_t *zl, counts_t *c, ods_err_t *err)
{
    missing_ctx_t m = { .zl = zl };
    int rc = enf_store_zone_foreach(d->store, 0, note_missing, &m, err);
    if (rc == ODS_ENOMEM)
        rc = ods_err_set(err, rc, "out of memory");
    for (size_t i = 0; rc == ODS_OK && i < m.n; i++)
        rc = enf_store_zone_delete(d->store, m.ids[i], err);
    if (rc == ODS_OK && m.n)
        rc = enf_store_hsmkey_release(d->store, ods_clock_now(), err);
    c->removed = m.n;
    free(m.ids);
    return rc;
}

static int load_file(const char *path, ods_zonelist_t **zl, ods_err_t *err)
{
    ods_diag_t *diag = ods_diag_new();
    if (!diag)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = ods_zonelist_load(path, NULL, zl, diag);
    if (rc != ODS_OK && ods_diag_to_err(diag, rc, err) == ODS_OK)
        ods_err_set(err, rc, "cannot load %s", path);
    ods_diag_free(diag);
    return rc;
}

int enf_zones_import(enf_daemon_t *d, const char *path, int remove, ods_buf_t *out, ods_err_t *err)
{
    ods_zonelist_t *zl = NULL;
    counts_t c = { 0 };
    int rc = load_file(path ? path : d->conf->zonelist_file, &zl, err);
    if (rc == ODS_OK && (rc = enf_store_begin(d->store, err)) == ODS_OK) {
        for (size_t i = 0; rc == ODS_OK && i < zl->n_zones; i++)
            rc = import_entry(d, &zl->zones[i], &c, out, err);
        if (rc == ODS_OK && remove)
            rc = remove_missing(d, zl, &c, err);
        if (rc == ODS_OK)
            rc = enf_store_commit(d->store, err);
        else
            enf_store_rollback(d->store);
    }
    ods_zonelist_free(zl);
    if (rc == ODS_OK && (c.added || c.updated || c.removed)) {
        rc = enf_zonelist_load(d->zonelist, d->store, d->policies, err);
        if (rc == ODS_OK)
            rc = enf_zones_write_lists(d, err);
    }
    if (rc == ODS_OK)
        ods_buf_printf(out,
                       "Zone list imported: %zu added, %zu updated, %zu removed, %zu "
                       "unchanged%s.\n",
                       c.added, c.updated, c.removed, c.same,
                       c.failed ? " (some zones were skipped, see above)" : "");
    return rc;
}
