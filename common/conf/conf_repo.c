/* conf_repo.c -- conf.xml RepositoryList: key repositories and their PINs. */
#include "conf/conf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIN_FILE_MAX 4096

void ods_conf_free_secret(char *secret)
{
    if (secret == NULL)
        return;
    explicit_bzero(secret, strlen(secret));
    free(secret);
}

void ods_conf_repository_clear(ods_conf_repository_t *r)
{
    free(r->name);
    free(r->module);
    free(r->token_label);
    ods_conf_free_secret(r->pin);
    free(r->pin_file);
    memset(r, 0, sizeof(*r));
}

static void register_pins_under(xmlNodePtr node, ods_diag_t *diag)
{
    for (xmlNodePtr n = node; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "PIN") == 0) {
            xmlChar *c = xmlNodeGetContent(n);
            if (c != NULL) {
                ods_diag_add_secret(diag, (const char *)c);
                explicit_bzero(c, strlen((const char *)c));
                xmlFree(c);
            }
        }
        register_pins_under(n->children, diag);
    }
}

void ods_conf_register_pins(xmlDocPtr doc, ods_diag_t *diag)
{
    register_pins_under(xmlDocGetRootElement(doc), diag);
}

/* The first line of buf (NUL-terminated), without CR/LF. */
static void first_line(char *buf)
{
    buf[strcspn(buf, "\r\n")] = '\0';
}

static int read_pin_fd(int fd, char *buf, size_t len)
{
    size_t n = 0;
    ssize_t r;
    while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        n += (size_t)r;
    }
    buf[n] = '\0';
    return 0;
}

/*
 * Read the PIN from repo->pin_file into repo->pin. Only a regular file will
 * do: opening a FIFO (or /dev/stdin) would block the loader (O_NONBLOCK keeps
 * the open itself from blocking).
 */
static void read_pin_file(ods_xml_rd_t *rd, xmlNodePtr node, ods_conf_repository_t *repo)
{
    int fd = open(repo->pin_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, node, "cannot read PINFile %s: %s%s", repo->pin_file,
                     strerror(errno),
                     errno == EACCES ? " (run as the user the daemons run as, or root)" : "");
        if (fd >= 0)
            close(fd);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, node,
                     "PINFile %s is not a regular file: put the PIN on the first line of a file",
                     repo->pin_file);
        close(fd);
        return;
    }
    if (st.st_mode & S_IROTH)
        ods_xml_diag(rd, ODS_DIAG_WARNING, node,
                     "PINFile %s is readable by every user (mode %04o): chmod 0600 or 0640 it",
                     repo->pin_file, (unsigned)(st.st_mode & 07777));
    char buf[PIN_FILE_MAX];
    int rc = read_pin_fd(fd, buf, sizeof(buf));
    close(fd);
    first_line(buf);
    if (rc != 0 || buf[0] == '\0')
        ods_xml_diag(rd, ODS_DIAG_ERROR, node, "PINFile %s %s: put the PIN on its first line",
                     repo->pin_file, rc != 0 ? "cannot be read" : "is empty");
    else if ((repo->pin = strdup(buf)) != NULL)
        ods_diag_add_secret(rd->diag, repo->pin);
    explicit_bzero(buf, sizeof(buf));
}

static void read_pin(ods_xml_rd_t *rd, xmlNodePtr node, ods_conf_repository_t *repo)
{
    xmlNodePtr pin = ods_xml_get(rd, node, "PIN");
    xmlNodePtr file = ods_xml_get(rd, node, "PINFile");
    if (pin != NULL && file != NULL) {
        ods_xml_diag(rd, ODS_DIAG_ERROR, file,
                     "both <PIN> and <PINFile> are given for repository '%s': keep one",
                     repo->name);
        return;
    }
    if (pin != NULL)
        ods_xml_get_text(rd, node, "PIN", &repo->pin);
    else if (file != NULL && ods_xml_get_path(rd, node, "PINFile", &repo->pin_file) == 1)
        read_pin_file(rd, file, repo);
}

static void read_repository(ods_xml_rd_t *rd, xmlNodePtr node, ods_conf_repository_t *repo)
{
    if (ods_xml_get_attr(node, "name", &repo->name) != 1)
        repo->name = strdup("");
    ods_xml_get_text(rd, node, "Module", &repo->module);
    ods_xml_get_text(rd, node, "TokenLabel", &repo->token_label);
    read_pin(rd, node, repo);
    if (ods_xml_get_uint(rd, node, "Capacity", UINT32_MAX, &repo->capacity) == 1 &&
        repo->capacity == 0)
        ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(node, "Capacity"),
                     "Capacity 0 would allow no keys at all: remove <Capacity> for no limit, or "
                     "give the maximum number of key pairs");
    repo->require_backup = ods_xml_get_flag(rd, node, "RequireBackup");
    repo->skip_public_key = ods_xml_get_flag(rd, node, "SkipPublicKey");
    repo->allow_extraction = ods_xml_get_flag(rd, node, "AllowExtraction");
}

static int same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Duplicate names are errors; two repositories on one token are suspicious. */
static void check_repositories(ods_xml_rd_t *rd, xmlNodePtr *nodes, const ods_conf_t *conf)
{
    for (size_t i = 0; i < conf->n_repositories; i++) {
        const ods_conf_repository_t *a = &conf->repositories[i];
        for (size_t j = 0; j < i; j++) {
            const ods_conf_repository_t *b = &conf->repositories[j];
            if (same(a->name, b->name)) {
                ods_xml_diag(rd, ODS_DIAG_ERROR, nodes[i],
                             "repository name '%s' is already used on line %d: give each "
                             "repository its own name",
                             a->name, ods_xml_line(nodes[j]));
                break;
            }
            if (same(a->module, b->module) && same(a->token_label, b->token_label))
                ods_xml_diag(rd, ODS_DIAG_WARNING, nodes[i],
                             "repositories '%s' and '%s' use the same module and token label "
                             "'%s': they are the same token",
                             b->name, a->name, a->token_label);
        }
    }
}

int ods_conf_read_repositories(ods_xml_rd_t *rd, xmlNodePtr root, ods_conf_t *conf)
{
    xmlNodePtr list = ods_xml_get(rd, root, "RepositoryList");
    size_t n = ods_xml_count(list, "Repository");
    if (n == 0)
        return ODS_OK;
    conf->repositories = calloc(n, sizeof(*conf->repositories));
    xmlNodePtr *nodes = calloc(n, sizeof(*nodes));
    if (conf->repositories == NULL || nodes == NULL) {
        free(nodes);
        return ODS_ENOMEM;
    }
    for (xmlNodePtr r = ods_xml_child(list, "Repository"); r; r = ods_xml_next(r)) {
        nodes[conf->n_repositories] = r;
        ods_xml_get(rd, r, ""); /* record the element's own line */
        read_repository(rd, r, &conf->repositories[conf->n_repositories++]);
    }
    check_repositories(rd, nodes, conf);
    free(nodes);
    return ODS_OK;
}
