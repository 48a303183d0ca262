/*
 * Unit tests for common/svc pin.c: the PIN from conf.xml (<PIN>, <PINFile>),
 * from ODS_PIN_<NAME> (then gone from the environment, also for commands the
 * process runs, but kept for a reload), from $CREDENTIALS_DIRECTORY, the
 * error when there is none, and redaction in log messages.
 */
#include "tap.h"
#include "svc_test.h"

#include "conf/conf.h"
#include "hsm/hsm.h"
#include "log/log.h"
#include "svc/pin.h"

#include <sys/stat.h>

extern char **environ;

static ods_conf_t *load_conf(void)
{
    char path[300], pinfile[300], text[2048];
    svc_path(pinfile, sizeof(pinfile), "token.pin");
    svc_write_file(pinfile, "file-pin-4321\nsecond line ignored\n", 0600);
    snprintf(text, sizeof(text),
             "<?xml version=\"1.0\"?>\n<Configuration>\n<RepositoryList>\n"
             "<Repository name=\"Inline\"><Module>/m.so</Module><TokenLabel>a</TokenLabel>"
             "<PIN>inline-pin-1234</PIN></Repository>\n"
             "<Repository name=\"FromFile\"><Module>/m.so</Module><TokenLabel>b</TokenLabel>"
             "<PINFile>%s</PINFile></Repository>\n"
             "<Repository name=\"soft-hsm.2\"><Module>/m.so</Module><TokenLabel>c</TokenLabel>"
             "</Repository>\n"
             "<Repository name=\"Cred\"><Module>/m.so</Module><TokenLabel>d</TokenLabel>"
             "</Repository>\n"
             "<Repository name=\"None\"><Module>/m.so</Module><TokenLabel>e</TokenLabel>"
             "</Repository>\n"
             "</RepositoryList>\n<Common/>\n<Enforcer/>\n</Configuration>\n",
             pinfile);
    svc_path(path, sizeof(path), "conf.xml");
    svc_write_file(path, text, 0644);
    ods_conf_t *conf = NULL;
    ods_diag_t *diag = ods_diag_new();
    if (ods_conf_load(path, &conf, diag) != ODS_OK)
        ods_diag_print(diag, stdout);
    ods_diag_free(diag);
    return conf;
}

static void test_env_name(void)
{
    char buf[64];
    ods_err_t err = { 0 };
    ods_svc_pin_env_name("SoftHSM", buf, sizeof(buf), &err);
    is_str(buf, "ODS_PIN_SOFTHSM", "env name of SoftHSM");
    ods_svc_pin_env_name("soft-hsm.2", buf, sizeof(buf), &err);
    is_str(buf, "ODS_PIN_SOFT_HSM_2", "env name of soft-hsm.2");
    is_int(ods_svc_pin_env_name("a-long-repository-name", buf, 16, &err), ODS_EINVAL,
           "too long for the buffer");
}

/* 1 when any environ entry contains text. */
static int environ_has(const char *text)
{
    for (char **e = environ; *e != NULL; e++)
        if (strstr(*e, text) != NULL)
            return 1;
    return 0;
}

static void get_ok(const ods_conf_t *conf, const char *repo, const char *want, const char *what)
{
    char *pin = NULL;
    ods_err_t err = { 0 };
    int rc = ods_svc_pin_get(ods_conf_find_repository(conf, repo), &pin, &err);
    ok(rc == ODS_OK && pin != NULL && strcmp(pin, want) == 0, "%s (%s)", what, err.msg);
    ods_svc_pin_free(pin);
}

static void test_sources(const ods_conf_t *conf)
{
    get_ok(conf, "Inline", "inline-pin-1234", "PIN from <PIN>");
    get_ok(conf, "FromFile", "file-pin-4321", "PIN from <PINFile> (first line)");

    setenv("ODS_PIN_SOFT_HSM_2", "env-pin-5678", 1);
    get_ok(conf, "soft-hsm.2", "env-pin-5678", "PIN from ODS_PIN_SOFT_HSM_2");
    ok(getenv("ODS_PIN_SOFT_HSM_2") == NULL, "the variable is gone from the environment");
    ok(!environ_has("env-pin-5678"), "... and its value from environ");
    FILE *fp = popen("printf %s \"${ODS_PIN_SOFT_HSM_2-unset}\"", "r");
    char out[64] = "";
    if (fp != NULL) {
        if (fgets(out, sizeof(out), fp) == NULL)
            out[0] = '\0';
        pclose(fp);
    }
    is_str(out, "unset", "a command the process runs does not inherit it");
    get_ok(conf, "soft-hsm.2", "env-pin-5678", "a second call (reload) still gets it");

    char cred[300];
    svc_path(cred, sizeof(cred), "ODS_PIN_CRED");
    svc_write_file(cred, "cred-pin-9999\n", 0400);
    setenv("CREDENTIALS_DIRECTORY", svc_tmp, 1);
    get_ok(conf, "Cred", "cred-pin-9999", "PIN from $CREDENTIALS_DIRECTORY/ODS_PIN_CRED");

    char *pin = (char *)"untouched";
    ods_err_t err = { 0 };
    int rc = ods_svc_pin_get(ods_conf_find_repository(conf, "None"), &pin, &err);
    is_int(rc, ODS_EPIN, "no PIN anywhere: ODS_EPIN");
    is_str(pin, "untouched", "... *pin untouched");
    has_str(err.msg, "no PIN for repository 'None'", "... naming the repository");
    has_str(err.msg, "ODS_PIN_NONE", "... and the variable to set");
    has_str(err.msg, "odsctl hsm login", "... and the login command");
    unsetenv("CREDENTIALS_DIRECTORY");

    ods_svc_pin_forget_all();
    rc = ods_svc_pin_get(ods_conf_find_repository(conf, "soft-hsm.2"), &pin, &err);
    is_int(rc, ODS_EPIN, "after forget_all the environment PIN is gone");
}

