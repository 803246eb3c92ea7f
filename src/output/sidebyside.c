/* wedge diff: one thread pair's token streams side by side, like diff -y. */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "wedge/diff.h"

typedef struct row {
    int mark;          /* ' ', '<', '>', '|' */
    size_t a, b;       /* token indexes, SIZE_MAX when none */
    size_t na, nb;     /* tokens the row stands for on each side */
} row;

/* s in a column width characters wide: cut before a character, padded
 * by characters (not bytes) so that multibyte names keep the columns */
static void column(wdg_buf *out, const char *s, int width)
{
    size_t n = wdg_utf8_cut(s, strlen(s), (size_t)width);
    int chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    wdg_buf_put(out, s, n);
    for (; chars < width; chars++)
        wdg_buf_putc(out, ' ');
}

/* A folded name keeps its count whole: the name is cut to make room. */
static void run_name(const wdg_report *r, const wdg_trace *t, size_t event, size_t count,
                     int width, char *out, size_t cap)
{
    char suffix[32] = "";
    if (count >= WDG_FOLD_MIN)
        snprintf(suffix, sizeof suffix, " x %zu", count);
    wdg_token_name(r, t, event, out, cap);
    size_t room = (size_t)width > strlen(suffix) ? (size_t)width - strlen(suffix) : 0;
    size_t len = width ? wdg_utf8_cut(out, strlen(out), room) : strlen(out);
    snprintf(out + len, cap - len, "%s", suffix);
}

static void print_row(wdg_buf *out, const wdg_report *r, const wdg_streams *st, row rw, int width)
{
    char left[256] = "", right[256] = "";
    if (rw.a != SIZE_MAX)
        run_name(r, r->ref, st->ref_events[rw.a], rw.na, width, left, sizeof left);
    if (rw.b != SIZE_MAX)
        run_name(r, r->cand, st->cand_events[rw.b], rw.nb, 0, right, sizeof right);
    char ai[24] = "", bi[24] = "";
    if (rw.a != SIZE_MAX)
        snprintf(ai, sizeof ai, "%zu", rw.a);
    if (rw.b != SIZE_MAX)
        snprintf(bi, sizeof bi, "%zu", rw.b);
    wdg_buf_printf(out, "%6s  ", ai);
    column(out, left, width);
    wdg_buf_printf(out, " %c %6s  %s\n", rw.mark, bi, right);
}

/* Tokens are printed unit by unit: a run of WDG_FOLD_MIN or more equal
 * tokens is one unit, any other token is one. */
typedef struct walk {
    const uint32_t *s;
    size_t at, to;     /* the next unit starts at at; the tokens end at to */
} walk;

/* The next unit's position; its length in *len. */
static size_t next_unit(walk *w, size_t *len)
{
    size_t pos = w->at, l = wdg_token_run(w->s, w->to, pos);
    *len = l >= WDG_FOLD_MIN ? l : 1;
    w->at += *len;
    return pos;
}

static size_t count_units(const uint32_t *s, size_t from, size_t to)
{
    walk w = {s, from, to};
    size_t k = 0, len;
    for (; w.at < w.to; k++)
        next_unit(&w, &len);
    return k;
}

/* An equal run: context units at each end that has a change beside it,
 * "@@" where units are skipped. */
static void equal_rows(wdg_buf *out, const wdg_report *r, const wdg_streams *st,
                       const wdg_diff_run *run, int first, int last, int context, int width)
{
    size_t nu = count_units(st->a, run->a_pos, run->a_pos + run->len);
    size_t head = first ? 0 : (size_t)context, tail = last ? 0 : (size_t)context;
    size_t skip_from = nu, skip_to = nu;
    if (nu > head + tail) {
        skip_from = head;
        skip_to = nu - tail;
    }
    walk w = {st->a, run->a_pos, run->a_pos + run->len};
    for (size_t u = 0; u < nu; u++) {
        size_t len, pos = next_unit(&w, &len);
        size_t bpos = run->b_pos + (pos - run->a_pos);
        if (u >= skip_from && u < skip_to) {
            if (u == skip_to - 1 && !last)
                wdg_buf_printf(out, "@@ %s %zu, %s %zu @@\n", r->opts.ref_name, pos + len,
                               r->opts.cand_name, bpos + len);
            continue;
        }
        print_row(out, r, st, (row){' ', pos, bpos, len, len}, width);
    }
}

/* A change block: the deletes beside the inserts that follow, unit by unit. */
static void change_rows(wdg_buf *out, const wdg_report *r, const wdg_streams *st, size_t da,
                        size_t dn, size_t ia, size_t in, int width)
{
    walk wa = {st->a, da, da + dn}, wb = {st->b, ia, ia + in};
    while (wa.at < wa.to || wb.at < wb.to) {
        row rw = {0, SIZE_MAX, SIZE_MAX, 0, 0};
        if (wa.at < wa.to)
            rw.a = next_unit(&wa, &rw.na);
        if (wb.at < wb.to)
            rw.b = next_unit(&wb, &rw.nb);
        rw.mark = rw.a != SIZE_MAX && rw.b != SIZE_MAX ? '|' : rw.a != SIZE_MAX ? '<' : '>';
        print_row(out, r, st, rw, width);
    }
}

void wdg_render_diff(wdg_buf *out, const wdg_report *r, const wdg_pair_diff *pd, int context,
                     int width)
{
    const wdg_streams *st = &pd->st;
    const wdg_diff *d = &pd->diff;
    size_t start = out->len;
    wdg_buf_printf(out, "--- %s thread %u: %zu tokens%s\n+++ %s thread %u: %zu tokens\n",
                   r->opts.ref_name, pd->ref_tid, st->n, pd->whole ? "" : " (the boot window)",
                   r->opts.cand_name, pd->cand_tid, st->m);
    wdg_buf_printf(out, "%zu inserted, %zu deleted%s\n", d->inserted, d->deleted,
                   d->bounded ? " (the diff hit its cost bound: not minimal)" : "");
    /* rows: equal runs, then each change block with deletes and inserts
     * side by side */
    for (size_t i = 0; i < d->n_runs; i++) {
        const wdg_diff_run *run = &d->runs[i];
        if (run->kind == WDG_DIFF_EQUAL) {
            equal_rows(out, r, st, run, i == 0, i + 1 == d->n_runs, context, width);
            continue;
        }
        size_t da = 0, dn = 0, ia = 0, in = 0;
        if (run->kind == WDG_DIFF_DELETE) {
            da = run->a_pos, dn = run->len;
            if (i + 1 < d->n_runs && d->runs[i + 1].kind == WDG_DIFF_INSERT) {
                i++;
                ia = d->runs[i].b_pos, in = d->runs[i].len;
            }
        } else {
            ia = run->b_pos, in = run->len;
        }
        change_rows(out, r, st, da, dn, ia, in, width);
    }
    wdg_buf_repair_utf8(out, start);   /* names from the input as they came */
}
