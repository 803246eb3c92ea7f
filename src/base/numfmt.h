/* numfmt.h - integers written by hand (internal, base layer).
 *
 * The outputs write millions of numbers (aligned-sequence.csv, timeline.json)
 * and snprintf was most of their cost.  Each function here writes exactly
 * what the printf conversion named beside it writes, into out (which must
 * hold the size named), adds a NUL and returns the length without it.
 * None consults the locale.  tests/unit/test_numfmt.c checks them against
 * snprintf.
 */
#ifndef WEDGE_NUMFMT_H
#define WEDGE_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

enum { WDG_NUMFMT_MAX = 32 };   /* enough for any of them */

size_t wdg_fmt_u64(char *out, uint64_t v);                 /* "%llu" */
size_t wdg_fmt_i64(char *out, int64_t v);                  /* "%lld" */
/* "%0*llX" (upper) or "%0*llx": at least min_digits (0 to 16) hex digits */
size_t wdg_fmt_hex(char *out, uint64_t v, int min_digits, int upper);
/* "%.3f" of (double)v / 1000.0, a time in ns as µs: the same digits as the
 * integer division while the double holds them exactly; returns 0 (and
 * writes nothing) when |v| is too large for that, for the caller's printf */
size_t wdg_fmt_milli(char *out, int64_t v);

#endif
