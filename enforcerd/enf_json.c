/* enf_json.c -- JSON output helpers (see enf_json.h). */
#include "enf_json.h"

#include <stdio.h>
#include <string.h>

void enf_json_str(ods_buf_t *b, const char *s)
{
    if (!s) {
        ods_buf_printf(b, "null");
        return;
    }
    ods_buf_append_u8(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            ods_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            ods_buf_printf(b, "\\u%04x", *p);
        else
            ods_buf_append_u8(b, *p);
    }
    ods_buf_append_u8(b, '"');
}

static void key(ods_buf_t *b, int first, const char *name)
{
    if (!first)
        ods_buf_append_u8(b, ',');
    enf_json_str(b, name);
    ods_buf_append_u8(b, ':');
}

void enf_json_kv_str(ods_buf_t *b, int first, const char *name, const char *value)
{
    key(b, first, name);
    enf_json_str(b, value);
}

void enf_json_kv_int(ods_buf_t *b, int first, const char *name, long long value)
{
    key(b, first, name);
    ods_buf_printf(b, "%lld", value);
}

void enf_json_kv_bool(ods_buf_t *b, int first, const char *name, int value)
{
    key(b, first, name);
    ods_buf_printf(b, "%s", value ? "true" : "false");
}

void enf_json_kv_time(ods_buf_t *b, int first, const char *name, time_t t)
{
    key(b, first, name);
    if (t < 0) {
        ods_buf_printf(b, "null");
        return;
    }
    struct tm tm;
    char text[32];
    gmtime_r(&t, &tm);
    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
    ods_buf_printf(b, "{\"epoch\":%lld,\"utc\":\"%s\"}", (long long)t, text);
}
