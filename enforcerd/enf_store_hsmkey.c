/* enf_store_hsmkey.c -- the HSM key pool in the database (see enf_store_hsmkey.h). */
#include "enf_store_hsmkey.h"

#include <stdio.h>
#include <string.h>

#define HK_COLS                                                                                    \
    "id, locator, repository, algorithm, bits, pubkey, state, policy_id, role, backup, generated"

static void read_hk(sqlite3_stmt *st, enf_hsmkey_t *k)
{
    memset(k, 0, sizeof(*k));
    k->id = sqlite3_column_int64(st, 0);
    snprintf(k->locator, sizeof(k->locator), "%s", enf_store_col_text(st, 1));
    snprintf(k->repository, sizeof(k->repository), "%s", enf_store_col_text(st, 2));
    k->algorithm = sqlite3_column_int(st, 3);
    k->bits = sqlite3_column_int(st, 4);
    int n = sqlite3_column_bytes(st, 5);
    const void *blob = sqlite3_column_blob(st, 5);
    if (blob && n > 0 && (size_t)n <= sizeof(k->pubkey)) {
        memcpy(k->pubkey, blob, (size_t)n);
        k->publen = (size_t)n;
    }
    k->state = sqlite3_column_int(st, 6);
    k->policy_id = sqlite3_column_int64(st, 7);
    k->role = sqlite3_column_int(st, 8);
    k->backup = sqlite3_column_int(st, 9);
    k->generated = (time_t)sqlite3_column_int64(st, 10);
}

/* Step st once: ODS_OK with *out, ODS_ENOTFOUND, or ODS_EDB. Resets st. */
static int one_row(enf_store_t *s, sqlite3_stmt *st, enf_hsmkey_t *out, ods_err_t *err)
{
    int step = sqlite3_step(st), rc = ODS_ENOTFOUND;
    if (step == SQLITE_ROW) {
        read_hk(st, out);
        rc = ODS_OK;
    } else if (step != SQLITE_DONE) {
        rc = enf_store_fail(s, err, "reading the key pool");
    }
    sqlite3_reset(st);
    return rc;
}

int enf_store_hsmkey_insert(enf_store_t *s, enf_hsmkey_t *k, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "INSERT INTO hsm_keys (locator, repository, algorithm, "
                                      "bits, pubkey, state, policy_id, role, backup, generated) "
                                      "VALUES (lower(?), ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?)",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, k->locator);
    enf_store_bind_text(st, 2, k->repository);
    enf_store_bind_int(st, 3, k->algorithm);
    enf_store_bind_int(st, 4, k->bits);
    if (k->publen)
        sqlite3_bind_blob(st, 5, k->pubkey, (int)k->publen, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 5);
    enf_store_bind_int(st, 6, k->state);
    enf_store_bind_int(st, 7, k->policy_id);
    enf_store_bind_int(st, 8, k->role);
    enf_store_bind_int(st, 9, k->backup);
    enf_store_bind_int(st, 10, k->generated);
    int rc = enf_store_step_done(s, st, err, "adding a key to the pool");
    if (rc == ODS_OK)
        k->id = sqlite3_last_insert_rowid(enf_store_db(s));
    return rc;
}

int enf_store_hsmkey_get(enf_store_t *s, const char *locator, enf_hsmkey_t *out, ods_err_t *err)
{
    sqlite3_stmt *st =
        enf_store_stmt(s, "SELECT " HK_COLS " FROM hsm_keys WHERE locator = lower(?)", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, locator);
    return one_row(s, st, out, err);
}

int enf_store_hsmkey_take(enf_store_t *s, const char *repository, int algorithm, int bits,
                          enf_hsmkey_t *out, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT " HK_COLS " FROM hsm_keys WHERE state = 0 AND "
                                      "repository = ? AND algorithm = ? AND bits = ? "
                                      "ORDER BY id LIMIT 1",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, repository);
    enf_store_bind_int(st, 2, algorithm);
    enf_store_bind_int(st, 3, bits);
    return one_row(s, st, out, err);
}

/* Run a query with its bindings already set, calling fn per row; finalizes st. */
static int walk(enf_store_t *s, sqlite3_stmt *st, enf_hsmkey_iter_fn fn, void *arg, ods_err_t *err)
{
    int rc = 0, step = SQLITE_DONE;
    enf_hsmkey_t k;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        read_hk(st, &k);
        rc = fn(arg, &k);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "reading the key pool");
    sqlite3_finalize(st);
    return rc;
}

