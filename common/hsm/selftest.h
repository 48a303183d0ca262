/*
 * selftest.h -- an end-to-end check of one repository, behind `odsctl hsm test`.
 *
 * For each of RSASHA256 and RSASHA512 (2048-bit keys), ECDSAP256SHA256,
 * ECDSAP384SHA384, ED25519 and ED448: generate a key in the repository, sign
 * a test message, export the DNSKEY, verify the signature with OpenSSL from
 * the DNSKEY (dnssec/verify.h) and check that a changed message does not verify,
 * then delete the key. One line per algorithm goes to report (may be NULL).
 * Algorithms the token does not support are reported as such and are not
 * failures. Thread-safe (uses its own context); keys count toward Capacity
 * while they exist.
 */
#ifndef ODS_HSM_SELFTEST_H
#define ODS_HSM_SELFTEST_H

#include "hsm/hsm.h"
#include "util/status.h"

#include <stdio.h>

/* ODS_OK when every supported algorithm passed; ODS_EHSM (err says how many failed) otherwise. */
int ods_hsm_selftest(ods_hsm_t *hsm, const char *repository, FILE *report, ods_err_t *err);

#endif
