/*
 * enf_store.h -- the enforcer's SQLite database: opening, schema migrations,
 * transactions and a cache of prepared statements.
 *
 * The database holds policies (enf_store_policy.h), zones with their keys,
 * the four record states of every key and the engine's change numbers (the
 * successor relation; enf_store_zone.h), and the HSM key pool
 * (enf_store_hsmkey.h). It runs in WAL mode with foreign keys on and a busy
 * timeout, so odsctl-side readers never see half a change. The schema is
 * versioned: enf_store_open applies every missing migration, each in its own
 * transaction, and refuses a database written by a newer enforcer.
 *
 * Every change of several rows happens inside enf_store_begin/commit; on any
 * error the caller calls enf_store_rollback and nothing is changed.
 *
 * Ownership: enf_store_open returns an object owned by the caller, freed with
 * enf_store_close. Thread-safety: none; one thread (the event loop) uses a
 * store. Other threads open their own.
 */
#ifndef ENF_STORE_H
#define ENF_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/status.h"

/* The schema version this build writes (the number of migrations). */
#define ENF_STORE_VERSION 1

typedef struct enf_store enf_store_t;

/* Open (creating the file if needed) and migrate. ODS_EDB with the file and
 * SQLite's message; ODS_ECONFLICT for a database of a newer schema. */
int enf_store_open(const char *path, enf_store_t **out, ods_err_t *err);

/* Finalize the statements and close. NULL is a no-op. */
void enf_store_close(enf_store_t *s);

/* The schema version found in the file (after migration: ENF_STORE_VERSION). */
int enf_store_version(enf_store_t *s);

int enf_store_begin(enf_store_t *s, ods_err_t *err);
int enf_store_commit(enf_store_t *s, ods_err_t *err);
/* Undo the open transaction, if any. */
void enf_store_rollback(enf_store_t *s);
/* 1 inside a transaction. */
int enf_store_in_txn(const enf_store_t *s);

/* Delete every policy, zone and key (setup); inside the caller's transaction. */
int enf_store_wipe(enf_store_t *s, ods_err_t *err);

/* ---- for the enf_store_*.c modules ---- */

/* The cached prepared statement for sql (a string literal: cached by its address),
 * reset and with its bindings cleared. NULL on error (err filled). */
sqlite3_stmt *enf_store_stmt(enf_store_t *s, const char *sql, ods_err_t *err);

/* Execute sql (no result rows). */
int enf_store_exec(enf_store_t *s, const char *sql, ods_err_t *err);

/* Fill err with ODS_EDB, what was being done and SQLite's message. */
int enf_store_fail(enf_store_t *s, ods_err_t *err, const char *what);

/* Step a statement that returns no rows; ODS_OK or ODS_EDB. */
int enf_store_step_done(enf_store_t *s, sqlite3_stmt *st, ods_err_t *err, const char *what);

/* Bind a text (NULL binds NULL) / int64 to parameter i (1-based). */
void enf_store_bind_text(sqlite3_stmt *st, int i, const char *text);
void enf_store_bind_int(sqlite3_stmt *st, int i, int64_t v);

/* Column i as text ("" for NULL). */
const char *enf_store_col_text(sqlite3_stmt *st, int i);

sqlite3 *enf_store_db(enf_store_t *s);

/* Run the schema migrations (enf_store_schema.c). */
int enf_store_migrate(sqlite3 *db, const char *path, int *version, ods_err_t *err);

/* Bring db to version n with list[0..n): list[i] takes version i to i + 1, in
 * one transaction with the version bump. *version: the version reached.
 * (enf_store_migrate with the built-in list; tests pass their own.) */
int enf_store_migrate_list(sqlite3 *db, const char *path, const char *const *list, int n,
                           int *version, ods_err_t *err);

#endif
