/* swar.h - bytes eight at a time in a 64-bit word (internal, base layer).
 *
 * The readers' hot loops (numbers, hex addresses, key names, word ends)
 * look at a word of a line at once.  Only where the compiler is GCC-like
 * and the machine little-endian (the first byte of a word is its lowest);
 * elsewhere WDG_SWAR is undefined and callers keep their byte loops.
 * Callers load a word only where eight bytes are there to read.
 */
#ifndef WEDGE_SWAR_H
#define WEDGE_SWAR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WDG_SWAR 1
/* for helpers whose arguments are constants at their call: folded there */
#define WDG_FOLDED static inline __attribute__((always_inline))
enum { SWAR_BYTES = 8 };
static const uint64_t ONES = 0x0101010101010101ULL, HIGHS = 0x8080808080808080ULL;

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* How many of w's bytes, from the first, are in the set marked by the
 * high bits of ok (0 to 8). */
static inline unsigned run_of(uint64_t ok)
{
    uint64_t bad = ~ok & HIGHS;
    return bad ? (unsigned)__builtin_ctzll(bad) >> 3 : 8;
}

/* A high bit per byte of w that is in [lo, hi] (both below 0x80).  A byte
 * of 0x80 or more may carry into the bytes after it, which only matters
 * after the first byte outside the set, and callers stop there. */
static inline uint64_t in_range(uint64_t w, unsigned char lo, unsigned char hi)
{
    return (w + ONES * (0x80u - lo)) & ~(w + ONES * (0x7Fu - hi)) & ~w & HIGHS;
}

/* The value of the first k (1 to 8) decimal digits of w. */
static inline uint64_t dec_value(uint64_t w, unsigned k)
{
    w <<= 8 * (8 - k);   /* the missing leading digits read as zeros */
    w = (w & (ONES * 0x0F)) * 2561 >> 8;
    w = (w & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
    return (w & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
}

/* The value of the first k (1 to 8) hex digits of w. */
static inline uint64_t hex_value(uint64_t w, unsigned k)
{
    uint64_t n = (w & (ONES * 0x0F)) + ((w >> 6) & ONES) * 9;   /* a letter has bit 6 */
    n <<= 8 * (8 - k);
    n = ((n << 4) | (n >> 8)) & 0x00FF00FF00FF00FFULL;
    n = ((n << 8) | (n >> 16)) & 0x0000FFFF0000FFFFULL;
    return ((n << 16) | (n >> 32)) & 0xFFFFFFFFULL;
}

static inline unsigned hex_run(uint64_t w)
{
    return run_of(in_range(w, '0', '9') | in_range(w | ONES * 0x20, 'a', 'f'));
}

/* A high bit per byte of w that is a space or a tab, exact up to the
 * first one (a borrow may mark bytes after it). */
static inline uint64_t space_or_tab(uint64_t w)
{
    uint64_t s = w ^ (ONES * ' '), t = w ^ (ONES * '\t');
    return (((s - ONES) & ~s) | ((t - ONES) & ~t)) & HIGHS;
}

/* The first n (1 to 8) bytes of w equal lit's. */
WDG_FOLDED int word_is(uint64_t w, const char *lit, size_t n)
{
    uint64_t l = 0;
    memcpy(&l, lit, n);
    return ((w ^ l) & (n == 8 ? ~0ULL : (1ULL << (8 * n)) - 1)) == 0;
}

/* Sixteen bytes at once where SSE2 is there (every x86-64): a bit per byte
 * in an int's low 16 bits, from a compare of the whole vector.  Callers
 * keep the word code for the last bytes of a line and for other
 * machines; building with -DWDG_NO_SSE2 tests that code alone. */
#if defined(__SSE2__) && !defined(WDG_NO_SSE2)
#include <emmintrin.h>
#define WDG_SSE2 1
enum { SSE_BYTES = 16 };

static inline __m128i sse_load(const unsigned char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* A bit per byte of p[0..16) that is a decimal digit. */
static inline unsigned sse_digits(const unsigned char *p)
{
    __m128i d = _mm_sub_epi8(sse_load(p), _mm_set1_epi8('0'));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
}

/* A bit per byte of p[0..16) that ends a string's plain bytes: '"', '\\',
 * a control byte or a byte of 0x80 and above (negative as a signed byte). */
static inline unsigned sse_plain_stops(const unsigned char *p)
{
    __m128i v = sse_load(p);
    __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    stop = _mm_or_si128(stop, _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    return (unsigned)_mm_movemask_epi8(stop);
}
#endif
#else
#define WDG_FOLDED static inline
#endif

#endif
