/*
 * sgn_state: the small per-zone state file. Save/load round trips over edge
 * values; a missing file is ODS_ENOTFOUND; corrupt files (wrong magic,
 * missing or malformed fields, numbers out of range, truncation) are
 * refused with a message naming the file, and the output is untouched.
 */
#include "tap.h"

#include "sgn_state.h"
#include "sgn_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static st_env_t env;

static bool same(const sgn_state_t *a, const sgn_state_t *b)
{
    return a->inbound == b->inbound && a->have_outbound == b->have_outbound &&
           a->outbound == b->outbound && a->published == b->published;
}

static void test_roundtrip(void)
{
    static const sgn_state_t v[] = {
        { 2024061500, true, 2024061507, 1718452800 },
        { 0, false, 0, 0 },
        { 0xFFFFFFFF, true, 0xFFFFFFFF, (time_t)0x7FFFFFFF + 1000 },
        { 1, true, 0, -1 },
    };
    const char *path = st_path(&env, "example.com.state");
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sgn_state_t got = { 5, true, 5, 5 };
        ods_err_t err = { 0 };
        int rc = sgn_state_save(path, "example.com", &v[i], &err);
        if (rc == ODS_OK)
            rc = sgn_state_load(path, &got, &err);
        ok(rc == ODS_OK && same(&got, &v[i]),
           "round trip: inbound %u, outbound %u (%d), published %lld (%s)", v[i].inbound,
           v[i].outbound, v[i].have_outbound, (long long)v[i].published, err.msg);
    }
    struct stat sb;
    ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640, "state file mode 0640");
    char *text = st_read(path);
    has_str(text, "zone example.com\n", "the file names its zone");
    free(text);
    is_int(st_entries(env.dir, ".tmp"), 0, "no temporary file left");

    /* a zone name as long as presentation format allows (escaped octets) */
    char name[1100] = "";
    for (int i = 0; i < 60; i++)
        strcat(name, "\\255\\000\\046.");
    strcat(name, "example");
    sgn_state_t got = { 0 }, want = { 7, true, 8, 9 };
    ods_err_t err = { 0 };
    int rc = sgn_state_save(st_path(&env, "long.state"), name, &want, &err);
    if (rc == ODS_OK)
        rc = sgn_state_load(st_path(&env, "long.state"), &got, &err);
    ok(rc == ODS_OK && same(&got, &want), "a %zu-character zone name: saved and loaded (%s)",
       strlen(name), err.msg);
}

/* Load text as a state file: the return code; out must stay untouched on failure. */
static int load_text(const char *text, ods_err_t *err, bool *untouched)
{
    const char *path = st_path(&env, "corrupt.state");
    sgn_state_t st = { 11, true, 12, 13 }, before = st;
    st_write(path, text);
    int rc = sgn_state_load(path, &st, err);
    *untouched = same(&st, &before);
    return rc;
}

static void test_corrupt(void)
{
    static const struct {
        const char *what, *text;
    } bad[] = {
        { "empty file", "" },
        { "wrong magic", "odsng-signer-state 0\nzone x\ninbound 1\noutbound 2\n"
                         "have-outbound 1\npublished 3\n" },
        { "another file", "; a zone file\nexample.com. 3600 IN SOA a b 1 2 3 4 5\n" },
        { "published missing", "odsng-signer-state 1\nzone x\ninbound 1\noutbound 2\n"
                               "have-outbound 1\n" },
        { "truncated", "odsng-signer-state 1\nzone x\ninbound 1\noutbo" },
        { "not a number", "odsng-signer-state 1\nzone x\ninbound one\noutbound 2\n"
                          "have-outbound 1\npublished 3\n" },
        { "serial beyond 2^32", "odsng-signer-state 1\nzone x\ninbound 4294967296\n"
                                "outbound 2\nhave-outbound 1\npublished 3\n" },
        { "negative serial", "odsng-signer-state 1\nzone x\ninbound 1\noutbound -1\n"
                             "have-outbound 1\npublished 3\n" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ods_err_t err = { 0 };
        bool untouched = false;
        int rc = load_text(bad[i].text, &err, &untouched);
        ok(rc == ODS_EPARSE && untouched && strstr(err.msg, "corrupt.state") &&
               strstr(err.msg, "delete it"),
           "%s: refused, output untouched (%s)", bad[i].what, err.msg);
    }
    ods_err_t err = { 0 };
    bool untouched = false;
    int rc = load_text("odsng-signer-state 1\nzone x\npublished 3\nhave-outbound 0\n"
                       "outbound 0\ninbound 42\n",
                       &err, &untouched);
    ok(rc == ODS_OK && !untouched, "fields in any order are read");

    sgn_state_t st = { 1, true, 2, 3 };
    ok(sgn_state_load(st_path(&env, "absent.state"), &st, &err) == ODS_ENOTFOUND && st.inbound == 1,
       "no state file: ODS_ENOTFOUND (a new zone)");
    rc = sgn_state_load(env.dir, &st, &err);
    ok(rc == ODS_EPARSE || rc == ODS_EIO, "a directory instead of a file: refused (%s)", err.msg);
    const char *path = st_path(&env, "unreadable.state");
    sgn_state_t v = { 1, true, 2, 3 };
    sgn_state_save(path, "example.com", &v, NULL);
    chmod(path, 0);
    if (geteuid() == 0) {
        ok(1, "# SKIP an unreadable file cannot be made as root");
    } else {
        ok(sgn_state_load(path, &st, &err) == ODS_EIO && strstr(err.msg, "unreadable.state"),
           "an unreadable file: ODS_EIO naming it (%s)", err.msg);
    }
    ok(sgn_state_save(st_path(&env, "missing/dir.state"), "example.com", &v, &err) == ODS_EIO,
       "saving into a missing directory: ODS_EIO (%s)", err.msg);
}

int main(void)
{
    char why[1024] = "";
    if (!ok(st_env_open(&env, "sgnstate", false, why, sizeof(why)) == 0, "directory (%s)", why)) {
        st_env_close(&env);
        return tap_done();
    }
    test_roundtrip();
    test_corrupt();
    st_env_close(&env);
    return tap_done();
}
