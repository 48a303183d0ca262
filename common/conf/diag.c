#include "conf/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define REDACTED "********"

struct ods_diag {
    ods_diag_entry_t *entries;
    size_t count, cap;
    char **secrets;
    size_t n_secrets;
    int errors; /* errors added, including those dropped for lack of memory */
};

ods_diag_t *ods_diag_new(void)
{
    return calloc(1, sizeof(ods_diag_t));
}

void ods_diag_free(ods_diag_t *diag)
{
    if (diag == NULL)
        return;
    for (size_t i = 0; i < diag->count; i++) {
        free(diag->entries[i].file);
        free(diag->entries[i].path);
        free(diag->entries[i].message);
    }
    free(diag->entries);
    for (size_t i = 0; i < diag->n_secrets; i++) {
        explicit_bzero(diag->secrets[i], strlen(diag->secrets[i]));
        free(diag->secrets[i]);
    }
    free(diag->secrets);
    free(diag);
}

int ods_diag_add_secret(ods_diag_t *diag, const char *secret)
{
    if (diag == NULL || secret == NULL || strlen(secret) < ODS_DIAG_MIN_SECRET)
        return ODS_OK;
    for (size_t i = 0; i < diag->n_secrets; i++)
        if (strcmp(diag->secrets[i], secret) == 0)
            return ODS_OK;
    char **s = realloc(diag->secrets, (diag->n_secrets + 1) * sizeof(*s));
    if (s == NULL)
        return ODS_ENOMEM;
    diag->secrets = s;
    if ((s[diag->n_secrets] = strdup(secret)) == NULL)
        return ODS_ENOMEM;
    diag->n_secrets++;
    return ODS_OK;
}

/*
 * Replace every occurrence of secret in *msg (heap string) by REDACTED. The
 * search goes on after each replacement, so a secret made of '*' that occurs
 * in REDACTED itself is not found again and again.
 */
