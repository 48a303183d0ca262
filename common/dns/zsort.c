#include "dns/zsort.h"
#include "dnssec/name.h"

#include <stdlib.h>
#include <string.h>

typedef struct zs_item {
    uint64_t prefix; /* first 8 key octets, big-endian */
    const uint8_t *key;
    uint32_t keylen;
    ods_zname_t *name;
} zs_item_t;

/* Write the key of name (labels below the apex) to out; returns its length. */
static size_t zs_key(const uint8_t *name, unsigned skip_labels, uint8_t *out)
{
    const uint8_t *lab[ODS_NAME_MAX_LABELS + 1];
    unsigned n = 0;
    for (const uint8_t *p = name; *p != 0; p += 1 + *p)
        lab[n++] = p;
    size_t k = 0;
    for (unsigned i = n - skip_labels; i-- > 0;) {
        const uint8_t *l = lab[i];
        for (unsigned j = 1; j <= l[0]; j++) {
            uint8_t c = l[j];
            if (c == 0) {
                out[k++] = 0;
                out[k++] = 1;
                continue;
            }
            out[k++] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
        }
        out[k++] = 0;
        out[k++] = 0;
    }
    return k;
}

static int zs_cmp(const void *a, const void *b)
{
    const zs_item_t *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    uint32_t m = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = m > 8 ? memcmp(x->key + 8, y->key + 8, m - 8) : 0;
    if (c != 0)
        return c;
    return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

int ods_zsort_names(ods_zname_t **names, size_t n, const uint8_t *apex)
{
    unsigned skip = ods_name_labels(apex);
    zs_item_t *items = malloc(n * sizeof(*items));
    /* keys: at most 2 octets per name octet */
    size_t cap = 0;
    for (size_t i = 0; i < n; i++)
        cap += 2 * ods_name_len(names[i]->owner) + 8;
    uint8_t *keys = malloc(cap);
    if (items == NULL || keys == NULL) {
        free(items);
        free(keys);
        return -1;
    }
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *k = keys + off;
        size_t len = zs_key(names[i]->owner, skip, k);
        memset(k + len, 0, 8); /* so the prefix read is defined for short keys */
        uint64_t p = 0;
        for (int j = 0; j < 8; j++)
            p = p << 8 | k[j];
        items[i] = (zs_item_t){ p, k, (uint32_t)len, names[i] };
        off += len + 8;
    }
    qsort(items, n, sizeof(*items), zs_cmp);
    for (size_t i = 0; i < n; i++)
        names[i] = items[i].name;
    free(items);
    free(keys);
    return 0;
}
