/* proto.c -- encoding and validating control-protocol frames (see proto.h). */
#include "ctl/proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* ---- framing ---- */

int ods_ctl_frame_parse(const uint8_t *data, size_t avail, uint32_t max_len, ods_ctl_frame_t *frame,
                        size_t *consumed, ods_err_t *err)
{
    if (avail < 4)
        return 0;
    uint32_t n = get_u32(data);
    if (n == 0)
        return ods_err_set(err, ODS_EPROTO,
                           "frame of length 0 (a frame holds at least its type byte)");
    if (n > max_len)
        return ods_err_set(err, ODS_EPROTO, "frame of %u bytes exceeds the maximum of %u bytes", n,
                           max_len);
    if (avail - 4 < n)
        return 0;
    frame->type = data[4];
    frame->payload = data + ODS_CTL_HEADER_LEN;
    frame->len = n - 1;
    *consumed = (size_t)n + 4;
    return 1;
}

int ods_ctl_frame_encode(ods_buf_t *out, uint8_t type, const void *payload, size_t len,
                         uint32_t max_len, ods_err_t *err)
{
    if (len >= max_len)
        return ods_err_set(err, ODS_EINVAL, "frame payload of %zu bytes exceeds the maximum of %u",
                           len, max_len - 1);
    size_t old = out->len;
    if (ods_buf_reserve(out, ODS_CTL_HEADER_LEN + len) != ODS_OK ||
        ods_buf_append_u32(out, (uint32_t)len + 1) != ODS_OK ||
        ods_buf_append_u8(out, type) != ODS_OK || ods_buf_append(out, payload, len) != ODS_OK) {
        out->len = old;
        return ods_err_set(err, ODS_ENOMEM, "out of memory encoding a control frame");
    }
    return ODS_OK;
}

/* ---- argument text ---- */

static int arg_bad_utf8(int code, int n, const uint8_t *s, size_t i, ods_err_t *err)
{
    return ods_err_set(err, code, "argument %d is not valid UTF-8 (byte 0x%02x at offset %zu)", n,
                       s[i], i);
}

static int arg_control(int code, int n, uint32_t cp, size_t i, ods_err_t *err)
{
    return ods_err_set(err, code,
                       "argument %d contains control character U+%04X at offset %zu: only "
                       "printable text and tab are allowed",
                       n, cp, i);
}

/* Length of the UTF-8 sequence that starts with lead byte c and its smallest code point. */
static size_t utf8_seq(uint8_t c, uint32_t *cp, uint32_t *min)
{
    if (c >= 0xc2 && c <= 0xdf) {
        *cp = c & 0x1f;
        *min = 0x80;
        return 2;
    }
    if (c >= 0xe0 && c <= 0xef) {
        *cp = c & 0x0f;
        *min = 0x800;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        *cp = c & 0x07;
        *min = 0x10000;
        return 4;
    }
    return 0;
}

/* Decode the multi-byte sequence at s[i]; returns its length or 0 when invalid. */
static size_t utf8_decode(const uint8_t *s, size_t len, size_t i, uint32_t *out)
{
    uint32_t cp, min;
    size_t n = utf8_seq(s[i], &cp, &min);
    if (n == 0 || len - i < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *out = cp;
    return n;
}

/*
 * Argument n (1-based) of len bytes: valid UTF-8, no control characters but tab.
 * Fails with code: ODS_EINVAL when encoding (the user's input), ODS_EPROTO when decoding.
 */
static int check_arg(const uint8_t *s, size_t len, int n, int code, ods_err_t *err)
{
    if (n == 1 && len == 0)
        return ods_err_set(err, code, "argument 1 (the command name) is empty");
    for (size_t i = 0; i < len;) {
        uint32_t cp = s[i];
        size_t step = 1;
        if (cp >= 0x80) {
            step = utf8_decode(s, len, i, &cp);
            if (step == 0)
                return arg_bad_utf8(code, n, s, i, err);
        }
        if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f))
            return arg_control(code, n, cp, i, err);
        i += step;
    }
    return ODS_OK;
}

/* ---- requests ---- */

