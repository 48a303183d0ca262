/* xmlload.c -- read, parse and validate configuration files (see xml.h). */
#include "conf/xml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 2.9 initialises itself lazily, which races when two threads load
 * their first file at the same time: do it once, here. */
static void xml_init(void)
{
    xmlInitParser();
    xmlRelaxNGInitTypes();
}

/* Where libxml2's structured errors go while we parse or validate. */
struct xml_sink {
    const char *file;
    ods_diag_t *diag;
    int last_line; /* line of the last error added, to drop follow-ups */
    int added;
    char pending[600]; /* an error without a line, waiting for one with a line */
};

static void strip_newline(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static void parse_error(void *data, xmlErrorPtr e)
{
    struct xml_sink *sink = data;
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
    strip_newline(msg);
    int sev = e->level == XML_ERR_WARNING ? ODS_DIAG_WARNING : ODS_DIAG_ERROR;
    ods_diag_add(sink->diag, sev, sink->file, e->line, NULL, "not well-formed XML: %s", msg);
    sink->added++;
}

static int read_all(int fd, const char *path, char **out, size_t *len, struct stat *st,
                    ods_diag_t *diag)
{
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        ods_diag_add(diag, ODS_DIAG_ERROR, path, 0, NULL, "not a regular file");
        return ODS_EIO;
    }
    if ((uint64_t)st->st_size > ODS_XML_MAX_FILE) {
        ods_diag_add(diag, ODS_DIAG_ERROR, path, 0, NULL, "file is larger than %u bytes",
                     ODS_XML_MAX_FILE);
        return ODS_EIO;
    }
    size_t cap = (size_t)st->st_size + 1, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return ODS_ENOMEM;
    ssize_t r;
    while (n < cap && (r = read(fd, buf + n, cap - n)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            ods_diag_add(diag, ODS_DIAG_ERROR, path, 0, NULL, "cannot read: %s", strerror(errno));
            free(buf);
            return ODS_EIO;
        }
        n += (size_t)r;
    }
    *out = buf;
    *len = n;
    return ODS_OK;
}

static int parse_buffer(const char *path, const char *buf, size_t len, xmlDocPtr *out,
                        ods_diag_t *diag)
{
    struct xml_sink sink = { path, diag, 0, 0, "" };
    if (len > INT32_MAX)
        return ODS_EIO;
    xmlSetStructuredErrorFunc(&sink, parse_error);
    xmlDocPtr doc = xmlReadMemory(buf, (int)len, path, NULL,
                                  XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
        if (sink.added == 0)
            ods_diag_add(diag, ODS_DIAG_ERROR, path, 0, NULL, "not an XML document");
        xmlFreeDoc(doc);
        return ODS_EPARSE;
    }
    *out = doc;
    return ODS_OK;
}

int ods_xml_read_file(const char *path, xmlDocPtr *out, struct stat *st, ods_diag_t *diag)
{
    pthread_once(&xml_once, xml_init);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        ods_diag_add(diag, ODS_DIAG_ERROR, path, 0, NULL, "cannot open: %s%s", strerror(e),
                     e == EACCES ? " (run as the daemon's user or root)" : "");
        return ODS_EIO;
    }
    struct stat sbuf;
    char *buf = NULL;
    size_t len = 0;
    int rc = read_all(fd, path, &buf, &len, &sbuf, diag);
    close(fd);
    if (rc != ODS_OK)
        return rc;
    rc = parse_buffer(path, buf, len, out, diag);
    free(buf);
    if (rc == ODS_OK && st != NULL)
        *st = sbuf;
    return rc;
}

/* ---- schema validation ------------------------------------------------ */

/*
 * Rewrite one of libxml2's RelaxNG messages so that it says what to do.
 * Returns 0 if the message adds nothing and should be dropped.
 */
