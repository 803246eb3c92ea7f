/* Symbol files: plain, MSVC .map, decomp-toolkit symbols.txt, XenonRecomp TOML. */
#include "wedge/symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"

#include "../input/source.h"
#include "../model/grow.h"
#include "../model/arena.h"
#include "formats.h"

typedef struct sym {
    uint32_t start;
    uint32_t size;      /* 0 = unknown */
    uint32_t order;     /* load order, so the first loaded wins */
    const char *name;
} sym;

struct wdg_symbols {
    wdg_arena arena;
    sym *items;
    size_t n, cap;
    uint32_t loads;
};

int wdg_symbols_new(wdg_symbols **out, wdg_error *err)
{
    wdg_symbols *s = calloc(1, sizeof *s);
    if (!s)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_arena_init(&s->arena);
    *out = s;
    return 0;
}

void wdg_symbols_free(wdg_symbols *s)
{
    if (!s)
        return;
    wdg_arena_free(&s->arena);
    free(s->items);
    free(s);
}

size_t wdg_symbols_count(const wdg_symbols *s) { return s ? s->n : 0; }

static int add(wdg_symbols *s, uint32_t start, uint32_t size, const char *name, size_t n)
{
    if (wdg_grow((void **)&s->items, &s->cap, s->n + 1, sizeof *s->items, 256) < 0)
        return -1;
    char *copy = wdg_arena_strndup(&s->arena, name, n);
    if (!copy)
        return -1;
    /* order: items loaded earlier keep lower indexes after sort_unique */
    s->items[s->n] = (sym){start, size, (uint32_t)s->n, copy};
    s->n++;
    return 0;
}

