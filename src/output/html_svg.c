/* report.html's drawings, as inline SVG laid out here: each root's
 * ladders as a graph, and a timeline per thread pair.  The timelines draw
 * what timeline.json holds (waits to their wake-ups from wdg_wakes_build(),
 * producers, the wedge point, the first divergence, the roots), folded
 * into HTML_BINS columns per lane so that a lane's size does not grow
 * with its events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "render.h"

/* ---- ladders ---- */

enum { BOX_W = 210, BOX_H = 40, COL_W = 232, GAP = 30, PAD = 10, ROOT_W = 300 };

/* text cut to about max characters, "..." when cut */
static void cut(const char *s, size_t max, char *out, size_t cap)
{
    size_t n = wdg_utf8_cut(s, strlen(s), max);
    snprintf(out, cap, "%.*s%s", (int)n, s, n < strlen(s) ? "..." : "");
}

static void svg_text(wdg_buf *b, int x, int y, const char *cls, const char *s, size_t max)
{
    char c[256];
    cut(s, max, c, sizeof c);
    wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y, cls);
    html_escs(b, c);
    wdg_buf_puts(b, "</text>");
}

/* A box of two lines, with the whole text as its tooltip. */
static void box(wdg_buf *b, int x, int y, int w, const char *cls, const char *l1, const char *l2)
{
    wdg_buf_printf(b, "<g class=\"%s\"><title>", cls);
    html_escs(b, l1);
    wdg_buf_puts(b, "\n");
    html_escs(b, l2);
    wdg_buf_printf(b, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y,
                   w, BOX_H);
    svg_text(b, x + w / 2, y + 16, "l1", l1, (size_t)w / 8);
    svg_text(b, x + w / 2, y + 32, "l2", l2, (size_t)w / 7);
    wdg_buf_puts(b, "</g>");
}

static void arrow(wdg_buf *b, int x1, int y1, int x2, int y2)
{
    wdg_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"arrow\" "
                      "marker-end=\"url(#ah)\"/>",
                   x1, y1, x2, y2 - 2);
}

/* where a wedged cand thread waits: its last event's token */
static void waits_at(const wdg_report *r, uint32_t tid, char *out, size_t cap)
{
    const wdg_thread *th = wdg_diag_cand_thread(&r->diag, tid);
    char sym[256];
    if (!th || !th->count) {
        snprintf(out, cap, "no events");
        return;
    }
    wdg_token_name(r, r->cand, th->last, sym, sizeof sym);
    wdg_utf8_snprintf(out, cap, "waits at %s", sym);
}

static void root_lines(const wdg_report *r, const wdg_root *x, char *l1, char *l2, size_t cap)
{
    char who[128], obj[WDG_ADDR_TEXT];
    snprintf(l1, cap, "%s (%s)", wdg_root_kind_name(x->kind), wdg_root_confidence_name(x->inferred));
    if (x->kind == WDG_ROOT_MISSING_THREAD) {
        wdg_utf8_snprintf(l2, cap, "%s thread %u (%s) never spawned",
                          r->opts.ref_name ? r->opts.ref_name : "ref", x->ref_tid, x->family);
        return;
    }
    html_label(x->has_tid ? wdg_diag_cand_thread(&r->diag, x->tid) : NULL, x->tid, who, sizeof who);
    if (x->has_obj)
        wdg_utf8_snprintf(l2, cap, "%s on %s", x->has_tid ? who : "?",
                          wdg_fmt_addr(r, x->obj, obj, sizeof obj));
    else
        wdg_utf8_snprintf(l2, cap, "%s", x->has_tid ? who : "?");
}

