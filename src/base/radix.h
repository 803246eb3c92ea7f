/* radix.h - the step the analysis's radix sorts share.
 *
 * Each sort counts the byte values of one digit, turns the counts into
 * the first output slot of each value, then scatters.  Stable, so least
 * significant digit first sorts by the whole key. */
#ifndef WEDGE_BASE_RADIX_H
#define WEDGE_BASE_RADIX_H

#include <stddef.h>

/* count[d] (how many have byte value d) becomes the slot where the first
 * of them goes */
static inline void wdg_radix_starts(size_t count[256])
{
    size_t at = 0;
    for (int d = 0; d < 256; d++) {
        size_t c = count[d];
        count[d] = at;
        at += c;
    }
}

#endif