static int add_sub(wdg_symbols *s, uint32_t start, uint32_t size)
{
    char name[16];
    snprintf(name, sizeof name, "sub_%08X", start);
    return add(s, start, size, name, strlen(name));
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

static size_t skip(const char *l, size_t i, size_t n)
{
    while (i < n && is_space(l[i]))
        i++;
    return i;
}

static size_t word(const char *l, size_t i, size_t n)
{
    while (i < n && !is_space(l[i]))
        i++;
    return i;
}

static const char *find(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* "ADDRESS NAME [SIZE]" */
static int plain_line(wdg_symbols *s, const char *l, size_t n)
{
    size_t i = skip(l, 0, n);
    if (i == n || l[i] == '#')
        return 0;
    size_t e = word(l, i, n);
    uint32_t addr, size = 0;
    if (wdg_parse_hex32(l + i, e - i, &addr) < 0)
        return 0;
    size_t ns = skip(l, e, n), ne = word(l, ns, n);
    if (ns == ne)
        return 0;
    size_t zs = skip(l, ne, n), ze = word(l, zs, n);
    if (ze > zs && wdg_parse_hex32(l + zs, ze - zs, &size) < 0)
        size = 0;
    return add(s, addr, size, l + ns, ne - ns) < 0 ? -1 : 1;
}

/* " 0001:00000000       _name      82000000 f   obj.obj" */
static int map_line(wdg_symbols *s, const char *l, size_t n)
{
    size_t i = skip(l, 0, n), e = word(l, i, n);
    const char *colon = memchr(l + i, ':', e - i);
    uint32_t v;
    if (!colon || wdg_parse_hex32(l + i, (size_t)(colon - l - i), &v) < 0 ||
        wdg_parse_hex32(colon + 1, (size_t)(l + e - colon - 1), &v) < 0)
        return 0;
    size_t ns = skip(l, e, n), ne = word(l, ns, n);
    size_t as = skip(l, ne, n), ae = word(l, as, n);
    uint32_t addr;
    if (ns == ne || wdg_parse_hex32(l + as, ae - as, &addr) < 0)
        return 0;
    return add(s, addr, 0, l + ns, ne - ns) < 0 ? -1 : 1;
}

/* "NAME = .text:0xADDR; // type:function size:0xSIZE" */
static int dtk_line(wdg_symbols *s, const char *l, size_t n)
{
    size_t i = skip(l, 0, n), ne = word(l, i, n);
    const char *eq = find(l, n, " = ");
    if (!eq || ne == i)
        return 0;
    const char *colon = memchr(eq, ':', (size_t)(l + n - eq));
    const char *semi = memchr(eq, ';', (size_t)(l + n - eq));
    uint32_t addr, size = 0;
    if (!colon || !semi || semi < colon ||
        wdg_parse_hex32(colon + 1, (size_t)(semi - colon - 1), &addr) < 0)
        return 0;
    const char *type = find(semi, (size_t)(l + n - semi), "type:");
    if (type) {
        size_t rest = (size_t)(l + n - type);
        if (rest < 13 || memcmp(type, "type:function", 13) != 0)
            return 0;   /* data symbols name no code */
    }
    const char *sz = find(semi, (size_t)(l + n - semi), "size:");
    if (sz) {
        size_t ss = (size_t)(sz - l) + 5, se = word(l, ss, n);
        if (wdg_parse_hex32(l + ss, se - ss, &size) < 0)
            size = 0;
    }
    return add(s, addr, size, l + i, ne - i) < 0 ? -1 : 1;
}

/* the value after "key" and "=" inside [p, end) */
static int toml_hex(const char *p, const char *end, const char *key, uint32_t *out)
{
    const char *k = find(p, (size_t)(end - p), key);
    while (k) {
        const char *q = k + strlen(key);
        while (q < end && is_space(*q))
            q++;
        if (q < end && *q == '=') {
            q++;
            while (q < end && is_space(*q))
                q++;
            const char *e = q;
            while (e < end && ((*e >= '0' && *e <= '9') || (*e >= 'a' && *e <= 'f') ||
                               (*e >= 'A' && *e <= 'F') || *e == 'x' || *e == 'X'))
                e++;
            /* TOML integers here are written 0x...; plain digits are decimal */
            if (e - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
                return wdg_parse_hex32(q, (size_t)(e - q), out) == 0;
            int64_t v;
            if (wdg_parse_dec64(q, (size_t)(e - q), &v) < 0 || v < 0 || v > UINT32_MAX)
                return 0;
            *out = (uint32_t)v;
            return 1;
        }
        k = find(q, (size_t)(end - q), key);
    }
    return 0;
}

static int parse_toml(wdg_symbols *s, const char *d, size_t n)
{
    int found = 0;
    const char *p = d, *end = d + n;
    while ((p = memchr(p, '{', (size_t)(end - p))) != NULL) {
        const char *close = memchr(p, '}', (size_t)(end - p));
        if (!close)
            break;
        uint32_t addr, size = 0;
        if (toml_hex(p, close, "address", &addr)) {
            toml_hex(p, close, "size", &size);
            if (add_sub(s, addr, size) < 0)
                return -1;
            found++;
        }
        p = close + 1;
    }
    return found;
}

static int by_addr(const void *a, const void *b)
{
    const sym *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts by address; of two symbols at one address the first loaded stays. */
static void sort_unique(wdg_symbols *s)
{
    qsort(s->items, s->n, sizeof *s->items, by_addr);
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++)
        if (w == 0 || s->items[w - 1].start != s->items[i].start)
            s->items[w++] = s->items[i];
    s->n = w;
    for (size_t i = 0; i < s->n; i++)
        s->items[i].order = (uint32_t)i;
}

int wdg_symbols_load(wdg_symbols *s, const char *path, const char **format, wdg_error *err)
{
    wdg_source *src = NULL;
    int rc = wdg_source_open(&src, path, err);
    if (rc < 0)
        return rc;
    const char *head;
    size_t head_len;
    if ((rc = wdg_source_peek(src, &head, &head_len, err)) < 0)
        goto done;
    enum { PLAIN, MAP, DTK, TOML } kind = PLAIN;
    if (find(head, head_len, "Publics by Value"))
        kind = MAP;
    else if (find(head, head_len, " = .") && find(head, head_len, ":0x"))
        kind = DTK;
    else if (find(head, head_len, "address") && find(head, head_len, "{"))
        kind = TOML;
    static const char *const names[] = {"plain", "msvc-map", "decomp-toolkit",
                                        "xenonrecomp-toml"};
    if (format)
        *format = names[kind];
    size_t before = s->n;
    if (kind == TOML) {
        /* TOML arrays span lines: gather the whole text (bounded). */
        char *all = NULL;
        size_t len = 0, cap = 0;
        const char *line;
        size_t ln;
        int too_long;
        int got;
        while ((got = wdg_source_next_line(src, &line, &ln, &too_long, err)) > 0) {
            if (wdg_grow((void **)&all, &cap, len + ln + 1, 1, 4096) < 0) {
                free(all);
                rc = wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
                goto done;
            }
            memcpy(all + len, line, ln);
            len += ln;
            all[len++] = '\n';
        }
        if (got < 0) {
            free(all);
            rc = got;
            goto done;
        }
        int f = all ? parse_toml(s, all, len) : 0;
        free(all);
        if (f < 0) {
            rc = wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
            goto done;
        }
    } else {
        int in_map = 0;
        const char *line;
        size_t ln;
        int too_long, got;
        while ((got = wdg_source_next_line(src, &line, &ln, &too_long, err)) > 0) {
            int r = 0;
            if (kind == MAP) {
                if (!in_map)
                    in_map = find(line, ln, "Publics by Value") != NULL;
                else
                    r = map_line(s, line, ln);
            } else if (kind == DTK) {
                r = dtk_line(s, line, ln);
            } else {
                r = plain_line(s, line, ln);
            }
            if (r < 0) {
                rc = wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
                goto done;
            }
        }
        if (got < 0) {
            rc = got;
            goto done;
        }
    }
    if (wdg_source_truncated(src)) {
        /* a symbol file is written once, not by a killed engine: a cut one
         * would name addresses wrongly, so it is refused */
        rc = wdg_error_set(err, WDG_EINPUT, path, 0, "truncated: %s",
                           wdg_source_truncated(src));
        goto done;
    }
    if (s->n == before) {
        rc = wdg_error_set(err, WDG_EINPUT, path, 0, "no symbols found (read as %s)",
                           names[kind]);
        goto done;
    }
    sort_unique(s);
done:
    wdg_source_close(src);
    return rc;
}

int wdg_symbols_lookup(const wdg_symbols *s, uint32_t addr, const char **name,
                       uint32_t *start)
{
    if (!s || !s->n || addr < s->items[0].start)
        return 0;
    size_t lo = 0, hi = s->n;   /* greatest start <= addr */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->items[mid].start <= addr)
            lo = mid;
        else
            hi = mid;
    }
    const sym *f = &s->items[lo];
    if (f->size && (uint64_t)addr >= (uint64_t)f->start + f->size)
        return 0;
    *name = f->name;
    *start = f->start;
    return 1;
}

int wdg_symbols_format(const wdg_symbols *s, uint32_t addr, char *out, size_t cap)
{
    const char *name;
    uint32_t start;
    if (!wdg_symbols_lookup(s, addr, &name, &start)) {
        snprintf(out, cap, "0x%08X", addr);
        return 0;
    }
    /* a name too long for out is cut before a character, and the offset
     * kept: "+0x1C" tells call sites apart */
    char off[16] = "";
    if (addr != start)
        snprintf(off, sizeof off, "+0x%X", addr - start);
    size_t room = cap > strlen(off) ? cap - 1 - strlen(off) : 0;
    size_t n = wdg_utf8_cut(name, strlen(name), room);
    wdg_utf8_snprintf(out, cap, "%.*s%s", (int)n, name, off);
    return 1;
}

int wdg_symbols_find(const wdg_symbols *s, const char *name, uint32_t *start)
{
    if (!s || !name)
        return 0;
    /* linear: asked once per --wrapper, never per event */
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].name, name) == 0) {
            *start = s->items[i].start;
            return 1;
        }
    return 0;
}
