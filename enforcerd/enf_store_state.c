/*
 * enf_store_state.c -- load and save the engine state of one zone: the zone's
 * engine fields, its keys and their records (see enf_store_zone.h).
 */
#include "enf_store_zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The engine's model may grow: these fail to compile when a struct changed,
 * so that its new fields are stored too (then update the sizes; LP64). */
#if defined(__LP64__)
_Static_assert(sizeof(enf_record_t) == 48, "enf_record_t changed: store its new fields");
_Static_assert(sizeof(enf_key_t) == 504, "enf_key_t changed: store its new fields");
_Static_assert(sizeof(enf_zone_t) == 672, "enf_zone_t changed: store its new fields");
#endif

/* ---- per-algorithm signature history: "ALG:OLDEST;..." ---- */

static int parse_oldest_rs(const char *text, enf_zone_t *z)
{
    z->oldest.nrs = 0;
    while (*text) {
        char *end;
        long alg = strtol(text, &end, 10);
        if (*end != ':' || z->oldest.nrs >= ENF_ALGS_MAX)
            return ODS_EPARSE;
        long long oldest = strtoll(end + 1, &end, 10);
        if (*end != ';' && *end != '\0')
            return ODS_EPARSE;
        z->oldest.rs[z->oldest.nrs].algorithm = (int)alg;
        z->oldest.rs[z->oldest.nrs].oldest = oldest;
        z->oldest.nrs++;
        text = *end ? end + 1 : end;
    }
    return ODS_OK;
}

static void format_oldest_rs(const enf_zone_t *z, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < z->oldest.nrs && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%d:%lld", i ? ";" : "",
                              z->oldest.rs[i].algorithm, (long long)z->oldest.rs[i].oldest);
}

/* ---- loading ---- */

static int load_zone_fields(enf_store_t *s, int64_t id, enf_zone_t *z, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(
        s,
        "SELECT ord, oldest_ds, oldest_dk, oldest_rs, ttl_end_ds, ttl_end_dk, ttl_end_rs, "
        "ttl_ds, ttl_dk, ttl_rs, roll_ksk_now, roll_zsk_now, roll_csk_now, next_ksk_roll, "
        "next_zsk_roll, next_csk_roll, signconf_needs_writing, next_change FROM zones "
        "WHERE id = ?",
        err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        int rc = step == SQLITE_DONE ? ods_err_set(err, ODS_ENOTFOUND, "zone %s is gone", z->name)
                                     : enf_store_fail(s, err, "loading a zone");
        sqlite3_reset(st);
        return rc;
    }
    int64_t v[18];
    for (int i = 0; i < 18; i++)
        v[i] = sqlite3_column_int64(st, i);
    int rc = parse_oldest_rs(enf_store_col_text(st, 3), z);
    sqlite3_reset(st);
    if (rc != ODS_OK)
        return ods_err_set(err, rc, "zone %s: bad oldest_rs column in the database", z->name);
    z->order = v[0];
    z->oldest.ds = v[1], z->oldest.dk = v[2];
    z->ttl_end_ds = v[4], z->ttl_end_dk = v[5], z->ttl_end_rs = v[6];
    z->ttl_ds = v[7], z->ttl_dk = v[8], z->ttl_rs = v[9];
    z->roll_ksk_now = (int)v[10], z->roll_zsk_now = (int)v[11], z->roll_csk_now = (int)v[12];
    z->next_ksk_roll = v[13], z->next_zsk_roll = v[14], z->next_csk_roll = v[15];
    z->signconf_needs_writing = (int)v[16];
    z->next_change = v[17];
    return ODS_OK;
}

static void read_key(sqlite3_stmt *st, enf_key_t *k)
{
    memset(k, 0, sizeof(*k));
    k->id = sqlite3_column_int64(st, 0);
    k->role = sqlite3_column_int(st, 1);
    k->algorithm = sqlite3_column_int(st, 2);
    k->bits = sqlite3_column_int(st, 3);
    k->keytag = (uint16_t)sqlite3_column_int(st, 4);
    k->inception = (time_t)sqlite3_column_int64(st, 5);
    k->introducing = sqlite3_column_int(st, 6);
    k->minimize = sqlite3_column_int(st, 7);
    k->ds_at_parent = (enf_dsp_t)sqlite3_column_int(st, 8);
    snprintf(k->locator, sizeof(k->locator), "%s", enf_store_col_text(st, 9));
    snprintf(k->repository, sizeof(k->repository), "%s", enf_store_col_text(st, 10));
    int backup = sqlite3_column_int(st, 11);
    k->backup_required = backup == 1 || backup == 2;
    for (int r = 0; r < ENF_REC_COUNT; r++)
        k->rec[r].state = ENF_NA;
}