/* Total payload size of argv, or 0 with err set when an argument is missing or too long. */
static size_t request_size(int argc, char *const *argv, ods_err_t *err)
{
    size_t total = ODS_CTL_REQUEST_HEAD;
    if (argc < 1 || argc > ODS_CTL_ARGC_MAX || argv == NULL) {
        ods_err_set(err, ODS_EINVAL, "a command has 1 to %d arguments, not %d", ODS_CTL_ARGC_MAX,
                    argc);
        return 0;
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i] == NULL) {
            ods_err_set(err, ODS_EINVAL, "argument %d is missing (NULL)", i + 1);
            return 0;
        }
        size_t len = strlen(argv[i]);
        if (check_arg((const uint8_t *)argv[i], len, i + 1, ODS_EINVAL, err) != ODS_OK)
            return 0;
        total += len + 1;
        if (total >= ODS_CTL_REQUEST_MAX) {
            ods_err_set(err, ODS_EINVAL, "the command is too long: at most %u bytes in all",
                        ODS_CTL_REQUEST_MAX - 1 - ODS_CTL_REQUEST_HEAD);
            return 0;
        }
    }
    return total;
}

int ods_ctl_request_encode(ods_buf_t *out, int argc, char *const *argv, ods_err_t *err)
{
    size_t total = request_size(argc, argv, err);
    if (total == 0)
        return ODS_EINVAL;
    size_t old = out->len;
    int rc = ods_buf_reserve(out, ODS_CTL_HEADER_LEN + total);
    rc = rc ? rc : ods_buf_append_u32(out, (uint32_t)total + 1);
    rc = rc ? rc : ods_buf_append_u8(out, ODS_CTL_FRAME_REQUEST);
    rc = rc ? rc : ods_buf_append(out, ODS_CTL_MAGIC, ODS_CTL_MAGIC_LEN);
    rc = rc ? rc : ods_buf_append_u8(out, ODS_CTL_PROTO_VERSION);
    rc = rc ? rc : ods_buf_append_u16(out, (uint16_t)argc);
    for (int i = 0; rc == ODS_OK && i < argc; i++)
        rc = ods_buf_append(out, argv[i], strlen(argv[i]) + 1);
    if (rc != ODS_OK) {
        out->len = old;
        return ods_err_set(err, ODS_ENOMEM, "out of memory encoding the command");
    }
    return ODS_OK;
}

int ods_ctl_request_version(const uint8_t *payload, size_t len, int *version, ods_err_t *err)
{
    if (len < ODS_CTL_MAGIC_LEN + 1)
        return ods_err_set(err, ODS_EPROTO,
                           "request of %zu bytes is too short for its magic and version", len);
    if (memcmp(payload, ODS_CTL_MAGIC, ODS_CTL_MAGIC_LEN) != 0)
        return ods_err_set(err, ODS_EPROTO,
                           "not an odsctl request (magic %02x %02x %02x %02x, want \"%s\")",
                           payload[0], payload[1], payload[2], payload[3], ODS_CTL_MAGIC);
    *version = payload[ODS_CTL_MAGIC_LEN];
    return ODS_OK;
}

/* Check the header and return argc, or a negative error. */
static int request_head(const uint8_t *payload, size_t len, ods_err_t *err)
{
    int version = 0;
    int rc = ods_ctl_request_version(payload, len, &version, err);
    if (rc != ODS_OK)
        return rc;
    if (version != ODS_CTL_PROTO_VERSION)
        return ods_err_set(err, ODS_EPROTO, "request uses protocol version %d, expected %d",
                           version, ODS_CTL_PROTO_VERSION);
    if (len < ODS_CTL_REQUEST_HEAD)
        return ods_err_set(err, ODS_EPROTO, "request of %zu bytes is too short for its header",
                           len);
    int argc = (payload[5] << 8) | payload[6];
    if (argc < 1 || argc > ODS_CTL_ARGC_MAX)
        return ods_err_set(err, ODS_EPROTO, "request has %d arguments, allowed are 1 to %d", argc,
                           ODS_CTL_ARGC_MAX);
    return argc;
}

