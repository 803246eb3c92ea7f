/* Number parsers shared by the readers, the symbol table, the simulator and
 * the command line: byte ranges in, no NUL needed, no locale consulted. */
#include "numparse.h"
#include "swar.h"

#include <math.h>
#include <stdint.h>

/* A digit's value + 1, 0 for a byte that is no hex digit: one load per
 * digit, as addresses are parsed for nearly every trace line. */
#define H(c, v) [c] = (v) + 1
static const unsigned char hex1[256] = {
    H('0', 0), H('1', 1), H('2', 2), H('3', 3), H('4', 4), H('5', 5), H('6', 6), H('7', 7),
    H('8', 8), H('9', 9), H('a', 10), H('b', 11), H('c', 12), H('d', 13), H('e', 14),
    H('f', 15), H('A', 10), H('B', 11), H('C', 12), H('D', 13), H('E', 14), H('F', 15)};
#undef H

static int hexval(char c) { return (int)hex1[(unsigned char)c] - 1; }

int wdg_parse_hex64(const char *s, size_t n, uint64_t *out)
{
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
    }
    if (n == 0)
        return -1;
    uint64_t v = 0;
    int overflow = 0;
    size_t i = 0;
#ifdef WDG_SWAR
    if (n >= 8) {   /* a 32-bit address in one word */
        uint64_t w = load8((const unsigned char *)s);
        if (hex_run(w) < 8)
            return -1;
        v = hex_value(w, 8);
        i = 8;
    }
#endif
    for (; i < n; i++) {
        int d = hexval(s[i]);
        if (d < 0)
            return -1;
        if (v >> 60)
            overflow = 1;   /* keep scanning: a bad digit later is -1 */
        v = (v << 4) | (uint64_t)d;
    }
    if (overflow)
        return -2;
    *out = v;
    return 0;
}

int wdg_parse_hex32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v;
    int rc = wdg_parse_hex64(s, n, &v);
    if (rc < 0)
        return rc;
    if (v > UINT32_MAX)
        return -2;
    *out = (uint32_t)v;
    return 0;
}

int wdg_parse_udec64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0)
        return -1;
    uint64_t v = 0;
    int overflow = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = 1, v = 0;
        v = v * 10 + d;
    }
    if (overflow)
        return -2;
    *out = v;
    return 0;
}

int wdg_parse_dec64(const char *s, size_t n, int64_t *out)
{
    int neg = 0;
    if (n && s[0] == '-') {
        neg = 1;
        s++;
        n--;
    }
    if (n == 0)
        return -1;
    uint64_t v = 0;
    int overflow = 0;
    /* 18 digits cannot overflow: no check per digit */
    size_t quick = n < 18 ? n : 18, i = 0;
#ifdef WDG_SWAR
    if (n >= 8) {   /* the first eight digits in one word */
        uint64_t w = load8((const unsigned char *)s);
        if (run_of(in_range(w, '0', '9')) < 8)
            return -1;
        v = dec_value(w, 8);
        i = 8;
    }
#endif
    for (; i < quick; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    for (size_t i = quick; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = 1;
        else
            v = v * 10 + d;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (overflow || v > limit)
        return -2;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int wdg_parse_udec32(const char *s, size_t n, uint32_t *out)
{
    int64_t v;
    int rc = wdg_parse_dec64(s, n, &v);
    if (rc < 0)
        return rc;
    if (v < 0 || v > UINT32_MAX)
        return -2;
    *out = (uint32_t)v;
    return 0;
}

int wdg_parse_int64(const char *s, size_t n, int64_t *out)
{
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (n == 2)
            return -1;
        uint64_t v = 0;
        for (size_t i = 2; i < n; i++) {
            int d = hexval(s[i]);
            if (d < 0)
                return -1;
            if (v >> 59)
                return -2;
            v = (v << 4) | (uint64_t)d;
        }
        if (v > INT64_MAX)
            return -2;
        *out = (int64_t)v;
        return 0;
    }
    return wdg_parse_dec64(s, n, out);
}

/* 10^e for e in 0..22: exact in a double, so one multiplication or
 * division by them rounds once, as strtod would */
static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* mant * 10^e; exact to one rounding for mant < 2^53 and |e| <= 22 (every
 * option value a person types), within a few roundings beyond */
static double scale10(uint64_t mant, long e)
{
    double v = (double)mant;
    if (mant == 0)
        return 0;
    for (; e > 22 && v < 1e308; e -= 22)
        v *= 1e22;
    for (; e < -22 && v > 0; e += 22)
        v /= 1e22;
    if (e > 22)
        return v * 1e22 * 1e22;   /* already past DBL_MAX: infinity */
    if (e < -22)
        return 0;
    return e >= 0 ? v * pow10_exact[e] : v / pow10_exact[-e];
}

/* digits from s[*i]: into *mant while it has room (19 digits fit in a
 * uint64_t), counting in *dropped those that did not fit */
static size_t digits(const char *s, size_t n, size_t *i, uint64_t *mant, long *dropped)
{
    size_t start = *i;
    for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
        if (*mant < UINT64_MAX / 10 - 9)
            *mant = *mant * 10 + (uint64_t)(s[*i] - '0');
        else
            (*dropped)++;
    }
    return *i - start;
}

size_t wdg_scan_decimal(const char *s, size_t n, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t mant = 0;
    long int_dropped = 0, frac_dropped = 0;
    size_t n_int = digits(s, n, &i, &mant, &int_dropped), n_frac = 0;
    long e = int_dropped;   /* integer digits that did not fit still count */
    if (i < n && s[i] == '.') {
        size_t dot = i++;
        n_frac = digits(s, n, &i, &mant, &frac_dropped);
        e -= (long)n_frac - frac_dropped;
        if (n_int == 0 && n_frac == 0)
            i = dot;
    }
    if (n_int == 0 && n_frac == 0)
        return 0;
    /* an exponent only when digits follow it: "1e" is 1 then "e" */
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        int eneg = 0;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            eneg = s[j++] == '-';
        long x = 0;
        size_t d0 = j;
        for (; j < n && s[j] >= '0' && s[j] <= '9'; j++)
            if (x < 100000)   /* 10^100000 is infinity or 0 already */
                x = x * 10 + (s[j] - '0');
        if (j > d0) {
            e += eneg ? -x : x;
            i = j;
        }
    }
    double v = scale10(mant, e);
    *out = neg ? -v : v;
    return i;
}

int wdg_parse_decimal(const char *s, size_t n, double *out)
{
    double v;
    if (n == 0 || wdg_scan_decimal(s, n, &v) != n)
        return -1;
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}
