/*
 * signconf.h -- the signer configuration of one zone: what the enforcer
 * writes and the signer reads (OpenDNSSEC's signconf format; schema
 * conf/signconf.rng). A signconf written by OpenDNSSEC 2.1's enforcer loads
 * unchanged.
 *
 * Loading validates the file and checks the values (zone name, salt and
 * locator in hex, every key has a Locator or a ResourceRecord). Errors name
 * the file and line. Writing is atomic (temporary file, fsync, rename), so
 * the signer never reads half a file; loading what was written gives the
 * same values.
 *
 * Ownership: ods_signconf_new/ods_signconf_load return objects owned by
 * the caller, freed with ods_signconf_free; all strings and arrays belong
 * to the object. Not thread-safe per object; read-only use from several
 * threads is safe.
 */
#ifndef ODS_CONF_SIGNCONF_H
#define ODS_CONF_SIGNCONF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/params.h"
#include "util/status.h"

#define ODS_SIGNCONF_MAX_SALT 255

typedef struct ods_signconf_key {
    uint16_t flags;        /* DNSKEY flags: 257 (KSK, CSK) or 256 (ZSK) */
    uint8_t algorithm;     /* DNSSEC algorithm number */
    char *locator;         /* CKA_ID in lower-case hex; NULL if absent */
    int ksk;               /* KSK: signs the DNSKEY RRset */
    int zsk;               /* ZSK: signs the other RRsets */
    int publish;           /* Publish: the DNSKEY goes into the zone */
    int deactivate;        /* Deactivate: do not reuse this key's signatures */
    char *resource_record; /* ResourceRecord: base64 DNSKEY (key not in the HSM); or NULL */
} ods_signconf_key_t;

typedef struct ods_signconf {
    char *zone;      /* normalised zone name */
    int passthrough; /* Passthrough: copy the zone unsigned, only bump the serial */

    /* Signatures (seconds) */
    int64_t resign;
    int64_t refresh;
    int64_t validity_default;
    int64_t validity_denial;
    int64_t validity_keyset; /* 0 when absent: validity_default applies */
    int64_t jitter;
    int64_t inception_offset;
    int64_t max_zone_ttl; /* 0 when absent */

    /* Denial */
    int denial;                /* ODS_DENIAL_NSEC or ODS_DENIAL_NSEC3 */
    int nsec3_optout;          /* OptOut */
    int64_t nsec3_ttl;         /* NSEC3PARAM TTL; 0 when absent */
    uint8_t nsec3_algorithm;   /* Hash/Algorithm */
    uint16_t nsec3_iterations; /* Hash/Iterations */
    uint8_t nsec3_salt[ODS_SIGNCONF_MAX_SALT];
    size_t nsec3_salt_len; /* 0 = no salt */

    /* Keys */
    int64_t keys_ttl; /* DNSKEY TTL */
    ods_signconf_key_t *keys;
    size_t n_keys;
    char **signature_rrs; /* SignatureResourceRecord (base64 RRSIGs over the DNSKEY set) */
    size_t n_signature_rrs;

    /* SOA */
    int64_t soa_ttl;
    int64_t soa_minimum;
    int serial; /* ODS_SERIAL_* */

    time_t mtime; /* modification time of the file loaded; 0 if not loaded */
} ods_signconf_t;

/* An empty signconf (NULL when out of memory). */
ods_signconf_t *ods_signconf_new(void);
void ods_signconf_free(ods_signconf_t *sc);

/*
 * Load a signconf. On failure err holds "file:line: element: what is wrong"
 * for the first error (plus how many more) and *out is untouched. Returns
 * ODS_OK, ODS_EIO, ODS_EPARSE, ODS_ECONFIG or ODS_ENOMEM.
 */
int ods_signconf_load(const char *path, ods_signconf_t **out, ods_err_t *err);

/*
 * Write sc to path atomically, mode 0640 (for the signer's user or group,
 * not for everyone). ODS_EINVAL (err says why) if sc would not
 * load back: no zone name, bad serial or denial type, a key without
 * locator and resource record.
 */
int ods_signconf_write(const ods_signconf_t *sc, const char *path, ods_err_t *err);

/* Add a copy of key (locator and resource record copied). ODS_OK or ODS_ENOMEM. */
int ods_signconf_add_key(ods_signconf_t *sc, const ods_signconf_key_t *key);

#endif
