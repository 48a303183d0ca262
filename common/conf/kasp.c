/* kasp.c -- read kasp.xml into ods_kasp_t (see kasp.h). */
#include "conf/kasp_internal.h"
#include "conf/xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    int role;
    const char *name;
    int minimize;
} rolltypes[] = {
    { ODS_ROLE_KSK, "KskDoubleRRset", 0 },
    { ODS_ROLE_KSK, "KskDoubleDS", ODS_MINIMIZE_DNSKEY },
    { ODS_ROLE_KSK, "KskDoubleSignature", ODS_MINIMIZE_DS },
    { ODS_ROLE_ZSK, "ZskDoubleSignature", 0 },
    { ODS_ROLE_ZSK, "ZskPrePublication", ODS_MINIMIZE_RRSIG },
    { ODS_ROLE_ZSK, "ZskDoubleRRsig", ODS_MINIMIZE_DNSKEY },
    { ODS_ROLE_CSK, "CskDoubleRRset", 0 },
    { ODS_ROLE_CSK, "CskSingleSignature", ODS_MINIMIZE_RRSIG },
    { ODS_ROLE_CSK, "CskDoubleDS", ODS_MINIMIZE_DNSKEY },
    { ODS_ROLE_CSK, "CskDoubleSignature", ODS_MINIMIZE_DS },
    { ODS_ROLE_CSK, "CskPrePublication", ODS_MINIMIZE_DS | ODS_MINIMIZE_RRSIG },
};
#define N_ROLLTYPES (sizeof(rolltypes) / sizeof(rolltypes[0]))

const char *ods_kasp_rolltype_name(int role, int minimize)
{
    for (size_t i = 0; i < N_ROLLTYPES; i++)
        if (rolltypes[i].role == role && rolltypes[i].minimize == minimize)
            return rolltypes[i].name;
    return NULL;
}

int ods_kasp_rolltype_parse(int role, const char *name)
{
    for (size_t i = 0; i < N_ROLLTYPES; i++)
        if (rolltypes[i].role == role && strcmp(rolltypes[i].name, name) == 0)
            return rolltypes[i].minimize;
    return -1;
}

/* The three key roles: element (and display) name, roll type element, default roll type. */
static const struct role_info {
    int role;
    const char *name;
    const char *rolltype_element;
    int minimize;
} roles[] = {
    { ODS_ROLE_KSK, "KSK", "KskRollType", ODS_MINIMIZE_DEFAULT_KSK },
    { ODS_ROLE_ZSK, "ZSK", "ZskRollType", ODS_MINIMIZE_DEFAULT_ZSK },
    { ODS_ROLE_CSK, "CSK", "CskRollType", ODS_MINIMIZE_DEFAULT_CSK },
};
#define N_ROLES (sizeof(roles) / sizeof(roles[0]))

/* The entry for role; the CSK entry for an unknown role (as a CSK has every bit). */
static const struct role_info *role_info(int role)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (roles[i].role == role)
            return &roles[i];
    return &roles[N_ROLES - 1];
}

const char *ods_kasp_rolltype_element(int role)
{
    return role_info(role)->rolltype_element;
}

const char *ods_role_name(int role)
{
    return role_info(role)->role == role ? role_info(role)->name : "?";
}

static void read_signatures(ods_xml_rd_t *rd, xmlNodePtr pol, ods_policy_t *p)
{
    xmlNodePtr s = ods_xml_get(rd, pol, "Signatures");
    ods_xml_get_duration(rd, s, "Resign", &p->resign);
    ods_xml_get_duration(rd, s, "Refresh", &p->refresh);
    ods_xml_get_duration(rd, s, "Validity/Default", &p->validity_default);
    ods_xml_get_duration(rd, s, "Validity/Denial", &p->validity_denial);
    ods_xml_get_duration(rd, s, "Validity/Keyset", &p->validity_keyset);
    ods_xml_get_duration(rd, s, "Jitter", &p->jitter);
    ods_xml_get_duration(rd, s, "InceptionOffset", &p->inception_offset);
    ods_xml_get_duration(rd, s, "MaxZoneTTL", &p->max_zone_ttl);
}

