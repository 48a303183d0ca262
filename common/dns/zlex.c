#include "dns/zlex.h"

#include <strings.h>
#include <string.h>

void ods_zlex_init(ods_zlex_t *lx, const char *buf, size_t len)
{
    lx->p = buf;
    lx->end = buf + len;
    lx->line = 1;
}

bool ods_ztoken_is(const ods_ztoken_t *t, const char *s)
{
    size_t n = strlen(s);
    return !t->quoted && t->len == n && strncasecmp(t->text, s, n) == 0;
}

static int lex_error(ods_zlex_t *lx, unsigned line, ods_err_t *err, const char *msg)
{
    lx->err_line = line;
    return ods_err_set(err, ODS_EPARSE, "%s", msg);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Skip to the end of the current line (not past the newline). */
static void skip_comment(ods_zlex_t *lx)
{
    const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
    lx->p = nl ? nl : lx->end;
}

static int lex_quoted(ods_zlex_t *lx, ods_ztoken_t *t, ods_err_t *err)
{
    unsigned start_line = lx->line;
    const char *s = ++lx->p;
    while (lx->p < lx->end && *lx->p != '"') {
        if (*lx->p == '\0')
            return lex_error(lx, lx->line, err, "NUL byte in a quoted string (binary file?)");
        if (*lx->p == '\n')
            return lex_error(lx, start_line, err,
                             "quoted string not closed before the end of "
                             "the line");
        if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n')
            lx->p++;
        lx->p++;
    }
    if (lx->p >= lx->end)
        return lex_error(lx, start_line, err, "quoted string not closed");
    t->text = s;
    t->len = (size_t)(lx->p - s);
    t->quoted = true;
    lx->p++;
    return ODS_OK;
}

static void lex_word(ods_zlex_t *lx, ods_ztoken_t *t)
{
    const char *s = lx->p;
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n') {
            lx->p += 2;
            continue;
        }
        if (is_blank(c) || c == '\n' || c == ';' || c == '(' || c == ')' || c == '"' || c == '\0')
            break;
        lx->p++;
    }
    t->text = s;
    t->len = (size_t)(lx->p - s);
    t->quoted = false;
}

/* Handle a newline: ends the entry unless inside parentheses. */
static int lex_newline(ods_zlex_t *lx, int depth, size_t ntok)
{
    lx->p++;
    lx->line++;
    return depth == 0 && ntok > 0;
}

static int lex_add(ods_zlex_t *lx, ods_zentry_t *e, ods_err_t *err)
{
    if (e->ntok >= ODS_ZLEX_MAX_TOKENS)
        return lex_error(lx, e->line, err, "record has too many fields");
    if (e->ntok == 0)
        e->line = lx->line;
    e->ntok++;
    return ODS_OK;
}

int ods_zlex_next(ods_zlex_t *lx, ods_zentry_t *e, ods_err_t *err)
{
    int depth = 0;
    unsigned open_line = 0;
    e->tok = lx->tok;
    e->ntok = 0;
    e->line = lx->line;
    e->blank_owner = lx->p < lx->end && is_blank(*lx->p);
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\n') {
            if (lex_newline(lx, depth, e->ntok))
                return 1;
            if (depth == 0 && e->ntok == 0)
                e->blank_owner = lx->p < lx->end && is_blank(*lx->p);
        } else if (is_blank(c)) {
            lx->p++;
        } else if (c == ';') {
            skip_comment(lx);
        } else if (c == '(') {
            if (depth++ == 0)
                open_line = lx->line;
            lx->p++;
        } else if (c == '\0') {
            return lex_error(lx, lx->line, err, "NUL byte in the file (binary file?)");
        } else if (c == ')') {
            if (depth == 0)
                return lex_error(lx, lx->line, err, "')' without a matching '('");
            depth--;
            lx->p++;
        } else {
            int rc = lex_add(lx, e, err);
            if (rc != ODS_OK)
                return rc;
            ods_ztoken_t *t = &lx->tok[e->ntok - 1];
            if (c == '"') {
                rc = lex_quoted(lx, t, err);
                if (rc != ODS_OK)
                    return rc;
            } else {
                lex_word(lx, t);
            }
        }
    }
    if (depth > 0)
        return lex_error(lx, open_line, err, "'(' is never closed (end of file)");
    return e->ntok > 0 ? 1 : 0;
}
