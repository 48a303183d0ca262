/* Unit tests for common/ctl/proto: encoders, decoders, every malformed case. */
#include "tap.h"

#include "ctl/proto.h"

#include <stdint.h>

/* Build a frame around a hand-made payload. */
static void raw_frame(ods_buf_t *b, uint8_t type, const void *payload, size_t len)
{
    ods_buf_reset(b);
    ods_buf_append_u32(b, (uint32_t)len + 1);
    ods_buf_append_u8(b, type);
    ods_buf_append(b, payload, len);
}

/* ---- requests ---- */

static void test_request_roundtrip(int argc, char **argv, const char *what)
{
    ods_buf_t b = ODS_BUF_INIT;
    ods_err_t err = { 0 };
    ods_ctl_frame_t f;
    size_t used = 0;
    ods_ctl_request_t *req = NULL;
    int version = 0;
    int rc = ods_ctl_request_encode(&b, argc, argv, &err);
    is_int(rc, ODS_OK, "%s: encoded (%s)", what, err.msg);
    rc = ods_ctl_frame_parse(b.data, b.len, ODS_CTL_REQUEST_MAX, &f, &used, &err);
    ok(rc == 1 && used == b.len && f.type == ODS_CTL_FRAME_REQUEST, "%s: one request frame", what);
    rc = ods_ctl_request_version(f.payload, f.len, &version, &err);
    ok(rc == ODS_OK && version == ODS_CTL_PROTO_VERSION, "%s: version %d", what, version);
    rc = ods_ctl_request_decode(f.payload, f.len, &req, &err);
    is_int(rc, ODS_OK, "%s: decoded (%s)", what, err.msg);
    if (req) {
        int same = req->argc == argc && req->argv[argc] == NULL;
        for (int i = 0; same && i < argc; i++)
            same = strcmp(req->argv[i], argv[i]) == 0;
        ok(same, "%s: same %d arguments back", what, argc);
    }
    ods_ctl_request_free(req);
    ods_buf_free(&b);
}

static void test_request_roundtrips(void)
{
    char *a1[] = { "key", "list", "--verbose" };
    test_request_roundtrip(3, a1, "key list --verbose");
    char *a2[] = { "zone", "add",       "--zone",           "b\303\274cher.example",
                   "",     "tab\there", "\xf0\x9f\x94\x91", "\xe2\x82\xac" };
    test_request_roundtrip(8, a2, "UTF-8, empty and tab arguments");
    char *many[ODS_CTL_ARGC_MAX];
    for (int i = 0; i < ODS_CTL_ARGC_MAX; i++)
        many[i] = "x";
    test_request_roundtrip(ODS_CTL_ARGC_MAX, many, "256 arguments");
    size_t biglen = ODS_CTL_REQUEST_MAX - 1 - ODS_CTL_REQUEST_HEAD - 1;
    char *big = malloc(biglen + 1);
    memset(big, 'a', biglen);
    big[biglen] = '\0';
    char *a3[] = { big };
    test_request_roundtrip(1, a3, "longest single argument");
    free(big);
}

static void encode_bad(int argc, char **argv, const char *want, const char *what)
{
    ods_buf_t b = ODS_BUF_INIT;
    ods_err_t err = { 0 };
    ods_buf_append(&b, "keep", 4);
    int rc = ods_ctl_request_encode(&b, argc, argv, &err);
    ok(rc == ODS_EINVAL && b.len == 4, "%s: refused, output untouched", what);
    is_str(err.msg, want, "%s: message", what);
    ods_buf_free(&b);
}

