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
