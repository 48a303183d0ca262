#include "dnssec/bitmap.h"
#include "util/status.h"

#include <string.h>

/* The smallest window above `after` (-1 for none yet) used by a type; -1 if none. */
static int next_window(const uint16_t *types, size_t n, int after)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        int w = types[i] >> 8;
        if (w > after && (best < 0 || w < best))
            best = w;
    }
    return best;
}

int ods_bitmap_encode(const uint16_t *types, size_t n, uint8_t *out, size_t outlen, size_t *written)
{
    size_t pos = 0;
    for (int w = next_window(types, n, -1); w >= 0; w = next_window(types, n, w)) {
        uint8_t bits[32] = { 0 };
        unsigned used = 0;
        for (size_t i = 0; i < n; i++) {
            if (types[i] >> 8 != w)
                continue;
            unsigned low = types[i] & 0xff;
            bits[low / 8] |= (uint8_t)(0x80 >> (low % 8));
            if (low / 8 + 1 > used)
                used = low / 8 + 1;
        }
        if (outlen - pos < 2 + used)
            return ODS_EINVAL;
        out[pos] = (uint8_t)w;
        out[pos + 1] = (uint8_t)used;
        memcpy(out + pos + 2, bits, used);
        pos += 2 + used;
    }
    *written = pos;
    return ODS_OK;
}

int ods_bitmap_check(const uint8_t *bm, size_t len)
{
    int last = -1;
    size_t pos = 0;
    while (pos < len) {
        if (len - pos < 2)
            return ODS_EINVAL;
        unsigned w = bm[pos], blen = bm[pos + 1];
        if ((int)w <= last || blen < 1 || blen > 32 || len - pos - 2 < blen ||
            bm[pos + 1 + blen] == 0)
            return ODS_EINVAL;
        last = (int)w;
        pos += 2 + blen;
    }
    return ODS_OK;
}

int ods_bitmap_decode(const uint8_t *bm, size_t len, uint16_t *types, size_t max, size_t *n)
{
    if (ods_bitmap_check(bm, len) != ODS_OK)
        return ODS_EINVAL;
    size_t count = 0;
    for (size_t pos = 0; pos < len; pos += 2 + (size_t)bm[pos + 1]) {
        for (unsigned bit = 0; bit < 8u * bm[pos + 1]; bit++) {
            if (!(bm[pos + 2 + bit / 8] & (0x80 >> (bit % 8))))
                continue;
            if (count == max)
                return ODS_EINVAL;
            types[count++] = (uint16_t)(bm[pos] << 8 | bit);
        }
    }
    *n = count;
    return ODS_OK;
}

bool ods_bitmap_has(const uint8_t *bm, size_t len, uint16_t type)
{
    unsigned w = type >> 8, low = type & 0xff;
    for (size_t pos = 0; pos + 2 <= len; pos += 2 + (size_t)bm[pos + 1]) {
        if (bm[pos] != w)
            continue;
        return low / 8 < bm[pos + 1] && pos + 2 + low / 8 < len &&
               (bm[pos + 2 + low / 8] & (0x80 >> (low % 8)));
    }
    return false;
}
