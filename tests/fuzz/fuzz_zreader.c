/*
 * fuzz_zreader.c -- fuzz target for the zone file reader and the zone built
 * from it (common/dns: zlex, rdtext, zreader, zload, zsort, denial, rdprint,
 * zwrite).
 *
 * Input: a master file for the zone "example." It is written to a file in a
 * private temp directory (so $INCLUDE resolves there) and loaded with
 * ods_zone_load. Checked properties (abort on violation):
 *  - a rejected file always comes with a message, and a syntax or zone error
 *    names a file (a path);
 *  - a zone that loads has its names in strictly increasing canonical order,
 *    its apex first, and builds NSEC and NSEC3 chains;
 *  - written out and read back, it loads again and writes the very same text
 *    (the writer's output is always readable by the reader, without loss).
 */
#include "dns/denial.h"
#include "dns/zone.h"
#include "dns/zwrite.h"
#include "dnssec/name.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];
static const uint8_t apex[] = "\007example";

static void require(int cond)
{
    if (!cond)
        abort();
}

static void cleanup(void)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/in.zone", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/out.zone", dir);
    unlink(path);
    rmdir(dir);
}

static const char *tmp_path(const char *name)
{
    static char path[2][300];
    static int at;
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "%s/ods-fuzz-zreader-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        require(mkdtemp(dir) != NULL);
        atexit(cleanup);
    }
    char *p = path[at++ % 2];
    snprintf(p, 300, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "w");
    require(f != NULL);
    require(size == 0 || fwrite(data, 1, size, f) == size);
    require(fclose(f) == 0);
}

/* The zone's text as the writer makes it (malloc'd). */
static char *zone_text(const ods_zone_t *z, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    require(f != NULL);
    ods_err_t err;
    require(ods_zone_write(z, f, NULL, &err) == ODS_OK);
    require(fclose(f) == 0);
    return text;
}

static void check_loaded(ods_zone_t *z)
{
    size_t n = ods_zone_count(z);
    require(n > 0 && ods_zone_apex_name(z) == ods_zone_name(z, 0));
    for (size_t i = 1; i < n; i++)
        require(ods_name_compare(ods_zone_name(z, i - 1)->owner, ods_zone_name(z, i)->owner) < 0);
    size_t len, len2;
    char *text = zone_text(z, &len);
    const char *out = tmp_path("out.zone");
    write_file(out, text, len);
    ods_zone_t *z2 = ods_zone_new(apex);
    ods_err_t err = { 0 };
    require(z2 != NULL);
    if (ods_zone_load(z2, out, NULL, NULL, &err) != ODS_OK) {
        fprintf(stderr, "written zone does not load: %s\n", err.msg);
        abort();
    }
    char *text2 = zone_text(z2, &len2);
    require(len == len2 && memcmp(text, text2, len) == 0);
    free(text);
    free(text2);
    /* the chains build on any zone that loads */
    uint8_t salt[1] = { 0xab };
    ods_nsec3_params_t p = { 1, 0, 1, 1, salt };
    require(ods_denial_nsec(z2, 300, &err) == ODS_OK);
    int rc = ods_denial_nsec3(z2, &p, n % 2 == 0, 300, NULL, &err);
    require(rc == ODS_OK || rc == ODS_ECONFLICT);
    ods_zone_free(z2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = tmp_path("in.zone");
    write_file(in, data, size);
    ods_zone_t *z = ods_zone_new(apex);
    require(z != NULL);
    ods_err_t err = { 0 };
    int rc = ods_zone_load(z, in, NULL, NULL, &err);
    if (rc == ODS_OK)
        check_loaded(z);
    else
        require(err.msg[0] != '\0' &&
                ((rc != ODS_EPARSE && rc != ODS_EZONE) || strchr(err.msg, '/') != NULL));
    ods_zone_free(z);
    return 0;
}
