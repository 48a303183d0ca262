/*
 * arena.h -- a bump allocator for many small objects that die together
 * (a zone's names, records and signatures; a parsing run).
 *
 * Memory comes in chunks (at least 1 MiB, or larger for big objects) and is
 * returned all at once by ods_arena_free. Allocations are 8-byte aligned and
 * never freed individually. Not thread-safe: one owner (thread) at a time.
 */
#ifndef ODS_UTIL_ARENA_H
#define ODS_UTIL_ARENA_H

#include <stddef.h>

typedef struct ods_arena ods_arena_t;

ods_arena_t *ods_arena_new(void);
void ods_arena_free(ods_arena_t *a);

/* Forget every allocation but keep the first chunk for reuse (a scratch arena). */
void ods_arena_reset(ods_arena_t *a);

/* size bytes, 8-byte aligned, uninitialised; NULL when out of memory. */
void *ods_arena_alloc(ods_arena_t *a, size_t size);

/* A copy of size bytes of data in the arena; NULL when out of memory. */
void *ods_arena_dup(ods_arena_t *a, const void *data, size_t size);

/* Bytes handed out and bytes reserved from the system (statistics). */
size_t ods_arena_used(const ods_arena_t *a);
size_t ods_arena_reserved(const ods_arena_t *a);

#endif
