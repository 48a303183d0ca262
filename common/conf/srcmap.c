#include "conf/srcmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct srcmap_entry {
    char *rel;
    int line;
};

struct ods_srcmap {
    char *file;
    char *base;
    struct srcmap_entry *entries;
    size_t count, cap;
};

ods_srcmap_t *ods_srcmap_new(const char *file, const char *base_path)
{
    ods_srcmap_t *map = calloc(1, sizeof(*map));
    if (map == NULL)
        return NULL;
    map->file = file ? strdup(file) : NULL;
    map->base = base_path ? strdup(base_path) : NULL;
    if ((file && !map->file) || (base_path && !map->base)) {
        ods_srcmap_free(map);
        return NULL;
    }
    return map;
}

void ods_srcmap_free(ods_srcmap_t *map)
{
    if (map == NULL)
        return;
    for (size_t i = 0; i < map->count; i++)
        free(map->entries[i].rel);
    free(map->entries);
    free(map->file);
    free(map->base);
    free(map);
}

int ods_srcmap_add(ods_srcmap_t *map, const char *rel, int line)
{
    if (map == NULL || ods_srcmap_line(map, rel) > 0)
        return ODS_OK;
    if (map->count == map->cap) {
        size_t cap = map->cap ? map->cap * 2 : 32;
        struct srcmap_entry *e = realloc(map->entries, cap * sizeof(*e));
        if (e == NULL)
            return ODS_ENOMEM;
        map->entries = e;
        map->cap = cap;
    }
    char *copy = strdup(rel);
    if (copy == NULL)
        return ODS_ENOMEM;
    map->entries[map->count].rel = copy;
    map->entries[map->count].line = line;
    map->count++;
    return ODS_OK;
}

int ods_srcmap_line(const ods_srcmap_t *map, const char *rel)
{
    if (map == NULL || rel == NULL)
        return 0;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->entries[i].rel, rel) == 0)
            return map->entries[i].line;
    return 0;
}

const char *ods_srcmap_file(const ods_srcmap_t *map)
{
    return map ? map->file : NULL;
}

const char *ods_srcmap_base(const ods_srcmap_t *map)
{
    return map ? map->base : NULL;
}

void ods_srcmap_diagv(const ods_srcmap_t *map, const char *fallback_base, ods_diag_t *diag,
                      int severity, const char *rel, const char *fmt, va_list ap)
{
    const char *base = map && map->base ? map->base : fallback_base;
    char path[1024];
    if (rel != NULL && rel[0] != '\0')
        snprintf(path, sizeof(path), "%s/%s", base ? base : "", rel);
    else
        snprintf(path, sizeof(path), "%s", base ? base : "");
    int line = ods_srcmap_line(map, rel && rel[0] ? rel : "");
    ods_diag_addv(diag, severity, ods_srcmap_file(map), line, path[0] ? path : NULL, fmt, ap);
}

void ods_srcmap_diag(const ods_srcmap_t *map, const char *fallback_base, ods_diag_t *diag,
                     int severity, const char *rel, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ods_srcmap_diagv(map, fallback_base, diag, severity, rel, fmt, ap);
    va_end(ap);
}
