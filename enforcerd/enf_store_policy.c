/* enf_store_policy.c -- policies and policy keys in the database (see enf_store_policy.h). */
#include "enf_store_policy.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The numeric columns of `policies`, in table order after name and description. */
typedef struct col {
    const char *name;
    size_t off;
    int is_int; /* 1: int field, 0: int64_t field */
} col_t;

#define I(f)                                                                                       \
    {                                                                                              \
#f, offsetof(ods_policy_t, f), 1                                                           \
    }
#define L64(f)                                                                                     \
    {                                                                                              \
#f, offsetof(ods_policy_t, f), 0                                                           \
    }
static const col_t cols[] = {
    I(passthrough),
    L64(resign),
    L64(refresh),
    L64(validity_default),
    L64(validity_denial),
    L64(validity_keyset),
    L64(jitter),
    L64(inception_offset),
    L64(max_zone_ttl),
    I(denial),
    I(nsec3_optout),
    L64(nsec3_ttl),
    L64(nsec3_resalt),
    I(nsec3_algorithm),
    I(nsec3_iterations),
    I(nsec3_salt_length),
    L64(keys_ttl),
    L64(retire_safety),
    L64(publish_safety),
    I(share_keys),
    L64(purge),
    L64(zone_propagation_delay),
    L64(zone_soa_ttl),
    L64(zone_soa_minimum),
    I(serial),
    L64(parent_propagation_delay),
    L64(parent_ds_ttl),
    L64(parent_soa_ttl),
    L64(parent_soa_minimum),
    L64(parent_registration_delay),
};
#undef I
#undef L64
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static int64_t get_field(const ods_policy_t *p, const col_t *c)
{
    const char *base = (const char *)p + c->off;
    return c->is_int ? *(const int *)base : *(const int64_t *)base;
}

static void set_field(ods_policy_t *p, const col_t *c, int64_t v)
{
    char *base = (char *)p + c->off;
    if (c->is_int)
        *(int *)base = (int)v;
    else
        *(int64_t *)base = v;
}

int enf_policy_copy(const ods_policy_t *in, ods_policy_t *out)
{
    ods_policy_t p = *in;
    p.src = NULL;
    p.name = strdup(in->name ? in->name : "");
    p.description = strdup(in->description ? in->description : "");
    p.keys = in->n_keys ? calloc(in->n_keys, sizeof(*p.keys)) : NULL;
    int ok = p.name && p.description && (p.keys || !in->n_keys);
    for (size_t i = 0; ok && i < in->n_keys; i++) {
        p.keys[i] = in->keys[i];
        p.keys[i].repository = strdup(in->keys[i].repository ? in->keys[i].repository : "");
        ok = p.keys[i].repository != NULL;
    }
    if (!ok) {
        p.n_keys = p.keys ? in->n_keys : 0;
        ods_policy_clear(&p);
        return ODS_ENOMEM;
    }
    *out = p;
    return ODS_OK;
}

/* ---- writing ---- */

static const char *sql_upsert(void)
{
    static char sql[4096];
    if (sql[0])
        return sql;
    size_t n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO policies (name, description");
    for (size_t i = 0; i < NCOLS; i++)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", %s", cols[i].name);
    n += (size_t)snprintf(sql + n, sizeof(sql) - n, ") VALUES (?, ?");
    for (size_t i = 0; i < NCOLS; i++)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", ?");
    n += (size_t)snprintf(sql + n, sizeof(sql) - n,
                          ") ON CONFLICT(name) DO UPDATE SET description = excluded.description");
    for (size_t i = 0; i < NCOLS; i++)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", %s = excluded.%s", cols[i].name,
                              cols[i].name);
    snprintf(sql + n, sizeof(sql) - n, " RETURNING id");
    return sql;
}

static int put_keys(enf_store_t *s, int64_t id, const ods_policy_t *p, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "DELETE FROM policy_keys WHERE policy_id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    int rc = enf_store_step_done(s, st, err, "replacing the keys of a policy");
    for (size_t i = 0; rc == ODS_OK && i < p->n_keys; i++) {
        const ods_policy_key_t *k = &p->keys[i];
        st = enf_store_stmt(s,
                            "INSERT INTO policy_keys (policy_id, seq, role, algorithm, bits, "
                            "lifetime, repository, standby, manual_rollover, rfc5011, minimize) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            err);
        if (!st)
            return ODS_EDB;
        int64_t v[] = { id, (int64_t)i, k->role, k->algorithm, k->bits, k->lifetime };
        for (int j = 0; j < 6; j++)
            enf_store_bind_int(st, j + 1, v[j]);
        enf_store_bind_text(st, 7, k->repository);
        enf_store_bind_int(st, 8, k->standby);
        enf_store_bind_int(st, 9, k->manual_rollover);
        enf_store_bind_int(st, 10, k->rfc5011);
        enf_store_bind_int(st, 11, k->minimize);
        rc = enf_store_step_done(s, st, err, "storing a policy key");
    }
    return rc;
}

int enf_store_policy_put(enf_store_t *s, const ods_policy_t *p, int64_t *id, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, sql_upsert(), err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, p->name);
    enf_store_bind_text(st, 2, p->description ? p->description : "");
    for (size_t i = 0; i < NCOLS; i++)
        enf_store_bind_int(st, (int)i + 3, get_field(p, &cols[i]));
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = enf_store_fail(s, err, "storing a policy");
        sqlite3_reset(st);
        return rc;
    }
    int64_t pid = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    int rc = put_keys(s, pid, p, err);
    if (rc == ODS_OK && id)
        *id = pid;
    return rc;
}

