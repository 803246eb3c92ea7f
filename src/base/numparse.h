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
int wdg_parse_hex64(const char *s, size_t n, uint64_t *out);   /* opt. 0x */
int wdg_parse_udec64(const char *s, size_t n, uint64_t *out);  /* no sign */
int wdg_parse_dec64(const char *s, size_t n, int64_t *out);    /* opt. - */
int wdg_parse_udec32(const char *s, size_t n, uint32_t *out);
/* decimal, or hex with 0x */
int wdg_parse_int64(const char *s, size_t n, int64_t *out);
/* A decimal fraction, [+-]DIGITS[.DIGITS][e[+-]DIGITS] (digits on at least
 * one side of the point), with '.' as its point whatever the locale: options
 * such as --tolerance 0.25 mean the same in a host that called setlocale().
 * wdg_scan_decimal takes the longest such prefix ("12.5" of "12.5s") and
 * returns its length, 0 when s starts with none; *out may be an infinity
 * when the exponent is huge.  wdg_parse_decimal takes all of s (-1 when it
 * is not one number, -2 when the number is not finite). */
size_t wdg_scan_decimal(const char *s, size_t n, double *out);
int wdg_parse_decimal(const char *s, size_t n, double *out);

#endif
