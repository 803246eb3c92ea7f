/* Number and field-name helpers shared by the line parsers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
    vsnprintf(res->msg, sizeof res->msg, fmt, ap);
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
    wdg_field field;
} field_names[] = {
    {"t", F_T}, {"host_ns", F_T}, {"ts_ns", F_T}, {"time_ns", F_T},
    {"cycle", F_CYCLE},
    {"tid", F_TID}, {"thread", F_TID}, {"thread_id", F_TID},
    {"op", F_OP}, {"name", F_OP}, {"event", F_OP}, {"fn", F_OP}, {"import", F_OP},
    {"lr", F_LR},
    {"frames", F_FRAMES}, {"stack", F_FRAMES},
    {"pc", F_PC},
    {"obj", F_OBJ}, {"handle", F_OBJ},
    {"objs", F_OBJS}, {"handles", F_OBJS},
    {"wait_all", F_WAIT_ALL},
    {"timeout", F_TIMEOUT},
    {"entry_pc", F_ENTRY_PC}, {"start_address", F_ENTRY_PC}, {"entry", F_ENTRY_PC},
    {"new_tid", F_NEW_TID}, {"child_tid", F_NEW_TID},
    {"ret", F_RET},
    {"suspended", F_SUSPENDED},
    {"alias", F_ALIAS},
    {"count", F_COUNT},
    {"wedge_trace", F_HEADER},
    {"engine", F_ENGINE},
    {"title_id", F_TITLE_ID},
    {"module_hash", F_MODULE_HASH},
    {"observes", F_OBSERVES},
};

wdg_field wdg_field_lookup(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (strlen(field_names[i].name) == n && memcmp(field_names[i].name, s, n) == 0)
            return field_names[i].field;
    return F_UNKNOWN;
}

const char *wdg_field_name(wdg_field f)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (field_names[i].field == f)
            return field_names[i].name;
    return "?";
}

int wdg_field_is_address(wdg_field f)
{
    return f == F_LR || f == F_PC || f == F_OBJ || f == F_ENTRY_PC || f == F_ALIAS ||
           f == F_OBJS || f == F_FRAMES;
}
