#include "dns/zreader.h"
#include "dns/rdtext.h"
#include "dns/zlex.h"
#include "dnssec/name.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZR_MAX_INCLUDE 16
#define ZR_DEFAULT_TTL 3600 /* what ldns and OpenDNSSEC use when a file gives none */

typedef struct zr_file {
    char *path;
    char *data;
    size_t len;
    ods_zlex_t lex;
    uint8_t origin[ODS_NAME_MAX_LEN]; /* origin to restore after an include */
    uint8_t owner[ODS_NAME_MAX_LEN];  /* and the owner (BIND does the same) */
    int have_owner;
} zr_file_t;

struct ods_zreader {
    zr_file_t *files[ZR_MAX_INCLUDE];
    int depth; /* files[depth - 1] is being read */
    uint8_t origin[ODS_NAME_MAX_LEN];
    uint8_t owner[ODS_NAME_MAX_LEN];
    int have_owner;
    uint32_t default_ttl; /* from $TTL */
    int have_default_ttl;
    uint32_t last_ttl; /* last explicit TTL (RFC 1035) */
    int have_last_ttl;
    int warned_ttl;
    ods_buf_t rdata;
    unsigned long lines;
    ods_zreader_warn_fn warn;
    void *warn_arg;
};

static void zr_file_free(zr_file_t *f)
{
    if (f == NULL)
        return;
    free(f->path);
    free(f->data);
    free(f);
}

static int zr_file_load(const char *path, zr_file_t **out, ods_err_t *err)
{
    /* O_NONBLOCK: a FIFO must not block the reader; only regular files are read */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return ods_err_set(err, errno == ENOENT ? ODS_ENOTFOUND : ODS_EIO, "cannot open %s: %s",
                           path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ods_err_set(err, ODS_EIO, "cannot read %s: not a regular file", path);
    }
    zr_file_t *f = calloc(1, sizeof(*f));
    int rc = ODS_OK;
    if (f == NULL || (f->path = strdup(path)) == NULL ||
        (f->data = malloc((size_t)st.st_size + 1)) == NULL) {
        rc = ods_err_set(err, ODS_ENOMEM, "cannot read %s: %s", path, strerror(errno));
    } else {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, f->data + got, (size_t)st.st_size - got);
            if (n <= 0) {
                rc = ods_err_set(err, ODS_EIO, "cannot read %s: %s", path,
                                 n < 0 ? strerror(errno) : "file shrank while reading");
                break;
            }
            got += (size_t)n;
        }
        f->len = got;
    }
    close(fd);
    if (rc != ODS_OK) {
        zr_file_free(f);
        return rc;
    }
    ods_zlex_init(&f->lex, f->data, f->len);
    *out = f;
    return ODS_OK;
}

int ods_zreader_open(const char *path, const uint8_t *origin, ods_zreader_t **out, ods_err_t *err)
{
    ods_zreader_t *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    int rc = zr_file_load(path, &r->files[0], err);
    if (rc != ODS_OK) {
        free(r);
        return rc;
    }
    r->depth = 1;
    memcpy(r->origin, origin, ods_name_len(origin));
    *out = r;
    return ODS_OK;
}

void ods_zreader_set_warn(ods_zreader_t *r, ods_zreader_warn_fn fn, void *arg)
{
    r->warn = fn;
    r->warn_arg = arg;
}

void ods_zreader_free(ods_zreader_t *r)
{
    if (r == NULL)
        return;
    for (int i = 0; i < r->depth; i++)
        zr_file_free(r->files[i]);
    ods_buf_free(&r->rdata);
    free(r);
}

unsigned long ods_zreader_lines(const ods_zreader_t *r)
{
    return r->lines;
}

static zr_file_t *zr_cur(ods_zreader_t *r)
{
    return r->files[r->depth - 1];
}

static int zr_fail(ods_zreader_t *r, unsigned line, int code, ods_err_t *err, const char *msg)
{
    return ods_err_set(err, code, "%s:%u: %s", zr_cur(r)->path, line, msg);
}

static void zr_warn(ods_zreader_t *r, unsigned line, const char *msg)
{
    if (r->warn == NULL)
        return;
    char buf[1200];
    snprintf(buf, sizeof(buf), "%s:%u: %s", zr_cur(r)->path, line, msg);
    r->warn(r->warn_arg, buf);
}

