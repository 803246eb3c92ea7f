/* symtab.h - the symbol table behind wedge/symbols.h (internal, model layer).
 *
 * The symbol-file parsers (formats) add functions, then call
 * wdg_symtab_finish() once per file; lookups need a finished table.
 * Functions of a module (wdg_symtab_module) are at offsets in it;
 * wdg_symbols_bind() gives each start its wdg_addr in a run's site table.
 */
#ifndef WEDGE_SYMTAB_H
#define WEDGE_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/symbols.h"

#include "../base/arena.h"

typedef struct sym {
    uint64_t start;
    uint64_t size;      /* 0 = unknown */
    uint32_t order;     /* load order, so the first loaded wins */
    uint32_t module;    /* index + 1 into mods, 0 = absolute addresses */
    wdg_addr at;        /* start as a wdg_addr (bound), else WDG_SYM_UNBOUND */
    const char *name;
} sym;

#define WDG_SYM_UNBOUND UINT64_MAX

typedef struct symmod {
    const char *name;
    size_t lo, hi;      /* its functions: items[lo, hi) after finish */
} symmod;

struct wdg_symbols {
    wdg_arena arena;
    sym *items;
    size_t n, cap;
    uint32_t loads;
    symmod *mods;
    size_t n_mods, cap_mods;
    uint32_t cur;               /* module of the functions added now */
    const wdg_sites *sites;     /* bound to, or NULL */
};

/* Functions added from now on are in module (NULL: absolute addresses).
 * 0, or -1 when out of memory. */
int wdg_symtab_module(wdg_symbols *s, const char *module, size_t n);
/* Copies name (n bytes) into the table's arena.  size 0 = unknown.
 * 0, or -1 when out of memory. */
int wdg_symtab_add(wdg_symbols *s, uint64_t start, uint64_t size, const char *name, size_t n);
/* Sorts by module and address; of two functions at one place the first
 * added stays. */
void wdg_symtab_finish(wdg_symbols *s);

#endif
