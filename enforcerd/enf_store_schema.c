/*
 * enf_store_schema.c -- the versioned schema and its migrations.
 *
 * migrations[i] takes a database from version i to i + 1. Each runs in one
 * transaction together with the version bump, so a crash leaves the old
 * version or the new one. Add a migration at the end; never change one that
 * has been released.
 */
#include "enf_store.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 0 -> 1: policies, zones, keys, key states, the HSM key pool */
    "CREATE TABLE policies ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '',"
    " passthrough INTEGER NOT NULL, resign INTEGER NOT NULL, refresh INTEGER NOT NULL,"
    " validity_default INTEGER NOT NULL, validity_denial INTEGER NOT NULL,"
    " validity_keyset INTEGER NOT NULL, jitter INTEGER NOT NULL,"
    " inception_offset INTEGER NOT NULL, max_zone_ttl INTEGER NOT NULL,"
    " denial INTEGER NOT NULL, nsec3_optout INTEGER NOT NULL, nsec3_ttl INTEGER NOT NULL,"
    " nsec3_resalt INTEGER NOT NULL, nsec3_algorithm INTEGER NOT NULL,"
    " nsec3_iterations INTEGER NOT NULL, nsec3_salt_length INTEGER NOT NULL,"
    " keys_ttl INTEGER NOT NULL, retire_safety INTEGER NOT NULL,"
    " publish_safety INTEGER NOT NULL, share_keys INTEGER NOT NULL, purge INTEGER NOT NULL,"
    " zone_propagation_delay INTEGER NOT NULL, zone_soa_ttl INTEGER NOT NULL,"
    " zone_soa_minimum INTEGER NOT NULL, serial INTEGER NOT NULL,"
    " parent_propagation_delay INTEGER NOT NULL, parent_ds_ttl INTEGER NOT NULL,"
    " parent_soa_ttl INTEGER NOT NULL, parent_soa_minimum INTEGER NOT NULL,"
    " parent_registration_delay INTEGER NOT NULL,"
    " salt TEXT NOT NULL DEFAULT '', salt_last_change INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE policy_keys ("
    " policy_id INTEGER NOT NULL REFERENCES policies(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, role INTEGER NOT NULL, algorithm INTEGER NOT NULL,"
    " bits INTEGER NOT NULL, lifetime INTEGER NOT NULL, repository TEXT NOT NULL,"
    " standby INTEGER NOT NULL, manual_rollover INTEGER NOT NULL, rfc5011 INTEGER NOT NULL,"
    " minimize INTEGER NOT NULL, PRIMARY KEY (policy_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE zones ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " policy_id INTEGER NOT NULL REFERENCES policies(id),"
    " signconf TEXT NOT NULL, input_type INTEGER NOT NULL, input TEXT NOT NULL,"
    " output_type INTEGER NOT NULL, output TEXT NOT NULL,"
    " suspended INTEGER NOT NULL DEFAULT 0, waiting_keys INTEGER NOT NULL DEFAULT 0,"
    " next_change INTEGER NOT NULL DEFAULT 0, ord INTEGER NOT NULL DEFAULT 0,"
    " oldest_ds INTEGER NOT NULL DEFAULT 0, oldest_dk INTEGER NOT NULL DEFAULT 0,"
    " oldest_rs TEXT NOT NULL DEFAULT '',"
    " ttl_end_ds INTEGER NOT NULL DEFAULT 0, ttl_end_dk INTEGER NOT NULL DEFAULT 0,"
    " ttl_end_rs INTEGER NOT NULL DEFAULT 0, ttl_ds INTEGER NOT NULL DEFAULT 0,"
    " ttl_dk INTEGER NOT NULL DEFAULT 0, ttl_rs INTEGER NOT NULL DEFAULT 0,"
    " roll_ksk_now INTEGER NOT NULL DEFAULT 0, roll_zsk_now INTEGER NOT NULL DEFAULT 0,"
    " roll_csk_now INTEGER NOT NULL DEFAULT 0, next_ksk_roll INTEGER NOT NULL DEFAULT 0,"
    " next_zsk_roll INTEGER NOT NULL DEFAULT 0, next_csk_roll INTEGER NOT NULL DEFAULT 0,"
    " signconf_needs_writing INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX zones_next_change ON zones(next_change);"
    "CREATE INDEX zones_policy ON zones(policy_id);"
    "CREATE TABLE hsm_keys ("
    " id INTEGER PRIMARY KEY, locator TEXT NOT NULL UNIQUE, repository TEXT NOT NULL,"
    " algorithm INTEGER NOT NULL, bits INTEGER NOT NULL, pubkey BLOB,"
    " state INTEGER NOT NULL, policy_id INTEGER REFERENCES policies(id) ON DELETE SET NULL,"
    " role INTEGER NOT NULL DEFAULT 0, backup INTEGER NOT NULL DEFAULT 0,"
    " generated INTEGER NOT NULL, released INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX hsm_keys_pool ON hsm_keys(state, repository, algorithm, bits);"
    "CREATE INDEX hsm_keys_policy ON hsm_keys(policy_id, state);"
    "CREATE TABLE keys ("
    " id INTEGER PRIMARY KEY,"
    " zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,"
    " hsm_key_id INTEGER NOT NULL REFERENCES hsm_keys(id),"
    " role INTEGER NOT NULL, algorithm INTEGER NOT NULL, bits INTEGER NOT NULL,"
    " keytag INTEGER NOT NULL, inception INTEGER NOT NULL, introducing INTEGER NOT NULL,"
    " minimize INTEGER NOT NULL, ds_at_parent INTEGER NOT NULL);"
    "CREATE INDEX keys_zone ON keys(zone_id);"
    "CREATE INDEX keys_hsm ON keys(hsm_key_id, zone_id);"
    "CREATE INDEX keys_ds ON keys(ds_at_parent);"
    "CREATE TABLE key_states ("
    " key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
    " type INTEGER NOT NULL, state INTEGER NOT NULL, last_change INTEGER NOT NULL,"
    " ttl INTEGER NOT NULL, ord INTEGER NOT NULL, ord_in INTEGER NOT NULL,"
    " ord_out INTEGER NOT NULL,"
    " PRIMARY KEY (key_id, type)) WITHOUT ROWID;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

