/* enf_test.c -- the enforcer test fixture (see enf_test.h). */
#include "enf_test.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctl/client.h"

static void path_of(et_t *t, char *buf, const char *name)
{
    snprintf(buf, 700, "%s/%s", t->fx.dir, name);
}

int et_init(et_t *t, const char *tag)
{
    memset(t, 0, sizeof(*t));
    if (fx_init(&t->fx, tag, NULL) != 0 || fx_token(&t->fx, "OpenDNSSEC", "1234") != 0)
        return -1;
    path_of(t, t->conf, "conf.xml");
    path_of(t, t->kasp, "kasp.xml");
    path_of(t, t->zonelist, "zonelist.xml");
    path_of(t, t->sock, "enforcer.sock");
    path_of(t, t->db, "kasp.db");
    path_of(t, t->log, "enforcerd.log");
    path_of(t, t->workdir, "enforcer");
    path_of(t, t->signer_dir, "signer");
    if (mkdir(t->workdir, 0755) != 0 || mkdir(t->signer_dir, 0755) != 0)
        return -1;
    return 0;
}

static int write_text(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    chmod(path, mode);
    return ok ? 0 : -1;
}

int et_file(et_t *t, const char *name, const char *text, int exec, char *path_out)
{
    char path[700];
    path_of(t, path, name);
    if (path_out)
        snprintf(path_out, 700, "%s", path);
    return write_text(path, text, exec ? 0755 : 0644);
}

int et_conf(et_t *t, const char *enforcer_extra, const char *repo_extra)
{
    char text[8192];
    snprintf(text, sizeof(text),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Configuration>\n"
             "<RepositoryList><Repository name=\"SoftHSM\"><Module>%s</Module>"
             "<TokenLabel>OpenDNSSEC</TokenLabel><PIN>1234</PIN>%s</Repository>"
             "</RepositoryList>\n"
             "<Common><Logging><Verbosity>5</Verbosity></Logging>"
             "<PolicyFile>kasp.xml</PolicyFile><ZoneListFile>zonelist.xml</ZoneListFile></Common>\n"
             "<Enforcer><Datastore><SQLite>%s</SQLite></Datastore>"
             "<SocketFile>%s</SocketFile><PidFile>%s/enforcerd.pid</PidFile>"
             "<WorkingDirectory>%s</WorkingDirectory><WorkerThreads>2</WorkerThreads>%s"
             "</Enforcer>\n"
             "<Signer><WorkingDirectory>%s</WorkingDirectory><SocketFile>%s/signer.sock"
             "</SocketFile><PidFile>%s/signerd.pid</PidFile></Signer>\n</Configuration>\n",
             t->fx.module, repo_extra ? repo_extra : "", t->db, t->sock, t->fx.dir, t->workdir,
             enforcer_extra ? enforcer_extra : "", t->signer_dir, t->signer_dir, t->signer_dir);
    return write_text(t->conf, text, 0644);
}

int et_kasp(et_t *t, const char *policies)
{
    size_t n = strlen(policies) + 128;
    char *text = malloc(n);
    if (!text)
        return -1;
    snprintf(text, n, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<KASP>\n%s\n</KASP>\n",
             policies);
    int rc = write_text(t->kasp, text, 0644);
    free(text);
    if (rc == 0)
        rc = write_text(t->zonelist,
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ZoneList>\n</ZoneList>\n",
                        0644);
    return rc;
}

static const char *daemon_path(void)
{
    static char path[700];
    const char *root = getenv("ODS_BUILD_ROOT");
    snprintf(path, sizeof(path), "%s/enforcerd/enforcerd", root ? root : ".");
    return path;
}