static void test_redacted(void)
{
    char path[300], buf[1024];
    svc_path(path, sizeof(path), "log");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ods_log_open_fd("test", fd, 5);
    ods_log_notice("login with inline-pin-1234 and file-pin-4321 and env-pin-5678");
    ods_log_close();
    close(fd);
    svc_read_file(path, buf, sizeof(buf));
    ok(strstr(buf, "login with") != NULL && strstr(buf, "pin-") == NULL,
       "every PIN handed out is redacted from log messages: %s", buf);
}

/* ---- waiting for `odsctl hsm login` ---- */

/* What the open callback saw, and the HSM it keeps (opened for real). */
typedef struct opened {
    int calls, last_n, last_keep;
    ods_hsm_t *kept;
} opened_t;

static int open_cb(void *arg, const ods_hsm_repo_spec_t *specs, size_t n, int keep, ods_err_t *err)
{
    opened_t *o = arg;
    ods_hsm_t *hsm;
    o->calls++;
    o->last_n = (int)n;
    o->last_keep = keep;
    int rc = ods_hsm_open(specs, n, &hsm, err);
    if (rc == ODS_OK && keep)
        o->kept = hsm;
    else if (rc == ODS_OK)
        ods_hsm_close(hsm);
    return rc;
}

/* Three tokens: "Conf" has its PIN in conf.xml, "First" and "Second" wait. */
static ods_conf_t *login_conf(void)
{
    char path[300], text[2048], cmd[1024];
    const char *module = getenv("ODS_SOFTHSM_MODULE");
    static const char *tokens[][2] = { { "tconf", "conf-pin-1111" },
                                       { "tfirst", "first-pin-2222" },
                                       { "tsecond", "sec-pin-3333" } };
    module = module ? module : "/usr/lib/softhsm/libsofthsm2.so";
    svc_path(path, sizeof(path), "softhsm2.conf");
    snprintf(text, sizeof(text),
             "directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n",
             svc_tmp);
    svc_write_file(path, text, 0644);
    setenv("SOFTHSM2_CONF", path, 1);
    svc_path(path, sizeof(path), "tokens");
    mkdir(path, 0700);
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof(cmd),
                 "softhsm2-util --init-token --free --label %s --so-pin 1234 --pin %s >/dev/null",
                 tokens[i][0], tokens[i][1]);
        if (system(cmd) != 0)
            return NULL;
    }
    snprintf(text, sizeof(text),
             "<?xml version=\"1.0\"?>\n<Configuration>\n<RepositoryList>\n"
             "<Repository name=\"Conf\"><Module>%s</Module><TokenLabel>tconf</TokenLabel>"
             "<PIN>conf-pin-1111</PIN></Repository>\n"
             "<Repository name=\"First\"><Module>%s</Module><TokenLabel>tfirst</TokenLabel>"
             "</Repository>\n"
             "<Repository name=\"Second\"><Module>%s</Module><TokenLabel>tsecond</TokenLabel>"
             "</Repository>\n"
             "</RepositoryList>\n<Common/>\n<Enforcer/>\n</Configuration>\n",
             module, module, module);
    svc_path(path, sizeof(path), "login.xml");
    svc_write_file(path, text, 0644);
    ods_conf_t *conf = NULL;
    return ods_conf_load(path, &conf, NULL) == ODS_OK ? conf : NULL;
}

static void give_fails(ods_svc_login_t *l, opened_t *o, const char *repo, const char *pin, int want,
                       const char *text, const char *what)
{
    ods_err_t err = { 0 };
    is_int(ods_svc_login_give(l, repo, pin, open_cb, o, &err), want, "%s", what);
    has_str(err.msg, text, "... %s", text);
}

