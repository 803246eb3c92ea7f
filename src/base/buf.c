#include "wedge/buf.h"

#include "wedge/utf8.h"

#include "grow.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wdg_buf_init(wdg_buf *b)
{
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

void wdg_buf_free(wdg_buf *b)
{
    free(b->ptr);
    wdg_buf_init(b);
}

void wdg_buf_reset(wdg_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = 0;
}

static int reserve(wdg_buf *b, size_t extra)
{
    if (b->oom)
        return 0;
    if (b->cap > b->len && extra < b->cap - b->len)
        return 1;   /* room already (and for the NUL): the common case */
    if (extra >= SIZE_MAX - b->len ||
        wdg_grow((void **)&b->ptr, &b->cap, b->len + extra + 1, 1, 256) < 0) {
        b->oom = 1;
        return 0;
    }
    return 1;
}

void wdg_buf_put(wdg_buf *b, const void *data, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = 0;
}

void wdg_buf_puts(wdg_buf *b, const char *s) { wdg_buf_put(b, s, strlen(s)); }

void wdg_buf_putc(wdg_buf *b, char c)
{
    if (!reserve(b, 1))
        return;
    b->ptr[b->len++] = c;
    b->ptr[b->len] = 0;
}

void wdg_buf_printf(wdg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        wdg_buf_put(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Appends the character at p (n bytes left) as it is when well-formed,
 * else U+FFFD for its first byte; returns the bytes consumed. */
static size_t put_char(wdg_buf *b, const char *p, size_t n)
{
    size_t k = wdg_utf8_char_len(p, n);
    if (!k) {
        wdg_buf_puts(b, WDG_UTF8_REPLACEMENT);
        return 1;
    }
    wdg_buf_put(b, p, k);
    return k;
}

void wdg_buf_put_utf8(wdg_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t run = i;   /* ASCII goes in one piece */
        while (run < n && (unsigned char)s[run] < 0x80)
            run++;
        wdg_buf_put(b, s + i, run - i);
        i = run;
        if (i < n)
            i += put_char(b, s + i, n - i);
    }
}

void wdg_buf_repair_utf8(wdg_buf *b, size_t from)
{
    if (b->oom || !b->ptr || from >= b->len || wdg_utf8_valid(b->ptr + from, b->len - from))
        return;
    wdg_buf fixed = WDG_BUF_INIT;
    wdg_buf_put_utf8(&fixed, b->ptr + from, b->len - from);
    if (fixed.oom) {
        b->oom = 1;
    } else {
        b->len = from;
        wdg_buf_put(b, fixed.ptr, fixed.len);
    }
    wdg_buf_free(&fixed);
}

void wdg_buf_json_str(wdg_buf *b, const char *s)
{
    size_t n = strlen(s);
    wdg_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        size_t run = i;   /* characters that need no escape go in one piece */
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x80 &&
               s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            wdg_buf_put(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            i += put_char(b, s + i, n - i);
            continue;
        }
        switch (c) {
        case '"': wdg_buf_puts(b, "\\\""); break;
        case '\\': wdg_buf_puts(b, "\\\\"); break;
        case '\n': wdg_buf_puts(b, "\\n"); break;
        case '\r': wdg_buf_puts(b, "\\r"); break;
        case '\t': wdg_buf_puts(b, "\\t"); break;
        default:
            if (c < 0x20)
                wdg_buf_printf(b, "\\u%04x", c);
            else
                wdg_buf_putc(b, (char)c);
        }
        i++;
    }
    wdg_buf_putc(b, '"');
}

void wdg_buf_csv_str(wdg_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\n\r")) {
        wdg_buf_put_utf8(b, s, n);
        return;
    }
    wdg_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        if (s[i] == '"')
            wdg_buf_putc(b, '"');
        if ((unsigned char)s[i] < 0x80)
            wdg_buf_putc(b, s[i++]);
        else
            i += put_char(b, s + i, n - i);
    }
    wdg_buf_putc(b, '"');
}
