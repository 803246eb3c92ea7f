/* wline.c - the writer's lines, formatted by hand: no printf (it follows
 * the locale and costs more than the rest of an event), no allocation. */
#include <string.h>

#include "wedge/error.h"
#include "wedge/utf8.h"
#include "writer_internal.h"

#define OP_MAX 255
#define LIST_MAX 64

static const char HEX[] = "0123456789ABCDEF";

static char *put_lit(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
#define LIT(p, s) put_lit((p), (s), sizeof(s) - 1)

/* two digits per division: t has 13 to 19 of them on most hosts */
static const char DIGITS2[] = "00010203040506070809101112131415161718192021222324"
                              "25262728293031323334353637383940414243444546474849"
                              "50515253545556575859606162636465666768697071727374"
                              "75767778798081828384858687888990919293949596979899";

/* v's digits backwards ending at end, 32-bit arithmetic only (a 64-bit
 * division costs several times more); returns the first digit */
static char *digits32(char *end, uint32_t v)
{
    while (v >= 100) {
        unsigned d = (v % 100) * 2;
        v /= 100;
        *--end = DIGITS2[d + 1];
        *--end = DIGITS2[d];
    }
    if (v >= 10) {
        *--end = DIGITS2[v * 2 + 1];
        *--end = DIGITS2[v * 2];
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

/* exactly 8 digits, leading zeros kept */
static void digits8(char *end, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        unsigned d = (v % 100) * 2;
        v /= 100;
        *--end = DIGITS2[d + 1];
        *--end = DIGITS2[d];
    }
}

static char *put_u64(char *p, uint64_t v)
{
    char tmp[20];
    char *end = tmp + sizeof tmp;
    /* in chunks of 8 digits, each in 32 bits */
    while (v > UINT32_MAX) {
        digits8(end, (uint32_t)(v % 100000000u));
        v /= 100000000u;
        end -= 8;
    }
    char *start = digits32(end, (uint32_t)v);
    return put_lit(p, start, (size_t)(tmp + sizeof tmp - start));
}

static char *put_i64(char *p, int64_t v)
{
    if (v >= 0)
        return put_u64(p, (uint64_t)v);
    *p++ = '-';
    /* -(v + 1) + 1 keeps INT64_MIN in range */
    return put_u64(p, (uint64_t)(-(v + 1)) + 1);
}

/* "0x" and at least 8 upper-case hex digits, as wedge prints addresses */
static char *put_addr(char *p, uint64_t v)
{
    int digits = 8;
    while (digits < 16 && (v >> (4 * digits)) != 0)
        digits++;
    *p++ = '"';
    *p++ = '0';
    *p++ = 'x';
    for (int i = digits - 1; i >= 0; i--)
        *p++ = HEX[(v >> (4 * i)) & 0xF];
    *p++ = '"';
    return p;
}

/* s as a JSON string: quotes, backslashes and control bytes escaped, a
 * byte outside well-formed UTF-8 written as U+FFFD (wedge/utf8.h) */
static char *put_str(char *p, const char *s, size_t n)
{
    *p++ = '"';
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *p++ = (char)c;
            i++;
        } else if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
            i++;
        } else if (c < 0x20) {
            p = LIT(p, "\\u00");
            *p++ = HEX[c >> 4];
            *p++ = HEX[c & 0xF];
            i++;
        } else {
            size_t k = wdg_utf8_char_len(s + i, n - i);
            if (k) {
                p = put_lit(p, s + i, k);
                i += k;
            } else {
                p = LIT(p, WDG_UTF8_REPLACEMENT);
                i++;
            }
        }
    }
    *p++ = '"';
    return p;
}

static char *put_list(char *p, const uint64_t *v, uint32_t n)
{
    *p++ = '[';
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        p = put_addr(p, v[i]);
    }
    *p++ = ']';
    return p;
}

