/*
 * cmdparse.c -- options and positionals of one command (see cmdparse.h).
 */
#include "ctl/cmdparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ods_cmd_args {
    const ods_cmd_t *cmd;
    char **values; /* one per option of cmd, NULL when absent, "" for a given flag */
    int nopts;
    char **pos;
    int npos;
};

/* The buffer as a string, "" if it cannot be terminated (out of memory). */
static const char *cstr(ods_buf_t *b)
{
    const char *s = ods_buf_cstr(b);
    return s ? s : "";
}

static int count_opts(const ods_cmd_t *cmd)
{
    int n = 0;
    while (cmd->opts && cmd->opts[n].name)
        n++;
    return n;
}

static ods_cmd_args_t *args_new(const ods_cmd_t *cmd, int argc)
{
    ods_cmd_args_t *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->cmd = cmd;
    a->nopts = count_opts(cmd);
    a->values = calloc((size_t)a->nopts + 1, sizeof(char *));
    a->pos = calloc((size_t)argc + 1, sizeof(char *));
    if (!a->values || !a->pos) {
        ods_cmd_args_free(a);
        return NULL;
    }
    return a;
}

void ods_cmd_args_free(ods_cmd_args_t *a)
{
    if (!a)
        return;
    for (int i = 0; a->values && i < a->nopts; i++)
        free(a->values[i]);
    for (int i = 0; a->pos && i < a->npos; i++)
        free(a->pos[i]);
    free(a->values);
    free(a->pos);
    free(a);
}

/* Store value (len bytes) for option o, replacing an earlier one. */
static int set_value(ods_cmd_args_t *a, const ods_cmd_opt_t *o, const char *value, size_t len,
                     ods_err_t *err)
{
    int i = (int)(o - a->cmd->opts);
    char *copy = strndup(value, len);
    if (!copy)
        return ods_err_set(err, ODS_ENOMEM, "out of memory parsing '%s'", a->cmd->words);
    free(a->values[i]);
    a->values[i] = copy;
    return ODS_OK;
}

static int add_pos(ods_cmd_args_t *a, const char *arg, ods_err_t *err)
{
    char *copy = strdup(arg);
    if (!copy)
        return ods_err_set(err, ODS_ENOMEM, "out of memory parsing '%s'", a->cmd->words);
    a->pos[a->npos++] = copy;
    return ODS_OK;
}

/* The long name of cmd's option nearest to name, or NULL. */
static const char *nearest_opt(const ods_cmd_t *cmd, const char *name)
{
    const char *best = NULL;
    int best_d = 0;
    for (const ods_cmd_opt_t *o = cmd->opts; o && o->name; o++) {
        size_t len = strlen(o->name);
        int cap = len <= 4 ? 2 : len <= 8 ? 3 : 4;
        int d = ods_cmd_distance(name, o->name, cap);
        /* a prefix ("--verb" for "--verbose") counts as close */
        if (strlen(name) >= 2 && strncmp(o->name, name, strlen(name)) == 0 && d > 1)
            d = 1;
        if (d <= cap && (!best || d < best_d)) {
            best = o->name;
            best_d = d;
        }
    }
    return best;
}

/* The list of valid options, "--zone, --policy, ..." into buf. */
static void list_opts(const ods_cmd_t *cmd, ods_buf_t *buf)
{
    int n = 0;
    for (const ods_cmd_opt_t *o = cmd->opts; o && o->name; o++)
        ods_buf_printf(buf, "%s--%s", n++ ? ", " : "", o->name);
    if (n == 0)
        ods_buf_printf(buf, "none");
}

static int unknown_option(const ods_cmd_t *cmd, const char *shown, const char *name, ods_err_t *err)
{
    const char *near = name ? nearest_opt(cmd, name) : NULL;
    ods_buf_t valid = ODS_BUF_INIT;
    int rc;
    if (near) {
        rc = ods_err_set(err, ODS_EINVAL, "unknown option '%s' for '%s'; did you mean '--%s'?",
                         shown, cmd->words, near);
    } else {
        list_opts(cmd, &valid);
        rc = ods_err_set(err, ODS_EINVAL, "unknown option '%s' for '%s' (valid options: %s)", shown,
                         cmd->words, cstr(&valid));
    }
    ods_buf_free(&valid);
    return rc;
}

static int needs_value(const ods_cmd_t *cmd, const ods_cmd_opt_t *o, ods_err_t *err)
{
    return ods_err_set(err, ODS_EINVAL, "option '--%s' of '%s' needs a value (%s)", o->name,
                       cmd->words, o->arg_name ? o->arg_name : "VALUE");
}