_Static_assert(NMIGRATIONS == ENF_STORE_VERSION, "ENF_STORE_VERSION must count the migrations");

static int db_fail(sqlite3 *db, const char *path, ods_err_t *err, const char *what)
{
    return ods_err_set(err, ODS_EDB, "database %s: %s: %s", path, what, sqlite3_errmsg(db));
}

/* The version recorded in the file; 0 for a new, empty database. */
static int read_version(sqlite3 *db, const char *path, int *version, ods_err_t *err)
{
    if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, path, err, "creating the schema_version table");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT MAX(version) FROM schema_version", -1, &st, NULL) !=
        SQLITE_OK)
        return db_fail(db, path, err, "reading the schema version");
    *version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return ODS_OK;
}

static int apply(sqlite3 *db, const char *path, const char *sql, int from, ods_err_t *err)
{
    char what[64], bump[96];
    snprintf(what, sizeof(what), "migrating the schema from version %d to %d", from, from + 1);
    snprintf(bump, sizeof(bump),
             "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)", from + 1);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, path, err, what);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, bump, NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_fail(db, path, err, what);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_fail(db, path, err, what);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return ODS_OK;
}

int enf_store_migrate_list(sqlite3 *db, const char *path, const char *const *list, int n,
                           int *version, ods_err_t *err)
{
    int v = 0;
    int rc = read_version(db, path, &v, err);
    if (rc != ODS_OK)
        return rc;
    if (v > n)
        return ods_err_set(err, ODS_ECONFLICT,
                           "database %s has schema version %d but this enforcer knows only up to "
                           "%d: run the enforcer that wrote it, or restore a backup",
                           path, v, n);
    for (; v < n; v++)
        if ((rc = apply(db, path, list[v], v, err)) != ODS_OK)
            return rc;
    *version = v;
    return ODS_OK;
}

int enf_store_migrate(sqlite3 *db, const char *path, int *version, ods_err_t *err)
{
    return enf_store_migrate_list(db, path, migrations, NMIGRATIONS, version, err);
}
