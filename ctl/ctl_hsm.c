/*
 * ctl_hsm.c -- `odsctl hsm`: opening the repositories, generate, remove,
 * purge, test (see ctl_hsm.h; list, info and dnskey are in ctl_hsm_show.c).
 */
#include "ctl_hsm.h"

#include "conf/conf.h"
#include "ctl_hsm_int.h"
#include "ctl_tty.h"
#include "hsm/alg.h"
#include "hsm/key.h"
#include "hsm/selftest.h"
#include "svc/pin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ctl_hsm_number(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The PIN of repo: configured, from the environment, or asked on the terminal. */
static int get_pin(const ods_conf_repository_t *repo, char **pin, ods_err_t *err)
{
    char buf[ODS_SVC_PIN_MAX + 2], prompt[200];
    int rc = ods_svc_pin_get(repo, pin, err);
    if (rc != ODS_EPIN)
        return rc;
    snprintf(prompt, sizeof(prompt), "PIN for repository %s (token %s): ", repo->name,
             repo->token_label);
    if (ctl_tty_secret(prompt, buf, sizeof(buf)) != ODS_OK)
        return rc; /* no terminal: err already says how to give one */
    *pin = strdup(buf);
    explicit_bzero(buf, sizeof(buf));
    return *pin ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
}

static void free_specs(ods_hsm_repo_spec_t *specs, size_t n)
{
    for (size_t i = 0; specs && i < n; i++)
        ods_svc_pin_free((char *)specs[i].pin);
    free(specs);
}

/* Repository specs from conf: one (name) or all (name NULL). */
static int make_specs(const ods_conf_t *conf, const char *name, ods_hsm_repo_spec_t **out,
                      size_t *n, ods_err_t *err)
{
    ods_hsm_repo_spec_t *specs = calloc(conf->n_repositories + 1, sizeof(*specs));
    size_t k = 0;
    int rc = specs ? ODS_OK : ods_err_set(err, ODS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == ODS_OK && i < conf->n_repositories; i++) {
        const ods_conf_repository_t *r = &conf->repositories[i];
        char *pin = NULL;
        if (name && strcmp(name, r->name) != 0)
            continue;
        rc = get_pin(r, &pin, err);
        specs[k] = (ods_hsm_repo_spec_t){ r->name,
                                          r->module,
                                          r->token_label,
                                          pin,
                                          (unsigned)r->capacity,
                                          r->skip_public_key,
                                          r->allow_extraction };
        k += rc == ODS_OK;
    }
    if (rc == ODS_OK && k == 0)
        rc = ods_err_set(err, ODS_ENOTFOUND,
                         "no repository named '%s' in %s: see `odsctl hsm "
                         "info` or the RepositoryList of conf.xml",
                         name ? name : "", conf->path);
    if (rc != ODS_OK) {
        free_specs(specs, k);
        return rc;
    }
    *out = specs;
    *n = k;
    return ODS_OK;
}

int ctl_hsm_load_conf(const char *path, ods_conf_t **conf)
{
    ods_diag_t *diag = ods_diag_new();
    int rc = diag ? ods_conf_load(path, conf, diag) : ODS_ENOMEM;
    if (rc != ODS_OK) {
        if (diag)
            ods_diag_print(diag, stderr);
        fprintf(stderr, "odsctl: cannot use %s (run `odsctl check-config`)\n", path);
    }
    ods_diag_free(diag);
    return rc;
}

/* Open the repositories the command needs (one, or all when repo is NULL). */
static int hsm_open(const char *conf_path, const char *repo, ctl_hsm_t *h)
{
    ods_conf_t *conf = NULL;
    ods_hsm_repo_spec_t *specs = NULL;
    size_t n = 0;
    ods_err_t err;
    int rc = ctl_hsm_load_conf(conf_path, &conf);
    if (rc != ODS_OK)
        return rc;
    rc = make_specs(conf, repo, &specs, &n, &err);
    if (rc == ODS_OK)
        rc = ods_hsm_open(specs, n, &h->hsm, &err);
    if (rc == ODS_OK && (rc = ods_hsm_ctx_new(h->hsm, &h->ctx, &err)) != ODS_OK)
        ods_hsm_close(h->hsm);
    free_specs(specs, n);
    ods_conf_free(conf);
    if (rc != ODS_OK)
        fprintf(stderr, "odsctl: %s\n", err.msg);
    return rc;
}

static void hsm_close(ctl_hsm_t *h)
{
    ods_hsm_ctx_free(h->ctx);
    ods_hsm_close(h->hsm);
}

