/*
 * sgn_run end to end on a small zone with a real SoftHSMv2 token and a
 * signing pool of two threads, on a frozen clock: a fresh sign, quiet
 * re-runs that publish nothing, an input change, signer configuration
 * changes (a key pre-published, then active), NSEC3, Passthrough, the zone
 * going unsigned (no key published) and back, `clear`, a restart restoring
 * from the state file and the published zone, forced serials, bad input and
 * a serial conflict (the published zone untouched). Every signed zone
 * published is checked by ../shared/tools/verify-zone at the signer's time, and its
 * records are read back with ldns for the structural checks.
 */
#include "tap.h"

#include "sgn_check.h"
#include "sgn_state.h"
#include "sgn_test.h"
#include "sgn_zone.h"

#include "util/clock.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T0 1700000000

static st_env_t env;
static sgn_pool_t *pool;
static char ksk[ODS_HSM_LOCATOR_LEN + 1], zsk[ODS_HSM_LOCATOR_LEN + 1],
    zsk2[ODS_HSM_LOCATOR_LEN + 1];
static char signconf[1200], input[1200], output[1200], notify_cmd[2600];

static const char *INPUT = "$ORIGIN example.com.\n$TTL 3600\n"
                           "@ SOA ns1 hostmaster 2024010100 7200 3600 1209600 900\n"
                           "@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nmail MX 10 ns1\n"
                           "sub NS ns.sub\nns.sub A 192.0.2.53\n* TXT \"wild\"\n";

/* ---- what was published, read back with ldns ---- */

typedef struct out {
    bool ok;
    uint32_t serial, soa_ttl, soa_min;
    int rrsig, dnskey, nsec, nsec3, nsec3param, deleg_sigs, records;
    bool ftp;
} out_t;

static out_t read_output(void)
{
    out_t o = { 0 };
    FILE *f = fopen(output, "r");
    ldns_zone *z = NULL;
    ldns_rdf *origin = ldns_dname_new_frm_str("example.com.");
    ldns_rdf *sub = ldns_dname_new_frm_str("sub.example.com.");
    ldns_rdf *glue = ldns_dname_new_frm_str("ns.sub.example.com.");
    ldns_rdf *ftp = ldns_dname_new_frm_str("ftp.example.com.");
    if (f && ldns_zone_new_frm_fp(&z, f, origin, 3600, LDNS_RR_CLASS_IN) == LDNS_STATUS_OK) {
        ldns_rr *soa = ldns_zone_soa(z);
        o.ok = soa != NULL;
        if (soa) {
            o.serial = ldns_rdf2native_int32(ldns_rr_rdf(soa, 2));
            o.soa_min = ldns_rdf2native_int32(ldns_rr_rdf(soa, 6));
            o.soa_ttl = ldns_rr_ttl(soa);
        }
        ldns_rr_list *rrs = ldns_zone_rrs(z);
        o.records = (int)ldns_rr_list_rr_count(rrs) + 1;
        for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
            ldns_rr *rr = ldns_rr_list_rr(rrs, i);
            ldns_rdf *owner = ldns_rr_owner(rr);
            switch (ldns_rr_get_type(rr)) {
            case LDNS_RR_TYPE_RRSIG:
                o.rrsig++;
                if (ldns_dname_compare(owner, glue) == 0 ||
                    (ldns_dname_compare(owner, sub) == 0 &&
                     ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == LDNS_RR_TYPE_NS))
                    o.deleg_sigs++;
                break;
            case LDNS_RR_TYPE_DNSKEY:
                o.dnskey++;
                break;
            case LDNS_RR_TYPE_NSEC:
                o.nsec++;
                break;
            case LDNS_RR_TYPE_NSEC3:
                o.nsec3++;
                break;
            case LDNS_RR_TYPE_NSEC3PARAM:
                o.nsec3param++;
                break;
            default:
                o.ftp |= ldns_dname_compare(owner, ftp) == 0;
                break;
            }
        }
    }
    if (f)
        fclose(f);
    ldns_zone_deep_free(z);
    ldns_rdf_deep_free(origin);
    ldns_rdf_deep_free(sub);
    ldns_rdf_deep_free(glue);
    ldns_rdf_deep_free(ftp);
    return o;
}

/* ../shared/tools/verify-zone (every independent validator and its chain checks) on
 * the published zone at time t; 0 when it validates. The signer's clock is set in
 * 2023 here, and dnssec-verify has no time option (it judges by the real clock), so
 * it is the one validator left out; the tool says so itself. */
