/* Myers' O(ND) diff with linear space (bisection at the middle snake), an
 * explicit work stack instead of recursion, and a cost bound. */
#include "../base/grow.h"
#include "wedge/diff.h"

#include <stdlib.h>
#include <string.h>

typedef struct task {
    size_t a0, a1, b0, b1;   /* the subproblem a[a0..a1) vs b[b0..b1) */
} task;

typedef struct ctx {
    const uint32_t *a, *b;
    wdg_diff *out;
    size_t cap_runs;
    uint64_t budget;
    long *v1, *v2;           /* scratch, 2 * (n + m + 2) longs each */
    task *stack;
    size_t sp, cap_stack;
} ctx;

static int emit(ctx *c, int kind, size_t a, size_t b, size_t len)
{
    if (!len)
        return 0;
    wdg_diff *d = c->out;
    if (d->n_runs) {
        wdg_diff_run *last = &d->runs[d->n_runs - 1];
        if (last->kind == kind && (kind != WDG_DIFF_EQUAL || (last->a_pos + last->len == a &&
                                                              last->b_pos + last->len == b)) &&
            (kind != WDG_DIFF_DELETE || last->a_pos + last->len == a) &&
            (kind != WDG_DIFF_INSERT || last->b_pos + last->len == b)) {
            last->len += len;
            goto count;
        }
    }
    if (wdg_grow((void **)&d->runs, &c->cap_runs, d->n_runs + 1, sizeof *d->runs, 64) < 0)
        return -1;
    d->runs[d->n_runs++] = (wdg_diff_run){kind, a, b, len};
count:
    if (kind == WDG_DIFF_INSERT)
        d->inserted += len;
    else if (kind == WDG_DIFF_DELETE)
        d->deleted += len;
    return 0;
}

static int push(ctx *c, task t)
{
    if (wdg_grow((void **)&c->stack, &c->cap_stack, c->sp + 1, sizeof *c->stack, 64) < 0)
        return -1;
    c->stack[c->sp++] = t;
    return 0;
}

/* The middle snake of a[a0..a1) vs b[b0..b1) (both non-empty, no common
 * prefix or suffix): the split point (x, y) in subproblem coordinates.
 * 0 when found, 1 when the budget ran out. */
static int bisect(ctx *c, const task *t, size_t *sx, size_t *sy)
{
    const uint32_t *a = c->a + t->a0, *b = c->b + t->b0;
    long n = (long)(t->a1 - t->a0), m = (long)(t->b1 - t->b0);
    long max_d = (n + m + 1) / 2, off = max_d, len = 2 * max_d + 2;
    long *v1 = c->v1, *v2 = c->v2;
    for (long i = 0; i < len; i++)
        v1[i] = v2[i] = -1;
    v1[off + 1] = v2[off + 1] = 0;
    long delta = n - m;
    int front = delta & 1;
    long k1s = 0, k1e = 0, k2s = 0, k2e = 0;
    for (long d = 0; d < max_d; d++) {
        uint64_t step = 2 * (uint64_t)d + 2;
        if (c->budget < step)
            return 1;
        c->budget -= step;
        c->out->cost += step;
        for (long k1 = -d + k1s; k1 <= d - k1e; k1 += 2) {
            long ko = off + k1;
            long x1 = (k1 == -d || (k1 != d && v1[ko - 1] < v1[ko + 1])) ? v1[ko + 1] : v1[ko - 1] + 1;
            long y1 = x1 - k1;
            while (x1 < n && y1 < m && a[x1] == b[y1])
                x1++, y1++;
            v1[ko] = x1;
            if (x1 > n) {
                k1e += 2;
            } else if (y1 > m) {
                k1s += 2;
            } else if (front) {
                long k2o = off + delta - k1;
                if (k2o >= 0 && k2o < len && v2[k2o] != -1 && x1 >= n - v2[k2o]) {
                    *sx = (size_t)x1;
                    *sy = (size_t)y1;
                    return 0;
                }
            }
        }
        for (long k2 = -d + k2s; k2 <= d - k2e; k2 += 2) {
            long ko = off + k2;
            long x2 = (k2 == -d || (k2 != d && v2[ko - 1] < v2[ko + 1])) ? v2[ko + 1] : v2[ko - 1] + 1;
            long y2 = x2 - k2;
            while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1])
                x2++, y2++;
            v2[ko] = x2;
            if (x2 > n) {
                k2e += 2;
            } else if (y2 > m) {
                k2s += 2;
            } else if (!front) {
                long k1o = off + delta - k2;
                if (k1o >= 0 && k1o < len && v1[k1o] != -1) {
                    long x1 = v1[k1o], y1 = off + x1 - k1o;
                    if (x1 >= n - x2) {
                        *sx = (size_t)x1;
                        *sy = (size_t)y1;
                        return 0;
                    }
                }
            }
        }
    }
    /* nothing in common: delete all, insert all */
    *sx = (size_t)n;
    *sy = 0;
    return 2;
}

