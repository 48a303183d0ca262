/*
 * cmdparse.h -- parse the options and positional arguments of one command
 * (the argv after its words, see cmdtab.h) against its table entry.
 *
 * Accepted forms, as with getopt_long: "--zone a.nl", "--zone=a.nl",
 * "-z a.nl", "-za.nl", flags ("--xml", "-u"), bundled short flags ("-vd",
 * and "-vz a.nl" where the last letter takes a value); "--" ends the options
 * (everything after it is positional); "-" alone is positional. Options and
 * positionals may be mixed. Long names match exactly (no abbreviations). An
 * option given twice keeps the last value.
 *
 * Errors (ODS_EINVAL, one line in err, naming the command):
 *   unknown option '--zon' for 'zone add'; did you mean '--zone'?
 *   option '--zone' of 'zone add' needs a value (ZONE)
 *   option '--xml' of 'zone add' takes no value
 *   'sign' takes at most 1 argument ([ZONE]), got 2: 'a.nl' 'b.nl'
 *   'hsm remove' needs 1 argument (LOCATOR)
 * and ODS_ENOMEM.
 *
 * Which options are required or mutually exclusive is not checked here; the
 * command's handler does that (the table's synopsis documents it).
 *
 * Ownership: *out is owned by the caller (ods_cmd_args_free) and holds copies
 * of every string; argv may be freed after the call. Not thread-safe per
 * object; no shared state.
 */
#ifndef ODS_CTL_CMDPARSE_H
#define ODS_CTL_CMDPARSE_H

#include "ctl/cmdtab.h"
#include "util/buf.h"
#include "util/status.h"

typedef struct ods_cmd_args ods_cmd_args_t; /* opaque; owns copies */

/*
 * Parse argv[0..argc) (everything after the command words). On success *out
 * is a new object; on failure *out is untouched and err says what is wrong.
 */
int ods_cmd_parse(const ods_cmd_t *cmd, int argc, char *const *argv, ods_cmd_args_t **out,
                  ods_err_t *err);

void ods_cmd_args_free(ods_cmd_args_t *a);

/* The value of option name (long name), "" for a given flag, NULL when absent. */
const char *ods_cmd_get(const ods_cmd_args_t *a, const char *name);

/* 1 if option name was given, 0 if not. */
int ods_cmd_has(const ods_cmd_args_t *a, const char *name);

/* Number of positional arguments, and argument i (NULL when out of range). */
int ods_cmd_npos(const ods_cmd_args_t *a);
const char *ods_cmd_pos(const ods_cmd_args_t *a, int i);

/* The command the arguments were parsed for. */
const ods_cmd_t *ods_cmd_args_cmd(const ods_cmd_args_t *a);

/*
 * Usage text of a command (for help and errors), appended to out:
 *
 *   usage: odsctl zone add --zone ZONE [--policy POLICY] ...
 *
 *   <help paragraph>
 *
 *   options:
 *     -z, --zone ZONE       the zone's name
 *     ...
 *   example:
 *     odsctl zone add --zone example.com --policy default
 *
 * A signer command that can only be reached as "odsctl signer WORDS" (its
 * words start an enforcer command too, e.g. "update") is shown that way.
 */
void ods_cmd_usage(const ods_cmd_t *cmd, ods_buf_t *out);

/* Just the first line, "usage: odsctl WORDS SYNOPSIS ARGS", without a newline. */
void ods_cmd_usage_line(const ods_cmd_t *cmd, ods_buf_t *out);

#endif
