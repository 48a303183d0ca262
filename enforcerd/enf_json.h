/*
 * enf_json.h -- the frame of the enforcer's --json documents
 * (docs/json/README.md): every list is an object holding one named array,
 * {"keys":[{...},{...}]}, followed by a newline; on failure standard output
 * holds no document at all. The values inside are written with util/json.h.
 *
 * Functions of their arguments only; the reply belongs to one command.
 */
#ifndef ENF_JSON_H
#define ENF_JSON_H

#include "enf_cmd.h"
#include "util/buf.h"
#include "util/json.h"

/* {"name":[ */
void enf_json_list_open(ods_buf_t *b, const char *name);

/* ]} and the newline that ends the document. */
void enf_json_list_close(ods_buf_t *b);

/* An array element's opening brace, after a comma unless first. */
void enf_json_item_open(ods_buf_t *b, int first);

/* Drop what standard output holds (a partial document), then enf_fail. */
int enf_json_fail(enf_reply_t *r, const ods_err_t *err);

#endif
