#include "dnssec/keytag.h"

uint16_t ods_dnssec_keytag(const uint8_t *rdata, size_t len)
{
    if (len < 4)
        return 0;
    /* Algorithm 1 (RSAMD5) takes the most significant 16 of the least
     * significant 24 bits of the modulus instead (0 if there is no key). */
    if (rdata[3] == 1)
        return len > 4 ? (uint16_t)((rdata[len - 3] << 8) | rdata[len - 2]) : 0;
    uint32_t ac = 0;
    for (size_t i = 0; i < len; i++)
        ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
    ac += (ac >> 16) & 0xFFFF;
    return (uint16_t)(ac & 0xFFFF);
}
