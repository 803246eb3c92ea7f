/* Myers' diff against a brute-force LCS on thousands of random pairs. */
#include <stdlib.h>

#include "harness.h"
#include "wedge/diff.h"

static size_t lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t *row = calloc((m + 1) * (n + 1), sizeof *row);
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++)
            row[i * (m + 1) + j] = a[i - 1] == b[j - 1]
                                       ? row[(i - 1) * (m + 1) + j - 1] + 1
                                       : (row[(i - 1) * (m + 1) + j] > row[i * (m + 1) + j - 1]
                                              ? row[(i - 1) * (m + 1) + j]
                                              : row[i * (m + 1) + j - 1]);
    size_t r = row[n * (m + 1) + m];
    free(row);
    return r;
}

/* The script must turn a into b, run by run. */
static int script_valid(const wdg_diff *d, const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i < d->n_runs; i++) {
        const wdg_diff_run *r = &d->runs[i];
        if (r->kind == WDG_DIFF_EQUAL) {
            if (r->a_pos != ia || r->b_pos != ib)
                return 0;
            for (size_t k = 0; k < r->len; k++)
                if (a[ia + k] != b[ib + k])
                    return 0;
            ia += r->len;
            ib += r->len;
        } else if (r->kind == WDG_DIFF_DELETE) {
            if (r->a_pos != ia)
                return 0;
            ia += r->len;
        } else {
            if (r->b_pos != ib)
                return 0;
            ib += r->len;
        }
    }
    return ia == n && ib == m;
}

/* Diffs on folded streams: valid scripts in unfolded positions, a long
 * run costs one step, and a shorter run of one token matches its part. */
static void test_diff_folded(void)
{
    uint32_t a[60], b[60];
    int valid = 1, counted = 1, paired = 1;
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(rand() % 40), m = (size_t)(rand() % 40);
        /* a small alphabet and long runs: run-length noise */
        for (size_t i = 0; i < n; i++)
            a[i] = i && rand() % 3 ? a[i - 1] : (uint32_t)(rand() % 3);
        for (size_t i = 0; i < m; i++)
            b[i] = i && rand() % 3 ? b[i - 1] : (uint32_t)(rand() % 3);
        wdg_diff d;
        wdg_error err = {0};
        if (wdg_diff_folded(&d, a, n, b, m, 0, &err) < 0) {
            CHECK(!"folded diff failed");
            continue;
        }
        valid &= script_valid(&d, a, n, b, m);
        counted &= d.deleted + m == d.inserted + n;
        /* never an insertion right before a deletion */
        for (size_t i = 1; i < d.n_runs; i++)
            paired &= !(d.runs[i - 1].kind == WDG_DIFF_INSERT && d.runs[i].kind == WDG_DIFF_DELETE);
        wdg_diff_free(&d);
    }
    CHECK(valid);
    CHECK(counted);
    CHECK(paired);
    /* 100 of T then U against 90 of T then U: 90 equal, 10 deleted at 90 */
    size_t n = 0, m = 0;
    uint32_t *x = malloc(200 * sizeof *x), *y = malloc(200 * sizeof *y);
    for (; n < 100; n++)
        x[n] = 5;
    x[n++] = 6;
    for (; m < 90; m++)
        y[m] = 5;
    y[m++] = 6;
    wdg_diff d;
    wdg_error err = {0};
    CHECK_INT(wdg_diff_folded(&d, x, n, y, m, 0, &err), 0);
    CHECK_INT(d.n_runs, 3);
    CHECK_INT(d.runs[0].len, 90);
    CHECK_INT(d.runs[1].kind, WDG_DIFF_DELETE);
    CHECK_INT(d.runs[1].a_pos, 90);
    CHECK_INT(d.runs[1].len, 10);
    CHECK_INT(d.deleted, 10);
    CHECK_INT(d.inserted, 0);
    CHECK(d.cost <= 2);   /* the runs, not the tokens, are diffed */
    wdg_diff_free(&d);
    /* a change inside: T*100 against T*40 V T*60 */
    m = 0;
    for (size_t i = 0; i < 100; i++) {
        if (i == 40)
            y[m++] = 7;
        y[m++] = 5;
    }
    CHECK_INT(wdg_diff_folded(&d, x, 100, y, m, 0, &err), 0);
    CHECK(script_valid(&d, x, 100, y, m));
    CHECK(d.n_runs >= 2 && d.runs[0].kind == WDG_DIFF_EQUAL && d.runs[0].len == 40);
    wdg_diff_free(&d);
    /* empty sides */
    CHECK_INT(wdg_diff_folded(&d, x, 0, y, 0, 0, &err), 0);
    CHECK_INT(d.n_runs, 0);
    wdg_diff_free(&d);
    CHECK_INT(wdg_diff_folded(&d, x, 3, y, 0, 0, &err), 0);
    CHECK_INT(d.deleted, 3);
    wdg_diff_free(&d);
    free(x);
    free(y);
}

