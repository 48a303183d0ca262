#include "conf/zonename.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LABEL 63
#define MAX_WIRE  255

static int label_char_ok(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '/';
}

/* Check one label of length n; returns NULL or what is wrong with it. */
static const char *check_label(const char *label, size_t n)
{
    if (n == 0)
        return "has an empty label (two dots in a row, or a leading dot)";
    if (n > MAX_LABEL)
        return "has a label longer than 63 characters";
    for (size_t i = 0; i < n; i++)
        if (!label_char_ok((unsigned char)label[i]))
            return "may only contain letters, digits, '-', '_' and '/'";
    return NULL;
}

static const char *check_name(const char *name, size_t len)
{
    size_t wire = 1; /* the root label */
    const char *p = name, *end = name + len;
    while (p <= end) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        size_t n = dot ? (size_t)(dot - p) : (size_t)(end - p);
        const char *why = check_label(p, n);
        if (why != NULL)
            return why;
        wire += n + 1;
        if (dot == NULL)
            break;
        p = dot + 1;
    }
    return wire > MAX_WIRE ? "is longer than 255 octets" : NULL;
}

int ods_zone_name_normalize(const char *name, char **out, ods_err_t *err)
{
    if (name == NULL || name[0] == '\0')
        return ods_err_set(err, ODS_EINVAL, "empty zone name: give a name such as example.com");
    size_t len = strlen(name);
    if (strcmp(name, ".") == 0) {
        char *root = strdup(".");
        if (root == NULL)
            return ODS_ENOMEM;
        *out = root;
        return ODS_OK;
    }
    if (name[len - 1] == '.')
        len--;
    const char *why = check_name(name, len);
    if (why != NULL)
        return ods_err_set(err, ODS_EINVAL, "zone name '%s' %s", name, why);
    char *copy = strndup(name, len);
    if (copy == NULL)
        return ODS_ENOMEM;
    for (char *c = copy; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    *out = copy;
    return ODS_OK;
}
