/* pin.c -- a repository's PIN from conf.xml, the environment or a credential (see pin.h). */
#include "svc/pin.h"

#include "log/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* PINs taken out of the environment, by variable name. */
typedef struct kept_pin {
    char *var;
    char *pin;
    struct kept_pin *next;
} kept_pin_t;

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static kept_pin_t *kept;

int ods_svc_pin_env_name(const char *name, char *buf, size_t len, ods_err_t *err)
{
    size_t plen = strlen(ODS_SVC_PIN_ENV_PREFIX), n = strlen(name);
    if (plen + n + 1 > len)
        return ods_err_set(err, ODS_EINVAL, "repository name '%s' is too long", name);
    memcpy(buf, ODS_SVC_PIN_ENV_PREFIX, plen);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        buf[plen + i] = ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
    }
    buf[plen + n] = '\0';
    return ODS_OK;
}

void ods_svc_pin_free(char *pin)
{
    if (pin == NULL)
        return;
    explicit_bzero(pin, strlen(pin));
    free(pin);
}

static char *kept_find(const char *var)
{
    char *pin = NULL;
    pthread_mutex_lock(&kept_lock);
    for (kept_pin_t *k = kept; k != NULL && pin == NULL; k = k->next)
        if (strcmp(k->var, var) == 0)
            pin = strdup(k->pin);
    pthread_mutex_unlock(&kept_lock);
    return pin;
}

static void kept_add(const char *var, const char *pin)
{
    kept_pin_t *k = calloc(1, sizeof(*k));
    if (k == NULL || (k->var = strdup(var)) == NULL || (k->pin = strdup(pin)) == NULL) {
        if (k != NULL)
            free(k->var);
        free(k);
        return; /* out of memory: the next call will not find it, nothing worse */
    }
    pthread_mutex_lock(&kept_lock);
    k->next = kept;
    kept = k;
    pthread_mutex_unlock(&kept_lock);
}

void ods_svc_pin_forget_all(void)
{
    pthread_mutex_lock(&kept_lock);
    kept_pin_t *k = kept;
    kept = NULL;
    pthread_mutex_unlock(&kept_lock);
    while (k != NULL) {
        kept_pin_t *next = k->next;
        ods_svc_pin_free(k->pin);
        free(k->var);
        free(k);
        k = next;
    }
}

/* Take var out of the environment: copy the first value, overwrite every value, unset. */
static char *take_env(const char *var)
{
    size_t n = strlen(var);
    char *value = NULL;
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        if (strncmp(*e, var, n) != 0 || (*e)[n] != '=')
            continue;
        char *v = *e + n + 1;
        if (value == NULL && v[0] != '\0')
            value = strdup(v);
        explicit_bzero(v, strlen(v));
    }
    unsetenv(var);
    return value;
}

/* The first line of $CREDENTIALS_DIRECTORY/var; *pin NULL when there is none. */
static int read_credential(const char *var, char **pin, ods_err_t *err)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    *pin = NULL;
    if (dir == NULL || dir[0] == '\0')
        return ODS_OK;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, var);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ODS_OK
                               : ods_err_set(err, ODS_EIO, "cannot read credential %s: %s", path,
                                             strerror(errno));
    char buf[ODS_SVC_PIN_MAX + 2];
    ssize_t len;
    do {
        len = read(fd, buf, sizeof(buf) - 1);
    } while (len < 0 && errno == EINTR);
    close(fd);
    buf[len > 0 ? len : 0] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (buf[0] != '\0' && (*pin = strdup(buf)) == NULL) {
        explicit_bzero(buf, sizeof(buf));
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    explicit_bzero(buf, sizeof(buf));
    return ODS_OK;
}

/* The PIN from the environment (now or kept from before), else from a credential. */
static int pin_from_outside(const char *var, char **pin, ods_err_t *err)
{
    char *p = kept_find(var);
    if (p == NULL && (p = take_env(var)) != NULL)
        kept_add(var, p);
    if (p != NULL) {
        *pin = p;
        return ODS_OK;
    }
    return read_credential(var, pin, err);
}

static int no_pin(const ods_conf_repository_t *repo, const char *var, ods_err_t *err)
{
    return ods_err_set(err, ODS_EPIN,
                       "no PIN for repository '%s': give <PIN> or <PINFile> in conf.xml, set %s "
                       "in the daemon's environment or credentials, or run 'odsctl hsm login' "
                       "once the daemons run",
                       repo->name, var);
}

int ods_svc_pin_get(const ods_conf_repository_t *repo, char **pin, ods_err_t *err)
{
    char *p = NULL;
    if (repo->pin != NULL && repo->pin[0] != '\0') {
        if ((p = strdup(repo->pin)) == NULL)
            return ods_err_set(err, ODS_ENOMEM, "out of memory");
    } else {
        char var[300];
        int rc = ods_svc_pin_env_name(repo->name ? repo->name : "", var, sizeof(var), err);
        if (rc == ODS_OK)
            rc = pin_from_outside(var, &p, err);
        if (rc != ODS_OK)
            return rc;
        if (p == NULL)
            return no_pin(repo, var, err);
    }
    ods_log_secret_add(p);
    *pin = p;
    return ODS_OK;
}

/* ---- waiting for `odsctl hsm login` ---- */

typedef struct login_repo {
    char *name, *module, *label;
    unsigned capacity;
    int skip_public_key, allow_extraction;
    char *pin; /* NULL: waiting for `odsctl hsm login` */
} login_repo_t;

struct ods_svc_login {
    size_t n;
    login_repo_t *repos;
};