/* Validate the argc arguments that follow the header: nothing missing, nothing extra. */
static int request_args(const uint8_t *payload, size_t len, int argc, ods_err_t *err)
{
    size_t pos = ODS_CTL_REQUEST_HEAD;
    for (int i = 0; i < argc; i++) {
        const uint8_t *nul = memchr(payload + pos, 0, len - pos);
        if (nul == NULL)
            return ods_err_set(err, ODS_EPROTO,
                               "argument %d of %d is not NUL-terminated (request truncated)", i + 1,
                               argc);
        size_t alen = (size_t)(nul - (payload + pos));
        int rc = check_arg(payload + pos, alen, i + 1, ODS_EPROTO, err);
        if (rc != ODS_OK)
            return rc;
        pos += alen + 1;
    }
    if (pos != len)
        return ods_err_set(err, ODS_EPROTO, "request has %zu bytes after its last argument",
                           len - pos);
    return ODS_OK;
}

int ods_ctl_request_decode(const uint8_t *payload, size_t len, ods_ctl_request_t **out,
                           ods_err_t *err)
{
    int argc = request_head(payload, len, err);
    if (argc < 0)
        return argc;
    int rc = request_args(payload, len, argc, err);
    if (rc != ODS_OK)
        return rc;
    size_t strs = len - ODS_CTL_REQUEST_HEAD;
    size_t vec = sizeof(ods_ctl_request_t) + sizeof(char *) * ((size_t)argc + 1);
    ods_ctl_request_t *req = malloc(vec + strs);
    if (req == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory decoding a request");
    req->argc = argc;
    req->size = vec + strs;
    req->argv = (char **)(req + 1);
    char *p = (char *)req + vec;
    memcpy(p, payload + ODS_CTL_REQUEST_HEAD, strs);
    for (int i = 0; i < argc; i++) {
        req->argv[i] = p;
        p += strlen(p) + 1;
    }
    req->argv[argc] = NULL;
    *out = req;
    return ODS_OK;
}

void ods_ctl_request_free(ods_ctl_request_t *req)
{
    /* an argument may be a PIN (odsctl hsm login): leave no copy in freed memory;
     * the whole block, since a handler may have rearranged argv */
    if (req != NULL)
        explicit_bzero(req, req->size);
    free(req);
}

/* ---- responses ---- */

int ods_ctl_text_encode(ods_buf_t *out, uint8_t type, const void *text, size_t len, ods_err_t *err)
{
    if (type != ODS_CTL_FRAME_STDOUT && type != ODS_CTL_FRAME_STDERR)
        return ods_err_set(err, ODS_EINVAL, "frame type 0x%02x is not a text frame", type);
    size_t old = out->len;
    const uint8_t *p = text;
    while (len > 0) {
        size_t n = len < ODS_CTL_TEXT_CHUNK ? len : ODS_CTL_TEXT_CHUNK;
        int rc = ods_ctl_frame_encode(out, type, p, n, ODS_CTL_RESPONSE_MAX, err);
        if (rc != ODS_OK) {
            out->len = old;
            return rc;
        }
        p += n;
        len -= n;
    }
    return ODS_OK;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int ods_ctl_exit_encode(ods_buf_t *out, int status, ods_err_t *err)
{
    if (status < 0 || status > 255)
        return ods_err_set(err, ODS_EINVAL, "exit status %d is outside 0..255", status);
    uint8_t p[4];
    put_u32(p, (uint32_t)status);
    return ods_ctl_frame_encode(out, ODS_CTL_FRAME_EXIT, p, sizeof(p), ODS_CTL_RESPONSE_MAX, err);
}

int ods_ctl_version_encode(ods_buf_t *out, int version, ods_err_t *err)
{
    if (version < 1 || version > 255)
        return ods_err_set(err, ODS_EINVAL, "protocol version %d is outside 1..255", version);
    uint8_t v = (uint8_t)version;
    return ods_ctl_frame_encode(out, ODS_CTL_FRAME_VERSION, &v, 1, ODS_CTL_RESPONSE_MAX, err);
}

static int response_fixed(const ods_ctl_frame_t *f, size_t want, const char *what, ods_err_t *err)
{
    if (f->len != want)
        return ods_err_set(err, ODS_EPROTO, "%s frame has a %zu-byte payload, expected %zu", what,
                           f->len, want);
    return ODS_OK;
}

int ods_ctl_response_decode(const ods_ctl_frame_t *frame, ods_ctl_response_t *out, ods_err_t *err)
{
    ods_ctl_response_t r = { .type = frame->type };
    switch (frame->type) {
    case ODS_CTL_FRAME_STDOUT:
    case ODS_CTL_FRAME_STDERR:
        r.text = (const char *)frame->payload;
        r.len = frame->len;
        break;
    case ODS_CTL_FRAME_EXIT: {
        int rc = response_fixed(frame, 4, "exit", err);
        if (rc != ODS_OK)
            return rc;
        uint32_t st = get_u32(frame->payload);
        if (st > 255)
            return ods_err_set(err, ODS_EPROTO, "exit status %u is outside 0..255", st);
        r.exit_status = (int)st;
        break;
    }
    case ODS_CTL_FRAME_VERSION: {
        int rc = response_fixed(frame, 1, "version", err);
        if (rc != ODS_OK)
            return rc;
        r.version = frame->payload[0];
        break;
    }
    default:
        return ods_err_set(err, ODS_EPROTO, "unknown frame type 0x%02x from the daemon",
                           frame->type);
    }
    *out = r;
    return ODS_OK;
}

int ods_ctl_version_mismatch(ods_err_t *err, int daemon_version)
{
    return ods_err_set(err, ODS_EPROTO,
                       "odsctl speaks protocol %d, the daemon %d: use the odsctl that came with "
                       "the daemon",
                       ODS_CTL_PROTO_VERSION, daemon_version);
}

/* ---- incremental decoder ---- */

void ods_ctl_decoder_init(ods_ctl_decoder_t *d, uint32_t max_len)
{
    memset(d, 0, sizeof(*d));
    d->max_len = max_len;
}

int ods_ctl_decoder_feed(ods_ctl_decoder_t *d, const void *data, size_t len, ods_err_t *err)
{
    if (d->failed)
        return ods_err_set(err, d->failed, "the control stream was already malformed");
    if (d->off > 0) {
        memmove(d->buf.data, d->buf.data + d->off, d->buf.len - d->off);
        d->buf.len -= d->off;
        d->off = 0;
    }
    if (ods_buf_append(&d->buf, data, len) != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory buffering a control frame");
    return ODS_OK;
}

int ods_ctl_decoder_next(ods_ctl_decoder_t *d, ods_ctl_frame_t *frame, ods_err_t *err)
{
    if (d->failed)
        return ods_err_set(err, d->failed, "the control stream was already malformed");
    if (ods_ctl_decoder_pending(d) == 0)
        return 0;
    size_t used = 0;
    int rc = ods_ctl_frame_parse(d->buf.data + d->off, d->buf.len - d->off, d->max_len, frame,
                                 &used, err);
    if (rc < 0)
        d->failed = rc;
    else if (rc == 1)
        d->off += used;
    return rc;
}

size_t ods_ctl_decoder_pending(const ods_ctl_decoder_t *d)
{
    return d->buf.len - d->off;
}

int ods_ctl_decoder_eof(const ods_ctl_decoder_t *d, ods_err_t *err)
{
    size_t have = ods_ctl_decoder_pending(d);
    if (have == 0)
        return ODS_OK;
    if (have < 4)
        return ods_err_set(err, ODS_EPROTO,
                           "connection closed after %zu of the 4 bytes of a frame length", have);
    uint32_t n = get_u32(d->buf.data + d->off);
    return ods_err_set(err, ODS_EPROTO, "connection closed after %zu of %llu bytes of a frame",
                       have, (unsigned long long)n + 4);
}

void ods_ctl_decoder_free(ods_ctl_decoder_t *d)
{
    ods_buf_wipe_free(&d->buf); /* it held the request, maybe with a PIN */
    d->off = 0;
}
