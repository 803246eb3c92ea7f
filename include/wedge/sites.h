/* wedge/sites.h - addresses of any width and module-relative call sites
 * (docs/format.md, "Addresses").
 *
 * An address is a wdg_addr: a value below 2^32 (a 32-bit guest's address)
 * is itself, so the common case needs no table; a wider value or a site
 * "MODULE+0xOFF" is WDG_ADDR_SITE | its index in a site table.  Each
 * address has one wdg_addr, so equality and hashing are integer
 * operations.  A module site equals another when module and offset do, and
 * never equals an absolute address.
 *
 * One table is shared by the traces of a run: it lives in their wdg_ops
 * (wdg_ops_sites) and owns its module names.  Readers intern; analysis and
 * output only read.
 */
#ifndef WEDGE_SITES_H
#define WEDGE_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t wdg_addr;

#define WDG_ADDR_SITE (UINT64_C(1) << 63)
/* Most sites a table holds: an index fits an event's 32-bit word. */
#define WDG_SITES_MAX (UINT32_MAX - 1)

static inline int wdg_addr_is_site(wdg_addr a) { return (a & WDG_ADDR_SITE) != 0; }
/* The 33 bits that tell addresses apart (a narrow value, or 2^32 | index),
 * for packing an address with other bits into one 64-bit key. */
static inline uint64_t wdg_addr_key33(wdg_addr a)
{
    return wdg_addr_is_site(a) ? (UINT64_C(1) << 32) | (a & UINT32_MAX) : a;
}

typedef struct wdg_sites wdg_sites;

WDG_API int wdg_sites_new(wdg_sites **out);   /* 0, or -1 out of memory */
WDG_API void wdg_sites_free(wdg_sites *s);
WDG_API size_t wdg_sites_count(const wdg_sites *s);

/* The wdg_addr of an absolute value (itself below 2^32) or of module
 * (n bytes, not empty) + off.  0, -1 out of memory, -2 the table is full. */
WDG_API int wdg_sites_absolute(wdg_sites *s, uint64_t value, wdg_addr *out);
WDG_API int wdg_sites_module(wdg_sites *s, const char *module, size_t n, uint64_t off,
                             wdg_addr *out);

/* What a is: its value (absolute) or offset (module site), and its module
 * (NUL-terminated, owned by the table) or NULL for an absolute address.
 * s may be NULL for a narrow a.  0, or -1 when a names no site of s. */
WDG_API int wdg_sites_get(const wdg_sites *s, wdg_addr a, const char **module, uint64_t *value);

/* The text of a: "0x%08X" for a narrow value, "0x%08llX" for a wide one,
 * "MODULE+0xOFF" for a module site ("?" when s does not know it).  Cut to
 * cap - 1 bytes; returns out. */
WDG_API char *wdg_addr_format(const wdg_sites *s, wdg_addr a, char *out, size_t cap);

/* Parses an address's text: hex with or without 0x, up to 64 bits, or
 * "MODULE+0xOFF" (MODULE ends before the last "+0x"; it has no '+' and is
 * not empty).  On a module site *module and *module_n are set (pointing
 * into s), else *module is NULL.  0, -1 not an address, -2 out of range. */
WDG_API int wdg_addr_text(const char *s, size_t n, uint64_t *value, const char **module,
                          size_t *module_n);

#ifdef __cplusplus
}
#endif

#endif
