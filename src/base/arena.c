#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct wdg_arena_block {
    wdg_arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

enum { BLOCK_MIN = 64 * 1024 };

void wdg_arena_init(wdg_arena *a) { a->head = NULL; }

void wdg_arena_free(wdg_arena *a)
{
    wdg_arena_block *b = a->head;
    while (b) {
        wdg_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void *wdg_arena_alloc(wdg_arena *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    wdg_arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        /* A block made for one large allocation goes behind the current
         * head so the head's free space is not wasted. */
        if (a->head && size > BLOCK_MIN) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

char *wdg_arena_strndup(wdg_arena *a, const char *s, size_t n)
{
    char *p = wdg_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
