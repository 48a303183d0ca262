/* enf_store_zone.c -- the zone list in the database (see enf_store_zone.h). */
#include "enf_store_zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONE_COLS                                                                                  \
    "id, name, policy_id, signconf, input_type, input, output_type, output, suspended, "           \
    "waiting_keys, next_change, next_ksk_roll, next_zsk_roll, next_csk_roll"

void enf_zone_info_clear(enf_zone_info_t *zi)
{
    if (!zi)
        return;
    free(zi->signconf);
    free(zi->input);
    free(zi->output);
    memset(zi, 0, sizeof(*zi));
}

static int read_info(sqlite3_stmt *st, enf_zone_info_t *zi)
{
    memset(zi, 0, sizeof(*zi));
    zi->id = sqlite3_column_int64(st, 0);
    snprintf(zi->name, sizeof(zi->name), "%s", enf_store_col_text(st, 1));
    zi->policy_id = sqlite3_column_int64(st, 2);
    zi->signconf = strdup(enf_store_col_text(st, 3));
    zi->input_type = sqlite3_column_int(st, 4);
    zi->input = strdup(enf_store_col_text(st, 5));
    zi->output_type = sqlite3_column_int(st, 6);
    zi->output = strdup(enf_store_col_text(st, 7));
    zi->suspended = sqlite3_column_int(st, 8);
    zi->waiting_keys = sqlite3_column_int(st, 9);
    zi->next_change = (time_t)sqlite3_column_int64(st, 10);
    for (int r = 1; r <= 3; r++)
        zi->next_roll[r] = (time_t)sqlite3_column_int64(st, 10 + r);
    if (zi->signconf && zi->input && zi->output)
        return ODS_OK;
    enf_zone_info_clear(zi);
    return ODS_ENOMEM;
}

int enf_store_zone_insert(enf_store_t *s, enf_zone_info_t *zi, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "INSERT INTO zones (name, policy_id, signconf, input_type, "
                                      "input, output_type, output, suspended, next_change, "
                                      "next_ksk_roll, next_zsk_roll, next_csk_roll) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, zi->name);
    enf_store_bind_int(st, 2, zi->policy_id);
    enf_store_bind_text(st, 3, zi->signconf);
    enf_store_bind_int(st, 4, zi->input_type);
    enf_store_bind_text(st, 5, zi->input);
    enf_store_bind_int(st, 6, zi->output_type);
    enf_store_bind_text(st, 7, zi->output);
    enf_store_bind_int(st, 8, zi->suspended);
    enf_store_bind_int(st, 9, zi->next_change);
    for (int r = 1; r <= 3; r++)
        enf_store_bind_int(st, 9 + r, zi->next_roll[r]);
    int rc = enf_store_step_done(s, st, err, "adding a zone");
    if (rc == ODS_OK)
        zi->id = sqlite3_last_insert_rowid(enf_store_db(s));
    return rc;
}

int enf_store_zone_update_info(enf_store_t *s, const enf_zone_info_t *zi, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE zones SET policy_id = ?, signconf = ?, "
                                      "input_type = ?, input = ?, output_type = ?, output = ?, "
                                      "suspended = ? WHERE id = ?",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, zi->policy_id);
    enf_store_bind_text(st, 2, zi->signconf);
    enf_store_bind_int(st, 3, zi->input_type);
    enf_store_bind_text(st, 4, zi->input);
    enf_store_bind_int(st, 5, zi->output_type);
    enf_store_bind_text(st, 6, zi->output);
    enf_store_bind_int(st, 7, zi->suspended);
    enf_store_bind_int(st, 8, zi->id);
    return enf_store_step_done(s, st, err, "changing a zone");
}

static int get_one(enf_store_t *s, sqlite3_stmt *st, enf_zone_info_t *out, ods_err_t *err)
{
    int step = sqlite3_step(st);
    int rc = ODS_ENOTFOUND;
    if (step == SQLITE_ROW)
        rc = read_info(st, out) == ODS_OK ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    else if (step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "looking up a zone");
    sqlite3_reset(st);
    return rc;
}

int enf_store_zone_get(enf_store_t *s, const char *name, enf_zone_info_t *out, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "SELECT " ZONE_COLS " FROM zones WHERE name = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, name);
    return get_one(s, st, out, err);
}

int enf_store_zone_get_id(enf_store_t *s, int64_t id, enf_zone_info_t *out, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "SELECT " ZONE_COLS " FROM zones WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    return get_one(s, st, out, err);
}

int enf_store_zone_delete(enf_store_t *s, int64_t id, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "DELETE FROM zones WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    return enf_store_step_done(s, st, err, "deleting a zone");
}