void ods_svc_login_free(ods_svc_login_t *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++) {
        login_repo_t *r = &l->repos[i];
        ods_svc_pin_free(r->pin);
        free(r->name);
        free(r->module);
        free(r->label);
    }
    free(l->repos);
    free(l);
}

/* Copy repository c into r with its PIN, if there is one. */
static int login_copy(const ods_conf_repository_t *c, login_repo_t *r, ods_err_t *err)
{
    r->capacity = (unsigned)c->capacity;
    r->skip_public_key = c->skip_public_key;
    r->allow_extraction = c->allow_extraction;
    if ((r->name = strdup(c->name ? c->name : "")) == NULL ||
        (r->module = strdup(c->module ? c->module : "")) == NULL ||
        (r->label = strdup(c->token_label ? c->token_label : "")) == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = ods_svc_pin_get(c, &r->pin, err);
    return rc == ODS_EPIN ? ODS_OK : rc;
}

int ods_svc_login_new(const ods_conf_t *conf, ods_svc_login_t **out, ods_err_t *err)
{
    ods_svc_login_t *l = calloc(1, sizeof(*l));
    if (l == NULL || (conf->n_repositories > 0 &&
                      (l->repos = calloc(conf->n_repositories, sizeof(*l->repos))) == NULL)) {
        free(l);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    int rc = ODS_OK;
    for (size_t i = 0; rc == ODS_OK && i < conf->n_repositories; i++, l->n++)
        rc = login_copy(&conf->repositories[i], &l->repos[i], err);
    if (rc != ODS_OK) {
        ods_svc_login_free(l);
        return rc;
    }
    *out = l;
    return ODS_OK;
}

size_t ods_svc_login_count(const ods_svc_login_t *l)
{
    return l->n;
}

const char *ods_svc_login_name(const ods_svc_login_t *l, size_t i)
{
    return i < l->n ? l->repos[i].name : NULL;
}

int ods_svc_login_has_pin(const ods_svc_login_t *l, size_t i)
{
    return i < l->n && l->repos[i].pin != NULL;
}

size_t ods_svc_login_missing(const ods_svc_login_t *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->repos[i].pin == NULL;
    return n;
}

static ods_hsm_repo_spec_t login_spec(const login_repo_t *r)
{
    return (ods_hsm_repo_spec_t){
        .name = r->name,
        .module = r->module,
        .token_label = r->label,
        .pin = r->pin,
        .capacity = r->capacity,
        .skip_public_key = r->skip_public_key,
        .allow_extraction = r->allow_extraction,
    };
}

int ods_svc_login_open(ods_svc_login_t *l, ods_svc_login_open_fn open, void *arg, ods_err_t *err)
{
    if (ods_svc_login_missing(l) > 0)
        return ods_err_set(err, ODS_EPIN, "%s", ODS_SVC_LOGIN_WANTED);
    ods_hsm_repo_spec_t *specs = calloc(l->n ? l->n : 1, sizeof(*specs));
    if (specs == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->n; i++)
        specs[i] = login_spec(&l->repos[i]);
    int rc = open(arg, specs, l->n, 1, err);
    free(specs);
    return rc;
}

/* The repository a login is for: by name, or the only one without a PIN. */
static int login_find(const ods_svc_login_t *l, const char *repo, size_t *out, ods_err_t *err)
{
    size_t found = l->n, waiting = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (repo != NULL && strcmp(l->repos[i].name, repo) == 0)
            found = i;
        if (repo == NULL && l->repos[i].pin == NULL && waiting++ == 0)
            found = i;
    }
    if (repo == NULL && waiting == 0)
        return ods_err_set(err, ODS_EEXIST, "every repository is already logged in");
    if (repo == NULL && waiting > 1)
        return ods_err_set(err, ODS_EINVAL,
                           "%zu repositories wait for a PIN: name one with --repository", waiting);
    if (found == l->n)
        return ods_err_set(err, ODS_ENOTFOUND,
                           "no repository '%s' in the RepositoryList of conf.xml", repo);
    if (l->repos[found].pin != NULL)
        return ods_err_set(err, ODS_EEXIST, "repository %s is already logged in",
                           l->repos[found].name);
    *out = found;
    return ODS_OK;
}

int ods_svc_login_give(ods_svc_login_t *l, const char *repo, const char *pin,
                       ods_svc_login_open_fn open, void *arg, ods_err_t *err)
{
    size_t i = 0;
    int rc = login_find(l, repo, &i, err);
    if (rc != ODS_OK)
        return rc;
    login_repo_t *r = &l->repos[i];
    if ((r->pin = strdup(pin)) == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    if (ods_svc_login_missing(l) > 0) {
        ods_hsm_repo_spec_t spec = login_spec(r);
        rc = open(arg, &spec, 1, 0, err);
    } else {
        rc = ods_svc_login_open(l, open, arg, err);
    }
    if (rc != ODS_OK) {
        ods_svc_pin_free(r->pin);
        r->pin = NULL;
        return rc;
    }
    ods_log_secret_add(r->pin);
    return ODS_OK;
}

int ods_svc_pin_take_arg(int *argc, char **argv, char **pin, ods_err_t *err)
{
    int n = *argc;
    if (n < 2 || strcmp(argv[n - 2], ODS_SVC_PIN_ARG) != 0)
        return ods_err_set(err, ODS_EPIN,
                           "the request carries no PIN: run `odsctl hsm login`, which asks for it "
                           "on the terminal");
    char *p = strdup(argv[n - 1]);
    explicit_bzero(argv[n - 1], strlen(argv[n - 1]));
    if (p == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    argv[n - 2] = NULL;
    *argc = n - 2;
    *pin = p;
    return ODS_OK;
}
