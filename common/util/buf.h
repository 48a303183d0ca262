/*
 * buf.h -- a growable byte buffer (text output, wire-format data).
 *
 * The buffer owns its memory; ods_buf_free releases it. Append functions
 * return ODS_OK or ODS_ENOMEM; after a failed append the buffer still holds
 * what it held before. Not thread-safe per object.
 */
#ifndef ODS_UTIL_BUF_H
#define ODS_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct ods_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
} ods_buf_t;

#define ODS_BUF_INIT                                                                               \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

int ods_buf_reserve(ods_buf_t *b, size_t extra);
int ods_buf_append(ods_buf_t *b, const void *data, size_t len);
int ods_buf_append_u8(ods_buf_t *b, uint8_t v);
int ods_buf_append_u16(ods_buf_t *b, uint16_t v); /* network byte order */
int ods_buf_append_u32(ods_buf_t *b, uint32_t v); /* network byte order */
int ods_buf_printf(ods_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The decimal digits of v (no printf: this is on the zone writer's hot path). */
int ods_buf_append_uint(ods_buf_t *b, uint64_t v);
/* A NUL-terminated string, without the NUL. */
int ods_buf_append_str(ods_buf_t *b, const char *s);
/* NUL-terminate without counting the NUL in len; returns the data as a string. */
const char *ods_buf_cstr(ods_buf_t *b);
void ods_buf_reset(ods_buf_t *b);
void ods_buf_free(ods_buf_t *b);
/* Overwrite the whole capacity, then free: for buffers that held a secret (a PIN). */
void ods_buf_wipe_free(ods_buf_t *b);

#endif
