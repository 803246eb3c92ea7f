#include "wedge/buf.h"

#include "wedge/utf8.h"

#include "grow.h"
#include "numfmt.h"

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

char *wdg_buf_room(wdg_buf *b, size_t n) { return reserve(b, n) ? b->ptr + b->len : NULL; }

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

/* "00" to "99": two digits a step halves the divisions */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t wdg_fmt_u64(char *out, uint64_t v)
{
    char tmp[20], *p = tmp + sizeof tmp;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = digit_pairs[d + 1];
        *--p = digit_pairs[d];
    }
    if (v >= 10) {
        *--p = digit_pairs[v * 2 + 1];
        *--p = digit_pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(out, p, n);
    out[n] = 0;
    return n;
}

size_t wdg_fmt_i64(char *out, int64_t v)
{
    if (v >= 0)
        return wdg_fmt_u64(out, (uint64_t)v);
    out[0] = '-';   /* the magnitude unsigned: -INT64_MIN does not fit */
    return 1 + wdg_fmt_u64(out + 1, 0 - (uint64_t)v);
}

size_t wdg_fmt_hex(char *out, uint64_t v, int min_digits, int upper)
{
    const char *xd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[16], *p = tmp + sizeof tmp;
    do {
        *--p = xd[v & 15];
        v >>= 4;
    } while (v);
    size_t n = (size_t)(tmp + sizeof tmp - p), pad = 0;
    if (min_digits > 16)
        min_digits = 16;
    if (min_digits > 0 && (size_t)min_digits > n)   /* < 0: no padding */
        pad = (size_t)min_digits - n;
    memset(out, '0', pad);
    memcpy(out + pad, p, n);
    out[pad + n] = 0;
    return pad + n;
}

size_t wdg_fmt_milli(char *out, int64_t v)
{
    /* Below 10^15 the double quotient lies within |v| 2^-53 / 1000 of the
     * decimal one, far less than the 0.0005 that would change %.3f's
     * rounding, and (double)v is exact: so the digits are v's own. */
    if (v <= -1000000000000000 || v >= 1000000000000000)
        return 0;
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0;
    if (v < 0)
        out[n++] = '-';
    n += wdg_fmt_u64(out + n, mag / 1000);
    unsigned frac = (unsigned)(mag % 1000);
    out[n++] = '.';
    out[n++] = (char)('0' + frac / 100);
    out[n++] = digit_pairs[(frac % 100) * 2];
    out[n++] = digit_pairs[(frac % 100) * 2 + 1];
    out[n] = 0;
    return n;
}

void wdg_buf_u64(wdg_buf *b, uint64_t v)
{
    char s[WDG_NUMFMT_MAX];
    wdg_buf_put(b, s, wdg_fmt_u64(s, v));
}

void wdg_buf_i64(wdg_buf *b, int64_t v)
{
    char s[WDG_NUMFMT_MAX];
    wdg_buf_put(b, s, wdg_fmt_i64(s, v));
}

void wdg_buf_hex(wdg_buf *b, uint64_t v, int min_digits, int upper)
{
    char s[WDG_NUMFMT_MAX];
    wdg_buf_put(b, s, wdg_fmt_hex(s, v, min_digits, upper));
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

/* Does byte c go into a JSON string as it is?  (No quote, backslash,
 * control byte, nor a byte of a multibyte character, which is checked.) */
static int json_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

void wdg_buf_json_str(wdg_buf *b, const char *s)
{
    size_t n = strlen(s), plain = 0;
    while (plain < n && json_plain((unsigned char)s[plain]))
        plain++;
    if (plain == n) {   /* the common case: one copy between the quotes */
        if (!reserve(b, n + 2))
            return;
        char *o = b->ptr + b->len;
        o[0] = '"';
        memcpy(o + 1, s, n);
        o[n + 1] = '"';
        o[n + 2] = 0;
        b->len += n + 2;
        return;
    }
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
