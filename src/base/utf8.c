/* UTF-8 helpers: see wedge/utf8.h for the rule they implement. */
#include "wedge/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bytes a character with this lead byte takes, and the range its second
 * byte must lie in (which rules out overlongs, surrogates and values past
 * U+10FFFF); 0 for a byte that leads nothing. */
static size_t lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            *lo = 0xA0;
        else if (c == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            *lo = 0x90;
        else if (c == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

/* How many of the bytes after the lead (at most len - 1 of avail) are the
 * right continuation bytes. */
static size_t follows(const unsigned char *p, size_t len, size_t avail, unsigned char lo,
                      unsigned char hi)
{
    size_t i = 1;
    for (; i < len && i < avail; i++) {
        unsigned char b = p[i];
        if (i == 1 ? b < lo || b > hi : (b & 0xC0) != 0x80)
            break;
    }
    return i - 1;
}

size_t wdg_utf8_char_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char lo, hi;
    if (!n)
        return 0;
    size_t len = lead(p[0], &lo, &hi);
    if (len <= 1)
        return len;
    return follows(p, len, n, lo, hi) == len - 1 ? len : 0;
}

int wdg_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint64_t w;   /* ASCII eight bytes at a time: most text is */
        if (n - i >= 8 && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u))) {
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = wdg_utf8_char_len(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

size_t wdg_utf8_cut(const char *s, size_t n, size_t max)
{
    if (max >= n || ((unsigned char)s[max] & 0xC0) != 0x80)
        return max < n ? max : n;
    /* byte max continues a character that starts at most 3 bytes before */
    for (size_t back = 1; back <= 3 && back <= max; back++) {
        size_t j = max - back;
        if (((unsigned char)s[j] & 0xC0) == 0x80)
            continue;
        return wdg_utf8_char_len(s + j, n - j) > back ? j : max;
    }
    return max;
}

/* The length of s (len bytes, cut from a longer text) without a last
 * character the cut left incomplete. */
static size_t drop_partial(const char *s, size_t len)
{
    for (size_t j = len; j > 0 && len - j < 3; j--) {
        const unsigned char *p = (const unsigned char *)s + j - 1;
        if ((*p & 0xC0) == 0x80)
            continue;
        unsigned char lo, hi;
        size_t need = lead(*p, &lo, &hi), have = len - (j - 1);
        /* a well-formed beginning of a longer character: the cut split it */
        if (need > have && follows(p, need, have, lo, hi) == have - 1)
            return j - 1;
        return len;
    }
    return len;
}

int wdg_utf8_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap)
{
    int n = vsnprintf(out, cap, fmt, ap);
    if (n >= 0 && cap && (size_t)n >= cap)
        out[drop_partial(out, cap - 1)] = 0;
    return n;
}

int wdg_utf8_snprintf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = wdg_utf8_vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n;
}