static int usable(const wdg_writer_event *ev, size_t *op_len, size_t *site_len,
                  size_t *entry_len)
{
    if (!ev->op)
        return 0;
    *op_len = strlen(ev->op);
    *site_len = ev->site ? strlen(ev->site) : 0;
    *entry_len = ev->entry_site ? strlen(ev->entry_site) : 0;
    return *op_len > 0 && *op_len <= OP_MAX && *site_len <= OP_MAX && *entry_len <= OP_MAX &&
           ev->n_objs <= LIST_MAX && ev->n_frames <= LIST_MAX &&
           (ev->n_objs == 0 || ev->objs) && (ev->n_frames == 0 || ev->frames);
}

int wdg_wline_event(char *out, const wdg_writer_event *ev, uint64_t t, uint32_t tid)
{
    size_t op_len, site_len, entry_len;
    if (!usable(ev, &op_len, &site_len, &entry_len) || t > (uint64_t)INT64_MAX)
        return WDG_EUSAGE;
    char *p = out;
    p = LIT(p, "{\"t\":");
    p = put_u64(p, t);
    p = LIT(p, ",\"tid\":");
    p = put_u64(p, tid);
    p = LIT(p, ",\"op\":");
    p = put_str(p, ev->op, op_len);
    if (ev->site) {
        p = LIT(p, ",\"lr\":");
        p = put_str(p, ev->site, site_len);
    } else if (ev->lr) {
        p = LIT(p, ",\"lr\":");
        p = put_addr(p, ev->lr);
    }
    if (ev->pc) {
        p = LIT(p, ",\"pc\":");
        p = put_addr(p, ev->pc);
    }
    if (ev->obj) {
        p = LIT(p, ",\"obj\":");
        p = put_addr(p, ev->obj);
    }
    if (ev->n_objs) {
        p = LIT(p, ",\"objs\":");
        p = put_list(p, ev->objs, ev->n_objs);
        p = ev->wait_all ? LIT(p, ",\"wait_all\":true") : LIT(p, ",\"wait_all\":false");
    }
    if (ev->has_timeout) {
        p = LIT(p, ",\"timeout\":");
        p = put_i64(p, ev->timeout);
    }
    if (ev->count) {
        p = LIT(p, ",\"count\":");
        p = put_u64(p, ev->count);
    }
    if (ev->new_tid) {
        p = LIT(p, ",\"new_tid\":");
        p = put_u64(p, ev->new_tid);
    }
    if (ev->entry_site) {
        p = LIT(p, ",\"entry_pc\":");
        p = put_str(p, ev->entry_site, entry_len);
    } else if (ev->entry_pc) {
        p = LIT(p, ",\"entry_pc\":");
        p = put_addr(p, ev->entry_pc);
    }
    if (ev->n_frames) {
        p = LIT(p, ",\"frames\":");
        p = put_list(p, ev->frames, ev->n_frames);
    }
    p = LIT(p, "}\n");
    return (int)(p - out);
}

size_t wdg_wline_end(char *out, uint64_t t, const char *reason)
{
    char *p = out;
    p = LIT(p, "{\"op\":\"trace.end\",\"t\":");
    if (t > (uint64_t)INT64_MAX)
        t = (uint64_t)INT64_MAX;
    p = put_u64(p, t);
    if (reason) {
        /* a word of ours: no escapes needed */
        p = LIT(p, ",\"reason\":\"");
        for (size_t i = 0; reason[i] && i < 16; i++)
            *p++ = reason[i];
        *p++ = '"';
    }
    p = LIT(p, "}\n");
    return (size_t)(p - out);
}

void wdg_wline_header(wdg_buf *b, const wdg_writer_opts *o)
{
    wdg_buf_puts(b, "{\"wedge_trace\":1");
    if (o && o->engine) {
        wdg_buf_puts(b, ",\"engine\":");
        wdg_buf_json_str(b, o->engine);
    }
    if (o && o->title_id) {
        wdg_buf_puts(b, ",\"title_id\":");
        wdg_buf_json_str(b, o->title_id);
    }
    if (o && o->n_observes && o->observes) {
        wdg_buf_puts(b, ",\"observes\":[");
        for (size_t i = 0; i < o->n_observes; i++) {
            if (i)
                wdg_buf_putc(b, ',');
            wdg_buf_json_str(b, o->observes[i] ? o->observes[i] : "");
        }
        wdg_buf_putc(b, ']');
    }
    wdg_buf_puts(b, "}\n");
}
