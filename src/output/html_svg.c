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

enum { BOX_W = 210, BOX_H = 40, COL_W = 228, GAP = 34, PAD = 10, ROOT_W = 320 };

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
    if (!th || !th->count) {
        snprintf(out, cap, "no events");
        return;
    }
    /* the function first: the op alone says little */
    const wdg_event *e = &r->cand->events[th->last];
    char fn[160];
    if (e->flags & WDG_EV_LR) {
        wdg_fmt_function(r, wdg_ev_lr(e), fn, sizeof fn);
        wdg_utf8_snprintf(out, cap, "at %s (%s)", fn, wdg_ops_name(r->cand->ops, e->op));
    } else {
        wdg_utf8_snprintf(out, cap, "in %s", wdg_ops_name(r->cand->ops, e->op));
    }
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

/* The ladders as one graph: a thread in several ladders is one box,
 * placed by its distance to the root (the longest), so shared rungs meet. */
#define MAX_NODES 40
#define MAX_EDGES 80

typedef struct lnode {
    uint32_t tid;
    int level, col, head;      /* head: a ladder starts at it */
} lnode;

typedef struct lgraph {
    lnode nodes[MAX_NODES];
    int edges[MAX_EDGES][2];   /* node indexes; -1 is the root */
    size_t nn, ne, left_out;
} lgraph;

static int node_of(lgraph *g, uint32_t tid, int level, int head)
{
    for (size_t i = 0; i < g->nn; i++)
        if (g->nodes[i].tid == tid) {
            if (level > g->nodes[i].level)
                g->nodes[i].level = level;
            g->nodes[i].head |= head;
            return (int)i;
        }
    if (g->nn == MAX_NODES) {
        g->left_out++;
        return -2;
    }
    g->nodes[g->nn] = (lnode){tid, level, 0, head};
    return (int)g->nn++;
}

static void edge(lgraph *g, int from, int to)
{
    if (from < 0 || to == -2)
        return;
    for (size_t i = 0; i < g->ne; i++)
        if (g->edges[i][0] == from && g->edges[i][1] == to)
            return;
    if (g->ne < MAX_EDGES) {
        g->edges[g->ne][0] = from;
        g->edges[g->ne++][1] = to;
    }
}