/* "--name", "--name=value" or "--name value" at argv[*i]. */
static int parse_long(ods_cmd_args_t *a, int argc, char *const *argv, int *i, ods_err_t *err)
{
    const char *arg = argv[*i] + 2;
    const char *eq = strchr(arg, '=');
    size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
    char name[128];
    const ods_cmd_opt_t *o;
    if (nlen >= sizeof(name))
        nlen = sizeof(name) - 1;
    memcpy(name, arg, nlen);
    name[nlen] = '\0';
    o = ods_cmd_opt_find(a->cmd, name);
    if (!o)
        return unknown_option(a->cmd, argv[*i], name, err);
    if (!o->has_arg) {
        if (eq)
            return ods_err_set(err, ODS_EINVAL, "option '--%s' of '%s' takes no value", o->name,
                               a->cmd->words);
        return set_value(a, o, "", 0, err);
    }
    if (eq)
        return set_value(a, o, eq + 1, strlen(eq + 1), err);
    if (*i + 1 >= argc)
        return needs_value(a->cmd, o, err);
    (*i)++;
    return set_value(a, o, argv[*i], strlen(argv[*i]), err);
}

/* "-x", "-xvalue", "-x value", "-abc" at argv[*i]. */
static int parse_short(ods_cmd_args_t *a, int argc, char *const *argv, int *i, ods_err_t *err)
{
    const char *p = argv[*i] + 1;
    for (; *p; p++) {
        const ods_cmd_opt_t *o = ods_cmd_opt_short(a->cmd, *p);
        if (!o) {
            char shown[3] = { '-', *p, '\0' };
            return unknown_option(a->cmd, shown, NULL, err);
        }
        if (!o->has_arg) {
            int rc = set_value(a, o, "", 0, err);
            if (rc != ODS_OK)
                return rc;
            continue;
        }
        if (p[1])
            return set_value(a, o, p + 1, strlen(p + 1), err);
        if (*i + 1 >= argc)
            return needs_value(a->cmd, o, err);
        (*i)++;
        return set_value(a, o, argv[*i], strlen(argv[*i]), err);
    }
    return ODS_OK;
}

/* Quote the positionals for an error message: "'a' 'b'". */
static void quote_pos(const ods_cmd_args_t *a, ods_buf_t *buf)
{
    for (int i = 0; i < a->npos; i++)
        ods_buf_printf(buf, "%s'%s'", i ? " " : "", a->pos[i]);
}

static int check_counts(const ods_cmd_args_t *a, ods_err_t *err)
{
    const ods_cmd_t *c = a->cmd;
    ods_buf_t got = ODS_BUF_INIT;
    int rc = ODS_OK;
    if (a->npos < c->min_pos) {
        rc = ods_err_set(err, ODS_EINVAL, "'%s' needs %s%d argument%s (%s)", c->words,
                         c->max_pos != c->min_pos ? "at least " : "", c->min_pos,
                         c->min_pos == 1 ? "" : "s", c->args);
    } else if (c->max_pos >= 0 && a->npos > c->max_pos) {
        quote_pos(a, &got);
        if (c->max_pos == 0)
            rc = ods_err_set(err, ODS_EINVAL, "'%s' takes no arguments, got %d: %s", c->words,
                             a->npos, cstr(&got));
        else
            rc = ods_err_set(err, ODS_EINVAL, "'%s' takes at most %d argument%s (%s), got %d: %s",
                             c->words, c->max_pos, c->max_pos == 1 ? "" : "s", c->args, a->npos,
                             cstr(&got));
    }
    ods_buf_free(&got);
    return rc;
}

int ods_cmd_parse(const ods_cmd_t *cmd, int argc, char *const *argv, ods_cmd_args_t **out,
                  ods_err_t *err)
{
    ods_cmd_args_t *a;
    int rc = ODS_OK, only_pos = 0;
    if (!cmd || argc < 0 || (argc > 0 && !argv) || !out)
        return ods_err_set(err, ODS_EINVAL, "ods_cmd_parse: invalid arguments");
    a = args_new(cmd, argc);
    if (!a)
        return ods_err_set(err, ODS_ENOMEM, "out of memory parsing '%s'", cmd->words);
    for (int i = 0; i < argc && rc == ODS_OK; i++) {
        const char *arg = argv[i];
        if (only_pos || arg[0] != '-' || arg[1] == '\0')
            rc = add_pos(a, arg, err);
        else if (strcmp(arg, "--") == 0)
            only_pos = 1;
        else if (arg[1] == '-')
            rc = parse_long(a, argc, argv, &i, err);
        else
            rc = parse_short(a, argc, argv, &i, err);
    }
    if (rc == ODS_OK)
        rc = check_counts(a, err);
    if (rc != ODS_OK) {
        ods_cmd_args_free(a);
        return rc;
    }
    *out = a;
    return ODS_OK;
}

