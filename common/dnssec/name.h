/*
 * name.h -- domain names in uncompressed wire format (RFC 1035 3.1).
 *
 * A wire name is a sequence of labels, each a length octet (0..63) followed by
 * that many octets, ending with the root label (a single zero octet); at most
 * 255 octets in all. Compression pointers are never valid here. Functions that
 * take a "valid name" trust the caller (hot paths: no checks); validate
 * untrusted input once with ods_name_check or ods_name_from_text.
 *
 * Case: DNS names compare case-insensitively for ASCII letters only; octets
 * outside 'A'..'Z' are never changed.
 *
 * Every function is pure and thread-safe; none allocates memory (except
 * ods_name_append_text, which grows the caller's buffer).
 */
#ifndef ODS_DNSSEC_NAME_H
#define ODS_DNSSEC_NAME_H

#include "util/buf.h"
#include "util/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ODS_NAME_MAX_LEN    255  /* octets, root label included */
#define ODS_NAME_MAX_LABELS 127  /* labels, root excluded */
#define ODS_LABEL_MAX_LEN   63   /* octets in one label */
#define ODS_NAME_TEXT_MAX   1024 /* room for any name in presentation format, NUL included */

/*
 * Check that buf (buflen octets available) starts with a valid wire name.
 * On success writes its length (1..255, root label included) to *namelen.
 * Returns ODS_EINVAL for a truncated name, a label longer than 63 octets, a
 * compression pointer or a name longer than 255 octets.
 */
int ods_name_check(const uint8_t *buf, size_t buflen, size_t *namelen);

/* Length in octets of a valid name, root label included (the root is 1). */
size_t ods_name_len(const uint8_t *name);

/* Number of labels of a valid name, root excluded ("." is 0, "a.b." is 2). */
unsigned ods_name_labels(const uint8_t *name);

/* True if the leftmost label of a valid name is "*". */
bool ods_name_is_wildcard(const uint8_t *name);

/*
 * The RRSIG Labels field for an owner name (RFC 4034 3.1.3): the number of
 * labels, not counting the root nor a leftmost "*" label.
 */
unsigned ods_name_rrsig_labels(const uint8_t *name);

/*
 * Copy a valid name to dst (ODS_NAME_MAX_LEN octets suffice) with ASCII
 * upper-case letters lowered; dst may be name itself. Returns the length.
 */
size_t ods_name_to_lower(uint8_t *dst, const uint8_t *name);

/* Case-insensitive equality of two valid names. */
bool ods_name_equal(const uint8_t *a, const uint8_t *b);

/*
 * Canonical DNS name order (RFC 4034 6.1): labels compared from the rightmost,
 * each as a left-justified octet string with ASCII letters lowered, a label
 * that is a prefix of the other first; a name that is a suffix of the other
 * sorts first. Returns <0, 0 or >0 as a sorts before, equal to or after b.
 */
int ods_name_compare(const uint8_t *a, const uint8_t *b);

/* True if name equals parent or is below it (case-insensitive). */
bool ods_name_is_subdomain(const uint8_t *name, const uint8_t *parent);

/* True if name is strictly below parent (case-insensitive). */
bool ods_name_is_below(const uint8_t *name, const uint8_t *parent);

/*
 * The name with its leftmost n labels removed, as a pointer into name (no
 * copy); NULL if name has fewer than n labels. ods_name_parent(x) is
 * ods_name_strip(x, 1): NULL for the root.
 */
const uint8_t *ods_name_strip(const uint8_t *name, unsigned n);
const uint8_t *ods_name_parent(const uint8_t *name);

/*
 * Parse a name in presentation format (RFC 1035 5.1): labels separated by
 * dots, "\DDD" (decimal, 0..255) and "\X" escapes. text need not be
 * NUL-terminated: textlen octets are read. The name is always taken as
 * absolute: a final dot is optional, "." alone is the root, "@" has no special
 * meaning (it is an ordinary octet) and there is no origin. Unescaped spaces and
 * control characters are rejected. Case is kept. out must have room for
 * ODS_NAME_MAX_LEN octets; *namelen receives the wire length. Returns
 * ODS_EINVAL (with a message in err, which may be NULL) for an empty name or
 * label, a label over 63 octets, a name over 255 octets or a bad escape.
 */
int ods_name_from_text(const char *text, size_t textlen, uint8_t *out, size_t *namelen,
                       ods_err_t *err);

/*
 * Presentation format of a valid name, always with a final dot ("." for the
 * root). Octets outside '!'..'~' are written as \DDD; the characters
 * . \ " ( ) ; @ $ as \X. Writes a NUL-terminated string of at most
 * ODS_NAME_TEXT_MAX octets; returns ODS_EINVAL if outlen is too small.
 */
int ods_name_to_text(const uint8_t *name, char *out, size_t outlen);

/* Append the presentation format (no NUL counted) to a buffer; ODS_ENOMEM. */
int ods_name_append_text(ods_buf_t *out, const uint8_t *name);

#endif
