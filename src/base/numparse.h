/* numparse.h - numbers from byte ranges (internal, base layer).
 *
 * The readers parse fields that are not NUL-terminated, so every parser
 * takes a pointer and a length.  None consults the locale.
 */
#ifndef WEDGE_NUMPARSE_H
#define WEDGE_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

/* All return 0 on success, -1 = not a number of that form, -2 = out of range. */
int wdg_parse_hex32(const char *s, size_t n, uint32_t *out);   /* opt. 0x */
int wdg_parse_dec64(const char *s, size_t n, int64_t *out);    /* opt. - */
int wdg_parse_udec32(const char *s, size_t n, uint32_t *out);
/* decimal, or hex with 0x */
int wdg_parse_int64(const char *s, size_t n, int64_t *out);

#endif
