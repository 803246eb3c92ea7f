/* Number and field-name helpers shared by the line parsers. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wedge/utf8.h"
#include "formats.h"

void wdg_rec_clear(wdg_rec *r)
{
    /* objs/frames arrays are only read up to n_objs/n_frames */
    r->have = 0;
    r->n_objs = r->n_frames = 0;
    r->op = NULL;
    r->op_len = 0;
    r->op_id = WDG_OP_NONE;
    r->wait_all = r->suspended = 0;
    r->tid_from_handle = 0;
}

wdg_line_kind wdg_malformed(wdg_line_result *res, int reason, const char *fmt, ...)
{
    res->reason = reason;
    va_list ap;
    va_start(ap, fmt);
    wdg_utf8_vsnprintf(res->msg, sizeof res->msg, fmt, ap);
    va_end(ap);
    return LINE_MALFORMED;
}

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

static const struct {
    const char *name;
    size_t len;
    wdg_field field;
} field_names[] = {
    {"t", 1, F_T},
    {"host_ns", 7, F_T},
    {"ts_ns", 5, F_T},
    {"time_ns", 7, F_T},
    {"cycle", 5, F_CYCLE},
    {"tid", 3, F_TID},
    {"thread", 6, F_TID},
    {"thread_id", 9, F_TID},
    {"op", 2, F_OP},
    {"name", 4, F_OP},
    {"event", 5, F_OP},
    {"fn", 2, F_OP},
    {"import", 6, F_OP},
    {"lr", 2, F_LR},
    {"frames", 6, F_FRAMES},
    {"stack", 5, F_FRAMES},
    {"pc", 2, F_PC},
    {"obj", 3, F_OBJ},
    {"handle", 6, F_OBJ},
    {"objs", 4, F_OBJS},
    {"handles", 7, F_OBJS},
    {"wait_all", 8, F_WAIT_ALL},
    {"timeout", 7, F_TIMEOUT},
    {"entry_pc", 8, F_ENTRY_PC},
    {"start_address", 13, F_ENTRY_PC},
    {"entry", 5, F_ENTRY_PC},
    {"new_tid", 7, F_NEW_TID},
    {"child_tid", 9, F_NEW_TID},
    {"ret", 3, F_RET},
    {"suspended", 9, F_SUSPENDED},
    {"alias", 5, F_ALIAS},
    {"count", 5, F_COUNT},
    {"wedge_trace", 11, F_HEADER},
    {"engine", 6, F_ENGINE},
    {"title_id", 8, F_TITLE_ID},
    {"module_hash", 11, F_MODULE_HASH},
    {"observes", 8, F_OBSERVES},
    {"ended_at", 8, F_ENDED_AT},
};

/* canonical names, in wdg_field order */
static const char *const canonical[] = {
    "?",
    "t",
    "cycle",
    "tid",
    "op",
    "lr",
    "frames",
    "pc",
    "obj",
    "objs",
    "wait_all",
    "timeout",
    "entry_pc",
    "new_tid",
    "ret",
    "suspended",
    "alias",
    "count",
    "wedge_trace",
    "engine",
    "title_id",
    "module_hash",
    "observes",
    "ended_at",
};

/* Called for every member of every JSONL line: compare only names of the
 * right length. */
wdg_field wdg_field_lookup(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (field_names[i].len == n && field_names[i].name[0] == s[0] &&
            memcmp(field_names[i].name, s, n) == 0)
            return field_names[i].field;
    return F_UNKNOWN;
}

const char *wdg_field_name(wdg_field f)
{
    return (size_t)f < sizeof canonical / sizeof canonical[0] ? canonical[f] : "?";
}

int wdg_field_is_address(wdg_field f)
{
    return f == F_LR || f == F_PC || f == F_OBJ || f == F_ENTRY_PC || f == F_ALIAS ||
           f == F_OBJS || f == F_FRAMES;
}
