#include "map.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX

uint64_t wdg_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void wdg_map_free(wdg_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static int grow(wdg_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint64_t *keys = malloc(cap * sizeof *keys);
    uint64_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    memset(keys, 0xff, cap * sizeof *keys);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == EMPTY)
            continue;
        size_t j = wdg_hash64(m->keys[i]) & (cap - 1);
        while (keys[j] != EMPTY)
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

uint64_t *wdg_map_put(wdg_map *m, uint64_t key, uint64_t val_if_new, int *inserted)
{
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) < 0)
        return NULL;
    size_t mask = m->cap - 1;
    size_t i = wdg_hash64(key) & mask;
    while (m->keys[i] != EMPTY) {
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
