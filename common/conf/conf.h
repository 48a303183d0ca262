/*
 * conf.h -- conf.xml: key repositories (HSMs), logging, file locations and
 * the settings of the enforcer and the signer.
 *
 * OpenDNSSEC 2.1's conf.xml is accepted unchanged. Relative paths in the
 * file are resolved against the directory of the file, so all paths in
 * ods_conf_t are absolute (commands are left as written). Paths that are
 * not given come from the build configuration (ods_config.h); the defaults
 * are listed below.
 *
 * Loading validates the file against conf.rng, reads the values and checks
 * them. Every problem goes to the ods_diag_t (see diag.h); loading fails if
 * there is an ERROR. Rejected with an explanation: MySQL datastores (odsng
 * uses SQLite), Enforcer/Interval, Common/ZoneFetchFile and
 * Signer/ToolsDirectory (obsolete since OpenDNSSEC 2.0), Capacity 0,
 * duplicate repository names, PIN and PINFile together, WorkerThreads 0.
 *
 * PINs: a repository's PIN comes from <PIN> or from the first line of the
 * file named by <PINFile> (odsng extension), read at load time. PINs are
 * registered as secrets of the diag (never printed) and wiped with
 * explicit_bzero when the configuration is freed.
 *
 * Ownership: ods_conf_load returns an object owned by the caller, freed with
 * ods_conf_free; every string belongs to it. Read-only use from several
 * threads is safe.
 */
#ifndef ODS_CONF_CONF_H
#define ODS_CONF_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "conf/diag.h"
#include "conf/srcmap.h"

/* Defaults (seconds, counts). Path defaults are in conf.c from ods_config.h:
 *   Enforcer SocketFile ODS_RUNDIR/enforcer.sock, PidFile ODS_RUNDIR/enforcerd.pid,
 *   Datastore ODS_STATEDIR/kasp.db, WorkingDirectory ODS_STATEDIR/enforcer;
 *   Signer SocketFile ODS_RUNDIR/signer.sock, PidFile ODS_RUNDIR/signerd.pid,
 *   WorkingDirectory ODS_STATEDIR/signer;
 *   PolicyFile ODS_CONFDIR/kasp.xml, ZoneListFile ODS_CONFDIR/zonelist.xml. */
#define ODS_CONF_DEFAULT_KEYGEN_PERIOD  (365 * 86400) /* AutomaticKeyGenerationPeriod P1Y */
#define ODS_CONF_DEFAULT_WORKER_THREADS 4
#define ODS_CONF_DEFAULT_VERBOSITY      3     /* notices and above */
#define ODS_CONF_DEFAULT_LISTENER_PORT  15354 /* Listener/Interface without Port */

typedef struct ods_conf_repository {
    char *name;           /* Repository name="..." */
    char *module;         /* PKCS#11 library path, as written (may rely on the loader path) */
    char *token_label;    /* TokenLabel */
    char *pin;            /* PIN, or read from pin_file; NULL if neither (ask / shared memory) */
    char *pin_file;       /* PINFile, absolute; NULL if absent */
    uint64_t capacity;    /* Capacity: maximum number of key pairs; 0 = unlimited */
    int require_backup;   /* RequireBackup */
    int skip_public_key;  /* SkipPublicKey: public key as a session object */
    int allow_extraction; /* AllowExtraction: CKA_EXTRACTABLE on new private keys */
} ods_conf_repository_t;

typedef struct ods_conf_interface {
    char *address; /* Address; NULL = every address */
    int port;      /* Port; ODS_CONF_DEFAULT_LISTENER_PORT when absent */
} ods_conf_interface_t;

typedef struct ods_conf_privileges {
    char *user;   /* Privileges/User; NULL = do not change user */
    char *group;  /* Privileges/Group; NULL = do not change group */
    char *chroot; /* Privileges/Directory; NULL = no chroot */
} ods_conf_privileges_t;

typedef struct ods_conf_enforcer {
    ods_conf_privileges_t privileges;
    char *datastore;               /* Datastore/SQLite, absolute */
    int manual_keygen;             /* ManualKeyGeneration */
    int64_t keygen_period;         /* AutomaticKeyGenerationPeriod, seconds (P1Y) */
    int64_t rollover_notification; /* RolloverNotification, seconds; 0 = off */
    char *ds_submit_cmd;           /* DelegationSignerSubmitCommand or NULL */
    char *ds_retract_cmd;          /* DelegationSignerRetractCommand or NULL */
    char *pidfile;                 /* PidFile, absolute */
    char *socketfile;              /* SocketFile, absolute */
    char *workdir;                 /* WorkingDirectory, absolute */
    int worker_threads;            /* WorkerThreads (4) */
} ods_conf_enforcer_t;

typedef struct ods_conf_signer {
    ods_conf_privileges_t privileges;
    char *workdir;      /* WorkingDirectory, absolute */
    int worker_threads; /* WorkerThreads (4) */
    int signer_threads; /* SignerThreads (= worker_threads) */
    char *notify_cmd;   /* NotifyCommand or NULL; %zone and %zonefile are substituted */
    char *pidfile;      /* PidFile, absolute */
    char *socketfile;   /* SocketFile, absolute */
    ods_conf_interface_t *interfaces; /* Listener/Interface entries */
    size_t n_interfaces;
} ods_conf_signer_t;

typedef struct ods_conf {
    char *path; /* the file loaded (absolute) */
    ods_conf_repository_t *repositories;
    size_t n_repositories;
    /* Common */
    int use_syslog;      /* Logging/Syslog present */
    int facility;        /* syslog facility (LOG_DAEMON, LOG_LOCAL0, ...); LOG_DAEMON if absent */
    char *facility_name; /* as written ("local0"); NULL if absent */
    int verbosity;       /* Logging/Verbosity (ODS_CONF_DEFAULT_VERBOSITY) */
    char *policy_file;   /* PolicyFile, absolute */
    char *zonelist_file; /* ZoneListFile, absolute */
    ods_conf_enforcer_t enforcer;
    ods_conf_signer_t signer;
    int has_signer;    /* the Signer section was present */
    ods_srcmap_t *src; /* element lines, for later checks */
} ods_conf_t;

/*
 * Load conf.xml. Problems go to diag (may be NULL). Returns ODS_OK and sets
 * *out when there is no ERROR; otherwise ODS_EIO (unreadable), ODS_EPARSE
 * (not XML / schema) or ODS_ECONFIG, and *out is untouched.
 */
int ods_conf_load(const char *path, ods_conf_t **out, ods_diag_t *diag);

/* Wipe every PIN (explicit_bzero) and free everything. NULL is a no-op. */
void ods_conf_free(ods_conf_t *conf);

/* Wipe every PIN in place (the strings stay allocated, all bytes zero). */
void ods_conf_wipe_secrets(ods_conf_t *conf);

/* The repository with this name; NULL if none. */
const ods_conf_repository_t *ods_conf_find_repository(const ods_conf_t *conf, const char *name);

/*
 * Checks that look at the system rather than the file (used by
 * ods_conf_check_all): module files exist, Privileges users and groups
 * exist, the directories of the datastore and the working directories
 * exist, DS commands are executable. All WARNINGs.
 */
void ods_conf_check_env(const ods_conf_t *conf, ods_diag_t *diag);

#endif