static void read_nsec3(ods_xml_rd_t *rd, xmlNodePtr n3, ods_policy_t *p)
{
    uint64_t v;
    p->denial = ODS_DENIAL_NSEC3;
    ods_xml_get_duration(rd, n3, "TTL", &p->nsec3_ttl);
    p->nsec3_optout = ods_xml_get_flag(rd, n3, "OptOut");
    ods_xml_get_duration(rd, n3, "Resalt", &p->nsec3_resalt);
    if (ods_xml_get_uint(rd, n3, "Hash/Algorithm", 255, &v) == 1)
        p->nsec3_algorithm = (int)v;
    if (ods_xml_get_uint(rd, n3, "Hash/Iterations", 65535, &v) == 1)
        p->nsec3_iterations = (int)v;
    xmlNodePtr salt = ods_xml_get(rd, n3, "Hash/Salt");
    char *len = NULL;
    if (salt == NULL || ods_xml_get_attr(salt, "length", &len) != 1)
        return;
    if (ods_xml_parse_uint(len, 255, &v) == ODS_OK)
        p->nsec3_salt_length = (int)v;
    else
        ods_xml_diag(rd, ODS_DIAG_ERROR, salt,
                     "Salt length '%s' is not a number of octets "
                     "(0..255; RFC 9276 recommends 0)",
                     len);
    free(len);
}

static void read_denial(ods_xml_rd_t *rd, xmlNodePtr pol, ods_policy_t *p)
{
    xmlNodePtr d = ods_xml_get(rd, pol, "Denial");
    xmlNodePtr n3 = ods_xml_get(rd, d, "NSEC3");
    if (n3 != NULL)
        read_nsec3(rd, n3, p);
    else if (ods_xml_get(rd, d, "NSEC") != NULL)
        p->denial = ODS_DENIAL_NSEC;
}

static void read_key_algorithm(ods_xml_rd_t *rd, xmlNodePtr kn, ods_policy_key_t *k)
{
    uint64_t v;
    if (ods_xml_get_uint(rd, kn, "Algorithm", 255, &v) == 1)
        k->algorithm = (int)v;
    xmlNodePtr alg = ods_xml_find(kn, "Algorithm");
    char *len = NULL;
    if (alg != NULL && ods_xml_get_attr(alg, "length", &len) == 1) {
        if (ods_xml_parse_uint(len, 65535, &v) == ODS_OK)
            k->bits = (int)v;
        else
            ods_xml_diag(rd, ODS_DIAG_ERROR, alg, "length '%s' is not a key size in bits", len);
        free(len);
    }
    const ods_kasp_alg_t *info = ods_kasp_alg(k->algorithm);
    if (k->bits == 0 && info != NULL && info->min_bits == info->max_bits)
        k->bits = info->min_bits;
}

static void read_key(ods_xml_rd_t *rd, xmlNodePtr kn, int role, ods_policy_key_t *k)
{
    uint64_t v;
    k->role = role;
    ods_xml_get(rd, kn, "");
    read_key_algorithm(rd, kn, k);
    ods_xml_get_duration(rd, kn, "Lifetime", &k->lifetime);
    if (ods_xml_get_text(rd, kn, "Repository", &k->repository) != 1)
        k->repository = strdup("");
    if (ods_xml_get_uint(rd, kn, "Standby", 1000, &v) == 1)
        k->standby = (int)v;
    k->manual_rollover = ods_xml_get_flag(rd, kn, "ManualRollover");
    k->rfc5011 = role != ODS_ROLE_ZSK && ods_xml_get_flag(rd, kn, "RFC5011");
    k->minimize = role_info(role)->minimize;
    char *rt = NULL;
    if (ods_xml_get_text(rd, kn, ods_kasp_rolltype_element(role), &rt) == 1) {
        int m = ods_kasp_rolltype_parse(role, rt);
        if (m >= 0)
            k->minimize = m;
        else
            ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(kn, ods_kasp_rolltype_element(role)),
                         "unknown roll type '%s' for a %s", rt, ods_role_name(role));
        free(rt);
    }
}

