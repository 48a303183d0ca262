/*
 * enf_test.h -- fixture for the enforcer tests: a private directory (mkdtemp)
 * with a SoftHSMv2 token (label OpenDNSSEC, PIN 1234), conf.xml, kasp.xml
 * and zonelist.xml, and the real enforcerd started in the foreground (-d)
 * on a private socket, its log in DIR/enforcerd.log.
 *
 *   et_t t;
 *   et_init(&t, "tag");  et_conf(&t, enforcer_extra, repository_extra);
 *   et_kasp(&t, ET_POLICY_LAB);  et_start(&t);
 *   et_cmd(&t, &out, &err, "zone", "add", "--zone", "example.com", NULL);
 *   et_stop(&t);  et_cleanup(&t);
 */
#ifndef ENF_TEST_H
#define ENF_TEST_H

#include <stddef.h>
#include <sys/types.h>

#include "../unit/hsm/softhsm.h"

typedef struct et {
    fx_t fx; /* fx.dir is the test directory */
    char conf[700], kasp[700], zonelist[700], sock[700], db[700], log[700];
    char workdir[700], signer_dir[700];
    pid_t pid;
    int no_leak_check; /* set before et_start: run the daemon without LeakSanitizer */
} et_t;

/* A policy with lab timings (KSK lifetime 4 h, ZSK 1 h, TTLs 5 min), named name;
 * extra_keys goes between PublishSafety and Purge (e.g. "<ShareKeys/>"). */
#define ET_POLICY_LAB(name, extra_keys)                                                            \
    "<Policy name=\"" name "\"><Description>lab</Description>"                                     \
    "<Signatures><Resign>PT5M</Resign><Refresh>PT15M</Refresh><Validity><Default>PT1H</Default>"   \
    "<Denial>PT1H</Denial></Validity><Jitter>PT1M</Jitter><InceptionOffset>PT1M</InceptionOffset>" \
    "<MaxZoneTTL>PT5M</MaxZoneTTL></Signatures>"                                                   \
    "<Denial><NSEC3><Resalt>P1D</Resalt><Hash><Algorithm>1</Algorithm><Iterations>0</Iterations>"  \
    "<Salt length=\"8\"/></Hash></NSEC3></Denial>"                                                 \
    "<Keys><TTL>PT5M</TTL><RetireSafety>PT5M</RetireSafety><PublishSafety>PT5M</"                  \
    "PublishSafety>" extra_keys "<Purge>PT1H</Purge>"                                              \
    "<KSK><Algorithm length=\"256\">13</Algorithm><Lifetime>PT4H</Lifetime>"                       \
    "<Repository>SoftHSM</Repository></KSK>"                                                       \
    "<ZSK><Algorithm length=\"256\">13</Algorithm><Lifetime>PT1H</Lifetime>"                       \
    "<Repository>SoftHSM</Repository></ZSK></Keys>"                                                \
    "<Zone><PropagationDelay>PT1M</PropagationDelay><SOA><TTL>PT5M</TTL><Minimum>PT5M</Minimum>"   \
    "<Serial>unixtime</Serial></SOA></Zone>"                                                       \
    "<Parent><PropagationDelay>PT1M</PropagationDelay><DS><TTL>PT5M</TTL></DS>"                    \
    "<SOA><TTL>PT5M</TTL><Minimum>PT5M</Minimum></SOA></Parent></Policy>"

/* Make the directory and the token. 0 on success. */
int et_init(et_t *t, const char *tag);

/* Write conf.xml; enforcer_extra goes into <Enforcer>, repo_extra into the
 * <Repository>. Either may be NULL. */
int et_conf(et_t *t, const char *enforcer_extra, const char *repo_extra);

/* Write kasp.xml with these <Policy> elements, and an empty zonelist.xml. */
int et_kasp(et_t *t, const char *policies);

/* Write text to DIR/name (mode 0755 when exec); path_out (may be NULL, 700 bytes). */
int et_file(et_t *t, const char *name, const char *text, int exec, char *path_out);

/* Run `enforcerd --setup` (no daemon). Returns its exit status. */
int et_setup(et_t *t);

/* Start the daemon (-d, --set-time when set_time is not NULL) and wait until it
 * answers. 0 on success. */
int et_start(et_t *t, const char *set_time);

/* Run one command (words, NULL-terminated). *out and *err (may be NULL)
 * receive malloc'ed text. Returns the exit status, or -1 if the daemon could
 * not be reached. */
int et_cmd(et_t *t, char **out, char **err, ...) __attribute__((sentinel));

/* Stop the daemon; its exit status (-1 if it had to be killed). */
int et_stop(et_t *t);

/* Remove everything (stops a daemon still running). */
void et_cleanup(et_t *t);

/* A file's contents (malloc'ed), NULL if unreadable. */
char *et_read(const char *path);

/* 1 if the daemon's log contains needle. */
int et_log_has(et_t *t, const char *needle);

/* 1 if the log has no sanitizer report ("runtime error", "Sanitizer"). */
int et_log_clean(et_t *t);

/* The n-th whitespace-separated field (0-based) of the first line of text
 * that contains `match`, copied into buf; NULL if none. */
const char *et_field(const char *text, const char *match, int n, char *buf, size_t len);

/* Number of lines of text that contain needle. */
int et_count_lines(const char *text, const char *needle);

/* Run a shell command line, its standard output into *out (malloc'ed). Exit status. */
int et_sh(const char *cmdline, char **out);

#endif
