/* zonelist.c -- zonelist.xml entries: load, add, find, remove (see zonelist.h). */
#include "conf/zonelist_internal.h"
#include "conf/zonename.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ods_adapter_type_name(int type)
{
    return type == ODS_ADAPTER_FILE ? "File" : type == ODS_ADAPTER_DNS ? "DNS" : "?";
}

int ods_adapter_type_parse(const char *name)
{
    if (name != NULL && strcasecmp(name, "File") == 0)
        return ODS_ADAPTER_FILE;
    if (name != NULL && strcasecmp(name, "DNS") == 0)
        return ODS_ADAPTER_DNS;
    return 0;
}

ods_zonelist_t *ods_zonelist_new(void)
{
    return calloc(1, sizeof(ods_zonelist_t));
}

static void entry_clear(ods_zonelist_entry_t *e)
{
    free(e->name);
    free(e->policy);
    free(e->signconf);
    free(e->input);
    free(e->output);
    memset(e, 0, sizeof(*e));
}

void ods_zonelist_free(ods_zonelist_t *zl)
{
    if (zl == NULL)
        return;
    for (size_t i = 0; i < zl->n_zones; i++)
        entry_clear(&zl->zones[i]);
    free(zl->zones);
    free(zl->path);
    free(zl);
}

ods_zonelist_entry_t *ods_zonelist_append(ods_zonelist_t *zl)
{
    if (zl->n_zones == zl->cap) {
        size_t cap = zl->cap ? zl->cap * 2 : 16;
        ods_zonelist_entry_t *z = realloc(zl->zones, cap * sizeof(*z));
        if (z == NULL)
            return NULL;
        zl->zones = z;
        zl->cap = cap;
    }
    ods_zonelist_entry_t *e = &zl->zones[zl->n_zones++];
    memset(e, 0, sizeof(*e));
    return e;
}

const ods_zonelist_entry_t *ods_zonelist_find(const ods_zonelist_t *zl, const char *name)
{
    char *norm = NULL;
    if (zl == NULL || ods_zone_name_normalize(name, &norm, NULL) != ODS_OK)
        return NULL;
    const ods_zonelist_entry_t *found = NULL;
    for (size_t i = 0; i < zl->n_zones && found == NULL; i++)
        if (strcmp(zl->zones[i].name, norm) == 0)
            found = &zl->zones[i];
    free(norm);
    return found;
}

int ods_zonelist_remove(ods_zonelist_t *zl, const char *name)
{
    const ods_zonelist_entry_t *e = ods_zonelist_find(zl, name);
    if (e == NULL)
        return ODS_ENOTFOUND;
    size_t i = (size_t)(e - zl->zones);
    entry_clear(&zl->zones[i]);
    memmove(&zl->zones[i], &zl->zones[i + 1], (zl->n_zones - i - 1) * sizeof(zl->zones[0]));
    zl->n_zones--;
    return ODS_OK;
}

static int check_entry(const ods_zonelist_entry_t *e, ods_err_t *err)
{
    if (e->policy == NULL || e->signconf == NULL || e->input == NULL || e->output == NULL)
        return ods_err_set(err, ODS_EINVAL,
                           "zone %s: policy, signer configuration, input and output must be set",
                           e->name ? e->name : "?");
    if (ods_adapter_type_name(e->input_type)[0] == '?' ||
        ods_adapter_type_name(e->output_type)[0] == '?')
        return ods_err_set(err, ODS_EINVAL, "zone %s: adapter types must be File or DNS",
                           e->name ? e->name : "?");
    return ODS_OK;
}

static int copy_fields(ods_zonelist_entry_t *dst, const ods_zonelist_entry_t *src)
{
    dst->policy = strdup(src->policy);
    dst->signconf = strdup(src->signconf);
    dst->input = strdup(src->input);
    dst->output = strdup(src->output);
    dst->input_type = src->input_type;
    dst->output_type = src->output_type;
    return dst->policy && dst->signconf && dst->input && dst->output ? ODS_OK : ODS_ENOMEM;
}

int ods_zonelist_add(ods_zonelist_t *zl, const ods_zonelist_entry_t *entry, ods_err_t *err)
{
    char *name = NULL;
    int rc = ods_zone_name_normalize(entry->name, &name, err);
    if (rc != ODS_OK)
        return rc;
    if ((rc = check_entry(entry, err)) != ODS_OK || ods_zonelist_find(zl, name) != NULL) {
        if (rc == ODS_OK)
            rc = ods_err_set(err, ODS_EEXIST, "zone %s is already in the zone list", name);
        free(name);
        return rc;
    }
    ods_zonelist_entry_t *e = ods_zonelist_append(zl);
    if (e == NULL) {
        free(name);
        return ods_err_set(err, ODS_ENOMEM, "out of memory adding zone %s", entry->name);
    }
    e->name = name;
    if (copy_fields(e, entry) != ODS_OK) {
        entry_clear(e);
        zl->n_zones--;
        return ods_err_set(err, ODS_ENOMEM, "out of memory adding zone %s", entry->name);
    }
    return ODS_OK;
}
