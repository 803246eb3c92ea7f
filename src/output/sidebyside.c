/* wedge diff: one thread pair's token streams side by side, like diff -y. */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "wedge/diff.h"

typedef struct row {
    int mark;          /* ' ', '<', '>', '|' */
    size_t a, b;       /* token indexes, SIZE_MAX when none */
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

static void print_row(wdg_buf *out, const wdg_report *r, const wdg_streams *st, row rw, int width)
{
    char left[256] = "", right[256] = "";
    if (rw.a != SIZE_MAX)
        wdg_token_name(r, r->ref, st->ref_events[rw.a], left, sizeof left);
    if (rw.b != SIZE_MAX)
        wdg_token_name(r, r->cand, st->cand_events[rw.b], right, sizeof right);
    char ai[24] = "", bi[24] = "";
    if (rw.a != SIZE_MAX)
        snprintf(ai, sizeof ai, "%zu", rw.a);
    if (rw.b != SIZE_MAX)
        snprintf(bi, sizeof bi, "%zu", rw.b);
    wdg_buf_printf(out, "%6s  ", ai);
    column(out, left, width);
    wdg_buf_printf(out, " %c %6s  %s\n", rw.mark, bi, right);
}

int wdg_render_diff(wdg_buf *out, const wdg_report *r, uint32_t ref_tid, uint32_t cand_tid,
                    int whole, int context, int width, wdg_error *err)
{
    wdg_streams st;
    wdg_diff d = {0};
    size_t start = out->len;
    int rc = wdg_boot_streams(&st, r, ref_tid, cand_tid, r->boot.window, whole, err);
    if (rc < 0)
        return rc;
    if ((rc = wdg_diff_tokens(&d, st.a, st.n, st.b, st.m, 0, err)) < 0)
        goto done;
    wdg_buf_printf(out, "--- %s thread %u: %zu tokens%s\n+++ %s thread %u: %zu tokens\n",
                   r->opts.ref_name, ref_tid, st.n, whole ? "" : " (the boot window)",
                   r->opts.cand_name, cand_tid, st.m);
    wdg_buf_printf(out, "%zu inserted, %zu deleted%s\n", d.inserted, d.deleted,
                   d.bounded ? " (the diff hit its cost bound: not minimal)" : "");
    /* rows: equal runs, then each change block with deletes and inserts
     * side by side */
    for (size_t i = 0; i < d.n_runs; i++) {
        const wdg_diff_run *run = &d.runs[i];
        if (run->kind == WDG_DIFF_EQUAL) {
            int first = i == 0, last = i + 1 == d.n_runs;
            size_t keep_head = first ? 0 : (size_t)context, keep_tail = last ? 0 : (size_t)context;
            if (run->len > keep_head + keep_tail) {
                for (size_t k = 0; k < keep_head; k++)
                    print_row(out, r, &st, (row){' ', run->a_pos + k, run->b_pos + k}, width);
                size_t skip_to = run->len - keep_tail;
                if (!last)
                    wdg_buf_printf(out, "@@ %s %zu, %s %zu @@\n", r->opts.ref_name,
                                   run->a_pos + skip_to, r->opts.cand_name, run->b_pos + skip_to);
                for (size_t k = skip_to; k < run->len; k++)
                    print_row(out, r, &st, (row){' ', run->a_pos + k, run->b_pos + k}, width);
            } else {
                for (size_t k = 0; k < run->len; k++)
                    print_row(out, r, &st, (row){' ', run->a_pos + k, run->b_pos + k}, width);
            }
            continue;
        }
        /* a change block: the deletes, then the inserts that follow */
        size_t da = 0, dn = 0, ia = 0, in = 0;
        if (run->kind == WDG_DIFF_DELETE) {
            da = run->a_pos, dn = run->len;
            if (i + 1 < d.n_runs && d.runs[i + 1].kind == WDG_DIFF_INSERT) {
                i++;
                ia = d.runs[i].b_pos, in = d.runs[i].len;
            }
        } else {
            ia = run->b_pos, in = run->len;
        }
        for (size_t k = 0; k < dn || k < in; k++) {
            row rw = {k < dn && k < in ? '|' : k < dn ? '<' : '>', k < dn ? da + k : SIZE_MAX,
                      k < in ? ia + k : SIZE_MAX};
            print_row(out, r, &st, rw, width);
        }
    }
done:
    wdg_buf_repair_utf8(out, start);   /* names from the input as they came */
    wdg_diff_free(&d);
    wdg_streams_free(&st);
    return rc;
}
