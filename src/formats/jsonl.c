/* The JSONL scanner: validates a whole line as JSON and extracts the event
 * fields of docs/format.md without building a document tree. */
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"

#include "../base/swar.h"
#include "../model/trace_build.h"
#include "formats.h"

enum { MAX_DEPTH = 64, KEY_MAX = 64 };

/* quick_int() inlined where it is called: what follows a number and its
 * range are then known there (gcc kept it a call). */
#if defined(__GNUC__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

typedef struct scan {
    const unsigned char *p, *end;
} scan;

/* White space is rare between members: one compare sees past a byte
 * that is none (every white-space byte is at most ' '). */
static inline void ws(scan *s)
{
    while (s->p < s->end && *s->p <= ' ' &&
           (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
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

/* Skips the plain bytes of a string (printable ASCII but '"' and '\\'),
 * eight at a time: most strings in a trace are short names and hex
 * numbers with nothing to check byte by byte. */
static inline void skip_plain(scan *s)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#ifdef WDG_SSE2
    while (s->end - s->p >= SSE_BYTES) {
        unsigned stop = sse_plain_stops(s->p);
        if (stop) {
            s->p += __builtin_ctz(stop);
            return;
        }
        s->p += SSE_BYTES;
    }
#endif
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (s->end - s->p >= 8) {
        uint64_t w;
        memcpy(&w, s->p, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        /* a high bit per byte that is '"', '\\', below 0x20 or not ASCII */
        uint64_t stop = ((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w;
        stop &= highs;
        if (stop) {
            s->p += (unsigned)__builtin_ctzll(stop) >> 3;
            return;
        }
        s->p += 8;
    }
#else
    (void)s;   /* the byte loop of scan_string does it all */
#endif
}

/* At '"': validates a string; gives its raw contents and whether it
 * holds escapes. */
static int scan_string(scan *s, const char **start, size_t *len, int *esc)
{
    s->p++;
    *start = (const char *)s->p;
    *esc = 0;
    skip_plain(s);
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
            skip_plain(s);
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
        skip_plain(s);
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

static inline int literal_n(scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return -1;
    s->p += n;
    return 0;
}

/* a literal's length known where it is compared: no strlen, no call */
#define literal(s, lit) literal_n(s, lit, sizeof lit - 1)

static int skip_value(scan *s, int depth);

/* After '{': the members of an object nested depth deep, up to its '}'. */
static int skip_object(scan *s, int depth)
{
    const char *a;
    size_t n;
    int flag;
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
}

/* After '[': the elements of an array nested depth deep, up to its ']'. */
static int skip_array(scan *s, int depth)
{
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
    case '"': return scan_string(s, &a, &n, &flag);
    case '{':
        s->p++;
        return skip_object(s, depth);
    case '[':
        s->p++;
        return skip_array(s, depth);
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
    int nomem;         /* out of memory interning an address */
    int quick;         /* try the quick path (0: the general one only, for tests) */
} ctx;

static int fail(ctx *c, int reason, const char *what)
{
    wdg_malformed(c->res, reason, "%s: %s", c->key, what);
    return -1;
}

static int nomem(ctx *c)
{
    c->nomem = 1;
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


/* p[0..n) is lit, n of at most 16 known where it is called: one or two
 * word compares (gcc calls memcmp for most lengths). */
WDG_FOLDED int bytes_are(const unsigned char *p, const unsigned char *end, const char *lit,
                            size_t n)
{
#ifdef WDG_SWAR
    if (n <= 8 && end - p >= 8)
        return word_is(load8(p), lit, n);
    if (n <= 16 && end - p >= 16)
        return word_is(load8(p), lit, 8) && word_is(load8(p + 8), lit + 8, n - 8);
#endif
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* The common integer in one pass: up to 18 digits, no leading zero, no
 * fraction or exponent (which cannot overflow); 0 sends anything else to
 * the full scanner, which words every error. */
static int quick_int_bytes(const unsigned char *p, const unsigned char *end, scan *s, int neg,
                           int64_t *out)
{
    const unsigned char *d = p;
    uint64_t v = 0;
    while (p < end && digit(*p) && p - d < 18)
        v = v * 10 + (uint64_t)(*p++ - '0');
    if (p == d || (*d == '0' && p - d > 1))
        return 0;
    if (p < end && (digit(*p) || *p == '.' || *p == 'e' || *p == 'E'))
        return 0;
    *out = neg ? -(int64_t)v : (int64_t)v;
    s->p = p;
    return 1;
}

ALWAYS_INLINE int quick_int(scan *s, int64_t *out)
{
    const unsigned char *p = s->p, *end = s->end;
    int neg = p < end && *p == '-';
    p += neg;
#ifdef WDG_SWAR
    /* two words: up to 15 digits (times, tids, counts) without a byte
     * loop; a longer number, or one near the end, goes byte by byte */
    static const uint64_t pow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    if (end - p >= 2 * SWAR_BYTES) {
        const unsigned char *d = p;
        uint64_t w = load8(p), v;
#ifdef WDG_SSE2
        unsigned k = (unsigned)__builtin_ctz(~sse_digits(p));   /* 0 to 16 */
        if (k <= 8) {
            if (!k)
                return 0;
            v = dec_value(w, k);
            p += k;
        } else {
            if (k == 16)
                return quick_int_bytes(p, end, s, neg, out);
            v = dec_value(w, 8) * pow10[k - 8] + dec_value(load8(p + 8), k - 8);
            p += k;
        }
#else
        unsigned k = run_of(in_range(w, '0', '9'));
        if (k < 8) {
            if (!k)
                return 0;
            v = dec_value(w, k);
            p += k;
        } else {
            uint64_t w2 = load8(p + 8);
            unsigned k2 = run_of(in_range(w2, '0', '9'));
            if (k2 == 8)
                return quick_int_bytes(p, end, s, neg, out);
            v = dec_value(w, 8) * pow10[k2] + (k2 ? dec_value(w2, k2) : 0);
            p += 8 + k2;
        }
#endif
        /* *p is no digit; the number is 1 to 15 digits */
        if ((*d == '0' && p - d > 1) || *p == '.' || (*p | 0x20) == 'e')
            return 0;
        *out = neg ? -(int64_t)v : (int64_t)v;
        s->p = p;
        return 1;
    }
#endif
    return quick_int_bytes(p, end, s, neg, out);
}

/* The common address string, "0x" and 1 to 16 hex digits, in one pass; 0
 * sends anything else to scan_string and wdg_addr_parse(). */
static int quick_hex_any(scan *s, uint64_t *out)
{
    static const unsigned char hex1[256] = {
        ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
        ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
        ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
        ['F'] = 16};
    const unsigned char *p = s->p + 1, *end = s->end;
    if (end - p < 4 || p[0] != '0' || (p[1] | 0x20) != 'x')
        return 0;
    p += 2;
    const unsigned char *d = p;
    uint64_t v = 0;
#ifdef WDG_SWAR
    /* one word: a 32-bit address; the loop below takes a wider one's rest */
    if (end - p >= SWAR_BYTES) {
        uint64_t w = load8(p);
        unsigned k = hex_run(w);
        if (k) {
            v = hex_value(w, k);
            p += k;
        }
    }
#endif
    while (p < end && hex1[*p] && p - d < 16)
        v = v << 4 | (uint64_t)(hex1[*p++] - 1);
    if (p == d || p >= end || *p != '"')
        return 0;
    *out = v;
    s->p = p + 1;
    return 1;
}

static inline int quick_hex(scan *s, uint64_t *out)
{
#ifdef WDG_SWAR
    /* the commonest of all: "0x and eight digits" (a 32-bit address) */
    const unsigned char *p = s->p;
    if (s->end - p >= 12 && ((load8(p) | 0x200000) & 0xFFFFFF) == ('"' | '0' << 8 | 'x' << 16) &&
        p[11] == '"') {
        uint64_t w = load8(p + 3);
        if ((in_range(w, '0', '9') | in_range(w | ONES * 0x20, 'a', 'f')) == HIGHS) {
            *out = hex_value(w, 8);
            s->p = p + 12;
            return 1;
        }
    }
#endif
    return quick_hex_any(s, out);
}

/* An integer field: JSON integers are decimal; strings decimal or 0x-hex. */
static int read_number(ctx *c, int64_t *out)
{
    int nl = read_null(c);
    if (nl == 1)
        return 0;
    if (nl < 0)
        return syntax(c);
    const char *a;
    size_t n;
    int flag;
    unsigned char ch = c->s.p < c->s.end ? *c->s.p : 0;
    if (ch == '"') {
        if (scan_string(&c->s, &a, &n, &flag) < 0)
            return syntax(c);
        int rc = flag ? -1 : wdg_parse_int64(a, n, out);
        if (rc == -2)
            return fail(c, WDG_MAL_RANGE, "number out of range");
        if (rc < 0)
            return fail(c, WDG_MAL_TYPE, "not an integer");
        return 1;
    }
    if (ch == '-' || digit(ch)) {
        if (quick_int(&c->s, out))
            return 1;
        if (scan_number(&c->s, &a, &n, &flag) < 0)
            return syntax(c);
        if (!flag)
            return fail(c, WDG_MAL_TYPE, "not an integer");
        if (wdg_parse_dec64(a, n, out) < 0)
            return fail(c, WDG_MAL_RANGE, "number out of range");
        return 1;
    }
    if (skip_value(&c->s, 1) < 0)
        return syntax(c);
    return fail(c, WDG_MAL_TYPE, "not an integer");
}

static int read_int(ctx *c, int64_t *out) { return read_number(c, out); }

/* An address (wdg_addr_parse): a string of hex, up to 64 bits, or a site
 * "MODULE+0xOFF"; or a JSON integer of up to 64 bits. */
static int read_addr(ctx *c, wdg_sites *sites, wdg_addr *out)
{
    int nl = read_null(c);
    if (nl == 1)
        return 0;
    if (nl < 0)
        return syntax(c);
    const char *a, *range = "address out of range (more than 64 bits)";
    size_t n;
    int flag, rc;
    unsigned char ch = c->s.p < c->s.end ? *c->s.p : 0;
    uint64_t hv;
    if (ch == '"' && quick_hex(&c->s, &hv)) {
        rc = wdg_addr_from_u64(sites, hv, out);
    } else if (ch == '"') {
        if (scan_string(&c->s, &a, &n, &flag) < 0)
            return syntax(c);
        rc = flag ? -1 : wdg_addr_parse(sites, a, n, out);
        if (rc == -1)
            return fail(c, WDG_MAL_TYPE, "not a hex address");
    } else if (ch == '-' || digit(ch)) {
        if (scan_number(&c->s, &a, &n, &flag) < 0)
            return syntax(c);
        if (!flag)
            return fail(c, WDG_MAL_TYPE, "not an integer address");
        uint64_t v = 0;
        rc = wdg_parse_udec64(a, n, &v);
        rc = rc < 0 ? -2 : wdg_addr_from_u64(sites, v, out);
    } else {
        if (skip_value(&c->s, 1) < 0)
            return syntax(c);
        return fail(c, WDG_MAL_TYPE, "not an address");
    }
    if (rc == -3)
        return nomem(c);
    if (rc < 0)
        return fail(c, WDG_MAL_RANGE, range);
    return 1;
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

typedef struct list_item {
    wdg_rec *rec;
    wdg_field f;
} list_item;

static int addr_item(ctx *c, void *ud)
{
    list_item *l = ud;
    wdg_addr v = 0;
    int rc = read_addr(c, l->rec->sites, &v);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return fail(c, WDG_MAL_TYPE, "null inside the array");
    if (wdg_rec_list_add(l->rec, l->f, v) < 0)
        return fail(c, WDG_MAL_RANGE, "too many entries");
    return 0;
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

/* --- event fields, one reader per value type of the field table ------ */

static int skip_member(ctx *c) { return skip_value(&c->s, 1) < 0 ? syntax(c) : 1; }

static int read_int_field(ctx *c, wdg_field f, wdg_rec *rec)
{
    int64_t v;
    int rc = read_int(c, &v);
    if (rc == 0 && wdg_field_null_unsets(f))
        wdg_rec_unset(rec, f);
    if (rc <= 0)
        return rc;
    if (wdg_rec_set_int(rec, f, v) < 0)
        return fail(c, WDG_MAL_RANGE,
                    wdg_field_type_of(f) == FT_TIME ? "negative time" : "out of range");
    return 1;
}

static int read_addr_field(ctx *c, wdg_field f, wdg_rec *rec)
{
    wdg_addr v;
    int rc = read_addr(c, rec->sites, &v);
    if (rc > 0)
        wdg_rec_set_addr(rec, f, v);
    return rc;
}

static int read_list_field(ctx *c, wdg_field f, wdg_rec *rec)
{
    list_item l = {rec, f};
    wdg_rec_list_clear(rec, f);
    int rc = read_array(c, "not an array", addr_item, &l);
    if (rc > 0)
        wdg_rec_mark(rec, f);   /* [] is a list, empty */
    return rc;
}

static int read_bool_field(ctx *c, wdg_field f, wdg_rec *rec)
{
    int b = 0;
    int rc = read_bool(c, &b);
    if (rc > 0)
        wdg_rec_set_bool(rec, f, b);
    return rc;
}

/* A string member's raw text: 1 with a, n, esc set; 0 for null (f unset);
 * the line's failure otherwise. */
static int read_string(ctx *c, wdg_field f, wdg_rec *rec, const char **a, size_t *n, int *esc)
{
    int nl = read_null(c);
    if (nl == 1) {
        wdg_rec_unset(rec, f);
        return 0;
    }
    if (nl < 0 || c->s.p >= c->s.end || *c->s.p != '"') {
        if (nl < 0 || skip_value(&c->s, 1) < 0)
            return syntax(c);
        return fail(c, WDG_MAL_TYPE, "not a string");
    }
    if (scan_string(&c->s, a, n, esc) < 0)
        return syntax(c);
    return 1;
}

static int read_op(ctx *c, wdg_rec *rec)
{
    const char *a;
    size_t n;
    int esc;
    int got = read_string(c, F_OP, rec, &a, &n, &esc);
    if (got <= 0)
        return got;
    if (esc) {
        long dn = decode_string(a, n, rec->op_buf, sizeof rec->op_buf, 0);
        if (dn < 0)
            return fail(c, WDG_MAL_RANGE, "name too long");
        a = rec->op_buf;
        n = (size_t)dn;
    }
    int rc = wdg_rec_set_op(rec, a, n);
    if (rc == -1)
        return fail(c, WDG_MAL_MISSING, "empty name");
    if (rc < 0)
        return fail(c, WDG_MAL_RANGE, "name too long");
    return 1;
}

/* trace.end's "reason": a string; null leaves it unknown */
static int read_reason(ctx *c, wdg_field f, wdg_rec *rec)
{
    const char *a;
    size_t n;
    int esc;
    int got = read_string(c, f, rec, &a, &n, &esc);
    if (got <= 0)
        return got;
    /* an escaped word is none of the known ones: unknown */
    wdg_rec_set_reason(rec, f, esc ? "" : a, esc ? 0 : n);
    return 1;
}

static int read_event_field(ctx *c, wdg_field f, wdg_rec *rec)
{
    switch (wdg_field_type_of(f)) {
    case FT_TIME:
    case FT_INT:
    case FT_U32: return read_int_field(c, f, rec);
    case FT_ADDR: return read_addr_field(c, f, rec);
    case FT_ADDR_LIST: return read_list_field(c, f, rec);
    case FT_BOOL: return read_bool_field(c, f, rec);
    case FT_OP: return read_op(c, rec);
    case FT_END_REASON: return read_reason(c, f, rec);
    default: return skip_member(c);   /* unknown names are skipped */
    }
}

/* --- header members --------------------------------------------------- */

/* engine, title_id, module_hash: copied as far as they fit, then the
 * value is validated as any JSON value. */
static int read_header_string(ctx *c, char *dst, size_t cap)
{
    const unsigned char *start = c->s.p;
    copy_header_string(c, dst, cap);
    c->s.p = start;
    return skip_member(c);
}

static int read_ended_at(ctx *c, wdg_jsonl_header *hdr)
{
    int64_t v;
    int rc = read_int(c, &v);
    if (rc > 0 && v < 0)
        return fail(c, WDG_MAL_RANGE, "negative time");
    if (rc > 0)
        hdr->ended_at = v, hdr->has_ended_at = 1;
    return rc;
}

static int read_header_member(ctx *c, wdg_field f, wdg_jsonl_header *hdr)
{
    switch (f) {
    case F_HEADER:
        hdr->is_header = 1;
        return skip_member(c);
    case F_ENGINE: return read_header_string(c, hdr->engine, sizeof hdr->engine);
    case F_TITLE_ID: return read_header_string(c, hdr->title_id, sizeof hdr->title_id);
    case F_MODULE_HASH: return read_header_string(c, hdr->module_hash, sizeof hdr->module_hash);
    case F_OBSERVES: return read_observes(c, hdr);
    case F_ENDED_AT: return read_ended_at(c, hdr);
    default: return skip_member(c);
    }
}

/* --- the line ------------------------------------------------------------ */

/* At a member's key: reads "key": value into rec or hdr. */
static int read_member(ctx *c, wdg_rec *rec, wdg_jsonl_header *hdr)
{
    const char *k;
    size_t kn;
    int esc;
    char keybuf[KEY_MAX];
    if (c->s.p >= c->s.end || *c->s.p != '"' || scan_string(&c->s, &k, &kn, &esc) < 0)
        return syntax(c);
    if (esc) {
        long dn = decode_string(k, kn, keybuf, sizeof keybuf, 0);
        k = dn < 0 ? "" : keybuf;
        kn = dn < 0 ? 0 : (size_t)dn;
    }
    ws(&c->s);
    if (c->s.p >= c->s.end || *c->s.p != ':')
        return syntax(c);
    c->s.p++;
    ws(&c->s);
    wdg_field f = wdg_field_lookup(k, kn);
    c->key = wdg_field_name(f);
    if (wdg_field_type_of(f) == FT_HEADER)
        return read_header_member(c, f, hdr);
    return read_event_field(c, f, rec);
}

/* --- the quick path ---------------------------------------------------- */

/* At a member's key: the keys wedge's own writers use, compared with the
 * bytes up to the colon as one piece ("tid":), instead of scanning the
 * key and looking it up.  F_UNKNOWN (nothing consumed) sends anything else
 * (an alias, an escape, white space before the colon) to read_member(). */
static wdg_field quick_key(scan *s)
{
    const unsigned char *p = s->p;
    size_t n = (size_t)(s->end - p);
#define KEY(lit, field)                                                         \
    if (bytes_are(p, s->end, lit, sizeof lit - 1)) {                            \
        s->p += sizeof lit - 1;                                                 \
        return field;                                                           \
    }
    if (n < 4 || p[0] != '"')
        return F_UNKNOWN;
    switch (p[1]) {
    case 't':
        KEY("\"t\":", F_T);
        KEY("\"tid\":", F_TID);
        KEY("\"timeout\":", F_TIMEOUT);
        break;
    case 'o':
        KEY("\"op\":", F_OP);
        KEY("\"obj\":", F_OBJ);
        KEY("\"objs\":", F_OBJS);
        break;
    case 'l': KEY("\"lr\":", F_LR); break;
    case 'c':
        KEY("\"count\":", F_COUNT);
        KEY("\"cycle\":", F_CYCLE);
        break;
    case 'w': KEY("\"wait_all\":", F_WAIT_ALL); break;
    case 'p': KEY("\"pc\":", F_PC); break;
    case 'r': KEY("\"ret\":", F_RET); break;
    case 'n': KEY("\"new_tid\":", F_NEW_TID); break;
    case 'e': KEY("\"entry_pc\":", F_ENTRY_PC); break;
    case 'f': KEY("\"frames\":", F_FRAMES); break;
    case 'a': KEY("\"alias\":", F_ALIAS); break;
    case 's': KEY("\"suspended\":", F_SUSPENDED); break;
    }
#undef KEY
    return F_UNKNOWN;
}

/* At a string: its plain bytes end at the returned pointer, which is not
 * a plain byte ('"', '\\', a control or non-ASCII byte) or is the end. */
static inline const unsigned char *plain_end(const unsigned char *p, const unsigned char *end)
{
    scan t = {p, end};
    skip_plain(&t);
    while (t.p < end && *t.p >= 0x20 && *t.p < 0x80 && *t.p != '"' && *t.p != '\\')
        t.p++;
    return t.p;
}

/* A list of addresses in its common form, ["0x..","0x.."] of up to the
 * field's most entries, each of 32 bits, no white space: 1 when stored (as
 * read_list_field() would), else 0 with nothing consumed. */
static int quick_list(ctx *c, const wdg_field_info *w, wdg_rec *rec)
{
    const unsigned char *start = c->s.p;
    wdg_addr *a = (wdg_addr *)(void *)((char *)rec + w->off);
    uint32_t n = 0;
    uint64_t h;
    if (*c->s.p != '[' || c->s.end - c->s.p < 2)
        return 0;
    c->s.p++;
    if (*c->s.p == ']') {
        c->s.p++;
    } else {
        for (;;) {
            if (c->s.p >= c->s.end || *c->s.p != '"' || n >= w->max || !quick_hex(&c->s, &h) ||
                h > UINT32_MAX) {
                c->s.p = start;
                return 0;
            }
            a[n++] = h;
            if (c->s.p < c->s.end && *c->s.p == ',') {
                c->s.p++;
                continue;
            }
            if (c->s.p < c->s.end && *c->s.p == ']') {
                c->s.p++;
                break;
            }
            c->s.p = start;
            return 0;
        }
    }
    *(uint32_t *)(void *)((char *)rec + w->count_off) = n;
    return 1;
}

/* The value of field f in its common form: a decimal integer, "0x" hex of
 * up to 32 bits, an op name of plain bytes; stored as the setters would
 * store it.  0 (nothing consumed, nothing stored) when the value is
 * anything else or out of the field's range: read_event_field() then
 * reads it from the same place and words the error. */
static int quick_value(ctx *c, wdg_field f, wdg_rec *rec)
{
    const wdg_field_info *w = &wdg_fields[f];
    const unsigned char *p = c->s.p;
    int64_t v;
    uint64_t h;
    if (p >= c->s.end)
        return 0;
    switch (w->type) {
    case FT_TIME:
    case FT_INT:
        if (*p == '"' || !quick_int(&c->s, &v))
            return 0;
        if (w->type == FT_TIME && v < 0) {
            c->s.p = p;
            return 0;
        }
        *(int64_t *)(void *)((char *)rec + w->off) = v;
        break;
    case FT_U32:
        if (*p == '"' || !quick_int(&c->s, &v))
            return 0;
        if (v < 0 || v > UINT32_MAX) {
            c->s.p = p;
            return 0;
        }
        *(uint32_t *)(void *)((char *)rec + w->off) = (uint32_t)v;
        break;
    case FT_ADDR:
        if (*p != '"' || !quick_hex(&c->s, &h))
            return 0;
        if (h > UINT32_MAX) {   /* wide: interned by the general path */
            c->s.p = p;
            return 0;
        }
        *(wdg_addr *)(void *)((char *)rec + w->off) = h;
        break;
    case FT_BOOL:
        if (literal(&c->s, "true") == 0)
            *(int *)(void *)((char *)rec + w->off) = 1;
        else if (literal(&c->s, "false") == 0)
            *(int *)(void *)((char *)rec + w->off) = 0;
        else
            return 0;
        break;
    case FT_ADDR_LIST:
        if (!quick_list(c, w, rec))
            return 0;
        break;
    case FT_OP: {
        if (*p != '"')
            return 0;
        const unsigned char *e = plain_end(p + 1, c->s.end);
        size_t n = (size_t)(e - (p + 1));
        if (e >= c->s.end || *e != '"' || n == 0 || n > 255)
            return 0;
        rec->op = (const char *)p + 1;
        rec->op_len = n;
        c->s.p = e + 1;
        break;
    }
    default:
        return 0;
    }
    rec->have |= w->flag;
    return 1;
}

/* After a member's value: 1 at '}' (read), 0 at ',' (read), -1 at
 * anything else (nothing read). */
static inline int member_end(ctx *c)
{
    if (c->s.p < c->s.end && (*c->s.p == ',' || *c->s.p == '}'))
        return *c->s.p++ == '}';
    return -1;
}

/* The members wedge's writers put after lr, in their order: "obj" and
 * "count", "objs" and "wait_all", or "timeout", each key compared as one
 * piece and its value read by quick_value() with its field known here.
 * 1 when the object ended ('}' read), else 0 with c->s.p at the next
 * member for the general loop (a member it does not take is read again
 * there, from its key). */
static int quick_tail(ctx *c, wdg_rec *rec)
{
#define AT(lit) bytes_are(p, end, lit, sizeof lit - 1)
#define TAKE(lit, f)                                                       \
    do {                                                                   \
        c->s.p = p + sizeof lit - 1;                                       \
        if (!quick_value(c, f, rec) || (e = member_end(c)) < 0)            \
            goto stop;                                                     \
    } while (0)
    const unsigned char *p = c->s.p, *end = c->s.end;
    int e;
    if (AT("\"obj\":")) {
        TAKE("\"obj\":", F_OBJ);
        if (e)
            return 1;
        p = c->s.p;
        if (!AT("\"count\":"))
            return 0;
        TAKE("\"count\":", F_COUNT);
        return e;
    }
    if (AT("\"objs\":")) {
        TAKE("\"objs\":", F_OBJS);
        if (e)
            return 1;
        p = c->s.p;
        if (!AT("\"wait_all\":"))
            return 0;
        TAKE("\"wait_all\":", F_WAIT_ALL);
        return e;
    }
    if (AT("\"timeout\":")) {
        TAKE("\"timeout\":", F_TIMEOUT);
        return e;
    }
    return 0;
stop:
    c->s.p = p;
    return 0;
#undef TAKE
#undef AT
}

/* At the first member: the members wedge's writers put first, in their
 * order ("t":N,"tid":N,"op":"NAME","lr":"0xHEX",), each read as the quick
 * path above reads it but with no lookup or switch; stops before the
 * first member that is not the next of them in its common form, followed
 * by a comma, which read_members() then reads.  1 when the object ended
 * with lr or with the members quick_tail() reads ('}' read too: nothing
 * left for the member loop). */
static int quick_prefix(ctx *c, wdg_rec *rec)
{
#define AT(lit) bytes_are(p, end, lit, sizeof lit - 1)
    const unsigned char *p = c->s.p, *end = c->s.end;
    int64_t v;
    uint64_t h;
    if (!AT("\"t\":"))
        return 0;
    c->s.p = p + 4;
    if (!quick_int(&c->s, &v) || v < 0 || c->s.p >= end || *c->s.p != ',')
        goto stop;
    rec->t = v;
    rec->have |= R_T;
    p = ++c->s.p;
    if (!AT("\"tid\":"))
        return 0;
    c->s.p = p + 6;
    if (!quick_int(&c->s, &v) || v < 0 || v > UINT32_MAX || c->s.p >= end || *c->s.p != ',')
        goto stop;
    rec->tid = (uint32_t)v;
    rec->have |= R_TID;
    p = ++c->s.p;
    if (!AT("\"op\":\""))
        return 0;
    const unsigned char *a = p + 6, *e = plain_end(a, end);
    if (e >= end || *e != '"' || e == a || e - a > 255 || e + 1 >= end || e[1] != ',')
        goto stop;
    rec->op = (const char *)a;
    rec->op_len = (size_t)(e - a);
    rec->have |= R_OP;
    p = c->s.p = e + 2;
    if (!AT("\"lr\":"))
        return 0;
    c->s.p = p + 5;
    if (c->s.p >= end || *c->s.p != '"' || !quick_hex(&c->s, &h) || h > UINT32_MAX ||
        c->s.p >= end || (*c->s.p != ',' && *c->s.p != '}'))
        goto stop;
    rec->lr = h;
    rec->have |= R_LR;
    /* at '}' the object ends here: no member loop */
    return *c->s.p++ == '}' || quick_tail(c, rec);
stop:
    c->s.p = p;   /* this member is read again by the general loop */
    return 0;
#undef AT
}

/* After the '{': the members up to and including the '}'. */
static int read_members(ctx *c, wdg_rec *rec, wdg_jsonl_header *hdr)
{
    const unsigned char *first = c->s.p;
    if (c->quick && quick_prefix(c, rec))
        return 0;
    int read_any = c->s.p != first;   /* then it stopped after a comma */
    ws(&c->s);
    if (!read_any && c->s.p < c->s.end && *c->s.p == '}') {
        c->s.p++;
        return 0;
    }
    for (;;) {
        /* the quick path looks for no white space: a key's '"' or a
         * value's first byte where it would be is not its form */
        wdg_field f = c->quick ? quick_key(&c->s) : F_UNKNOWN;
        if (f != F_UNKNOWN) {
            if (!quick_value(c, f, rec)) {
                c->key = wdg_field_name(f);   /* for the general reader's messages */
                ws(&c->s);
                if (read_event_field(c, f, rec) < 0)
                    return -1;
            }
        } else {
            ws(&c->s);
            if (read_member(c, rec, hdr) < 0)
                return -1;
        }
        if (c->s.p < c->s.end && *c->s.p == ',') {
            c->s.p++;
            continue;
        }
        ws(&c->s);
        if (c->s.p < c->s.end && *c->s.p == ',') {
            c->s.p++;
            continue;
        }
        if (c->s.p < c->s.end && *c->s.p == '}') {
            c->s.p++;
            return 0;
        }
        return syntax(c);
    }
}

/* Every member is reset per line: a header without observes or engine
 * must not keep what an earlier line (or trace) left in *hdr. */
static void header_reset(wdg_jsonl_header *hdr)
{
    hdr->is_header = 0;
    hdr->has_observes = 0;
    hdr->observes = 0;
    hdr->has_ended_at = 0;
    hdr->ended_at = 0;
    hdr->engine[0] = hdr->title_id[0] = hdr->module_hash[0] = 0;
}

static int is_trace_end(const wdg_rec *rec)
{
    return (rec->have & R_OP) && rec->op_len == 9 && memcmp(rec->op, "trace.end", 9) == 0;
}

/* After the object: nothing but white space, and the fields an event needs. */
static wdg_line_kind finish_line(ctx *c, const wdg_rec *rec, const wdg_jsonl_header *hdr)
{
    ws(&c->s);
    if (c->s.p != c->s.end)
        return wdg_malformed(c->res, WDG_MAL_SYNTAX, "text after the JSON object");
    if (hdr->is_header)
        return LINE_IGNORED;
    /* the end-of-run marker belongs to no thread: tid is optional there */
    if (!(rec->have & R_TID) && !is_trace_end(rec))
        return wdg_malformed(c->res, WDG_MAL_MISSING, "missing tid");
    if (!(rec->have & (R_OP | R_PC)))
        return wdg_malformed(c->res, WDG_MAL_MISSING, "missing op");
    return LINE_EVENT;
}

static wdg_line_kind parse(const char *line, size_t len, wdg_rec *rec, wdg_jsonl_header *hdr,
                           wdg_line_result *res, int quick)
{
    ctx c = {{(const unsigned char *)line, (const unsigned char *)line + len},
             (const unsigned char *)line, res, "", 0, quick};
    header_reset(hdr);
    wdg_rec_clear(rec);
    ws(&c.s);
    if (c.s.p >= c.s.end || *c.s.p != '{')
        return wdg_malformed(res, WDG_MAL_SYNTAX, "not a JSON object");
    c.s.p++;
    if (read_members(&c, rec, hdr) < 0)
        return c.nomem ? LINE_NOMEM : LINE_MALFORMED;
    return finish_line(&c, rec, hdr);
}

wdg_line_kind wdg_jsonl_parse(const char *line, size_t len, wdg_rec *rec,
                              wdg_jsonl_header *hdr, wdg_line_result *res)
{
    return parse(line, len, rec, hdr, res, 1);
}

wdg_line_kind wdg_jsonl_parse_general(const char *line, size_t len, wdg_rec *rec,
                                      wdg_jsonl_header *hdr, wdg_line_result *res)
{
    return parse(line, len, rec, hdr, res, 0);
}

/* --- the registry's entry ---------------------------------------------- */

static int jsonl_looks(const wdg_templates *ts, const char *line, size_t n)
{
    (void)ts;
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    return i < n && line[i] == '{';
}

/* A header line sets the trace's header; other lines are events. */
static wdg_line_kind jsonl_parse_line(const wdg_format_ctx *fc, const char *line, size_t len,
                                      wdg_rec *rec, wdg_line_result *res)
{
    wdg_jsonl_header hdr;
    wdg_line_kind kind = wdg_jsonl_parse(line, len, rec, &hdr, res);
    if (hdr.is_header && kind == LINE_IGNORED) {
        wdg_trace_set_header(fc->trace, hdr.has_observes, hdr.observes, hdr.engine,
                             hdr.title_id, hdr.module_hash);
        if (hdr.has_ended_at) {
            fc->trace->has_header_end = 1;
            fc->trace->header_end = hdr.ended_at;
        }
    }
    return kind;
}

const wdg_format_def wdg_format_jsonl = {
    "jsonl", WDG_FMT_FIRST_LINE, jsonl_looks, NULL, NULL, jsonl_parse_line, NULL, NULL,
};