void html_ladder_svg(wdg_buf *b, const wdg_report *r, size_t ri)
{
    const wdg_diagnosis *d = &r->diag;
    const wdg_root *x = &d->roots[ri];
    size_t cols = x->n_ladders < HTML_MAX_LADDERS ? x->n_ladders : HTML_MAX_LADDERS;
    size_t depth = 0;
    for (size_t c = 0; c < cols; c++)
        if (d->ladders[x->ladder + c].n_tids > depth)
            depth = d->ladders[x->ladder + c].n_tids;
    int w = (int)cols * COL_W > ROOT_W + 2 * PAD ? (int)cols * COL_W : ROOT_W + 2 * PAD;
    int root_y = PAD + (int)depth * (BOX_H + GAP);
    int h = root_y + BOX_H + PAD;
    wdg_buf_printf(b, "<figure class=\"ladder\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">"
                      "<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
                      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\"/>"
                      "</marker></defs>",
                   w, h, w, h);
    int rx = (w - ROOT_W) / 2;
    for (size_t c = 0; c < cols; c++) {
        const wdg_ladder *l = &d->ladders[x->ladder + c];
        int bx = (int)c * COL_W + (COL_W - BOX_W) / 2;
        if (cols * COL_W < (size_t)w)
            bx += (w - (int)cols * COL_W) / 2;
        for (size_t k = 0; k < l->n_tids; k++) {
            uint32_t tid = d->ladder_tids[l->first + k];
            char l1[160], l2[320];
            html_label(wdg_diag_cand_thread(d, tid), tid, l1, sizeof l1);
            waits_at(r, tid, l2, sizeof l2);
            int y = PAD + (int)k * (BOX_H + GAP);
            box(b, bx, y, BOX_W, k == 0 ? "wedged first" : "wedged", l1, l2);
            if (k + 1 < l->n_tids)
                arrow(b, bx + BOX_W / 2, y + BOX_H, bx + BOX_W / 2, y + BOX_H + GAP);
            else
                arrow(b, bx + BOX_W / 2, y + BOX_H, rx + ROOT_W / 2, root_y);
        }
    }
    char l1[160], l2[320];
    root_lines(r, x, l1, l2, sizeof l1);
    box(b, rx, root_y, ROOT_W, x->inferred ? "rootbox inferred" : "rootbox proven", l1, l2);
    wdg_buf_puts(b, "</svg>");
    if (x->n_blocks > cols)
        wdg_buf_printf(b, "<figcaption class=\"capped\">%zu of its %zu ladders drawn (cap %d).</figcaption>",
                       cols, x->n_blocks, HTML_MAX_LADDERS);
    else
        wdg_buf_puts(b, "<figcaption>Each wedged thread, then who it waits for, down to the root.</figcaption>");
    wdg_buf_puts(b, "</figure>\n");
}

/* ---- timelines ---- */

enum { GUTTER = 180, LANE_H = 22, LANE_GAP = 6, TOP = 18 };

/* One row of the timelines: a thread pair, or a thread with no analog. */
typedef struct tl_row {
    int has_ref, has_cand;
    uint32_t ref, cand;
} tl_row;

typedef struct tl_ctx {
    const wdg_report *r;
    wdg_buf *b;
    wdg_wakes wakes[2];
    int64_t scale;             /* ns across HTML_BINS */
    size_t cand_at_div;
    int *cover;                /* HTML_BINS + 1 */
    uint8_t *ticks;            /* HTML_BINS */
    tl_row *rows;
    size_t n_rows;
    size_t not_drawn;          /* pairs beyond the cap */
} tl_ctx;

static int bin(const tl_ctx *c, int64_t ns)
{
    if (ns <= 0)
        return 0;
    int64_t k = (int64_t)((double)ns / (double)c->scale * HTML_BINS);
    return k >= HTML_BINS ? HTML_BINS - 1 : (int)k;
}

static void add_row(tl_ctx *c, int has_ref, uint32_t ref, int has_cand, uint32_t cand,
                    size_t cap)
{
    for (size_t i = 0; i < c->n_rows; i++) {
        tl_row *w = &c->rows[i];
        if ((has_ref && w->has_ref && w->ref == ref) || (has_cand && w->has_cand && w->cand == cand))
            return;
    }
    if (c->n_rows == cap) {
        c->not_drawn++;
        return;
    }
    c->rows[c->n_rows++] = (tl_row){has_ref, has_cand, ref, cand};
}

/* a thread of one side with its analog, when it has one */
static void add_thread(tl_ctx *c, int side, uint32_t tid, size_t cap)
{
    const wdg_diagnosis *d = &c->r->diag;
    const wdg_thread *th = side ? wdg_diag_cand_thread(d, tid) : wdg_diag_ref_thread(d, tid);
    if (!th)
        return;
    int an = th->has_analog;
    if (side)
        add_row(c, an, th->analog, 1, tid, cap);
    else
        add_row(c, 1, tid, an, th->analog, cap);
}