static int explain(const char *m, xmlNodePtr node, char *out, size_t len)
{
    char a[128], b[128];
    if (strstr(m, "Error validating datatype") != NULL)
        return 0; /* always follows a more precise "Type ... doesn't allow" */
    if (strcmp(m, "Error validating value") == 0 && node != NULL) {
        xmlChar *v = xmlNodeGetContent(node);
        snprintf(out, len, "'%s' is not one of the values allowed in <%s>", v ? (char *)v : "",
                 (const char *)node->name);
        xmlFree(v);
        return 1;
    }
    if (sscanf(m, "Expecting element %127[^,], got %127s", a, b) == 2)
        snprintf(out, len,
                 "expected <%s> here, found <%s>: <%s> is missing, misspelled or "
                 "out of order",
                 a, b, a);
    else if (sscanf(m, "Expecting an element %127[^,], got nothing", a) == 1)
        snprintf(out, len, "<%s> is missing", a);
    else if (sscanf(m, "Element %127s has extra content: %127s", a, b) == 2)
        snprintf(out, len, "<%s> is not allowed in <%s> (misspelled, misplaced or repeated?)", b,
                 a);
    else if (sscanf(m, "Extra element %127s in interleave", a) == 1)
        snprintf(out, len, "<%s> is not allowed here, is repeated, or has invalid content", a);
    else if (sscanf(m, "Did not expect element %127s there", a) == 1)
        snprintf(out, len, "<%s> is not allowed here (misspelled, misplaced or repeated?)", a);
    else if (sscanf(m, "Element %127s failed to validate content", a) == 1)
        snprintf(out, len, "<%s> has missing, misplaced or invalid content", a);
    else if (sscanf(m, "Element %127s failed to validate attributes", a) == 1)
        snprintf(out, len, "<%s> has a missing or invalid attribute", a);
    else if (sscanf(m, "Type %127s doesn't allow value '%127[^']'", a, b) == 2)
        snprintf(out, len, "'%s' is not a valid %s%s", b, a,
                 strcmp(a, "duration") == 0 ? " (use ISO 8601 such as PT3600S, PT1H, P14D)" : "");
    else if (sscanf(m, "Invalid attribute %127s for element %127s", a, b) == 2)
        snprintf(out, len, "attribute '%s' is not allowed on <%s>", a, b);
    else
        snprintf(out, len, "%s", m);
    return 1;
}

static void flush_pending(struct xml_sink *sink)
{
    if (sink->pending[0] == '\0')
        return;
    ods_diag_add(sink->diag, ODS_DIAG_ERROR, sink->file, 0, NULL, "%s", sink->pending);
    sink->pending[0] = '\0';
    sink->added++;
}

static void schema_error(void *data, xmlErrorPtr e)
{
    struct xml_sink *sink = data;
    char raw[512], msg[600], full[1300], path[512] = "";
    snprintf(raw, sizeof(raw), "%s", e->message ? e->message : "invalid");
    strip_newline(raw);
    xmlNodePtr node = e->node;
    int line = e->line;
    if (node != NULL && node->type != XML_ELEMENT_NODE)
        node = NULL;
    if (node != NULL) {
        ods_xml_path(node, NULL, path, sizeof(path));
        if (line <= 0)
            line = ods_xml_line(node);
    }
    if (!explain(raw, node, msg, sizeof(msg)))
        return;
    if (line <= 0) { /* libxml2 gives no node for interleave errors: wait for one that has */
        flush_pending(sink);
        snprintf(sink->pending, sizeof(sink->pending), "%s", msg);
        return;
    }
    /* "Element X failed to validate content" after an error on the same line
     * repeats it for the parent: drop it. */
    if (strstr(raw, "failed to validate") && line == sink->last_line && !sink->pending[0])
        return;
    snprintf(full, sizeof(full), "%s%s%s", msg, sink->pending[0] ? ": " : "", sink->pending);
    sink->pending[0] = '\0';
    ods_diag_add(sink->diag, ODS_DIAG_ERROR, sink->file, line, path[0] ? path : NULL, "%s", full);
    sink->last_line = line;
    sink->added++;
}

static xmlRelaxNGPtr compile_schema(ods_schema_t schema, const char *file, ods_diag_t *diag)
{
    size_t len;
    const char *text = ods_schema_text(schema, &len);
    struct xml_sink sink = { ods_schema_name(schema), diag, 0, 0, "" };
    xmlRelaxNGParserCtxtPtr pctx = text ? xmlRelaxNGNewMemParserCtxt(text, (int)len) : NULL;
    if (pctx == NULL) {
        ods_diag_add(diag, ODS_DIAG_ERROR, file, 0, NULL, "cannot load the built-in schema %s",
                     ods_schema_name(schema));
        return NULL;
    }
    xmlRelaxNGSetParserStructuredErrors(pctx, schema_error, &sink);
    xmlRelaxNGPtr rng = xmlRelaxNGParse(pctx);
    xmlRelaxNGFreeParserCtxt(pctx);
    if (rng == NULL)
        ods_diag_add(diag, ODS_DIAG_ERROR, file, 0, NULL, "the built-in schema %s is invalid",
                     ods_schema_name(schema));
    return rng;
}

int ods_xml_validate(xmlDocPtr doc, const char *file, ods_schema_t schema, ods_diag_t *diag)
{
    pthread_once(&xml_once, xml_init);
    xmlRelaxNGPtr rng = compile_schema(schema, file, diag);
    if (rng == NULL)
        return ODS_EPARSE;
    struct xml_sink sink = { file, diag, 0, 0, "" };
    xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(rng);
    int rc = -1;
    if (vctx != NULL) {
        xmlRelaxNGSetValidStructuredErrors(vctx, schema_error, &sink);
        rc = xmlRelaxNGValidateDoc(vctx, doc);
        xmlRelaxNGFreeValidCtxt(vctx);
    }
    flush_pending(&sink);
    xmlRelaxNGFree(rng);
    if (rc == 0)
        return ODS_OK;
    if (sink.added == 0)
        ods_diag_add(diag, ODS_DIAG_ERROR, file, 0, NULL, "does not match the schema %s",
                     ods_schema_name(schema));
    return ODS_EPARSE;
}

