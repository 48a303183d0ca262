/*
 * ctl_hsm_login.c -- `odsctl hsm login`: ask for the PIN of each repository
 * the daemons wait for, check it against the token here, and hand it to
 * both daemons over their control sockets. How the PIN travels, and why
 * that way, is explained in svc/pin.h.
 */
#include "ctl_call.h"
#include "ctl_hsm_int.h"
#include "ctl_tty.h"
#include "svc/pin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ODS_PIN_<NAME> (or a credential) in odsctl's environment, else the terminal. */
static int ask_pin(const ods_conf_repository_t *r, char **pin, ods_err_t *err)
{
    char var[300], prompt[300], buf[ODS_SVC_PIN_MAX + 2];
    int rc = ods_svc_pin_get(r, pin, err);
    if (rc != ODS_EPIN)
        return rc;
    if (ods_svc_pin_env_name(r->name, var, sizeof(var), err) != ODS_OK)
        return ODS_EINVAL;
    snprintf(prompt, sizeof(prompt), "PIN for repository %s (token %s): ", r->name, r->token_label);
    rc = ctl_tty_secret(prompt, buf, sizeof(buf));
    if (rc == ODS_ENOTFOUND)
        return ods_err_set(err, ODS_EPIN,
                           "no terminal to ask for the PIN of repository %s on: run `odsctl hsm "
                           "login` on a terminal, or set %s in its environment",
                           r->name, var);
    if (rc == ODS_OK && buf[0] != '\0')
        *pin = strdup(buf);
    explicit_bzero(buf, sizeof(buf));
    if (rc != ODS_OK || !*pin)
        return ods_err_set(err, rc != ODS_OK ? ODS_EIO : ODS_EPIN, "no PIN %s for repository %s",
                           rc != ODS_OK ? "could be read" : "was typed", r->name);
    return ODS_OK;
}

/* Log in to the token with pin, then out again: ODS_EPIN when it is wrong. */
static int check_pin(const ods_conf_repository_t *r, const char *pin, ods_err_t *err)
{
    ods_hsm_repo_spec_t spec = {
        .name = r->name,
        .module = r->module,
        .token_label = r->token_label,
        .pin = pin,
        .capacity = (unsigned)r->capacity,
        .skip_public_key = r->skip_public_key,
        .allow_extraction = r->allow_extraction,
    };
    ods_hsm_t *hsm;
    int rc = ods_hsm_open(&spec, 1, &hsm, err);
    if (rc == ODS_OK)
        ods_hsm_close(hsm);
    return rc;
}

/* Both daemons get {"hsm", "login", "--repository", R, ODS_SVC_PIN_ARG, PIN}. */
static int hand_over(const ctl_opts_t *opts, const char *repo, char *pin)
{
    char *argv[] = { "hsm", "login", "--repository", (char *)repo, ODS_SVC_PIN_ARG, pin, NULL };
    ctl_route_t route = { .targets = ODS_CMD_ENFORCER | ODS_CMD_SIGNER, .nwords = 2 };
    route.cmd = ods_cmd_find(ODS_CMD_LOCAL, 2, argv, NULL);
    return ctl_call_run(opts, &route, 6, argv);
}

static int login_one(const ctl_opts_t *opts, const ods_conf_repository_t *r)
{
    char *pin = NULL;
    ods_err_t err;
    int rc = ask_pin(r, &pin, &err);
    if (rc == ODS_OK)
        rc = check_pin(r, pin, &err);
    if (rc != ODS_OK) {
        fprintf(stderr, "odsctl: %s; nothing was sent to the daemons\n", err.msg);
        ods_svc_pin_free(pin);
        return rc == ODS_EPIN ? CTL_EXIT_FAIL : CTL_EXIT_USAGE;
    }
    int status = hand_over(opts, r->name, pin);
    ods_svc_pin_free(pin);
    return status;
}

int ctl_hsm_login(const ctl_opts_t *opts, const ods_cmd_args_t *a)
{
    const char *only = ods_cmd_get(a, "repository");
    ods_conf_t *conf = NULL;
    int worst = CTL_EXIT_OK, tried = 0;
    if (ctl_hsm_load_conf(opts->conf, &conf) != ODS_OK)
        return CTL_EXIT_FAIL;
    for (size_t i = 0; i < conf->n_repositories; i++) {
        const ods_conf_repository_t *r = &conf->repositories[i];
        int in_conf = r->pin != NULL && r->pin[0] != '\0';
        if (only ? strcmp(r->name, only) != 0 : in_conf)
            continue;
        tried++;
        if (in_conf) {
            printf("Repository %s has its PIN in %s: the daemons log in by themselves.\n", r->name,
                   conf->path);
            continue;
        }
        int st = login_one(opts, r);
        worst = st > worst ? st : worst;
    }
    if (only && !tried) {
        fprintf(stderr, "odsctl: no repository named '%s' in %s: see its RepositoryList\n", only,
                conf->path);
        worst = CTL_EXIT_USAGE;
    } else if (!tried) {
        printf("Every repository has its PIN in %s: there is nothing to log in to.\n", conf->path);
    }
    ods_conf_free(conf);
    return worst;
}