/* Which pairs to draw: the roots' threads, the wedged ones, the thread of
 * the first divergence, then the thread map's pairs, up to the cap. */
static void pick_rows(tl_ctx *c)
{
    const wdg_diagnosis *d = &c->r->diag;
    size_t cap = HTML_MAX_PAIRS;
    for (size_t i = 0; i < d->n_roots; i++) {
        if (d->roots[i].has_tid)
            add_thread(c, 1, d->roots[i].tid, cap);
        else if (d->roots[i].has_ref_tid)
            add_thread(c, 0, d->roots[i].ref_tid, cap);
    }
    for (size_t i = 0; i < d->n_cand_threads; i++)
        if (d->cand_threads[i].state == WDG_TS_WEDGED && d->cand_threads[i].divergent)
            add_thread(c, 1, d->cand_threads[i].tid, cap);
    if (c->r->first_divergence.found)
        add_thread(c, 0, c->r->ref->events[c->r->first_divergence.event].tid, cap);
    for (size_t i = 0; i < d->n_pairs; i++)
        add_row(c, 1, d->pairs[i].ref, 1, d->pairs[i].cand, cap);
}

/* Is producer i of a key that diverges? */
static int diverging(const wdg_report *r, int side, size_t i)
{
    const uint32_t *keys = side ? r->keys.cand_key : r->keys.ref_key;
    uint32_t k = keys ? keys[i] : WDG_NO_KEY;
    if (k == WDG_NO_KEY || k >= r->keys.n)
        return 0;
    wdg_status st = wdg_key_verdict(&r->keys, k);
    return st == WDG_ST_MISSING || st == WDG_ST_UNDER;
}

static void marker(tl_ctx *c, int x, int y, const char *cls, const char *label, const char *tip)
{
    wdg_buf *b = c->b;
    wdg_buf_printf(b, "<g class=\"%s\"><title>", cls);
    html_escs(b, tip);
    wdg_buf_printf(b, "</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                      "<path d=\"M%d,%dl5,5l-5,5l-5,-5z\"/>",
                   x, y - 3, x, y + LANE_H + 3, x, y - 1);
    if (label)
        svg_text(b, x + 7, y + 9, "mk", label, 40);
    wdg_buf_puts(b, "</g>");
}

