/*
 * fuzz_conf.c -- fuzz target for the configuration loaders (common/conf):
 * conf.xml, kasp.xml, zonelist.xml and signer configurations.
 *
 * Input: byte 0 chooses the loader; the rest is the file. Bits 0-1 of byte 0:
 * 0 conf.xml (ods_conf_load), 1 kasp.xml (ods_kasp_load), 2 zonelist.xml
 * (ods_zonelist_load), 3 signconf (ods_signconf_load). Bit 2 loads kasp.xml
 * against the shipped conf/conf.xml (repository names checked) and
 * zonelist.xml against the shipped conf/kasp.xml (policy names checked).
 * Seeds start with a digit ('0'..'7'), so they stay readable text.
 *
 * The file is written to a private temp directory, where relative paths in it
 * (PINFile, zone files) resolve. Checked properties (abort on violation):
 *  - a rejected file returns ODS_EIO, ODS_EPARSE or ODS_ECONFIG with at least
 *    one ERROR, and every ERROR names the file; the one-line error (ods_err_t)
 *    names it too;
 *  - an accepted file has no ERROR; every diagnostic has a message;
 *  - conf.xml: each repository is found by its name, and no diagnostic shows
 *    a PIN (that is long enough to be redacted and has no '*');
 *  - kasp.xml, zonelist.xml and signconf: what was loaded can be written,
 *    and loading what was written gives equal values.
 * Everything is freed on every path (LeakSanitizer checks).
 */
#include "conf/conf.h"
#include "conf/diag.h"
#include "conf/kasp.h"
#include "conf/signconf.h"
#include "conf/zonelist.h"
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ODS_FUZZ_CONF_DIR
#error "ODS_FUZZ_CONF_DIR (the shipped example configuration) must be defined"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { KIND_CONF, KIND_KASP, KIND_ZONELIST, KIND_SIGNCONF };

static char dir[256];
static ods_conf_t *shipped_conf;
static ods_kasp_t *shipped_kasp;

static void fail(const char *what, int line)
{
    fprintf(stderr, "fuzz_conf.c:%d: violated: %s\n", line, what);
    abort();
}

#define require(cond) ((cond) ? (void)0 : fail(#cond, __LINE__))

static void cleanup(void)
{
    static const char *const names[] = { "in.xml", "out.xml" };
    char path[300];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    ods_kasp_free(shipped_kasp);
    ods_conf_free(shipped_conf);
}

/* The shipped conf.xml and kasp.xml, the context for bit 2 of the selector. */
static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/ods-fuzz-conf-XXXXXX", tmp ? tmp : "/tmp");
    require(mkdtemp(dir) != NULL);
    require(ods_conf_load(ODS_FUZZ_CONF_DIR "/conf.xml", &shipped_conf, NULL) == ODS_OK);
    require(ods_kasp_load(ODS_FUZZ_CONF_DIR "/kasp.xml", shipped_conf, &shipped_kasp, NULL) ==
            ODS_OK);
    atexit(cleanup);
}

static void tmp_path(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "w");
    require(f != NULL);
    require(size == 0 || fwrite(data, 1, size, f) == size);
    require(fclose(f) == 0);
}

static int str_same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Every diagnostic has a message; every ERROR names the file loaded. */
static void check_diag(const ods_diag_t *diag, const char *path)
{
    for (size_t i = 0; i < ods_diag_count(diag); i++) {
        const ods_diag_entry_t *e = ods_diag_get(diag, i);
        require(e->message != NULL && e->message[0] != '\0');
        if (e->severity == ODS_DIAG_ERROR)
            require(str_same(e->file, path));
    }
}

static void check_result(int rc, const ods_diag_t *diag, const char *path)
{
    check_diag(diag, path);
    if (rc == ODS_OK) {
        require(!ods_diag_has_errors(diag));
        return;
    }
    require(rc == ODS_EIO || rc == ODS_EPARSE || rc == ODS_ECONFIG);
    require(ods_diag_count_severity(diag, ODS_DIAG_ERROR) > 0);
    ods_err_t err = { 0 };
    require(ods_diag_to_err(diag, rc, &err) == rc && strstr(err.msg, path) != NULL);
}

