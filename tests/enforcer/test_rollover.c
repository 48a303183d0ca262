/*
 * test_rollover.c -- `time leap` through ZSK and KSK rollovers with the real
 * enforcerd (lab timings: ZSK lifetime 1 h, KSK 4 h, Purge 1 h), answering
 * the DS steps as an operator would. After every leap the zone's signconf
 * is loaded and checked: a published key signs the DNSKEY set, a published
 * key signs the zone, no key signs unless published. Over the run: ZSKs
 * are pre-published (in the DNSKEY set before they sign), a manual KSK
 * rollover signs with the new KSK before its DS is asked for and removes the
 * old KSK only after ds-gone, and purged keys are gone from the HSM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/signconf.h"
#include "enf_test.h"
#include "hsm/ctx.h"
#include "hsm/hsm.h"
#include "hsm/key.h"
#include "tap.h"

static et_t t;

#define CMD(out, err, ...) et_cmd(&t, out, err, __VA_ARGS__, NULL)
#define MAXKEYS            64
#define STEPS              80

typedef struct seen {
    char locator[80];
    int flags;           /* 257 or 256 */
    int first;           /* step first in the signconf */
    int first_sign;      /* step it first signed (-1: never) */
    int published_alone; /* it was published without signing at some step */
    int last;            /* last step in the signconf */
} seen_t;

static seen_t keys[MAXKEYS];
static int nkeys;
static int bad_steps;

static seen_t *track(const char *loc, int flags, int step)
{
    for (int i = 0; i < nkeys; i++)
        if (strcmp(keys[i].locator, loc) == 0)
            return &keys[i];
    if (nkeys == MAXKEYS)
        return NULL;
    seen_t *s = &keys[nkeys++];
    snprintf(s->locator, sizeof(s->locator), "%s", loc);
    s->flags = flags;
    s->first = step;
    s->first_sign = -1;
    return s;
}

/* Check and record the signconf after a step. */
static void observe(int step)
{
    char path[800];
    ods_signconf_t *sc = NULL;
    snprintf(path, sizeof(path), "%s/signconf/r.example.xml", t.workdir);
    if (ods_signconf_load(path, &sc, NULL) != ODS_OK) {
        bad_steps++;
        return;
    }
    int ksk = 0, zsk = 0, unpublished_signer = 0;
    for (size_t i = 0; i < sc->n_keys; i++) {
        const ods_signconf_key_t *k = &sc->keys[i];
        ksk |= k->ksk && k->publish;
        zsk |= k->zsk && k->publish;
        unpublished_signer |= (k->ksk || k->zsk) && !k->publish;
        seen_t *s = track(k->locator, k->flags, step);
        if (!s)
            continue;
        if ((k->ksk || k->zsk) && s->first_sign < 0)
            s->first_sign = step;
        s->published_alone |= k->publish && !k->ksk && !k->zsk;
        if (k->publish || k->ksk || k->zsk)
            s->last = step;
    }
    if (!ksk || !zsk || unpublished_signer) {
        printf("# step %d: ksk %d zsk %d unpublished signer %d\n", step, ksk, zsk,
               unpublished_signer);
        bad_steps++;
    }
    ods_signconf_free(sc);
}

/* The operator answers DS requests at once. */
static void answer_ds(int *seen_count, int *gone_count)
{
    char *out = NULL;
    CMD(&out, NULL, "key", "ds-seen", "--all");
    if (out && strstr(out, "KSKs changed.") && !strstr(out, "0 KSKs changed."))
        (*seen_count)++;
    free(out);
    out = NULL;
    CMD(&out, NULL, "key", "ds-gone", "--all");
    if (out && strstr(out, "KSKs changed.") && !strstr(out, "0 KSKs changed."))
        (*gone_count)++;
    free(out);
}

static int count_state(const char *role, const char *state)
{
    char *out = NULL, want[64];
    CMD(&out, NULL, "key", "list", "--zone", "r.example");
    snprintf(want, sizeof(want), "%s", role);
    int n = 0;
    for (char *l = out; l && (l = strstr(l, want)); l++) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = '\0';
        n += strstr(l, state) != NULL;
        if (!nl)
            break;
        l = nl;
    }
    free(out);
    return n;
}

static int run_steps(char *old_ksk, int *roll_step)
{
    int ds_seen = 0, ds_gone = 0, step;
    *roll_step = -1;
    for (step = 1; step <= STEPS; step++) {
        if (CMD(NULL, NULL, "time", "leap") != 0)
            break;
        answer_ds(&ds_seen, &ds_gone);
        observe(step);
        if (*roll_step < 0 && step >= 10 && count_state("KSK", "active") == 1) {
            char *out = NULL;
            CMD(&out, NULL, "key", "list", "--verbose", "--parsable", "--zone", "r.example");
            char *p = out ? strstr(out, "r.example;KSK;active;") : NULL;
            for (int f = 0; p && f < 6; f++)
                p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL;
            if (p)
                snprintf(old_ksk, 80, "%.*s", (int)strcspn(p, ";"), p);
            free(out);
            is_int(CMD(&out, NULL, "key", "rollover", "--zone", "r.example", "--keytype", "KSK"), 0,
                   "key rollover --keytype KSK at step %d", step);
            free(out);
            *roll_step = step;
        }
    }
    ok(ds_seen >= 2, "ds-seen was needed %d times (first KSK and rolled KSKs)", ds_seen);
    ok(ds_gone >= 1, "ds-gone was needed %d times (old KSK)", ds_gone);
    return step - 1;
}

