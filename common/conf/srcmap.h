/*
 * srcmap.h -- where the values of a parsed object came from, so that checks
 * run after parsing can name the file, line and element of a problem.
 *
 * A map belongs to one object read from one element (a policy, the whole
 * conf.xml). It holds the file name, the element path of that object
 * ("/KASP/Policy[@name='default']") and, for each element read, its path
 * relative to the object ("Signatures/Refresh", "Keys/KSK[2]/Lifetime") and
 * its line.
 *
 * Ownership: the map owns copies of all strings. Not thread-safe per object;
 * read-only use from several threads is fine.
 */
#ifndef ODS_CONF_SRCMAP_H
#define ODS_CONF_SRCMAP_H

#include <stdarg.h>
#include <stddef.h>

#include "conf/diag.h"

typedef struct ods_srcmap ods_srcmap_t;

/* A new map for the object at base_path in file (either may be NULL). */
ods_srcmap_t *ods_srcmap_new(const char *file, const char *base_path);
void ods_srcmap_free(ods_srcmap_t *map);

/* Remember that element rel (relative path) is at line. The first wins. */
int ods_srcmap_add(ods_srcmap_t *map, const char *rel, int line);

/* Line of rel; 0 if unknown (or map NULL). */
int ods_srcmap_line(const ods_srcmap_t *map, const char *rel);

const char *ods_srcmap_file(const ods_srcmap_t *map);
const char *ods_srcmap_base(const ods_srcmap_t *map);

/*
 * Add a diagnostic about element rel of the object: file and line from the
 * map, path = base + "/" + rel (rel NULL or "" means the object itself).
 * When map is NULL, fallback_base is used as the base path and there is no
 * file or line.
 */
void ods_srcmap_diag(const ods_srcmap_t *map, const char *fallback_base, ods_diag_t *diag,
                     int severity, const char *rel, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ods_srcmap_diag with a va_list. */
void ods_srcmap_diagv(const ods_srcmap_t *map, const char *fallback_base, ods_diag_t *diag,
                      int severity, const char *rel, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

#endif