static void test_request_encode_errors(void)
{
    char *a[] = { "key", "\x1b[31m" };
    encode_bad(2, a,
               "argument 2 contains control character U+001B at offset 0: only printable "
               "text and tab are allowed",
               "escape");
    char *nl[] = { "zone", "add", "ex\nample" };
    encode_bad(3, nl,
               "argument 3 contains control character U+000A at offset 2: only printable "
               "text and tab are allowed",
               "newline");
    char *del[] = { "a\x7f" };
    encode_bad(1, del,
               "argument 1 contains control character U+007F at offset 1: only printable "
               "text and tab are allowed",
               "DEL");
    char *c1[] = { "x", "\xc2\x85" };
    encode_bad(2, c1,
               "argument 2 contains control character U+0085 at offset 0: only printable "
               "text and tab are allowed",
               "C1 control");
    char *ff[] = { "\xff" };
    encode_bad(1, ff, "argument 1 is not valid UTF-8 (byte 0xff at offset 0)", "byte 0xff");
    char *ov[] = { "x", "ab\xc0\xaf" };
    encode_bad(2, ov, "argument 2 is not valid UTF-8 (byte 0xc0 at offset 2)", "overlong");
    char *ov3[] = { "x", "\xe0\x80\xaf" };
    encode_bad(2, ov3, "argument 2 is not valid UTF-8 (byte 0xe0 at offset 0)", "overlong 3");
    char *sur[] = { "x", "\xed\xa0\x80" };
    encode_bad(2, sur, "argument 2 is not valid UTF-8 (byte 0xed at offset 0)", "surrogate");
    char *hi[] = { "x", "\xf4\x90\x80\x80" };
    encode_bad(2, hi, "argument 2 is not valid UTF-8 (byte 0xf4 at offset 0)", "above U+10FFFF");
    char *cut[] = { "x", "y", "\xe2\x82" };
    encode_bad(3, cut, "argument 3 is not valid UTF-8 (byte 0xe2 at offset 0)", "cut sequence");
    char *cont[] = { "\x80" };
    encode_bad(1, cont, "argument 1 is not valid UTF-8 (byte 0x80 at offset 0)", "lone cont.");
    char *empty[] = { "" };
    encode_bad(1, empty, "argument 1 (the command name) is empty", "empty command");
    char *nul[] = { "x", NULL };
    encode_bad(2, nul, "argument 2 is missing (NULL)", "NULL argument");
    encode_bad(0, a, "a command has 1 to 256 arguments, not 0", "argc 0");
    char *many[ODS_CTL_ARGC_MAX + 1];
    for (int i = 0; i <= ODS_CTL_ARGC_MAX; i++)
        many[i] = "x";
    encode_bad(ODS_CTL_ARGC_MAX + 1, many, "a command has 1 to 256 arguments, not 257", "argc 257");
    size_t biglen = ODS_CTL_REQUEST_MAX - 1 - ODS_CTL_REQUEST_HEAD;
    char *big = malloc(biglen + 1);
    memset(big, 'a', biglen);
    big[biglen] = '\0';
    char *a3[] = { big };
    encode_bad(1, a3, "the command is too long: at most 65528 bytes in all", "one byte too long");
    free(big);
}

static void decode_bad(const void *payload, size_t len, const char *want, const char *what)
{
    ods_err_t err = { 0 };
    ods_ctl_request_t *req = (ods_ctl_request_t *)&err; /* must stay untouched */
    int rc = ods_ctl_request_decode(payload, len, &req, &err);
    ok(rc == ODS_EPROTO && req == (ods_ctl_request_t *)&err, "%s: rejected", what);
    is_str(err.msg, want, "%s: message", what);
}

#define DECODE_BAD(lit, want, what) decode_bad(lit, sizeof(lit) - 1, want, what)

static void test_request_decode_errors(void)
{
    DECODE_BAD("odsc", "request of 4 bytes is too short for its magic and version", "4 bytes");
    DECODE_BAD("", "request of 0 bytes is too short for its magic and version", "empty");
    DECODE_BAD("GET / HTTP/1.0", "not an odsctl request (magic 47 45 54 20, want \"odsc\")",
               "bad magic");
    DECODE_BAD("odsc\x02\x00\x01x\0", "request uses protocol version 2, expected 1", "version 2");
    DECODE_BAD("odsc\x01\x00", "request of 6 bytes is too short for its header", "short header");
    DECODE_BAD("odsc\x01\x00\x00", "request has 0 arguments, allowed are 1 to 256", "argc 0");
    DECODE_BAD("odsc\x01\x01\x01x\0", "request has 257 arguments, allowed are 1 to 256",
               "argc 257");
    DECODE_BAD("odsc\x01\x00\x02key\0", "argument 2 of 2 is not NUL-terminated (request truncated)",
               "missing argument");
    DECODE_BAD("odsc\x01\x00\x01key", "argument 1 of 1 is not NUL-terminated (request truncated)",
               "unterminated argument");
    DECODE_BAD("odsc\x01\x00\x01\x00", "argument 1 (the command name) is empty", "empty command");
    DECODE_BAD("odsc\x01\x00\x01key\0xyz", "request has 3 bytes after its last argument",
               "trailing bytes");
    DECODE_BAD("odsc\x01\x00\x02key\0a\rb\0",
               "argument 2 contains control character U+000D at offset 1: only printable text "
               "and tab are allowed",
               "carriage return");
    DECODE_BAD("odsc\x01\x00\x01k\xc3\0", "argument 1 is not valid UTF-8 (byte 0xc3 at offset 1)",
               "cut UTF-8 before NUL");

    int version = -1;
    ods_err_t err = { 0 };
    int rc = ods_ctl_request_version((const uint8_t *)"odsc\x07", 5, &version, &err);
    ok(rc == ODS_OK && version == 7, "request_version reports a newer version (%d)", version);
}

