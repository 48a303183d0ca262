/*
 * enf_parent.h -- DelegationSignerSubmitCommand and
 * DelegationSignerRetractCommand: the operator's scripts that hand a DS to
 * the parent or withdraw it.
 *
 * The command (run with /bin/sh -c, as OpenDNSSEC's popen did) receives on
 * standard input the key's DNSKEY record and its DS record (SHA-256), one
 * line each, fields separated by spaces. A command ending in " --cka_id"
 * is run without that suffix and the DNSKEY line gets "; {cka_id = LOCATOR}"
 * appended (OpenDNSSEC's convention). Each command runs in its own thread,
 * so a slow registry never blocks the enforcer; it is killed after
 * ENF_DS_CMD_TIMEOUT seconds. When it exits with status 0 the key's DS
 * moves on (submit -> submitted, retract -> retracted) in the loop.
 *
 * Ownership: enf_parent_new returns an owned object; enf_parent_free waits
 * for (or kills, at shutdown) the commands still running.
 * Thread-safety: the functions run on the loop's thread.
 */
#ifndef ENF_PARENT_H
#define ENF_PARENT_H

#include <stdint.h>

#include "enf_daemon.h"
#include "util/status.h"

#define ENF_DS_CMD_TIMEOUT 300 /* seconds */

typedef enum enf_ds_cmd {
    ENF_DS_CMD_SUBMIT,
    ENF_DS_CMD_RETRACT,
} enf_ds_cmd_t;

int enf_parent_new(enf_daemon_t *d, enf_parent_t **out, ods_err_t *err);
void enf_parent_free(enf_parent_t *p);

/* The configured command for kind, or NULL. */
const char *enf_parent_command(const enf_daemon_t *d, enf_ds_cmd_t kind);

/* Check that the program of cmd exists and is executable:
 * "Cannot stat file %s: %s", "File %s is not executable". */
int enf_parent_check(const char *cmd, ods_err_t *err);

/* The text the command gets on standard input for key (zone, locator,
 * DNSKEY RDATA with its flags, TTLs). Appended to out. */
int enf_parent_input(const char *cmd, const char *zone, const char *locator, const uint8_t *rdata,
                     size_t len, uint32_t dnskey_ttl, uint32_t ds_ttl, ods_buf_t *out,
                     ods_err_t *err);

/* Start the command of kind for key `locator` of `zone` with that input. */
int enf_parent_run(enf_daemon_t *d, enf_ds_cmd_t kind, const char *zone, const char *locator,
                   const char *input, ods_err_t *err);

/* Commands running now. */
size_t enf_parent_running(const enf_parent_t *p);

#endif
