#include "helpers.h"

#include "dns/zreader.h"
#include "dnssec/name.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];

const char *dt_dir(void)
{
    if (dir[0] == '\0') {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/ods-dnstest-XXXXXX", t && *t ? t : "/tmp");
        if (mkdtemp(dir) == NULL) {
            perror("mkdtemp");
            exit(2);
        }
    }
    return dir;
}

void dt_cleanup(void)
{
    if (dir[0] == '\0' || getenv("ODS_TEST_KEEP") != NULL)
        return;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    dir[0] = '\0';
}

const char *dt_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dt_dir(), name);
    return path;
}

const char *dt_write(const char *name, const char *text)
{
    const char *path = dt_path(name);
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
    return path;
}

int dt_run(const char *cmd, char **out)
{
    char full[8192];
    snprintf(full, sizeof(full), "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (p == NULL)
        return -1;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024) {
            char *g = realloc(buf, cap * 2);
            if (g == NULL)
                break;
            buf = g;
            cap *= 2;
        }
    }
    if (buf != NULL)
        buf[len] = '\0';
    int st = pclose(p);
    if (out != NULL)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

bool dt_have(const char *prog)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null", prog);
    return dt_run(cmd, NULL) == 0;
}

void dt_name_to(const char *text, uint8_t *out)
{
    size_t len;
    ods_err_t err;
    if (ods_name_from_text(text, strlen(text), out, &len, &err) != ODS_OK) {
        fprintf(stderr, "bad test name %s: %s\n", text, err.msg);
        exit(2);
    }
}

const uint8_t *dt_name(const char *text)
{
    static uint8_t ring[8][255];
    static unsigned at;
    uint8_t *out = ring[at++ % 8];
    dt_name_to(text, out);
    return out;
}

const char *dt_ntext(const uint8_t *wire)
{
    static char ring[8][ODS_NAME_TEXT_MAX];
    static unsigned at;
    char *out = ring[at++ % 8];
    if (ods_name_to_text(wire, out, ODS_NAME_TEXT_MAX) != ODS_OK)
        snprintf(out, ODS_NAME_TEXT_MAX, "(bad name)");
    return out;
}

const char *dt_hex(const uint8_t *p, size_t n)
{
    static char ring[4][8192];
    static unsigned at;
    char *out = ring[at++ % 4];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 < sizeof(ring[0]); i++)
        k += (size_t)snprintf(out + k, 4, "%02x", p[i]);
    out[k] = '\0';
    return out;
}

static void collect_warn(void *arg, const char *msg)
{
    dt_read_t *res = arg;
    size_t len = strlen(res->warn);
    res->nwarn++;
    snprintf(res->warn + len, sizeof(res->warn) - len, "%s\n", msg);
}

void dt_read_file(const char *path, const char *origin, dt_read_t *res)
{
    memset(res, 0, sizeof(*res));
    ods_zreader_t *r = NULL;
    ods_err_t err = { 0 };
    res->rc = ods_zreader_open(path, dt_name(origin), &r, &err);
    if (res->rc != ODS_OK) {
        snprintf(res->err, sizeof(res->err), "%s", err.msg);
        return;
    }
    ods_zreader_set_warn(r, collect_warn, res);
    size_t cap = 0;
    ods_zrr_t rr;
    int rc;
    while ((rc = ods_zreader_next(r, &rr, &err)) == 1) {
        if (res->n == cap) {
            cap = cap ? cap * 2 : 16;
            res->rr = realloc(res->rr, cap * sizeof(*res->rr));
        }
        dt_rr_t *d = &res->rr[res->n++];
        memcpy(d->owner, rr.owner, ods_name_len(rr.owner));
        d->type = rr.type;
        d->ttl = rr.ttl;
        d->rdlen = rr.rdlen;
        d->rdata = malloc(rr.rdlen + 1u);
        if (rr.rdlen > 0)
            memcpy(d->rdata, rr.rdata, rr.rdlen);
        snprintf(d->file, sizeof(d->file), "%s", rr.file);
        d->line = rr.line;
    }
    res->rc = rc < 0 ? rc : 0;
    if (rc < 0)
        snprintf(res->err, sizeof(res->err), "%s", err.msg);
    ods_zreader_free(r);
}

