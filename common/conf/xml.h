/*
 * xml.h -- libxml2 helpers shared by the configuration loaders: read a file,
 * validate it against one of the embedded RelaxNG schemas, and read typed
 * values out of the tree with diagnostics that name file, line and element.
 *
 * How a loader uses it:
 *   1. ods_xml_read_file: XML syntax errors go to diag (with line numbers).
 *   2. ods_xml_validate into a separate "held" diag.
 *   3. read the values with the ods_xml_get_* functions; value errors go to
 *      diag with precise messages ("Refresh: 'P3X' is not a duration ...").
 *   4. ods_xml_merge_held: add the schema errors that are not on a line
 *      already explained by step 3 (libxml2's messages are vaguer).
 *   5. run cross-field checks only if the schema accepted the file.
 * ods_xml_load does all five for one kind of file (an ods_xml_loader_t).
 *
 * Thread-safety: every function may be called from any thread; libxml2's
 * error handler is set per thread around parsing.
 */
#ifndef ODS_CONF_XML_H
#define ODS_CONF_XML_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "conf/diag.h"
#include "conf/schema.h"
#include "conf/srcmap.h"

/* Files larger than this are refused (a configuration file is small). */
#define ODS_XML_MAX_FILE (64u * 1024 * 1024)

/*
 * Read and parse path. XML syntax errors and I/O errors go to diag. On
 * success *out is the document (free with xmlFreeDoc) and, when st is not
 * NULL, *st the file's status (mtime, mode). Returns ODS_OK, ODS_EIO or
 * ODS_EPARSE.
 */
int ods_xml_read_file(const char *path, xmlDocPtr *out, struct stat *st, ods_diag_t *diag);

/*
 * One kind of configuration file, for ods_xml_load. read gets the document
 * whether the schema accepts it or not (so that values are reported precisely)
 * and stores what it reads through arg; check (may be NULL) runs only on a
 * document the schema accepted and read found no ERROR in. Both return ODS_OK
 * or ODS_ENOMEM; problems go to diag.
 */
typedef struct ods_xml_loader {
    ods_schema_t schema;
    int (*read)(const char *file, xmlDocPtr doc, void *arg, ods_diag_t *diag);
    int (*check)(void *arg, ods_diag_t *diag);
} ods_xml_loader_t;

/*
 * Load path with loader (steps 1 to 5 above). The path is made absolute
 * first: diagnostics and read get the absolute name. diag may be NULL; st
 * (may be NULL) receives the file's status. Returns ODS_OK; ODS_EIO (cannot
 * read), ODS_EPARSE (not well-formed, or the schema rejects it), ODS_ECONFIG
 * (an ERROR about a value) or ODS_ENOMEM. What read stored through arg stays
 * there whatever the result: the caller keeps or frees it.
 */
int ods_xml_load(const char *path, const ods_xml_loader_t *loader, void *arg, struct stat *st,
                 ods_diag_t *diag);

/* Validate doc against schema; problems go to diag. ODS_OK or ODS_EPARSE. */
int ods_xml_validate(xmlDocPtr doc, const char *file, ods_schema_t schema, ods_diag_t *diag);

/*
 * Add the entries of held to diag, except those on a line of file for
 * which diag already has an error.
 */
void ods_xml_merge_held(ods_diag_t *diag, const ods_diag_t *held);

/* A reader: where diagnostics go and where element lines are recorded. */
typedef struct ods_xml_rd {
    const char *file;  /* file name for diagnostics */
    ods_diag_t *diag;  /* may be NULL */
    ods_srcmap_t *map; /* may be NULL: element lines are not recorded */
    xmlNodePtr base;   /* map paths are relative to this node */
    int errors;        /* value errors reported through this reader */
} ods_xml_rd_t;

/* First element child named name (any name if NULL); NULL if none. */
xmlNodePtr ods_xml_child(xmlNodePtr parent, const char *name);

/* Number of element children named name. */
size_t ods_xml_count(xmlNodePtr parent, const char *name);

/* Next element sibling with the same name as node; NULL if none. */
xmlNodePtr ods_xml_next(xmlNodePtr node);

/* Descendant by relative path "A/B/C" (first match at each step). */
xmlNodePtr ods_xml_find(xmlNodePtr parent, const char *relpath);

/* Line of node (0 if unknown). */
int ods_xml_line(xmlNodePtr node);

/*
 * Element path of node relative to base (absolute, starting with '/', when
 * base is NULL or not an ancestor): Name[@name='v'] for elements with a
 * name attribute, Name[n] when several siblings share the name.
 */
void ods_xml_path(xmlNodePtr node, xmlNodePtr base, char *buf, size_t len);

/* Add a diagnostic about node (file/line/path); counts errors in rd. */
void ods_xml_diag(ods_xml_rd_t *rd, int severity, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Find relpath under parent and record its line in rd->map. */
xmlNodePtr ods_xml_get(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath);

/*
 * Typed readers for the element at relpath under parent. Each returns 1 if
 * the element exists and its value is valid (written to *out), 0 if it is
 * absent (*out untouched), ODS_EINVAL if it exists but is invalid (reported
 * to rd, *out untouched), ODS_ENOMEM.
 */
/* Trimmed text content, malloc'ed (caller frees). */
int ods_xml_get_text(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, char **out);
/* Like ods_xml_get_text, then resolved against the directory of rd->file. */
int ods_xml_get_path(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, char **out);
/* ISO 8601 duration in seconds; M and Y produce a WARNING / INFO. */
int ods_xml_get_duration(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, int64_t *out);
/* Unsigned decimal integer <= max. */
int ods_xml_get_uint(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, uint64_t max,
                     uint64_t *out);
/* 1 if the (empty) element exists, 0 if not. */
int ods_xml_get_flag(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath);

/* Attribute of node, trimmed and malloc'ed; 1, 0 (absent) or ODS_ENOMEM. */
int ods_xml_get_attr(xmlNodePtr node, const char *name, char **out);

/* Parse an unsigned decimal string <= max (surrounding blanks allowed). */
int ods_xml_parse_uint(const char *text, uint64_t max, uint64_t *out);

/*
 * Resolve a path from a file: absolute paths are returned as they are,
 * relative ones are taken relative to the directory of file (made absolute
 * with the current directory if file is relative). Malloc'ed; NULL when out
 * of memory.
 */
char *ods_xml_resolve_path(const char *file, const char *path);

/* path made absolute with the current directory; malloc'ed, NULL if out of memory. */
char *ods_xml_abspath(const char *path);

#endif
