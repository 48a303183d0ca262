/*
 * proto.h -- the wire format between odsctl and the daemons (pure functions, no I/O).
 *
 * A connection carries frames:   [u32 length][u8 type][payload]
 * length is big-endian and counts the type byte plus the payload (so it is >= 1).
 *
 * The client sends exactly one REQUEST frame, then only reads, and keeps the
 * connection open until the EXIT frame (the server takes end-of-file, even a
 * half-close, as the client going away). The server answers
 * with any number of STDOUT / STDERR frames (text, in the order written) and ends
 * with one EXIT frame (u32 exit status 0..255), then closes the connection.
 *
 *   REQUEST  payload: "odsc" (4 magic bytes), u8 protocol version, u16 argc (1..256),
 *                     then argc arguments, each NUL-terminated, nothing after the last.
 *                     Every argument is valid UTF-8 without control characters
 *                     (tab is allowed); the command name (argv[0]) is not empty.
 *   STDOUT   payload: text for the client's standard output (any bytes, may be empty)
 *   STDERR   payload: text for the client's standard error
 *   EXIT     payload: u32 exit status, 0..255; the last frame of an answer
 *   VERSION  payload: u8 the server's protocol version; sent instead of an answer
 *                     when the request's version differs, then the server closes.
 *
 * Frozen for all versions, so that an old client and a new daemon (or the
 * reverse) can always tell each other apart: the frame header, the first five
 * bytes of a REQUEST payload (magic and version) and the VERSION frame.
 *
 * Limits: a request frame is at most ODS_CTL_REQUEST_MAX bytes, a server frame at
 * most ODS_CTL_RESPONSE_MAX. Decoders check every length before they use it.
 *
 * Thread-safety: functions without a decoder argument are pure and thread-safe; a
 * decoder object is used by one thread at a time.
 */
#ifndef ODS_CTL_PROTO_H
#define ODS_CTL_PROTO_H

#include "util/buf.h"
#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

#define ODS_CTL_PROTO_VERSION 1

#define ODS_CTL_HEADER_LEN   5               /* u32 length + u8 type */
#define ODS_CTL_REQUEST_MAX  (64u * 1024u)   /* longest request frame (length field) */
#define ODS_CTL_RESPONSE_MAX (1024u * 1024u) /* longest server frame (length field) */
#define ODS_CTL_TEXT_CHUNK   (64u * 1024u)   /* text is sent in frames of at most this */
#define ODS_CTL_ARGC_MAX     256
#define ODS_CTL_MAGIC        "odsc"
#define ODS_CTL_MAGIC_LEN    4
#define ODS_CTL_REQUEST_HEAD (ODS_CTL_MAGIC_LEN + 1 + 2) /* magic, version, argc */

/* Exit status the server sends when it rejects a malformed request (sysexits EX_PROTOCOL). */
#define ODS_CTL_EXIT_PROTOCOL 76

enum ods_ctl_frame_type {
    ODS_CTL_FRAME_REQUEST = 0x01,
    ODS_CTL_FRAME_STDOUT = 0x02,
    ODS_CTL_FRAME_STDERR = 0x03,
    ODS_CTL_FRAME_EXIT = 0x04,
    ODS_CTL_FRAME_VERSION = 0x7f,
};

/* One frame as found in a byte stream; payload points into the caller's or decoder's bytes. */
typedef struct ods_ctl_frame {
    uint8_t type;
    const uint8_t *payload;
    size_t len; /* payload length (length field - 1) */
} ods_ctl_frame_t;

/* A decoded request. argv[argc] is NULL. One allocation: free with ods_ctl_request_free. */
typedef struct ods_ctl_request {
    int argc;
    char **argv;
    size_t size; /* bytes of the allocation (wiped when freed: an argument may be a PIN) */
} ods_ctl_request_t;

/* A decoded server frame. text points into the frame's payload (not NUL-terminated). */
typedef struct ods_ctl_response {
    uint8_t type;     /* ODS_CTL_FRAME_STDOUT, _STDERR, _EXIT or _VERSION */
    const char *text; /* STDOUT/STDERR */
    size_t len;       /* STDOUT/STDERR */
    int exit_status;  /* EXIT: 0..255 */
    int version;      /* VERSION: the server's protocol version */
} ods_ctl_response_t;

/* ---- framing ---- */

/*
 * Parse one frame at the start of data[0..avail). max_len is the largest length
 * field accepted (ODS_CTL_REQUEST_MAX on the server, ODS_CTL_RESPONSE_MAX on the
 * client). Returns 1 and sets *frame and *consumed when a whole frame is there;
 * 0 when more bytes are needed (an oversized or zero length is reported as soon
 * as the 4 length bytes are there); ODS_EPROTO on a bad length.
 */
int ods_ctl_frame_parse(const uint8_t *data, size_t avail, uint32_t max_len, ods_ctl_frame_t *frame,
                        size_t *consumed, ods_err_t *err);

