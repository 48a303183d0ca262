/*
 * zlex.h -- the lexer of RFC 1035 master files: turns a buffer into logical
 * entries (one resource record or directive each) made of tokens.
 *
 * It is strict where ldns's reader is lenient: an unbalanced parenthesis, a
 * quoted string left open at the end of a line or a stray ')' is an error with
 * the line number, never silently accepted. Parentheses continue an entry over
 * several lines; ';' starts a comment outside quotes; a backslash escapes the
 * next character (kept in the token text: the consumers decode \X and \DDD).
 *
 * The lexer does not own the buffer; tokens point into it. One lexer per file,
 * used by one thread.
 */
#ifndef ODS_DNS_ZLEX_H
#define ODS_DNS_ZLEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

typedef struct ods_ztoken {
    const char *text; /* not NUL-terminated; quotes removed for quoted tokens */
    size_t len;
    bool quoted;
} ods_ztoken_t;

#define ODS_ZLEX_MAX_TOKENS 8192

typedef struct ods_zentry {
    ods_ztoken_t *tok; /* tokens of the entry (array owned by the lexer) */
    size_t ntok;
    bool blank_owner; /* the entry started with white space: owner omitted */
    unsigned line;    /* line of the first token */
} ods_zentry_t;

typedef struct ods_zlex {
    const char *p;     /* current position */
    const char *end;   /* end of the buffer */
    unsigned line;     /* current line (1-based) */
    unsigned err_line; /* line of the last error */
    ods_ztoken_t tok[ODS_ZLEX_MAX_TOKENS];
} ods_zlex_t;

/* Start lexing len bytes at buf. */
void ods_zlex_init(ods_zlex_t *lx, const char *buf, size_t len);

/*
 * Read the next non-empty entry into *e (valid until the next call).
 * Returns 1 when an entry was read, 0 at the end of the buffer, or a
 * negative ODS_EPARSE with err->msg saying what is wrong and lx->err_line
 * the line it is on.
 */
int ods_zlex_next(ods_zlex_t *lx, ods_zentry_t *e, ods_err_t *err);

/* True if the token equals s, ignoring ASCII case. */
bool ods_ztoken_is(const ods_ztoken_t *t, const char *s);

#endif