static int load_keys(enf_store_t *s, int64_t id, enf_zone_t *z, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT k.id, k.role, k.algorithm, k.bits, k.keytag, "
                                      "k.inception, k.introducing, k.minimize, k.ds_at_parent, "
                                      "h.locator, h.repository, h.backup FROM keys k JOIN "
                                      "hsm_keys h ON h.id = k.hsm_key_id WHERE k.zone_id = ? "
                                      "ORDER BY k.id",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    int rc = ODS_OK, step = SQLITE_DONE;
    while (rc == ODS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        enf_key_t k;
        read_key(st, &k);
        rc = enf_zone_add_key(z, &k);
        if (rc != ODS_OK)
            rc = ods_err_set(err, rc, "zone %s: cannot load key %lld", z->name, (long long)k.id);
    }
    if (rc == ODS_OK && step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "loading keys");
    sqlite3_reset(st);
    return rc;
}

static int load_states(enf_store_t *s, int64_t id, enf_zone_t *z, ods_err_t *err)
{
    sqlite3_stmt *st =
        enf_store_stmt(s,
                       "SELECT ks.key_id, ks.type, ks.state, ks.last_change, "
                       "ks.ttl, ks.ord, ks.ord_in, ks.ord_out FROM key_states ks JOIN keys k "
                       "ON k.id = ks.key_id WHERE k.zone_id = ?",
                       err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        enf_key_t *k = enf_zone_find_key(z, sqlite3_column_int64(st, 0));
        int type = sqlite3_column_int(st, 1);
        if (!k || type < 0 || type >= ENF_REC_COUNT)
            continue;
        enf_record_t *r = &k->rec[type];
        r->state = (enf_state_t)sqlite3_column_int(st, 2);
        r->last_change = (time_t)sqlite3_column_int64(st, 3);
        r->ttl = (time_t)sqlite3_column_int64(st, 4);
        r->order = sqlite3_column_int64(st, 5);
        r->order_in = sqlite3_column_int64(st, 6);
        r->order_out = sqlite3_column_int64(st, 7);
    }
    int rc = step == SQLITE_DONE ? ODS_OK : enf_store_fail(s, err, "loading key states");
    sqlite3_reset(st);
    return rc;
}

int enf_store_zone_load(enf_store_t *s, int64_t id, const char *name, enf_zone_t **out,
                        ods_err_t *err)
{
    enf_zone_t *z = enf_zone_new(name);
    if (!z)
        return ods_err_set(err, ODS_ENOMEM, "out of memory loading zone %s", name);
    int rc = load_zone_fields(s, id, z, err);
    if (rc == ODS_OK)
        rc = load_keys(s, id, z, err);
    if (rc == ODS_OK)
        rc = load_states(s, id, z, err);
    if (rc != ODS_OK) {
        enf_zone_free(z);
        return rc;
    }
    *out = z;
    return ODS_OK;
}

/* ---- saving ---- */

static int save_zone_fields(enf_store_t *s, int64_t id, const enf_zone_t *z, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(
        s,
        "UPDATE zones SET ord = ?, oldest_ds = ?, oldest_dk = ?, oldest_rs = ?, ttl_end_ds = ?, "
        "ttl_end_dk = ?, ttl_end_rs = ?, ttl_ds = ?, ttl_dk = ?, ttl_rs = ?, roll_ksk_now = ?, "
        "roll_zsk_now = ?, roll_csk_now = ?, next_ksk_roll = ?, next_zsk_roll = ?, "
        "next_csk_roll = ?, signconf_needs_writing = ?, next_change = ? WHERE id = ?",
        err);
    if (!st)
        return ODS_EDB;
    char oldest_rs[ENF_ALGS_MAX * 48];
    format_oldest_rs(z, oldest_rs, sizeof(oldest_rs));
    int64_t v[] = { z->order,
                    z->oldest.ds,
                    z->oldest.dk,
                    0,
                    z->ttl_end_ds,
                    z->ttl_end_dk,
                    z->ttl_end_rs,
                    z->ttl_ds,
                    z->ttl_dk,
                    z->ttl_rs,
                    z->roll_ksk_now,
                    z->roll_zsk_now,
                    z->roll_csk_now,
                    z->next_ksk_roll,
                    z->next_zsk_roll,
                    z->next_csk_roll,
                    z->signconf_needs_writing,
                    z->next_change,
                    id };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        enf_store_bind_int(st, (int)i + 1, v[i]);
    enf_store_bind_text(st, 4, oldest_rs);
    return enf_store_step_done(s, st, err, "saving a zone");
}