/* Runs the work stack; tasks are popped in order (the stack holds them
 * reversed) so the runs come out left to right. */
static int run(ctx *c)
{
    while (c->sp) {
        task t = c->stack[--c->sp];
        /* common prefix */
        size_t p = 0;
        while (t.a0 + p < t.a1 && t.b0 + p < t.b1 && c->a[t.a0 + p] == c->b[t.b0 + p])
            p++;
        if (emit(c, WDG_DIFF_EQUAL, t.a0, t.b0, p) < 0)
            return -1;
        t.a0 += p;
        t.b0 += p;
        /* common suffix, emitted after the middle */
        size_t s = 0;
        while (t.a1 - s > t.a0 && t.b1 - s > t.b0 && c->a[t.a1 - s - 1] == c->b[t.b1 - s - 1])
            s++;
        task suffix = {t.a1 - s, t.a1, t.b1 - s, t.b1};
        t.a1 -= s;
        t.b1 -= s;
        if (t.a0 == t.a1 || t.b0 == t.b1) {
            if (emit(c, WDG_DIFF_DELETE, t.a0, t.b0, t.a1 - t.a0) < 0 ||
                emit(c, WDG_DIFF_INSERT, t.a1, t.b0, t.b1 - t.b0) < 0 ||
                emit(c, WDG_DIFF_EQUAL, suffix.a0, suffix.b0, s) < 0)
                return -1;
            continue;
        }
        size_t x, y;
        int r = bisect(c, &t, &x, &y);
        if (r) {
            if (r == 1)
                c->out->bounded = 1;   /* too expensive: give the rest up as a replace */
            if (emit(c, WDG_DIFF_DELETE, t.a0, t.b0, t.a1 - t.a0) < 0 ||
                emit(c, WDG_DIFF_INSERT, t.a1, t.b0, t.b1 - t.b0) < 0 ||
                emit(c, WDG_DIFF_EQUAL, suffix.a0, suffix.b0, s) < 0)
                return -1;
            continue;
        }
        /* the suffix, then the right half, then the left half (LIFO) */
        if ((s && push(c, suffix) < 0) ||
            push(c, (task){t.a0 + x, t.a1, t.b0 + y, t.b1}) < 0 ||
            push(c, (task){t.a0, t.a0 + x, t.b0, t.b0 + y}) < 0)
            return -1;
    }
    return 0;
}

int wdg_diff_tokens(wdg_diff *out, const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                    uint64_t max_cost, wdg_error *err)
{
    memset(out, 0, sizeof *out);
    ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.b = b;
    c.out = out;
    c.budget = max_cost ? max_cost : WDG_DIFF_DEFAULT_COST;
    size_t len = n + m + 4;
    c.v1 = malloc(len * sizeof *c.v1);
    c.v2 = malloc(len * sizeof *c.v2);
    int rc = 0;
    if (!c.v1 || !c.v2 || push(&c, (task){0, n, 0, m}) < 0 || run(&c) < 0) {
        wdg_diff_free(out);
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (diff)");
    }
    free(c.v1);
    free(c.v2);
    free(c.stack);
    return rc;
}

