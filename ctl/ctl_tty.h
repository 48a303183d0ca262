/*
 * ctl_tty.h -- questions to the operator on the terminal (/dev/tty), never on
 * stdin, so that piped input cannot answer them by accident.
 */
#ifndef CTL_TTY_H
#define CTL_TTY_H

#include <stddef.h>

/*
 * Print question and read an answer from the terminal. 1 when the answer
 * starts with y or Y, 0 for anything else (the default is no), -1 when there
 * is no terminal (the caller then asks for --force).
 */
int ctl_tty_confirm(const char *question);

/*
 * Read a secret (echo off) after printing prompt. ODS_OK and buf filled
 * (NUL-terminated, newline removed); ODS_ENOTFOUND without a terminal;
 * ODS_EIO when nothing could be read.
 */
int ctl_tty_secret(const char *prompt, char *buf, size_t size);

#endif
