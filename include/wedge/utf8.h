/* wedge/utf8.h - every file and stream wedge writes is valid UTF-8,
 * whatever bytes its input held.
 *
 * The rule (docs/wedge.md, "Output text"): a byte that is not part of a
 * well-formed UTF-8 character (RFC 3629: shortest form, no surrogates,
 * nothing above U+10FFFF) is written as U+FFFD, one U+FFFD per byte; text
 * cut to fit a bounded field is cut before a character, never inside one.
 * The functions here read their arguments only; none allocates.
 */
#ifndef WEDGE_UTF8_H
#define WEDGE_UTF8_H

#include <stdarg.h>
#include <stddef.h>

#include "wedge/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The UTF-8 encoding of U+FFFD, what an invalid byte becomes. */
#define WDG_UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* Length (1-4) of the well-formed character that starts s (n bytes
 * available), 0 when s does not start one (or n is 0). */
WDG_API size_t wdg_utf8_char_len(const char *s, size_t n);

/* 1 when the n bytes at s are well-formed UTF-8, else 0. */
WDG_API int wdg_utf8_valid(const char *s, size_t n);

/* The largest length <= max at which s (n bytes) can be cut without
 * splitting a well-formed character. */
WDG_API size_t wdg_utf8_cut(const char *s, size_t n, size_t max);

/* snprintf() that, when the text does not fit, drops the character the
 * cut would split: out always ends on a character boundary.  Returns
 * what snprintf returns (the length the whole text needed). */
WDG_API int wdg_utf8_snprintf(char *out, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
WDG_API int wdg_utf8_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap);

#ifdef __cplusplus
}
#endif

#endif
