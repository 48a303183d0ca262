/*
 * pin.h -- where a daemon gets a repository's PIN (user PIN of the token).
 *
 * In this order:
 *  1. conf.xml: <PIN>, or the first line of the file named by <PINFile>
 *     (read by the conf module when conf.xml is loaded; keep that file
 *     readable only by the daemons' user: chmod 0600 or 0640);
 *  2. the environment variable ODS_PIN_<NAME>, NAME being the repository
 *     name in upper case with every other character than A-Z and 0-9 turned
 *     into '_' ("SoftHSM" -> ODS_PIN_SOFTHSM, "hsm-2" -> ODS_PIN_HSM_2),
 *     e.g. from a root-only systemd EnvironmentFile= or rc.conf;
 *  3. a file of that same name in $CREDENTIALS_DIRECTORY (systemd
 *     LoadCredential=ODS_PIN_SOFTHSM:/etc/odsng/softhsm.pin), first line.
 * Otherwise ODS_EPIN: the daemon may start without logging in to that
 * repository and wait for `odsctl hsm login`.
 *
 * The environment variable is read once: it is then wiped from the process's
 * environment (memory overwritten, variable removed), so that commands the
 * daemon runs never inherit it and /proc/PID/environ does not show it; the
 * value is kept here for later calls (reload) until ods_svc_pin_forget_all.
 *
 * Every PIN returned is registered with ods_log_secret_add, so that it is
 * replaced by "********" should it ever reach a log message. PINs never go
 * on a command line, so they never show in argv or process titles.
 *
 * Thread-safe (a mutex guards the kept environment PINs), but reading the
 * environment is not safe against other threads calling setenv: call
 * ods_svc_pin_get at start-up before threads, as the daemons do.
 */
#ifndef ODS_SVC_PIN_H
#define ODS_SVC_PIN_H

#include "conf/conf.h"
#include "util/status.h"

#include <stddef.h>

#define ODS_SVC_PIN_ENV_PREFIX "ODS_PIN_"
#define ODS_SVC_PIN_MAX        256 /* longest PIN accepted from the environment or a credential */

/*
 * The PIN of repo. On success *pin is a new string owned by the caller (free
 * it with ods_svc_pin_free, which wipes it). Errors: ODS_EPIN ("no PIN for
 * repository 'R': ..." saying every way to give one), ODS_EIO (credential
 * file unreadable), ODS_ENOMEM.
 */
int ods_svc_pin_get(const ods_conf_repository_t *repo, char **pin, ods_err_t *err);

/* Wipe (explicit_bzero) and free a PIN. NULL is a no-op. */
void ods_svc_pin_free(char *pin);

/*
 * The environment variable (and credential) name for repository name:
 * "ODS_PIN_" + NAME as above. ODS_EINVAL when buf (len bytes) is too small.
 */
int ods_svc_pin_env_name(const char *name, char *buf, size_t len, ods_err_t *err);

/* Wipe and forget the PINs kept from the environment. */
void ods_svc_pin_forget_all(void);

#endif