/* ALGORITHM [BITS] of hsm generate: rsa, ecdsa, eddsa, a number or a mnemonic. */
static int pick_algorithm(const char *name, const char *bits_s, int *alg, unsigned *bits)
{
    long b = 0, v;
    if (bits_s && ctl_hsm_number(bits_s, 1, 65536, &b) != 0) {
        fprintf(stderr, "odsctl: key size '%s' is not a number\n", bits_s);
        return -1;
    }
    if (strcasecmp(name, "rsa") == 0) {
        *alg = 8;
        *bits = b ? (unsigned)b : 2048;
    } else if (strcasecmp(name, "ecdsa") == 0) {
        *alg = b == 0 || b == 256 ? 13 : b == 384 ? 14 : -1;
    } else if (strcasecmp(name, "eddsa") == 0) {
        *alg = b == 0 || b == 255 || b == 256 ? 15 : b == 448 || b == 456 ? 16 : -1;
    } else if (strcasecmp(name, "dsa") == 0 || strcasecmp(name, "gost") == 0) {
        fprintf(stderr,
                "odsctl: %s keys are not supported (algorithms 3, 6 and 12 must not be "
                "used for signing: RFC 8624); use rsa, ecdsa or eddsa\n",
                name);
        return -1;
    } else {
        *alg = -1;
        if (ctl_hsm_number(name, 1, 255, &v) == 0)
            *alg = (int)v;
        for (int a = 1; *alg < 0 && a < 256; a++)
            if (ods_hsm_alg_name(a) && strcasecmp(ods_hsm_alg_name(a), name) == 0)
                *alg = a;
        *bits = b ? (unsigned)b : 2048;
    }
    if (*alg < 0 || !ods_hsm_alg_known(*alg)) {
        fprintf(stderr,
                "odsctl: unknown algorithm '%s'%s%s: use rsa [BITS], ecdsa [256|384], "
                "eddsa [255|448] or a DNSSEC algorithm number (5, 7, 8, 10, 13-16)\n",
                name, bits_s ? " with size " : "", bits_s ? bits_s : "");
        return -1;
    }
    return 0;
}

static int cmd_generate(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    const char *repo = ods_cmd_pos(a, 0);
    char locator[ODS_HSM_LOCATOR_LEN + 1];
    unsigned bits = 0;
    int alg;
    ods_err_t err;
    if (pick_algorithm(ods_cmd_pos(a, 1), ods_cmd_pos(a, 2), &alg, &bits) != 0)
        return CTL_EXIT_USAGE;
    if (ods_hsm_generate(h->ctx, repo, alg, bits, locator, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_FAIL;
    }
    printf("Key generation successful: %s\n", locator);
    return CTL_EXIT_OK;
}

static int cmd_remove(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    const char *locator = ods_cmd_pos(a, 0);
    ods_err_t err;
    int rc = ods_hsm_delete(h->ctx, locator, &err);
    if (rc == ODS_ENOTFOUND) {
        fprintf(stderr, "Key not found: %s\n", locator);
        return CTL_EXIT_FAIL;
    }
    if (rc != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_FAIL;
    }
    printf("Key remove successful.\n");
    return CTL_EXIT_OK;
}

static int cmd_purge(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    const char *repo = ods_cmd_pos(a, 0);
    ods_hsm_keyinfo_t *keys = NULL;
    size_t n = 0, done = 0;
    char question[256];
    ods_err_t err;
    int answer = 1;
    if (ods_hsm_list(h->ctx, repo, &keys, &n, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_FAIL;
    }
    if (n == 0) {
        printf("No keys found in repository %s.\n", repo);
        free(keys);
        return CTL_EXIT_OK;
    }
    if (!ods_cmd_has(a, "force")) {
        snprintf(question, sizeof(question),
                 "This deletes all %zu keys in repository %s, for good. Continue?", n, repo);
        answer = ctl_tty_confirm(question);
    }
    if (answer != 1) {
        fprintf(stderr, answer < 0 ? "odsctl: no terminal to confirm on: add --force\n"
                                   : "odsctl: nothing deleted\n");
        free(keys);
        return answer < 0 ? CTL_EXIT_USAGE : CTL_EXIT_FAIL;
    }
    for (size_t i = 0; i < n; i++) {
        if (ods_hsm_delete(h->ctx, keys[i].locator, &err) == ODS_OK)
            done++;
        else
            fprintf(stderr, "odsctl: %s\n", err.msg);
    }
    printf("Purged %zu of %zu keys from repository %s.\n", done, n, repo);
    free(keys);
    return done == n ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}

static int cmd_test(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    ods_err_t err;
    int rc = ods_hsm_selftest(h->hsm, ods_cmd_pos(a, 0), stdout, &err);
    fflush(stdout);
    if (rc != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_FAIL;
    }
    printf("All tests passed for repository %s.\n", ods_cmd_pos(a, 0));
    return CTL_EXIT_OK;
}

static const struct {
    const char *words;
    int (*fn)(ctl_hsm_t *h, const ods_cmd_args_t *a);
    int repo_arg; /* the first positional names the only repository to open */
} hsm_cmds[] = {
    { "hsm list", ctl_hsm_list, 1 },     { "hsm generate", cmd_generate, 1 },
    { "hsm remove", cmd_remove, 0 },     { "hsm purge", cmd_purge, 1 },
    { "hsm info", ctl_hsm_info, 0 },     { "hsm test", cmd_test, 1 },
    { "hsm dnskey", ctl_hsm_dnskey, 0 },
};

int ctl_hsm_run(const ctl_opts_t *opts, const ods_cmd_args_t *a)
{
    const ods_cmd_t *cmd = ods_cmd_args_cmd(a);
    if (strcmp(cmd->words, "hsm login") == 0)
        return ctl_hsm_login(opts, a);
    for (size_t i = 0; i < sizeof(hsm_cmds) / sizeof(hsm_cmds[0]); i++) {
        ctl_hsm_t h = { 0 };
        int status;
        if (strcmp(cmd->words, hsm_cmds[i].words) != 0)
            continue;
        if (hsm_open(opts->conf, hsm_cmds[i].repo_arg ? ods_cmd_pos(a, 0) : NULL, &h) != ODS_OK)
            return CTL_EXIT_FAIL;
        status = hsm_cmds[i].fn(&h, a);
        hsm_close(&h);
        return status;
    }
    fprintf(stderr, "odsctl: '%s' is not an hsm command\n", cmd->words);
    return CTL_EXIT_USAGE;
}
