/* The JSON writer: see jsonw.h for the rules it implements. */
#include "jsonw.h"

#include "numfmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wdg_jw_init(wdg_jw *w, wdg_buf *b)
{
    w->b = b;
    w->depth = 0;
    w->after_key = 0;
    w->same_line = 0;
    w->bad = 0;
}

void wdg_jw_same_line(wdg_jw *w) { w->same_line = 1; }

static void indent(wdg_buf *b, int level)
{
    static const char spaces[] = "\n                                ";
    _Static_assert(sizeof spaces >= 2 + 2 * WDG_JW_DEPTH, "an indent for every level");
    if (level <= WDG_JW_DEPTH) {   /* always: one append */
        wdg_buf_put(b, spaces, 1 + 2 * (size_t)level);
        return;
    }
    wdg_buf_putc(b, '\n');
    for (int i = 0; i < level; i++)
        wdg_buf_put(b, "  ", 2);
}

/* what goes before a value: nothing after a key or at the top, else the
 * container's separator */
static void sep(wdg_jw *w, int is_key)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->depth)
        return;
    if ((w->lv[w->depth - 1].close == '}') != is_key)
        w->bad = 1;   /* a value in an object needs its key, a key its object */
    size_t n = w->lv[w->depth - 1].n++;
    int same_line = w->same_line && n;
    w->same_line = 0;
    if (w->lv[w->depth - 1].layout != WDG_JW_INLINE && !same_line) {
        if (n)
            wdg_buf_putc(w->b, ',');
        indent(w->b, w->depth);
    } else if (n) {
        wdg_buf_put(w->b, ", ", 2);
    }
}

static void begin(wdg_jw *w, char c, char close, wdg_jw_layout layout)
{
    sep(w, 0);
    if (w->depth == WDG_JW_DEPTH) {
        w->bad = 1;
        return;
    }
    wdg_buf_putc(w->b, c);
    w->lv[w->depth].close = close;
    w->lv[w->depth].layout = (unsigned char)layout;
    w->lv[w->depth].n = 0;
    w->depth++;
}

void wdg_jw_object(wdg_jw *w, wdg_jw_layout layout) { begin(w, '{', '}', layout); }

void wdg_jw_array(wdg_jw *w, wdg_jw_layout layout) { begin(w, '[', ']', layout); }

void wdg_jw_end(wdg_jw *w)
{
    if (!w->depth || w->after_key) {
        w->bad = 1;
        return;
    }
    w->depth--;
    unsigned char layout = w->lv[w->depth].layout;
    if (layout == WDG_JW_LINES_ALWAYS || (layout == WDG_JW_LINES && w->lv[w->depth].n))
        indent(w->b, w->depth);
    wdg_buf_putc(w->b, w->lv[w->depth].close);
}

void wdg_jw_key(wdg_jw *w, const char *name)
{
    if (!w->depth || w->after_key) {
        w->bad = 1;
        return;
    }
    sep(w, 1);
    w->after_key = 1;
    size_t n = strlen(name), i = 0;
    while (i < n && (unsigned char)name[i] >= 0x20 && (unsigned char)name[i] < 0x80 &&
           name[i] != '"' && name[i] != '\\')
        i++;
    char *o = i == n ? wdg_buf_room(w->b, n + 4) : NULL;
    if (!o) {   /* escapes to write (or no memory: then both do nothing) */
        wdg_buf_json_str(w->b, name);
        wdg_buf_put(w->b, ": ", 2);
        return;
    }
    o[0] = '"';   /* the common case, a plain name, in one piece */
    memcpy(o + 1, name, n);
    memcpy(o + n + 1, "\": ", 3);
    wdg_buf_added(w->b, n + 4);
}

void wdg_jw_string(wdg_jw *w, const char *s)
{
    sep(w, 0);
    if (s)
        wdg_buf_json_str(w->b, s);
    else
        wdg_buf_puts(w->b, "null");
}

