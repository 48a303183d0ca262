#include "dnssec/name.h"

#include <string.h>

/* ASCII-only lower-casing table: only 'A'..'Z' change. */
#define LC(c)   (uint8_t)(((c) >= 'A' && (c) <= 'Z') ? (c) + 32 : (c))
#define LC4(c)  LC(c), LC((c) + 1), LC((c) + 2), LC((c) + 3)
#define LC16(c) LC4(c), LC4((c) + 4), LC4((c) + 8), LC4((c) + 12)
#define LC64(c) LC16(c), LC16((c) + 16), LC16((c) + 32), LC16((c) + 48)
static const uint8_t lower[256] = { LC64(0), LC64(64), LC64(128), LC64(192) };

int ods_name_check(const uint8_t *buf, size_t buflen, size_t *namelen)
{
    size_t pos = 0;
    for (;;) {
        if (pos >= buflen)
            return ODS_EINVAL;
        uint8_t len = buf[pos];
        if (len > ODS_LABEL_MAX_LEN)
            return ODS_EINVAL;
        pos += 1 + (size_t)len;
        if (pos > ODS_NAME_MAX_LEN)
            return ODS_EINVAL;
        if (len == 0)
            break;
    }
    *namelen = pos;
    return ODS_OK;
}

size_t ods_name_len(const uint8_t *name)
{
    size_t pos = 0;
    while (name[pos] != 0)
        pos += (size_t)name[pos] + 1;
    return pos + 1;
}

unsigned ods_name_labels(const uint8_t *name)
{
    unsigned n = 0;
    for (size_t pos = 0; name[pos] != 0; pos += (size_t)name[pos] + 1)
        n++;
    return n;
}

bool ods_name_is_wildcard(const uint8_t *name)
{
    return name[0] == 1 && name[1] == '*';
}

unsigned ods_name_rrsig_labels(const uint8_t *name)
{
    unsigned n = ods_name_labels(name);
    return ods_name_is_wildcard(name) ? n - 1 : n;
}

size_t ods_name_to_lower(uint8_t *dst, const uint8_t *name)
{
    /* Length octets are at most 63, below 'A': lowering them is harmless. */
    size_t len = ods_name_len(name);
    for (size_t i = 0; i < len; i++)
        dst[i] = lower[name[i]];
    return len;
}

bool ods_name_equal(const uint8_t *a, const uint8_t *b)
{
    /* While all earlier octets match, both names have their length octets at
     * the same offsets, so b is never read past its end. */
    size_t pos = 0;
    for (;;) {
        uint8_t len = a[pos];
        if (b[pos] != len)
            return false;
        if (len == 0)
            return true;
        for (size_t i = pos + 1; i <= pos + len; i++)
            if (lower[a[i]] != lower[b[i]])
                return false;
        pos += (size_t)len + 1;
    }
}

/* Offsets of the labels of a valid name, leftmost first; returns the count. */
static unsigned label_offsets(const uint8_t *name, uint8_t *off)
{
    unsigned n = 0;
    for (size_t pos = 0; name[pos] != 0; pos += (size_t)name[pos] + 1)
        off[n++] = (uint8_t)pos;
    return n;
}

static int label_compare(const uint8_t *a, const uint8_t *b)
{
    unsigned la = a[0], lb = b[0];
    unsigned n = la < lb ? la : lb;
    for (unsigned i = 1; i <= n; i++) {
        int d = (int)lower[a[i]] - (int)lower[b[i]];
        if (d != 0)
            return d;
    }
    return (int)la - (int)lb;
}

int ods_name_compare(const uint8_t *a, const uint8_t *b)
{
    uint8_t oa[ODS_NAME_MAX_LABELS + 1], ob[ODS_NAME_MAX_LABELS + 1];
    unsigned na = label_offsets(a, oa);
    unsigned nb = label_offsets(b, ob);
    while (na > 0 && nb > 0) {
        int d = label_compare(a + oa[--na], b + ob[--nb]);
        if (d != 0)
            return d;
    }
    return (int)na - (int)nb;
}

const uint8_t *ods_name_strip(const uint8_t *name, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (name[0] == 0)
            return NULL;
        name += name[0] + 1;
    }
    return name;
}

const uint8_t *ods_name_parent(const uint8_t *name)
{
    return ods_name_strip(name, 1);
}

bool ods_name_is_subdomain(const uint8_t *name, const uint8_t *parent)
{
    unsigned nl = ods_name_labels(name), pl = ods_name_labels(parent);
    if (nl < pl)
        return false;
    return ods_name_equal(ods_name_strip(name, nl - pl), parent);
}

