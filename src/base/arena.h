/* arena.h - bump allocator for per-trace data (interned strings, object
 * lists).  Everything allocated from an arena lives until
 * wdg_arena_free(); there is no per-object free.  Allocation returns NULL
 * only when memory is exhausted. */
#ifndef WEDGE_ARENA_H
#define WEDGE_ARENA_H

#include <stddef.h>

typedef struct wdg_arena_block wdg_arena_block;

typedef struct wdg_arena {
    wdg_arena_block *head;
} wdg_arena;

void wdg_arena_init(wdg_arena *a);
void wdg_arena_free(wdg_arena *a);
void *wdg_arena_alloc(wdg_arena *a, size_t size);   /* 8-byte aligned */
char *wdg_arena_strndup(wdg_arena *a, const char *s, size_t n);

#endif
