/* grow.h - growing an array by doubling (internal to the library).
 *
 * wdg_grow(&p, &cap, need, size, first) makes the array *p (of *cap
 * elements of size bytes) hold at least need elements: *cap starts at
 * first (or need, when larger) and doubles.  Returns 0, or -1 when memory
 * runs out or the size would overflow; *p and *cap are unchanged then and
 * *p stays owned by the caller. */
#ifndef WEDGE_GROW_H
#define WEDGE_GROW_H

#include <stddef.h>

int wdg_grow(void **p, size_t *cap, size_t need, size_t size, size_t first);

#endif
