/* xmlread.c -- typed values out of a libxml2 tree (see xml.h). */
#include "conf/xml.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/duration.h"

static int is_element(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           (name == NULL || strcmp((const char *)n->name, name) == 0);
}

xmlNodePtr ods_xml_child(xmlNodePtr parent, const char *name)
{
    if (parent == NULL)
        return NULL;
    for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
        if (is_element(n, name))
            return n;
    return NULL;
}

size_t ods_xml_count(xmlNodePtr parent, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr c = ods_xml_child(parent, name); c; c = ods_xml_next(c))
        n++;
    return n;
}

xmlNodePtr ods_xml_next(xmlNodePtr node)
{
    for (xmlNodePtr n = node ? node->next : NULL; n != NULL; n = n->next)
        if (is_element(n, (const char *)node->name))
            return n;
    return NULL;
}

xmlNodePtr ods_xml_find(xmlNodePtr parent, const char *relpath)
{
    char step[128];
    const char *p = relpath;
    xmlNodePtr n = parent;
    while (n != NULL && *p != '\0') {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len >= sizeof(step))
            return NULL;
        memcpy(step, p, len);
        step[len] = '\0';
        n = ods_xml_child(n, step);
        p += len + (slash != NULL);
    }
    return n;
}

int ods_xml_line(xmlNodePtr node)
{
    long line = node ? xmlGetLineNo(node) : 0;
    return line > 0 && line < INT_MAX ? (int)line : 0;
}

/* "Name[@name='v']", "Name[n]" or "Name" for one element. */
static void path_segment(xmlNodePtr node, char *buf, size_t len)
{
    xmlChar *name = xmlGetProp(node, (const xmlChar *)"name");
    if (name != NULL) {
        snprintf(buf, len, "%s[@name='%s']", (const char *)node->name, (const char *)name);
        xmlFree(name);
        return;
    }
    int index = 0, total = 0;
    for (xmlNodePtr s = node->parent ? node->parent->children : node; s; s = s->next) {
        if (!is_element(s, (const char *)node->name))
            continue;
        total++;
        if (s == node)
            index = total;
    }
    if (total > 1)
        snprintf(buf, len, "%s[%d]", (const char *)node->name, index);
    else
        snprintf(buf, len, "%s", (const char *)node->name);
}

static int is_ancestor(xmlNodePtr base, xmlNodePtr node)
{
    for (xmlNodePtr n = node; n != NULL; n = n->parent)
        if (n == base)
            return 1;
    return 0;
}

void ods_xml_path(xmlNodePtr node, xmlNodePtr base, char *buf, size_t len)
{
    xmlNodePtr chain[64];
    size_t depth = 0;
    if (base != NULL && !is_ancestor(base, node))
        base = NULL;
    for (xmlNodePtr n = node; n != NULL && n != base && n->type == XML_ELEMENT_NODE &&
                              depth < sizeof(chain) / sizeof(chain[0]);
         n = n->parent)
        chain[depth++] = n;
    size_t off = 0;
    buf[0] = '\0';
    while (depth > 0 && off < len) {
        char seg[256];
        path_segment(chain[--depth], seg, sizeof(seg));
        int first = off == 0;
        off += (size_t)snprintf(buf + off, len - off, "%s%s", (first && base) ? "" : "/", seg);
    }
}

void ods_xml_diag(ods_xml_rd_t *rd, int severity, xmlNodePtr node, const char *fmt, ...)
{
    char path[1024] = "";
    if (node != NULL)
        ods_xml_path(node, NULL, path, sizeof(path));
    if (severity == ODS_DIAG_ERROR)
        rd->errors++;
    va_list ap;
    va_start(ap, fmt);
    ods_diag_addv(rd->diag, severity, rd->file, ods_xml_line(node), path[0] ? path : NULL, fmt, ap);
    va_end(ap);
}

xmlNodePtr ods_xml_get(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath)
{
    xmlNodePtr n = ods_xml_find(parent, relpath);
    if (n != NULL && rd->map != NULL) {
        char rel[1024];
        ods_xml_path(n, rd->base, rel, sizeof(rel));
        ods_srcmap_add(rd->map, rel, ods_xml_line(n));
    }
    return n;
}

/* Copy of s without leading and trailing white space; NULL if out of memory. */
static char *trimmed(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

static int node_text(xmlNodePtr n, char **out)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *t = trimmed(c ? (const char *)c : "");
    xmlFree(c);
    if (t == NULL)
        return ODS_ENOMEM;
    *out = t;
    return 1;
}

