/* The symbol table: functions by address, filled by the symbol-file
 * parsers (src/formats/symbols.c), read by analysis and output. */
#include "symtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"

#include "../base/grow.h"

int wdg_symbols_new(wdg_symbols **out, wdg_error *err)
{
    wdg_symbols *s = calloc(1, sizeof *s);
    if (!s)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_arena_init(&s->arena);
    *out = s;
    return 0;
}

void wdg_symbols_free(wdg_symbols *s)
{
    if (!s)
        return;
    wdg_arena_free(&s->arena);
    free(s->items);
    free(s->mods);
    free(s);
}

size_t wdg_symbols_count(const wdg_symbols *s) { return s ? s->n : 0; }

int wdg_symtab_module(wdg_symbols *s, const char *module, size_t n)
{
    if (!module) {
        s->cur = 0;
        return 0;
    }
    for (size_t i = 0; i < s->n_mods; i++)
        if (strlen(s->mods[i].name) == n && memcmp(s->mods[i].name, module, n) == 0) {
            s->cur = (uint32_t)i + 1;
            return 0;
        }
    if (wdg_grow((void **)&s->mods, &s->cap_mods, s->n_mods + 1, sizeof *s->mods, 8) < 0)
        return -1;
    char *copy = wdg_arena_strndup(&s->arena, module, n);
    if (!copy)
        return -1;
    s->mods[s->n_mods++] = (symmod){copy, 0, 0};
    s->cur = (uint32_t)s->n_mods;
    return 0;
}

int wdg_symtab_add(wdg_symbols *s, uint64_t start, uint64_t size, const char *name, size_t n)
{
    if (wdg_grow((void **)&s->items, &s->cap, s->n + 1, sizeof *s->items, 256) < 0)
        return -1;
    char *copy = wdg_arena_strndup(&s->arena, name, n);
    if (!copy)
        return -1;
    /* order: items loaded earlier keep lower indexes after wdg_symtab_finish;
     * a narrow absolute start is its own wdg_addr, the others are bound */
    wdg_addr at = !s->cur && start <= UINT32_MAX ? start : WDG_SYM_UNBOUND;
    s->items[s->n] = (sym){start, size, (uint32_t)s->n, s->cur, at, copy};
    s->n++;
    return 0;
}

static int by_addr(const void *a, const void *b)
{
    const sym *x = a, *y = b;
    if (x->module != y->module)
        return x->module < y->module ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts by module and address; of two symbols at one place the first
 * loaded stays. */
void wdg_symtab_finish(wdg_symbols *s)
{
    if (s->n)   /* items is NULL while empty */
        qsort(s->items, s->n, sizeof *s->items, by_addr);
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++)
        if (w == 0 || s->items[w - 1].start != s->items[i].start ||
            s->items[w - 1].module != s->items[i].module)
            s->items[w++] = s->items[i];
    s->n = w;
    for (size_t m = 0; m < s->n_mods; m++)
        s->mods[m].lo = s->mods[m].hi = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->items[i].order = (uint32_t)i;
        if (s->items[i].module) {
            symmod *m = &s->mods[s->items[i].module - 1];
            if (m->hi == 0)
                m->lo = i;
            m->hi = i + 1;
        }
    }
    s->cur = 0;
}

int wdg_symbols_bind(wdg_symbols *s, wdg_sites *sites, wdg_error *err)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < s->n; i++) {
        sym *f = &s->items[i];
        int rc = f->module ? wdg_sites_module(sites, s->mods[f->module - 1].name,
                                              strlen(s->mods[f->module - 1].name), f->start, &f->at)
                           : wdg_sites_absolute(sites, f->start, &f->at);
        if (rc == -1)
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        if (rc < 0)
            f->at = WDG_SYM_UNBOUND;   /* the site table is full: not found */
    }
    s->sites = sites;
    return 0;
}

/* The functions of module (NULL: absolute) as [*lo, *hi). */
static int range_of(const wdg_symbols *s, const char *module, size_t *lo, size_t *hi)
{
    if (!module) {
        *lo = 0;
        *hi = 0;
        while (*hi < s->n && s->items[*hi].module == 0)
            ++*hi;
        return *hi > 0;
    }
    for (size_t i = 0; i < s->n_mods; i++)
        if (strcmp(s->mods[i].name, module) == 0) {
            *lo = s->mods[i].lo;
            *hi = s->mods[i].hi;
            return *hi > *lo;
        }
    return 0;
}

/* The function containing value in items[lo, hi), or NULL. */
static const sym *containing(const wdg_symbols *s, size_t lo, size_t hi, uint64_t v)
{
    if (v < s->items[lo].start)
        return NULL;
    while (hi - lo > 1) {   /* greatest start <= v */
        size_t mid = lo + (hi - lo) / 2;
        if (s->items[mid].start <= v)
            lo = mid;
        else
            hi = mid;
    }
    const sym *f = &s->items[lo];
    if (f->size && v - f->start >= f->size)
        return NULL;
    return f;
}

/* The function containing addr, and addr's value (offset in its module). */
static const sym *find_sym(const wdg_symbols *s, wdg_addr addr, uint64_t *value)
{
    const char *module;
    size_t lo, hi;
    if (!s || !s->n || wdg_sites_get(s->sites, addr, &module, value) < 0 ||
        !range_of(s, module, &lo, &hi))
        return NULL;
    const sym *f = containing(s, lo, hi, *value);
    return f && f->at != WDG_SYM_UNBOUND ? f : NULL;
}

int wdg_symbols_lookup(const wdg_symbols *s, wdg_addr addr, const char **name, wdg_addr *start)
{
    uint64_t v;
    const sym *f = find_sym(s, addr, &v);
    if (!f)
        return 0;
    *name = f->name;
    *start = f->at;
    return 1;
}

int wdg_symbols_format(const wdg_symbols *s, wdg_addr addr, char *out, size_t cap)
{
    uint64_t v;
    const sym *f = find_sym(s, addr, &v);
    if (!f) {
        wdg_addr_format(s ? s->sites : NULL, addr, out, cap);
        return 0;
    }
    const char *name = f->name;
    /* a name too long for out is cut before a character, and the offset
     * kept: "+0x1C" tells call sites apart */
    char off[24] = "";
    if (v != f->start)
        snprintf(off, sizeof off, "+0x%llX", (unsigned long long)(v - f->start));
    size_t room = cap > strlen(off) ? cap - 1 - strlen(off) : 0;
    size_t n = wdg_utf8_cut(name, strlen(name), room);
    wdg_utf8_snprintf(out, cap, "%.*s%s", (int)n, name, off);
    return 1;
}

int wdg_symbols_find(const wdg_symbols *s, const char *name, wdg_addr *start)
{
    if (!s || !name)
        return 0;
    /* linear: asked once per --wrapper, never per event */
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].at != WDG_SYM_UNBOUND && strcmp(s->items[i].name, name) == 0) {
            *start = s->items[i].at;
            return 1;
        }
    return 0;
}
