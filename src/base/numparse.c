/* Number parsers shared by the readers, the symbol table, the simulator and
 * the command line: byte ranges in, no NUL needed, no locale consulted. */
#include "numparse.h"

#include <stdint.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int wdg_parse_hex32(const char *s, size_t n, uint32_t *out)
{
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
    }
    if (n == 0)
        return -1;
    uint64_t v = 0;
    int overflow = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hexval(s[i]);
        if (d < 0)
            return -1;
        v = (v << 4) | (uint64_t)d;
        if (v > UINT32_MAX)
            overflow = 1, v = UINT32_MAX;
    }
    if (overflow)
        return -2;
    *out = (uint32_t)v;
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
    for (size_t i = 0; i < n; i++) {
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