void html_ladder_svg(wdg_buf *b, const wdg_report *r, size_t ri)
{
    const wdg_diagnosis *d = &r->diag;
    const wdg_root *x = &d->roots[ri];
    lgraph *g = calloc(1, sizeof *g);
    if (!g) {
        b->oom = 1;
        return;
    }
    for (size_t c = 0; c < x->n_ladders; c++) {
        const wdg_ladder *l = &d->ladders[x->ladder + c];
        int prev = -3;
        for (size_t k = 0; k < l->n_tids; k++) {
            int n = node_of(g, d->ladder_tids[l->first + k], (int)(l->n_tids - k), k == 0);
            if (prev != -3)
                edge(g, prev, n);
            prev = n;
        }
        if (prev != -3)
            edge(g, prev, -1);
    }
    int levels = 0, per[MAX_NODES + 1] = {0}, widest = 1;
    for (size_t i = 0; i < g->nn; i++)
        if (g->nodes[i].level > levels)
            levels = g->nodes[i].level;
    for (size_t i = 0; i < g->nn; i++) {
        lnode *n = &g->nodes[i];
        n->col = per[n->level]++;
        if (per[n->level] > widest)
            widest = per[n->level];
    }
    int w = widest * COL_W > ROOT_W + 2 * PAD ? widest * COL_W : ROOT_W + 2 * PAD;
    int root_y = PAD + levels * (BOX_H + GAP);
    int h = root_y + BOX_H + PAD;
    wdg_buf_printf(b, "<figure class=\"ladder\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">"
                      "<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
                      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\"/>"
                      "</marker></defs>",
                   w, h, w, h);
    int rx = (w - ROOT_W) / 2;
    /* a box's top left corner: its level's row, centred */
    int bx[MAX_NODES], by[MAX_NODES];
    for (size_t i = 0; i < g->nn; i++) {
        const lnode *n = &g->nodes[i];
        bx[i] = (w - per[n->level] * COL_W) / 2 + n->col * COL_W + (COL_W - BOX_W) / 2;
        by[i] = root_y - n->level * (BOX_H + GAP);
    }
    for (size_t i = 0; i < g->ne; i++) {
        int f = g->edges[i][0], t = g->edges[i][1];
        int x2 = t < 0 ? rx + ROOT_W / 2 : bx[t] + BOX_W / 2, y2 = t < 0 ? root_y : by[t];
        arrow(b, bx[f] + BOX_W / 2, by[f] + BOX_H, x2, y2);
    }
    for (size_t i = 0; i < g->nn; i++) {
        char l1[160], l2[320];
        uint32_t tid = g->nodes[i].tid;
        html_label(wdg_diag_cand_thread(d, tid), tid, l1, sizeof l1);
        waits_at(r, tid, l2, sizeof l2);
        box(b, bx[i], by[i], BOX_W, g->nodes[i].head ? "wedged first" : "wedged", l1, l2);
    }
    char l1[160], l2[320];
    root_lines(r, x, l1, l2, sizeof l1);
    box(b, rx, root_y, ROOT_W, x->inferred ? "rootbox inferred" : "rootbox proven", l1, l2);
    wdg_buf_puts(b, "</svg><figcaption>Each wedged thread (bold border), then who it waits for, "
                    "down to the root.");
    if (x->n_blocks > x->n_ladders || g->left_out)
        wdg_buf_printf(b, " <span class=\"capped\">Drawn: %zu of its %zu ladders (caps: %d "
                          "ladders, %d threads).</span>",
                       x->n_ladders, x->n_blocks, WDG_MAX_LADDERS, MAX_NODES);
    wdg_buf_puts(b, "</figcaption></figure>\n");
    free(g);
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
    const wdg_wakes *wakes;    /* the caller's, or own */
    wdg_wakes own[2];
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

/* A mark: a line across the lane with a diamond on top; its label goes
 * right of it at the top (wedged), at the bottom (first divergence) or
 * left of it (a root), so that marks at one time stay readable. */
static void marker(tl_ctx *c, int x, int y, const char *cls, const char *label, const char *tip)
{
    int left = strcmp(cls, "mroot") == 0, low = strcmp(cls, "mdiv") == 0;
    wdg_buf *b = c->b;
    wdg_buf_printf(b, "<g class=\"%s\"><title>", cls);
    html_escs(b, tip);
    wdg_buf_printf(b, "</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                      "<path d=\"M%d,%dl5,5l-5,5l-5,-5z\"/>",
                   x, y - 3, x, y + LANE_H + 3, x, y - 1);
    if (label)
        svg_text(b, left ? x - 7 : x + 7, low ? y + LANE_H - 2 : y + 9, left ? "mk end" : "mk",
                 label, 40);
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
    char name[160], short_name[64];
    html_label(th, tid, name, sizeof name);
    cut(side ? (r->opts.cand_name ? r->opts.cand_name : "cand")
             : (r->opts.ref_name ? r->opts.ref_name : "ref"), 18, short_name, sizeof short_name);
    wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lname %s\"><title>", GUTTER - 8, y + 15,
                   side ? "c" : "r");
    html_escs(b, name);
    wdg_buf_puts(b, "</title>");
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
        if (html_rel_ns(t, i) > c->scale)
            break;   /* a thread's events run forward in time */
        if (wdg_ev_cat(t->ops, e) == WDG_CAT_WAIT || wdg_ev_cat(t->ops, e) == WDG_CAT_SIGNAL_WAIT) {
            size_t to = wk->ended_by[i];
            if (to == WDG_NO_INDEX && wedged && i == th->last) {
                wedge_at = i;
                continue;
            }
            int a = bin(c, html_rel_ns(t, i));
            int z = bin(c, to == WDG_NO_INDEX ? end : html_rel_ns(t, to));
            c->cover[a]++;
            c->cover[z + 1]--;
        } else if (wdg_category_is_producer(wdg_ev_cat(t->ops, e))) {
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
            wdg_buf_printf(b, "M%d,%dh%dv%dh%dz", GUTTER + from, y + LANE_H / 2, x - from,
                           LANE_H / 2 - 2, from - x);
            from = -1;
        }
    }
    wdg_buf_puts(b, "\"/>");
    for (int v = 1; v <= 2; v++) {
        wdg_buf_printf(b, "<path class=\"%s\" d=\"", v == 2 ? "prod div" : "prod");
        for (int x = 0; x < HTML_BINS; x++)
            if (c->ticks[x] == v)
                wdg_buf_printf(b, "M%d.5,%dv%d", GUTTER + x, y + 2, LANE_H / 2 - 3);
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
        if (ev != WDG_NO_INDEX && at_tid == tid && html_rel_ns(t, ev) <= c->scale) {
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
        if (html_rel_ns(t, at) > c->scale)
            continue;
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
    const wdg_diagnosis *d = &c->r->diag;
    const wdg_thread *rt = w->has_ref ? wdg_diag_ref_thread(d, w->ref) : NULL;
    const wdg_thread *ct = w->has_cand ? wdg_diag_cand_thread(d, w->cand) : NULL;
    char rl[160] = "none", cl[160] = "none";
    if (w->has_ref)
        html_label(rt, w->ref, rl, sizeof rl);
    if (w->has_cand)
        html_label(ct, w->cand, cl, sizeof cl);
    wdg_buf_puts(b, "<figure class=\"tl\"><figcaption><span class=\"r\">");
    html_escs(b, rl);
    wdg_buf_puts(b, "</span> &harr; <span class=\"c\">");
    html_escs(b, cl);
    wdg_buf_puts(b, "</span>");
    if (ct && ct->state == WDG_TS_WEDGED)
        wdg_buf_puts(b, ct->divergent ? " <span class=\"badge ts-wedged\">wedged</span>"
                                      : " <span class=\"badge ts-idle\">wedged, as its analog</span>");
    if (rt && ct)
        wdg_buf_printf(b, " <span class=\"dim\">paired by %s</span>", wdg_map_how_name(rt->how));
    wdg_buf_printf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
                      "%d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">",
                   GUTTER + HTML_BINS + 40, h);
    axis(c, h - 4);
    int y0 = TOP, y1 = TOP + LANE_H + LANE_GAP;
    if (w->has_ref)
        lane(c, 0, w->ref, y0);
    else
        wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lname r\">no analog"
                          "</text>", GUTTER - 8, y0 + 15);
    if (w->has_cand)
        lane(c, 1, w->cand, y1);
    else
        wdg_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lname c\">no analog"
                          "</text>", GUTTER - 8, y1 + 15);
    if (w->has_ref)
        lane_marks(c, 0, w->ref, y0);
    if (w->has_cand)
        lane_marks(c, 1, w->cand, y1);
    wdg_buf_puts(b, "</svg></figure>\n");
}

