/* enf_store.c -- open the database, transactions, prepared statements (see enf_store.h). */
#include "enf_store.h"

#include <stdlib.h>
#include <string.h>

#define STMT_SLOTS 256 /* more distinct statements than the enforcer has */

typedef struct stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
} stmt_slot_t;

struct enf_store {
    sqlite3 *db;
    char *path;
    int version;
    int in_txn;
    stmt_slot_t slots[STMT_SLOTS];
};

int enf_store_fail(enf_store_t *s, ods_err_t *err, const char *what)
{
    return ods_err_set(err, ODS_EDB, "database %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int set_pragmas(enf_store_t *s, ods_err_t *err)
{
    static const char *const pragmas[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON",
    };
    sqlite3_busy_timeout(s->db, 10000);
    for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++)
        if (sqlite3_exec(s->db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK)
            return enf_store_fail(s, err, pragmas[i]);
    return ODS_OK;
}

int enf_store_open(const char *path, enf_store_t **out, ods_err_t *err)
{
    enf_store_t *s = calloc(1, sizeof(*s));
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return ods_err_set(err, ODS_ENOMEM, "out of memory opening %s", path);
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        rc = ods_err_set(err, ODS_EDB,
                         "cannot open the database %s: %s (check Enforcer/Datastore/SQLite in "
                         "conf.xml and the directory's permissions)",
                         path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        enf_store_close(s);
        return rc;
    }
    if ((rc = set_pragmas(s, err)) != ODS_OK ||
        (rc = enf_store_migrate(s->db, path, &s->version, err)) != ODS_OK) {
        enf_store_close(s);
        return rc;
    }
    *out = s;
    return ODS_OK;
}

void enf_store_close(enf_store_t *s)
{
    if (!s)
        return;
    if (s->in_txn)
        enf_store_rollback(s);
    for (size_t i = 0; i < STMT_SLOTS; i++)
        sqlite3_finalize(s->slots[i].st);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

int enf_store_version(enf_store_t *s)
{
    return s->version;
}

sqlite3 *enf_store_db(enf_store_t *s)
{
    return s->db;
}

int enf_store_exec(enf_store_t *s, const char *sql, ods_err_t *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return enf_store_fail(s, err, sql);
    return ODS_OK;
}

int enf_store_begin(enf_store_t *s, ods_err_t *err)
{
    if (s->in_txn)
        return ods_err_set(err, ODS_ESTATE, "database %s: a transaction is already open", s->path);
    int rc = enf_store_exec(s, "BEGIN IMMEDIATE", err);
    if (rc == ODS_OK)
        s->in_txn = 1;
    return rc;
}

int enf_store_commit(enf_store_t *s, ods_err_t *err)
{
    int rc = enf_store_exec(s, "COMMIT", err);
    if (rc != ODS_OK) {
        enf_store_rollback(s);
        return rc;
    }
    s->in_txn = 0;
    return ODS_OK;
}

void enf_store_rollback(enf_store_t *s)
{
    if (!s->in_txn)
        return;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_txn = 0;
}

int enf_store_in_txn(const enf_store_t *s)
{
    return s->in_txn;
}

sqlite3_stmt *enf_store_stmt(enf_store_t *s, const char *sql, ods_err_t *err)
{
    size_t h = ((uintptr_t)sql >> 3) % STMT_SLOTS;
    for (size_t n = 0; n < STMT_SLOTS; n++, h = (h + 1) % STMT_SLOTS) {
        stmt_slot_t *slot = &s->slots[h];
        if (slot->sql == sql) {
            sqlite3_reset(slot->st);
            sqlite3_clear_bindings(slot->st);
            return slot->st;
        }
        if (slot->sql)
            continue;
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL) !=
            SQLITE_OK) {
            enf_store_fail(s, err, "preparing a statement");
            slot->st = NULL;
            return NULL;
        }
        slot->sql = sql;
        return slot->st;
    }
    ods_err_set(err, ODS_EDB, "database %s: statement cache full", s->path);
    return NULL;
}

int enf_store_step_done(enf_store_t *s, sqlite3_stmt *st, ods_err_t *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return enf_store_fail(s, err, what);
    return ODS_OK;
}

void enf_store_bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void enf_store_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st, i, v);
}

const char *enf_store_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int enf_store_wipe(enf_store_t *s, ods_err_t *err)
{
    static const char *const tables[] = {
        "DELETE FROM key_states", "DELETE FROM keys",        "DELETE FROM zones",
        "DELETE FROM hsm_keys",   "DELETE FROM policy_keys", "DELETE FROM policies",
    };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        int rc = enf_store_exec(s, tables[i], err);
        if (rc != ODS_OK)
            return rc;
    }
    return ODS_OK;
}
