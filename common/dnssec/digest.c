#include "dnssec/digest.h"
#include "util/status.h"

#include <openssl/evp.h>
#include <pthread.h>

static const char *const digest_names[] = {
    [ODS_DIGEST_SHA1] = "SHA1",
    [ODS_DIGEST_SHA256] = "SHA2-256",
    [ODS_DIGEST_SHA384] = "SHA2-384",
    [ODS_DIGEST_SHA512] = "SHA2-512",
};
static const size_t digest_lens[] = {
    [ODS_DIGEST_SHA1] = 20,
    [ODS_DIGEST_SHA256] = 32,
    [ODS_DIGEST_SHA384] = 48,
    [ODS_DIGEST_SHA512] = 64,
};
#define N_DIGESTS (sizeof(digest_names) / sizeof(digest_names[0]))

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static EVP_MD *fetched[N_DIGESTS];
static pthread_key_t ctx_key;
static __thread EVP_MD_CTX *thread_ctx;

static void free_thread_ctx(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}

static void init_digests(void)
{
    for (size_t i = 1; i < N_DIGESTS; i++)
        fetched[i] = EVP_MD_fetch(NULL, digest_names[i], NULL);
    (void)pthread_key_create(&ctx_key, free_thread_ctx);
}

size_t ods_digest_len(ods_digest_t d)
{
    return (size_t)d < N_DIGESTS ? digest_lens[d] : 0;
}

const EVP_MD *ods_digest_evp(ods_digest_t d)
{
    if (d == ODS_DIGEST_NONE || (size_t)d >= N_DIGESTS)
        return NULL;
    (void)pthread_once(&init_once, init_digests);
    return fetched[d];
}

static EVP_MD_CTX *get_thread_ctx(void)
{
    if (thread_ctx == NULL) {
        thread_ctx = EVP_MD_CTX_new();
        if (thread_ctx != NULL)
            (void)pthread_setspecific(ctx_key, thread_ctx);
    }
    return thread_ctx;
}

int ods_digest2(ods_digest_t d, const void *a, size_t alen, const void *b, size_t blen,
                uint8_t *out)
{
    const EVP_MD *md = ods_digest_evp(d);
    if (md == NULL)
        return ODS_EMECH;
    EVP_MD_CTX *ctx = get_thread_ctx();
    if (ctx == NULL)
        return ODS_ENOMEM;
    unsigned int len;
    if (!EVP_DigestInit_ex2(ctx, md, NULL) || !EVP_DigestUpdate(ctx, a, alen) ||
        (blen > 0 && !EVP_DigestUpdate(ctx, b, blen)) || !EVP_DigestFinal_ex(ctx, out, &len))
        return ODS_EMECH;
    return ODS_OK;
}