void test_diff(void)
{
    srand(12345);
    uint32_t a[40], b[40];
    int minimal = 1, valid = 1, unbounded = 1;
    for (int round = 0; round < 5000; round++) {
        size_t n = (size_t)(rand() % 25), m = (size_t)(rand() % 25);
        unsigned alphabet = 1 + (unsigned)(rand() % 5);
        for (size_t i = 0; i < n; i++)
            a[i] = (uint32_t)(rand() % alphabet);
        /* b: sometimes random, sometimes a with a few edits */
        if (round % 2) {
            for (size_t i = 0; i < m; i++)
                b[i] = (uint32_t)(rand() % alphabet);
        } else {
            m = 0;
            for (size_t i = 0; i < n && m < 38; i++) {
                int r = rand() % 10;
                if (r == 0)
                    continue;                       /* delete */
                if (r == 1)
                    b[m++] = (uint32_t)(rand() % alphabet);   /* insert */
                b[m++] = a[i];
            }
        }
        wdg_diff d;
        wdg_error err = {0};
        if (wdg_diff_tokens(&d, a, n, b, m, 0, &err) < 0) {
            CHECK(!"diff failed");
            continue;
        }
        size_t l = lcs(a, n, b, m);
        if (d.inserted + d.deleted != n + m - 2 * l)
            minimal = 0;
        if (d.deleted - d.inserted != n - m && d.inserted - d.deleted != m - n)
            minimal = 0;
        if (!script_valid(&d, a, n, b, m))
            valid = 0;
        if (d.bounded)
            unbounded = 0;
        wdg_diff_free(&d);
    }
    CHECK(minimal);
    CHECK(valid);
    CHECK(unbounded);

    /* long sequences that differ in a few places: minimal and cheap */
    size_t n = 200000;
    uint32_t *x = malloc(n * sizeof *x), *y = malloc((n + 10) * sizeof *y);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        x[i] = (uint32_t)(i * 2654435761u % 1000);
    for (size_t i = 0; i < n; i++) {
        if (i == 1000 || i == 50000 || i == 150000)
            y[m++] = 7777;                 /* three insertions */
        if (i == 70000 || i == 120000)
            continue;                      /* two deletions */
        y[m++] = x[i];
    }
    wdg_diff d;
    wdg_error err = {0};
    CHECK_INT(wdg_diff_tokens(&d, x, n, y, m, 0, &err), 0);
    CHECK_INT(d.inserted, 3);
    CHECK_INT(d.deleted, 2);
    CHECK(!d.bounded);
    CHECK(script_valid(&d, x, n, y, m));
    CHECK(d.cost < 100000000);
    wdg_diff_free(&d);

    /* nothing in common: bounded by the budget, still a valid script */
    for (size_t i = 0; i < n; i++)
        y[i] = 100000 + (uint32_t)i;
    CHECK_INT(wdg_diff_tokens(&d, x, n, y, n, 1000000, &err), 0);
    CHECK(d.bounded);
    CHECK(d.cost <= 1000000);
    CHECK(script_valid(&d, x, n, y, n));
    CHECK_INT(d.inserted + d.deleted, 2 * n);
    wdg_diff_free(&d);
    /* empty sides */
    CHECK_INT(wdg_diff_tokens(&d, x, 0, y, 5, 0, &err), 0);
    CHECK_INT(d.inserted, 5);
    CHECK(script_valid(&d, x, 0, y, 5));
    wdg_diff_free(&d);
    CHECK_INT(wdg_diff_tokens(&d, x, 0, y, 0, 0, &err), 0);
    CHECK_INT(d.n_runs, 0);
    wdg_diff_free(&d);
    free(x);
    free(y);
    test_diff_folded();
}
