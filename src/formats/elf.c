/* Function symbols of an ELF file (ELF32 and ELF64, either byte order):
 * the STT_FUNC entries of .symtab and .dynsym with their sizes, at offsets
 * from the lowest loaded page, so that they name "module+0xOFF" sites.
 * Every read is bounds-checked: the file is untrusted input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/symtab.h"
#include "formats.h"

enum { SHT_SYMTAB = 2, SHT_DYNSYM = 11, PT_LOAD = 1, STT_FUNC = 2 };

typedef struct elf {
    const unsigned char *d;
    size_t n;
    int is64, be;
} elf;

/* An unsigned field of size bytes at off, 0 with *bad set when outside. */
static uint64_t get(const elf *e, uint64_t off, unsigned size, int *bad)
{
    if (off > e->n || size > e->n - off) {
        *bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned k = e->be ? i : size - 1 - i;
        v = v << 8 | e->d[off + k];
    }
    return v;
}

/* A word (4 bytes in ELF32, 8 in ELF64). */
static uint64_t word(const elf *e, uint64_t off, int *bad) { return get(e, off, e->is64 ? 8 : 4, bad); }

typedef struct section {
    uint64_t type, link, off, size, entsize;
} section;

static section section_at(const elf *e, uint64_t shoff, uint64_t shentsize, uint64_t i, int *bad)
{
    uint64_t at = shoff + i * shentsize;
    section s;
    s.type = get(e, at + 4, 4, bad);
    s.off = word(e, at + (e->is64 ? 24 : 16), bad);
    s.size = word(e, at + (e->is64 ? 32 : 20), bad);
    s.link = get(e, at + (e->is64 ? 40 : 24), 4, bad);
    s.entsize = word(e, at + (e->is64 ? 56 : 36), bad);
    return s;
}

/* The lowest PT_LOAD address, page-aligned: st_value minus it is the
 * offset in the loaded module (0 for a shared object). */
static uint64_t load_base(const elf *e, int *bad)
{
    uint64_t phoff = word(e, e->is64 ? 32 : 28, bad);
    uint64_t phentsize = get(e, e->is64 ? 54 : 42, 2, bad);
    uint64_t phnum = get(e, e->is64 ? 56 : 44, 2, bad);
    uint64_t base = UINT64_MAX;
    for (uint64_t i = 0; i < phnum && !*bad; i++) {
        uint64_t at = phoff + i * phentsize;
        if (get(e, at, 4, bad) != PT_LOAD)
            continue;
        uint64_t vaddr = word(e, at + (e->is64 ? 16 : 8), bad);
        if (vaddr < base)
            base = vaddr;
    }
    return base == UINT64_MAX ? 0 : base & ~(uint64_t)0xFFF;
}

/* The functions of one symbol table: their count, or -1 out of memory. */
static long add_table(wdg_symbols *s, const elf *e, const section *st, const section *str,
                      uint64_t base)
{
    uint64_t ent = e->is64 ? 24 : 16;
    if (st->entsize < ent || st->off > e->n || st->size > e->n - st->off ||
        str->off > e->n || str->size > e->n - str->off)
        return 0;
    long found = 0;
    for (uint64_t at = st->off; at + ent <= st->off + st->size; at += st->entsize) {
        int bad = 0;
        uint64_t name = get(e, at, 4, &bad);
        uint64_t info = get(e, at + (e->is64 ? 4 : 12), 1, &bad);
        uint64_t shndx = get(e, at + (e->is64 ? 6 : 14), 2, &bad);
        uint64_t value = e->is64 ? get(e, at + 8, 8, &bad) : get(e, at + 4, 4, &bad);
        uint64_t size = e->is64 ? get(e, at + 16, 8, &bad) : get(e, at + 8, 4, &bad);
        if (bad || (info & 0xF) != STT_FUNC || shndx == 0 || value < base || name >= str->size)
            continue;
        const char *p = (const char *)e->d + str->off + name;
        const char *end = memchr(p, 0, (size_t)(str->size - name));
        if (!end || end == p)
            continue;   /* unterminated or empty name */
        if (wdg_symtab_add(s, value - base, size, p, (size_t)(end - p)) < 0)
            return -1;
        found++;
    }
    return found;
}

int wdg_elf_symbols(wdg_symbols *s, const unsigned char *d, size_t n)
{
    if (n < 52 || memcmp(d, "\177ELF", 4) != 0 || (d[4] != 1 && d[4] != 2) ||
        (d[5] != 1 && d[5] != 2))
        return -2;
    elf e = {d, n, d[4] == 2, d[5] == 2};
    int bad = 0;
    uint64_t shoff = word(&e, e.is64 ? 40 : 32, &bad);
    uint64_t shentsize = get(&e, e.is64 ? 58 : 46, 2, &bad);
    uint64_t shnum = get(&e, e.is64 ? 60 : 48, 2, &bad);
    uint64_t base = load_base(&e, &bad);
    if (bad || shentsize < (e.is64 ? 64u : 40u) || shoff > n || shnum > (n - shoff) / shentsize)
        return -2;
    long found = 0;
    /* .symtab first: of two names at one address the first added stays */
    static const uint64_t kinds[2] = {SHT_SYMTAB, SHT_DYNSYM};
    for (int k = 0; k < 2; k++)
        for (uint64_t i = 0; i < shnum; i++) {
            section st = section_at(&e, shoff, shentsize, i, &bad);
            if (bad || st.type != kinds[k] || st.link >= shnum)
                continue;
            section str = section_at(&e, shoff, shentsize, st.link, &bad);
            long f = bad ? 0 : add_table(s, &e, &st, &str, base);
            if (f < 0)
                return -1;
            found += f;
        }
    return found > INT32_MAX ? INT32_MAX : (int)found;
}
