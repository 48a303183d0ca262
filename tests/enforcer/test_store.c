/*
 * test_store.c -- the enforcer's SQLite store on real database files:
 * schema creation and versioned migrations (applied, idempotent, rolled
 * back when they fail, newer databases refused), and round trips of
 * policies, zones, the engine state of a zone and the HSM key pool.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/kasp.h"
#include "engine/model.h"
#include "enf_store.h"
#include "enf_store_hsmkey.h"
#include "enf_store_policy.h"
#include "enf_store_zone.h"
#include "tap.h"

static char dir[256];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void db_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static int64_t query_int(enf_store_t *s, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(enf_store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *query_text(enf_store_t *s, const char *sql, char *buf, size_t len)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(enf_store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

static void test_open_and_migrate(void)
{
    char path[512], text[64];
    ods_err_t err;
    enf_store_t *s = NULL;
    db_path(path, sizeof(path), "a.db");
    is_int(enf_store_open(path, &s, &err), ODS_OK, "a new database is created");
    is_int(enf_store_version(s), ENF_STORE_VERSION, "and migrated to version %d",
           ENF_STORE_VERSION);
    is_str(query_text(s, "PRAGMA journal_mode", text, sizeof(text)), "wal", "WAL mode");
    is_int(query_int(s, "PRAGMA foreign_keys"), 1, "foreign keys are enforced");
    is_int(query_int(s, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'zones_next_change'"), 1,
           "zones are indexed by next_change");
    enf_store_close(s);

    is_int(enf_store_open(path, &s, &err), ODS_OK, "reopening works");
    is_int(query_int(s, "SELECT COUNT(*) FROM schema_version"), 1, "one version row");
    enf_store_exec(s,
                   "INSERT INTO policies (name, passthrough, resign, refresh, "
                   "validity_default, validity_denial, validity_keyset, jitter, "
                   "inception_offset, max_zone_ttl, denial, nsec3_optout, nsec3_ttl, "
                   "nsec3_resalt, nsec3_algorithm, nsec3_iterations, nsec3_salt_length, "
                   "keys_ttl, retire_safety, publish_safety, share_keys, purge, "
                   "zone_propagation_delay, zone_soa_ttl, zone_soa_minimum, serial, "
                   "parent_propagation_delay, parent_ds_ttl, parent_soa_ttl, "
                   "parent_soa_minimum, parent_registration_delay) VALUES ('p', 0,0,0,0,"
                   "0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,-1,0,0,0,1,0,0,0,0,0)",
                   &err);

    const char *more[ENF_STORE_VERSION + 2];
    for (int i = 0; i < ENF_STORE_VERSION; i++)
        more[i] = "SELECT 1"; /* already applied: never run again */
    more[ENF_STORE_VERSION] = "CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (7)";
    more[ENF_STORE_VERSION + 1] = "CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1)";
    int v = 0;
    is_int(enf_store_migrate_list(enf_store_db(s), path, more, ENF_STORE_VERSION + 1, &v, &err),
           ODS_OK, "a new migration applies to an existing database");
    is_int(v, ENF_STORE_VERSION + 1, "the version goes up by one");
    is_int(query_int(s, "SELECT x FROM extra"), 7, "the migration ran");
    is_int(query_int(s, "SELECT COUNT(*) FROM policies"), 1, "existing data is kept");
    ok(enf_store_migrate_list(enf_store_db(s), path, more, ENF_STORE_VERSION + 2, &v, &err) ==
           ODS_EDB,
       "a failing migration fails: %s", err.msg);
    is_int(query_int(s, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"), 0,
           "and leaves nothing of itself behind");
    is_int(query_int(s, "SELECT MAX(version) FROM schema_version"), ENF_STORE_VERSION + 1,
           "the version stays where it was");
    enf_store_close(s);

    s = NULL;
    is_int(enf_store_open(path, &s, &err), ODS_ECONFLICT,
           "a database from a newer enforcer "
           "is refused");
    has_str(err.msg, "schema version", "with a message saying why: %s", err.msg);
    ok(s == NULL, "and no store is returned");
}