void dt_read_free(dt_read_t *res)
{
    for (size_t i = 0; i < res->n; i++)
        free(res->rr[i].rdata);
    free(res->rr);
    res->rr = NULL;
    res->n = 0;
}

bool dt_ldns_rr(const char *line, const char *origin, uint32_t default_ttl, dt_rr_t *out, char *why,
                size_t whylen)
{
    ldns_rdf *o = ldns_dname_new_frm_str(origin);
    ldns_rr *rr = NULL;
    ldns_status st = ldns_rr_new_frm_str(&rr, line, default_ttl, o, NULL);
    ldns_rdf_deep_free(o);
    if (st != LDNS_STATUS_OK) {
        snprintf(why, whylen, "%s", ldns_get_errorstr_by_id(st));
        return false;
    }
    ldns_buffer *b = ldns_buffer_new(512);
    memset(out, 0, sizeof(*out));
    ldns_rdf *own = ldns_rr_owner(rr);
    memcpy(out->owner, ldns_rdf_data(own), ldns_rdf_size(own));
    out->type = (uint16_t)ldns_rr_get_type(rr);
    out->ttl = ldns_rr_ttl(rr);
    st = ldns_rr_rdata2buffer_wire(b, rr);
    out->rdlen = (uint16_t)ldns_buffer_position(b);
    out->rdata = malloc(out->rdlen + 1u);
    if (out->rdlen > 0)
        memcpy(out->rdata, ldns_buffer_begin(b), out->rdlen);
    ldns_buffer_free(b);
    ldns_rr_free(rr);
    if (st != LDNS_STATUS_OK) {
        snprintf(why, whylen, "ldns cannot write the wire form: %s", ldns_get_errorstr_by_id(st));
        free(out->rdata);
        return false;
    }
    return true;
}

static uint64_t rng;

