/* The analysis's id sets (sorted, unique) against qsort on sizes on both
 * sides of the insertion-sort cut and on values that share some bytes. */
#include <stdlib.h>

#include "harness.h"
#include "tests.h"
#include "../../src/analysis/diag_internal.h"

static int order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

/* mask picks the bytes that vary; the others stay those of base */
static int same_as_qsort(size_t n, uint64_t base, uint64_t mask, uint64_t seed)
{
    idset s = {0};
    uint64_t *want = malloc((n + 1) * sizeof *want);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = (base & ~mask) | (next(&seed) & mask);
        if (idset_add(&s, x) < 0)
            return 0;
        want[m++] = x;
    }
    qsort(want, m, sizeof *want, order);
    size_t w = 0;
    for (size_t i = 0; i < m; i++)
        if (!w || want[i] != want[w - 1])
            want[w++] = want[i];
    idset_finish(&s);
    int ok = s.n == w && (!w || memcmp(s.v, want, w * sizeof *want) == 0);
    idset_free(&s);
    free(want);
    return ok;
}

void test_idset(void)
{
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
    static const uint64_t masks[] = {UINT64_MAX, 0xff, 0xff00000000000000u, 0xf0f0f0f00000ffffu, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t k = 0; k < sizeof masks / sizeof *masks; k++)
            CHECK(same_as_qsort(sizes[i], 0x0123456789abcdefu, masks[k], 88172645463325292u + i));
    /* few distinct values, many repeats */
    CHECK(same_as_qsort(50000, 0, 0x3, 7));
}