static int verify(time_t t, const char *what)
{
    char cmd[4096];
    const char *root = getenv("ODS_SOURCE_ROOT") ? getenv("ODS_SOURCE_ROOT") : "..";
    snprintf(cmd, sizeof(cmd),
             "'%s/../shared/tools/verify-zone' '%s' example.com --now %lld --skip dnssec-verify "
             "> '%s' 2>&1",
             root, output, (long long)t, st_path(&env, "verify.log"));
    int status = system(cmd);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (!ok(rc == 0, "%s: verify-zone validates the published zone at %lld", what, (long long)t)) {
        char *log = st_read(st_path(&env, "verify.log"));
        tap_diag("%s", log ? log : "(no output)");
        free(log);
    }
    return rc;
}

/* ---- configuration ---- */

typedef struct keyuse {
    const char *loc;
    uint16_t flags;
    bool ksk, zsk, publish;
} keyuse_t;

static int write_signconf(const keyuse_t *k, size_t n, int denial, int serial, bool passthrough)
{
    ods_signconf_t *sc = st_signconf("example.com");
    ods_err_t err = { 0 };
    sc->denial = denial;
    sc->serial = serial;
    sc->passthrough = passthrough;
    sc->soa_ttl = 1800;
    sc->soa_minimum = 600;
    for (size_t i = 0; i < n; i++)
        st_signconf_key(sc, k[i].loc, 13, k[i].flags, k[i].ksk, k[i].zsk, k[i].publish);
    int rc = ods_signconf_write(sc, signconf, &err);
    if (rc != ODS_OK)
        tap_diag("signconf: %s", err.msg);
    ods_signconf_free(sc);
    return rc;
}

static const keyuse_t KZ[] = { { ksk, 257, true, false, true }, { zsk, 256, false, true, true } };
static const keyuse_t KZ_PRE[] = { { ksk, 257, true, false, true },
                                   { zsk, 256, false, true, true },
                                   { zsk2, 256, false, false, true } };
static const keyuse_t KZZ[] = { { ksk, 257, true, false, true },
                                { zsk, 256, false, true, true },
                                { zsk2, 256, false, true, true } };
static const keyuse_t NONE[] = { { ksk, 257, false, false, false },
                                 { zsk, 256, false, false, false } };

/* ---- runs ---- */

static int notify_count(void)
{
    char *text = st_read(st_path(&env, "notify.out"));
    int n = 0;
    for (char *p = text; p && *p; p++)
        n += *p == '\n';
    free(text);
    return n;
}

static int run(sgn_zone_t *zs, sgn_stats_t *st, ods_err_t *err)
{
    sgn_run_opts_t o = { .notify_cmd = notify_cmd };
    ods_err_clear(err);
    return sgn_run(zs, &o, pool, env.ctx, st, err);
}

static int run_forced(sgn_zone_t *zs, uint32_t serial, sgn_stats_t *st, ods_err_t *err)
{
    sgn_run_opts_t o = { .forced_serial = true, .serial = serial, .notify_cmd = notify_cmd };
    ods_err_clear(err);
    return sgn_run(zs, &o, pool, env.ctx, st, err);
}

static void file_stamp(struct stat *sb)
{
    if (stat(output, sb) != 0)
        memset(sb, 0, sizeof(*sb));
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_size == b->st_size;
}

/* The zone is quiet: a run publishes nothing. */
static void quiet(sgn_zone_t *zs, const char *what)
{
    sgn_stats_t st;
    ods_err_t err;
    struct stat before, after;
    int notified = notify_count();
    file_stamp(&before);
    int rc = run(zs, &st, &err);
    file_stamp(&after);
    ok(rc == ODS_OK && !st.published && st.sig_new == 0 && same_file(&before, &after) &&
           notify_count() == notified,
       "%s: nothing to do, nothing published, no notify (%s)", what, err.msg);
}

