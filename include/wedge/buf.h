/* wedge/buf.h - a growable byte buffer for building text.
 *
 * Rules (as in git's strbuf):
 *  - A wdg_buf is initialised with WDG_BUF_INIT or wdg_buf_init() and owns
 *    its memory; wdg_buf_free() releases it and leaves an empty buffer.
 *  - ptr is always NUL-terminated once anything has been added, so
 *    buf.ptr can be passed to C string functions; len excludes the NUL.
 *  - Appending never fails silently: on allocation failure the buffer is
 *    marked failed (oom = 1), later appends are ignored, and the caller
 *    checks oom once at the end instead of after every call.
 */
#ifndef WEDGE_BUF_H
#define WEDGE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_buf {
    char *ptr;
    size_t len;
    size_t cap;
    int oom;
} wdg_buf;

#define WDG_BUF_INIT {NULL, 0, 0, 0}

WDG_API void wdg_buf_init(wdg_buf *b);
WDG_API void wdg_buf_free(wdg_buf *b);
WDG_API void wdg_buf_reset(wdg_buf *b);             /* len = 0, keeps memory */
WDG_API void wdg_buf_put(wdg_buf *b, const void *data, size_t n);
WDG_API void wdg_buf_puts(wdg_buf *b, const char *s);
WDG_API void wdg_buf_putc(wdg_buf *b, char c);
WDG_API void wdg_buf_printf(wdg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Room for n more bytes and the NUL at the end: where to write them, or
 * NULL when the buffer failed (oom); wdg_buf_added(b, k) then counts the
 * k <= n bytes written.  The writers' hot paths append a piece so in one
 * call instead of several. */
WDG_API char *wdg_buf_room(wdg_buf *b, size_t n);
static inline void wdg_buf_added(wdg_buf *b, size_t k)
{
    b->len += k;
    b->ptr[b->len] = 0;
}
/* printf's "%llu", "%lld" and "%0*llX" ("%0*llx" when !upper, at most 16
 * digits of padding), written by hand: the outputs write millions */
WDG_API void wdg_buf_u64(wdg_buf *b, uint64_t v);
WDG_API void wdg_buf_i64(wdg_buf *b, int64_t v);
WDG_API void wdg_buf_hex(wdg_buf *b, uint64_t v, int min_digits, int upper);
/* Appends s as a JSON string literal, quotes included. */
WDG_API void wdg_buf_json_str(wdg_buf *b, const char *s);
/* Appends s as a CSV field, quoted when it holds , " or a newline. */
WDG_API void wdg_buf_csv_str(wdg_buf *b, const char *s);
/* These three write valid UTF-8 whatever they are given: a byte outside
 * every well-formed character becomes U+FFFD (wedge/utf8.h).  The two
 * above do it as they append; wdg_buf_put_utf8() appends n bytes of s so;
 * wdg_buf_repair_utf8() rewrites what the buffer holds from offset from. */
WDG_API void wdg_buf_put_utf8(wdg_buf *b, const char *s, size_t n);
WDG_API void wdg_buf_repair_utf8(wdg_buf *b, size_t from);

#ifdef __cplusplus
}
#endif

#endif
