/*
 * enf_signconf.h -- a zone's signer configuration, made from its policy and
 * its keys' record states, and written atomically at the zone's
 * SignerConfiguration path.
 *
 * Every key of the zone is listed (OpenDNSSEC does the same; keys with no
 * flag are ignored by the signer) with Flags 257 for KSK and CSK roles, 256
 * otherwise, and <Publish/>, <KSK/>, <ZSK/> from the records
 * (engine/view.h, enf_key_flags). Timings, denial and SOA come from the
 * policy; the NSEC3 salt is the policy's current salt.
 *
 * Thread-safety: pure apart from the file written.
 */
#ifndef ENF_SIGNCONF_H
#define ENF_SIGNCONF_H

#include "conf/signconf.h"
#include "engine/model.h"
#include "enf_store_policy.h"

/* The signer configuration of zone z under policy r; *out owned by the caller. */
int enf_signconf_build(const enf_policy_rec_t *r, const enf_zone_t *z, ods_signconf_t **out,
                       ods_err_t *err);

/* Build and write it to path (creating its directory when missing). */
int enf_signconf_write(const enf_policy_rec_t *r, const enf_zone_t *z, const char *path,
                       ods_err_t *err);

#endif