static void test_fresh(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    ok(run(zs, &st, &err) == ODS_ESTATE && strstr(err.msg, "waiting for its signer configuration"),
       "no signer configuration yet: the zone waits (%s)", err.msg);
    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    int rc = run(zs, &st, &err);
    out_t o = read_output();
    ok(rc == ODS_OK && st.published && st.reread && st.serial == 2024010101,
       "fresh sign: published with serial %u (counter: input + 1) (%s)", st.serial, err.msg);
    ok(o.ok && o.serial == 2024010101 && o.soa_ttl == 1800 && o.soa_min == 600,
       "the SOA has the serial, TTL and MINIMUM of the signer configuration");
    ok(o.dnskey == 2 && o.nsec == 6 && o.nsec3 == 0 && o.deleg_sigs == 0,
       "2 DNSKEYs, 6 NSECs, no signature on delegation NS or glue");
    ok(st.sig_new > 0 && (int)st.sig_new == o.rrsig && st.sig_reused == 0,
       "every published signature is new (%u)", st.sig_new);
    verify(T0, "fresh sign");
    ok(sgn_check_zone(zs->zone, T0, 1, zs->keys, NULL, &err) == ODS_OK,
       "the zone in memory passes the signer's check with every signature verified (%s)", err.msg);
    sgn_state_t state;
    ok(sgn_state_load(zs->state_path, &state, &err) == ODS_OK && state.have_outbound &&
           state.outbound == 2024010101 && state.inbound == 2024010100 && state.published == T0,
       "the state file records the serials and the time");
    char *args = st_read(st_path(&env, "notify.out"));
    char want[2600];
    snprintf(want, sizeof(want), "[example.com][%s]\n", output);
    is_str(args, want, "NotifyCommand ran once with %%zone and %%zonefile");
    free(args);

    ods_clock_advance(60);
    quiet(zs, "a minute later");
    ods_clock_advance(2 * 86400);
    quiet(zs, "two days later (before Refresh)");
}

