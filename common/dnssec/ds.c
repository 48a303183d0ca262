#include "dnssec/ds.h"
#include "dnssec/digest.h"
#include "dnssec/keytag.h"
#include "dnssec/name.h"
#include "util/status.h"

#include <string.h>

static ods_digest_t ds_digest(uint8_t digest_type)
{
    switch (digest_type) {
    case ODS_DS_SHA1:
        return ODS_DIGEST_SHA1;
    case ODS_DS_SHA256:
        return ODS_DIGEST_SHA256;
    case ODS_DS_SHA384:
        return ODS_DIGEST_SHA384;
    default:
        return ODS_DIGEST_NONE;
    }
}

size_t ods_ds_digest_len(uint8_t digest_type)
{
    return ods_digest_len(ds_digest(digest_type));
}

int ods_ds_rdata(const uint8_t *owner, const uint8_t *dnskey, size_t dnskey_len,
                 uint8_t digest_type, uint8_t *out, size_t *outlen)
{
    ods_digest_t d = ds_digest(digest_type);
    if (d == ODS_DIGEST_NONE)
        return ODS_EMECH;
    if (dnskey_len < 5)
        return ODS_EINVAL;
    uint8_t lowered[ODS_NAME_MAX_LEN];
    size_t olen = ods_name_to_lower(lowered, owner);
    uint8_t rdata[ODS_DS_RDATA_MAX];
    int rc = ods_digest2(d, lowered, olen, dnskey, dnskey_len, rdata + 4);
    if (rc != ODS_OK)
        return rc;
    uint16_t tag = ods_dnssec_keytag(dnskey, dnskey_len);
    rdata[0] = (uint8_t)(tag >> 8);
    rdata[1] = (uint8_t)tag;
    rdata[2] = dnskey[3];
    rdata[3] = digest_type;
    size_t len = 4 + ods_digest_len(d);
    memcpy(out, rdata, len);
    *outlen = len;
    return ODS_OK;
}