uint64_t dt_seed(void)
{
    const char *s = getenv("ODS_TEST_SEED");
    uint64_t seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
    rng = seed ? seed : 1;
    printf("# seed %llu (replay with ODS_TEST_SEED=%llu)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    return seed;
}

uint64_t dt_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

unsigned dt_below(unsigned n)
{
    return n ? (unsigned)(dt_rand() % n) : 0;
}

int dt_zone_load(ods_zone_t *z, const char *path, dt_read_t *res)
{
    ods_err_t err = { 0 };
    memset(res, 0, sizeof(*res));
    res->rc = ods_zone_load(z, path, collect_warn, res, &err);
    if (res->rc != ODS_OK)
        snprintf(res->err, sizeof(res->err), "%s", err.msg);
    return res->rc;
}

/* Records whose wire form must equal ldns's (origin example., default TTL 300). */
const char *const dt_corpus[] = {
    "a A 192.0.2.1",
    "a IN A 0.0.0.0",
    "a 60 IN A 255.255.255.255",
    "a AAAA ::",
    "a AAAA ::ffff:192.0.2.1",
    "a AAAA 2001:DB8:0:0:0:0:0:1",
    "a aaaa fe80::1",
    "a NS ns1",
    "a NS ns1.example.net.",
    "a CNAME @",
    "a DNAME other.",
    "1.2 PTR host\\.with\\.dots.example.",
    "a PTR \\\\back.slash.",
    "a NS .",
    "a MX 0 .",
    "a MX 65535 mail",
    "_sip._tcp SRV 0 5 5060 sip.example.net.",
    "_x._udp SRV 65535 65535 65535 @",
    "a TXT \"\"",
    "a TXT \"v=spf1 -all\"",
    "a TXT \"a\" \"b\" \"c\"",
    "a TXT unquoted",
    "a TXT \"\\\"quoted\\\"\"",
    "a TXT \"\\\\\"",
    "a TXT \"\\000\\255\\127\"",
    "a TXT \"semi;colon (paren)\"",
    "a TXT \"x\\ y\"",
    "a TXT \"tab\tinside\"",
    "a TXT \"\\065\\066C\"",
    "a SPF \"v=spf1 mx -all\"",
    "@ SOA ns1 host.example. 2026010101 3600 900 604800 300",
    "@ SOA ns1.example.net. hostmaster 4294967295 1h 15m 1w 5m",
    "a DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE49FD46E6C4B45C55D4AC69CB",
    "a DS 1 13 1 49fd46e6c4b45c55d4ac69cbd3cd34ac1afe51de",
    "a DS 1 RSASHA256 2 abcdef",
    "a CDS 0 0 0 00",
    "a DNSKEY 257 3 13 "
    "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
    "a DNSKEY 256 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3 "
    "+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kv "
    "ArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF "
    "0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+e "
    "oZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfd "
    "RUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwN R1AkUTV74bU=",
    "a CDNSKEY 0 3 0 AA==",
    "a DNSKEY 256 3 ECDSAP256SHA256 AQID",
    "a RRSIG A 13 2 300 20260101000000 20251201000000 12345 example. AQIDBA==",
    "a RRSIG NSEC 8 2 300 1767225600 1764547200 1 example. AQIDBA==",
    "a RRSIG TYPE65280 13 2 0 20260101000000 20251201000000 65535 Example. AQID",
    "a NSEC b.example. A RRSIG NSEC TYPE65000",
    "a NSEC a.example.",
    "a NSEC \\000.a.example. NS DS RRSIG NSEC",
    "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 1 12 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s A "
    "RRSIG",
    "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S",
    "@ NSEC3PARAM 1 0 0 -",
    "@ NSEC3PARAM 1 0 10 abcd",
    "a TYPE65280 \\# 4 0a000001",
    "a TYPE65280 \\# 0",
    "a TYPE1 \\# 4 c0000201",
    /* types only ldns parses */
    "a CAA 0 issue \"letsencrypt.org\"",
    "a CAA 128 tbs \"Unknown\"",
    "a CAA 0 iodef \"mailto:security@example.com\"",
    "a SSHFP 1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
    "a SSHFP 4 2 ( 123456789abcdef67890123456789abcdef67890123456789abcdef123456789 )",
    "_443._tcp TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6",
    "a NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .",
    "a NAPTR 100 50 \"s\" \"http+I2L+I2C+I2R\" \"\" _http._tcp",
    "a HINFO \"Generic PC\" \"Linux\"",
    "a HINFO x86 unix",
    "a LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
    "a LOC 42 21 54 N 71 06 18 W -24m 30m",
    "a SVCB 1 . alpn=h2,h3 port=8443",
    "a HTTPS 1 . alpn=h2 ipv4hint=192.0.2.1",
    "a HTTPS 0 svc.example.",
    "a URI 10 1 \"https://www.example.com/\"",
    "a RP mbox.example. txt.example.",
    "a AFSDB 1 afs.example.",
    "a KX 10 kx",
    "a CERT 1 0 0 AQID",
    "a DHCID AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
    "a OPENPGPKEY AQIDBAUG",
    "a SMIMEA 3 1 1 aabbcc",
    "a CSYNC 66 3 A NS AAAA",
    "@ ZONEMD 2018031900 1 1 "
    "c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27777f98b8e73004"
    "4c",
    "a EUI48 00-00-5e-00-53-2a",
    "a EUI64 00-00-5e-ef-10-00-00-2a",
    "a L32 10 10.1.2.0",
    "a L64 10 2001:0db8:1140:1000",
    "a NID 10 0014:4fff:ff20:ee64",
    "a LP 10 l64-subnet1",
    "a APL 1:192.168.32.0/21 !1:192.168.38.0/28",
    "a IPSECKEY 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
    "a RT 0 relay",
    "a MINFO rmail emailbx",
    "a MB mb",
    "a MG mg",
    "a MR mr",
    "a X25 \"311061700956\"",
    "a ISDN \"150862028003217\" \"004\"",
    "a GPOS -32.6882 116.8652 10.0",
    "a NSAP 0x47.0005.80.005a00.0000.0001.e133.ffffff000161.00",
    "a PX 10 net2.it. PRMD-net2.ADMD-p400.C-it.",
    "a TYPE260 \\# 3 000102",
};

const size_t dt_corpus_len = sizeof(dt_corpus) / sizeof(dt_corpus[0]);