/* $INCLUDE file [origin]: push a file; the origin is restored afterwards. */
static int zr_include(ods_zreader_t *r, const ods_zentry_t *e, ods_err_t *err)
{
    ods_err_t e2;
    if (e->ntok < 2 || e->ntok > 3)
        return zr_fail(r, e->line, ODS_EPARSE, err,
                       "$INCLUDE needs a file name and an optional origin");
    if (r->depth >= ZR_MAX_INCLUDE)
        return zr_fail(r, e->line, ODS_EPARSE, err, "$INCLUDE nested too deep (loop?)");
    char name[4096];
    if (e->tok[1].len >= sizeof(name) / 2)
        return zr_fail(r, e->line, ODS_EPARSE, err, "$INCLUDE file name too long");
    memcpy(name, e->tok[1].text, e->tok[1].len);
    name[e->tok[1].len] = '\0';
    char path[8192];
    if (name[0] == '/') {
        snprintf(path, sizeof(path), "%s", name);
    } else {
        char *copy = strdup(zr_cur(r)->path);
        if (copy == NULL)
            return ods_err_set(err, ODS_ENOMEM, "out of memory");
        snprintf(path, sizeof(path), "%s/%s", dirname(copy), name);
        free(copy);
    }
    uint8_t neworigin[ODS_NAME_MAX_LEN];
    size_t olen;
    if (e->ntok == 3 && ods_dns_name_parse(&e->tok[2], r->origin, neworigin, &olen, &e2) != ODS_OK)
        return zr_fail(r, e->line, ODS_EPARSE, err, e2.msg);
    zr_file_t *f;
    if (zr_file_load(path, &f, &e2) != ODS_OK)
        return zr_fail(r, e->line, e2.code, err, e2.msg);
    memcpy(f->origin, r->origin, ods_name_len(r->origin));
    memcpy(f->owner, r->owner, sizeof(f->owner));
    f->have_owner = r->have_owner;
    if (e->ntok == 3)
        memcpy(r->origin, neworigin, olen);
    r->files[r->depth++] = f;
    return ODS_OK;
}

static int zr_directive(ods_zreader_t *r, const ods_zentry_t *e, ods_err_t *err)
{
    const ods_ztoken_t *t = &e->tok[0];
    ods_err_t e2;
    if (ods_ztoken_is(t, "$ORIGIN")) {
        size_t len;
        if (e->ntok != 2)
            return zr_fail(r, e->line, ODS_EPARSE, err, "$ORIGIN needs exactly one name");
        uint8_t name[ODS_NAME_MAX_LEN];
        if (ods_dns_name_parse(&e->tok[1], r->origin, name, &len, &e2) != ODS_OK)
            return zr_fail(r, e->line, ODS_EPARSE, err, e2.msg);
        memcpy(r->origin, name, len);
        return ODS_OK;
    }
    if (ods_ztoken_is(t, "$TTL")) {
        if (e->ntok != 2 || ods_dns_ttl_parse(&e->tok[1], &r->default_ttl) != ODS_OK)
            return zr_fail(r, e->line, ODS_EPARSE, err,
                           "$TTL needs one TTL (seconds, or units such as 1h, 2d)");
        r->have_default_ttl = 1;
        return ODS_OK;
    }
    if (ods_ztoken_is(t, "$INCLUDE"))
        return zr_include(r, e, err);
    char msg[256];
    snprintf(msg, sizeof(msg), "unsupported directive %.*s (expand it before signing)", (int)t->len,
             t->text);
    return zr_fail(r, e->line, ODS_EPARSE, err, msg);
}

/* A class mnemonic other than IN (RFC 1035 3.2.4, RFC 3597 5: CLASSnnn). */
static bool zr_other_class(const ods_ztoken_t *t)
{
    if (ods_ztoken_is(t, "CH") || ods_ztoken_is(t, "HS") || ods_ztoken_is(t, "CS") ||
        ods_ztoken_is(t, "ANY") || ods_ztoken_is(t, "NONE"))
        return true;
    if (t->quoted || t->len < 6 || strncasecmp(t->text, "CLASS", 5) != 0)
        return false;
    for (size_t i = 5; i < t->len; i++)
        if (!isdigit((unsigned char)t->text[i]))
            return false;
    return true;
}

/* Meta-types and query types (RFC 6895 3.1) and type 0 have no place in a zone. */
static bool zr_meta_type(uint16_t type)
{
    return type == 0 || type == LDNS_RR_TYPE_OPT || (type >= 128 && type <= 255);
}

/* Fail with a message quoting the token: before 'token' after. */
static int zr_fail_tok(ods_zreader_t *r, unsigned line, ods_err_t *err, const char *before,
                       const ods_ztoken_t *t, const char *after)
{
    char msg[600];
    snprintf(msg, sizeof(msg), "%s'%.*s'%s", before, (int)(t->len > 200 ? 200 : t->len), t->text,
             after);
    return zr_fail(r, line, ODS_EPARSE, err, msg);
}

