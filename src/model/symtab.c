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
    free(s);
}

size_t wdg_symbols_count(const wdg_symbols *s) { return s ? s->n : 0; }

int wdg_symtab_add(wdg_symbols *s, uint32_t start, uint32_t size, const char *name, size_t n)
{
    if (wdg_grow((void **)&s->items, &s->cap, s->n + 1, sizeof *s->items, 256) < 0)
        return -1;
    char *copy = wdg_arena_strndup(&s->arena, name, n);
    if (!copy)
        return -1;
    /* order: items loaded earlier keep lower indexes after wdg_symtab_finish */
    s->items[s->n] = (sym){start, size, (uint32_t)s->n, copy};
    s->n++;
    return 0;
}

static int by_addr(const void *a, const void *b)
{
    const sym *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts by address; of two symbols at one address the first loaded stays. */
void wdg_symtab_finish(wdg_symbols *s)
{
    qsort(s->items, s->n, sizeof *s->items, by_addr);
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++)
        if (w == 0 || s->items[w - 1].start != s->items[i].start)
            s->items[w++] = s->items[i];
    s->n = w;
    for (size_t i = 0; i < s->n; i++)
        s->items[i].order = (uint32_t)i;
}

int wdg_symbols_lookup(const wdg_symbols *s, uint32_t addr, const char **name,
                       uint32_t *start)
{
    if (!s || !s->n || addr < s->items[0].start)
        return 0;
    size_t lo = 0, hi = s->n;   /* greatest start <= addr */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->items[mid].start <= addr)
            lo = mid;
        else
            hi = mid;
    }
    const sym *f = &s->items[lo];
    if (f->size && (uint64_t)addr >= (uint64_t)f->start + f->size)
        return 0;
    *name = f->name;
    *start = f->start;
    return 1;
}

int wdg_symbols_format(const wdg_symbols *s, uint32_t addr, char *out, size_t cap)
{
    const char *name;
    uint32_t start;
    if (!wdg_symbols_lookup(s, addr, &name, &start)) {
        snprintf(out, cap, "0x%08X", addr);
        return 0;
    }
    /* a name too long for out is cut before a character, and the offset
     * kept: "+0x1C" tells call sites apart */
    char off[16] = "";
    if (addr != start)
        snprintf(off, sizeof off, "+0x%X", addr - start);
    size_t room = cap > strlen(off) ? cap - 1 - strlen(off) : 0;
    size_t n = wdg_utf8_cut(name, strlen(name), room);
    wdg_utf8_snprintf(out, cap, "%.*s%s", (int)n, name, off);
    return 1;
}

int wdg_symbols_find(const wdg_symbols *s, const char *name, uint32_t *start)
{
    if (!s || !name)
        return 0;
    /* linear: asked once per --wrapper, never per event */
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].name, name) == 0) {
            *start = s->items[i].start;
            return 1;
        }
    return 0;
}
