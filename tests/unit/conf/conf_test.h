/*
 * conf_test.h -- shared by the parts of the unit-conf test program. The
 * TAP state lives in test_conf.c (the only file that includes tap.h); the
 * other parts report through ct_ok and these macros, which behave like
 * tap.h's.
 */
#ifndef ODS_TESTS_CONF_TEST_H
#define ODS_TESTS_CONF_TEST_H

#include <stddef.h>

#include "conf/diag.h"

int ct_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ct_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifndef ODS_TESTS_TAP_H
#define ok(cond, ...) ct_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...)                                                                     \
    do {                                                                                           \
        long long ct_g_ = (long long)(got), ct_w_ = (long long)(want);                             \
        if (!ok(ct_g_ == ct_w_, __VA_ARGS__))                                                      \
            ct_note("got %lld, want %lld", ct_g_, ct_w_);                                          \
    } while (0)
#define is_str(got, want, ...)                                                                     \
    do {                                                                                           \
        const char *ct_g_ = (got), *ct_w_ = (want);                                                \
        int ct_eq_ = (ct_g_ && ct_w_) ? strcmp(ct_g_, ct_w_) == 0 : ct_g_ == ct_w_;                \
        if (!ok(ct_eq_, __VA_ARGS__))                                                              \
            ct_note("got '%s', want '%s'", ct_g_ ? ct_g_ : "(null)", ct_w_ ? ct_w_ : "(null)");    \
    } while (0)
#define has_str(got, want, ...)                                                                    \
    do {                                                                                           \
        const char *ct_g_ = (got), *ct_w_ = (want);                                                \
        if (!ok(ct_g_ && strstr(ct_g_, ct_w_), __VA_ARGS__))                                       \
            ct_note("'%s' does not contain '%s'", ct_g_ ? ct_g_ : "(null)", ct_w_);                \
    } while (0)
#endif

/* Path of a file in tests/unit/conf/data, in conf/ (examples), or in this
 * run's temporary directory. Each returns one of a few rotating buffers. */
const char *ct_data(const char *rel);
const char *ct_example(const char *name);
const char *ct_tmp(const char *name);

/* Write text to path (mode 0644); 0 on success. */
int ct_write(const char *path, const char *text);

/* The whole file, malloc'ed and NUL-terminated; NULL on error. */
char *ct_read(const char *path);

/* Copy data file rel to the temporary directory under name; replace the
 * only occurrence of `from` with `to` when from is not NULL. 0 on success. */
int ct_copy_edit(const char *rel, const char *name, const char *from, const char *to);

/* The first entry of diag with this severity whose message contains text. */
const ods_diag_entry_t *ct_find(const ods_diag_t *diag, int severity, const char *text);

/* Everything ods_diag_print prints, malloc'ed. */
char *ct_diag_text(const ods_diag_t *diag);

/* Print every entry as a TAP comment (for failing tests). */
void ct_dump(const ods_diag_t *diag);

/* The test parts. */
void test_diag(void);
void test_conf(void);
void test_kasp(void);
void test_zonelist(void);
void test_signconf(void);
void test_broken(void);
void test_check(void);

#endif
