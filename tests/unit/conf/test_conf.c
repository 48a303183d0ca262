/*
 * unit-conf: tests for common/conf (conf.xml, kasp.xml, zonelist.xml,
 * signer configurations, diagnostics, schemas). This file holds main, the
 * TAP state and the shared helpers; the checks are in test_conf_*.c.
 */
#include "tap.h"

#include "conf_test.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/ods-test-conf-XXXXXX";

int ct_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return tap_ok(cond, file, line, "%s", msg);
}

void ct_note(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tap_diag("%s", msg);
}

static const char *rotate(const char *a, const char *b)
{
    static char bufs[8][1024];
    static int next;
    char *buf = bufs[next++ % 8];
    snprintf(buf, sizeof(bufs[0]), "%s/%s", a, b);
    return buf;
}

const char *ct_data(const char *rel)
{
    return rotate(CONF_TEST_DATA, rel);
}

const char *ct_example(const char *name)
{
    return rotate(CONF_EXAMPLES, name);
}

const char *ct_tmp(const char *name)
{
    return rotate(tmpdir, name);
}

int ct_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    int rc = fputs(text, f) < 0;
    return fclose(f) != 0 || rc ? -1 : 0;
}

char *ct_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;
    while (m != NULL && (c = fgetc(f)) != EOF)
        fputc(c, m);
    fclose(f);
    if (m != NULL)
        fclose(m);
    return buf;
}

int ct_copy_edit(const char *rel, const char *name, const char *from, const char *to)
{
    char *text = ct_read(ct_data(rel));
    if (text == NULL)
        return -1;
    char *at = from ? strstr(text, from) : NULL;
    if (from != NULL && (at == NULL || strstr(at + 1, from) != NULL)) {
        ct_note("'%s' does not occur exactly once in %s", from, rel);
        free(text);
        return -1;
    }
    char *out = NULL;
    if (at != NULL) {
        *at = '\0';
        if (asprintf(&out, "%s%s%s", text, to, at + strlen(from)) < 0)
            out = NULL;
    }
    int rc = ct_write(ct_tmp(name), out ? out : text);
    free(out);
    free(text);
    return rc;
}

const ods_diag_entry_t *ct_find(const ods_diag_t *diag, int severity, const char *text)
{
    for (size_t i = 0; i < ods_diag_count(diag); i++) {
        const ods_diag_entry_t *e = ods_diag_get(diag, i);
        if (e->severity == severity && strstr(e->message, text) != NULL)
            return e;
    }
    return NULL;
}

char *ct_diag_text(const ods_diag_t *diag)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m == NULL)
        return NULL;
    ods_diag_print(diag, m);
    fclose(m);
    return buf;
}

void ct_dump(const ods_diag_t *diag)
{
    char *text = ct_diag_text(diag);
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
        tap_diag("  %s", line);
    free(text);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) != 0)
        tap_diag("could not remove %s", path);
    return 0;
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_diag();
    test_conf();
    test_kasp();
    test_zonelist();
    test_signconf();
    test_broken();
    test_check();
    remove_tree(tmpdir);
    return tap_done();
}