static int opt_index(const ods_cmd_args_t *a, const char *name)
{
    for (int i = 0; i < a->nopts; i++)
        if (strcmp(a->cmd->opts[i].name, name) == 0)
            return i;
    return -1;
}

const char *ods_cmd_get(const ods_cmd_args_t *a, const char *name)
{
    int i = a && name ? opt_index(a, name) : -1;
    return i < 0 ? NULL : a->values[i];
}

int ods_cmd_has(const ods_cmd_args_t *a, const char *name)
{
    return ods_cmd_get(a, name) != NULL;
}

int ods_cmd_npos(const ods_cmd_args_t *a)
{
    return a ? a->npos : 0;
}

const char *ods_cmd_pos(const ods_cmd_args_t *a, int i)
{
    return a && i >= 0 && i < a->npos ? a->pos[i] : NULL;
}

const ods_cmd_t *ods_cmd_args_cmd(const ods_cmd_args_t *a)
{
    return a ? a->cmd : NULL;
}

/* ---- usage ---- */

#define WRAP_COLS 78

/*
 * Append text wrapped at WRAP_COLS, continuing a line that is at column col
 * (0: a new line); every new line is indented by indent spaces.
 */
static void wrap(ods_buf_t *out, const char *text, int indent, int col)
{
    const char *p = text;
    int first = col > 0; /* the first word goes on the current line */
    while (*p) {
        size_t w = strcspn(p, " \n");
        if (col > 0 && col + 1 + (int)w > WRAP_COLS) {
            ods_buf_printf(out, "\n");
            col = 0;
        }
        if (col == 0) {
            ods_buf_printf(out, "%*s", indent, "");
            col = indent;
        } else if (first) {
            first = 0;
        } else {
            ods_buf_printf(out, " ");
            col++;
        }
        ods_buf_append(out, p, w);
        col += (int)w;
        p += w;
        if (*p == '\n')
            col = WRAP_COLS + 1; /* an explicit line break */
        while (*p == ' ' || *p == '\n')
            p++;
    }
    ods_buf_printf(out, "\n");
}

void ods_cmd_usage_line(const ods_cmd_t *cmd, ods_buf_t *out)
{
    const char *rest = cmd->synopsis && *cmd->synopsis ? cmd->synopsis : cmd->args;
    ods_buf_printf(out, "usage: odsctl %s%s%s%s", ods_cmd_bare_reachable(cmd) ? "" : "signer ",
                   cmd->words, rest && *rest ? " " : "", rest ? rest : "");
}

static void usage_opts(const ods_cmd_t *cmd, ods_buf_t *out)
{
    if (!cmd->opts || !cmd->opts[0].name)
        return;
    ods_buf_printf(out, "\noptions:\n");
    for (const ods_cmd_opt_t *o = cmd->opts; o->name; o++) {
        char left[64];
        snprintf(left, sizeof(left), "%c%c%c --%s%s%s", o->short_name ? '-' : ' ',
                 o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ', o->name,
                 o->has_arg ? " " : "", o->has_arg && o->arg_name ? o->arg_name : "");
        if (strlen(left) > 26)
            ods_buf_printf(out, "  %s\n  %-26s ", left, "");
        else
            ods_buf_printf(out, "  %-26s ", left);
        wrap(out, o->help, 29, 29);
    }
}

void ods_cmd_usage(const ods_cmd_t *cmd, ods_buf_t *out)
{
    const char *who = cmd->owner == ODS_CMD_LOCAL      ? "odsctl itself"
                      : cmd->owner == ODS_CMD_ENFORCER ? "the enforcer (enforcerd)"
                      : cmd->owner == ODS_CMD_SIGNER   ? "the signer (signerd)"
                                                       : "enforcerd and signerd";
    ods_cmd_usage_line(cmd, out);
    ods_buf_printf(out, "\n\n");
    wrap(out, cmd->help, 2, 0);
    ods_buf_printf(out, "  Run by %s.\n", who);
    usage_opts(cmd, out);
    if (cmd->example && *cmd->example) {
        const char *p = cmd->example;
        ods_buf_printf(out, "\nexample%s:\n", strchr(p, '\n') ? "s" : "");
        while (*p) {
            size_t len = strcspn(p, "\n");
            ods_buf_printf(out, "  %.*s\n", (int)len, p);
            p += len + (p[len] == '\n');
        }
    }
}
