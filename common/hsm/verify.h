/*
 * verify.h -- check a DNSSEC signature in software (OpenSSL), independently
 * of the HSM: the public key comes from DNSKEY RDATA, as a validator sees it.
 * Used by the self test; pure and thread-safe.
 */
#ifndef ODS_HSM_VERIFY_H
#define ODS_HSM_VERIFY_H

#include "util/status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Verify sig over data with the key of a DNSKEY RDATA (its algorithm field
 * selects the scheme: 5, 7, 8, 10, 13, 14, 15, 16). Returns ODS_OK when the
 * signature is valid; ODS_EINVAL with "does not verify" when it is not, or
 * with another message for malformed input; ODS_EMECH for other algorithms.
 */
int ods_hsm_verify(const uint8_t *rdata, size_t rdlen, const uint8_t *data, size_t len,
                   const uint8_t *sig, size_t siglen, ods_err_t *err);

#endif