bool ods_name_is_below(const uint8_t *name, const uint8_t *parent)
{
    unsigned nl = ods_name_labels(name), pl = ods_name_labels(parent);
    if (nl <= pl)
        return false;
    return ods_name_equal(ods_name_strip(name, nl - pl), parent);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Decode the escape at text[*i] (a backslash) into *octet and advance *i. */
static const char *parse_escape(const char *text, size_t textlen, size_t *i, uint8_t *octet)
{
    size_t p = *i + 1;
    if (p >= textlen)
        return "it ends with a lone backslash";
    if (!is_digit(text[p])) {
        *octet = (uint8_t)text[p];
        *i = p + 1;
        return NULL;
    }
    if (p + 2 >= textlen || !is_digit(text[p + 1]) || !is_digit(text[p + 2]))
        return "a \\DDD escape needs exactly three decimal digits";
    int v = (text[p] - '0') * 100 + (text[p + 1] - '0') * 10 + (text[p + 2] - '0');
    if (v > 255)
        return "a \\DDD escape is above 255";
    *octet = (uint8_t)v;
    *i = p + 3;
    return NULL;
}

/* Parse one label starting at text[*i] into wire[*pos...]; NULL or a reason. */
static const char *parse_label(const char *text, size_t textlen, size_t *i, uint8_t *wire,
                               size_t *pos)
{
    size_t start = (*pos)++;
    while (*i < textlen && text[*i] != '.') {
        uint8_t octet = (uint8_t)text[*i];
        if (octet == '\\') {
            const char *why = parse_escape(text, textlen, i, &octet);
            if (why != NULL)
                return why;
        } else if (octet <= ' ' || octet == 0x7f) {
            return "it contains a space or control character (escape it as \\DDD)";
        } else {
            (*i)++;
        }
        if (*pos - start > ODS_LABEL_MAX_LEN)
            return "a label is longer than 63 octets";
        if (*pos >= ODS_NAME_MAX_LEN - 1)
            return "it is longer than 255 octets";
        wire[(*pos)++] = octet;
    }
    if (*pos - start == 1)
        return "it has an empty label (two dots in a row, or a leading dot)";
    wire[start] = (uint8_t)(*pos - start - 1);
    if (*i < textlen)
        (*i)++; /* the dot */
    return NULL;
}

int ods_name_from_text(const char *text, size_t textlen, uint8_t *out, size_t *namelen,
                       ods_err_t *err)
{
    uint8_t wire[ODS_NAME_MAX_LEN];
    size_t pos = 0, i = 0;
    if (textlen == 0)
        return ods_err_set(err, ODS_EINVAL, "empty domain name: write '.' for the root");
    if (!(textlen == 1 && text[0] == '.')) {
        while (i < textlen) {
            const char *why = parse_label(text, textlen, &i, wire, &pos);
            if (why != NULL)
                return ods_err_set(err, ODS_EINVAL, "bad domain name '%.*s': %s",
                                   (int)(textlen > 300 ? 300 : textlen), text, why);
        }
    }
    wire[pos++] = 0;
    memcpy(out, wire, pos);
    *namelen = pos;
    return ODS_OK;
}

static int needs_backslash(uint8_t c)
{
    return c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@' ||
           c == '$';
}

/* Format a valid name into out (ODS_NAME_TEXT_MAX octets); returns strlen. */
static size_t format_name(const uint8_t *name, char *out)
{
    size_t n = 0;
    if (name[0] == 0)
        out[n++] = '.';
    for (size_t pos = 0; name[pos] != 0; pos += (size_t)name[pos] + 1) {
        for (size_t i = pos + 1; i <= pos + name[pos]; i++) {
            uint8_t c = name[i];
            if (c < '!' || c > '~') {
                out[n++] = '\\';
                out[n++] = (char)('0' + c / 100);
                out[n++] = (char)('0' + c / 10 % 10);
                out[n++] = (char)('0' + c % 10);
                continue;
            }
            if (needs_backslash(c))
                out[n++] = '\\';
            out[n++] = (char)c;
        }
        out[n++] = '.';
    }
    out[n] = '\0';
    return n;
}

int ods_name_to_text(const uint8_t *name, char *out, size_t outlen)
{
    char text[ODS_NAME_TEXT_MAX];
    size_t n = format_name(name, text);
    if (n + 1 > outlen)
        return ODS_EINVAL;
    memcpy(out, text, n + 1);
    return ODS_OK;
}

int ods_name_append_text(ods_buf_t *out, const uint8_t *name)
{
    if (ods_buf_reserve(out, ODS_NAME_TEXT_MAX) != ODS_OK)
        return ODS_ENOMEM;
    out->len += format_name(name, (char *)out->data + out->len);
    return ODS_OK;
}
