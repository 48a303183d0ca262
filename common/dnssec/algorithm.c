#include "dnssec/algorithm.h"

#include <stdlib.h>
#include <strings.h>

#define RSA_ALG(num, name, dig, min, nsec3_ok, depr)                                               \
    {                                                                                              \
        num, name, ODS_KEYTYPE_RSA, dig, NULL, min, 4096, 2048, 0, 0, nsec3_ok, true, true, depr   \
    }
#define OTHER_ALG(num, name)                                                                       \
    {                                                                                              \
        num, name, ODS_KEYTYPE_OTHER, ODS_DIGEST_NONE, NULL, 0, 0, 0, 0, 0, false, false, false,   \
            true                                                                                   \
    }

static const ods_algorithm_t table[] = {
    OTHER_ALG(1, "RSAMD5"),
    OTHER_ALG(3, "DSA"),
    RSA_ALG(5, "RSASHA1", ODS_DIGEST_SHA1, 512, false, true),
    OTHER_ALG(6, "DSA-NSEC3-SHA1"),
    RSA_ALG(7, "RSASHA1-NSEC3-SHA1", ODS_DIGEST_SHA1, 512, true, true),
    RSA_ALG(8, "RSASHA256", ODS_DIGEST_SHA256, 512, true, false),
    RSA_ALG(10, "RSASHA512", ODS_DIGEST_SHA512, 1024, true, true),
    OTHER_ALG(12, "ECC-GOST"),
    { 13, "ECDSAP256SHA256", ODS_KEYTYPE_ECDSA, ODS_DIGEST_SHA256, "P-256", 256, 256, 256, 64, 64,
      true, true, true, false },
    { 14, "ECDSAP384SHA384", ODS_KEYTYPE_ECDSA, ODS_DIGEST_SHA384, "P-384", 384, 384, 384, 96, 96,
      true, true, true, false },
    { 15, "ED25519", ODS_KEYTYPE_EDDSA, ODS_DIGEST_NONE, "ED25519", 256, 256, 256, 32, 64, true,
      true, true, false },
    { 16, "ED448", ODS_KEYTYPE_EDDSA, ODS_DIGEST_NONE, "ED448", 456, 456, 456, 57, 114, true, true,
      true, false },
};
#define N_ALGS (sizeof(table) / sizeof(table[0]))

const ods_algorithm_t *ods_algorithm_by_number(uint8_t number)
{
    for (size_t i = 0; i < N_ALGS; i++)
        if (table[i].number == number)
            return &table[i];
    return NULL;
}

const ods_algorithm_t *ods_algorithm_by_name(const char *name)
{
    if (name == NULL || *name == '\0')
        return NULL;
    if (name[0] >= '0' && name[0] <= '9') {
        char *end;
        unsigned long v = strtoul(name, &end, 10);
        return (*end == '\0' && v <= 255) ? ods_algorithm_by_number((uint8_t)v) : NULL;
    }
    for (size_t i = 0; i < N_ALGS; i++)
        if (strcasecmp(table[i].mnemonic, name) == 0)
            return &table[i];
    return NULL;
}

const ods_algorithm_t *ods_algorithm_list(size_t *n)
{
    *n = N_ALGS;
    return table;
}

size_t ods_algorithm_sig_len(const ods_algorithm_t *a, unsigned key_bits)
{
    return a->sig_len != 0 ? a->sig_len : (key_bits + 7) / 8;
}