/* One engine's lane of a row: lifetime, waits, producers, markers. */
static void lane(tl_ctx *c, int side, uint32_t tid, int y)
{
    const wdg_report *r = c->r;
    const wdg_diagnosis *d = &r->diag;
    const wdg_trace *t = side ? r->cand : r->ref;
    const wdg_thread *th = side ? wdg_diag_cand_thread(d, tid) : wdg_diag_ref_thread(d, tid);
    wdg_buf *b = c->b;
    char name[160];
    html_label(th, tid, name, sizeof name);
    wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lname %s\">", GUTTER - 8, y + 15,
                   side ? "c" : "r");
    html_escs(b, side ? (r->opts.cand_name ? r->opts.cand_name : "cand")
                      : (r->opts.ref_name ? r->opts.ref_name : "ref"));
    wdg_buf_puts(b, " ");
    char short_name[64];
    cut(name, 22, short_name, sizeof short_name);
    html_escs(b, short_name);
    wdg_buf_puts(b, "</text>");
    if (!th || !th->count) {
        wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"mk\">no such thread</text>", GUTTER + 4,
                       y + 15);
        return;
    }
    int wedged = th->state == WDG_TS_WEDGED;
    int64_t end = html_end_ns(r, side);
    int x0 = bin(c, html_rel_ns(t, th->first));
    int x1 = wedged ? bin(c, end) : bin(c, html_rel_ns(t, th->last));
    wdg_buf_printf(b, "<rect class=\"life\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                   GUTTER + x0, y, x1 - x0 + 1, LANE_H);
    memset(c->cover, 0, (HTML_BINS + 1) * sizeof *c->cover);
    memset(c->ticks, 0, HTML_BINS);
    const wdg_wakes *wk = &c->wakes[side];
    size_t n;
    const size_t *evs = wdg_diag_thread_events(d, th, &n);
    size_t wedge_at = WDG_NO_INDEX;
    for (size_t k = 0; k < n; k++) {
        size_t i = evs[k];
        const wdg_event *e = &t->events[i];
        if (e->cat == WDG_CAT_WAIT || e->cat == WDG_CAT_SIGNAL_WAIT) {
            size_t to = wk->ended_by[i];
            if (to == WDG_NO_INDEX && wedged && i == th->last) {
                wedge_at = i;
                continue;
            }
            int a = bin(c, html_rel_ns(t, i));
            int z = bin(c, to == WDG_NO_INDEX ? end : html_rel_ns(t, to));
            c->cover[a]++;
            c->cover[z + 1]--;
        } else if (wdg_category_is_producer(e->cat)) {
            uint8_t v = diverging(r, side, i) ? 2 : 1;
            int a = bin(c, html_rel_ns(t, i));
            if (c->ticks[a] < v)
                c->ticks[a] = v;
        }
    }
    /* waits: one path of rectangles over the columns some wait covers */
    wdg_buf_puts(b, "<path class=\"wait\" d=\"");
    int run = 0, from = -1;
    for (int x = 0; x <= HTML_BINS; x++) {
        if (x < HTML_BINS)
            run += c->cover[x];
        int on = x < HTML_BINS && run > 0;
        if (on && from < 0) {
            from = x;
        } else if (!on && from >= 0) {
            wdg_buf_printf(b, "M%d,%dh%dv%dh%dz", GUTTER + from, y + 5, x - from, LANE_H - 10,
                           from - x);
            from = -1;
        }
    }
    wdg_buf_puts(b, "\"/>");
    for (int v = 1; v <= 2; v++) {
        wdg_buf_printf(b, "<path class=\"%s\" d=\"", v == 2 ? "prod div" : "prod");
        for (int x = 0; x < HTML_BINS; x++)
            if (c->ticks[x] == v)
                wdg_buf_printf(b, "M%d.5,%dv%d", GUTTER + x, y + 2, LANE_H - 4);
        wdg_buf_puts(b, "\"/>");
    }
    if (wedge_at != WDG_NO_INDEX) {
        int a = bin(c, html_rel_ns(t, wedge_at));
        char sym[256], when[48], tip[400];
        wdg_token_name(r, t, wedge_at, sym, sizeof sym);
        wdg_format_ns(html_rel_ns(t, wedge_at), when, sizeof when);
        wdg_buf_printf(b, "<rect class=\"wedged\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                       GUTTER + a, y + 3, bin(c, end) - a + 1, LANE_H - 6);
        wdg_utf8_snprintf(tip, sizeof tip, "wedged from %s at %s%s", when, sym,
                          th->divergent ? "" : " (so is its analog)");
        marker(c, GUTTER + a, y, "mwedge", "wedged", tip);
    }
}

/* the divergence and root marks of one lane */
static void lane_marks(tl_ctx *c, int side, uint32_t tid, int y)
{
    const wdg_report *r = c->r;
    const wdg_divergence *dv = &r->first_divergence;
    const wdg_trace *t = side ? r->cand : r->ref;
    if (dv->found) {
        size_t ev = side ? c->cand_at_div : dv->event;
        uint32_t at_tid = ev != WDG_NO_INDEX ? t->events[ev].tid : 0;
        if (side) {
            const wdg_thread *rth = wdg_diag_ref_thread(&r->diag, r->ref->events[dv->event].tid);
            if (rth && rth->has_analog)
                at_tid = rth->analog;
        }
        if (ev != WDG_NO_INDEX && at_tid == tid) {
            char key[200], tip[400];
            wdg_fmt_key(r, &r->keys.keys[dv->key], key, sizeof key);
            wdg_utf8_snprintf(tip, sizeof tip, side ? "first divergence: the candidate's last "
                                                      "producer paired before %s"
                                                    : "first divergence: %s has no counterpart",
                              key);
            marker(c, GUTTER + bin(c, html_rel_ns(t, ev)), y, "mdiv", "first divergence", tip);
        }
    }
    const wdg_diagnosis *d = &r->diag;
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        int on = side ? x->has_tid && x->tid == tid : x->has_ref_tid && x->ref_tid == tid;
        const wdg_thread *th = side ? wdg_diag_cand_thread(d, tid) : wdg_diag_ref_thread(d, tid);
        if (!on || !th || !th->count)
            continue;
        size_t at = th->last;
        for (size_t k = 0; k < x->n_evidence; k++)
            if (x->evidence[k].cand == side) {
                at = x->evidence[k].event;
                break;
            }
        char label[32], tip[200];
        snprintf(label, sizeof label, "root %zu", i + 1);
        snprintf(tip, sizeof tip, "root %zu: %s (%s)", i + 1, wdg_root_kind_name(x->kind),
                 wdg_root_confidence_name(x->inferred));
        marker(c, GUTTER + bin(c, html_rel_ns(t, at)), y, "mroot", label, tip);
    }
}

