/* enf_zonelist.c -- the rendered zone list (see enf_zonelist.h). */
#include "enf_zonelist.h"

#include <stdlib.h>
#include <string.h>

#include "conf/xmlwrite.h"
#include "conf/zonelist.h"
#include "enf_path.h"
#include "util/atomicfile.h"

typedef struct entry {
    char *name;
    char *xml; /* the <Zone> element, indented one level, with its newline */
    size_t len;
} entry_t;

struct enf_zonelist {
    entry_t *v; /* sorted by name */
    size_t n, cap;
};

int enf_zonelist_new(enf_zonelist_t **out)
{
    enf_zonelist_t *zl = calloc(1, sizeof(*zl));
    if (!zl)
        return ODS_ENOMEM;
    *out = zl;
    return ODS_OK;
}

void enf_zonelist_clear(enf_zonelist_t *zl)
{
    for (size_t i = 0; i < zl->n; i++) {
        free(zl->v[i].name);
        free(zl->v[i].xml);
    }
    zl->n = 0;
}

void enf_zonelist_free(enf_zonelist_t *zl)
{
    if (!zl)
        return;
    enf_zonelist_clear(zl);
    free(zl->v);
    free(zl);
}

size_t enf_zonelist_count(const enf_zonelist_t *zl)
{
    return zl->n;
}

/* Index of name, or where it would go (*found 0). */
static size_t search(const enf_zonelist_t *zl, const char *name, int *found)
{
    size_t lo = 0, hi = zl->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(zl->v[mid].name, name);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

static int grow(enf_zonelist_t *zl)
{
    if (zl->n < zl->cap)
        return 0;
    size_t cap = zl->cap ? zl->cap * 2 : 64;
    entry_t *nv = realloc(zl->v, cap * sizeof(*nv));
    if (!nv)
        return -1;
    zl->v = nv;
    zl->cap = cap;
    return 0;
}

static void adapter(ods_xw_t *w, const char *which, int type, const char *path)
{
    ods_xw_start(w, which, NULL, NULL);
    if (type == ODS_ADAPTER_DNS)
        ods_xw_leaf_attr(w, "Adapter", "type", "DNS", path);
    else
        ods_xw_leaf(w, "File", path);
    ods_xw_end(w, which);
}

static int render_zone(const enf_zone_info_t *zi, const char *policy, ods_buf_t *buf)
{
    ods_xw_t w;
    ods_xw_init(&w, buf, 1);
    ods_xw_start(&w, "Zone", "name", zi->name);
    ods_xw_leaf(&w, "Policy", policy);
    ods_xw_leaf(&w, "SignerConfiguration", zi->signconf);
    ods_xw_start(&w, "Adapters", NULL, NULL);
    adapter(&w, "Input", zi->input_type, zi->input);
    adapter(&w, "Output", zi->output_type, zi->output);
    ods_xw_end(&w, "Adapters");
    ods_xw_end(&w, "Zone");
    return ods_xw_finish(&w);
}

int enf_zonelist_put(enf_zonelist_t *zl, const enf_zone_info_t *zi, const char *policy)
{
    ods_buf_t buf = ODS_BUF_INIT;
    if (render_zone(zi, policy, &buf) != ODS_OK || !ods_buf_cstr(&buf)) {
        ods_buf_free(&buf);
        return ODS_ENOMEM;
    }
    int found;
    size_t at = search(zl, zi->name, &found);
    if (found) {
        free(zl->v[at].xml);
    } else {
        char *name = strdup(zi->name);
        if (!name || grow(zl) != 0) {
            free(name);
            ods_buf_free(&buf);
            return ODS_ENOMEM;
        }
        memmove(&zl->v[at + 1], &zl->v[at], (zl->n - at) * sizeof(*zl->v));
        zl->v[at].name = name;
        zl->n++;
    }
    zl->v[at].xml = (char *)buf.data; /* the entry takes the buffer's memory */
    zl->v[at].len = buf.len;
    return ODS_OK;
}

void enf_zonelist_remove(enf_zonelist_t *zl, const char *name)
{
    int found;
    size_t at = search(zl, name, &found);
    if (!found)
        return;
    free(zl->v[at].name);
    free(zl->v[at].xml);
    memmove(&zl->v[at], &zl->v[at + 1], (zl->n - at - 1) * sizeof(*zl->v));
    zl->n--;
}

typedef struct load_ctx {
    enf_zonelist_t *zl;
    const enf_policies_t *ps;
} load_ctx_t;

static int load_one(void *arg, const enf_zone_info_t *zi)
{
    load_ctx_t *c = arg;
    int pi = enf_policies_find_id(c->ps, zi->policy_id);
    return enf_zonelist_put(c->zl, zi, pi >= 0 ? c->ps->recs[pi].pol.name : "");
}

int enf_zonelist_load(enf_zonelist_t *zl, enf_store_t *s, const enf_policies_t *ps, ods_err_t *err)
{
    enf_zonelist_clear(zl);
    load_ctx_t c = { zl, ps };
    int rc = enf_store_zone_foreach(s, 0, load_one, &c, err);
    if (rc == ODS_ENOMEM)
        return ods_err_set(err, rc, "out of memory building the zone list");
    return rc;
}

int enf_zonelist_render(const enf_zonelist_t *zl, ods_buf_t *out)
{
    size_t total = 128;
    for (size_t i = 0; i < zl->n; i++)
        total += zl->v[i].len;
    if (ods_buf_reserve(out, total) != ODS_OK)
        return ODS_ENOMEM;
    ods_xw_t w;
    ods_xw_init(&w, out, 0);
    ods_xw_declaration(&w);
    ods_xw_start(&w, "ZoneList", NULL, NULL);
    for (size_t i = 0; i < zl->n; i++)
        ods_buf_append(out, zl->v[i].xml, zl->v[i].len); /* room reserved above */
    ods_xw_end(&w, "ZoneList");
    return ods_xw_finish(&w);
}

int enf_zonelist_write(const enf_zonelist_t *zl, const char *path, ods_err_t *err)
{
    ods_buf_t buf = ODS_BUF_INIT;
    int rc = enf_zonelist_render(zl, &buf);
    if (rc != ODS_OK)
        rc = ods_err_set(err, rc, "out of memory writing %s", path);
    if (rc == ODS_OK)
        rc = enf_path_ensure_parent(path, err);
    if (rc == ODS_OK)
        rc = ods_atomic_write(path, buf.data, buf.len, 0640, err);
    ods_buf_free(&buf);
    return rc;
}