/* Run the daemon binary with args; the child's output goes to the log. */
static pid_t spawn(et_t *t, char *const *argv)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int fd = open(t->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
    }
    /* SoftHSM's own leaks are suppressed by frame: unwind fully (slow: a
     * test that measures speed turns leak detection off instead) */
    setenv("ASAN_OPTIONS", t->no_leak_check ? "detect_leaks=0" : "fast_unwind_on_malloc=0", 1);
    execv(daemon_path(), argv);
    _exit(127);
}

int et_setup(et_t *t)
{
    char *argv[] = { "enforcerd", "-c", t->conf, "--setup", NULL };
    pid_t pid = spawn(t, argv);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int et_start(et_t *t, const char *set_time)
{
    char *argv[] = { "enforcerd", "-c", t->conf, "-d", NULL, NULL, NULL };
    if (set_time) {
        argv[4] = "--set-time";
        argv[5] = (char *)set_time;
    }
    if ((t->pid = spawn(t, argv)) < 0)
        return -1;
    for (int i = 0; i < 300; i++) { /* up to 30 s under sanitizers */
        if (et_cmd(t, NULL, NULL, "running", NULL) == 0)
            return 0;
        int status;
        if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
            t->pid = 0;
            return -1;
        }
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return -1;
}

int et_cmd(et_t *t, char **out, char **err, ...)
{
    char *argv[64];
    int argc = 0;
    va_list ap;
    va_start(ap, err);
    for (char *w; argc < 63 && (w = va_arg(ap, char *)) != NULL;)
        argv[argc++] = w;
    va_end(ap);
    argv[argc] = NULL;
    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *of = open_memstream(&obuf, &olen), *ef = open_memstream(&ebuf, &elen);
    ods_err_t e;
    int status = -1;
    int rc = ods_ctl_call(t->sock, argc, argv, of, ef, 0, &status, &e);
    fclose(of);
    fclose(ef);
    if (out)
        *out = obuf;
    else
        free(obuf);
    if (err)
        *err = ebuf;
    else
        free(ebuf);
    return rc == ODS_OK ? status : -1;
}

int et_stop(et_t *t)
{
    if (t->pid <= 0)
        return -1;
    et_cmd(t, NULL, NULL, "stop", NULL);
    int status = 0;
    for (int i = 0; i < 300; i++) {
        if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
            t->pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(t->pid, SIGKILL);
    waitpid(t->pid, &status, 0);
    t->pid = 0;
    return -1;
}

void et_cleanup(et_t *t)
{
    if (t->pid > 0)
        et_stop(t);
    if (getenv("ET_KEEP"))
        fprintf(stderr, "# kept %s\n", t->fx.dir);
    else
        fx_cleanup(&t->fx);
}

char *et_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    fclose(m);
    return buf;
}

int et_log_has(et_t *t, const char *needle)
{
    char *log = et_read(t->log);
    int found = log && strstr(log, needle);
    free(log);
    return found;
}

int et_log_clean(et_t *t)
{
    char *log = et_read(t->log);
    int clean = log && !strstr(log, "runtime error") && !strstr(log, "Sanitizer");
    free(log);
    return clean;
}

const char *et_field(const char *text, const char *match, int n, char *buf, size_t len)
{
    const char *line = text ? strstr(text, match) : NULL;
    if (!line)
        return NULL;
    while (line > text && line[-1] != '\n')
        line--;
    const char *end = strchr(line, '\n');
    size_t llen = end ? (size_t)(end - line) : strlen(line);
    char copy[2048];
    snprintf(copy, sizeof(copy), "%.*s", (int)llen, line);
    char *save = NULL, *tok = strtok_r(copy, " \t", &save);
    for (int i = 0; tok && i < n; i++)
        tok = strtok_r(NULL, " \t", &save);
    if (!tok)
        return NULL;
    snprintf(buf, len, "%s", tok);
    return buf;
}

int et_count_lines(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)); p++) {
        n++;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl;
    }
    return n;
}

int et_sh(const char *cmdline, char **out)
{
    FILE *p = popen(cmdline, "r");
    if (!p)
        return -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(m);
    int status = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
