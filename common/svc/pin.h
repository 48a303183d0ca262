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
#include "hsm/hsm.h"
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

/* ---- Waiting for `odsctl hsm login` ----
 *
 * A daemon copies conf.xml's RepositoryList into an ods_svc_login_t at
 * start-up, with every PIN that ods_svc_pin_get finds. While a repository
 * has none, the daemon runs without its HSM (it serves its control socket,
 * signs and enforces nothing) until `odsctl hsm login` hands it the PIN.
 *
 * How the PIN travels: odsctl reads it from the terminal (echo off), checks
 * it against the token itself, then sends each daemon the request
 *   {"hsm", "login", "--repository", R, ODS_SVC_PIN_ARG, PIN}
 * over the control socket (mode 0660: only root and the daemons' group can
 * connect). The PIN is thus never in any process's argv (/proc/PID/cmdline,
 * ps, process titles): it is one argument inside one protocol frame on a
 * local socket. The protocol allows exactly one request frame per
 * connection, so a follow-up frame is not an option; the marker keeps the
 * PIN in a fixed place, after the options, where the daemon takes it out
 * (ods_svc_pin_take_arg) before the command line is parsed or could appear
 * in any message. The daemons never log request arguments.
 *
 * Ownership: the login object owns copies of the repositories and of the
 * PINs, wiped (explicit_bzero) when dropped or freed. Not thread-safe: use
 * it from the daemon's event loop only.
 */
#define ODS_SVC_PIN_ARG "--pin-follows"

/* What a daemon says while it waits, for commands that need the HSM. */
#define ODS_SVC_LOGIN_WANTED "the HSM is not logged in yet: run `odsctl hsm login`"

typedef struct ods_svc_login ods_svc_login_t;

/*
 * Open the repositories specs[0..n). With keep 0 only to check their PINs:
 * open, then close again. With keep 1 for good: the callee takes the opened
 * HSM (and starts the work that needs it). Returns ODS_OK or the error of
 * ods_hsm_open (ODS_EPIN for a wrong PIN) with err filled.
 */
typedef int (*ods_svc_login_open_fn)(void *arg, const ods_hsm_repo_spec_t *specs, size_t n,
                                     int keep, ods_err_t *err);

/*
 * Copy the repositories of conf and get each one's PIN (ods_svc_pin_get);
 * a repository without one waits for ods_svc_login_give. Errors: those of
 * ods_svc_pin_get other than ODS_EPIN, ODS_ENOMEM.
 */
int ods_svc_login_new(const ods_conf_t *conf, ods_svc_login_t **out, ods_err_t *err);

/* Wipe the PINs and free. NULL is a no-op. */
void ods_svc_login_free(ods_svc_login_t *l);

/* Number of repositories, the name of repository i, and how many still lack a PIN. */
size_t ods_svc_login_count(const ods_svc_login_t *l);
const char *ods_svc_login_name(const ods_svc_login_t *l, size_t i);
int ods_svc_login_has_pin(const ods_svc_login_t *l, size_t i);
size_t ods_svc_login_missing(const ods_svc_login_t *l);

/* Every PIN is there: open all repositories for good (open with keep 1).
 * ODS_EPIN when a PIN is still missing; else open's result. */
int ods_svc_login_open(ods_svc_login_t *l, ods_svc_login_open_fn open, void *arg, ods_err_t *err);

/*
 * The PIN of repository repo (NULL: the only one still without a PIN). While
 * other repositories still lack theirs, the PIN is only checked (open with
 * keep 0, that repository alone) and kept; when it is the last one, every
 * repository is opened for good (keep 1). Then the PIN is registered with
 * ods_log_secret_add. On failure nothing changes: the PIN is wiped. Errors:
 * ODS_ENOTFOUND (no such repository), ODS_EEXIST (it already has its PIN;
 * also when repo is NULL and none lacks one), ODS_EINVAL (repo NULL and
 * several lack one), ODS_ENOMEM, or open's error (ODS_EPIN: wrong PIN).
 */
int ods_svc_login_give(ods_svc_login_t *l, const char *repo, const char *pin,
                       ods_svc_login_open_fn open, void *arg, ods_err_t *err);

/*
 * Take the PIN out of a request argv[0..*argc) of `hsm login`: the last two
 * arguments are ODS_SVC_PIN_ARG and the PIN. On success *pin is a new string
 * (free with ods_svc_pin_free), the PIN in argv is overwritten with zeros and
 * *argc is reduced by 2 (argv[*argc] becomes NULL). ODS_EPIN when the
 * request carries no PIN ("run `odsctl hsm login`"), ODS_ENOMEM.
 */
int ods_svc_pin_take_arg(int *argc, char **argv, char **pin, ods_err_t *err);

#endif