/* ---- framing ---- */

static void test_frame_parse(void)
{
    ods_ctl_frame_t f = { 0 };
    size_t used = 99;
    ods_err_t err = { 0 };
    const uint8_t partial[] = { 0, 0, 0 };
    is_int(ods_ctl_frame_parse(partial, 3, 100, &f, &used, &err), 0, "3 bytes: need more");
    const uint8_t zero[] = { 0, 0, 0, 0, 9 };
    is_int(ods_ctl_frame_parse(zero, 5, 100, &f, &used, &err), ODS_EPROTO, "length 0 rejected");
    is_str(err.msg, "frame of length 0 (a frame holds at least its type byte)", "length 0 msg");
    const uint8_t huge[] = { 0, 1, 0, 1 };
    is_int(ods_ctl_frame_parse(huge, 4, ODS_CTL_REQUEST_MAX, &f, &used, &err), ODS_EPROTO,
           "oversized length rejected from its 4 bytes alone");
    is_str(err.msg, "frame of 65537 bytes exceeds the maximum of 65536 bytes", "oversized msg");
    const uint8_t fits[] = { 0, 1, 0, 0, 2 };
    is_int(ods_ctl_frame_parse(fits, 5, ODS_CTL_REQUEST_MAX, &f, &used, &err), 0,
           "65536-byte frame accepted, waiting for its payload");
    const uint8_t two[] = { 0, 0, 0, 3, 2, 'h', 'i', 0, 0 };
    is_int(ods_ctl_frame_parse(two, 7, 100, &f, &used, &err), 1, "whole frame parsed");
    ok(f.type == 2 && f.len == 2 && memcmp(f.payload, "hi", 2) == 0 && used == 7,
       "type, payload and consumed bytes");
    is_int(ods_ctl_frame_parse(two, 6, 100, &f, &used, &err), 0, "one byte short: need more");

    ods_buf_t b = ODS_BUF_INIT;
    char big[100] = { 0 };
    is_int(ods_ctl_frame_encode(&b, 2, big, 100, 100, &err), ODS_EINVAL, "encode: payload too big");
    is_str(err.msg, "frame payload of 100 bytes exceeds the maximum of 99", "encode limit msg");
    is_int(ods_ctl_frame_encode(&b, 2, big, 99, 100, &err), ODS_OK, "encode: payload at limit");
    is_int(b.len, 104, "header plus payload");
    ods_buf_free(&b);
}

/* ---- responses ---- */

static int decode_one(const uint8_t *data, size_t len, ods_ctl_response_t *r, ods_err_t *err)
{
    ods_ctl_frame_t f;
    size_t used;
    int rc = ods_ctl_frame_parse(data, len, ODS_CTL_RESPONSE_MAX, &f, &used, err);
    if (rc != 1)
        return rc == 0 ? ODS_EINVAL : rc;
    return ods_ctl_response_decode(&f, r, err);
}

