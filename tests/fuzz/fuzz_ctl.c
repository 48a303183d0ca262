/*
 * fuzz_ctl.c -- fuzz target for the control protocol decoders (common/ctl/proto.h).
 *
 * Input: byte 0 chooses how the rest is cut into reads (1..64 bytes at a time);
 * the rest is a byte stream as a daemon or odsctl would receive it. It goes
 * through the incremental decoder with both size limits, every frame through
 * the request or response decoder, and the whole rest through the request
 * decoder as a bare payload. Checked properties (abort on violation):
 *  - a rejected input always comes with a message;
 *  - a decoded request re-encodes to exactly the same bytes;
 *  - a decoded exit/version frame re-encodes to the same frame;
 *  - cutting the stream differently yields the same frames and the same error.
 */
#include "ctl/proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond)
{
    if (!cond)
        abort();
}

static void check_request(const uint8_t *p, size_t len)
{
    ods_err_t err = { 0 };
    ods_ctl_request_t *req = NULL;
    int rc = ods_ctl_request_decode(p, len, &req, &err);
    if (rc != ODS_OK) {
        require(rc == ODS_EPROTO && err.msg[0] != '\0');
        return;
    }
    ods_buf_t b = ODS_BUF_INIT;
    require(ods_ctl_request_encode(&b, req->argc, req->argv, &err) == ODS_OK);
    require(b.len == len + ODS_CTL_HEADER_LEN);
    require(memcmp(b.data + ODS_CTL_HEADER_LEN, p, len) == 0);
    ods_buf_free(&b);
    ods_ctl_request_free(req);
}

static void check_response(const ods_ctl_frame_t *f)
{
    ods_err_t err = { 0 };
    ods_ctl_response_t r;
    ods_buf_t b = ODS_BUF_INIT;
    if (ods_ctl_response_decode(f, &r, &err) != ODS_OK) {
        require(err.msg[0] != '\0');
        return;
    }
    if (r.type == ODS_CTL_FRAME_EXIT)
        require(ods_ctl_exit_encode(&b, r.exit_status, NULL) == ODS_OK);
    else if (r.type == ODS_CTL_FRAME_VERSION && r.version > 0)
        require(ods_ctl_version_encode(&b, r.version, NULL) == ODS_OK);
    else if (r.type == ODS_CTL_FRAME_STDOUT || r.type == ODS_CTL_FRAME_STDERR)
        require(r.len == f->len && (r.len == 0 || r.text == (const char *)f->payload));
    else
        require(r.type == ODS_CTL_FRAME_VERSION && r.version == 0);
    if (b.len > 0)
        require(b.len == f->len + ODS_CTL_HEADER_LEN &&
                memcmp(b.data + ODS_CTL_HEADER_LEN, f->payload, f->len) == 0);
    ods_buf_free(&b);
}

/* What one pass over the stream produced, to compare different cuts. */
typedef struct summary {
    size_t frames, bytes;
    int error;
    char msg[ODS_ERR_MSG_MAX];
} summary_t;

static void run_stream(const uint8_t *data, size_t size, uint32_t max, size_t step, summary_t *s)
{
    ods_ctl_decoder_t d;
    ods_ctl_frame_t f;
    ods_err_t err = { 0 };
    memset(s, 0, sizeof(*s));
    ods_ctl_decoder_init(&d, max);
    for (size_t off = 0; off < size && s->error == 0; off += step) {
        size_t n = size - off < step ? size - off : step;
        require(ods_ctl_decoder_feed(&d, data + off, n, &err) == ODS_OK);
        int rc;
        while ((rc = ods_ctl_decoder_next(&d, &f, &err)) == 1) {
            require(f.len < max);
            s->frames++;
            s->bytes += f.len;
            if (f.type == ODS_CTL_FRAME_REQUEST)
                check_request(f.payload, f.len);
            else
                check_response(&f);
        }
        require(ods_ctl_decoder_pending(&d) <= (size_t)max + 4 + step);
        if (rc < 0) {
            require(rc == ODS_EPROTO && err.msg[0] != '\0');
            s->error = rc;
            memcpy(s->msg, err.msg, sizeof(s->msg));
        }
    }
    if (s->error == 0 && ods_ctl_decoder_eof(&d, &err) != ODS_OK)
        require(err.msg[0] != '\0');
    ods_ctl_decoder_free(&d);
}

static void run_both_cuts(const uint8_t *data, size_t size, uint32_t max, size_t step)
{
    summary_t whole, cut;
    run_stream(data, size, max, size ? size : 1, &whole);
    run_stream(data, size, max, step, &cut);
    require(whole.frames == cut.frames && whole.bytes == cut.bytes && whole.error == cut.error);
    require(strcmp(whole.msg, cut.msg) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t step = 1 + data[0] % 64;
    run_both_cuts(data + 1, size - 1, ODS_CTL_REQUEST_MAX, step);
    run_both_cuts(data + 1, size - 1, ODS_CTL_RESPONSE_MAX, step);
    int version;
    if (ods_ctl_request_version(data + 1, size - 1, &version, NULL) == ODS_OK)
        check_request(data + 1, size - 1);
    return 0;
}
