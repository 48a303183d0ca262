/*
 * p11names.h -- names of PKCS#11 return values and mechanisms, and the
 * classification of return values into ODS_E* status codes. Pure; thread-safe.
 */
#ifndef ODS_HSM_P11NAMES_H
#define ODS_HSM_P11NAMES_H

/* "CKR_PIN_INCORRECT" for the standard values; NULL for vendor or unknown values. */
const char *ods_hsm_rv_name(unsigned long rv);

/* "CKM_ECDSA", "CKM_RSA_PKCS_KEY_PAIR_GEN", ...; NULL when not in the table. */
const char *ods_hsm_mech_name(unsigned long mech);

/*
 * The status a failed PKCS#11 call maps to:
 *   ODS_OK         CKR_OK
 *   ODS_ETRANSIENT session lost, device error or removed, token not present, not logged in,
 *                  too many sessions, function canceled: retry later
 *   ODS_EPIN       PIN incorrect, invalid, locked, expired, not initialised
 *   ODS_EFULL      CKR_DEVICE_MEMORY (the token is out of space)
 *   ODS_ENOMEM     CKR_HOST_MEMORY
 *   ODS_EMECH      mechanism, curve, key size or function not supported
 *   ODS_ENOTFOUND  object or key handle invalid
 *   ODS_EHSM       anything else (permanent)
 */
int ods_hsm_rv_status(unsigned long rv);

#endif
