#include "dns/zwrite.h"
#include "dns/rdprint.h"
#include "dnssec/name.h"
#include "dnssec/nsec3.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <string.h>

#define FLUSH_AT (1u << 20)

typedef struct zw {
    FILE *fp;
    ods_buf_t buf;
    size_t nrr;
    int rc;
} zw_t;

static void zw_flush(zw_t *w, int force)
{
    if (w->fp == NULL || w->rc != ODS_OK || (!force && w->buf.len < FLUSH_AT))
        return;
    if (w->buf.len > 0 && fwrite(w->buf.data, 1, w->buf.len, w->fp) != w->buf.len)
        w->rc = ODS_EIO;
    ods_buf_reset(&w->buf);
}

static void zw_rrset(zw_t *w, const char *owner, size_t olen, const ods_rrset_t *s)
{
    uint32_t off = 0;
    const uint8_t *rd;
    uint16_t len;
    while (w->rc == ODS_OK && ods_rrset_next(s, &off, &rd, &len)) {
        w->rc = ods_rr_append_text_owner(&w->buf, owner, olen, s->ttl, s->type, rd, len);
        w->nrr++;
    }
    for (uint16_t i = 0; w->rc == ODS_OK && i < s->nsigs; i++) {
        w->rc = ods_rr_append_text_owner(&w->buf, owner, olen, s->ttl, LDNS_RR_TYPE_RRSIG,
                                         s->sigs[i].rdata, s->sigs[i].len);
        w->nrr++;
    }
    zw_flush(w, 0);
}

/* The owner's presentation form, made once for all its RRs. */
static size_t zw_owner(const uint8_t *owner, char *text, size_t size)
{
    if (ods_name_to_text(owner, text, size) != ODS_OK)
        return 0;
    return strlen(text);
}

static void zw_nsec3(zw_t *w, const ods_zone_t *z, const ods_znsec3_t *r)
{
    uint8_t owner[ODS_NAME_MAX_LEN];
    size_t len;
    char text[ODS_NAME_TEXT_MAX];
    size_t tl;
    if (ods_nsec3_owner(r->hash, sizeof(r->hash), ods_zone_apex(z), owner, &len) != ODS_OK ||
        (tl = zw_owner(owner, text, sizeof(text))) == 0) {
        w->rc = ODS_EINVAL;
        return;
    }
    zw_rrset(w, text, tl, &r->rrset);
}

size_t ods_zone_write_items(const ods_zone_t *z)
{
    return ods_zone_count(z) + ods_zone_nsec3_count(z);
}

static const ods_rrset_t *zw_soa(const ods_zone_t *z)
{
    const ods_zname_t *apex = ods_zone_apex_name(z);
    return apex ? ods_zname_rrset(apex, LDNS_RR_TYPE_SOA) : NULL;
}

int ods_zone_format_soa(const ods_zone_t *z, ods_buf_t *out, size_t *nrr)
{
    zw_t w = { .buf = *out, .rc = ODS_OK };
    const ods_rrset_t *soa = zw_soa(z);
    char text[ODS_NAME_TEXT_MAX];
    size_t tl;
    if (soa != NULL && (tl = zw_owner(ods_zone_apex_name(z)->owner, text, sizeof(text))) > 0)
        zw_rrset(&w, text, tl, soa);
    *out = w.buf;
    *nrr += w.nrr;
    return w.rc;
}

int ods_zone_format_items(const ods_zone_t *z, size_t from, size_t to, ods_buf_t *out, size_t *nrr)
{
    zw_t w = { .buf = *out, .rc = ODS_OK };
    const ods_rrset_t *soa = zw_soa(z);
    size_t names = ods_zone_count(z);
    char text[ODS_NAME_TEXT_MAX];
    size_t tl;
    for (size_t i = from; w.rc == ODS_OK && i < to && i < names; i++) {
        const ods_zname_t *n = ods_zone_name(z, i);
        if (n->nrrsets == 0)
            continue;
        if ((tl = zw_owner(n->owner, text, sizeof(text))) == 0) {
            w.rc = ODS_EINVAL;
            break;
        }
        for (uint16_t k = 0; w.rc == ODS_OK && k < n->nrrsets; k++)
            if (&n->rrsets[k] != soa)
                zw_rrset(&w, text, tl, &n->rrsets[k]);
    }
    for (size_t i = from > names ? from : names; w.rc == ODS_OK && i < to; i++) {
        const ods_znsec3_t *r = ods_zone_nsec3(z, i - names);
        if (r == NULL)
            break;
        zw_nsec3(&w, z, r);
    }
    *out = w.buf;
    *nrr += w.nrr;
    return w.rc;
}

int ods_zone_write(const ods_zone_t *z, FILE *fp, size_t *nrr, ods_err_t *err)
{
    zw_t w = { .fp = fp, .buf = ODS_BUF_INIT, .rc = ODS_OK };
    size_t items = ods_zone_write_items(z);
    w.rc = ods_zone_format_soa(z, &w.buf, &w.nrr);
    for (size_t i = 0; w.rc == ODS_OK && i < items; i += 256) {
        w.rc = ods_zone_format_items(z, i, i + 256, &w.buf, &w.nrr);
        zw_flush(&w, 0);
    }
    zw_flush(&w, 1);
    ods_buf_free(&w.buf);
    if (w.rc == ODS_EIO)
        return ods_err_set(err, ODS_EIO, "cannot write the zone: %s", strerror(errno));
    if (w.rc != ODS_OK)
        return ods_err_set(err, w.rc, "cannot format the zone: %s", ods_strerror(w.rc));
    if (nrr != NULL)
        *nrr = w.nrr;
    return ODS_OK;
}
