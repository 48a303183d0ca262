/* zonelist_load.c -- read and check zonelist.xml (see zonelist.h). */
#include "conf/xml.h"
#include "conf/zonelist_internal.h"
#include "conf/zonename.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

/* Read Input or Output: <File>path</File> or <Adapter type="...">path</Adapter>. */
static void read_adapter(ods_xml_rd_t *rd, xmlNodePtr zone, const char *which, int *type,
                         char **path)
{
    char rel[32];
    snprintf(rel, sizeof(rel), "Adapters/%s", which);
    xmlNodePtr io = ods_xml_get(rd, zone, rel);
    xmlNodePtr file = ods_xml_child(io, "File"), ad = ods_xml_child(io, "Adapter");
    if (file != NULL) {
        *type = ODS_ADAPTER_FILE;
        ods_xml_get_path(rd, io, "File", path);
        return;
    }
    if (ad == NULL)
        return;
    char *t = NULL;
    ods_xml_get_attr(ad, "type", &t);
    *type = ods_adapter_type_parse(t);
    if (*type == 0)
        ods_xml_diag(rd, ODS_DIAG_ERROR, ad,
                     "unknown adapter type '%s': use type=\"File\" or type=\"DNS\"", t ? t : "");
    free(t);
    ods_xml_get_path(rd, io, "Adapter", path);
}

static void read_zone(ods_xml_rd_t *rd, xmlNodePtr zone, ods_zonelist_entry_t *e)
{
    char *raw = NULL;
    ods_err_t err;
    e->line = ods_xml_line(zone);
    ods_xml_get_attr(zone, "name", &raw);
    if (ods_zone_name_normalize(raw, &e->name, &err) != ODS_OK)
        ods_xml_diag(rd, ODS_DIAG_ERROR, zone, "%s", err.msg);
    free(raw);
    ods_xml_get_text(rd, zone, "Policy", &e->policy);
    ods_xml_get_path(rd, zone, "SignerConfiguration", &e->signconf);
    read_adapter(rd, zone, "Input", &e->input_type, &e->input);
    read_adapter(rd, zone, "Output", &e->output_type, &e->output);
}

/* For finding duplicates by sorting: a key and the entry it came from. */
struct keyed {
    const char *key;
    size_t index;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

typedef const char *(*field_fn)(const ods_zonelist_entry_t *);

static const char *f_name(const ods_zonelist_entry_t *e)
{
    return e->name;
}
static const char *f_output(const ods_zonelist_entry_t *e)
{
    return e->output_type == ODS_ADAPTER_FILE ? e->output : NULL;
}
static const char *f_signconf(const ods_zonelist_entry_t *e)
{
    return e->signconf;
}

/* Report every entry whose field equals that of an earlier entry. */
static int check_unique(ods_xml_rd_t *rd, const ods_zonelist_t *zl, field_fn field,
                        const char *what)
{
    struct keyed *k = calloc(zl->n_zones ? zl->n_zones : 1, sizeof(*k));
    if (k == NULL)
        return ODS_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < zl->n_zones; i++)
        if (field(&zl->zones[i]) != NULL)
            k[n++] = (struct keyed){ field(&zl->zones[i]), i };
    qsort(k, n, sizeof(*k), keyed_cmp);
    size_t run = 0; /* first entry of the current run of equal keys */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(k[i].key, k[run].key) != 0) {
            run = i;
            continue;
        }
        const ods_zonelist_entry_t *e = &zl->zones[k[i].index], *first = &zl->zones[k[run].index];
        ods_diag_add(rd->diag, ODS_DIAG_ERROR, rd->file, e->line, NULL,
                     "zone %s: %s %s is already used by zone %s (line %d)", e->name ? e->name : "?",
                     what, k[i].key, first->name ? first->name : "?", first->line);
        rd->errors++;
    }
    free(k);
    return ODS_OK;
}

static void check_entry(ods_xml_rd_t *rd, const ods_zonelist_entry_t *e, const ods_kasp_t *kasp)
{
    const char *name = e->name ? e->name : "?";
    if (kasp != NULL && e->policy != NULL && ods_kasp_find(kasp, e->policy) == NULL) {
        ods_diag_add(rd->diag, ODS_DIAG_ERROR, rd->file, e->line, NULL,
                     "zone %s: policy '%s' is not defined in %s: add it or correct the name", name,
                     e->policy, kasp->path);
        rd->errors++;
    }
    if (e->input_type == ODS_ADAPTER_FILE && e->output_type == ODS_ADAPTER_FILE && e->input &&
        e->output && strcmp(e->input, e->output) == 0) {
        ods_diag_add(rd->diag, ODS_DIAG_ERROR, rd->file, e->line, NULL,
                     "zone %s: input and output are the same file %s: the signed zone would "
                     "overwrite the unsigned one",
                     name, e->input);
        rd->errors++;
    }
    const char *dns = e->input_type == ODS_ADAPTER_DNS    ? e->input
                      : e->output_type == ODS_ADAPTER_DNS ? e->output
                                                          : NULL;
    if (dns != NULL && access(dns, R_OK) != 0)
        ods_diag_add(rd->diag, ODS_DIAG_WARNING, rd->file, e->line, NULL,
                     "zone %s: DNS adapter configuration %s cannot be read", name, dns);
}

static int check_zonelist(ods_xml_rd_t *rd, const ods_zonelist_t *zl, const ods_kasp_t *kasp)
{
    for (size_t i = 0; i < zl->n_zones; i++)
        check_entry(rd, &zl->zones[i], kasp);
    int rc = check_unique(rd, zl, f_name, "the name");
    if (rc == ODS_OK)
        rc = check_unique(rd, zl, f_output, "output file");
    if (rc == ODS_OK)
        rc = check_unique(rd, zl, f_signconf, "signer configuration");
    return rc;
}

/* What the zonelist.xml loader reads into: the zones and the policies they name. */
struct zonelist_load {
    const ods_kasp_t *kasp;
    ods_zonelist_t *zl;
};

static int zonelist_read(const char *file, xmlDocPtr doc, void *arg, ods_diag_t *diag)
{
    struct zonelist_load *l = arg;
    if ((l->zl = ods_zonelist_new()) == NULL || (l->zl->path = strdup(file)) == NULL)
        return ODS_ENOMEM;
    ods_xml_rd_t rd = { l->zl->path, diag, NULL, NULL, 0 };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr z = ods_xml_child(root, "Zone"); z; z = ods_xml_next(z)) {
        ods_zonelist_entry_t *e = ods_zonelist_append(l->zl);
        if (e == NULL)
            return ODS_ENOMEM;
        read_zone(&rd, z, e);
    }
    return ODS_OK;
}

static int zonelist_check(void *arg, ods_diag_t *diag)
{
    struct zonelist_load *l = arg;
    ods_xml_rd_t rd = { l->zl->path, diag, NULL, NULL, 0 };
    return check_zonelist(&rd, l->zl, l->kasp);
}

static const ods_xml_loader_t zonelist_loader = { ODS_SCHEMA_ZONELIST, zonelist_read,
                                                  zonelist_check };

int ods_zonelist_load(const char *path, const ods_kasp_t *kasp, ods_zonelist_t **out,
                      ods_diag_t *diag)
{
    struct zonelist_load l = { kasp, NULL };
    int rc = ods_xml_load(path, &zonelist_loader, &l, NULL, diag);
    if (rc != ODS_OK) {
        ods_zonelist_free(l.zl);
        return rc;
    }
    *out = l.zl;
    return ODS_OK;
}
