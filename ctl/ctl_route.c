/*
 * ctl_route.c -- which program runs a command, and its socket (see ctl_route.h).
 */
#include "ctl_route.h"

#include "conf/conf.h"
#include "util/buf.h"

#include "ods_config.h"

#include <libgen.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Commands that both daemons run but whose bare form goes to the enforcer only. */
static const char *const enforcer_only_bare[] = { "time leap" };

const char *ctl_route_daemon_name(int target)
{
    return target == ODS_CMD_SIGNER ? "signerd" : "enforcerd";
}

/* 1 if word starts a multi-word command among mask ("zone", "key"). */
static int is_group(int mask, const char *word)
{
    size_t n, len = strlen(word);
    const ods_cmd_t *t = ods_cmd_table(&n);
    for (size_t i = 0; i < n; i++)
        if ((t[i].owner & mask) && strncmp(t[i].words, word, len) == 0 && t[i].words[len] == ' ')
            return 1;
    return 0;
}

/* The subcommands of word among mask: "list, add, delete". */
static void subcommands(int mask, const char *word, ods_buf_t *b)
{
    size_t n, len = strlen(word);
    const ods_cmd_t *t = ods_cmd_table(&n);
    for (size_t i = 0; i < n; i++)
        if ((t[i].owner & mask) && strncmp(t[i].words, word, len) == 0 && t[i].words[len] == ' ')
            ods_buf_printf(b, "%s%s", b->len ? ", " : "", t[i].words + len + 1);
}

/* "'zone' needs a subcommand: list, add, ..." */
static int needs_subcommand(int mask, const char *word, ods_err_t *err)
{
    ods_buf_t b = ODS_BUF_INIT;
    int rc;
    subcommands(mask, word, &b);
    rc = ods_err_set(err, ODS_ENOTFOUND, "'%s' needs a subcommand: %s (see `odsctl help %s`)", word,
                     b.data ? ods_buf_cstr(&b) : "", word);
    ods_buf_free(&b);
    return rc;
}

/* The words typed (up to max of them, before any option) joined by spaces. */
static void typed_words(int argc, char *const *argv, int max, ods_buf_t *b)
{
    for (int i = 0; i < argc && i < max && argv[i][0] != '-'; i++)
        ods_buf_printf(b, "%s%s", i ? " " : "", argv[i]);
}

static int word_count(const char *words)
{
    int n = 1;
    for (; *words; words++)
        n += *words == ' ';
    return n;
}

static int unknown_command(int mask, const char *where, int argc, char *const *argv, ods_err_t *err)
{
    const char *near;
    ods_buf_t typed = ODS_BUF_INIT;
    int rc;
    /* "zone" or "zone --zone x": a group without its subcommand */
    if (is_group(mask, argv[0]) && (argc == 1 || argv[1][0] == '-'))
        return needs_subcommand(mask, argv[0], err);
    near = ods_cmd_suggest(mask, argc, argv);
    typed_words(argc, argv, near ? word_count(near) : 2, &typed);
    if (typed.len == 0)
        ods_buf_printf(&typed, "%s", argv[0]);
    if (near)
        rc = ods_err_set(err, ODS_ENOTFOUND, "unknown %scommand '%s'; did you mean '%s'?", where,
                         ods_buf_cstr(&typed), near);
    else
        rc = ods_err_set(err, ODS_ENOTFOUND,
                         "unknown %scommand '%s'; `odsctl help` lists the commands", where,
                         ods_buf_cstr(&typed));
    ods_buf_free(&typed);
    return rc;
}

/* A signer command typed bare whose first word is an enforcer group ("update example.com"). */
static int signer_only(int argc, char *const *argv, ods_err_t *err)
{
    const char *near = ods_cmd_suggest(ODS_CMD_ENFORCER, argc, argv);
    ods_buf_t rest = ODS_BUF_INIT, subs = ODS_BUF_INIT;
    int rc;
    /* a typo of an enforcer subcommand, unless it looks like a zone name */
    if (near && word_count(near) > 1 && argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '.'))
        return unknown_command(ODS_CMD_ENFORCER, "", argc, argv, err);
    for (int i = 1; i < argc; i++)
        ods_buf_printf(&rest, " %s", argv[i]);
    subcommands(ODS_CMD_ENFORCER, argv[0], &subs);
    rc = ods_err_set(err, ODS_ENOTFOUND,
                     "'%s' needs a subcommand: %s; the signer's %s is `odsctl signer %s%s`",
                     argv[0], subs.data ? ods_buf_cstr(&subs) : "", argv[0], argv[0],
                     rest.data ? ods_buf_cstr(&rest) : "");
    ods_buf_free(&rest);
    ods_buf_free(&subs);
    return rc;
}

static int bare_targets(const ods_cmd_t *cmd)
{
    if (cmd->owner & ODS_CMD_LOCAL)
        return ODS_CMD_LOCAL;
    for (size_t i = 0; i < sizeof(enforcer_only_bare) / sizeof(enforcer_only_bare[0]); i++)
        if (strcmp(cmd->words, enforcer_only_bare[i]) == 0)
            return ODS_CMD_ENFORCER;
    return cmd->owner & (ODS_CMD_ENFORCER | ODS_CMD_SIGNER);
}