/* The element at relpath (*node) and its trimmed text: 1, 0 (absent) or ODS_ENOMEM. */
static int get_node_text(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, xmlNodePtr *node,
                         char **text)
{
    *node = ods_xml_get(rd, parent, relpath);
    return *node ? node_text(*node, text) : 0;
}

int ods_xml_get_text(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, char **out)
{
    xmlNodePtr n;
    return get_node_text(rd, parent, relpath, &n, out);
}

int ods_xml_get_path(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, char **out)
{
    char *text;
    xmlNodePtr n;
    int rc = get_node_text(rd, parent, relpath, &n, &text);
    if (rc != 1)
        return rc;
    if (text[0] == '\0') {
        free(text);
        ods_xml_diag(rd, ODS_DIAG_ERROR, n, "empty path: give a file name or remove the element");
        return ODS_EINVAL;
    }
    char *abs = ods_xml_resolve_path(rd->file, text);
    free(text);
    if (abs == NULL)
        return ODS_ENOMEM;
    *out = abs;
    return 1;
}

static void duration_notes(ods_xml_rd_t *rd, xmlNodePtr n, const char *text, int64_t secs,
                           int flags)
{
    if (flags & ODS_DURATION_HAS_MONTHS)
        ods_xml_diag(rd, ODS_DIAG_WARNING, n,
                     "%s uses M (months): a month counts as 31 days, so this is %" PRId64
                     " days; write it in days (P%" PRId64 "D) to avoid surprises",
                     text, secs / 86400, secs / 86400);
    if (flags & ODS_DURATION_HAS_YEARS)
        ods_xml_diag(rd, ODS_DIAG_INFO, n, "%s uses Y (years): a year counts as 365 days", text);
}

int ods_xml_get_duration(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, int64_t *out)
{
    char *text;
    xmlNodePtr n;
    int rc = get_node_text(rd, parent, relpath, &n, &text);
    if (rc != 1)
        return rc;
    ods_err_t err;
    int64_t secs;
    int flags = 0;
    if (ods_duration_parse(text, &secs, &flags, &err) != ODS_OK) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, n, "%s", err.msg);
        free(text);
        return ODS_EINVAL;
    }
    duration_notes(rd, n, text, secs, flags);
    free(text);
    *out = secs;
    return 1;
}

int ods_xml_parse_uint(const char *text, uint64_t max, uint64_t *out)
{
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text))
        return ODS_EINVAL;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno != 0 || *end != '\0' || v > max)
        return ODS_EINVAL;
    *out = v;
    return ODS_OK;
}

int ods_xml_get_uint(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath, uint64_t max,
                     uint64_t *out)
{
    char *text;
    xmlNodePtr n;
    int rc = get_node_text(rd, parent, relpath, &n, &text);
    if (rc != 1)
        return rc;
    uint64_t v;
    if (ods_xml_parse_uint(text, max, &v) != ODS_OK) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, n, "'%s' is not a whole number between 0 and %" PRIu64,
                     text, max);
        free(text);
        return ODS_EINVAL;
    }
    free(text);
    *out = v;
    return 1;
}

int ods_xml_get_flag(ods_xml_rd_t *rd, xmlNodePtr parent, const char *relpath)
{
    return ods_xml_get(rd, parent, relpath) != NULL;
}

int ods_xml_get_attr(xmlNodePtr node, const char *name, char **out)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    if (v == NULL)
        return 0;
    char *t = trimmed((const char *)v);
    xmlFree(v);
    if (t == NULL)
        return ODS_ENOMEM;
    *out = t;
    return 1;
}

/* a + "/" + b without doubling a trailing '/'; malloc'ed. */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a);
    char *out = NULL;
    if (asprintf(&out, "%s%s%s", a, (n > 0 && a[n - 1] == '/') ? "" : "/", b) < 0)
        return NULL;
    return out;
}

char *ods_xml_resolve_path(const char *file, const char *path)
{
    if (path[0] == '/' || file == NULL)
        return strdup(path);
    const char *slash = strrchr(file, '/');
    char *dir =
        slash == NULL ? strdup(".") : strndup(file, slash == file ? 1 : (size_t)(slash - file));
    if (dir == NULL)
        return NULL;
    if (dir[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        char *abs = cwd == NULL ? NULL : strcmp(dir, ".") == 0 ? strdup(cwd) : join(cwd, dir);
        free(cwd);
        if (abs != NULL) {
            free(dir);
            dir = abs;
        }
    }
    char *out = join(dir, path);
    free(dir);
    return out;
}

char *ods_xml_abspath(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char *cwd = getcwd(NULL, 0);
    if (cwd == NULL)
        return strdup(path);
    char *out = join(cwd, strncmp(path, "./", 2) == 0 ? path + 2 : path);
    free(cwd);
    return out;
}
