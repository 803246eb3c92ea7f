/* bench_diff: Myers on 1-million-token sequences, against a baseline
 * measured in the same run (one linear comparison pass over the same
 * arrays).  Usage: bench-diff [TOKENS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wedge/diff.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    uint32_t *a = malloc(n * sizeof *a), *b = malloc((n + 16) * sizeof *b);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        a[i] = (uint32_t)(i * 2654435761u % 4096);
    for (size_t i = 0; i < n; i++) {
        if (i % (n / 8) == 17)
            b[m++] = 99999;        /* a few insertions spread out */
        if (i % (n / 5) == 33)
            continue;              /* and deletions */
        b[m++] = a[i];
    }
    double t0 = now();
    volatile size_t same = 0;
    for (size_t i = 0; i < n && i < m; i++)
        same += a[i] == b[i];
    double base = now() - t0;
    wdg_diff d;
    wdg_error err = {0};
    t0 = now();
    if (wdg_diff_tokens(&d, a, n, b, m, 0, &err) < 0)
        return 1;
    double t = now() - t0;
    printf("diff %zu vs %zu tokens, few changes: %.3f s (%zu inserted, %zu deleted%s) | "
           "baseline pass %.4f s | ratio %.0fx\n",
           n, m, t, d.inserted, d.deleted, d.bounded ? ", bounded" : "", base, t / base);
    wdg_diff_free(&d);
    for (size_t i = 0; i < n; i++)
        b[i] = 100000 + (uint32_t)i;
    t0 = now();
    if (wdg_diff_tokens(&d, a, n, b, n, 0, &err) < 0)
        return 1;
    t = now() - t0;
    printf("diff %zu vs %zu tokens, nothing in common: %.3f s, %s, %llu steps\n", n, n, t,
           d.bounded ? "bounded (says so)" : "exact", (unsigned long long)d.cost);
    wdg_diff_free(&d);
    free(a);
    free(b);
    return 0;
}
