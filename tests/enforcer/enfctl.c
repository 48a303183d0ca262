/*
 * enfctl.c -- a minimal control client for the enforcer tests and benchmark
 * scripts (odsctl is the real one): enfctl SOCKET WORD... sends the words as
 * one command, copies the answer to stdout/stderr and exits with the
 * command's status (or 69 when the daemon cannot be reached).
 */
#include <stdio.h>

#include "ctl/client.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: enfctl SOCKET COMMAND [ARGS...]\n");
        return 2;
    }
    ods_err_t err;
    int status = 0;
    if (ods_ctl_call(argv[1], argc - 2, argv + 2, stdout, stderr, 0, &status, &err) != ODS_OK) {
        fprintf(stderr, "enfctl: %s\n", err.msg);
        return 69;
    }
    return status;
}
