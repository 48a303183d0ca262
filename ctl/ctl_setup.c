#include "ctl_setup.h"
#include "ctl/client.h"
#include "ctl_call.h"
#include "ctl_tty.h"

#include "ods_config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Does an enforcerd answer on its socket? */
static bool enforcer_running(const ctl_opts_t *opts)
{
    char *path = NULL, *warning = NULL;
    char *probe[] = { "running", NULL };
    ods_err_t err;
    int status = 0;
    bool up = false;
    if (ctl_route_socket(opts->conf, opts->conf_given, ODS_CMD_ENFORCER, &path, &warning,
                         &err) == ODS_OK) {
        FILE *null = fopen("/dev/null", "w");
        up = null != NULL && ods_ctl_call(path, 1, probe, null, null, 5000, &status, &err) == ODS_OK;
        if (null != NULL)
            fclose(null);
    }
    free(path);
    free(warning);
    return up;
}

/* The enforcerd to run: $ODS_ENFORCERD, the build tree's, or the installed one. */
static void enforcerd_path(char *buf, size_t len)
{
    const char *env = getenv("ODS_ENFORCERD");
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (env != NULL && *env != '\0') {
        snprintf(buf, len, "%s", env);
        return;
    }
    if (n > 0) {
        self[n] = '\0';
        snprintf(buf, len, "%s/../enforcerd/enforcerd", dirname(self));
        if (access(buf, X_OK) == 0)
            return;
    }
    snprintf(buf, len, "%s/enforcerd", ODS_SBINDIR);
}

static int run_local_setup(const ctl_opts_t *opts)
{
    char prog[PATH_MAX + 32];
    enforcerd_path(prog, sizeof(prog));
    char *argv[] = { prog, "-c", (char *)opts->conf, "--setup", NULL };
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execv(prog, argv);
        fprintf(stderr, "odsctl: cannot run %s: %s\n", prog, strerror(errno));
        _exit(127);
    }
    int ws = 0;
    if (pid < 0 || waitpid(pid, &ws, 0) < 0) {
        fprintf(stderr, "odsctl: cannot run %s: %s\n", prog, strerror(errno));
        return CTL_EXIT_FAIL;
    }
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}

int ctl_setup_run(const ctl_opts_t *opts, const ctl_route_t *r, bool force)
{
    if (!force) {
        int answer = ctl_tty_confirm("This deletes the database of the enforcer: every zone, key "
                                     "state and policy (the keys stay in the HSM). Continue?");
        if (answer < 0) {
            fprintf(stderr, "odsctl: no terminal to confirm on: use `odsctl setup --force`\n");
            return CTL_EXIT_USAGE;
        }
        if (answer == 0) {
            fprintf(stderr, "odsctl: setup cancelled, nothing changed\n");
            return CTL_EXIT_FAIL;
        }
    }
    if (!enforcer_running(opts))
        return run_local_setup(opts);
    char *argv[] = { "setup", "--force", NULL };
    return ctl_call_run(opts, r, 2, argv);
}