/* ODS_ROLE_* of a KSK, ZSK or CSK element; 0 for any other node. */
static int key_role(xmlNodePtr n)
{
    for (size_t i = 0; i < N_ROLES && n->type == XML_ELEMENT_NODE; i++)
        if (strcmp((const char *)n->name, roles[i].name) == 0)
            return roles[i].role;
    return 0;
}

static int read_keys(ods_xml_rd_t *rd, xmlNodePtr pol, ods_policy_t *p)
{
    xmlNodePtr keys = ods_xml_get(rd, pol, "Keys");
    ods_xml_get_duration(rd, keys, "TTL", &p->keys_ttl);
    ods_xml_get_duration(rd, keys, "RetireSafety", &p->retire_safety);
    ods_xml_get_duration(rd, keys, "PublishSafety", &p->publish_safety);
    p->share_keys = ods_xml_get_flag(rd, keys, "ShareKeys");
    ods_xml_get_duration(rd, keys, "Purge", &p->purge);
    size_t n = 0;
    for (xmlNodePtr k = keys ? keys->children : NULL; k; k = k->next)
        n += key_role(k) != 0;
    if (n == 0)
        return ODS_OK;
    if ((p->keys = calloc(n, sizeof(*p->keys))) == NULL)
        return ODS_ENOMEM;
    for (xmlNodePtr k = keys->children; k; k = k->next)
        if (key_role(k) != 0)
            read_key(rd, k, key_role(k), &p->keys[p->n_keys++]);
    return ODS_OK;
}

static void read_zone_parent(ods_xml_rd_t *rd, xmlNodePtr pol, ods_policy_t *p)
{
    xmlNodePtr z = ods_xml_get(rd, pol, "Zone");
    ods_xml_get_duration(rd, z, "PropagationDelay", &p->zone_propagation_delay);
    ods_xml_get_duration(rd, z, "SOA/TTL", &p->zone_soa_ttl);
    ods_xml_get_duration(rd, z, "SOA/Minimum", &p->zone_soa_minimum);
    char *serial = NULL;
    if (ods_xml_get_text(rd, z, "SOA/Serial", &serial) == 1) {
        p->serial = ods_serial_parse(serial);
        if (p->serial == 0)
            ods_xml_diag(rd, ODS_DIAG_ERROR, ods_xml_find(z, "SOA/Serial"),
                         "unknown serial type '%s': use counter, datecounter, unixtime or keep",
                         serial);
        free(serial);
    }
    xmlNodePtr par = ods_xml_get(rd, pol, "Parent");
    ods_xml_get_duration(rd, par, "PropagationDelay", &p->parent_propagation_delay);
    ods_xml_get_duration(rd, par, "DS/TTL", &p->parent_ds_ttl);
    ods_xml_get_duration(rd, par, "SOA/TTL", &p->parent_soa_ttl);
    ods_xml_get_duration(rd, par, "SOA/Minimum", &p->parent_soa_minimum);
    ods_xml_get_duration(rd, par, "RegistrationDelay", &p->parent_registration_delay);
}

static int read_policy(const char *file, xmlNodePtr pol, ods_policy_t *p, ods_diag_t *diag)
{
    char base[1024];
    ods_xml_path(pol, NULL, base, sizeof(base));
    p->purge = -1;
    p->src = ods_srcmap_new(file, base);
    if (p->src == NULL)
        return ODS_ENOMEM;
    ods_xml_rd_t rd = { file, diag, p->src, pol, 0 };
    ods_xml_get(&rd, pol, "");
    if (ods_xml_get_attr(pol, "name", &p->name) != 1)
        p->name = strdup("");
    if (ods_xml_get_text(&rd, pol, "Description", &p->description) != 1)
        p->description = strdup("");
    if (p->name == NULL || p->description == NULL)
        return ODS_ENOMEM;
    p->passthrough = ods_xml_get_flag(&rd, pol, "Passthrough");
    read_signatures(&rd, pol, p);
    read_denial(&rd, pol, p);
    int rc = read_keys(&rd, pol, p);
    read_zone_parent(&rd, pol, p);
    return rc;
}

