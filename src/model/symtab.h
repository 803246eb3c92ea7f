/* symtab.h - the symbol table behind wedge/symbols.h (internal, model layer).
 *
 * The symbol-file parsers (formats) add functions, then call
 * wdg_symtab_finish() once per file; lookups need a finished table.
 */
#ifndef WEDGE_SYMTAB_H
#define WEDGE_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/symbols.h"

#include "../base/arena.h"

typedef struct sym {
    uint32_t start;
    uint32_t size;      /* 0 = unknown */
    uint32_t order;     /* load order, so the first loaded wins */
    const char *name;
} sym;

struct wdg_symbols {
    wdg_arena arena;
    sym *items;
    size_t n, cap;
    uint32_t loads;
};

/* Copies name (n bytes) into the table's arena.  size 0 = unknown.
 * 0, or -1 when out of memory. */
int wdg_symtab_add(wdg_symbols *s, uint32_t start, uint32_t size, const char *name, size_t n);
/* Sorts by address; of two functions at one address the first added stays. */
void wdg_symtab_finish(wdg_symbols *s);

#endif