static void test_text_frames(void)
{
    size_t n = 150000;
    char *text = malloc(n);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    ods_buf_t b = ODS_BUF_INIT;
    ods_err_t err = { 0 };
    is_int(ods_ctl_text_encode(&b, ODS_CTL_FRAME_STDOUT, text, n, &err), ODS_OK, "150000 bytes");
    is_int(b.len, n + 3 * ODS_CTL_HEADER_LEN, "split into three frames");
    size_t off = 0, got = 0, frames = 0;
    int same = 1;
    while (off < b.len) {
        ods_ctl_frame_t f;
        size_t used;
        ods_ctl_response_t r;
        if (ods_ctl_frame_parse(b.data + off, b.len - off, ODS_CTL_RESPONSE_MAX, &f, &used, &err) !=
                1 ||
            ods_ctl_response_decode(&f, &r, &err) != ODS_OK || r.type != ODS_CTL_FRAME_STDOUT)
            break;
        same = same && r.len <= ODS_CTL_TEXT_CHUNK && memcmp(r.text, text + got, r.len) == 0;
        got += r.len;
        off += used;
        frames++;
    }
    ok(frames == 3 && got == n && same, "frames decode back to the same text");
    ods_buf_reset(&b);
    is_int(ods_ctl_text_encode(&b, ODS_CTL_FRAME_STDERR, "", 0, &err), ODS_OK, "empty text");
    is_int(b.len, 0, "empty text sends nothing");
    is_int(ods_ctl_text_encode(&b, ODS_CTL_FRAME_EXIT, "x", 1, &err), ODS_EINVAL, "not text");
    is_str(err.msg, "frame type 0x04 is not a text frame", "not a text frame msg");
    ods_buf_free(&b);
    free(text);
}

static void test_exit_and_version(void)
{
    ods_buf_t b = ODS_BUF_INIT;
    ods_err_t err = { 0 };
    ods_ctl_response_t r;
    ods_ctl_exit_encode(&b, 255, &err);
    ok(decode_one(b.data, b.len, &r, &err) == ODS_OK && r.type == ODS_CTL_FRAME_EXIT &&
           r.exit_status == 255,
       "exit 255 round trip");
    is_int(ods_ctl_exit_encode(&b, 256, &err), ODS_EINVAL, "exit 256 refused");
    is_str(err.msg, "exit status 256 is outside 0..255", "exit range msg");
    is_int(ods_ctl_exit_encode(&b, -1, &err), ODS_EINVAL, "exit -1 refused");

    raw_frame(&b, ODS_CTL_FRAME_EXIT, "\0\0\0", 3);
    is_int(decode_one(b.data, b.len, &r, &err), ODS_EPROTO, "3-byte exit payload");
    is_str(err.msg, "exit frame has a 3-byte payload, expected 4", "exit length msg");
    raw_frame(&b, ODS_CTL_FRAME_EXIT, "\0\0\x01\x2c", 4);
    is_int(decode_one(b.data, b.len, &r, &err), ODS_EPROTO, "exit status 300");
    is_str(err.msg, "exit status 300 is outside 0..255", "exit status msg");

    ods_buf_reset(&b);
    ods_ctl_version_encode(&b, 2, &err);
    ok(decode_one(b.data, b.len, &r, &err) == ODS_OK && r.type == ODS_CTL_FRAME_VERSION &&
           r.version == 2,
       "version frame round trip");
    is_int(ods_ctl_version_encode(&b, 0, &err), ODS_EINVAL, "version 0 refused");
    raw_frame(&b, ODS_CTL_FRAME_VERSION, "\x01\x02", 2);
    is_int(decode_one(b.data, b.len, &r, &err), ODS_EPROTO, "2-byte version payload");
    is_str(err.msg, "version frame has a 2-byte payload, expected 1", "version length msg");
    raw_frame(&b, 0x42, "x", 1);
    is_int(decode_one(b.data, b.len, &r, &err), ODS_EPROTO, "unknown frame type");
    is_str(err.msg, "unknown frame type 0x42 from the daemon", "unknown type msg");
    raw_frame(&b, ODS_CTL_FRAME_REQUEST, "x", 1);
    is_int(decode_one(b.data, b.len, &r, &err), ODS_EPROTO, "request frame from a daemon");

    is_int(ods_ctl_version_mismatch(&err, 2), ODS_EPROTO, "mismatch code");
    is_str(err.msg,
           "odsctl speaks protocol 1, the daemon 2: use the odsctl that came with the daemon",
           "mismatch message");
    ods_buf_free(&b);
}

/* ---- incremental decoder ---- */

/* An answer: stdout "hello ", stderr "warn", stdout "world", exit 4. */
static void build_answer(ods_buf_t *b)
{
    ods_ctl_text_encode(b, ODS_CTL_FRAME_STDOUT, "hello ", 6, NULL);
    ods_ctl_text_encode(b, ODS_CTL_FRAME_STDERR, "warn", 4, NULL);
    ods_ctl_text_encode(b, ODS_CTL_FRAME_STDOUT, "world", 5, NULL);
    ods_ctl_exit_encode(b, 4, NULL);
}

