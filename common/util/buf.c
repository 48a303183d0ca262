#include "util/buf.h"
#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ods_buf_reserve(ods_buf_t *b, size_t extra)
{
    if (b->cap - b->len > extra)
        return ODS_OK;
    size_t need = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return ODS_ENOMEM;
        cap *= 2;
    }
    uint8_t *d = realloc(b->data, cap);
    if (d == NULL)
        return ODS_ENOMEM;
    b->data = d;
    b->cap = cap;
    return ODS_OK;
}

int ods_buf_append(ods_buf_t *b, const void *data, size_t len)
{
    if (ods_buf_reserve(b, len) != ODS_OK)
        return ODS_ENOMEM;
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    return ODS_OK;
}

int ods_buf_append_u8(ods_buf_t *b, uint8_t v)
{
    return ods_buf_append(b, &v, 1);
}

int ods_buf_append_u16(ods_buf_t *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    return ods_buf_append(b, x, 2);
}

int ods_buf_append_u32(ods_buf_t *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return ods_buf_append(b, x, 4);
}

int ods_buf_printf(ods_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ODS_EINVAL;
    if (ods_buf_reserve(b, (size_t)n + 1) != ODS_OK)
        return ODS_ENOMEM;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ODS_OK;
}

int ods_buf_append_uint(ods_buf_t *b, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (ods_buf_reserve(b, n) != ODS_OK)
        return ODS_ENOMEM;
    while (n > 0)
        b->data[b->len++] = (uint8_t)digits[--n];
    return ODS_OK;
}

int ods_buf_append_str(ods_buf_t *b, const char *s)
{
    return ods_buf_append(b, s, strlen(s));
}

const char *ods_buf_cstr(ods_buf_t *b)
{
    if (ods_buf_reserve(b, 1) != ODS_OK)
        return NULL;
    b->data[b->len] = '\0';
    return (const char *)b->data;
}

void ods_buf_reset(ods_buf_t *b)
{
    b->len = 0;
}

void ods_buf_wipe_free(ods_buf_t *b)
{
    if (b->data != NULL)
        explicit_bzero(b->data, b->cap);
    ods_buf_free(b);
}

void ods_buf_free(ods_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