/* Where the candidate hangs: the latest last event of its wedged threads
 * (rebased); -1 when none is wedged. */
static int64_t hang_point(const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    int64_t h = -1;
    for (size_t k = 0; k < d->n_cand_threads; k++) {
        const wdg_thread *th = &d->cand_threads[k];
        int64_t at = th->count ? html_rel_ns(r->cand, th->last) : -1;
        if (th->state == WDG_TS_WEDGED && at > h)
            h = at;
    }
    return h;
}

/* The time the lanes span: both runs whole, or, when the candidate hangs
 * early, four times its hang (and the first divergence) so that its last
 * moments are wider than a column. */
static int64_t zoom(const wdg_report *r, int64_t span)
{
    int64_t h = hang_point(r), want = h * 4;
    if (r->first_divergence.found) {
        int64_t dv = html_rel_ns(r->ref, r->first_divergence.event);
        if (dv + dv / 4 > want)
            want = dv + dv / 4;
    }
    if (h < 0 || want <= 0 || want >= span)
        return span > 0 ? span : 1;
    return want;
}

int html_timelines(wdg_buf *b, const wdg_report *r, size_t cand_at_div, const wdg_wakes *wakes,
                   wdg_error *err)
{
    tl_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.b = b;
    c.cand_at_div = cand_at_div;
    int64_t e0 = html_end_ns(r, 0), e1 = html_end_ns(r, 1), span = e0 > e1 ? e0 : e1;
    c.scale = zoom(r, span);
    c.cover = calloc(HTML_BINS + 1, sizeof *c.cover);
    c.ticks = calloc(HTML_BINS, 1);
    c.rows = calloc(HTML_MAX_PAIRS, sizeof *c.rows);
    int rc = 0;
    if (!c.cover || !c.ticks || !c.rows)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    if (rc == 0 && !wakes)
        rc = wdg_wakes_build(&c.own[0], r->ref, err);
    if (rc == 0 && !wakes)
        rc = wdg_wakes_build(&c.own[1], r->cand, err);
    c.wakes = wakes ? wakes : c.own;
    if (rc == 0) {
        pick_rows(&c);
        wdg_buf_puts(b, "<section id=\"timelines\"><h2>Timelines</h2>\n<p>Each thread pair, the "
                        "reference above the candidate, on one time scale (since each engine's "
                        "first event): <span class=\"k wait\">waits</span> to their wake-ups, "
                        "<span class=\"k prod\">producers</span>, <span class=\"k div\">producers "
                        "of a MISSING or UNDER key</span>, <span class=\"k wedged\">the wedged "
                        "wait</span>, the first divergence and the roots. Hover a mark for "
                        "details.</p>\n");
        if (c.scale < span) {
            char a[48], z[48];
            wdg_format_ns(c.scale, a, sizeof a);
            wdg_format_ns(span, z, sizeof z);
            wdg_buf_printf(b, "<p class=\"capped\">Shown: the first %s of %s, four times the "
                              "time the candidate hangs at; what lies later is left out here "
                              "(timeline.json has it).</p>\n", a, z);
        }
        for (size_t i = 0; i < c.n_rows; i++)
            row_svg(&c, &c.rows[i]);
        if (c.not_drawn)
            wdg_buf_printf(b, "<p class=\"capped\">%zu more thread pairs not drawn (cap %d); "
                              "timeline.json has every thread.</p>\n",
                           c.not_drawn, HTML_MAX_PAIRS);
        wdg_buf_puts(b, "</section>\n");
    }
    wdg_wakes_free(&c.own[0]);
    wdg_wakes_free(&c.own[1]);
    free(c.cover);
    free(c.ticks);
    free(c.rows);
    return rc;
}
