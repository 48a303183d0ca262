/*
 * json.h -- writing JSON text (RFC 8259) into an ods_buf_t, for the daemons'
 * --json output (docs/json/README.md).
 *
 * The writers append one token or one member; the caller writes the braces
 * and brackets. A member writer takes `first`: non-zero for the first member
 * of an object (no comma before it), zero for the others.
 *
 *   ods_buf_printf(b, "{");
 *   ods_json_kv_str(b, 1, "zone", "example.com");
 *   ods_json_kv_time(b, 0, "next_change", -1);          ->
 * {"zone":"example.com","next_change":null} ods_buf_printf(b, "}");
 *
 * Strings are written as UTF-8 with the escapes RFC 8259 requires: '"', '\\'
 * and the control characters U+0000..U+001F (\b \f \n \r \t, else \u00XX).
 * Bytes that are not valid UTF-8 (stray continuation bytes, overlong forms,
 * surrogates, truncated sequences, code points above U+10FFFF) become U+FFFD
 * (written as \ufffd), so the output is always valid JSON text.
 *
 * Every function returns ODS_OK or ODS_ENOMEM; after a failure the buffer
 * holds what it held before the call. Not thread-safe per buffer; the
 * functions keep no state of their own.
 */
#ifndef ODS_UTIL_JSON_H
#define ODS_UTIL_JSON_H

#include <time.h>

#include "util/buf.h"

/* A string value; NULL writes null. */
int ods_json_str(ods_buf_t *b, const char *s);

/* An integer value. */
int ods_json_int(ods_buf_t *b, long long v);

/* true or false (v non-zero is true). */
int ods_json_bool(ods_buf_t *b, int v);

/* null. */
int ods_json_null(ods_buf_t *b);

/* A time as seconds since 1970-01-01 UTC; t < 0 ("none") writes null. */
int ods_json_time(ods_buf_t *b, time_t t);

/* A comma unless first (between array elements). */
int ods_json_sep(ods_buf_t *b, int first);

/* The start of a member: [","] "name": -- the caller writes the value. */
int ods_json_key(ods_buf_t *b, int first, const char *name);

/* Members: [","] "name": value, with the value as written by the functions above. */
int ods_json_kv_str(ods_buf_t *b, int first, const char *name, const char *value);
int ods_json_kv_int(ods_buf_t *b, int first, const char *name, long long value);
int ods_json_kv_bool(ods_buf_t *b, int first, const char *name, int value);
int ods_json_kv_null(ods_buf_t *b, int first, const char *name);
int ods_json_kv_time(ods_buf_t *b, int first, const char *name, time_t t);

#endif