void wdg_jw_stringf(wdg_jw *w, const char *fmt, ...)
{
    char small[256], *text = small;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= sizeof small) {   /* long: again, on the heap */
        text = malloc((size_t)n + 1);
        if (!text) {
            w->b->oom = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    wdg_jw_string(w, n < 0 ? "" : text);
    if (text != small)
        free(text);
}

void wdg_jw_int(wdg_jw *w, int64_t v)
{
    sep(w, 0);
    wdg_buf_i64(w->b, v);
}

void wdg_jw_uint(wdg_jw *w, uint64_t v)
{
    sep(w, 0);
    wdg_buf_u64(w->b, v);
}

void wdg_jw_bool(wdg_jw *w, int v)
{
    sep(w, 0);
    wdg_buf_puts(w->b, v ? "true" : "false");
}

void wdg_jw_null(wdg_jw *w)
{
    sep(w, 0);
    wdg_buf_puts(w->b, "null");
}

void wdg_jw_opt_int(wdg_jw *w, int has, int64_t v)
{
    if (has)
        wdg_jw_int(w, v);
    else
        wdg_jw_null(w);
}

void wdg_jw_opt_uint(wdg_jw *w, int has, uint64_t v)
{
    if (has)
        wdg_jw_uint(w, v);
    else
        wdg_jw_null(w);
}

void wdg_jw_opt_addr(wdg_jw *w, int has, uint32_t v)
{
    if (has)
        wdg_jw_addr(w, v);
    else
        wdg_jw_null(w);
}

void wdg_jw_addr(wdg_jw *w, uint32_t v)
{
    char s[16] = "\"0x";
    size_t n = 3 + wdg_fmt_hex(s + 3, v, 8, 1);
    s[n++] = '"';
    sep(w, 0);
    wdg_buf_put(w->b, s, n);
}

/* snprintf honours LC_NUMERIC, whose decimal point may be ',' or even
 * several bytes (U+066B); %f and %g write only a sign, digits, that point
 * and an exponent, so any other run of bytes is the point and becomes '.'.
 * Portable C11 and thread-safe: it reads no locale state itself (no
 * localeconv(), whose result another thread's setlocale() may overwrite)
 * and changes none (no setlocale()/uselocale()). */
int wdg_json_number(char *out, size_t cap, double v, char conv, int prec)
{
    char tmp[512];
    if (isnan(v) || isinf(v))
        return snprintf(out, cap, "null") < (int)cap ? 0 : -1;
    int n = snprintf(tmp, sizeof tmp, conv == 'f' ? "%.*f" : "%.*g", prec, v);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return -1;
    size_t o = 0;
    for (int i = 0; i < n;) {
        char c = tmp[i];
        int plain = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E';
        if (o + 1 >= cap)
            return -1;
        if (plain) {
            out[o++] = c;
            i++;
            continue;
        }
        out[o++] = '.';
        while (i < n && !((tmp[i] >= '0' && tmp[i] <= '9') || tmp[i] == 'e' || tmp[i] == 'E'))
            i++;
    }
    out[o] = 0;
    return 0;
}

static void number(wdg_jw *w, double v, char conv, int prec)
{
    char s[512];
    sep(w, 0);
    wdg_buf_puts(w->b, wdg_json_number(s, sizeof s, v, conv, prec) == 0 ? s : "null");
}

void wdg_jw_fixed(wdg_jw *w, double v, int decimals) { number(w, v, 'f', decimals); }

void wdg_jw_ns_as_us(wdg_jw *w, int64_t ns)
{
    char s[WDG_NUMFMT_MAX];
    size_t n = wdg_fmt_milli(s, ns);
    if (!n) {   /* beyond the exact digits: as printf rounds the double */
        number(w, (double)ns / 1000.0, 'f', 3);
        return;
    }
    sep(w, 0);
    wdg_buf_put(w->b, s, n);
}

void wdg_jw_general(wdg_jw *w, double v, int digits) { number(w, v, 'g', digits); }

void wdg_jw_kstring(wdg_jw *w, const char *key, const char *s)
{
    wdg_jw_key(w, key);
    wdg_jw_string(w, s);
}

void wdg_jw_kint(wdg_jw *w, const char *key, int64_t v)
{
    wdg_jw_key(w, key);
    wdg_jw_int(w, v);
}

void wdg_jw_kuint(wdg_jw *w, const char *key, uint64_t v)
{
    wdg_jw_key(w, key);
    wdg_jw_uint(w, v);
}

void wdg_jw_kbool(wdg_jw *w, const char *key, int v)
{
    wdg_jw_key(w, key);
    wdg_jw_bool(w, v);
}
