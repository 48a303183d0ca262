/*
 * hex.h -- the value of a hexadecimal digit (CKA_ID locators, NSEC3 salts,
 * RDATA in hex), shared so that every reader accepts the same digits.
 */
#ifndef ODS_UTIL_HEX_H
#define ODS_UTIL_HEX_H

/* 0-15 for 0-9, a-f, A-F; -1 for anything else. */
static inline int ods_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