static void test_policies(void)
{
    char path[512], kasp_path[512];
    ods_err_t err;
    enf_store_t *s;
    ods_kasp_t *kasp = NULL;
    db_path(path, sizeof(path), "p.db");
    snprintf(kasp_path, sizeof(kasp_path), "%s/conf/kasp.xml", getenv("ODS_SOURCE_ROOT"));
    if (enf_store_open(path, &s, &err) != ODS_OK || ods_kasp_load(kasp_path, NULL, &kasp, NULL)) {
        ok(0, "setup: %s", err.msg);
        return;
    }
    enf_store_begin(s, &err);
    for (size_t i = 0; i < kasp->n_policies; i++)
        enf_store_policy_put(s, &kasp->policies[i], NULL, &err);
    is_int(enf_store_commit(s, &err), ODS_OK, "%zu policies stored", kasp->n_policies);
    enf_policy_rec_t *recs;
    size_t n;
    is_int(enf_store_policy_load_all(s, &recs, &n, &err), ODS_OK, "policies load");
    is_int(n, kasp->n_policies, "all of them");
    for (size_t i = 0; i < n; i++) {
        const ods_policy_t *orig = ods_kasp_find(kasp, recs[i].pol.name);
        ok(orig && ods_policy_equal(orig, &recs[i].pol), "policy %s comes back unchanged",
           recs[i].pol.name);
    }
    int64_t id = recs[0].id;
    enf_policy_rec_free_all(recs, n);
    is_int(enf_store_policy_set_salt(s, id, "a1b2", 1000, &err), ODS_OK, "salt stored");
    enf_store_policy_put(s, &kasp->policies[0], NULL, &err);
    enf_store_policy_load_all(s, &recs, &n, &err);
    ok(n > 0 && strcmp(recs[0].salt, "a1b2") == 0 && recs[0].salt_last_change == 1000,
       "an update keeps the salt and its time");
    enf_policy_rec_free_all(recs, n);
    is_int(enf_store_policy_delete(s, id, &err), ODS_OK, "a policy without zones is deleted");
    enf_store_policy_load_all(s, &recs, &n, &err);
    is_int(n, kasp->n_policies - 1, "one policy fewer");
    enf_policy_rec_free_all(recs, n);
    ods_kasp_free(kasp);
    enf_store_close(s);
}

/* A minimal policy row for zones to refer to. */
static int64_t add_policy(enf_store_t *s, const char *name)
{
    ods_policy_t p;
    memset(&p, 0, sizeof(p));
    p.name = (char *)name;
    p.description = "";
    p.denial = 1;
    p.purge = -1;
    p.serial = 1;
    int64_t id = 0;
    ods_err_t err;
    enf_store_policy_put(s, &p, &id, &err);
    return id;
}

static void add_hsmkey(enf_store_t *s, const char *locator, int state)
{
    enf_hsmkey_t k;
    memset(&k, 0, sizeof(k));
    snprintf(k.locator, sizeof(k.locator), "%s", locator);
    snprintf(k.repository, sizeof(k.repository), "SoftHSM");
    k.algorithm = 13;
    k.bits = 256;
    k.publen = 4 + 64;
    memset(k.pubkey, 0xab, k.publen);
    k.state = state;
    k.generated = 100 + (time_t)strlen(locator);
    ods_err_t err;
    enf_store_hsmkey_insert(s, &k, &err);
}

