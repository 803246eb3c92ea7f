/* The site table (wedge/sites.h): wide addresses and module sites interned
 * so that an event keeps 32-bit words and every address one wdg_addr. */
#include "wedge/sites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/grow.h"
#include "../base/numfmt.h"
#include "../base/map.h"
#include "../base/numparse.h"

typedef struct site {
    uint64_t value;      /* absolute value, or offset in module */
    uint32_t module;     /* index + 1 into modules, 0 = absolute */
    uint32_t next;       /* next site with the same hash + 1, 0 = none */
} site;

struct wdg_sites {
    wdg_arena arena;
    wdg_map by_hash;     /* hash -> first site + 1 (chained through next) */
    site *items;
    size_t n, cap;
    wdg_map mod_by_hash; /* module name hash -> first module + 1 */
    const char **mods;
    uint32_t *mod_lens, *mod_next;
    size_t n_mods, cap_mods, cap_lens, cap_next;
};

int wdg_sites_new(wdg_sites **out)
{
    wdg_sites *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    wdg_arena_init(&s->arena);
    *out = s;
    return 0;
}

void wdg_sites_free(wdg_sites *s)
{
    if (!s)
        return;
    wdg_arena_free(&s->arena);
    wdg_map_free(&s->by_hash);
    wdg_map_free(&s->mod_by_hash);
    free(s->items);
    free(s->mods);
    free(s->mod_lens);
    free(s->mod_next);
    free(s);
}

size_t wdg_sites_count(const wdg_sites *s) { return s ? s->n : 0; }

/* The map reserves UINT64_MAX. */
static uint64_t hkey(uint64_t h) { return h == UINT64_MAX ? 0 : h; }

/* The module's index + 1, interned; 0 when out of memory. */
static uint32_t module_id(wdg_sites *s, const char *m, size_t n)
{
    uint64_t h = hkey(wdg_hash_bytes(m, n));
    uint64_t *first = wdg_map_get(&s->mod_by_hash, h);
    for (uint32_t i = first ? (uint32_t)*first : 0; i; i = s->mod_next[i - 1])
        if (s->mod_lens[i - 1] == n && memcmp(s->mods[i - 1], m, n) == 0)
            return i;
    if (s->n_mods >= UINT32_MAX - 1 || n > UINT32_MAX ||
        wdg_grow((void **)&s->mods, &s->cap_mods, s->n_mods + 1, sizeof *s->mods, 16) < 0 ||
        wdg_grow((void **)&s->mod_lens, &s->cap_lens, s->n_mods + 1, sizeof *s->mod_lens, 16) < 0 ||
        wdg_grow((void **)&s->mod_next, &s->cap_next, s->n_mods + 1, sizeof *s->mod_next, 16) < 0)
        return 0;
    char *copy = wdg_arena_strndup(&s->arena, m, n);
    int fresh;
    uint64_t *slot = copy ? wdg_map_put(&s->mod_by_hash, h, 0, &fresh) : NULL;
    if (!slot)
        return 0;
    uint32_t id = (uint32_t)s->n_mods + 1;
    s->mods[s->n_mods] = copy;
    s->mod_lens[s->n_mods] = (uint32_t)n;
    s->mod_next[s->n_mods] = (uint32_t)*slot;   /* 0 when fresh */
    *slot = id;
    s->n_mods++;
    return id;
}

static int intern(wdg_sites *s, uint32_t module, uint64_t value, wdg_addr *out)
{
    uint64_t h = hkey(wdg_hash64(value ^ wdg_hash64(module)));
    int fresh;
    uint64_t *slot = wdg_map_put(&s->by_hash, h, 0, &fresh);
    if (!slot)
        return -1;
    for (uint32_t i = (uint32_t)*slot; i; i = s->items[i - 1].next)
        if (s->items[i - 1].value == value && s->items[i - 1].module == module) {
            *out = WDG_ADDR_SITE | (i - 1);
            return 0;
        }
    if (s->n >= WDG_SITES_MAX)
        return -2;
    if (wdg_grow((void **)&s->items, &s->cap, s->n + 1, sizeof *s->items, 64) < 0)
        return -1;
    s->items[s->n] = (site){value, module, (uint32_t)*slot};
    *slot = s->n + 1;
    *out = WDG_ADDR_SITE | s->n;
    s->n++;
    return 0;
}

int wdg_sites_absolute(wdg_sites *s, uint64_t value, wdg_addr *out)
{
    if (value <= UINT32_MAX) {
        *out = value;
        return 0;
    }
    return intern(s, 0, value, out);
}

int wdg_sites_module(wdg_sites *s, const char *module, size_t n, uint64_t off, wdg_addr *out)
{
    uint32_t id = module_id(s, module, n);
    return id ? intern(s, id, off, out) : -1;
}

int wdg_sites_get(const wdg_sites *s, wdg_addr a, const char **module, uint64_t *value)
{
    if (!wdg_addr_is_site(a)) {
        *module = NULL;
        *value = a;
        return 0;
    }
    uint64_t i = a & ~WDG_ADDR_SITE;
    if (!s || i >= s->n)
        return -1;
    *module = s->items[i].module ? s->mods[s->items[i].module - 1] : NULL;
    *value = s->items[i].value;
    return 0;
}

char *wdg_addr_format(const wdg_sites *s, wdg_addr a, char *out, size_t cap)
{
    const char *m;
    uint64_t v;
    if (cap == 0)
        return out;
    if (wdg_sites_get(s, a, &m, &v) < 0)
        snprintf(out, cap, "?");
    else if (m && strlen(m) + 20 <= cap) {   /* "+0x" and up to 16 digits fit */
        size_t n = strlen(m);
        memcpy(out, m, n);
        memcpy(out + n, "+0x", 3);
        wdg_fmt_hex(out + n + 3, v, 0, 1);
    } else if (m)
        snprintf(out, cap, "%s+0x%llX", m, (unsigned long long)v);
    else {   /* "0x%08llX" by hand (the outputs write millions), cut to cap */
        char t[20] = "0x";
        size_t n = 2 + wdg_fmt_hex(t + 2, v, 8, 1);
        n = n < cap ? n : cap - 1;
        memcpy(out, t, n);
        out[n] = 0;
    }
    return out;
}

int wdg_addr_text(const char *s, size_t n, uint64_t *value, const char **module,
                  size_t *module_n)
{
    *module = NULL;
    *module_n = 0;
    /* the last "+0x": the module name may hold '+' ("libstdc++.so.6") */
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '+' && i + 2 < n && s[i + 1] == '0' && (s[i + 2] == 'x' || s[i + 2] == 'X')) {
            for (size_t k = 0; k < i; k++)   /* a name, not control bytes */
                if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
                    return -1;
            if (i == 0)
                return -1;
            int rc = wdg_parse_hex64(s + i + 1, n - i - 1, value);
            if (rc == 0)
                *module = s, *module_n = i;
            return rc;
        }
    }
    return wdg_parse_hex64(s, n, value);
}
