/* enf_cmd_key_list.c -- `key list` (layouts in enf_fmt.h), sorted by policy, zone,
 * role (KSK first) and age. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/lookahead.h"
#include "enf_cmd.h"
#include "enf_fmt.h"
#include "enf_json.h"
#include "enf_walk.h"
#include "util/clock.h"

#define LOOKAHEAD_STEPS 8

typedef struct list_opts {
    enf_fmt_mode_t mode;
    int parsable, json, all;
    int role;        /* 0: any */
    unsigned states; /* bit per enf_kl_t; 0: default filter */
} list_opts_t;

/* One zone's rows, to be put in policy order after the walk. */
typedef struct zone_rows {
    const char *policy;
    size_t seq; /* zone name order within a policy */
    ods_buf_t text;
} zone_rows_t;

typedef struct list_ctx {
    enf_daemon_t *d;
    list_opts_t o;
    zone_rows_t *zones;
    size_t nzones, cap;
} list_ctx_t;

static int wanted(const list_opts_t *o, const enf_key_t *k, enf_kl_t state)
{
    if (o->role && k->role != o->role)
        return 0;
    if (o->states)
        return (o->states >> state) & 1;
    return o->all || (state != ENF_KL_GENERATE && state != ENF_KL_DEAD);
}

static void show_key(list_ctx_t *c, zone_rows_t *zr, const enf_zone_info_t *zi, const enf_key_t *k,
                     const enf_lookahead_t *la)
{
    enf_keyrow_t row = {
        .zone = zi->name,
        .policy = zr->policy,
        .k = k,
        .state = enf_key_list_state(k),
        .wait = enf_key_wait(k),
        .now = ods_clock_now(),
    };
    if (!wanted(&c->o, k, row.state))
        return;
    row.next = enf_walk_key_next(la, k->id);
    if (row.next < 0 && zi->next_change >= 0 && zi->next_change <= row.now)
        row.next = row.now; /* the zone is due */
    if (c->o.json)
        enf_fmt_json(&zr->text, zr->text.len == 0, &row);
    else
        enf_fmt_row(&zr->text, c->o.mode, c->o.parsable, &row);
}

static zone_rows_t *new_zone_rows(list_ctx_t *c, int pi)
{
    if (c->nzones == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        zone_rows_t *nz = realloc(c->zones, cap * sizeof(*nz));
        if (!nz)
            return NULL;
        c->zones = nz;
        c->cap = cap;
    }
    zone_rows_t *zr = &c->zones[c->nzones];
    zr->policy = pi >= 0 ? c->d->policies->recs[pi].pol.name : "";
    zr->seq = c->nzones++;
    zr->text = (ods_buf_t)ODS_BUF_INIT;
    return zr;
}

static int list_zone(void *arg, const enf_zone_info_t *zi, int pi, enf_zone_t *z)
{
    list_ctx_t *c = arg;
    enf_key_t **keys = calloc(z->nkeys ? z->nkeys : 1, sizeof(*keys));
    zone_rows_t *zr = keys ? new_zone_rows(c, pi) : NULL;
    if (!zr) {
        free(keys);
        return ODS_ENOMEM;
    }
    for (size_t i = 0; i < z->nkeys; i++)
        keys[i] = &z->keys[i];
    enf_walk_sort_keys(keys, z->nkeys);
    enf_lookahead_t la;
    int have_la = pi >= 0 && z->nkeys &&
                  enf_lookahead(&c->d->policies->eng[pi], z, ods_clock_now(), LOOKAHEAD_STEPS, 0,
                                &la) == ODS_OK;
    for (size_t i = 0; i < z->nkeys; i++)
        show_key(c, zr, zi, keys[i], have_la ? &la : NULL);
    if (have_la)
        enf_lookahead_free(&la);
    free(keys);
    return 0;
}

/* Policy name, then zone name (the walk's order). */
static int by_policy(const void *a, const void *b)
{
    const zone_rows_t *x = a, *y = b;
    int d = strcmp(x->policy, y->policy);
    return d ? d : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The rows in policy order; JSON rows joined by commas. */
static void put_rows(list_ctx_t *c, ods_buf_t *out)
{
    if (c->nzones > 1)
        qsort(c->zones, c->nzones, sizeof(*c->zones), by_policy);
    int first = 1;
    for (size_t i = 0; i < c->nzones; i++) {
        ods_buf_t *t = &c->zones[i].text;
        if (t->len == 0)
            continue;
        if (c->o.json)
            ods_json_sep(out, first);
        ods_buf_append(out, t->data, t->len);
        first = 0;
    }
}

static void free_rows(list_ctx_t *c)
{
    for (size_t i = 0; i < c->nzones; i++)
        ods_buf_free(&c->zones[i].text);
    free(c->zones);
}

static int parse_states(const char *list, unsigned *states)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", list);
    *states = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int s = enf_kl_parse(tok);
        if (s < 0)
            return -1;
        *states |= 1u << s;
    }
    return *states ? 0 : -1;
}

static int parse_opts(enf_reply_t *r, const ods_cmd_args_t *a, list_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = ods_cmd_has(a, "full")      ? ENF_FMT_FULL
              : ods_cmd_has(a, "debug")   ? ENF_FMT_DEBUG
              : ods_cmd_has(a, "verbose") ? ENF_FMT_VERBOSE
                                          : ENF_FMT_DEFAULT;
    o->parsable = ods_cmd_has(a, "parsable");
    o->json = ods_cmd_has(a, "json");
    o->all = ods_cmd_has(a, "all");
    const char *states = ods_cmd_get(a, "keystate");
    if (states && o->all) {
        enf_errout(r, "Error: --keystate and --all option cannot be given together\n");
        return -1;
    }
    if (states && parse_states(states, &o->states) != 0) {
        enf_errout(r,
                   "unknown keystate '%s': use generate, publish, ready, active, retire, "
                   "unknown, mixed or dead (comma-separated)\n",
                   states);
        return -1;
    }
    if ((o->role = enf_cmd_role(ods_cmd_get(a, "keytype"))) < 0) {
        enf_errout(r, "unknown keytype, should be one of KSK, ZSK, or CSK\n");
        return -1;
    }
    if (o->parsable && o->mode == ENF_FMT_DEFAULT && !o->json)
        enf_errout(r, "-p option only available in combination with -v and -d.\n");
    return 0;
}

int enf_cmd_key_list(enf_daemon_t *d, enf_reply_t *r, const ods_cmd_args_t *a)
{
    list_ctx_t c = { .d = d };
    if (parse_opts(r, a, &c.o) != 0)
        return ENF_EXIT_USAGE;
    ods_err_t err;
    int rc = enf_walk_zones(d, ods_cmd_get(a, "zone"), list_zone, &c, &err);
    if (rc == ODS_ENOMEM)
        ods_err_set(&err, rc, "out of memory listing keys");
    if (rc != ODS_OK) {
        free_rows(&c);
        return c.o.json ? enf_json_fail(r, &err) : enf_fail(r, &err);
    }
    if (c.o.json)
        enf_json_list_open(&r->out, "keys");
    else
        enf_fmt_header(&r->out, c.o.mode, c.o.parsable);
    put_rows(&c, &r->out);
    if (c.o.json)
        enf_json_list_close(&r->out);
    free_rows(&c);
    return ENF_EXIT_OK;
}