static void fill_key(enf_key_t *k, int64_t id, int role, const char *loc, int seed)
{
    enf_key_init(k, role, 1000 + seed);
    k->id = id;
    k->algorithm = 13;
    k->bits = 256;
    snprintf(k->locator, sizeof(k->locator), "%s", loc);
    snprintf(k->repository, sizeof(k->repository), "SoftHSM");
    k->keytag = (uint16_t)(4000 + seed);
    k->minimize = 4;
    k->ds_at_parent = (enf_dsp_t)(seed % 7);
    for (int r = 0; r < ENF_REC_COUNT; r++) {
        k->rec[r].state = (enf_state_t)((seed + r) % 5);
        k->rec[r].last_change = 5000 + seed * 10 + r;
        k->rec[r].ttl = 300 * (r + 1);
        k->rec[r].order = seed * 4 + r;
        k->rec[r].order_in = seed * 4 + r - 1;
        k->rec[r].order_out = seed * 4 + r + 7;
    }
}

static int same_key(const enf_key_t *a, const enf_key_t *b)
{
    int same = a->id == b->id && a->role == b->role && a->algorithm == b->algorithm &&
               a->bits == b->bits && strcmp(a->locator, b->locator) == 0 &&
               strcmp(a->repository, b->repository) == 0 && a->keytag == b->keytag &&
               a->inception == b->inception && a->introducing == b->introducing &&
               a->minimize == b->minimize && a->ds_at_parent == b->ds_at_parent;
    for (int r = 0; same && r < ENF_REC_COUNT; r++)
        same = memcmp(&a->rec[r], &b->rec[r], sizeof(a->rec[r])) == 0;
    return same;
}

static int same_zone(const enf_zone_t *a, const enf_zone_t *b)
{
    int same = a->nkeys == b->nkeys && a->order == b->order && a->oldest.ds == b->oldest.ds &&
               a->oldest.dk == b->oldest.dk && a->oldest.nrs == b->oldest.nrs &&
               a->ttl_end_ds == b->ttl_end_ds && a->ttl_end_dk == b->ttl_end_dk &&
               a->ttl_end_rs == b->ttl_end_rs && a->ttl_ds == b->ttl_ds && a->ttl_dk == b->ttl_dk &&
               a->ttl_rs == b->ttl_rs && a->roll_ksk_now == b->roll_ksk_now &&
               a->roll_zsk_now == b->roll_zsk_now && a->roll_csk_now == b->roll_csk_now &&
               a->next_ksk_roll == b->next_ksk_roll && a->next_zsk_roll == b->next_zsk_roll &&
               a->next_csk_roll == b->next_csk_roll &&
               a->signconf_needs_writing == b->signconf_needs_writing &&
               a->next_change == b->next_change;
    for (size_t i = 0; same && i < a->oldest.nrs; i++)
        same = a->oldest.rs[i].algorithm == b->oldest.rs[i].algorithm &&
               a->oldest.rs[i].oldest == b->oldest.rs[i].oldest;
    for (size_t i = 0; same && i < a->nkeys; i++) {
        const enf_key_t *k = enf_zone_find_key(b, a->keys[i].id);
        same = k && same_key(&a->keys[i], k);
    }
    return same;
}

static enf_zone_t *make_zone(void)
{
    enf_zone_t *z = enf_zone_new("example.com");
    enf_key_t k;
    fill_key(&k, 11, ENF_ROLE_KSK, "aa01", 1);
    enf_zone_add_key(z, &k);
    fill_key(&k, 12, ENF_ROLE_ZSK, "aa02", 2);
    enf_zone_add_key(z, &k);
    z->order = 99;
    z->oldest.ds = 3, z->oldest.dk = 4;
    z->oldest.rs[0].algorithm = 13, z->oldest.rs[0].oldest = 5;
    z->oldest.rs[1].algorithm = 8, z->oldest.rs[1].oldest = 6;
    z->oldest.nrs = 2;
    z->ttl_end_ds = 7, z->ttl_end_dk = 8, z->ttl_end_rs = 9;
    z->ttl_ds = 10, z->ttl_dk = 11, z->ttl_rs = 12;
    z->roll_zsk_now = 1;
    z->next_ksk_roll = 13, z->next_zsk_roll = 14, z->next_csk_roll = 15;
    z->signconf_needs_writing = 1;
    z->next_change = 16;
    return z;
}

