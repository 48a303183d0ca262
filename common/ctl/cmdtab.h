/*
 * cmdtab.h -- the table of control commands, shared by odsctl and both daemons.
 *
 * Every command odsctl knows is one entry: its words ("key list"), which
 * program runs it (the enforcer, the signer, both, or odsctl itself), its
 * positional arguments and options (names and short aliases as in
 * ods-enforcer / ods-signer / ods-hsmutil, so operators' scripts carry over),
 * and its help. odsctl validates a command line with the table before it
 * contacts a daemon; a daemon finds its handler with ods_cmd_find and parses
 * the rest with ods_cmd_parse (cmdparse.h).
 *
 * What a daemon receives: odsctl sends the command words and everything
 * after them, without odsctl's own options and without the "enforcer" /
 * "signer" selector word, e.g. {"key", "list", "--verbose", "--zone", "a.nl"}.
 * A daemon therefore does:
 *
 *   int nw;
 *   const ods_cmd_t *cmd = ods_cmd_find(ODS_CMD_ENFORCER, argc, argv, &nw);
 *   if (!cmd) -> "unknown command" (see ods_cmd_suggest), exit 2
 *   ods_cmd_parse(cmd, argc - nw, argv + nw, &args, &err) -> exit 2 on error
 *   dispatch on cmd->words
 *
 * Owners are a bit mask: a command that both daemons implement (queue,
 * flush, running, reload, stop, verbosity, time leap) has
 * ODS_CMD_ENFORCER | ODS_CMD_SIGNER.
 *
 * The table is static, constant data: thread-safe, nothing to free. Every
 * string returned points into it.
 */
#ifndef ODS_CTL_CMDTAB_H
#define ODS_CTL_CMDTAB_H

#include <stddef.h>

enum {
    ODS_CMD_ENFORCER = 1,
    ODS_CMD_SIGNER = 2,
    ODS_CMD_LOCAL = 4, /* run by odsctl itself, no daemon */
    ODS_CMD_ALL = ODS_CMD_ENFORCER | ODS_CMD_SIGNER | ODS_CMD_LOCAL,
};

typedef struct ods_cmd_opt {
    const char *name;     /* long name without dashes: "zone" */
    char short_name;      /* 'z', or 0 */
    int has_arg;          /* 0 flag, 1 takes a value */
    const char *arg_name; /* "ZONE" (NULL for a flag) */
    const char *help;
} ods_cmd_opt_t;

typedef struct ods_cmd {
    const char *words;         /* "key list", "zone add", "sign", "time leap" */
    int owner;                 /* ODS_CMD_* mask */
    const char *args;          /* positional usage, e.g. "[ZONE]" or "" */
    int min_pos, max_pos;      /* positional argument counts (-1 = unlimited) */
    const char *summary;       /* one line */
    const char *help;          /* a paragraph */
    const char *example;       /* one or more example lines ("\n"-separated) */
    const ods_cmd_opt_t *opts; /* terminated by {0} */
    /* The usage line after the words when it says more than args: which options
     * are required or exclusive, e.g. "(--zone ZONE | --all) [--xml]" or
     * "(ZONE [--serial SERIAL] | --all) [--wait]" (then it includes the
     * positionals). "" to show just args. */
    const char *synopsis;
} ods_cmd_t;

/*
 * Longest match of the command words at argv[0..argc) among the commands whose
 * owner intersects owner_mask; *nwords (may be NULL) = words consumed. NULL if
 * none. Words match exactly (case-sensitive).
 */
const ods_cmd_t *ods_cmd_find(int owner_mask, int argc, char *const *argv, int *nwords);

/* The whole table and its length (*n, may be NULL). */
const ods_cmd_t *ods_cmd_table(size_t *n);

/*
 * The command words nearest to a mistyped command at argv[0..argc) (edit
 * distance over the same number of words, e.g. "zone ad" -> "zone add",
 * "key lst" -> "key list"; when fewer words were typed than a command has,
 * only its first words are compared: "zoen" -> "zone list"; words end at
 * the first argument that starts with '-'), among owner_mask. A command
 * matching more words wins, then the closest, then the first in table order.
 * NULL if nothing is close enough to be a plausible typo.
 */
const char *ods_cmd_suggest(int owner_mask, int argc, char *const *argv);

/* The option of cmd with this long name (without dashes); NULL if none. */
const ods_cmd_opt_t *ods_cmd_opt_find(const ods_cmd_t *cmd, const char *name);

/* The option of cmd with this short name; NULL if none (or c is 0). */
const ods_cmd_opt_t *ods_cmd_opt_short(const ods_cmd_t *cmd, char c);

/* Number of words in cmd->words (1 for "sign", 2 for "key list"). */
int ods_cmd_nwords(const ods_cmd_t *cmd);

/*
 * Edit distance between a and b (bytes; insert, delete, substitute and swap
 * two neighbours cost 1 each), capped: the result is min(distance, cap + 1).
 * Used for the "did you mean" suggestions.
 */
int ods_cmd_distance(const char *a, const char *b, int cap);

/*
 * 1 if the bare form "odsctl WORDS" reaches cmd: always for enforcer and
 * local commands; for a signer-only command only when no enforcer command
 * starts with the same first word (so "odsctl sign" yes, "odsctl update" is
 * the enforcer's and the signer's needs "odsctl signer update").
 */
int ods_cmd_bare_reachable(const ods_cmd_t *cmd);

#endif