static void redact_one(char **msg, const char *secret)
{
    size_t slen = strlen(secret), rlen = strlen(REDACTED), from = 0;
    char *p;
    while ((p = strstr(*msg + from, secret)) != NULL) {
        size_t off = (size_t)(p - *msg), len = strlen(*msg);
        char *n = malloc(len - slen + rlen + 1);
        if (n == NULL) {
            memset(p, '*', slen); /* cannot grow: overwrite in place */
            from = off + slen;
            continue;
        }
        memcpy(n, *msg, off);
        memcpy(n + off, REDACTED, rlen);
        memcpy(n + off + rlen, p + slen, len - off - slen + 1);
        explicit_bzero(*msg, len);
        free(*msg);
        *msg = n;
        from = off + rlen;
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void ods_diag_addv(ods_diag_t *diag, int severity, const char *file, int line, const char *path,
                   const char *fmt, va_list ap)
{
    if (diag == NULL)
        return;
    if (severity == ODS_DIAG_ERROR)
        diag->errors++;
    if (diag->count == diag->cap) {
        size_t cap = diag->cap ? diag->cap * 2 : 16;
        ods_diag_entry_t *e = realloc(diag->entries, cap * sizeof(*e));
        if (e == NULL)
            return;
        diag->entries = e;
        diag->cap = cap;
    }
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        return;
    for (size_t i = 0; i < diag->n_secrets; i++)
        redact_one(&msg, diag->secrets[i]);
    ods_diag_entry_t *e = &diag->entries[diag->count];
    e->severity = severity;
    e->line = line;
    e->message = msg;
    e->file = dup_or_null(file);
    e->path = dup_or_null(path);
    diag->count++;
}

void ods_diag_add(ods_diag_t *diag, int severity, const char *file, int line, const char *path,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ods_diag_addv(diag, severity, file, line, path, fmt, ap);
    va_end(ap);
}

size_t ods_diag_count(const ods_diag_t *diag)
{
    return diag ? diag->count : 0;
}

const ods_diag_entry_t *ods_diag_get(const ods_diag_t *diag, size_t i)
{
    if (diag == NULL || i >= diag->count)
        return NULL;
    return &diag->entries[i];
}

size_t ods_diag_count_severity(const ods_diag_t *diag, int severity)
{
    size_t n = 0;
    for (size_t i = 0; i < ods_diag_count(diag); i++)
        if (diag->entries[i].severity == severity)
            n++;
    return n;
}

int ods_diag_has_errors(const ods_diag_t *diag)
{
    return diag != NULL && diag->errors > 0;
}

const char *ods_diag_severity_name(int severity)
{
    switch (severity) {
    case ODS_DIAG_ERROR:
        return "ERROR";
    case ODS_DIAG_WARNING:
        return "WARNING";
    default:
        return "INFO";
    }
}

/* Append src to buf at *off without overflowing; *off counts what was needed. */
static void put(char *buf, size_t len, size_t *off, const char *src, size_t n)
{
    if (*off < len) {
        size_t room = len - *off - 1;
        memcpy(buf + *off, src, n < room ? n : room);
        buf[*off + (n < room ? n : room)] = '\0';
    }
    *off += n;
}

/* One path segment "Name[@name='x']" -> "Name 'x'"; "Name[2]" stays. */
static void display_segment(const char *seg, size_t n, char *buf, size_t len, size_t *off)
{
    const char *attr = memmem(seg, n, "[@name='", 8);
    if (attr == NULL) {
        put(buf, len, off, seg, n);
        return;
    }
    put(buf, len, off, seg, (size_t)(attr - seg));
    const char *v = attr + 8, *end = seg + n;
    size_t vlen = (size_t)(end - v);
    if (vlen >= 2 && end[-1] == ']' && end[-2] == '\'')
        vlen -= 2;
    put(buf, len, off, " '", 2);
    put(buf, len, off, v, vlen);
    put(buf, len, off, "'", 1);
}

/* End of the path segment starting at p: the next '/' outside quotes. */
static const char *segment_end(const char *p)
{
    int quoted = 0;
    for (; *p != '\0'; p++) {
        if (*p == '\'')
            quoted = !quoted;
        else if (*p == '/' && !quoted)
            break;
    }
    return p;
}

void ods_diag_path_display(const char *path, char *buf, size_t len)
{
    size_t off = 0;
    if (len == 0)
        return;
    buf[0] = '\0';
    if (path == NULL)
        return;
    const char *p = path;
    if (*p == '/') { /* drop the root element, unless it is all there is */
        const char *q = segment_end(p + 1);
        p = *q == '/' ? q + 1 : p + 1;
    }
    int named_before = 0;
    while (*p != '\0') {
        const char *q = segment_end(p);
        if (off > 0)
            put(buf, len, &off, named_before ? " " : "/", 1);
        display_segment(p, (size_t)(q - p), buf, len, &off);
        named_before = memmem(p, (size_t)(q - p), "[@name='", 8) != NULL;
        p = *q == '/' ? q + 1 : q;
    }
}

int ods_diag_format(const ods_diag_entry_t *e, char *buf, size_t len)
{
    char where[512] = "", elem[512] = "";
    if (e->file != NULL && e->line > 0)
        snprintf(where, sizeof(where), "%s:%d: ", e->file, e->line);
    else if (e->file != NULL)
        snprintf(where, sizeof(where), "%s: ", e->file);
    if (e->path != NULL) {
        ods_diag_path_display(e->path, elem, sizeof(elem) - 2);
        if (elem[0] != '\0')
            strcat(elem, ": ");
    }
    return snprintf(buf, len, "%s: %s%s%s", ods_diag_severity_name(e->severity), where, elem,
                    e->message);
}

void ods_diag_print(const ods_diag_t *diag, FILE *fp)
{
    for (size_t i = 0; i < ods_diag_count(diag); i++) {
        const ods_diag_entry_t *e = &diag->entries[i];
        int n = ods_diag_format(e, NULL, 0);
        char *line = malloc((size_t)n + 1);
        if (line == NULL)
            continue;
        ods_diag_format(e, line, (size_t)n + 1);
        fprintf(fp, "%s\n", line);
        free(line);
    }
}

int ods_diag_to_err(const ods_diag_t *diag, int code, ods_err_t *err)
{
    if (!ods_diag_has_errors(diag))
        return ODS_OK;
    const ods_diag_entry_t *first = NULL;
    for (size_t i = 0; i < diag->count && first == NULL; i++)
        if (diag->entries[i].severity == ODS_DIAG_ERROR)
            first = &diag->entries[i];
    if (first == NULL)
        return ods_err_set(err, code, "configuration error (out of memory reporting it)");
    char line[ODS_ERR_MSG_MAX];
    ods_diag_format(first, line, sizeof(line));
    const char *text = line + strlen("ERROR: ");
    size_t more = ods_diag_count_severity(diag, ODS_DIAG_ERROR) - 1;
    if (more > 0)
        return ods_err_set(err, code, "%s (and %zu more error%s)", text, more, more > 1 ? "s" : "");
    return ods_err_set(err, code, "%s", text);
}