static void test_changes(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    char text[4096];
    snprintf(text, sizeof(text), "%sftp A 192.0.2.9\n", INPUT);
    st_write(input, text);
    ods_clock_advance(60);
    int rc = run(zs, &st, &err);
    out_t o = read_output();
    /* new: SOA (serial), ftp A, ftp NSEC, and the NSEC before ftp (its next name changed) */
    ok(rc == ODS_OK && st.published && st.reread && st.sig_new == 4 &&
           (int)st.sig_reused == o.rrsig - 4 && o.ftp,
       "input change: %u new signatures, %u reused (%s)", st.sig_new, st.sig_reused, err.msg);
    ok(st.serial == 2024010102 && o.serial == st.serial,
       "the serial moves on from the published one (%u)", o.serial);
    verify(ods_clock_now(), "input change");
    quiet(zs, "after the input change");

    /* a ZSK pre-published: the DNSKEY RRset changes, nothing else */
    write_signconf(KZ_PRE, 3, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    o = read_output();
    ok(rc == ODS_OK && st.published && !st.reread && st.sig_new == 2 && o.dnskey == 3,
       "a key pre-published: 3 DNSKEYs, %u new signatures (DNSKEY and SOA) (%s)", st.sig_new,
       err.msg);
    verify(ods_clock_now(), "key pre-published");
    quiet(zs, "after the signer configuration change");

    /* the new ZSK becomes active too: every RRset the ZSKs sign gets its signature */
    write_signconf(KZZ, 3, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    int before = read_output().rrsig;
    rc = run(zs, &st, &err);
    o = read_output();
    ok(rc == ODS_OK && st.published && o.rrsig == 2 * before - 1 &&
           (int)st.sig_new == o.rrsig - before + 1,
       "a second ZSK active: %d signatures (was %d), %u new (%s)", o.rrsig, before, st.sig_new,
       err.msg);
    verify(ods_clock_now(), "second ZSK active");

    /* NSEC3 */
    write_signconf(KZ, 2, ODS_DENIAL_NSEC3, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    o = read_output();
    ok(rc == ODS_OK && st.published && st.nsec3 && o.nsec == 0 && o.nsec3 == 7 &&
           o.nsec3param == 1 && o.dnskey == 2,
       "NSEC3: 7 NSEC3 records and NSEC3PARAM instead of NSEC (%s)", err.msg);
    verify(ods_clock_now(), "NSEC3");
    quiet(zs, "NSEC3, quiet");
    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    o = read_output();
    ok(rc == ODS_OK && o.nsec == 7 && o.nsec3 == 0 && o.nsec3param == 0, "back to NSEC (%s)",
       err.msg);
    verify(ods_clock_now(), "back to NSEC");
}

/* Published as read: the input's records only, with the new SOA. */
static void test_unsigned(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    uint32_t serial = read_output().serial;
    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, true);
    ods_clock_advance(60);
    int rc = run(zs, &st, &err);
    out_t o = read_output();
    ok(rc == ODS_OK && st.published && st.passthrough && o.rrsig == 0 && o.dnskey == 0 &&
           o.nsec == 0 && o.records == 9 && o.serial == serial + 1,
       "Passthrough: the 9 input records, unsigned, serial %u (%s)", o.serial, err.msg);
    quiet(zs, "Passthrough, quiet");

    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    o = read_output();
    ok(rc == ODS_OK && st.published && !st.passthrough && o.rrsig > 0 && o.dnskey == 2,
       "signed again (%s)", err.msg);
    verify(ods_clock_now(), "signed again after Passthrough");

    write_signconf(NONE, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    o = read_output();
    ok(rc == ODS_OK && st.published && o.rrsig == 0 && o.dnskey == 0 && o.nsec == 0 &&
           o.records == 9,
       "no key published (the zone goes insecure): published as read (%s)", err.msg);
    quiet(zs, "unsigned, quiet");

    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    ok(rc == ODS_OK && st.published && read_output().rrsig > 0, "keys published again: signed");
    verify(ods_clock_now(), "secure again");
}

static time_t cleared; /* when everything was last signed anew */

static void test_clear(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    sgn_zone_clear(zs);
    ok(access(zs->state_path, F_OK) != 0, "clear: the state file is gone");
    ods_clock_advance(60);
    cleared = ods_clock_now();
    int rc = run(zs, &st, &err);
    out_t o = read_output();
    ok(rc == ODS_OK && st.published && st.sig_reused == 0 && (int)st.sig_new == o.rrsig,
       "after clear everything is signed anew (%u signatures)", st.sig_new);
    ok(access(zs->state_path, F_OK) == 0, "the state file is written again");
    verify(ods_clock_now(), "after clear");
}

/* A new sgn_zone_t for the same zone, as after a restart of the daemon. */
static sgn_zone_t *restart(sgn_zone_t *zs, const char *state_dir)
{
    sgn_zone_free(zs);
    sgn_zone_t *n = NULL;
    ods_err_t err;
    if (sgn_zone_new("example.com", signconf, input, output, state_dir, &n, &err) != ODS_OK)
        tap_diag("sgn_zone_new: %s", err.msg);
    return n;
}

static sgn_zone_t *test_restart(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    out_t before = read_output();
    zs = restart(zs, env.dir);
    if (!ok(zs != NULL && sgn_zone_restore(zs, &err) == ODS_OK, "restart: state restored (%s)",
            zs ? err.msg : "no zone"))
        return zs;
    ods_clock_advance(60);
    int rc = run(zs, &st, &err);
    out_t o = read_output();
    ok(rc == ODS_OK && st.published && o.serial == before.serial + 1,
       "the first run after the restart publishes serial %u (the last was %u) (%s)", o.serial,
       before.serial, err.msg);
    ok(st.sig_new == 1 && (int)st.sig_reused == o.rrsig - 1,
       "every signature reused but the SOA's (%u new, %u reused)", st.sig_new, st.sig_reused);
    verify(ods_clock_now(), "after the restart");
    quiet(zs, "after the restart, quiet");

    sgn_zone_t *other = NULL;
    char dir[1300];
    snprintf(dir, sizeof(dir), "%s/none", env.dir);
    mkdir(dir, 0700);
    ok(sgn_zone_new("example.com", signconf, input, output, dir, &other, &err) == ODS_OK &&
           sgn_zone_restore(other, &err) == ODS_ENOTFOUND,
       "restore without a state file: ODS_ENOTFOUND");
    sgn_zone_free(other);
    other = NULL;
    char path[1400];
    snprintf(path, sizeof(path), "%s/example.com.state", dir);
    st_write(path, "garbage\n");
    ok(sgn_zone_new("example.com", signconf, input, output, dir, &other, &err) == ODS_OK &&
           sgn_zone_restore(other, &err) == ODS_EPARSE,
       "restore from a corrupt state file: refused (%s)", err.msg);
    sgn_zone_free(other);
    return zs;
}

static void test_refusals(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    struct stat before, after;
    uint32_t serial = read_output().serial;

    ods_clock_advance(60);
    int rc = run_forced(zs, serial + 1000, &st, &err);
    ok(rc == ODS_OK && st.published && read_output().serial == serial + 1000,
       "forced serial %u published", serial + 1000);
    verify(ods_clock_now(), "forced serial");
    file_stamp(&before);
    rc = run_forced(zs, serial, &st, &err);
    file_stamp(&after);
    ok(rc == ODS_ECONFLICT && strstr(err.msg, "not ahead") && same_file(&before, &after),
       "a forced serial behind the published one: refused, nothing published (%s)", err.msg);

    /* keep: the input serial is behind the published serial */
    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_KEEP, false);
    ods_clock_advance(60);
    file_stamp(&before);
    rc = run(zs, &st, &err);
    file_stamp(&after);
    ok(rc == ODS_ECONFLICT && strstr(err.msg, "cannot keep") && same_file(&before, &after),
       "keep with an input serial behind: refused, the published zone untouched (%s)", err.msg);
    write_signconf(KZ, 2, ODS_DENIAL_NSEC, ODS_SERIAL_COUNTER, false);

    /* bad input: reported with file and line, the published zone untouched */
    char text[4096];
    snprintf(text, sizeof(text), "%sbad A 300.1.2.3\n", INPUT);
    st_write(input, text);
    ods_clock_advance(60);
    file_stamp(&before);
    rc = run(zs, &st, &err);
    file_stamp(&after);
    char where[1300];
    snprintf(where, sizeof(where), "%s:11", input);
    ok(rc != ODS_OK && strstr(err.msg, where) && same_file(&before, &after),
       "bad input: refused with file:line, the published zone untouched (%s)", err.msg);
    st_write(input, INPUT);
    ods_clock_advance(60);
    rc = run(zs, &st, &err);
    ok(rc == ODS_OK && st.published && !read_output().ftp, "fixed input: published (%s)", err.msg);
    verify(ods_clock_now(), "fixed input");

    /* input gone */
    unlink(input);
    rc = run(zs, &st, &err);
    ok(rc == ODS_ENOTFOUND && strstr(err.msg, input), "input gone: ODS_ENOTFOUND (%s)", err.msg);
    st_write(input, INPUT); /* a new file: read again */
    rc = run(zs, &st, &err);
    ok(rc == ODS_OK && st.reread && st.published && st.sig_new == 1,
       "input back: read again, only the SOA re-signed (%u) (%s)", st.sig_new, err.msg);
}

/* The NSEC signatures made at `clear` (Denial validity 7 days) are due 4 days later. */
static void test_refresh(sgn_zone_t *zs)
{
    sgn_stats_t st;
    ods_err_t err;
    ods_clock_freeze(cleared + 4 * 86400 - 1);
    quiet(zs, "a second before the NSEC signatures are due (expiration - Refresh)");
    ods_clock_freeze(cleared + 4 * 86400);
    int rc = run(zs, &st, &err);
    out_t o = read_output();
    ok(rc == ODS_OK && st.published && st.sig_new > 1 && (int)st.sig_new < o.rrsig,
       "at expiration - Refresh: %u of %d signatures renewed (%s)", st.sig_new, o.rrsig, err.msg);
    verify(ods_clock_now(), "after the refresh");
    verify(ods_clock_now() + 3 * 86400, "three days after the refresh");
}

int main(void)
{
    char why[1024] = "";
    ods_err_t err = { 0 };
    sgn_zone_t *zs = NULL;
    if (!ok(st_env_open(&env, "sgnrun", true, why, sizeof(why)) == 0, "token (%s)", why) ||
        !ok(st_keygen(&env, 13, ksk) == 0 && st_keygen(&env, 13, zsk) == 0 &&
                st_keygen(&env, 13, zsk2) == 0,
            "keys") ||
        !ok(sgn_pool_new(env.hsm, 2, &pool, &err) == ODS_OK, "signing pool (%s)", err.msg)) {
        st_env_close(&env);
        return tap_done();
    }
    snprintf(signconf, sizeof(signconf), "%s", st_path(&env, "example.com.xml"));
    snprintf(input, sizeof(input), "%s", st_path(&env, "example.com.zone"));
    snprintf(output, sizeof(output), "%s", st_path(&env, "example.com.signed"));
    const char *script = st_path(&env, "notify.sh");
    st_write(script,
             "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done "
             ">> \"$(dirname \"$0\")/notify.out\"\necho >> \"$(dirname \"$0\")/notify.out\"\n");
    chmod(script, 0755);
    snprintf(notify_cmd, sizeof(notify_cmd), "%s %%zone %%zonefile", script);
    st_write(input, INPUT);
    ods_clock_freeze(T0);
    if (ok(sgn_zone_new("example.com", signconf, input, output, env.dir, &zs, &err) == ODS_OK,
           "zone (%s)", err.msg)) {
        test_fresh(zs);
        test_changes(zs);
        test_unsigned(zs);
        test_clear(zs);
        zs = test_restart(zs);
        test_refusals(zs);
        test_refresh(zs);
    }
    sgn_zone_free(zs);
    sgn_pool_free(pool);
    ods_clock_reset();
    st_env_close(&env);
    return tap_done();
}
