/* json.c -- JSON text writers (see json.h). */
#include "util/json.h"

#include "util/status.h"

/* Length of the valid UTF-8 sequence (2..4 bytes) starting with a byte >= 0x80
 * at p, or 0 when it is not one (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF). p is NUL-terminated, so reading stops at its end. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : lo;
        hi = c == 0xED ? 0x9F : hi;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : lo;
        hi = c == 0xF4 ? 0x8F : hi;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* How many bytes from p can be copied as they are. */
static size_t plain_run(const unsigned char *p)
{
    size_t n = 0, len;
    for (;;) {
        unsigned char c = p[n];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            n++;
        else if (c >= 0x80 && (len = utf8_len(p + n)) > 0)
            n += len;
        else
            return n;
    }
}

/* The escape for one byte that plain_run stopped at. */
static int put_escape(ods_buf_t *b, unsigned char c)
{
    switch (c) {
    case '"':
        return ods_buf_append(b, "\\\"", 2);
    case '\\':
        return ods_buf_append(b, "\\\\", 2);
    case '\b':
        return ods_buf_append(b, "\\b", 2);
    case '\f':
        return ods_buf_append(b, "\\f", 2);
    case '\n':
        return ods_buf_append(b, "\\n", 2);
    case '\r':
        return ods_buf_append(b, "\\r", 2);
    case '\t':
        return ods_buf_append(b, "\\t", 2);
    default:
        if (c < 0x20)
            return ods_buf_printf(b, "\\u%04x", c);
        return ods_buf_append(b, "\\ufffd", 6); /* not UTF-8 */
    }
}

static int put_string(ods_buf_t *b, const unsigned char *p)
{
    int rc = ods_buf_append_u8(b, '"');
    while (rc == ODS_OK && *p) {
        size_t run = plain_run(p);
        if (run > 0) {
            rc = ods_buf_append(b, p, run);
            p += run;
        } else {
            rc = put_escape(b, *p++);
        }
    }
    return rc == ODS_OK ? ods_buf_append_u8(b, '"') : rc;
}

/* Undo a partly written token after a failure. */
static int settle(ods_buf_t *b, size_t start, int rc)
{
    if (rc != ODS_OK)
        b->len = start;
    return rc;
}

int ods_json_str(ods_buf_t *b, const char *s)
{
    if (s == NULL)
        return ods_json_null(b);
    size_t start = b->len;
    return settle(b, start, put_string(b, (const unsigned char *)s));
}

int ods_json_int(ods_buf_t *b, long long v)
{
    return ods_buf_printf(b, "%lld", v);
}

int ods_json_bool(ods_buf_t *b, int v)
{
    return v ? ods_buf_append(b, "true", 4) : ods_buf_append(b, "false", 5);
}

int ods_json_null(ods_buf_t *b)
{
    return ods_buf_append(b, "null", 4);
}

int ods_json_time(ods_buf_t *b, time_t t)
{
    return t < 0 ? ods_json_null(b) : ods_json_int(b, (long long)t);
}

int ods_json_sep(ods_buf_t *b, int first)
{
    return first ? ODS_OK : ods_buf_append_u8(b, ',');
}

int ods_json_key(ods_buf_t *b, int first, const char *name)
{
    size_t start = b->len;
    int rc = ods_json_sep(b, first);
    if (rc == ODS_OK)
        rc = ods_json_str(b, name);
    if (rc == ODS_OK)
        rc = ods_buf_append_u8(b, ':');
    return settle(b, start, rc);
}

int ods_json_kv_str(ods_buf_t *b, int first, const char *name, const char *value)
{
    size_t start = b->len;
    int rc = ods_json_key(b, first, name);
    return settle(b, start, rc == ODS_OK ? ods_json_str(b, value) : rc);
}

int ods_json_kv_int(ods_buf_t *b, int first, const char *name, long long value)
{
    size_t start = b->len;
    int rc = ods_json_key(b, first, name);
    return settle(b, start, rc == ODS_OK ? ods_json_int(b, value) : rc);
}

int ods_json_kv_bool(ods_buf_t *b, int first, const char *name, int value)
{
    size_t start = b->len;
    int rc = ods_json_key(b, first, name);
    return settle(b, start, rc == ODS_OK ? ods_json_bool(b, value) : rc);
}

int ods_json_kv_null(ods_buf_t *b, int first, const char *name)
{
    size_t start = b->len;
    int rc = ods_json_key(b, first, name);
    return settle(b, start, rc == ODS_OK ? ods_json_null(b) : rc);
}

int ods_json_kv_time(ods_buf_t *b, int first, const char *name, time_t t)
{
    size_t start = b->len;
    int rc = ods_json_key(b, first, name);
    return settle(b, start, rc == ODS_OK ? ods_json_time(b, t) : rc);
}
