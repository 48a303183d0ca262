#include "util/arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Chunks are mapped straight from the kernel rather than taken from malloc:
 * a zone's arenas are hundreds of MiB that die together, and memory malloc
 * got back would stay in its heaps (fragmented among the small blocks of
 * other threads), so a re-sign, which holds the old and the new zone for a
 * moment, would leave the process at twice its working size for good.
 * munmap returns it at once. Under AddressSanitizer chunks stay malloc'ed so
 * that overruns past a chunk are still caught.
 */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_USE_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_USE_MALLOC 1
#endif
#endif

#define ARENA_CHUNK (1u << 20)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    size_t used;
    size_t mapped; /* bytes mapped, header included (0: malloc'ed) */
    /* data follows, 8-byte aligned (the header is 32 bytes) */
    uint64_t data[];
} arena_chunk_t;

struct ods_arena {
    arena_chunk_t *head;
    size_t used;
    size_t reserved;
};

ods_arena_t *ods_arena_new(void)
{
    return calloc(1, sizeof(ods_arena_t));
}

static void chunk_free(arena_chunk_t *c)
{
    if (c->mapped != 0)
        munmap(c, c->mapped);
    else
        free(c);
}

void ods_arena_reset(ods_arena_t *a)
{
    arena_chunk_t *keep = a->head;
    if (keep == NULL)
        return;
    for (arena_chunk_t *c = keep->next, *next; c != NULL; c = next) {
        next = c->next;
        chunk_free(c);
    }
    keep->next = NULL;
    keep->used = 0;
    a->used = 0;
    a->reserved = keep->size;
}

void ods_arena_free(ods_arena_t *a)
{
    if (a == NULL)
        return;
    arena_chunk_t *c = a->head;
    while (c != NULL) {
        arena_chunk_t *next = c->next;
        chunk_free(c);
        c = next;
    }
    free(a);
}

static arena_chunk_t *chunk_alloc(size_t bytes)
{
#ifndef ARENA_USE_MALLOC
    size_t page = 4096;
    size_t len = (bytes + page - 1) & ~(page - 1);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        ((arena_chunk_t *)p)->mapped = len;
        return p;
    }
    return NULL;
#else
    arena_chunk_t *c = malloc(bytes);
    if (c != NULL)
        c->mapped = 0;
    return c;
#endif
}

static arena_chunk_t *arena_grow(ods_arena_t *a, size_t need)
{
    bool dedicated = need > ARENA_CHUNK / 4;
    size_t size = dedicated ? need : ARENA_CHUNK;
    if (size > SIZE_MAX - sizeof(arena_chunk_t) - 65536)
        return NULL;
    arena_chunk_t *c = chunk_alloc(sizeof(*c) + size);
    if (c == NULL)
        return NULL;
    /* the mapping is page-rounded: hand out the whole of it */
    c->size = (c->mapped ? c->mapped : sizeof(*c) + size) - sizeof(*c);
    size = c->size;
    c->used = 0;
    a->reserved += size;
    /* A big dedicated chunk goes behind the head so the head keeps filling. */
    if (dedicated && a->head != NULL) {
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = a->head;
        a->head = c;
    }
    return c;
}

void *ods_arena_alloc(ods_arena_t *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (size == 0)
        size = 8;
    arena_chunk_t *c = a->head;
    if (c == NULL || c->size - c->used < size) {
        c = arena_grow(a, size);
        if (c == NULL)
            return NULL;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->used += size;
    return p;
}

void *ods_arena_dup(ods_arena_t *a, const void *data, size_t size)
{
    void *p = ods_arena_alloc(a, size);
    if (p != NULL && size > 0)
        memcpy(p, data, size);
    return p;
}

size_t ods_arena_used(const ods_arena_t *a)
{
    return a->used;
}

size_t ods_arena_reserved(const ods_arena_t *a)
{
    return a->reserved;
}
