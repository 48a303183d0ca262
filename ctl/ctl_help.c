/*
 * ctl_help.c -- help texts (see ctl_help.h).
 */
#include "ctl_help.h"

#include "ctl/cmdparse.h"
#include "ctl_args.h"
#include "ctl_route.h"

#include <string.h>

static const struct {
    int owner;
    const char *title;
} groups[] = {
    { ODS_CMD_ENFORCER, "enforcer (enforcerd): policies, zones, keys" },
    { ODS_CMD_SIGNER, "signer (signerd): signing" },
    { ODS_CMD_ENFORCER | ODS_CMD_SIGNER,
      "both daemons (\"odsctl enforcer CMD\" or \"odsctl signer CMD\" for one)" },
    { ODS_CMD_LOCAL, "odsctl itself (no daemon)" },
};

void ctl_help_list(FILE *out, int mask)
{
    size_t n;
    const ods_cmd_t *t = ods_cmd_table(&n);
    int first = 1;
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        if (!(groups[g].owner & mask))
            continue;
        fprintf(out, "%s%s:\n", first ? "" : "\n", groups[g].title);
        first = 0;
        for (size_t i = 0; i < n; i++) {
            char words[64];
            if (t[i].owner != groups[g].owner)
                continue;
            snprintf(words, sizeof(words), "%s%s", ods_cmd_bare_reachable(&t[i]) ? "" : "signer ",
                     t[i].words);
            fprintf(out, "  %-24s %s\n", words, t[i].summary);
        }
    }
    fprintf(out, "\n`odsctl help COMMAND` or `odsctl COMMAND --help` explains a command.\n");
}

static void print_usage(const ods_cmd_t *cmd)
{
    ods_buf_t b = ODS_BUF_INIT;
    const char *s;
    ods_cmd_usage(cmd, &b);
    s = ods_buf_cstr(&b);
    if (s)
        fputs(s, stdout);
    ods_buf_free(&b);
}

/* `odsctl help zone`: the commands starting with that word; 0 if there are none. */
static int list_group(const char *word)
{
    size_t n, len = strlen(word);
    const ods_cmd_t *t = ods_cmd_table(&n);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(t[i].words, word, len) != 0 || t[i].words[len] != ' ')
            continue;
        if (!found++)
            printf("%s commands:\n", word);
        printf("  %-24s %s\n", t[i].words, t[i].summary);
    }
    return found;
}

int ctl_help_run(int argc, char **argv)
{
    ctl_route_t r;
    ods_err_t err;
    if (argc == 0) {
        ctl_args_usage(stdout);
        printf("\n");
        ctl_help_list(stdout, ODS_CMD_ALL);
        return CTL_EXIT_OK;
    }
    if (argc == 1 && (strcmp(argv[0], "enforcer") == 0 || strcmp(argv[0], "signer") == 0)) {
        int mask = argv[0][0] == 'e' ? ODS_CMD_ENFORCER : ODS_CMD_SIGNER;
        size_t n;
        const ods_cmd_t *t = ods_cmd_table(&n);
        printf("%s commands (odsctl %s COMMAND):\n", argv[0], argv[0]);
        for (size_t i = 0; i < n; i++)
            if (t[i].owner & mask)
                printf("  %-24s %s\n", t[i].words, t[i].summary);
        return CTL_EXIT_OK;
    }
    if (argc == 1 && list_group(argv[0]))
        return CTL_EXIT_OK;
    if (ctl_route_find(argc, argv, &r, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_USAGE;
    }
    print_usage(r.cmd);
    return CTL_EXIT_OK;
}

int ctl_help_requested(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}
