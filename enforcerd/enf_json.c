/* enf_json.c -- the frame of the enforcer's --json documents (see enf_json.h). */
#include "enf_json.h"

void enf_json_list_open(ods_buf_t *b, const char *name)
{
    ods_buf_append_u8(b, '{');
    ods_json_key(b, 1, name);
    ods_buf_append_u8(b, '[');
}

void enf_json_list_close(ods_buf_t *b)
{
    ods_buf_append(b, "]}\n", 3);
}

void enf_json_item_open(ods_buf_t *b, int first)
{
    ods_json_sep(b, first);
    ods_buf_append_u8(b, '{');
}

int enf_json_fail(enf_reply_t *r, const ods_err_t *err)
{
    ods_buf_reset(&r->out);
    return enf_fail(r, err);
}
