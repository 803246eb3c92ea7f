/* jsonw.h - the one JSON writer: report.json, stats --json and truth.json
 * are written through it (docs/wedge.md, "Output text").
 *
 * Rules:
 *  - Appends to a caller-owned wdg_buf; the writer owns nothing and needs
 *    no freeing.  Allocation failure shows as the buffer's oom, as always.
 *  - Commas are the writer's: inside an object call wdg_jw_key() before
 *    each value; inside an array just write the values.
 *  - Layout: WDG_JW_INLINE containers separate items with ", "; LINES
 *    ones put each item on its own line, indented two spaces a level, and
 *    their closing bracket on a line of its own (an empty one stays "[]",
 *    or "[\n  ]" with WDG_JW_LINES_ALWAYS, as truth.json has it).
 *  - Strings are escaped and their bytes repaired to UTF-8 (wedge/utf8.h).
 *  - Numbers ignore the C locale: a host program that called
 *    setlocale(LC_ALL, "de_DE.UTF-8") still gets 0.25, never 0,25; a NaN or
 *    an infinity, which JSON cannot hold, is written null.
 *  - Misuse (a value without its key in an object, ends that do not match
 *    their begins, nesting deeper than WDG_JW_DEPTH) sets w->bad.
 */
#ifndef WEDGE_JSONW_H
#define WEDGE_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/buf.h"

enum { WDG_JW_DEPTH = 16 };

typedef enum { WDG_JW_INLINE, WDG_JW_LINES, WDG_JW_LINES_ALWAYS } wdg_jw_layout;

typedef struct wdg_jw {
    wdg_buf *b;
    int depth;
    int after_key;   /* a key was written; its value comes next */
    int same_line;   /* wdg_jw_same_line() was called */
    int bad;         /* misuse, see above */
    struct {
        char close;  /* '}' or ']' */
        unsigned char layout;
        size_t n;    /* items written */
    } lv[WDG_JW_DEPTH];
} wdg_jw;

void wdg_jw_init(wdg_jw *w, wdg_buf *b);

void wdg_jw_object(wdg_jw *w, wdg_jw_layout layout);
void wdg_jw_array(wdg_jw *w, wdg_jw_layout layout);
void wdg_jw_end(wdg_jw *w);   /* closes the innermost object or array */
/* The next item of a LINES container goes on the line of the one before,
 * after ", " (truth.json groups a few members so). */
void wdg_jw_same_line(wdg_jw *w);

void wdg_jw_key(wdg_jw *w, const char *name);
void wdg_jw_string(wdg_jw *w, const char *s);   /* NULL writes null */
void wdg_jw_stringf(wdg_jw *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void wdg_jw_int(wdg_jw *w, int64_t v);
void wdg_jw_uint(wdg_jw *w, uint64_t v);
void wdg_jw_bool(wdg_jw *w, int v);
void wdg_jw_null(wdg_jw *w);
/* v when has, else null: the shape of every optional number */
void wdg_jw_opt_int(wdg_jw *w, int has, int64_t v);
void wdg_jw_opt_uint(wdg_jw *w, int has, uint64_t v);
void wdg_jw_opt_addr(wdg_jw *w, int has, uint32_t v);
/* v as printf's %.*f (fixed) or %.*g (general) would write it in the C locale */
void wdg_jw_fixed(wdg_jw *w, double v, int decimals);
void wdg_jw_general(wdg_jw *w, double v, int digits);
/* ns in µs: what wdg_jw_fixed(w, (double)ns / 1000.0, 3) writes, without
 * printf while the digits are exact (timeline.json writes millions) */
void wdg_jw_ns_as_us(wdg_jw *w, int64_t ns);
/* a 32-bit guest address, "0x%08X" (as a string: JSON has no hex) */
void wdg_jw_addr(wdg_jw *w, uint32_t v);

/* Key and value in one call, the common case in an object. */
void wdg_jw_kstring(wdg_jw *w, const char *key, const char *s);
void wdg_jw_kint(wdg_jw *w, const char *key, int64_t v);
void wdg_jw_kuint(wdg_jw *w, const char *key, uint64_t v);
void wdg_jw_kbool(wdg_jw *w, const char *key, int v);

/* The number text alone: out gets v in the C locale's notation ("%.*f"
 * when conv is 'f', "%.*g" when 'g'), "null" for NaN and infinities.
 * Returns 0, or -1 when it does not fit in cap. */
int wdg_json_number(char *out, size_t cap, double v, char conv, int prec);

#endif
