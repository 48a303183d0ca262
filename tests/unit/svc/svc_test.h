/*
 * svc_test.h -- helpers shared by the common/svc tests: a private temporary
 * directory, small file helpers and waiting for a child's exit status.
 * Header-only (static functions), included once per test program.
 */
#ifndef ODS_TESTS_SVC_TEST_H
#define ODS_TESTS_SVC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char svc_tmp[256];

/* A new temporary directory for this test; aborts the test when impossible. */
static __attribute__((unused)) const char *svc_tmpdir(const char *name)
{
    snprintf(svc_tmp, sizeof(svc_tmp), "/tmp/ods-test-%s-XXXXXX", name);
    if (mkdtemp(svc_tmp) == NULL) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        exit(1);
    }
    return svc_tmp;
}

/* Remove the temporary directory and everything in it. */
static __attribute__((unused)) void svc_tmpdir_remove(void)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", svc_tmp);
    if (svc_tmp[0] != '\0' && system(cmd) != 0)
        printf("# could not remove %s\n", svc_tmp);
}

/* "DIR/name" in the temporary directory (a static buffer per call site is the caller's job). */
static __attribute__((unused)) void svc_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", svc_tmp, name);
}

static __attribute__((unused)) int svc_write_file(const char *path, const char *text, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    int rc = write(fd, text, len) == (ssize_t)len ? 0 : -1;
    close(fd);
    return rc;
}

/* The file's text (at most len-1 bytes); "" when it cannot be read. */
static __attribute__((unused)) char *svc_read_file(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return buf;
    ssize_t n = read(fd, buf, len - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    return buf;
}

/* Wait for pid: its exit status, or 128 + signal, or -1. */
static __attribute__((unused)) int svc_wait(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

#endif
