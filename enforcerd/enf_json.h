/*
 * enf_json.h -- the little JSON the enforcer prints for --json: strings
 * escaped per RFC 8259, times as epoch seconds plus UTC text. Pure.
 */
#ifndef ENF_JSON_H
#define ENF_JSON_H

#include <time.h>

#include "util/buf.h"

/* Append s as a JSON string (quoted, escaped); NULL appends null. */
void enf_json_str(ods_buf_t *b, const char *s);

/* Append "name":"value" (with a leading comma unless first). */
void enf_json_kv_str(ods_buf_t *b, int first, const char *name, const char *value);

/* Append "name":number. */
void enf_json_kv_int(ods_buf_t *b, int first, const char *name, long long value);

/* Append "name":true/false. */
void enf_json_kv_bool(ods_buf_t *b, int first, const char *name, int value);

/* Append "name":{"epoch":T,"utc":"YYYY-MM-DDTHH:MM:SSZ"}, or null for t < 0. */
void enf_json_kv_time(ods_buf_t *b, int first, const char *name, time_t t);

#endif
