#include "conf/xmlwrite.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/duration.h"
#include "util/status.h"

void ods_xw_init(ods_xw_t *w, ods_buf_t *buf, int depth)
{
    w->buf = buf;
    w->depth = depth;
    w->err = ODS_OK;
}

static void raw(ods_xw_t *w, const char *s, size_t n)
{
    if (w->err == ODS_OK && ods_buf_append(w->buf, s, n) != ODS_OK)
        w->err = ODS_ENOMEM;
}

static void str(ods_xw_t *w, const char *s)
{
    raw(w, s, strlen(s));
}

/*
 * Text and attribute values. Tab, newline and carriage return are written as
 * character references: a parser turns them into spaces in attribute values,
 * and a bare carriage return into a newline anywhere (XML 1.0 3.3.3, 2.11).
 */
static const struct {
    char c;
    const char *ref;
} refs[] = {
    { '&', "&amp;" },   { '<', "&lt;" },  { '>', "&gt;" },   { '"', "&quot;" },
    { '\'', "&apos;" }, { '\t', "&#9;" }, { '\n', "&#10;" }, { '\r', "&#13;" },
};

static void escaped(ods_xw_t *w, const char *s)
{
    while (*s != '\0') {
        size_t plain = strcspn(s, "&<>\"'\t\n\r");
        raw(w, s, plain);
        s += plain;
        for (size_t i = 0; *s != '\0' && i < sizeof(refs) / sizeof(refs[0]); i++)
            if (refs[i].c == *s)
                str(w, refs[i].ref);
        if (*s != '\0')
            s++;
    }
}

static void indent(ods_xw_t *w)
{
    for (int i = 0; i < w->depth; i++)
        str(w, "\t");
}

static void open_tag(ods_xw_t *w, const char *name, const char *attr, const char *value)
{
    indent(w);
    str(w, "<");
    str(w, name);
    if (attr != NULL) {
        str(w, " ");
        str(w, attr);
        str(w, "=\"");
        escaped(w, value ? value : "");
        str(w, "\"");
    }
}

void ods_xw_declaration(ods_xw_t *w)
{
    str(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

void ods_xw_start(ods_xw_t *w, const char *name, const char *attr, const char *value)
{
    open_tag(w, name, attr, value);
    str(w, ">\n");
    w->depth++;
}

void ods_xw_end(ods_xw_t *w, const char *name)
{
    w->depth--;
    indent(w);
    str(w, "</");
    str(w, name);
    str(w, ">\n");
}

void ods_xw_leaf_attr(ods_xw_t *w, const char *name, const char *attr, const char *value,
                      const char *text)
{
    open_tag(w, name, attr, value);
    if (text == NULL) {
        str(w, "/>\n");
        return;
    }
    str(w, ">");
    escaped(w, text);
    str(w, "</");
    str(w, name);
    str(w, ">\n");
}

void ods_xw_leaf(ods_xw_t *w, const char *name, const char *text)
{
    ods_xw_leaf_attr(w, name, NULL, NULL, text);
}

void ods_xw_duration(ods_xw_t *w, const char *name, int64_t seconds)
{
    char buf[32];
    ods_duration_format(seconds, buf, sizeof(buf));
    ods_xw_leaf(w, name, buf);
}

void ods_xw_uint(ods_xw_t *w, const char *name, uint64_t value)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%" PRIu64, value);
    ods_xw_leaf(w, name, buf);
}

void ods_xw_flag(ods_xw_t *w, const char *name, int cond)
{
    if (cond)
        ods_xw_leaf(w, name, NULL);
}

int ods_xw_finish(const ods_xw_t *w)
{
    return w->err;
}