/* Append one frame. ODS_EINVAL when the payload exceeds max_len - 1; ODS_ENOMEM. */
int ods_ctl_frame_encode(ods_buf_t *out, uint8_t type, const void *payload, size_t len,
                         uint32_t max_len, ods_err_t *err);

/* ---- requests ---- */

/*
 * Append a REQUEST frame for argv[0..argc). Checks the same rules as the decoder,
 * so a client reports a bad argument before it connects: ODS_EINVAL with the
 * argument's position and what is wrong; ODS_ENOMEM. out is unchanged on failure.
 */
int ods_ctl_request_encode(ods_buf_t *out, int argc, char *const *argv, ods_err_t *err);

/*
 * Check the magic of a REQUEST payload and return its protocol version in
 * *version (any value: the caller compares it with ODS_CTL_PROTO_VERSION).
 * ODS_EPROTO when the payload is too short or the magic is wrong.
 */
int ods_ctl_request_version(const uint8_t *payload, size_t len, int *version, ods_err_t *err);

/*
 * Decode and validate a REQUEST payload of this protocol version. On success
 * *out is a new request owned by the caller. ODS_EPROTO with exactly what is
 * wrong (version, argc, which argument, which byte); ODS_ENOMEM.
 */
int ods_ctl_request_decode(const uint8_t *payload, size_t len, ods_ctl_request_t **out,
                           ods_err_t *err);

void ods_ctl_request_free(ods_ctl_request_t *req);

/* ---- responses ---- */

/*
 * Append text as STDOUT or STDERR frames of at most ODS_CTL_TEXT_CHUNK bytes each
 * (nothing for len 0). type is ODS_CTL_FRAME_STDOUT or _STDERR. ODS_EINVAL, ODS_ENOMEM.
 */
int ods_ctl_text_encode(ods_buf_t *out, uint8_t type, const void *text, size_t len, ods_err_t *err);

/* Append an EXIT frame; status must be 0..255 (ODS_EINVAL otherwise). */
int ods_ctl_exit_encode(ods_buf_t *out, int status, ods_err_t *err);

/* Append a VERSION frame carrying version (1..255). */
int ods_ctl_version_encode(ods_buf_t *out, int version, ods_err_t *err);

/*
 * Decode a server frame: known type and a payload of the right size. ODS_EPROTO
 * with what is wrong (unknown type, EXIT payload not 4 bytes, status > 255, ...).
 */
int ods_ctl_response_decode(const ods_ctl_frame_t *frame, ods_ctl_response_t *out, ods_err_t *err);

/*
 * The line a client prints when the daemon speaks another protocol version:
 * "odsctl speaks protocol 1, the daemon 2: use the odsctl that came with the daemon".
 */
int ods_ctl_version_mismatch(ods_err_t *err, int daemon_version);

/* ---- incremental decoder (both sides) ----
 *
 *   ods_ctl_decoder_t d;
 *   ods_ctl_decoder_init(&d, ODS_CTL_RESPONSE_MAX);
 *   for each chunk read: ods_ctl_decoder_feed(&d, chunk, n, err);
 *                        while ((rc = ods_ctl_decoder_next(&d, &frame, err)) == 1) use(frame);
 *   ods_ctl_decoder_free(&d);
 *
 * Call next until it returns 0 before feeding more: the decoder then holds at
 * most one partial frame plus one chunk. A frame's payload stays valid until the
 * next feed, next or free. After an error the decoder stays failed.
 */
typedef struct ods_ctl_decoder {
    ods_buf_t buf;
    size_t off;       /* start of the unparsed bytes in buf */
    uint32_t max_len; /* largest length field accepted */
    int failed;       /* sticky error code, 0 when fine */
} ods_ctl_decoder_t;

void ods_ctl_decoder_init(ods_ctl_decoder_t *d, uint32_t max_len);
/* Append bytes. ODS_ENOMEM, or the sticky error of an earlier failure. */
int ods_ctl_decoder_feed(ods_ctl_decoder_t *d, const void *data, size_t len, ods_err_t *err);
/* 1 and *frame when a whole frame is buffered, 0 when more bytes are needed, <0 on error. */
int ods_ctl_decoder_next(ods_ctl_decoder_t *d, ods_ctl_frame_t *frame, ods_err_t *err);
/* Bytes buffered that are not yet part of a returned frame (non-zero at EOF = truncated). */
size_t ods_ctl_decoder_pending(const ods_ctl_decoder_t *d);
/*
 * Describe the incomplete frame at EOF: "connection closed after N of M bytes of a
 * frame" (or "... of the 4 bytes of a frame length"). ODS_EPROTO; ODS_OK when nothing
 * is pending.
 */
int ods_ctl_decoder_eof(const ods_ctl_decoder_t *d, ods_err_t *err);
void ods_ctl_decoder_free(ods_ctl_decoder_t *d);

#endif
