/*
 * test_scale.c -- many zones with the real enforcerd and SoftHSMv2: add
 * ENF_SCALE_ZONES (default 1000) zones of a ShareKeys policy one by one over
 * the control socket, then ENF_SCALE_IMPORT (default 10000) more with one
 * `zonelist import`, then
 * ENF_SCALE_PRIVATE (default 50) zones with keys of their own, and check
 * that every zone got its KSK and ZSK, its signconf and its place in
 * zones.xml. Times are printed as TAP diagnostics (figures, never asserted).
 *
 * Zones with keys of their own are bound by the HSM's key generation rate
 * (SoftHSMv2's file store slows down as the token fills), so the large runs
 * use ShareKeys, which measures the enforcer itself; bench/enforcer-zones.sh
 * runs the larger figures.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/zonelist.h"
#include "enf_test.h"
#include "tap.h"
#include "util/clock.h"

static et_t t;

#define CMD(out, err, ...) et_cmd(&t, out, err, __VA_ARGS__, NULL)

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void check_keys(int zones, const char *what)
{
    char *out = NULL;
    CMD(&out, NULL, "key", "list", "--verbose", "--parsable", "--all");
    int ksk = et_count_lines(out, ";KSK;"), zsk = et_count_lines(out, ";ZSK;");
    free(out);
    is_int(ksk, zones, "%s: every zone has a KSK", what);
    is_int(zsk, zones, "%s: every zone has a ZSK", what);
    char dir[800];
    snprintf(dir, sizeof(dir), "%s/signconf", t.workdir);
    is_int(count_files(dir), zones, "%s: every zone has a signconf", what);
    snprintf(dir, sizeof(dir), "%s/zones.xml", t.signer_dir);
    ods_zonelist_t *zl = NULL;
    ods_zonelist_load(dir, NULL, &zl, NULL);
    is_int(zl ? (long long)zl->n_zones : -1, zones, "%s: zones.xml lists them all", what);
    ods_zonelist_free(zl);
}

static void add_one_by_one(int first, int n, const char *policy, const char *what)
{
    double start = ods_clock_monotonic();
    int failed = 0;
    for (int i = first; i < first + n; i++) {
        char name[64];
        snprintf(name, sizeof(name), "zone%05d.example", i);
        failed += CMD(NULL, NULL, "zone", "add", "--zone", name, "--policy", policy) != 0;
    }
    double took = ods_clock_monotonic() - start;
    is_int(failed, 0, "%d zone add commands succeed", n);
    tap_diag("%s: added %d zones one by one in %.2f s (%.1f zones/s)", what, n, took, n / took);
    check_keys(first + n, what);
}

static void import_many(int first, int n)
{
    FILE *f;
    char path[800];
    snprintf(path, sizeof(path), "%s/many.xml", t.fx.dir);
    if (!(f = fopen(path, "w"))) {
        ok(0, "write %s", path);
        return;
    }
    fprintf(f, "<?xml version=\"1.0\"?>\n<ZoneList>\n");
    for (int i = first; i < first + n; i++)
        fprintf(f,
                "<Zone name=\"zone%05d.example\"><Policy>shared</Policy><SignerConfiguration>"
                "%s/signconf/zone%05d.example.xml</SignerConfiguration><Adapters><Input><File>"
                "/in/%d</File></Input><Output><File>/out/%d</File></Output></Adapters></Zone>\n",
                i, t.workdir, i, i, i);
    fprintf(f, "</ZoneList>\n");
    fclose(f);
    double start = ods_clock_monotonic();
    char *out = NULL;
    is_int(CMD(&out, NULL, "zonelist", "import", "--file", path), 0, "zonelist import");
    double took = ods_clock_monotonic() - start;
    free(out);
    tap_diag("ShareKeys: imported and settled %d zones in %.2f s (%.0f zones/s)", n, took,
             n / took);
    check_keys(first + n, "after import");
}

int main(void)
{
    const char *env = getenv("ENF_SCALE_ZONES"), *priv = getenv("ENF_SCALE_PRIVATE");
    const char *imp = getenv("ENF_SCALE_IMPORT");
    int n = env ? atoi(env) : 1000, m = priv ? atoi(priv) : 50, k = imp ? atoi(imp) : 10000;
    if (et_init(&t, "scale") != 0 ||
        et_conf(&t, "<AutomaticKeyGenerationPeriod>PT1H</AutomaticKeyGenerationPeriod>", NULL) ||
        et_kasp(&t, ET_POLICY_LAB("default", "") ET_POLICY_LAB("shared", "<ShareKeys/>")) != 0 ||
        et_setup(&t) != 0 || (t.no_leak_check = 1, et_start(&t, NULL)) != 0) {
        ok(0, "fixture and daemon (log %s)", t.log);
        et_cleanup(&t);
        return tap_done();
    }
    add_one_by_one(0, n, "shared", "ShareKeys");
    import_many(n, k);
    add_one_by_one(n + k, m, "default", "own keys");
    is_int(et_stop(&t), 0, "the daemon stops cleanly");
    ok(et_log_clean(&t), "no sanitizer report in the log");
    et_cleanup(&t);
    return tap_done();
}
