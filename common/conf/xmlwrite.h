/*
 * xmlwrite.h -- write the small XML documents odsng produces (signer
 * configurations, zonelist.xml, policy export) into an ods_buf_t, indented
 * with tabs, text and attribute values escaped.
 *
 * The writer is sticky: after the first out-of-memory error every call does
 * nothing and ods_xw_finish returns ODS_ENOMEM. Not thread-safe per object.
 */
#ifndef ODS_CONF_XMLWRITE_H
#define ODS_CONF_XMLWRITE_H

#include <stdint.h>

#include "util/buf.h"

typedef struct ods_xw {
    ods_buf_t *buf;
    int depth;
    int err;
} ods_xw_t;

/* Start writing into buf at indentation depth (0 for a document). */
void ods_xw_init(ods_xw_t *w, ods_buf_t *buf, int depth);

/* <?xml version="1.0" encoding="UTF-8"?> */
void ods_xw_declaration(ods_xw_t *w);

/* <name> or <name attr="value"> (attr NULL for none); goes one level deeper. */
void ods_xw_start(ods_xw_t *w, const char *name, const char *attr, const char *value);

/* </name>; one level up. */
void ods_xw_end(ods_xw_t *w, const char *name);

/* <name>text</name>, or <name/> when text is NULL. */
void ods_xw_leaf(ods_xw_t *w, const char *name, const char *text);

/* <name attr="value">text</name> */
void ods_xw_leaf_attr(ods_xw_t *w, const char *name, const char *attr, const char *value,
                      const char *text);

/* <name>duration</name> (ISO 8601, e.g. PT3600S written as PT1H). */
void ods_xw_duration(ods_xw_t *w, const char *name, int64_t seconds);

/* <name>decimal</name> */
void ods_xw_uint(ods_xw_t *w, const char *name, uint64_t value);

/* <name/> if cond is non-zero, nothing otherwise. */
void ods_xw_flag(ods_xw_t *w, const char *name, int cond);

/* ODS_OK, or ODS_ENOMEM if any write failed. */
int ods_xw_finish(const ods_xw_t *w);

#endif