/* Is path the same element as inner, or one of its ancestors? */
static int is_within(const char *path, const char *inner)
{
    size_t n = strlen(path);
    return strncmp(path, inner, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

/* Is inner inside an element with the same name as path's last element and
 * the same parent (a sibling of the same kind, or path itself)? */
static int in_family(const char *path, const char *inner)
{
    const char *last = strrchr(path, '/');
    const char *pred = last ? strchr(last, '[') : NULL;
    size_t n = pred ? (size_t)(pred - path) : strlen(path);
    return strncmp(path, inner, n) == 0 && (inner[n] == '\0' || inner[n] == '/' || inner[n] == '[');
}

/* Does diag already have an error about this line, or inside this element? */
static int explained(const ods_diag_t *diag, const ods_diag_entry_t *held)
{
    for (size_t i = 0; i < ods_diag_count(diag); i++) {
        const ods_diag_entry_t *e = ods_diag_get(diag, i);
        if (e->severity != ODS_DIAG_ERROR || e->file == NULL || held->file == NULL ||
            strcmp(e->file, held->file) != 0)
            continue;
        if (held->line > 0 && e->line == held->line)
            return 1;
        /* libxml2 repeats a child's error for its ancestors; a missing
         * element is news, though, whatever else is wrong inside. */
        if (held->path != NULL && e->path != NULL && is_within(held->path, e->path) &&
            strstr(held->message, "is missing") == NULL)
            return 1;
        /* "<Repository> is not allowed in <RepositoryList>" is how libxml2
         * reports that some Repository failed, often naming the wrong one. */
        if (held->path != NULL && e->path != NULL && in_family(held->path, e->path) &&
            strstr(held->message, "is not allowed in <") != NULL)
            return 1;
    }
    return 0;
}

/* Messages by which libxml2 reports, on a parent or sibling, an error inside. */
static int is_cascade(const char *msg)
{
    return strstr(msg, "is not allowed in <") != NULL ||
           strstr(msg, "has missing, misplaced or invalid content") != NULL ||
           strstr(msg, "is not allowed here, is repeated") != NULL;
}

void ods_xml_merge_held(ods_diag_t *diag, const ods_diag_t *held)
{
    /* first the precise messages, then the echoes they may explain */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ods_diag_count(held); i++) {
            const ods_diag_entry_t *e = ods_diag_get(held, i);
            if (is_cascade(e->message) == pass && !explained(diag, e))
                ods_diag_add(diag, e->severity, e->file, e->line, e->path, "%s", e->message);
        }
}

/* ---- whole files ------------------------------------------------------- */

/* Steps 2 to 5 of xml.h on a parsed document. */
static int load_document(const char *file, xmlDocPtr doc, const ods_xml_loader_t *loader, void *arg,
                         ods_diag_t *diag, size_t errors)
{
    ods_diag_t *held = ods_diag_new();
    if (held == NULL)
        return ODS_ENOMEM;
    int valid = ods_xml_validate(doc, file, loader->schema, held) == ODS_OK;
    int rc = loader->read(file, doc, arg, diag);
    ods_xml_merge_held(diag, held);
    ods_diag_free(held);
    int clean = ods_diag_count_severity(diag, ODS_DIAG_ERROR) == errors;
    if (rc == ODS_OK && valid && clean && loader->check != NULL)
        rc = loader->check(arg, diag);
    if (rc != ODS_OK)
        return rc;
    if (!valid)
        return ODS_EPARSE;
    return ods_diag_count_severity(diag, ODS_DIAG_ERROR) > errors ? ODS_ECONFIG : ODS_OK;
}

static int load_file(const char *file, const ods_xml_loader_t *loader, void *arg, struct stat *st,
                     ods_diag_t *diag)
{
    size_t errors = ods_diag_count_severity(diag, ODS_DIAG_ERROR);
    xmlDocPtr doc = NULL;
    int rc = ods_xml_read_file(file, &doc, st, diag);
    if (rc != ODS_OK)
        return rc;
    /* libxml2 returns a document after some errors (an undefined namespace
     * prefix): they still make the file unusable */
    int wellformed = ods_diag_count_severity(diag, ODS_DIAG_ERROR) == errors;
    rc = load_document(file, doc, loader, arg, diag, errors);
    xmlFreeDoc(doc);
    return rc == ODS_ECONFIG && !wellformed ? ODS_EPARSE : rc;
}

int ods_xml_load(const char *path, const ods_xml_loader_t *loader, void *arg, struct stat *st,
                 ods_diag_t *diag)
{
    ods_diag_t *own = diag ? NULL : ods_diag_new();
    char *file = ods_xml_abspath(path);
    int rc = file != NULL && (diag || own) ? load_file(file, loader, arg, st, diag ? diag : own)
                                           : ODS_ENOMEM;
    free(file);
    ods_diag_free(own);
    return rc;
}
