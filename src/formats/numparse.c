/* Number and field-name helpers shared by the line parsers. */
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