/* The bare form: enforcer and local commands, then signer commands reachable bare. */
static int find_bare(int argc, char *const *argv, ctl_route_t *r, ods_err_t *err)
{
    int n1 = 0, n2 = 0;
    const ods_cmd_t *c1 = ods_cmd_find(ODS_CMD_ENFORCER | ODS_CMD_LOCAL, argc, argv, &n1);
    const ods_cmd_t *c2 = ods_cmd_find(ODS_CMD_SIGNER, argc, argv, &n2);
    if (c2 && !ods_cmd_bare_reachable(c2))
        c2 = NULL;
    if (c2 && (!c1 || n2 > n1)) {
        c1 = c2;
        n1 = n2;
    }
    if (!c1) {
        if (ods_cmd_find(ODS_CMD_SIGNER, argc, argv, &n2))
            return signer_only(argc, argv, err);
        return unknown_command(ODS_CMD_ALL, "", argc, argv, err);
    }
    r->cmd = c1;
    r->nwords = n1;
    r->selector = 0;
    r->targets = bare_targets(c1);
    return ODS_OK;
}

int ctl_route_find(int argc, char *const *argv, ctl_route_t *route, ods_err_t *err)
{
    ctl_route_t r = { 0 };
    int target = 0, rc;
    if (argc <= 0)
        return ods_err_set(err, ODS_EINVAL, "no command given; `odsctl help` lists them");
    if (strcmp(argv[0], "enforcer") == 0)
        target = ODS_CMD_ENFORCER;
    else if (strcmp(argv[0], "signer") == 0)
        target = ODS_CMD_SIGNER;
    if (target == 0) {
        rc = find_bare(argc, argv, &r, err);
        if (rc != ODS_OK)
            return rc;
        *route = r;
        return ODS_OK;
    }
    if (argc == 1)
        return ods_err_set(err, ODS_EINVAL, "'%s' needs a command; `odsctl help %s` lists them",
                           argv[0], argv[0]);
    r.cmd = ods_cmd_find(target, argc - 1, argv + 1, &r.nwords);
    if (!r.cmd)
        return unknown_command(target, target == ODS_CMD_ENFORCER ? "enforcer " : "signer ",
                               argc - 1, argv + 1, err);
    r.selector = 1;
    r.targets = target;
    *route = r;
    return ODS_OK;
}

/* ---- socket paths ---- */

static int dup_path(const char *s, char **path, ods_err_t *err)
{
    char *copy = strdup(s);
    if (!copy)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    *path = copy;
    return ODS_OK;
}

/* SocketFile of section under /Configuration, read without validation; NULL if absent. */
static char *raw_socketfile(xmlDocPtr doc, const char *section)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr s = root ? root->children : NULL; s; s = s->next) {
        if (s->type != XML_ELEMENT_NODE || xmlStrcmp(s->name, BAD_CAST section) != 0)
            continue;
        for (xmlNodePtr e = s->children; e; e = e->next)
            if (e->type == XML_ELEMENT_NODE && xmlStrcmp(e->name, BAD_CAST "SocketFile") == 0)
                return (char *)xmlNodeGetContent(e);
    }
    return NULL;
}

/* Trim white space in place. */
static char *trim(char *s)
{
    char *end = s + strlen(s);
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

/*
 * The path from a conf.xml that does not load (an unreadable PINFile for a
 * user who is not the daemons', say): read just SocketFile. ODS_EPARSE when
 * the file is not XML.
 */
static int raw_socket(const char *conf_path, int target, char **path, ods_err_t *err)
{
    xmlDocPtr doc =
        xmlReadFile(conf_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    char *raw, *v, *dir, *tmp;
    int rc;
    if (!doc)
        return ods_err_set(err, ODS_EPARSE, "cannot read %s", conf_path);
    raw = raw_socketfile(doc, target == ODS_CMD_SIGNER ? "Signer" : "Enforcer");
    xmlFreeDoc(doc);
    v = raw ? trim(raw) : NULL;
    if (!v || !*v) {
        rc = dup_path(target == ODS_CMD_SIGNER ? ODS_RUNDIR "/signer.sock"
                                               : ODS_RUNDIR "/enforcer.sock",
                      path, err);
    } else if (v[0] == '/') {
        rc = dup_path(v, path, err);
    } else {
        tmp = strdup(conf_path);
        dir = tmp ? dirname(tmp) : NULL;
        rc = dir && asprintf(path, "%s/%s", dir, v) >= 0
                 ? ODS_OK
                 : ods_err_set(err, ODS_ENOMEM, "out of memory");
        free(tmp);
    }
    xmlFree(raw);
    return rc;
}

int ctl_route_socket(const char *conf_path, int conf_given, int target, char **path, char **warning,
                     ods_err_t *err)
{
    ods_conf_t *conf = NULL;
    ods_err_t first;
    int rc;
    if (ods_conf_load(conf_path, &conf, NULL) == ODS_OK) {
        const char *p =
            target == ODS_CMD_SIGNER ? conf->signer.socketfile : conf->enforcer.socketfile;
        rc = dup_path(p, path, err);
        ods_conf_free(conf);
        return rc;
    }
    rc = raw_socket(conf_path, target, path, &first);
    if (rc == ODS_OK || rc == ODS_ENOMEM) {
        if (rc != ODS_OK && err)
            *err = first;
        return rc;
    }
    if (conf_given && access(conf_path, F_OK) != 0)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "no configuration file %s: give the right one "
                           "with -c FILE",
                           conf_path);
    if (conf_given)
        return ods_err_set(err, ODS_ECONFIG,
                           "cannot read the configuration %s: give the right one with -c FILE",
                           conf_path);
    rc =
        dup_path(target == ODS_CMD_SIGNER ? ODS_RUNDIR "/signer.sock" : ODS_RUNDIR "/enforcer.sock",
                 path, err);
    if (rc == ODS_OK && warning && access(conf_path, F_OK) == 0 &&
        asprintf(warning, "cannot read %s; trying the default socket %s", conf_path, *path) < 0)
        *warning = NULL;
    return rc;
}