static void test_login(const ods_conf_t *conf)
{
    ods_svc_login_t *l = NULL;
    opened_t o = { 0 };
    ods_err_t err = { 0 };
    is_int(ods_svc_login_new(conf, &l, &err), ODS_OK, "login state from conf.xml");
    if (l == NULL)
        return;
    ok(ods_svc_login_count(l) == 3 && ods_svc_login_missing(l) == 2, "two of three wait");
    ok(ods_svc_login_has_pin(l, 0) && !ods_svc_login_has_pin(l, 1), "Conf has its PIN, First not");
    is_int(ods_svc_login_open(l, open_cb, &o, &err), ODS_EPIN, "cannot open all yet");
    is_int(o.calls, 0, "... the HSM was not touched");

    give_fails(l, &o, NULL, "first-pin-2222", ODS_EINVAL, "--repository",
               "two wait: the repository must be named");
    give_fails(l, &o, "Nope", "x", ODS_ENOTFOUND, "no repository 'Nope'", "unknown repository");
    give_fails(l, &o, "Conf", "conf-pin-1111", ODS_EEXIST, "already logged in",
               "Conf has its PIN already");
    give_fails(l, &o, "First", "wrong-pin-0000", ODS_EPIN, "incorrect PIN", "a wrong PIN");
    ok(o.last_n == 1 && o.last_keep == 0, "... checked against that token alone, not kept");
    ok(!ods_svc_login_has_pin(l, 1) && ods_svc_login_missing(l) == 2, "... nothing changed");

    ods_err_clear(&err);
    is_int(ods_svc_login_give(l, "First", "first-pin-2222", open_cb, &o, &err), ODS_OK,
           "First's right PIN (%s)", err.msg);
    ok(o.last_n == 1 && o.last_keep == 0 && o.kept == NULL, "... checked, the HSM not kept yet");
    is_int((int)ods_svc_login_missing(l), 1, "... one still waits");
    give_fails(l, &o, NULL, "wrong-pin-0000", ODS_EPIN, "incorrect PIN",
               "a wrong PIN for the last one");
    ok(o.last_n == 3 && o.kept == NULL, "... tried with every repository, nothing kept");
    is_int((int)ods_svc_login_missing(l), 1, "... Second still waits");
    ods_err_clear(&err);
    is_int(ods_svc_login_give(l, NULL, "sec-pin-3333", open_cb, &o, &err), ODS_OK,
           "Second's PIN, repository found by itself (%s)", err.msg);
    ok(o.last_n == 3 && o.last_keep == 1 && o.kept != NULL, "... every repository opened, kept");
    ok(o.kept && ods_hsm_repo_count(o.kept) == 3, "... the HSM has three repositories");
    give_fails(l, &o, NULL, "sec-pin-3333", ODS_EEXIST, "every repository is already logged in",
               "nothing waits any more");
    ods_hsm_close(o.kept);
    ods_svc_login_free(l);
    ods_svc_login_free(NULL);
}

static void test_take_arg(void)
{
    char a0[] = "hsm", a1[] = "login", a2[] = "--repository", a3[] = "R", a4[] = ODS_SVC_PIN_ARG,
         a5[] = "secret-pin";
    char *argv[] = { a0, a1, a2, a3, a4, a5, NULL };
    int argc = 6;
    char *pin = NULL;
    ods_err_t err = { 0 };
    is_int(ods_svc_pin_take_arg(&argc, argv, &pin, &err), ODS_OK, "PIN taken from the request");
    is_str(pin, "secret-pin", "... its value");
    ok(argc == 4 && argv[4] == NULL, "... the request ends before it");
    ok(a5[0] == '\0' && memchr(a5, 's', sizeof(a5)) == NULL, "... its copy in argv wiped");
    ods_svc_pin_free(pin);
    pin = NULL;
    is_int(ods_svc_pin_take_arg(&argc, argv, &pin, &err), ODS_EPIN, "a request without a PIN");
    has_str(err.msg, "odsctl hsm login", "... says how to give one");
    ok(pin == NULL && argc == 4, "... nothing changed");
}

int main(void)
{
    svc_tmpdir("svc-pin");
    test_env_name();
    ods_conf_t *conf = load_conf();
    ok(conf != NULL, "conf.xml with five repositories loaded");
    if (conf != NULL) {
        test_sources(conf);
        test_redacted();
    }
    ods_conf_free(conf);
    test_take_arg();
    conf = login_conf();
    ok(conf != NULL, "three SoftHSMv2 tokens and their conf.xml");
    if (conf != NULL)
        test_login(conf);
    ods_conf_free(conf);
    ods_log_secret_clear();
    svc_tmpdir_remove();
    return tap_done();
}