static void test_zone_state(void)
{
    char path[512];
    ods_err_t err;
    enf_store_t *s;
    db_path(path, sizeof(path), "z.db");
    if (enf_store_open(path, &s, &err) != ODS_OK) {
        ok(0, "open: %s", err.msg);
        return;
    }
    int64_t pid = add_policy(s, "default");
    add_hsmkey(s, "AA01", ENF_HSMKEY_PRIVATE);
    add_hsmkey(s, "aa02", ENF_HSMKEY_PRIVATE);
    add_hsmkey(s, "aa03", ENF_HSMKEY_PRIVATE);
    enf_zone_info_t zi = { .policy_id = pid,
                           .signconf = "/sc",
                           .input_type = 1,
                           .input = "/in",
                           .output_type = 2,
                           .output = "/out",
                           .next_change = 50 };
    snprintf(zi.name, sizeof(zi.name), "example.com");
    is_int(enf_store_zone_insert(s, &zi, &err), ODS_OK, "zone inserted");
    enf_zone_info_t got;
    is_int(enf_store_zone_get(s, "example.com", &got, &err), ODS_OK, "and found by name");
    ok(got.id == zi.id && got.policy_id == pid && strcmp(got.input, "/in") == 0 &&
           got.output_type == 2 && got.next_change == 50,
       "with its policy, adapters and next change");
    enf_zone_info_clear(&got);
    is_int(enf_store_zone_get(s, "nope.example", &got, &err), ODS_ENOTFOUND, "unknown zone");

    enf_zone_t *z = make_zone(), *back = NULL;
    enf_store_begin(s, &err);
    is_int(enf_store_zone_save(s, zi.id, z, NULL, &err), ODS_OK, "engine state saved: %s", err.msg);
    enf_store_commit(s, &err);
    is_int(enf_store_zone_load(s, zi.id, "example.com", &back, &err), ODS_OK, "and loaded");
    ok(back && same_zone(z, back), "every field of the zone, its keys and records round-trips");
    int64_t max = 0;
    enf_store_key_max_id(s, &max, &err);
    is_int(max, 12, "the largest key id is known");

    enf_zone_t *before = enf_zone_copy(back);
    enf_key_t k3;
    fill_key(&k3, 13, ENF_ROLE_ZSK, "aa03", 3);
    enf_zone_add_key(back, &k3);
    enf_zone_remove_key(back, 11);
    enf_zone_find_key(back, 12)->rec[ENF_REC_RRSIG].state = ENF_UNRETENTIVE;
    enf_zone_find_key(back, 12)->ds_at_parent = ENF_DSP_SEEN;
    back->oldest.rs[0].oldest = 77;
    enf_store_begin(s, &err);
    is_int(enf_store_zone_save(s, zi.id, back, before, &err), ODS_OK, "changes saved");
    enf_store_commit(s, &err);
    enf_zone_t *again = NULL;
    enf_store_zone_load(s, zi.id, "example.com", &again, &err);
    ok(again && same_zone(back, again), "added, removed and changed keys come back");
    is_int(query_int(s, "SELECT COUNT(*) FROM key_states"), 8, "removed keys lose their states");

    size_t n;
    unsigned seen = 1u << ENF_DSP_SEEN;
    int64_t *ids = NULL;
    enf_store_zones_with_ds(s, seen, &ids, &n, &err);
    ok(n == 1 && ids[0] == zi.id, "zones with a DS in a given state are found");
    free(ids);
    enf_store_zone_due(s, 15, 10, &ids, &n, &err);
    is_int(n, 0, "not due before next_change");
    free(ids);
    enf_store_zone_due(s, 16, 10, &ids, &n, &err);
    is_int(n, 1, "due at next_change (saved with the state)");
    free(ids);
    time_t next;
    enf_store_zone_set_next(s, zi.id, 0, 2000, &err);
    enf_store_zone_next(s, &next, &err);
    is_int(next, 2000, "the earliest next change is found");
    is_int(enf_store_zone_delete(s, zi.id, &err), ODS_OK, "zone deleted");
    is_int(query_int(s, "SELECT COUNT(*) FROM keys"), 0, "with its keys");
    enf_zone_free(z);
    enf_zone_free(back);
    enf_zone_free(before);
    enf_zone_free(again);
    enf_store_close(s);
}

