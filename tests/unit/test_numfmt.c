/* Integers written by hand (src/base/numfmt.h, wdg_buf_u64 and friends)
 * against snprintf, which they replace in the outputs: edge values, every
 * digit count, widths, and a few thousand pseudo-random values. */
#include <stdlib.h>

#include "../../src/base/numfmt.h"
#include "harness.h"
#include "wedge/buf.h"
#include "wedge/sites.h"

/* the values each check runs over: 0, 1, powers of ten and their
 * neighbours (every digit count), powers of two, extremes, random */
static size_t edge_values(uint64_t *v, size_t cap)
{
    size_t n = 0;
    v[n++] = 0;
    v[n++] = UINT64_MAX;
    v[n++] = (uint64_t)INT64_MAX;
    v[n++] = (uint64_t)INT64_MIN;
    for (uint64_t p = 1;; p *= 10) {
        v[n++] = p - 1, v[n++] = p, v[n++] = p + 1;
        if (p > UINT64_MAX / 10)
            break;
    }
    for (int s = 0; s < 64; s++)
        v[n++] = (uint64_t)1 << s, v[n++] = ((uint64_t)1 << s) - 1;
    uint64_t x = 0x9E3779B97F4A7C15u;
    while (n < cap) {   /* xorshift: wide and narrow values alike */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v[n++] = x >> (x % 64);
    }
    return n;
}

void test_numfmt(void)
{
    uint64_t v[4000];
    size_t n = edge_values(v, sizeof v / sizeof v[0]);
    char got[WDG_NUMFMT_MAX], want[64];
    int bad_u = 0, bad_i = 0, bad_x = 0, bad_m = 0, bad_len = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(want, sizeof want, "%llu", (unsigned long long)v[i]);
        bad_len += wdg_fmt_u64(got, v[i]) != strlen(want);
        bad_u += strcmp(got, want) != 0;
        for (int neg = 0; neg < 2; neg++) {
            int64_t s = neg ? (int64_t)(0 - v[i]) : (int64_t)v[i];
            snprintf(want, sizeof want, "%lld", (long long)s);
            bad_len += wdg_fmt_i64(got, s) != strlen(want);
            bad_i += strcmp(got, want) != 0;
            /* in range (10^15 ns, 11.6 days) the digits are %.3f's */
            size_t m = wdg_fmt_milli(got, s);
            if (m) {
                snprintf(want, sizeof want, "%.3f", (double)s / 1000.0);
                bad_len += m != strlen(want);
                bad_m += strcmp(got, want) != 0;
            } else {
                bad_m += s > -1000000000000000 && s < 1000000000000000;
            }
        }
        /* a negative width pads nothing (it used to overrun the buffer) */
        for (int w = -3; w <= 17; w++)
            for (int up = 0; up < 2; up++) {
                snprintf(want, sizeof want, up ? "%0*llX" : "%0*llx", w < 0 ? 0 : w < 16 ? w : 16,
                         (unsigned long long)v[i]);
                bad_len += wdg_fmt_hex(got, v[i], w, up) != strlen(want);
                bad_x += strcmp(got, want) != 0;
            }
    }
    CHECK_INT(bad_u, 0);
    CHECK_INT(bad_i, 0);
    CHECK_INT(bad_x, 0);
    CHECK_INT(bad_m, 0);
    CHECK_INT(bad_len, 0);

    /* every millisecond value near the edges of a second and of the range */
    int bad_near = 0;
    for (int64_t base = -2000; base <= 2000; base += 1000)
        for (int64_t d = -1001; d <= 1001; d++) {
            snprintf(want, sizeof want, "%.3f", (double)(base + d) / 1000.0);
            wdg_fmt_milli(got, base + d);
            bad_near += strcmp(got, want) != 0;
        }
    for (int64_t d = -3000; d <= 3000; d++) {
        int64_t s = 999999999999999 - 3000 + d;
        snprintf(want, sizeof want, "%.3f", (double)s / 1000.0);
        if (wdg_fmt_milli(got, s))
            bad_near += strcmp(got, want) != 0;
        snprintf(want, sizeof want, "%.3f", (double)-s / 1000.0);
        if (wdg_fmt_milli(got, -s))
            bad_near += strcmp(got, want) != 0;
    }
    CHECK_INT(bad_near, 0);
    CHECK_STR((wdg_fmt_milli(got, -1), got), "-0.001");
    CHECK_INT(wdg_fmt_milli(got, INT64_MIN), 0);
    CHECK_INT(wdg_fmt_milli(got, 1000000000000000), 0);

    /* the appends: after other text, one NUL-terminated buffer */
    wdg_buf b = WDG_BUF_INIT;
    wdg_buf_puts(&b, "x");
    wdg_buf_u64(&b, UINT64_MAX);
    wdg_buf_putc(&b, ',');
    wdg_buf_i64(&b, INT64_MIN);
    wdg_buf_putc(&b, ',');
    wdg_buf_hex(&b, 0xABCu, 8, 1);
    wdg_buf_putc(&b, ',');
    wdg_buf_hex(&b, 0, 0, 0);
    CHECK_STR(b.ptr, "x18446744073709551615,-9223372036854775808,00000ABC,0");
    CHECK_INT(b.len, strlen(b.ptr));
    wdg_buf_free(&b);
}

/* wdg_addr_format's quick paths write what its printf did, cut alike */
void test_addr_format(void)
{
    wdg_sites *st = NULL;
    CHECK_INT(wdg_sites_new(&st), 0);
    const uint64_t vals[] = {0, 1, 0xABC, 0x82000010u, UINT32_MAX, (uint64_t)UINT32_MAX + 1,
                             0x123456789ABCull, UINT64_MAX >> 1};
    const char *mods[] = {"libc.so.6", "libstdc++.so.6", "m"};
    int bad = 0;
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        for (size_t k = 0; k <= 3; k++) {
            wdg_addr a;
            char want[96], got[96];
            if (k < 3) {
                CHECK_INT(wdg_sites_module(st, mods[k], strlen(mods[k]), vals[i], &a), 0);
                snprintf(want, sizeof want, "%s+0x%llX", mods[k], (unsigned long long)vals[i]);
            } else if (vals[i] <= UINT32_MAX) {
                a = vals[i];
                snprintf(want, sizeof want, "0x%08X", (unsigned)vals[i]);
            } else {
                CHECK_INT(wdg_sites_absolute(st, vals[i], &a), 0);
                snprintf(want, sizeof want, "0x%08llX", (unsigned long long)vals[i]);
            }
            for (size_t cap = 1; cap <= sizeof got; cap++) {   /* cut as snprintf cuts */
                char cut[96];
                snprintf(cut, cap, "%s", want);
                memset(got, 'z', sizeof got);
                wdg_addr_format(st, a, got, cap);
                bad += strcmp(got, cut) != 0;
            }
        }
    }
    CHECK_INT(bad, 0);
    wdg_sites_free(st);
}