int enf_store_policy_delete(enf_store_t *s, int64_t id, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, "DELETE FROM policies WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, id);
    return enf_store_step_done(s, st, err, "deleting a policy");
}

int enf_store_policy_set_salt(enf_store_t *s, int64_t id, const char *salt_hex, time_t when,
                              ods_err_t *err)
{
    sqlite3_stmt *st =
        enf_store_stmt(s, "UPDATE policies SET salt = ?, salt_last_change = ? WHERE id = ?", err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_text(st, 1, salt_hex);
    enf_store_bind_int(st, 2, when);
    enf_store_bind_int(st, 3, id);
    return enf_store_step_done(s, st, err, "storing a policy's salt");
}

/* ---- reading ---- */

static const char *sql_select(void)
{
    static char sql[2048];
    if (sql[0])
        return sql;
    size_t n = (size_t)snprintf(sql, sizeof(sql),
                                "SELECT id, name, description, salt, "
                                "salt_last_change");
    for (size_t i = 0; i < NCOLS; i++)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", %s", cols[i].name);
    snprintf(sql + n, sizeof(sql) - n, " FROM policies ORDER BY name");
    return sql;
}

static int read_row(sqlite3_stmt *st, enf_policy_rec_t *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->pol.name = strdup(enf_store_col_text(st, 1));
    r->pol.description = strdup(enf_store_col_text(st, 2));
    snprintf(r->salt, sizeof(r->salt), "%s", enf_store_col_text(st, 3));
    r->salt_last_change = (time_t)sqlite3_column_int64(st, 4);
    for (size_t i = 0; i < NCOLS; i++)
        set_field(&r->pol, &cols[i], sqlite3_column_int64(st, (int)i + 5));
    return r->pol.name && r->pol.description ? ODS_OK : ODS_ENOMEM;
}

static int add_key(ods_policy_t *p, sqlite3_stmt *st)
{
    ods_policy_key_t *keys = realloc(p->keys, (p->n_keys + 1) * sizeof(*keys));
    if (!keys)
        return ODS_ENOMEM;
    p->keys = keys;
    ods_policy_key_t *k = &keys[p->n_keys];
    memset(k, 0, sizeof(*k));
    k->role = sqlite3_column_int(st, 0);
    k->algorithm = sqlite3_column_int(st, 1);
    k->bits = sqlite3_column_int(st, 2);
    k->lifetime = sqlite3_column_int64(st, 3);
    k->repository = strdup(enf_store_col_text(st, 4));
    k->standby = sqlite3_column_int(st, 5);
    k->manual_rollover = sqlite3_column_int(st, 6);
    k->rfc5011 = sqlite3_column_int(st, 7);
    k->minimize = sqlite3_column_int(st, 8);
    p->n_keys++;
    return k->repository ? ODS_OK : ODS_ENOMEM;
}

static int load_keys(enf_store_t *s, enf_policy_rec_t *r, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s,
                                      "SELECT role, algorithm, bits, lifetime, repository, "
                                      "standby, manual_rollover, rfc5011, minimize FROM "
                                      "policy_keys WHERE policy_id = ? ORDER BY seq",
                                      err);
    if (!st)
        return ODS_EDB;
    enf_store_bind_int(st, 1, r->id);
    int rc = ODS_OK, step = SQLITE_DONE;
    while (rc == ODS_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = add_key(&r->pol, st);
    if (rc == ODS_OK && step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "loading policy keys");
    sqlite3_reset(st);
    if (rc == ODS_ENOMEM)
        return ods_err_set(err, rc, "out of memory loading policy %s", r->pol.name);
    return rc;
}

void enf_policy_rec_free_all(enf_policy_rec_t *recs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ods_policy_clear(&recs[i].pol);
    free(recs);
}

int enf_store_policy_load_all(enf_store_t *s, enf_policy_rec_t **recs, size_t *n, ods_err_t *err)
{
    sqlite3_stmt *st = enf_store_stmt(s, sql_select(), err);
    if (!st)
        return ODS_EDB;
    enf_policy_rec_t *v = NULL;
    size_t count = 0;
    int rc = ODS_OK, step = SQLITE_DONE;
    while (rc == ODS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        enf_policy_rec_t *nv = realloc(v, (count + 1) * sizeof(*v));
        if (!nv) {
            rc = ODS_ENOMEM;
            break;
        }
        v = nv;
        rc = read_row(st, &v[count++]);
    }
    if (rc == ODS_OK && step != SQLITE_DONE)
        rc = enf_store_fail(s, err, "loading the policies");
    sqlite3_reset(st);
    for (size_t i = 0; rc == ODS_OK && i < count; i++)
        rc = load_keys(s, &v[i], err);
    if (rc != ODS_OK) {
        enf_policy_rec_free_all(v, count);
        return rc == ODS_ENOMEM ? ods_err_set(err, rc, "out of memory loading the policies") : rc;
    }
    *recs = v;
    *n = count;
    return ODS_OK;
}
