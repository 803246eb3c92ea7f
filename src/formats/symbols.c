/* Symbol files: plain, MSVC .map, decomp-toolkit symbols.txt, XenonRecomp TOML.
 * The table they fill is src/model/symtab.c. */
#include "wedge/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"

#include "../input/source.h"
#include "../base/grow.h"
#include "../model/symtab.h"
#include "formats.h"

static int add_sub(wdg_symbols *s, uint32_t start, uint32_t size)
{
    char name[16];
    snprintf(name, sizeof name, "sub_%08X", start);
    return wdg_symtab_add(s, start, size, name, strlen(name));
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
    return wdg_symtab_add(s, addr, size, l + ns, ne - ns) < 0 ? -1 : 1;
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
    return wdg_symtab_add(s, addr, 0, l + ns, ne - ns) < 0 ? -1 : 1;
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
    return wdg_symtab_add(s, addr, size, l + i, ne - i) < 0 ? -1 : 1;
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

#define ELF_MAX ((size_t)1 << 30)   /* a larger "symbol file" is a mistake */

/* An ELF file's functions, in module (its file name when NULL). */
static int load_elf(wdg_symbols *s, const char *module, const char *path, wdg_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return wdg_error_set(err, WDG_EINPUT, path, 0, "cannot open");
    unsigned char *d = NULL;
    size_t n = 0, cap = 0, got;
    int rc = 0;
    do {
        if (n == cap && (cap >= ELF_MAX || wdg_grow((void **)&d, &cap, n + 1, 1, 65536) < 0)) {
            rc = cap >= ELF_MAX ? wdg_error_set(err, WDG_EINPUT, path, 0, "too large for an ELF file")
                                : wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
            break;
        }
        got = fread(d + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (rc == 0 && ferror(f))
        rc = wdg_error_set(err, WDG_EINPUT, path, 0, "read error");
    fclose(f);
    if (rc == 0) {
        const char *slash = strrchr(path, '/');
        const char *m = module ? module : slash ? slash + 1 : path;
        rc = wdg_symtab_module(s, m, strlen(m)) < 0 ? -1 : wdg_elf_symbols(s, d, n);
        if (rc == -1)
            rc = wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
        else if (rc == -2)
            rc = wdg_error_set(err, WDG_EINPUT, path, 0, "not a valid ELF file");
        else if (rc == 0)
            rc = wdg_error_set(err, WDG_EINPUT, path, 0, "no function symbols found (read as elf)");
        else
            rc = 0;
    }
    free(d);
    wdg_symtab_finish(s);
    return rc;
}

int wdg_symbols_load(wdg_symbols *s, const char *path, const char **format, wdg_error *err)
{
    return wdg_symbols_load_module(s, NULL, path, format, err);
}

int wdg_symbols_load_module(wdg_symbols *s, const char *module, const char *path,
                            const char **format, wdg_error *err)
{
    wdg_source *src = NULL;
    int rc = wdg_source_open(&src, path, err);
    if (rc < 0)
        return rc;
    const char *head;
    size_t head_len;
    if ((rc = wdg_source_peek(src, &head, &head_len, err)) < 0)
        goto done;
    if (head_len >= 4 && memcmp(head, "\177ELF", 4) == 0) {
        wdg_source_close(src);
        if (format)
            *format = "elf";
        return load_elf(s, module, path, err);
    }
    if (module && wdg_symtab_module(s, module, strlen(module)) < 0) {
        rc = wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
        goto done;
    }
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
    size_t before = wdg_symbols_count(s);
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
    if (wdg_symbols_count(s) == before) {
        rc = wdg_error_set(err, WDG_EINPUT, path, 0, "no symbols found (read as %s)",
                           names[kind]);
        goto done;
    }
done:
    wdg_symtab_finish(s);   /* also back to absolute addresses for the next file */
    wdg_source_close(src);
    return rc;
}