static void axis(tl_ctx *c, int y)
{
    wdg_buf *b = c->b;
    for (int k = 0; k <= 4; k++) {
        int x = GUTTER + k * (HTML_BINS - 1) / 4;
        char when[48];
        wdg_format_ns(c->scale / 4 * k, when, sizeof when);
        wdg_buf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                          "<text class=\"tick\" x=\"%d\" y=\"%d\">%s</text>",
                       x, TOP - 4, x, y, x, TOP - 7, when);
    }
}

static void row_svg(tl_ctx *c, const tl_row *w)
{
    wdg_buf *b = c->b;
    int h = TOP + 2 * LANE_H + LANE_GAP + 8;
    wdg_buf_printf(b, "<figure class=\"tl\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
                      "%d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">",
                   GUTTER + HTML_BINS + 10, h);
    axis(c, h - 4);
    int y0 = TOP, y1 = TOP + LANE_H + LANE_GAP;
    if (w->has_ref)
        lane(c, 0, w->ref, y0);
    else
        wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lname r\">no analog in the reference"
                          "</text>", GUTTER - 8, y0 + 15);
    if (w->has_cand)
        lane(c, 1, w->cand, y1);
    else
        wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lname c\">no analog in the candidate"
                          "</text>", GUTTER - 8, y1 + 15);
    if (w->has_ref)
        lane_marks(c, 0, w->ref, y0);
    if (w->has_cand)
        lane_marks(c, 1, w->cand, y1);
    wdg_buf_puts(b, "</svg></figure>\n");
}

int html_timelines(wdg_buf *b, const wdg_report *r, size_t cand_at_div, wdg_error *err)
{
    tl_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.b = b;
    c.cand_at_div = cand_at_div;
    int64_t e0 = html_end_ns(r, 0), e1 = html_end_ns(r, 1);
    c.scale = e0 > e1 ? e0 : e1;
    if (c.scale <= 0)
        c.scale = 1;
    c.cover = calloc(HTML_BINS + 1, sizeof *c.cover);
    c.ticks = calloc(HTML_BINS, 1);
    c.rows = calloc(HTML_MAX_PAIRS, sizeof *c.rows);
    int rc = 0;
    if (!c.cover || !c.ticks || !c.rows)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    if (rc == 0)
        rc = wdg_wakes_build(&c.wakes[0], r->ref, err);
    if (rc == 0)
        rc = wdg_wakes_build(&c.wakes[1], r->cand, err);
    if (rc == 0) {
        pick_rows(&c);
        wdg_buf_puts(b, "<section id=\"timelines\"><h2>Timelines</h2>\n<p>Each thread pair, the "
                        "reference above the candidate, on one time scale (since each engine's "
                        "first event): <span class=\"k wait\">waits</span> to their wake-ups, "
                        "<span class=\"k prod\">producers</span>, <span class=\"k div\">producers "
                        "of a MISSING or UNDER key</span>, <span class=\"k wedged\">the wedged "
                        "wait</span>, the first divergence and the roots. Hover a mark for "
                        "details.</p>\n");
        for (size_t i = 0; i < c.n_rows; i++)
            row_svg(&c, &c.rows[i]);
        if (c.not_drawn)
            wdg_buf_printf(b, "<p class=\"capped\">%zu more thread pairs not drawn (cap %d); "
                              "timeline.json has every thread.</p>\n",
                           c.not_drawn, HTML_MAX_PAIRS);
        wdg_buf_puts(b, "</section>\n");
    }
    wdg_wakes_free(&c.wakes[0]);
    wdg_wakes_free(&c.wakes[1]);
    free(c.cover);
    free(c.ticks);
    free(c.rows);
    return rc;
}
