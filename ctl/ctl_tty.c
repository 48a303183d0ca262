/*
 * ctl_tty.c -- questions on the terminal (see ctl_tty.h).
 */
#include "ctl_tty.h"

#include "util/status.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>

static FILE *open_tty(void)
{
    return fopen("/dev/tty", "r+e");
}

int ctl_tty_confirm(const char *question)
{
    char line[64];
    int yes;
    FILE *tty = open_tty();
    if (!tty)
        return -1;
    fprintf(tty, "%s [y/N] ", question);
    fflush(tty);
    yes = fgets(line, sizeof(line), tty) && (line[0] == 'y' || line[0] == 'Y');
    fclose(tty);
    return yes;
}

int ctl_tty_secret(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int restore, rc = ODS_OK;
    FILE *tty = open_tty();
    if (!tty)
        return ODS_ENOTFOUND;
    setvbuf(tty, NULL, _IONBF, 0); /* no copy of the secret in a stdio buffer */
    /* echo off before the prompt shows, so nothing typed after it is echoed or flushed */
    restore = tcgetattr(fileno(tty), &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    fprintf(tty, "%s", prompt);
    if (!fgets(buf, (int)size, tty))
        rc = ODS_EIO;
    else
        buf[strcspn(buf, "\r\n")] = '\0';
    if (restore)
        tcsetattr(fileno(tty), TCSANOW, &old);
    fprintf(tty, "\n");
    fclose(tty);
    return rc;
}
