#include "sgn_hash.h"
#include "dnssec/name.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HASH_CHUNK 4096

typedef struct hash_job {
    const ods_zone_t *z;
    const ods_nsec3_params_t *p;
    uint8_t (*hashes)[20];
    const bool *known;
} hash_job_t;

static int hash_chunk(sgn_thread_t *t, void *arg, size_t i, ods_err_t *err)
{
    hash_job_t *j = arg;
    size_t from = i * HASH_CHUNK, to = from + HASH_CHUNK, n = ods_zone_count(j->z);
    if (to > n)
        to = n;
    for (size_t k = from; k < to; k++) {
        if (j->known[k])
            continue;
        if (ods_nsec3_hash(ods_zone_name(j->z, k)->owner, j->p, j->hashes[k]) != ODS_OK)
            return ods_err_set(err, ODS_EMECH, "NSEC3 hash algorithm %u is not supported",
                               j->p->algorithm);
    }
    return ODS_OK;
}

/* Copy the hashes of names old already hashed (both zones are in canonical order). */
static size_t reuse(const ods_zone_t *z, const ods_zone_t *old, uint8_t (*hashes)[20], bool *known)
{
    size_t nold = ods_zone_count(old), n3 = ods_zone_nsec3_count(old), count = 0;
    const uint8_t **old_hash = calloc(nold ? nold : 1, sizeof(*old_hash));
    if (old_hash == NULL)
        return 0;
    for (size_t i = 0; i < n3; i++) {
        const ods_znsec3_t *r = ods_zone_nsec3(old, i);
        if (r->name != NULL && r->name->index < nold &&
            ods_zone_name(old, r->name->index) == r->name)
            old_hash[r->name->index] = r->hash;
    }
    for (size_t i = 0, j = 0; i < ods_zone_count(z) && j < nold;) {
        int c = ods_name_compare(ods_zone_name(old, j)->owner, ods_zone_name(z, i)->owner);
        if (c < 0) {
            j++;
        } else if (c > 0) {
            i++;
        } else {
            if (old_hash[j] != NULL) {
                memcpy(hashes[i], old_hash[j], 20);
                known[i] = true;
                count++;
            }
            i++;
            j++;
        }
    }
    free(old_hash);
    return count;
}

int sgn_nsec3_hashes(const ods_zone_t *z, const ods_zone_t *old, const ods_nsec3_params_t *p,
                     sgn_pool_t *pool, uint8_t (**out)[20], size_t *reused, ods_err_t *err)
{
    size_t n = ods_zone_count(z);
    uint8_t(*hashes)[20] = malloc((n ? n : 1) * sizeof(*hashes));
    bool *known = calloc(n ? n : 1, sizeof(*known));
    if (hashes == NULL || known == NULL) {
        free(hashes);
        free(known);
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    }
    *reused = old != NULL ? reuse(z, old, hashes, known) : 0;
    hash_job_t j = { z, p, hashes, known };
    ods_arena_t **arenas = NULL;
    size_t narenas = 0;
    int rc = sgn_pool_run(pool, (n + HASH_CHUNK - 1) / HASH_CHUNK, hash_chunk, &j, &arenas,
                          &narenas, err);
    for (size_t i = 0; i < narenas; i++)
        ods_arena_free(arenas[i]);
    free(arenas);
    free(known);
    if (rc != ODS_OK) {
        free(hashes);
        return rc;
    }
    *out = hashes;
    return ODS_OK;
}
