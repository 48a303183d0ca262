#include "conf/schema.h"

/* Generated from the .rng files in conf/ by scripts/embed-file.py (see meson.build). */
extern const unsigned char ods_embed_conf_rng[];
extern const size_t ods_embed_conf_rng_len;
extern const unsigned char ods_embed_kasp_rng[];
extern const size_t ods_embed_kasp_rng_len;
extern const unsigned char ods_embed_zonelist_rng[];
extern const size_t ods_embed_zonelist_rng_len;
extern const unsigned char ods_embed_signconf_rng[];
extern const size_t ods_embed_signconf_rng_len;

const char *ods_schema_text(ods_schema_t id, size_t *len)
{
    const unsigned char *text;
    size_t n;
    switch (id) {
    case ODS_SCHEMA_CONF:
        text = ods_embed_conf_rng, n = ods_embed_conf_rng_len;
        break;
    case ODS_SCHEMA_KASP:
        text = ods_embed_kasp_rng, n = ods_embed_kasp_rng_len;
        break;
    case ODS_SCHEMA_ZONELIST:
        text = ods_embed_zonelist_rng, n = ods_embed_zonelist_rng_len;
        break;
    case ODS_SCHEMA_SIGNCONF:
        text = ods_embed_signconf_rng, n = ods_embed_signconf_rng_len;
        break;
    default:
        return NULL;
    }
    if (len != NULL)
        *len = n;
    return (const char *)text;
}

const char *ods_schema_name(ods_schema_t id)
{
    switch (id) {
    case ODS_SCHEMA_CONF:
        return "conf.rng";
    case ODS_SCHEMA_KASP:
        return "kasp.rng";
    case ODS_SCHEMA_ZONELIST:
        return "zonelist.rng";
    case ODS_SCHEMA_SIGNCONF:
        return "signconf.rng";
    default:
        return "?";
    }
}