static int insert_key(enf_store_t *s, int64_t zone_id, const enf_key_t *k, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(
        s,
        "INSERT INTO keys (id, zone_id, hsm_key_id, role, algorithm, bits, keytag, inception, "
        "introducing, minimize, ds_at_parent) SELECT ?, ?, id, ?, ?, ?, ?, ?, ?, ?, ? FROM "
        "hsm_keys WHERE locator = ?",
        err);
    if (!st)
        return ODS_EDB;
    int64_t v[] = { k->id,     zone_id,      k->role,        k->algorithm, k->bits,
                    k->keytag, k->inception, k->introducing, k->minimize,  k->ds_at_parent };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        enf_store_bind_int(st, (int)i + 1, v[i]);
    enf_store_bind_text(st, 11, k->locator);
    int rc = enf_store_step_done(s, st, err, "adding a key");
    if (rc == ODS_OK && sqlite3_changes(enf_store_db(s)) != 1)
        rc = ods_err_set(err, ODS_ENOTFOUND, "key %s is not in the key pool", k->locator);
    return rc;
}

static int update_key(enf_store_t *s, const enf_key_t *k, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "UPDATE keys SET keytag = ?, introducing = ?, minimize = ?, "
                                      "ds_at_parent = ? WHERE id = ?",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, k->keytag);
    enf_store_bind_int(st, 2, k->introducing);
    enf_store_bind_int(st, 3, k->minimize);
    enf_store_bind_int(st, 4, k->ds_at_parent);
    enf_store_bind_int(st, 5, k->id);
    return enf_store_step_done(s, st, err, "saving a key");
}

static int save_record(enf_store_t *s, const enf_key_t *k, int type, ods_err_t *err)
{
    sqlite3_stmt *st =
        enf_store_stmt(s,
                       "INSERT OR REPLACE INTO key_states (key_id, type, state, "
                       "last_change, ttl, ord, ord_in, ord_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       err);
    if (!st)
        return ODS_EDB;
    const enf_record_t *r = &k->rec[type];
    int64_t v[] = { k->id,  type,     r->state,    r->last_change,
                    r->ttl, r->order, r->order_in, r->order_out };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        enf_store_bind_int(st, (int)i + 1, v[i]);
    return enf_store_step_done(s, st, err, "saving a key state");
}

static int record_equal(const enf_record_t *a, const enf_record_t *b)
{
    return a->state == b->state && a->last_change == b->last_change && a->ttl == b->ttl &&
           a->order == b->order && a->order_in == b->order_in && a->order_out == b->order_out;
}

static int key_fields_equal(const enf_key_t *a, const enf_key_t *b)
{
    return a->keytag == b->keytag && a->introducing == b->introducing &&
           a->minimize == b->minimize && a->ds_at_parent == b->ds_at_parent;
}

static int save_key(enf_store_t *s, int64_t zone_id, const enf_key_t *k, const enf_key_t *old,
                    ods_err_t *err)
{
    int rc = ODS_OK;
    if (!old)
        rc = insert_key(s, zone_id, k, err);
    else if (!key_fields_equal(k, old))
        rc = update_key(s, k, err);
    for (int r = 0; rc == ODS_OK && r < ENF_REC_COUNT; r++)
        if (!old || !record_equal(&k->rec[r], &old->rec[r]))
            rc = save_record(s, k, r, err);
    return rc;
}

static int delete_key(enf_store_t *s, int64_t key_id, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "DELETE FROM keys WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, key_id);
    return enf_store_step_done(s, st, err, "deleting a key");
}

int enf_store_zone_save(enf_store_t *s, int64_t id, const enf_zone_t *z, const enf_zone_t *before,
                        ods_err_t *err)
{
    int rc = save_zone_fields(s, id, z, err);
    for (size_t i = 0; rc == ODS_OK && i < z->nkeys; i++) {
        const enf_key_t *old = before ? enf_zone_find_key(before, z->keys[i].id) : NULL;
        rc = save_key(s, id, &z->keys[i], old, err);
    }
    for (size_t i = 0; rc == ODS_OK && before && i < before->nkeys; i++)
        if (!enf_zone_find_key(z, before->keys[i].id))
            rc = delete_key(s, before->keys[i].id, err);
    return rc;
}
