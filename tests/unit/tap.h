/*
 * tap.h -- a minimal TAP producer for the unit tests (meson test protocol 'tap').
 *
 *   ok(cond, "what was checked %d", x);
 *   is_int(got, want, "name");  is_str(got, want, "name");
 *   return tap_done();          -- prints the plan, exit status 1 on failure
 *
 * Header-only; every test file includes it once.
 */
#ifndef ODS_TESTS_TAP_H
#define ODS_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 4, 5))) static int tap_ok(int cond, const char *file, int line,
                                                       const char *fmt, ...)
{
    va_list ap;
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   failed at %s:%d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                                     \
    do {                                                                                           \
        long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);                           \
        if (!ok(tap_g_ == tap_w_, __VA_ARGS__))                                                    \
            printf("#   got %lld, want %lld\n", tap_g_, tap_w_);                                   \
    } while (0)

#define is_str(got, want, ...)                                                                     \
    do {                                                                                           \
        const char *tap_g_ = (got), *tap_w_ = (want);                                              \
        int tap_eq_ = (tap_g_ && tap_w_) ? strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_;         \
        if (!ok(tap_eq_, __VA_ARGS__))                                                             \
            printf("#   got  '%s'\n#   want '%s'\n", tap_g_ ? tap_g_ : "(null)",                   \
                   tap_w_ ? tap_w_ : "(null)");                                                    \
    } while (0)

/* got contains want as a substring */
#define has_str(got, want, ...)                                                                    \
    do {                                                                                           \
        const char *tap_g_ = (got), *tap_w_ = (want);                                              \
        if (!ok(tap_g_ && strstr(tap_g_, tap_w_), __VA_ARGS__))                                    \
            printf("#   '%s'\n#   does not contain '%s'\n", tap_g_ ? tap_g_ : "(null)", tap_w_);   \
    } while (0)

static void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    if (tap_failed)
        printf("# %d of %d checks failed\n", tap_failed, tap_count);
    return tap_failed ? 1 : 0;
}

#endif