static void check_zsks(int last_step)
{
    int introduced = 0, prepublished = 0, retired = 0;
    for (int i = 0; i < nkeys; i++) {
        /* ZSKs that came with a rollover and had started signing by the end */
        if (keys[i].flags != 256 || keys[i].first == 0 || keys[i].first_sign < 0)
            continue;
        introduced++;
        prepublished += keys[i].published_alone && keys[i].first_sign > keys[i].first;
        retired += keys[i].last < last_step;
    }
    ok(introduced >= 2, "%d ZSK rollovers brought a new signing ZSK", introduced);
    is_int(prepublished, introduced, "every new ZSK was published before it signed");
    ok(retired >= 1, "%d new ZSK(s) were themselves rolled away", retired);
}

static void check_ksks(const char *old_ksk, int roll_step, int last_step)
{
    seen_t *old = NULL, *fresh = NULL;
    for (int i = 0; i < nkeys; i++) {
        if (keys[i].flags != 257)
            continue;
        if (strcmp(keys[i].locator, old_ksk) == 0)
            old = &keys[i];
        else if (keys[i].first >= roll_step && !fresh)
            fresh = &keys[i];
    }
    ok(old && fresh, "the manual KSK rollover brought a new KSK");
    if (!old || !fresh)
        return;
    ok(fresh->first_sign >= 0 && fresh->first_sign <= old->last,
       "the new KSK signed the DNSKEY set while the old one was still there (step %d <= %d)",
       fresh->first_sign, old->last);
    ok(old->last < last_step, "the old KSK left the zone (last at step %d of %d)", old->last,
       last_step);
}

/* After the daemon stopped: purged keys are gone from the HSM, live ones are there. */
static void check_hsm(const char *key_list)
{
    ods_hsm_repo_spec_t spec = {
        .name = "SoftHSM", .module = t.fx.module, .token_label = "OpenDNSSEC", .pin = "1234"
    };
    ods_hsm_t *hsm = NULL;
    ods_hsm_ctx_t *ctx = NULL;
    ods_err_t err;
    if (ods_hsm_open(&spec, 1, &hsm, &err) != ODS_OK || ods_hsm_ctx_new(hsm, &ctx, &err)) {
        ok(0, "open the token: %s", err.msg);
        ods_hsm_close(hsm);
        return;
    }
    int purged = 0, deleted = 0, live = 0, present = 0;
    for (int i = 0; i < nkeys; i++) {
        ods_hsm_key_t *k = NULL;
        int rc = ods_hsm_key_find(ctx, keys[i].locator, &k, &err);
        ods_hsm_key_free(k);
        if (key_list && strstr(key_list, keys[i].locator)) {
            live++;
            present += rc == ODS_OK;
        } else {
            purged++;
            deleted += rc == ODS_ENOTFOUND;
        }
    }
    ok(purged >= 1, "%d key(s) were purged from the zone", purged);
    is_int(deleted, purged, "and deleted from the HSM");
    is_int(present, live, "the %d keys still in use are in the HSM", live);
    ods_hsm_ctx_free(ctx);
    ods_hsm_close(hsm);
}

int main(void)
{
    if (et_init(&t, "roll") != 0 ||
        et_conf(&t, "<AutomaticKeyGenerationPeriod>PT2H</AutomaticKeyGenerationPeriod>", NULL) ||
        et_kasp(&t, ET_POLICY_LAB("default", "")) != 0 || et_setup(&t) != 0 ||
        et_start(&t, NULL) != 0) {
        ok(0, "fixture and daemon (log %s)", t.log);
        et_cleanup(&t);
        return tap_done();
    }
    char *out = NULL, old_ksk[80] = "";
    is_int(CMD(&out, NULL, "zone", "add", "--zone", "r.example"), 0, "zone added");
    free(out);
    observe(0);
    int roll_step, last = run_steps(old_ksk, &roll_step);
    ok(last >= 40, "%d time leaps", last);
    is_int(bad_steps, 0, "at every step a published KSK and ZSK sign, nothing unpublished signs");
    check_zsks(last);
    check_ksks(old_ksk, roll_step, last);
    CMD(&out, NULL, "key", "list", "--all", "--verbose");
    is_int(et_stop(&t), 0, "the daemon stops cleanly");
    ok(et_log_clean(&t), "no sanitizer report in the log");
    ok(et_log_has(&t, "removeDeadKeys deleting key"), "purges are logged as OpenDNSSEC does");
    check_hsm(out);
    free(out);
    et_cleanup(&t);
    return tap_done();
}