/* TTL and class, in either order; *i is left at the type. */
static int zr_ttl_class(ods_zreader_t *r, const ods_zentry_t *e, size_t *i, uint32_t *ttl,
                        int *have_ttl, ods_err_t *err)
{
    int have_class = 0;
    for (; *i < e->ntok; (*i)++) {
        const ods_ztoken_t *t = &e->tok[*i];
        if (!*have_ttl && ods_dns_ttl_parse(t, ttl) == ODS_OK) {
            *have_ttl = 1;
        } else if (!have_class && (ods_ztoken_is(t, "IN") || ods_ztoken_is(t, "CLASS1"))) {
            have_class = 1;
        } else if (!have_class && zr_other_class(t)) {
            return zr_fail_tok(r, e->line, err, "class ", t, ": only class IN is supported");
        } else if (!t->quoted && t->len > 0 && isdigit((unsigned char)t->text[0])) {
            if (*have_ttl)
                return zr_fail_tok(r, e->line, err, "expected a record type, found ", t, "");
            return zr_fail_tok(r, e->line, err, "bad TTL ", t,
                               " (at most 2147483647 seconds, or units such as 1h30m)");
        } else {
            return ODS_OK;
        }
    }
    return ODS_OK;
}

/* Owner, TTL, class and type; returns the index of the first RDATA token. */
static int zr_header(ods_zreader_t *r, const ods_zentry_t *e, ods_zrr_t *rr, size_t *first,
                     ods_err_t *err)
{
    size_t i = 0;
    ods_err_t e2;
    if (!e->blank_owner) {
        size_t len;
        if (ods_dns_name_parse(&e->tok[0], r->origin, r->owner, &len, &e2) != ODS_OK)
            return zr_fail(r, e->line, ODS_EPARSE, err, e2.msg);
        r->have_owner = 1;
        i = 1;
    } else if (!r->have_owner) {
        return zr_fail(r, e->line, ODS_EPARSE, err,
                       "record starts with white space but there is no previous owner name");
    }
    int have_ttl = 0;
    int rc = zr_ttl_class(r, e, &i, &rr->ttl, &have_ttl, err);
    if (rc != ODS_OK)
        return rc;
    if (i >= e->ntok)
        return zr_fail(r, e->line, ODS_EPARSE, err, "record has no type");
    if (ods_dns_type_parse(&e->tok[i], &rr->type) != ODS_OK)
        return zr_fail_tok(r, e->line, err, "unknown record type ", &e->tok[i],
                           " (use TYPEnnn and \\# for unknown types)");
    if (zr_meta_type(rr->type))
        return zr_fail_tok(r, e->line, err, "record type ", &e->tok[i],
                           " is a meta-type or query type: it cannot appear in a zone");
    if (have_ttl) {
        r->last_ttl = rr->ttl;
        r->have_last_ttl = 1;
    } else if (r->have_default_ttl) {
        rr->ttl = r->default_ttl;
    } else if (r->have_last_ttl) {
        rr->ttl = r->last_ttl;
    } else {
        if (!r->warned_ttl)
            zr_warn(r, e->line,
                    "no TTL and no $TTL before this record: using 3600 as "
                    "OpenDNSSEC does (add $TTL at the top of the file)");
        r->warned_ttl = 1;
        rr->ttl = ZR_DEFAULT_TTL;
    }
    *first = i + 1;
    return ODS_OK;
}

