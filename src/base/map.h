/* map.h - open-addressing hash map from uint64 keys to uint64 values.
 * Used for tid, key and handle lookups.  The map owns its slots; the key
 * UINT64_MAX is reserved (never insert it). */
#ifndef WEDGE_MAP_H
#define WEDGE_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct wdg_map {
    uint64_t *keys;
    uint64_t *vals;
    size_t cap;    /* power of two, or 0 */
    size_t count;
} wdg_map;

#define WDG_MAP_INIT {NULL, NULL, 0, 0}

void wdg_map_free(wdg_map *m);
static inline uint64_t wdg_hash64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Returns a pointer to the value slot of key, or NULL if absent.  Inline:
 * the analysis looks up a tid, an object or a key per event. */
static inline uint64_t *wdg_map_get(const wdg_map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = wdg_hash64(key) & mask;; i = (i + 1) & mask) {
        if (m->keys[i] == key)
            return &m->vals[i];
        if (m->keys[i] == UINT64_MAX)
            return NULL;
    }
}
/* Doubles the slots (wdg_map_put()'s); -1 when out of memory. */
int wdg_map_grow(wdg_map *m);

/* Inserts key with value *val_if_new when absent; returns the value slot,
 * or NULL when out of memory.  *inserted (if not NULL) tells which.
 * Inline, as wdg_map_get(). */
static inline uint64_t *wdg_map_put(wdg_map *m, uint64_t key, uint64_t val_if_new,
                                    int *inserted)
{
    if ((m->count + 1) * 4 > m->cap * 3 && wdg_map_grow(m) < 0)
        return NULL;
    size_t mask = m->cap - 1;
    size_t i = wdg_hash64(key) & mask;
    while (m->keys[i] != UINT64_MAX) {
        if (m->keys[i] == key) {
            if (inserted)
                *inserted = 0;
            return &m->vals[i];
        }
        i = (i + 1) & mask;
    }
    m->keys[i] = key;
    m->vals[i] = val_if_new;
    m->count++;
    if (inserted)
        *inserted = 1;
    return &m->vals[i];
}

uint64_t wdg_hash_bytes(const void *p, size_t n);

#endif