/* A stream folded: run k is tok[k] from start[k] to start[k + 1]. */
typedef struct folded {
    uint32_t *tok;
    size_t *start, n;
} folded;

static int fold(folded *f, const uint32_t *s, size_t n)
{
    f->n = 0;
    f->tok = malloc((n + 1) * sizeof *f->tok);
    f->start = malloc((n + 1) * sizeof *f->start);
    if (!f->tok || !f->start)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || s[i] != s[i - 1]) {
            f->tok[f->n] = s[i];
            f->start[f->n++] = i;
        }
    f->start[f->n] = n;
    return 0;
}

/* Emits in unfolded positions, holding an insertion back until what
 * follows is known: a deletion beside it goes first, so that the two pair
 * up as one change block. */
static int unfold(ctx *c, wdg_diff_run *held, int kind, size_t a, size_t b, size_t len)
{
    if (!len)
        return 0;
    if (kind == WDG_DIFF_INSERT) {
        if (!held->len)
            *held = (wdg_diff_run){kind, a, b, 0};
        held->len += len;
        return 0;
    }
    if (kind == WDG_DIFF_DELETE && held->len) {
        held->a_pos = a + len;
        return emit(c, kind, a, held->b_pos, len);
    }
    if (held->len && emit(c, WDG_DIFF_INSERT, held->a_pos, held->b_pos, held->len) < 0)
        return -1;
    held->len = 0;
    return emit(c, kind, a, b, len);
}

static int unfold_run(ctx *c, wdg_diff_run *held, const folded *fa, const folded *fb,
                      const wdg_diff_run *r)
{
    const size_t *sa = fa->start, *sb = fb->start;
    if (r->kind == WDG_DIFF_DELETE)
        return unfold(c, held, r->kind, sa[r->a_pos], sb[r->b_pos],
                      sa[r->a_pos + r->len] - sa[r->a_pos]);
    if (r->kind == WDG_DIFF_INSERT)
        return unfold(c, held, r->kind, sa[r->a_pos], sb[r->b_pos],
                      sb[r->b_pos + r->len] - sb[r->b_pos]);
    for (size_t i = 0; i < r->len; i++) {
        size_t ua = r->a_pos + i, ub = r->b_pos + i;
        size_t la = sa[ua + 1] - sa[ua], lb = sb[ub + 1] - sb[ub], k = la < lb ? la : lb;
        if (unfold(c, held, WDG_DIFF_EQUAL, sa[ua], sb[ub], k) < 0 ||
            unfold(c, held, WDG_DIFF_DELETE, sa[ua] + k, sb[ub] + k, la - k) < 0 ||
            unfold(c, held, WDG_DIFF_INSERT, sa[ua] + la, sb[ub] + k, lb - k) < 0)
            return -1;
    }
    return 0;
}

int wdg_diff_folded(wdg_diff *out, const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                    uint64_t max_cost, wdg_error *err)
{
    folded fa = {0}, fb = {0};
    wdg_diff fd = {0};
    ctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.out = out;
    int rc = 0;
    if (fold(&fa, a, n) < 0 || fold(&fb, b, m) < 0)
        goto oom;
    if ((rc = wdg_diff_tokens(&fd, fa.tok, fa.n, fb.tok, fb.n, max_cost, err)) < 0)
        goto done;
    wdg_diff_run held = {0};
    for (size_t i = 0; i < fd.n_runs; i++)
        if (unfold_run(&c, &held, &fa, &fb, &fd.runs[i]) < 0)
            goto oom;
    if (held.len && emit(&c, WDG_DIFF_INSERT, held.a_pos, held.b_pos, held.len) < 0)
        goto oom;
    out->bounded = fd.bounded;
    out->cost = fd.cost;
    goto done;
oom:
    wdg_diff_free(out);
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (diff)");
done:
    wdg_diff_free(&fd);
    free(fa.tok);
    free(fa.start);
    free(fb.tok);
    free(fb.start);
    return rc;
}

void wdg_diff_free(wdg_diff *d)
{
    free(d->runs);
    memset(d, 0, sizeof *d);
}