/* Types our own converters do not handle: let ldns parse the whole line. */
static int zr_ldns_rdata(ods_zreader_t *r, const ods_zentry_t *e, const ods_zrr_t *rr, size_t first,
                         ods_err_t *err)
{
    /* ldns drops the fields around a stray \# without a word */
    for (size_t i = first + 1; i < e->ntok; i++)
        if (!e->tok[i].quoted && e->tok[i].len == 2 && memcmp(e->tok[i].text, "\\#", 2) == 0)
            return zr_fail(r, e->line, ODS_EPARSE, err,
                           "\\# (RFC 3597) must be the first field of the record data");
    ods_buf_t line = ODS_BUF_INIT;
    int rc = ods_name_append_text(&line, rr->owner);
    rc = rc ? rc : ods_buf_printf(&line, " %u IN ", rr->ttl);
    char *ts = ldns_rr_type2str((ldns_rr_type)rr->type);
    rc = rc ? rc : ods_buf_printf(&line, "%s", ts ? ts : "");
    free(ts);
    for (size_t i = first; rc == ODS_OK && i < e->ntok; i++) {
        const ods_ztoken_t *t = &e->tok[i];
        rc = t->quoted ? ods_buf_printf(&line, " \"%.*s\"", (int)t->len, t->text)
                       : ods_buf_printf(&line, " %.*s", (int)t->len, t->text);
    }
    if (rc != ODS_OK || ods_buf_cstr(&line) == NULL) {
        ods_buf_free(&line);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    ldns_rr *lrr = NULL;
    ldns_rdf *origin =
        ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, ods_name_len(r->origin), r->origin);
    ldns_status st = ldns_rr_new_frm_str(&lrr, (const char *)line.data, rr->ttl, origin, NULL);
    ldns_rdf_deep_free(origin);
    ods_buf_free(&line);
    if (st != LDNS_STATUS_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "bad record data: %s", ldns_get_errorstr_by_id(st));
        return zr_fail(r, e->line, ODS_EPARSE, err, msg);
    }
    ldns_buffer *b = ldns_buffer_new(512);
    st = b ? ldns_rr_rdata2buffer_wire(b, lrr) : LDNS_STATUS_MEM_ERR;
    ldns_rr_free(lrr);
    if (st == LDNS_STATUS_OK)
        rc = ods_buf_append(&r->rdata, ldns_buffer_begin(b), ldns_buffer_position(b));
    ldns_buffer_free(b);
    if (st != LDNS_STATUS_OK || rc != ODS_OK)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    /* what ldns accepted must be complete (it lets some truncated records through) */
    if (!ods_rdata_wire_valid(rr->type, r->rdata.data, r->rdata.len))
        return zr_fail(r, e->line, ODS_EPARSE, err, "bad record data: fields are missing");
    return ODS_OK;
}

static int zr_record(ods_zreader_t *r, const ods_zentry_t *e, ods_zrr_t *rr, ods_err_t *err)
{
    size_t first = 0;
    int rc = zr_header(r, e, rr, &first, err);
    if (rc != ODS_OK)
        return rc;
    rr->owner = r->owner;
    ods_buf_reset(&r->rdata);
    ods_err_t e2;
    rc = ods_rdata_from_text(rr->type, e->tok + first, e->ntok - first, r->origin, &r->rdata, &e2);
    if (rc == ODS_EMECH) {
        ods_buf_reset(&r->rdata);
        rc = zr_ldns_rdata(r, e, rr, first, err);
        if (rc != ODS_OK)
            return rc;
    } else if (rc != ODS_OK) {
        return zr_fail(r, e->line, rc == ODS_ENOMEM ? ODS_ENOMEM : ODS_EPARSE, err, e2.msg);
    }
    if (r->rdata.len > 65535)
        return zr_fail(r, e->line, ODS_EPARSE, err, "record data longer than 65535 octets");
    rr->rdata = r->rdata.data;
    rr->rdlen = (uint16_t)r->rdata.len;
    rr->file = zr_cur(r)->path;
    rr->line = e->line;
    return ODS_OK;
}

/* End of an included file: pop it and restore the origin and the owner. */
static void zr_pop(ods_zreader_t *r)
{
    zr_file_t *f = zr_cur(r);
    r->lines += f->lex.line;
    memcpy(r->origin, f->origin, ods_name_len(f->origin));
    memcpy(r->owner, f->owner, sizeof(r->owner));
    r->have_owner = f->have_owner;
    zr_file_free(f);
    r->files[--r->depth] = NULL;
}

int ods_zreader_next(ods_zreader_t *r, ods_zrr_t *rr, ods_err_t *err)
{
    for (;;) {
        if (r->depth == 0)
            return 0;
        ods_zentry_t e;
        ods_err_t e2;
        int rc = ods_zlex_next(&zr_cur(r)->lex, &e, &e2);
        if (rc < 0)
            return zr_fail(r, zr_cur(r)->lex.err_line, rc, err, e2.msg);
        if (rc == 0) {
            if (r->depth == 1) {
                r->lines += zr_cur(r)->lex.line;
                zr_file_free(r->files[0]);
                r->files[0] = NULL;
                r->depth = 0;
                return 0;
            }
            zr_pop(r);
            continue;
        }
        if (!e.blank_owner && e.tok[0].len > 0 && e.tok[0].text[0] == '$' && !e.tok[0].quoted) {
            rc = zr_directive(r, &e, err);
            if (rc != ODS_OK)
                return rc;
            continue;
        }
        rc = zr_record(r, &e, rr, err);
        return rc == ODS_OK ? 1 : rc;
    }
}
