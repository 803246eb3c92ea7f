/* The JSONL scanner: validates a whole line as JSON and extracts the event
 * fields of docs/format.md without building a document tree. */
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"

#include "formats.h"

enum { MAX_DEPTH = 64, KEY_MAX = 64 };

typedef struct scan {
    const unsigned char *p, *end;
} scan;

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Validates one UTF-8 sequence starting at s->p (a byte >= 0x80). */
static int utf8_seq(scan *s)
{
    const unsigned char *p = s->p;
    size_t left = (size_t)(s->end - p);
    unsigned c = p[0];
    unsigned need, min;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, min = 0x10000, cp = c & 0x07;
    else
        return -1;
    if (left < need + 1)
        return -1;
    for (unsigned i = 1; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    s->p += need + 1;
    return 0;
}

/* At '"': validates a string; gives its raw contents and whether it
 * holds escapes. */
static int scan_string(scan *s, const char **start, size_t *len, int *esc)
{
    s->p++;
    *start = (const char *)s->p;
    *esc = 0;
    while (s->p < s->end) {
        unsigned char c = *s->p;
        if (c == '"') {
            *len = (size_t)((const char *)s->p - *start);
            s->p++;
            return 0;
        }
        if (c == '\\') {
            *esc = 1;
            if (s->end - s->p < 2)
                return -1;
            c = s->p[1];
            if (c == 'u') {
                if (s->end - s->p < 6)
                    return -1;
                for (int i = 2; i < 6; i++)
                    if (!is_hex(s->p[i]))
                        return -1;
                s->p += 6;
            } else if (strchr("\"\\/bfnrt", c) && c) {
                s->p += 2;
            } else {
                return -1;
            }
            continue;
        }
        if (c < 0x20)
            return -1;
        if (c < 0x80) {
            s->p++;
            continue;
        }
        if (utf8_seq(s) < 0)
            return -1;
    }
    return -1;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = (v << 4) | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* Decodes a validated string body into out (cap bytes, NUL-terminated);
 * returns the length, or -1 when it does not fit. */
/* Decodes a scanned JSON string into out (NUL-terminated).  When it does
 * not fit: -1, or with prefix the length of what fits, whole escapes only. */
static long decode_string(const char *s, size_t n, char *out, size_t cap, int prefix)
{
    size_t o = 0;
    int full = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        if (s[i] != '\\') {
            if (o + 1 >= cap) {
                full = 1;
                break;
            }
            out[o++] = s[i++];
            continue;
        }
        char c = s[i + 1];
        i += 2;
        switch (c) {
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            cp = hex4(s + i);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
                unsigned lo = hex4(s + i + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            break;
        default: cp = (unsigned char)c; break;
        }
        char tmp[4];
        size_t k;
        if (cp < 0x80)
            tmp[0] = (char)cp, k = 1;
        else if (cp < 0x800)
            tmp[0] = (char)(0xC0 | (cp >> 6)), tmp[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
        else if (cp < 0x10000)
            tmp[0] = (char)(0xE0 | (cp >> 12)), tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
            tmp[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
        else
            tmp[0] = (char)(0xF0 | (cp >> 18)), tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
            tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), tmp[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
        if (o + k >= cap) {
            full = 1;
            break;
        }
        memcpy(out + o, tmp, k);
        o += k;
    }
    out[o] = 0;
    return full && !prefix ? -1 : (long)o;
}

static int digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Validates a JSON number; *is_int when it has no fraction or exponent. */
static int scan_number(scan *s, const char **start, size_t *len, int *is_int)
{
    const unsigned char *p = s->p;
    *start = (const char *)p;
    *is_int = 1;
    if (p < s->end && *p == '-')
        p++;
    if (p >= s->end || !digit(*p))
        return -1;
    if (*p == '0')
        p++;
    else
        while (p < s->end && digit(*p))
            p++;
    if (p < s->end && *p == '.') {
        *is_int = 0;
        p++;
        if (p >= s->end || !digit(*p))
            return -1;
        while (p < s->end && digit(*p))
            p++;
    }
    if (p < s->end && (*p == 'e' || *p == 'E')) {
        *is_int = 0;
        p++;
        if (p < s->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= s->end || !digit(*p))
            return -1;
        while (p < s->end && digit(*p))
            p++;
    }
    *len = (size_t)((const char *)p - *start);
    s->p = p;
    return 0;
}

static int literal(scan *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return -1;
    s->p += n;
    return 0;
}

static int skip_value(scan *s, int depth)
{
    const char *a;
    size_t n;
    int flag;
    if (depth > MAX_DEPTH)
        return -1;
    ws(s);
    if (s->p >= s->end)
        return -1;
    switch (*s->p) {
    case '"':
        return scan_string(s, &a, &n, &flag);
    case '{':
        s->p++;
        ws(s);
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            return 0;
        }
        for (;;) {
            ws(s);
            if (s->p >= s->end || *s->p != '"' || scan_string(s, &a, &n, &flag) < 0)
                return -1;
            ws(s);
            if (s->p >= s->end || *s->p != ':')
                return -1;
            s->p++;
            if (skip_value(s, depth + 1) < 0)
                return -1;
            ws(s);
            if (s->p < s->end && *s->p == ',') {
                s->p++;
                continue;
            }
            if (s->p < s->end && *s->p == '}') {
                s->p++;
                return 0;
            }
            return -1;
        }
    case '[':
        s->p++;
        ws(s);
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return 0;
        }
        for (;;) {
            if (skip_value(s, depth + 1) < 0)
                return -1;
            ws(s);
            if (s->p < s->end && *s->p == ',') {
                s->p++;
                continue;
            }
            if (s->p < s->end && *s->p == ']') {
                s->p++;
                return 0;
            }
            return -1;
        }
    case 't': return literal(s, "true");
    case 'f': return literal(s, "false");
    case 'n': return literal(s, "null");
    default: return scan_number(s, &a, &n, &flag);
    }
}

/* Value readers: 1 = value read, 0 = null (absent), or a malformed kind
 * via *bad (then return -1). */
typedef struct ctx {
    scan s;
    const unsigned char *line;
    wdg_line_result *res;
    const char *key;   /* field name for messages */
} ctx;

static int fail(ctx *c, int reason, const char *what)
{
    wdg_malformed(c->res, reason, "%s: %s", c->key, what);
    return -1;
}

static int syntax(ctx *c)
{
    wdg_malformed(c->res, WDG_MAL_SYNTAX, "invalid JSON at column %ld",
                  (long)(c->s.p - c->line) + 1);
    return -1;
}

static int read_null(ctx *c)
{
    if (c->s.p < c->s.end && *c->s.p == 'n')
        return literal(&c->s, "null") < 0 ? -2 : 1;
    return 0;
}

/* An integer field, or (address) a 32-bit address: JSON integers are
 * decimal; strings are hex for addresses, decimal or 0x-hex otherwise. */
static int read_number(ctx *c, int address, int64_t *out)
{
    int nl = read_null(c);
    if (nl == 1)
        return 0;
    if (nl < 0)
        return syntax(c);
    const char *a, *range = address ? "address out of range (more than 32 bits)"
                                    : "number out of range";
    size_t n;
    int flag;
    unsigned char ch = c->s.p < c->s.end ? *c->s.p : 0;
    if (ch == '"') {
        if (scan_string(&c->s, &a, &n, &flag) < 0)
            return syntax(c);
        uint32_t v32 = 0;
        int rc = flag ? -1 : address ? wdg_parse_hex32(a, n, &v32) : wdg_parse_int64(a, n, out);
        if (rc == -2)
            return fail(c, WDG_MAL_RANGE, range);
        if (rc < 0)
            return fail(c, WDG_MAL_TYPE, address ? "not a hex address" : "not an integer");
        if (address)
            *out = v32;
        return 1;
    }
    if (ch == '-' || digit(ch)) {
        if (scan_number(&c->s, &a, &n, &flag) < 0)
            return syntax(c);
        if (!flag)
            return fail(c, WDG_MAL_TYPE, address ? "not an integer address" : "not an integer");
        if (wdg_parse_dec64(a, n, out) < 0 || (address && (*out < 0 || *out > UINT32_MAX)))
            return fail(c, WDG_MAL_RANGE, range);
        return 1;
    }
    if (skip_value(&c->s, 1) < 0)
        return syntax(c);
    return fail(c, WDG_MAL_TYPE, address ? "not an address" : "not an integer");
}

static int read_int(ctx *c, int64_t *out) { return read_number(c, 0, out); }

static int read_addr(ctx *c, uint32_t *out)
{
    int64_t v = 0;
    int rc = read_number(c, 1, &v);
    if (rc > 0)
        *out = (uint32_t)v;
    return rc;
}

static int read_bool(ctx *c, int *out)
{
    if (literal(&c->s, "true") == 0) {
        *out = 1;
        return 1;
    }
    if (literal(&c->s, "false") == 0) {
        *out = 0;
        return 1;
    }
    int64_t v;
    int rc = read_int(c, &v);
    if (rc <= 0)
        return rc;
    if (v != 0 && v != 1)
        return fail(c, WDG_MAL_TYPE, "not a boolean");
    *out = (int)v;
    return 1;
}

/* Reads an array (or null: 0), calling item for each element; 1 when read. */
static int read_array(ctx *c, const char *what, int (*item)(ctx *, void *), void *ud)
{
    int nl = read_null(c);
    if (nl == 1)
        return 0;
    if (nl < 0)
        return syntax(c);
    if (c->s.p >= c->s.end || *c->s.p != '[') {
        if (skip_value(&c->s, 1) < 0)
            return syntax(c);
        return fail(c, WDG_MAL_TYPE, what);
    }
    c->s.p++;
    ws(&c->s);
    if (c->s.p < c->s.end && *c->s.p == ']') {
        c->s.p++;
        return 1;
    }
    for (;;) {
        ws(&c->s);
        if (item(c, ud) < 0)
            return -1;
        ws(&c->s);
        if (c->s.p < c->s.end && *c->s.p == ',') {
            c->s.p++;
            continue;
        }
        if (c->s.p < c->s.end && *c->s.p == ']') {
            c->s.p++;
            return 1;
        }
        return syntax(c);
    }
}

typedef struct addr_list {
    uint32_t *out, *count, max;
} addr_list;

static int addr_item(ctx *c, void *ud)
{
    addr_list *l = ud;
    uint32_t v = 0;
    int rc = read_addr(c, &v);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return fail(c, WDG_MAL_TYPE, "null inside the array");
    if (*l->count == l->max)
        return fail(c, WDG_MAL_RANGE, "too many entries");
    l->out[(*l->count)++] = v;
    return 0;
}

static int read_addr_array(ctx *c, uint32_t *out, uint32_t *count, uint32_t max)
{
    addr_list l = {out, count, max};
    *count = 0;
    return read_array(c, "not an array", addr_item, &l);
}

static int observes_item(ctx *c, void *ud)
{
    wdg_jsonl_header *hdr = ud;
    const char *a;
    size_t n;
    int esc;
    if (c->s.p >= c->s.end || *c->s.p != '"') {
        if (skip_value(&c->s, 1) < 0)
            return syntax(c);
        return fail(c, WDG_MAL_TYPE, "not an array of category names");
    }
    if (scan_string(&c->s, &a, &n, &esc) < 0)
        return syntax(c);
    wdg_category cat;
    /* unknown names are a newer engine's categories: not an error */
    if (!esc && wdg_category_parse(a, n, &cat) == 0)
        hdr->observes |= WDG_CAT_BIT(cat);
    return 0;
}

static int read_observes(ctx *c, wdg_jsonl_header *hdr)
{
    hdr->observes = 0;
    int rc = read_array(c, "not an array of category names", observes_item, hdr);
    hdr->has_observes = rc > 0;
    return rc;
}

static void copy_header_string(ctx *c, char *out, size_t cap)
{
    const char *a;
    size_t n;
    int esc;
    if (c->s.p < c->s.end && *c->s.p == '"') {
        const unsigned char *save = c->s.p;
        if (scan_string(&c->s, &a, &n, &esc) == 0) {
            /* decoded (a prefix longer than any field), then cut before a
             * character to fit: no allocation, so nothing to fail */
            char all[256];
            long dn = decode_string(a, n, all, sizeof all, 1);
            size_t k = wdg_utf8_cut(all, (size_t)dn, cap - 1 < sizeof all ? cap - 1 : sizeof all - 1);
            memcpy(out, all, k);
            out[k] = 0;
            return;
        }
        c->s.p = save;
    }
    if (c->s.p < c->s.end && (*c->s.p == '-' || digit(*c->s.p))) {
        int flag;
        if (scan_number(&c->s, &a, &n, &flag) == 0) {
            size_t k = n < cap - 1 ? n : cap - 1;
            memcpy(out, a, k);
            out[k] = 0;
        }
    }
}

static int is_trace_end(const wdg_rec *rec)
{
    return (rec->have & R_OP) && rec->op_len == 9 && memcmp(rec->op, "trace.end", 9) == 0;
}

wdg_line_kind wdg_jsonl_parse(const char *line, size_t len, wdg_rec *rec,
                              wdg_jsonl_header *hdr, wdg_line_result *res)
{
    ctx c = {{(const unsigned char *)line, (const unsigned char *)line + len},
             (const unsigned char *)line, res, ""};
    /* Every member is reset per line: a header without observes or engine
     * must not keep what an earlier line (or trace) left in *hdr. */
    hdr->is_header = 0;
    hdr->has_observes = 0;
    hdr->observes = 0;
    hdr->has_ended_at = 0;
    hdr->ended_at = 0;
    hdr->engine[0] = hdr->title_id[0] = hdr->module_hash[0] = 0;
    wdg_rec_clear(rec);
    ws(&c.s);
    if (c.s.p >= c.s.end || *c.s.p != '{')
        return wdg_malformed(res, WDG_MAL_SYNTAX, "not a JSON object");
    c.s.p++;
    ws(&c.s);
    if (c.s.p < c.s.end && *c.s.p == '}') {
        c.s.p++;
        goto after_object;
    }
    for (;;) {
        ws(&c.s);
        const char *k;
        size_t kn;
        int esc;
        char keybuf[KEY_MAX];
        if (c.s.p >= c.s.end || *c.s.p != '"' || scan_string(&c.s, &k, &kn, &esc) < 0) {
            syntax(&c);
            return LINE_MALFORMED;
        }
        if (esc) {
            long dn = decode_string(k, kn, keybuf, sizeof keybuf, 0);
            k = dn < 0 ? "" : keybuf;
            kn = dn < 0 ? 0 : (size_t)dn;
        }
        ws(&c.s);
        if (c.s.p >= c.s.end || *c.s.p != ':') {
            syntax(&c);
            return LINE_MALFORMED;
        }
        c.s.p++;
        ws(&c.s);
        wdg_field f = wdg_field_lookup(k, kn);
        c.key = wdg_field_name(f);
        int rc = 1;
        int64_t iv;
        uint32_t av;
        switch (f) {
        case F_T:
            rc = read_int(&c, &iv);
            if (rc > 0 && iv < 0)
                return wdg_malformed(res, WDG_MAL_RANGE, "t: negative time");
            if (rc > 0)
                rec->t = iv, rec->have |= R_T;
            break;
        case F_CYCLE:
            rc = read_int(&c, &iv);
            if (rc > 0)
                rec->cycle = iv, rec->have |= R_CYCLE;
            break;
        case F_TIMEOUT:
            rc = read_int(&c, &iv);
            if (rc > 0)
                rec->timeout = iv, rec->have |= R_TIMEOUT;
            else if (rc == 0)
                rec->have &= ~(uint32_t)R_TIMEOUT;
            break;
        case F_RET:
            rc = read_int(&c, &iv);
            if (rc > 0)
                rec->ret = iv, rec->have |= R_RET;
            break;
        case F_TID:
        case F_NEW_TID:
        case F_COUNT:
            rc = read_int(&c, &iv);
            if (rc > 0 && (iv < 0 || iv > UINT32_MAX))
                return wdg_malformed(res, WDG_MAL_RANGE, "%s: out of range", c.key);
            if (rc > 0 && f == F_TID)
                rec->tid = (uint32_t)iv, rec->have |= R_TID;
            else if (rc > 0 && f == F_NEW_TID)
                rec->new_tid = (uint32_t)iv, rec->have |= R_NEW_TID;
            else if (rc > 0)
                rec->count = (uint32_t)iv, rec->have |= R_COUNT;
            break;
        case F_LR:
        case F_PC:
        case F_OBJ:
        case F_ENTRY_PC:
        case F_ALIAS:
            rc = read_addr(&c, &av);
            if (rc > 0) {
                if (f == F_LR) rec->lr = av, rec->have |= R_LR;
                if (f == F_PC) rec->pc = av, rec->have |= R_PC;
                if (f == F_OBJ) rec->obj = av, rec->have |= R_OBJ;
                if (f == F_ENTRY_PC) rec->entry_pc = av, rec->have |= R_ENTRY;
                if (f == F_ALIAS) rec->alias = av, rec->have |= R_ALIAS;
            }
            break;
        case F_OBJS:
            rc = read_addr_array(&c, rec->objs, &rec->n_objs, WDG_MAX_OBJS);
            if (rc > 0)
                rec->have |= R_OBJS;
            break;
        case F_FRAMES:
            rc = read_addr_array(&c, rec->frames, &rec->n_frames, WDG_MAX_FRAMES);
            if (rc > 0)
                rec->have |= R_FRAMES;
            break;
        case F_WAIT_ALL:
        case F_SUSPENDED: {
            int b = 0;
            rc = read_bool(&c, &b);
            if (rc > 0 && f == F_WAIT_ALL)
                rec->wait_all = b, rec->have |= R_WAIT_ALL;
            if (rc > 0 && f == F_SUSPENDED)
                rec->suspended = b, rec->have |= R_SUSPENDED;
            break;
        }
        case F_OP: {
            int nl = read_null(&c);
            if (nl == 1) {
                rec->have &= ~(uint32_t)R_OP;
                break;
            }
            const char *a;
            size_t n;
            if (nl < 0 || c.s.p >= c.s.end || *c.s.p != '"') {
                if (nl < 0 || skip_value(&c.s, 1) < 0)
                    return syntax(&c), LINE_MALFORMED;
                return wdg_malformed(res, WDG_MAL_TYPE, "%s: not a string", c.key);
            }
            if (scan_string(&c.s, &a, &n, &esc) < 0)
                return syntax(&c), LINE_MALFORMED;
            if (esc) {
                long dn = decode_string(a, n, rec->op_buf, sizeof rec->op_buf, 0);
                if (dn < 0)
                    return wdg_malformed(res, WDG_MAL_RANGE, "op: name too long");
                a = rec->op_buf;
                n = (size_t)dn;
            }
            if (n == 0)
                return wdg_malformed(res, WDG_MAL_MISSING, "op: empty name");
            if (n > 255)
                return wdg_malformed(res, WDG_MAL_RANGE, "op: name too long");
            rec->op = a;
            rec->op_len = n;
            rec->have |= R_OP;
            break;
        }
        case F_HEADER:
            hdr->is_header = 1;
            rc = skip_value(&c.s, 1) < 0 ? syntax(&c) : 1;
            break;
        case F_ENGINE:
        case F_TITLE_ID:
        case F_MODULE_HASH: {
            const unsigned char *start = c.s.p;
            char *dst = f == F_ENGINE ? hdr->engine : f == F_TITLE_ID ? hdr->title_id : hdr->module_hash;
            size_t cap = f == F_ENGINE ? sizeof hdr->engine : f == F_TITLE_ID ? sizeof hdr->title_id : sizeof hdr->module_hash;
            copy_header_string(&c, dst, cap);
            c.s.p = start;
            rc = skip_value(&c.s, 1) < 0 ? syntax(&c) : 1;
            break;
        }
        case F_OBSERVES:
            rc = read_observes(&c, hdr);
            break;
        case F_ENDED_AT:
            rc = read_int(&c, &iv);
            if (rc > 0 && iv < 0)
                return wdg_malformed(res, WDG_MAL_RANGE, "ended_at: negative time");
            if (rc > 0)
                hdr->ended_at = iv, hdr->has_ended_at = 1;
            break;
        default:
            rc = skip_value(&c.s, 1) < 0 ? syntax(&c) : 1;
            break;
        }
        if (rc < 0)
            return LINE_MALFORMED;
        ws(&c.s);
        if (c.s.p < c.s.end && *c.s.p == ',') {
            c.s.p++;
            continue;
        }
        if (c.s.p < c.s.end && *c.s.p == '}') {
            c.s.p++;
            break;
        }
        syntax(&c);
        return LINE_MALFORMED;
    }
after_object:
    ws(&c.s);
    if (c.s.p != c.s.end)
        return wdg_malformed(res, WDG_MAL_SYNTAX, "text after the JSON object");
    if (hdr->is_header)
        return LINE_IGNORED;
    /* the end-of-run marker belongs to no thread: tid is optional there */
    if (!(rec->have & R_TID) && !is_trace_end(rec))
        return wdg_malformed(res, WDG_MAL_MISSING, "missing tid");
    if (!(rec->have & (R_OP | R_PC)))
        return wdg_malformed(res, WDG_MAL_MISSING, "missing op");
    return LINE_EVENT;
}
