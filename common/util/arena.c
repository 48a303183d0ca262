#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (1u << 20)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    size_t used;
    /* data follows, 8-byte aligned (the header is 24 bytes) */
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

void ods_arena_free(ods_arena_t *a)
{
    if (a == NULL)
        return;
    arena_chunk_t *c = a->head;
    while (c != NULL) {
        arena_chunk_t *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

static arena_chunk_t *arena_grow(ods_arena_t *a, size_t need)
{
    size_t size = need > ARENA_CHUNK / 4 ? need : ARENA_CHUNK;
    arena_chunk_t *c = malloc(sizeof(*c) + size);
    if (c == NULL)
        return NULL;
    c->size = size;
    c->used = 0;
    a->reserved += size;
    /* A big dedicated chunk goes behind the head so the head keeps filling. */
    if (size != ARENA_CHUNK && a->head != NULL) {
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
