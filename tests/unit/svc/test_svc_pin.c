/*
 * Unit tests for common/svc pin.c: the PIN from conf.xml (<PIN>, <PINFile>),
 * from ODS_PIN_<NAME> (then gone from the environment, also for commands the
 * process runs, but kept for a reload), from $CREDENTIALS_DIRECTORY, the
 * error when there is none, and redaction in log messages.
 */
#include "tap.h"
#include "svc_test.h"

#include "conf/conf.h"
#include "log/log.h"
#include "svc/pin.h"

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
    ods_log_secret_clear();
    svc_tmpdir_remove();
    return tap_done();
}