/* Feed b in pieces of step bytes; collect stdout, stderr and the exit status. */
static int decode_stream(const ods_buf_t *b, size_t step, char *out, char *errout, int *status)
{
    ods_ctl_decoder_t d;
    ods_ctl_decoder_init(&d, ODS_CTL_RESPONSE_MAX);
    int frames = 0;
    for (size_t off = 0; off < b->len; off += step) {
        size_t n = b->len - off < step ? b->len - off : step;
        ods_ctl_frame_t f;
        ods_ctl_response_t r;
        ods_ctl_decoder_feed(&d, b->data + off, n, NULL);
        while (ods_ctl_decoder_next(&d, &f, NULL) == 1 &&
               ods_ctl_response_decode(&f, &r, NULL) == ODS_OK) {
            frames++;
            if (r.type == ODS_CTL_FRAME_STDOUT)
                strncat(out, r.text, r.len);
            else if (r.type == ODS_CTL_FRAME_STDERR)
                strncat(errout, r.text, r.len);
            else if (r.type == ODS_CTL_FRAME_EXIT)
                *status = r.exit_status;
        }
    }
    if (ods_ctl_decoder_pending(&d) != 0)
        frames = -1;
    ods_ctl_decoder_free(&d);
    return frames;
}

static void test_decoder_stream(void)
{
    ods_buf_t b = ODS_BUF_INIT;
    build_answer(&b);
    size_t steps[] = { 1, 2, 3, 5, 7, 64, 1000 };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        char out[64] = "", errout[64] = "";
        int status = -1;
        int frames = decode_stream(&b, steps[i], out, errout, &status);
        ok(frames == 4 && strcmp(out, "hello world") == 0 && strcmp(errout, "warn") == 0 &&
               status == 4,
           "fed %zu byte(s) at a time: 4 frames, text and status intact", steps[i]);
    }
    ods_buf_free(&b);
}

static void test_decoder_errors(void)
{
    ods_ctl_decoder_t d;
    ods_err_t err = { 0 };
    ods_ctl_frame_t f;
    ods_ctl_decoder_init(&d, ODS_CTL_REQUEST_MAX);
    is_int(ods_ctl_decoder_next(&d, &f, &err), 0, "empty decoder needs bytes");
    is_int(ods_ctl_decoder_eof(&d, &err), ODS_OK, "EOF with nothing pending is clean");
    ods_ctl_decoder_feed(&d, "\0\0", 2, &err);
    is_int(ods_ctl_decoder_next(&d, &f, &err), 0, "half a length");
    is_int(ods_ctl_decoder_eof(&d, &err), ODS_EPROTO, "EOF inside the length");
    is_str(err.msg, "connection closed after 2 of the 4 bytes of a frame length", "EOF msg 1");
    ods_ctl_decoder_feed(&d, "\0\x08\x01odsc\x01", 6, &err);
    is_int(ods_ctl_decoder_next(&d, &f, &err), 0, "partial frame");
    is_int(ods_ctl_decoder_pending(&d), 8, "8 bytes pending");
    is_int(ods_ctl_decoder_eof(&d, &err), ODS_EPROTO, "EOF inside the payload");
    is_str(err.msg, "connection closed after 8 of 12 bytes of a frame", "EOF msg 2");
    ods_ctl_decoder_free(&d);

    ods_ctl_decoder_init(&d, ODS_CTL_REQUEST_MAX);
    ods_ctl_decoder_feed(&d, "GET / HTTP/1.0\r\n\r\n", 18, &err);
    is_int(ods_ctl_decoder_next(&d, &f, &err), ODS_EPROTO, "HTTP request rejected");
    is_str(err.msg, "frame of 1195725856 bytes exceeds the maximum of 65536 bytes", "HTTP msg");
    is_int(ods_ctl_decoder_next(&d, &f, &err), ODS_EPROTO, "error is sticky (next)");
    is_int(ods_ctl_decoder_feed(&d, "x", 1, &err), ODS_EPROTO, "error is sticky (feed)");
    ods_ctl_decoder_free(&d);
    ods_ctl_decoder_free(&d); /* twice is harmless */
}

int main(void)
{
    test_request_roundtrips();
    test_request_encode_errors();
    test_request_decode_errors();
    test_frame_parse();
    test_text_frames();
    test_exit_and_version();
    test_decoder_stream();
    test_decoder_errors();
    return tap_done();
}