/* Abort with the diagnostics when a file written from a loaded one does not load. */
static void require_reloaded(int rc, const ods_diag_t *diag)
{
    if (rc == ODS_OK)
        return;
    fprintf(stderr, "written file does not load:\n");
    ods_diag_print(diag, stderr);
    abort();
}

/* ---- conf.xml ------------------------------------------------------------ */

static void check_conf(const ods_conf_t *conf, const ods_diag_t *diag)
{
    for (size_t i = 0; i < conf->n_repositories; i++) {
        const ods_conf_repository_t *r = &conf->repositories[i];
        require(ods_conf_find_repository(conf, r->name) == r);
        /* a PIN with '*' may be found in the redaction mark "********" */
        if (r->pin == NULL || strlen(r->pin) < ODS_DIAG_MIN_SECRET || strchr(r->pin, '*'))
            continue;
        for (size_t j = 0; j < ods_diag_count(diag); j++)
            require(strstr(ods_diag_get(diag, j)->message, r->pin) == NULL);
    }
}

static void fuzz_conf(const char *path)
{
    ods_diag_t *diag = ods_diag_new();
    ods_conf_t *conf = NULL;
    require(diag != NULL);
    int rc = ods_conf_load(path, &conf, diag);
    check_result(rc, diag, path);
    if (rc == ODS_OK) {
        check_conf(conf, diag);
        ods_conf_check_env(conf, diag);
        check_diag(diag, path);
    }
    ods_conf_free(conf);
    ods_diag_free(diag);
}

/* ---- kasp.xml ------------------------------------------------------------ */

static void kasp_roundtrip(const ods_kasp_t *kasp, const ods_conf_t *ctx)
{
    char out[300];
    tmp_path("out.xml", out, sizeof(out));
    const ods_policy_t **list = calloc(kasp->n_policies + 1, sizeof(*list));
    require(list != NULL);
    for (size_t i = 0; i < kasp->n_policies; i++)
        list[i] = &kasp->policies[i];
    ods_buf_t buf = ODS_BUF_INIT;
    require(ods_kasp_policies_to_xml(list, kasp->n_policies, &buf) == ODS_OK);
    free(list);
    write_file(out, buf.data, buf.len);
    ods_buf_free(&buf);
    ods_kasp_t *again = NULL;
    ods_diag_t *diag = ods_diag_new();
    require(diag != NULL);
    require_reloaded(ods_kasp_load(out, ctx, &again, diag), diag);
    require(again->n_policies == kasp->n_policies);
    for (size_t i = 0; i < kasp->n_policies; i++)
        require(ods_policy_equal(&kasp->policies[i], &again->policies[i]));
    ods_kasp_free(again);
    ods_diag_free(diag);
}

static void fuzz_kasp(const char *path, const ods_conf_t *ctx)
{
    ods_diag_t *diag = ods_diag_new();
    ods_kasp_t *kasp = NULL;
    require(diag != NULL);
    int rc = ods_kasp_load(path, ctx, &kasp, diag);
    check_result(rc, diag, path);
    if (rc == ODS_OK) {
        for (size_t i = 0; i < kasp->n_policies; i++)
            require(ods_kasp_find(kasp, kasp->policies[i].name) != NULL);
        kasp_roundtrip(kasp, ctx);
    }
    ods_kasp_free(kasp);
    ods_diag_free(diag);
}

/* ---- zonelist.xml -------------------------------------------------------- */

static int entry_equal(const ods_zonelist_entry_t *a, const ods_zonelist_entry_t *b)
{
    return str_same(a->name, b->name) && str_same(a->policy, b->policy) &&
           str_same(a->signconf, b->signconf) && a->input_type == b->input_type &&
           str_same(a->input, b->input) && a->output_type == b->output_type &&
           str_same(a->output, b->output);
}

static void zonelist_roundtrip(const ods_zonelist_t *zl, const ods_kasp_t *ctx)
{
    char out[300];
    tmp_path("out.xml", out, sizeof(out));
    ods_err_t err = { 0 };
    require(ods_zonelist_write(zl, out, &err) == ODS_OK);
    ods_zonelist_t *again = NULL;
    ods_diag_t *diag = ods_diag_new();
    require(diag != NULL);
    require_reloaded(ods_zonelist_load(out, ctx, &again, diag), diag);
    require(again->n_zones == zl->n_zones);
    for (size_t i = 0; i < zl->n_zones; i++) {
        require(entry_equal(&zl->zones[i], &again->zones[i]));
        require(ods_zonelist_find(again, zl->zones[i].name) == &again->zones[i]);
    }
    ods_zonelist_free(again);
    ods_diag_free(diag);
}