int enf_store_hsmkey_shared(enf_store_t *s, int64_t policy_id, int role, const char *repository,
                            int algorithm, int bits, int64_t zone_id, enf_hsmkey_iter_fn fn,
                            void *arg, ods_err_t *err)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT " HK_COLS " FROM hsm_keys h WHERE state = 2 AND policy_id = ? AND "
                      "(role & ?) = ? AND repository = ? AND algorithm = ? AND bits = ? AND "
                      "NOT EXISTS (SELECT 1 FROM keys k WHERE k.zone_id = ? AND "
                      "k.hsm_key_id = h.id) ORDER BY generated DESC, id DESC";
    if (sqlite3_prepare_v2(enf_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        return enf_store_fail(s, err, "looking for a shared key");
    enf_store_bind_int(st, 1, policy_id);
    enf_store_bind_int(st, 2, role);
    enf_store_bind_int(st, 3, role);
    enf_store_bind_text(st, 4, repository);
    enf_store_bind_int(st, 5, algorithm);
    enf_store_bind_int(st, 6, bits);
    enf_store_bind_int(st, 7, zone_id);
    return walk(s, st, fn, arg, err);
}

int enf_store_hsmkey_foreach(enf_store_t *s, int state, int64_t policy_id, enf_hsmkey_iter_fn fn,
                             void *arg, ods_err_t *err)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT " HK_COLS " FROM hsm_keys WHERE (?1 < 0 OR state = ?1) AND "
                      "(?2 = 0 OR policy_id = ?2) ORDER BY id";
    if (sqlite3_prepare_v2(enf_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        return enf_store_fail(s, err, "listing the key pool");
    enf_store_bind_int(st, 1, state);
    enf_store_bind_int(st, 2, policy_id);
    return walk(s, st, fn, arg, err);
}

int enf_store_hsmkey_assign(enf_store_t *s, int64_t id, int state, int64_t policy_id, int role,
                            ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE hsm_keys SET state = ?, policy_id = NULLIF(?, 0), "
                                      "role = ? WHERE id = ?",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, state);
    enf_store_bind_int(st, 2, policy_id);
    enf_store_bind_int(st, 3, role);
    enf_store_bind_int(st, 4, id);
    return enf_store_step_done(s, st, err, "assigning a key");
}

static int count_query(enf_store_t *s, sqlite3_stmt *st, size_t *n, ods_err_t *err)
{
    int rc = ODS_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = enf_store_fail(s, err, "counting keys");
    sqlite3_reset(st);
    return rc;
}

int enf_store_hsmkey_count(enf_store_t *s, const char *repository, int algorithm, int bits,
                           int state, size_t *n, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT COUNT(*) FROM hsm_keys WHERE (?1 IS NULL OR "
                                      "repository = ?1) AND (?2 = 0 OR algorithm = ?2) AND "
                                      "(?3 = 0 OR bits = ?3) AND (?4 < 0 OR state = ?4)",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, repository);
    enf_store_bind_int(st, 2, algorithm);
    enf_store_bind_int(st, 3, bits);
    enf_store_bind_int(st, 4, state);
    return count_query(s, st, n, err);
}

int enf_store_hsmkey_refs(enf_store_t *s, int64_t id, size_t *n, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "SELECT COUNT(*) FROM keys WHERE hsm_key_id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    return count_query(s, st, n, err);
}

int enf_store_hsmkey_delete(enf_store_t *s, int64_t id, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "DELETE FROM hsm_keys WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    return enf_store_step_done(s, st, err, "removing a key from the pool");
}

int enf_store_hsmkey_release(enf_store_t *s, time_t now, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE hsm_keys SET state = 3, released = ? WHERE state IN "
                                      "(1, 2) AND NOT EXISTS (SELECT 1 FROM keys k WHERE "
                                      "k.hsm_key_id = hsm_keys.id)",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, now);
    return enf_store_step_done(s, st, err, "releasing keys");
}

int enf_store_hsmkey_backup(enf_store_t *s, const char *repository, int from, int to,
                            size_t *changed, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE hsm_keys SET backup = ?1 WHERE backup = ?2 AND "
                                      "(?3 IS NULL OR repository = ?3)",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, to);
    enf_store_bind_int(st, 2, from);
    enf_store_bind_text(st, 3, repository);
    int rc = enf_store_step_done(s, st, err, "changing backup states");
    if (rc == ODS_OK && changed)
        *changed = (size_t)sqlite3_changes(enf_store_db(s));
    return rc;
}

int enf_store_hsmkey_backup_counts(enf_store_t *s, const char *repository, size_t counts[4],
                                   ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT backup, COUNT(*) FROM hsm_keys WHERE (?1 IS NULL "
                                      "OR repository = ?1) GROUP BY backup",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, repository);
    for (int i = 0; i < 4; i++)
        counts[i] = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int b = sqlite3_column_int(st, 0);
        if (b >= 0 && b < 4)
            counts[b] = (size_t)sqlite3_column_int64(st, 1);
    }
    int rc = step == SQLITE_DONE ? ODS_OK : enf_store_fail(s, err, "counting backups");
    sqlite3_reset(st);
    return rc;
}
