/*
 * bitmap.h -- the NSEC / NSEC3 / CSYNC type bitmap (RFC 4034 4.1.2).
 *
 * Types are grouped in windows of 256 (window = type >> 8); each window
 * present is written as: window number, bitmap length (1..32), bitmap, where
 * bit (type & 0xff) of the window, counting from the most significant bit of
 * the first octet, is set for each type present. Windows are in increasing
 * order, empty windows are left out and trailing zero octets are dropped.
 *
 * Pure and thread-safe; no allocation.
 */
#ifndef ODS_DNSSEC_BITMAP_H
#define ODS_DNSSEC_BITMAP_H

#include "util/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ODS_BITMAP_MAX_LEN (256 * 34) /* every window full */

/*
 * Encode the types (any order, duplicates allowed; n may be 0, giving an
 * empty bitmap) into out (outlen octets); *written receives the length.
 * ODS_EINVAL if out is too small (ODS_BITMAP_MAX_LEN always suffices).
 * Cost is O(n x windows used).
 */
int ods_bitmap_encode(const uint16_t *types, size_t n, uint8_t *out, size_t outlen,
                      size_t *written);

/*
 * Check that bm (len octets) is a well-formed bitmap: windows in strictly
 * increasing order, lengths 1..32, no trailing zero octet. ODS_EINVAL if not.
 */
int ods_bitmap_check(const uint8_t *bm, size_t len);

/*
 * Decode a well-formed bitmap into types[] in increasing order (max entries
 * available); *n receives the count. ODS_EINVAL if malformed or max is too
 * small.
 */
int ods_bitmap_decode(const uint8_t *bm, size_t len, uint16_t *types, size_t max, size_t *n);

/* True if the (well-formed) bitmap has the type. */
bool ods_bitmap_has(const uint8_t *bm, size_t len, uint16_t type);

#endif