static void fuzz_zonelist(const char *path, const ods_kasp_t *ctx)
{
    ods_diag_t *diag = ods_diag_new();
    ods_zonelist_t *zl = NULL;
    require(diag != NULL);
    int rc = ods_zonelist_load(path, ctx, &zl, diag);
    check_result(rc, diag, path);
    if (rc == ODS_OK)
        zonelist_roundtrip(zl, ctx);
    ods_zonelist_free(zl);
    ods_diag_free(diag);
}

/* ---- signer configuration ------------------------------------------------ */

#define SAME(f) (a->f == b->f)

static int key_equal(const ods_signconf_key_t *a, const ods_signconf_key_t *b)
{
    return SAME(flags) && SAME(algorithm) && str_same(a->locator, b->locator) && SAME(ksk) &&
           SAME(zsk) && SAME(publish) && SAME(deactivate) &&
           str_same(a->resource_record, b->resource_record);
}

static int signconf_equal(const ods_signconf_t *a, const ods_signconf_t *b)
{
    int same = str_same(a->zone, b->zone) && SAME(passthrough) && SAME(resign) && SAME(refresh) &&
               SAME(validity_default) && SAME(validity_denial) && SAME(validity_keyset) &&
               SAME(jitter) && SAME(inception_offset) && SAME(max_zone_ttl) && SAME(denial) &&
               SAME(keys_ttl) && SAME(soa_ttl) && SAME(soa_minimum) && SAME(serial) &&
               SAME(n_keys) && SAME(n_signature_rrs);
    if (same && a->denial == ODS_DENIAL_NSEC3)
        same = SAME(nsec3_optout) && SAME(nsec3_ttl) && SAME(nsec3_algorithm) &&
               SAME(nsec3_iterations) && SAME(nsec3_salt_len) &&
               memcmp(a->nsec3_salt, b->nsec3_salt, a->nsec3_salt_len) == 0;
    for (size_t i = 0; same && i < a->n_keys; i++)
        same = key_equal(&a->keys[i], &b->keys[i]);
    for (size_t i = 0; same && i < a->n_signature_rrs; i++)
        same = str_same(a->signature_rrs[i], b->signature_rrs[i]);
    return same;
}

static void signconf_roundtrip(const ods_signconf_t *sc)
{
    char out[300];
    tmp_path("out.xml", out, sizeof(out));
    ods_err_t err = { 0 };
    if (ods_signconf_write(sc, out, &err) != ODS_OK) {
        fprintf(stderr, "loaded signconf cannot be written: %s\n", err.msg);
        abort();
    }
    ods_signconf_t *again = NULL;
    if (ods_signconf_load(out, &again, &err) != ODS_OK) {
        fprintf(stderr, "written signconf does not load: %s\n", err.msg);
        abort();
    }
    require(signconf_equal(sc, again));
    ods_signconf_free(again);
}

static void fuzz_signconf(const char *path)
{
    ods_signconf_t *sc = NULL;
    ods_err_t err = { 0 };
    int rc = ods_signconf_load(path, &sc, &err);
    if (rc == ODS_OK)
        signconf_roundtrip(sc);
    else
        require((rc == ODS_EIO || rc == ODS_EPARSE || rc == ODS_ECONFIG) &&
                strstr(err.msg, path) != NULL);
    ods_signconf_free(sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (dir[0] == '\0')
        setup();
    char in[300];
    tmp_path("in.xml", in, sizeof(in));
    write_file(in, data + 1, size - 1);
    int context = data[0] & 4;
    switch (data[0] & 3) {
    case KIND_CONF:
        fuzz_conf(in);
        break;
    case KIND_KASP:
        fuzz_kasp(in, context ? shipped_conf : NULL);
        break;
    case KIND_ZONELIST:
        fuzz_zonelist(in, context ? shipped_kasp : NULL);
        break;
    default:
        fuzz_signconf(in);
    }
    return 0;
}