static int read_policies(const char *file, xmlDocPtr doc, ods_kasp_t *kasp, ods_diag_t *diag)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    size_t n = ods_xml_count(root, "Policy");
    if (n == 0)
        return ODS_OK;
    if ((kasp->policies = calloc(n, sizeof(*kasp->policies))) == NULL)
        return ODS_ENOMEM;
    int rc = ODS_OK;
    for (xmlNodePtr p = ods_xml_child(root, "Policy"); p && rc == ODS_OK; p = ods_xml_next(p))
        rc = read_policy(file, p, &kasp->policies[kasp->n_policies++], diag);
    return rc;
}

/* What the kasp.xml loader reads into: the policies and the conf.xml they refer to. */
struct kasp_load {
    const ods_conf_t *conf;
    ods_kasp_t *kasp;
};

static int kasp_read(const char *file, xmlDocPtr doc, void *arg, ods_diag_t *diag)
{
    struct kasp_load *l = arg;
    if ((l->kasp = calloc(1, sizeof(*l->kasp))) == NULL || (l->kasp->path = strdup(file)) == NULL)
        return ODS_ENOMEM;
    return read_policies(file, doc, l->kasp, diag);
}

static int kasp_check(void *arg, ods_diag_t *diag)
{
    struct kasp_load *l = arg;
    for (size_t i = 0; i < l->kasp->n_policies; i++)
        ods_kasp_check_policy(&l->kasp->policies[i], l->conf, diag);
    ods_kasp_check_all(l->kasp, diag);
    return ODS_OK;
}

static const ods_xml_loader_t kasp_loader = { ODS_SCHEMA_KASP, kasp_read, kasp_check };

/* keep: hand out the object after errors too (ods_kasp_load_any). */
static int kasp_load(const char *path, const ods_conf_t *conf, ods_kasp_t **out, ods_diag_t *diag,
                     int keep)
{
    struct kasp_load l = { conf, NULL };
    int rc = ods_xml_load(path, &kasp_loader, &l, NULL, diag);
    if (l.kasp != NULL && (rc == ODS_OK || (keep && rc != ODS_ENOMEM))) {
        *out = l.kasp;
        return rc;
    }
    ods_kasp_free(l.kasp);
    return rc;
}

int ods_kasp_load(const char *path, const ods_conf_t *conf, ods_kasp_t **out, ods_diag_t *diag)
{
    return kasp_load(path, conf, out, diag, 0);
}

int ods_kasp_load_any(const char *path, const ods_conf_t *conf, ods_kasp_t **out, ods_diag_t *diag)
{
    return kasp_load(path, conf, out, diag, 1);
}

void ods_policy_clear(ods_policy_t *p)
{
    if (p == NULL)
        return;
    free(p->name);
    free(p->description);
    for (size_t i = 0; i < p->n_keys; i++)
        free(p->keys[i].repository);
    free(p->keys);
    ods_srcmap_free(p->src);
    memset(p, 0, sizeof(*p));
}

void ods_kasp_free(ods_kasp_t *kasp)
{
    if (kasp == NULL)
        return;
    for (size_t i = 0; i < kasp->n_policies; i++)
        ods_policy_clear(&kasp->policies[i]);
    free(kasp->policies);
    free(kasp->path);
    free(kasp);
}

const ods_policy_t *ods_kasp_find(const ods_kasp_t *kasp, const char *name)
{
    for (size_t i = 0; kasp != NULL && name != NULL && i < kasp->n_policies; i++)
        if (strcmp(kasp->policies[i].name, name) == 0)
            return &kasp->policies[i];
    return NULL;
}

void ods_kasp_key_path(const ods_policy_t *p, size_t index, char *buf, size_t len)
{
    int role = p->keys[index].role;
    size_t nth = 0, total = 0;
    for (size_t i = 0; i < p->n_keys; i++) {
        if (p->keys[i].role != role)
            continue;
        total++;
        if (i <= index)
            nth = total;
    }
    if (total > 1)
        snprintf(buf, len, "Keys/%s[%zu]", ods_role_name(role), nth);
    else
        snprintf(buf, len, "Keys/%s", ods_role_name(role));
}