int enf_store_zone_foreach(enf_store_t *s, int64_t policy_id, enf_zone_iter_fn fn, void *arg,
                           ods_err_t *err)
{
    /* not a cached statement: fn may run other statements, even this walk again */
    sqlite3_stmt *st;
    const char *sql = policy_id ? "SELECT " ZONE_COLS " FROM zones WHERE policy_id = ? "
                                  "ORDER BY name"
                                : "SELECT " ZONE_COLS " FROM zones ORDER BY name";
    if (sqlite3_prepare_v2(enf_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        return enf_store_fail(s, err, "listing zones");
    if (policy_id)
        enf_store_bind_int(st, 1, policy_id);
    int rc = ODS_OK, step = SQLITE_DONE;
    while (rc == ODS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        enf_zone_info_t zi;
        if (read_info(st, &zi) != ODS_OK)
            rc = ods_err_set(err, ODS_ENOMEM, "out of memory listing zones");
        else
            rc = fn(arg, &zi);
        enf_zone_info_clear(&zi);
    }
    if (rc == ODS_OK && step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "listing zones");
    sqlite3_finalize(st);
    return rc;
}

int enf_store_zone_count(enf_store_t *s, int64_t policy_id, size_t *n, ods_err_t *err)
{
    sqlite3_stmt *st =
        enf_store_stmt(s, "SELECT COUNT(*) FROM zones WHERE ?1 = 0 OR policy_id = ?1", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, policy_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = enf_store_fail(s, err, "counting zones");
        sqlite3_reset(st);
        return rc;
    }
    *n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ODS_OK;
}

/* Collect the first column of every row of st (bound) as ids. Resets st. */
static int collect_ids(enf_store_t *s, sqlite3_stmt *st, int64_t **ids, size_t *n, ods_err_t *err)
{
    int64_t *v = NULL;
    size_t count = 0, cap = 0;
    int rc = ODS_OK, step = SQLITE_DONE;
    while (rc == ODS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *nv = realloc(v, cap * sizeof(*v));
            if (!nv) {
                rc = ods_err_set(err, ODS_ENOMEM, "out of memory listing zones");
                break;
            }
            v = nv;
        }
        v[count++] = sqlite3_column_int64(st, 0);
    }
    if (rc == ODS_OK && step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "listing zones");
    sqlite3_reset(st);
    if (rc != ODS_OK) {
        free(v);
        return rc;
    }
    *ids = v;
    *n = count;
    return ODS_OK;
}

int enf_store_zone_due(enf_store_t *s, time_t now, size_t max, int64_t **ids, size_t *n,
                       ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT id FROM zones WHERE next_change BETWEEN 0 AND ? "
                                      "AND suspended = 0 ORDER BY next_change LIMIT ?",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, now);
    enf_store_bind_int(st, 2, (int64_t)max);
    return collect_ids(s, st, ids, n, err);
}

int enf_store_zone_ids(enf_store_t *s, int64_t policy_id, int64_t **ids, size_t *n, ods_err_t *err)
{
    sqlite3_stmt *st =
        enf_store_stmt(s, "SELECT id FROM zones WHERE ?1 = 0 OR policy_id = ?1 ORDER BY name", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, policy_id);
    return collect_ids(s, st, ids, n, err);
}

int enf_store_zones_with_ds(enf_store_t *s, unsigned mask, int64_t **ids, size_t *n, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT DISTINCT k.zone_id FROM keys k JOIN zones z ON "
                                      "z.id = k.zone_id WHERE ((1 << k.ds_at_parent) & ?) != 0 "
                                      "ORDER BY z.name",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, mask);
    return collect_ids(s, st, ids, n, err);
}

int enf_store_zone_next(enf_store_t *s, time_t *t, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT MIN(next_change) FROM zones WHERE next_change >= 0 "
                                      "AND suspended = 0",
                                      err);
    if (!st)
        return ODS_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = enf_store_fail(s, err, "finding the next zone to enforce");
        sqlite3_reset(st);
        return rc;
    }
    *t = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : (time_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ODS_OK;
}

int enf_store_zone_set_next(enf_store_t *s, int64_t id, int64_t policy_id, time_t t, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE zones SET next_change = ?1 WHERE id = ?2 OR "
                                      "(?2 = 0 AND (?3 = 0 OR policy_id = ?3))",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, t);
    enf_store_bind_int(st, 2, id);
    enf_store_bind_int(st, 3, policy_id);
    return enf_store_step_done(s, st, err, "scheduling a zone");
}

int enf_store_zone_due_keyless(enf_store_t *s, time_t t, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE zones SET next_change = ? WHERE suspended = 0 AND "
                                      "next_change < 0 AND NOT EXISTS (SELECT 1 FROM keys k "
                                      "WHERE k.zone_id = zones.id)",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, t);
    return enf_store_step_done(s, st, err, "scheduling new zones");
}

int enf_store_zone_set_waiting(enf_store_t *s, int64_t id, int waiting, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "UPDATE zones SET waiting_keys = ? WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, waiting);
    enf_store_bind_int(st, 2, id);
    return enf_store_step_done(s, st, err, "marking a zone");
}

int enf_store_key_max_id(enf_store_t *s, int64_t *max, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "SELECT COALESCE(MAX(id), 0) FROM keys", err);
    if (!st)
        return ODS_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = enf_store_fail(s, err, "reading the key ids");
        sqlite3_reset(st);
        return rc;
    }
    *max = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ODS_OK;
}