static int count_cb(void *arg, const enf_hsmkey_t *k)
{
    (*(int *)arg)++;
    return 0;
}

static void test_key_pool(void)
{
    char path[512];
    ods_err_t err;
    enf_store_t *s;
    db_path(path, sizeof(path), "k.db");
    if (enf_store_open(path, &s, &err) != ODS_OK) {
        ok(0, "open: %s", err.msg);
        return;
    }
    int64_t pid = add_policy(s, "p");
    add_hsmkey(s, "b1", ENF_HSMKEY_UNUSED);
    add_hsmkey(s, "b22", ENF_HSMKEY_UNUSED);
    add_hsmkey(s, "b333", ENF_HSMKEY_UNUSED);
    enf_hsmkey_t k;
    is_int(enf_store_hsmkey_take(s, "SoftHSM", 13, 256, &k, &err), ODS_OK, "an unused key");
    is_str(k.locator, "b1", "the oldest first");
    ok(k.publen == 68 && k.pubkey[0] == 0xab, "with its public key");
    is_int(enf_store_hsmkey_take(s, "SoftHSM", 8, 2048, &k, &err), ODS_ENOTFOUND,
           "none of another shape");
    enf_store_hsmkey_get(s, "B1", &k, &err);
    enf_store_hsmkey_assign(s, k.id, ENF_HSMKEY_SHARED, pid, ENF_ROLE_KSK, &err);
    size_t n;
    enf_store_hsmkey_count(s, "SoftHSM", 13, 256, ENF_HSMKEY_UNUSED, &n, &err);
    is_int(n, 2, "two unused keys left");
    int found = 0;
    enf_store_hsmkey_shared(s, pid, ENF_ROLE_KSK, "SoftHSM", 13, 256, 0, count_cb, &found, &err);
    is_int(found, 1, "the shared key is offered to other zones");
    found = 0;
    enf_store_hsmkey_shared(s, pid, ENF_ROLE_ZSK, "SoftHSM", 13, 256, 0, count_cb, &found, &err);
    is_int(found, 0, "but not for another role");
    enf_store_hsmkey_release(s, 5, &err);
    enf_store_hsmkey_get(s, "b1", &k, &err);
    is_int(k.state, ENF_HSMKEY_DELETE, "a used key no zone refers to is released");
    enf_store_exec(s, "UPDATE hsm_keys SET backup = 1", &err);
    size_t changed, c[4];
    enf_store_hsmkey_backup(s, "SoftHSM", ENF_BACKUP_REQUIRED, ENF_BACKUP_REQUESTED, &changed,
                            &err);
    is_int(changed, 3, "backup prepare marks the keys");
    enf_store_hsmkey_backup(s, "SoftHSM", ENF_BACKUP_REQUESTED, ENF_BACKUP_DONE, &changed, &err);
    enf_store_hsmkey_backup_counts(s, NULL, c, &err);
    ok(c[ENF_BACKUP_DONE] == 3 && c[ENF_BACKUP_REQUIRED] == 0, "and commit backs them up");
    found = 0;
    enf_store_hsmkey_foreach(s, -1, 0, count_cb, &found, &err);
    is_int(found, 3, "every key is listed");
    enf_store_begin(s, &err);
    is_int(enf_store_wipe(s, &err), ODS_OK, "wipe");
    enf_store_commit(s, &err);
    enf_store_hsmkey_count(s, NULL, 0, 0, -1, &n, &err);
    is_int(n, 0, "leaves an empty pool");
    enf_store_close(s);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "%s/enf-store-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return tap_done();
    }
    test_open_and_migrate();
    test_policies();
    test_zone_state();
    test_key_pool();
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return tap_done();
}
