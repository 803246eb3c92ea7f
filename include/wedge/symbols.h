/* wedge/symbols.h - guest function names for addresses (docs/format.md, "Symbol files").
 *
 * The table (model layer).  Symbol files are read into it by
 * wdg_symbols_load() in wedge/load.h.  A function without a size extends
 * to the next function's start (the last one to the end of the address
 * space).  When two files name the same
 * address, the first loaded wins.  The table owns its names.
 */
#ifndef WEDGE_SYMBOLS_H
#define WEDGE_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/error.h"
#include "wedge/sites.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_symbols wdg_symbols;

WDG_API int wdg_symbols_new(wdg_symbols **out, wdg_error *err);
WDG_API void wdg_symbols_free(wdg_symbols *s);

WDG_API size_t wdg_symbols_count(const wdg_symbols *s);

/* Ties the table to a run's site table (wedge/sites.h), interning the
 * start of every function of a module or above 32 bits, so that lookups
 * take any wdg_addr: a module site is looked up in its module's functions
 * (files loaded for that module), an absolute address in the functions of
 * files loaded for none.  Until bound, only addresses below 2^32 are
 * found.  0, or WDG_ENOMEM. */
WDG_API int wdg_symbols_bind(wdg_symbols *s, wdg_sites *sites, wdg_error *err);

/* The function containing addr: 1 with name and start set, or 0.
 * s may be NULL. */
WDG_API int wdg_symbols_lookup(const wdg_symbols *s, wdg_addr addr, const char **name,
                               wdg_addr *start);

/* The start of the function named name (the lowest address when several
 * share the name): 1, or 0 when none.  s may be NULL. */
WDG_API int wdg_symbols_find(const wdg_symbols *s, const char *name, wdg_addr *start);

/* "name+0xAC", "name" at the start, or the address (wdg_addr_format)
 * outside every function; a name too long for cap is cut before a
 * character, the offset kept.  Returns 1 when a function was found. */
WDG_API int wdg_symbols_format(const wdg_symbols *s, wdg_addr addr, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
