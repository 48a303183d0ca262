/*
 * diag.h -- a list of configuration problems, collected all at once.
 *
 * The loaders (conf.xml, kasp.xml, zonelist.xml) and the checks do not stop
 * at the first problem: every problem goes into an ods_diag_t with its
 * severity, file, line, element path and a message that says how to fix it.
 * The caller prints them (odsctl check-config, daemon start) or turns the
 * first error into an ods_err_t.
 *
 * Element paths are XPath-like: /KASP/Policy[@name='default']/Signatures/Refresh.
 * ods_diag_print shows them in a shorter form:
 *
 *   ERROR: /etc/odsng/kasp.xml:12: Policy 'default' Signatures/Refresh: PT2H
 *   must be longer than Resign (PT3H); ...
 *
 * Secrets (HSM PINs) registered with ods_diag_add_secret are replaced by
 * "********" in every message added afterwards.
 *
 * Ownership: ods_diag_new returns an object owned by the caller; entries and
 * their strings belong to the diag. Not thread-safe per object.
 */
#ifndef ODS_CONF_DIAG_H
#define ODS_CONF_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "util/status.h"

enum ods_diag_severity {
    ODS_DIAG_ERROR = 0,   /* the configuration cannot be used */
    ODS_DIAG_WARNING = 1, /* usable, but probably not what the operator wants */
    ODS_DIAG_INFO = 2,    /* for information ("The XML in ... is valid") */
};

typedef struct ods_diag_entry {
    int severity;  /* enum ods_diag_severity */
    char *file;    /* NULL when not about a file */
    int line;      /* 0 when unknown */
    char *path;    /* element path or NULL */
    char *message; /* never NULL */
} ods_diag_entry_t;

typedef struct ods_diag ods_diag_t;

/* A new, empty list (NULL when out of memory). */
ods_diag_t *ods_diag_new(void);

/* Free the list and its entries; wipes registered secrets. NULL is a no-op. */
void ods_diag_free(ods_diag_t *diag);

/*
 * Add a problem. file, path may be NULL, line 0. The message is formatted
 * printf-style, then secrets are redacted. Out of memory drops the entry
 * (but ods_diag_has_errors still reports an error if severity was ERROR).
 * diag NULL is a no-op.
 */
void ods_diag_add(ods_diag_t *diag, int severity, const char *file, int line, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ods_diag_add with a va_list, for functions that add their own context. */
void ods_diag_addv(ods_diag_t *diag, int severity, const char *file, int line, const char *path,
                   const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/*
 * Redact secret from messages added from now on. Like the logger, secrets
 * shorter than ODS_DIAG_MIN_SECRET characters are ignored (redacting "1"
 * would garble every message).
 */
#define ODS_DIAG_MIN_SECRET 4
int ods_diag_add_secret(ods_diag_t *diag, const char *secret);

/* Number of entries, and entry i (0-based; NULL when out of range). */
size_t ods_diag_count(const ods_diag_t *diag);
const ods_diag_entry_t *ods_diag_get(const ods_diag_t *diag, size_t i);

/* Number of entries with this severity. */
size_t ods_diag_count_severity(const ods_diag_t *diag, int severity);

/* Non-zero when at least one ERROR was added. */
int ods_diag_has_errors(const ods_diag_t *diag);

/* "ERROR", "WARNING" or "INFO". */
const char *ods_diag_severity_name(int severity);

/*
 * Format one entry as a line without newline ("ERROR: file:line: element:
 * message"); returns the length it needed (like snprintf).
 */
int ods_diag_format(const ods_diag_entry_t *entry, char *buf, size_t len);

/* Print every entry, one per line, in the order added. */
void ods_diag_print(const ods_diag_t *diag, FILE *fp);

/* Shorten an element path for people: "/KASP/Policy[@name='x']/Keys/TTL" ->
 * "Policy 'x' Keys/TTL". buf >= 1 byte; the result is truncated to fit. */
void ods_diag_path_display(const char *path, char *buf, size_t len);

/*
 * Fill err with the first error ("file:line: element: message", plus
 * "(and N more problems)"), code `code`. Returns code, or ODS_OK when there
 * is no error.
 */
int ods_diag_to_err(const ods_diag_t *diag, int code, ods_err_t *err);

#endif
