/* waitgraph.dot: the wait-for graph of the candidate, drawn so that it
 * explains itself (docs/wedge.md, "waitgraph.dot").  An arrow goes from a
 * waiting thread to the thread that should wake it, labelled with the
 * object and the key; a root cause is drawn as the thread it names,
 * coloured by its kind and confidence; unexplained wedges sit in a
 * cluster; a legend says what the colours mean.  Every fact comes from the
 * diagnosis; every trace-derived string goes through wdg_dot_text(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "../base/grow.h"

/* a root kind's colours: proven (solid) and inferred (paler) */
typedef struct kind_look {
    const char *proven, *inferred;
} kind_look;

static const kind_look looks[] = {
    [WDG_ROOT_SIGNALED_BUT_BLOCKED] = {"#6fa8dc", "#cfe2f3"},
    [WDG_ROOT_MISSING_THREAD] = {"#e06666", "#f4cccc"},
    [WDG_ROOT_SKIPPED_PRODUCER] = {"#f6b26b", "#fce5cd"},
    [WDG_ROOT_LIVE_MISSING_PRODUCER] = {"#ffd966", "#fff2cc"},
    [WDG_ROOT_SILENT_THREAD] = {"#b4a7d6", "#e6e0f3"},
    [WDG_ROOT_UNKNOWN] = {"#999999", "#dddddd"},
    [WDG_ROOT_CYCLE] = {"#c27ba0", "#ead1dc"},
    [WDG_ROOT_EXTERNAL] = {"#76a5af", "#d0e0e3"},
};
_Static_assert(sizeof looks / sizeof looks[0] == WDG_ROOT_KIND_COUNT, "a look per root kind");

#define ROOT_EDGE_COLOR "#cc0000"

static const char *fill_of(const wdg_root *x)
{
    const kind_look *l = &looks[x->kind >= 0 && x->kind < WDG_ROOT_KIND_COUNT ? x->kind
                                                                               : WDG_ROOT_UNKNOWN];
    return x->inferred ? l->inferred : l->proven;
}

/* s inside an HTML-like label (the legend): the markup characters as entities */
static void html_text(wdg_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            wdg_buf_puts(b, "&amp;");
        else if (c == '<')
            wdg_buf_puts(b, "&lt;");
        else if (c == '>')
            wdg_buf_puts(b, "&gt;");
        else if (c == '"')
            wdg_buf_puts(b, "&quot;");
        else if (c >= 0x20 && c != 0x7F)
            wdg_buf_putc(b, (char)c);
    }
}

/* "cache_thread 7", or "thread 1" when the family is unknown */
static void thread_name(const char *family, uint32_t tid, char *out, size_t cap)
{
    if (strcmp(family, "-") == 0 || !*family)
        snprintf(out, cap, "thread %u", tid);
    else
        wdg_utf8_snprintf(out, cap, "%s %u", family, tid);
}

/* "set at cache_thread+0xFC (NtSetEvent)", or "set (NtSetEvent)" without a call site */
static void key_text(const wdg_report *r, uint8_t cat, int has_lr, wdg_addr lr, uint32_t op,
                     char *out, size_t cap)
{
    char fn[160];
    if (has_lr) {
        wdg_fmt_function(r, lr, fn, sizeof fn);
        wdg_utf8_snprintf(out, cap, "%s at %s (%s)", wdg_category_name(cat), fn,
                          wdg_ops_name(r->ref->ops, op));
    } else {
        wdg_utf8_snprintf(out, cap, "%s (%s)", wdg_category_name(cat), wdg_ops_name(r->ref->ops, op));
    }
}

static void root_key_text(const wdg_report *r, const wdg_root *x, char *out, size_t cap)
{
    if (x->has_key)
        key_text(r, x->cat, x->key_has_lr, x->lr, x->op, out, cap);
    else
        snprintf(out, cap, "its signal");
}

/* what the thread a root names did, in a few words */
static void root_deed(wdg_buf *b, const wdg_report *r, const wdg_root *x)
{
    char key[256], a[WDG_ADDR_TEXT];
    root_key_text(r, x, key, sizeof key);
    switch (x->kind) {
    case WDG_ROOT_SIGNALED_BUT_BLOCKED:
        if (x->has_obj)
            wdg_fmt_addr(r, x->obj, a, sizeof a);
        wdg_buf_printf(b, "a signal on %s was left unconsumed: %s did not wake it",
                       x->has_obj ? a : "its object", r->opts.cand_name);
        break;
    case WDG_ROOT_MISSING_THREAD:
        wdg_buf_printf(b, "never spawned in %s: nobody fires %s", r->opts.cand_name, key);
        break;
    case WDG_ROOT_SKIPPED_PRODUCER:
        wdg_buf_printf(b, "went round its loop without %s", key);
        break;
    case WDG_ROOT_LIVE_MISSING_PRODUCER:
        wdg_buf_printf(b, "runs on without %s", key);
        break;
    case WDG_ROOT_SILENT_THREAD:
        wdg_buf_printf(b, "fell silent before %s", key);
        break;
    case WDG_ROOT_CYCLE:
        wdg_buf_puts(b, "deadlock: the threads in this colour wait for each other");
        break;
    case WDG_ROOT_EXTERNAL:
        if (x->has_obj)
            wdg_fmt_addr(r, x->obj, a, sizeof a);
        wdg_buf_printf(b, "waits on input from outside the program on %s; in %s it came",
                       x->has_obj ? a : "its object", r->opts.ref_name);
        break;
    default:
        wdg_buf_puts(b, "unknown");
        break;
    }
}

/* The graph's nodes: candidate threads by tid, reference-only threads by
 * tid; for each, the first root that names it or holds it in its cycle. */
typedef struct gnode {
    int ref;                   /* 1: a reference thread with no analog */
    uint32_t tid;
    size_t root;               /* colouring root, or WDG_NO_INDEX */
    size_t cycle;              /* the cycle root it is in, or WDG_NO_INDEX */
    const wdg_unexplained *lost;   /* cand: why no root explains it */
    const wdg_suspect *suspect;    /* ref: produces on objects wedged threads wait on */
} gnode;

typedef struct graph {
    gnode *nodes;
    size_t n, cap;
    int oom;
} graph;

/* duplicates go when collect() sorts the nodes */
static void add_node(graph *g, int ref, uint32_t tid)
{
    if (wdg_grow((void **)&g->nodes, &g->cap, g->n + 1, sizeof *g->nodes, 16) < 0) {
        g->oom = 1;
        return;
    }
    g->nodes[g->n++] = (gnode){ref, tid, WDG_NO_INDEX, WDG_NO_INDEX, NULL, NULL};
}

static int node_order(const void *a, const void *b)
{
    const gnode *x = a, *y = b;
    if (x->ref != y->ref)
        return x->ref - y->ref;
    return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static gnode *find_node(const graph *g, int ref, uint32_t tid)
{
    gnode key = {ref, tid, 0, 0, NULL, NULL};
    if (!g->n)
        return NULL;   /* no array at all: bsearch must not see NULL */
    return bsearch(&key, g->nodes, g->n, sizeof *g->nodes, node_order);
}

/* the candidate thread that left the unconsumed signal of a
 * signaled_but_blocked root (its evidence), if any */
static int signaller(const wdg_report *r, const wdg_root *x, uint32_t *tid)
{
    if (x->kind != WDG_ROOT_SIGNALED_BUT_BLOCKED)
        return 0;
    for (size_t i = 0; i < x->n_evidence; i++) {
        const wdg_evidence_event *e = &x->evidence[i];
        if (e->cand && strcmp(e->what, "unconsumed signal") == 0 && e->event < r->cand->n_events) {
            *tid = r->cand->events[e->event].tid;
            return !x->has_tid || *tid != x->tid;
        }
    }
    return 0;
}

/* every thread the graph shows, and the root that colours each */
static void collect(graph *g, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    for (size_t i = 0; i < d->n_cand_threads; i++)
        if (d->cand_threads[i].state == WDG_TS_WEDGED && d->cand_threads[i].divergent)
            add_node(g, 0, d->cand_threads[i].tid);
    for (size_t i = 0; i < d->n_edges; i++) {
        add_node(g, 0, d->edges[i].from);
        add_node(g, 0, d->edges[i].to);
    }
    for (size_t i = 0; i < d->n_links; i++)
        add_node(g, 0, d->links[i].tid);
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        uint32_t s;
        if (x->has_tid)
            add_node(g, 0, x->tid);
        else if (x->has_ref_tid)
            add_node(g, 1, x->ref_tid);
        if (signaller(r, x, &s))
            add_node(g, 0, s);
    }
    for (size_t i = 0; i < d->n_suspects; i++)
        add_node(g, 1, d->suspects[i].ref_tid);
    if (g->oom)
        return;
    if (g->n)   /* a graph of no nodes has no array */
        qsort(g->nodes, g->n, sizeof *g->nodes, node_order);
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        if (!k || node_order(&g->nodes[k - 1], &g->nodes[i]) != 0)
            g->nodes[k++] = g->nodes[i];
    g->n = k;
    /* roots are sorted by importance: the first to claim a node colours it */
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        gnode *n = x->has_tid ? find_node(g, 0, x->tid)
                   : x->has_ref_tid ? find_node(g, 1, x->ref_tid) : NULL;
        if (n && n->root == WDG_NO_INDEX)
            n->root = i;
    }
    for (size_t i = 0; i < d->n_links; i++) {
        gnode *n = find_node(g, 0, d->links[i].tid);
        if (!n || d->roots[d->links[i].root].kind != WDG_ROOT_CYCLE)
            continue;
        if (n->cycle == WDG_NO_INDEX)
            n->cycle = d->links[i].root;
        if (n->root == WDG_NO_INDEX)
            n->root = d->links[i].root;
    }
    for (size_t i = 0; i < d->n_unexplained; i++) {
        gnode *n = find_node(g, 0, d->unexplained[i].tid);
        if (n && !n->lost)
            n->lost = &d->unexplained[i];
    }
    for (size_t i = 0; i < d->n_suspects; i++) {
        gnode *n = find_node(g, 1, d->suspects[i].ref_tid);
        if (n && !n->suspect)
            n->suspect = &d->suspects[i];
    }
}

/* the line that says how a candidate thread ends */
static void state_line(wdg_buf *b, const wdg_report *r, const wdg_thread *th)
{
    const wdg_trace *t = r->cand;
    if (!th->count) {
        wdg_buf_puts(b, "created, never ran");
        return;
    }
    const wdg_event *e = &t->events[th->last];
    char site[256], at[32];
    if (e->flags & WDG_EV_LR)
        wdg_fmt_function(r, wdg_ev_lr(e), site, sizeof site);
    else
        wdg_utf8_snprintf(site, sizeof site, "%s", wdg_ops_name(t->ops, e->op));
    wdg_fmt_when(t, t->all_t ? e->t : (int64_t)wdg_ev_line(t, e), "line", at, sizeof at);
    if (th->state == WDG_TS_WEDGED)
        wdg_buf_printf(b, "wedged: waits at %s%s", site, th->divergent ? "" : " (so does its analog)");
    else if (th->state == WDG_TS_SILENT)
        wdg_buf_printf(b, "silent since %s (last at %s)", at, site);
    else if (th->state == WDG_TS_RUNNING)
        wdg_buf_printf(b, "running to the end (last at %s)", site);
    else
        wdg_buf_printf(b, "%s", wdg_thread_state_name(th->state));
}

/* the roots a node's label lists: those naming it, and the cycle it is in */
static void root_lines(wdg_buf *b, const wdg_report *r, int ref, uint32_t tid, size_t colour)
{
    const wdg_diagnosis *d = &r->diag;
    int named = 0;
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        if (ref ? x->has_tid || !x->has_ref_tid || x->ref_tid != tid : !x->has_tid || x->tid != tid)
            continue;
        wdg_buf_printf(b, "\nROOT %zu: %s (%s)\n", i + 1, wdg_root_kind_name(x->kind),
                       wdg_root_confidence_name(x->inferred));
        root_deed(b, r, x);
        named = 1;
    }
    if (!named && colour != WDG_NO_INDEX)
        wdg_buf_printf(b, "\nin the deadlock cycle of ROOT %zu", colour + 1);
}

/* a node's style and colours: its shape from its state, its fill from its root */
static void node_attrs(wdg_buf *b, const wdg_report *r, const gnode *n, const wdg_thread *th,
                       int lost)
{
    const char *shape = "box", *style = "";
    if (n->ref)
        style = "dotted";
    else if (th && th->state == WDG_TS_WEDGED)
        shape = "ellipse";
    else if (th && th->state == WDG_TS_SILENT)
        style = "rounded,dotted";
    else
        style = "rounded";
    wdg_buf_printf(b, "shape=%s", shape);
    if (n->root != WDG_NO_INDEX) {
        const wdg_root *x = &r->diag.roots[n->root];
        wdg_buf_printf(b, ", style=\"filled%s%s%s\", fillcolor=\"%s\", penwidth=%s", *style ? "," : "",
                       style, x->inferred ? ",dashed" : "", fill_of(x), x->inferred ? "1" : "2");
    } else if (n->ref) {
        wdg_buf_printf(b, ", style=\"filled,%s\", fillcolor=\"#eeeeee\"", style);
    } else if (lost) {
        wdg_buf_printf(b, ", style=\"dashed%s%s\", color=\"#888888\"", *style ? "," : "", style);
    } else if (*style) {
        wdg_buf_printf(b, ", style=\"%s\"", style);
    }
}

static void cand_node(wdg_buf *b, const wdg_report *r, const gnode *n)
{
    const wdg_diagnosis *d = &r->diag;
    const wdg_thread *th = wdg_diag_cand_thread(d, n->tid);
    const wdg_unexplained *u = n->lost;
    char name[128];
    thread_name(th ? th->family : "-", n->tid, name, sizeof name);
    wdg_buf lab = WDG_BUF_INIT;
    wdg_buf_printf(&lab, "%s: %s\n", r->opts.cand_name, name);
    if (th && th->has_analog) {
        const wdg_thread *rt = wdg_diag_ref_thread(d, th->analog);
        char rn[128];
        thread_name(rt ? rt->family : "-", th->analog, rn, sizeof rn);
        wdg_buf_printf(&lab, "analog: %s %s (paired by %s)\n", r->opts.ref_name, rn, wdg_map_how_name(th->how));
    } else {
        wdg_buf_printf(&lab, "no analog in %s\n", r->opts.ref_name);
    }
    if (th)
        state_line(&lab, r, th);
    root_lines(&lab, r, 0, n->tid, n->root);
    if (u) {
        char a[WDG_ADDR_TEXT];
        if (u->has_obj)
            wdg_buf_printf(&lab, "\nunexplained, on %s:\n%s", wdg_fmt_addr(r, u->obj, a, sizeof a), u->why);
        else
            wdg_buf_printf(&lab, "\nunexplained:\n%s", u->why);
    }
    wdg_buf_printf(b, "  c%u [", n->tid);
    node_attrs(b, r, n, th, u != NULL);
    wdg_buf_puts(b, ", label=\"");
    wdg_dot_text(b, lab.ptr ? lab.ptr : "", 1);
    wdg_buf_puts(b, "\"];\n");
    b->oom |= lab.oom;
    wdg_buf_free(&lab);
}

static void ref_node(wdg_buf *b, const wdg_report *r, const gnode *n)
{
    const wdg_diagnosis *d = &r->diag;
    const wdg_thread *th = wdg_diag_ref_thread(d, n->tid);
    const wdg_suspect *s = n->suspect;
    char name[128];
    thread_name(th ? th->family : "-", n->tid, name, sizeof name);
    wdg_buf lab = WDG_BUF_INIT;
    wdg_buf_printf(&lab, "%s only: %s\nno analog in %s", r->opts.ref_name, name, r->opts.cand_name);
    root_lines(&lab, r, 1, n->tid, n->root);
    if (s && s->n_objs) {
        char a[WDG_ADDR_TEXT];
        wdg_buf_printf(&lab, "\nsuspect: produces on %s", wdg_fmt_addr(r, s->objs[0], a, sizeof a));
        if (s->n_objs > 1)
            wdg_buf_printf(&lab, " and %zu more", s->n_objs - 1);
    }
    wdg_buf_printf(b, "  r%u [", n->tid);
    node_attrs(b, r, n, th, 0);
    wdg_buf_puts(b, ", label=\"");
    wdg_dot_text(b, lab.ptr ? lab.ptr : "", 1);
    wdg_buf_puts(b, "\"];\n");
    b->oom |= lab.oom;
    wdg_buf_free(&lab);
}

/* "waits on 0x7015FC80\nfor set at ..." */
static void wait_label(wdg_buf *b, const wdg_report *r, int has_obj, wdg_addr obj, const char *key)
{
    char a[WDG_ADDR_TEXT];
    wdg_buf lab = WDG_BUF_INIT;
    if (has_obj)
        wdg_buf_printf(&lab, "waits on %s\n", wdg_fmt_addr(r, obj, a, sizeof a));
    wdg_buf_printf(&lab, "for %s", key);
    wdg_dot_text(b, lab.ptr ? lab.ptr : "", 1);
    b->oom |= lab.oom;
    wdg_buf_free(&lab);
}

/* rungs in (from, to, object, unproven) groups, then as found: one arrow
 * per group, listing the keys any of which would wake the waiter */
typedef struct rung {
    const wdg_edge *e;
    size_t i;                  /* its index: the order it was found in */
} rung;

static int rung_order(const void *a, const void *b)
{
    const rung *p = a, *q = b;
    const wdg_edge *x = p->e, *y = q->e;
    size_t i = p->i, j = q->i;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->obj != y->obj)
        return x->obj < y->obj ? -1 : 1;
    if (x->unproven != y->unproven)
        return x->unproven - y->unproven;
    return i < j ? -1 : i > j;
}

static int same_arrow(const wdg_edge *x, const wdg_edge *y)
{
    return x->from == y->from && x->to == y->to && x->obj == y->obj && x->unproven == y->unproven;
}

static void rung_edges(wdg_buf *b, const wdg_report *r, const graph *g)
{
    const wdg_diagnosis *d = &r->diag;
    rung *order = malloc((d->n_edges + 1) * sizeof *order);
    if (!order) {
        b->oom = 1;
        return;
    }
    for (size_t i = 0; i < d->n_edges; i++)
        order[i] = (rung){&d->edges[i], i};
    qsort(order, d->n_edges, sizeof *order, rung_order);
    for (size_t i = 0; i < d->n_edges;) {
        const wdg_edge *e = order[i].e;
        char key[256], a[WDG_ADDR_TEXT];
        wdg_buf lab = WDG_BUF_INIT;
        wdg_buf_printf(&lab, "waits on %s", wdg_fmt_addr(r, e->obj, a, sizeof a));
        size_t j = i;
        for (; j < d->n_edges && same_arrow(order[j].e, e); j++) {
            const wdg_edge *k = order[j].e;
            key_text(r, k->cat, k->key_has_lr, k->lr, k->op, key, sizeof key);
            wdg_buf_printf(&lab, "\n%s %s", j == i ? "for" : "or", key);
        }
        if (e->unproven)
            wdg_buf_puts(&lab, "\n(unchecked)");
        wdg_buf_printf(b, "  c%u -> c%u [label=\"", e->from, e->to);
        wdg_dot_text(b, lab.ptr ? lab.ptr : "", 1);
        wdg_buf_putc(b, '"');
        b->oom |= lab.oom;
        wdg_buf_free(&lab);
        const gnode *f = find_node(g, 0, e->from), *t = find_node(g, 0, e->to);
        if (f && t && f->cycle != WDG_NO_INDEX && f->cycle == t->cycle)
            wdg_buf_printf(b, ", color=\"%s\", penwidth=3", fill_of(&d->roots[f->cycle]));
        wdg_buf_puts(b, e->unproven ? ", style=dashed];\n" : "];\n");
        i = j;
    }
    free(order);
}

/* a waiter to the thread its root names (a cycle's rungs already show it) */
static void link_edges(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    for (size_t i = 0; i < d->n_links; i++) {
        const wdg_root_link *l = &d->links[i];
        const wdg_root *x = &d->roots[l->root];
        char key[256], a[WDG_ADDR_TEXT];
        uint32_t s;
        if (x->kind == WDG_ROOT_CYCLE)
            continue;
        if (x->kind == WDG_ROOT_SIGNALED_BUT_BLOCKED) {
            if (!signaller(r, x, &s))
                continue;
            root_key_text(r, x, key, sizeof key);
            wdg_buf lab = WDG_BUF_INIT;
            wdg_buf_printf(&lab, "waits on %s\nsignalled by %s\nleft unconsumed",
                           x->has_obj ? wdg_fmt_addr(r, x->obj, a, sizeof a) : "its object", key);
            wdg_buf_printf(b, "  c%u -> c%u [label=\"", l->tid, s);
            wdg_dot_text(b, lab.ptr ? lab.ptr : "", 1);
            wdg_buf_printf(b, "\", color=\"%s\", penwidth=2];\n", ROOT_EDGE_COLOR);
            b->oom |= lab.oom;
            wdg_buf_free(&lab);
            continue;
        }
        if (l->has_key)
            key_text(r, l->cat, l->key_has_lr, l->lr, l->op, key, sizeof key);
        else
            root_key_text(r, x, key, sizeof key);
        if (x->has_tid)
            wdg_buf_printf(b, "  c%u -> c%u [label=\"", l->tid, x->tid);
        else if (x->has_ref_tid)
            wdg_buf_printf(b, "  c%u -> r%u [label=\"", l->tid, x->ref_tid);
        else
            continue;
        wait_label(b, r, l->has_obj, l->obj, key);
        wdg_buf_printf(b, "\", color=\"%s\", penwidth=2];\n", ROOT_EDGE_COLOR);
    }
}

/* the legend, one table: what each colour, shape and arrow means */
static void legend(wdg_buf *b, const wdg_report *r)
{
    wdg_buf_puts(b, "  subgraph cluster_legend {\n    label=\"legend\";\n    color=\"#bbbbbb\";\n"
                    "    legend [shape=plaintext, label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                    "CELLSPACING=\"0\" CELLPADDING=\"4\">\n"
                    "<TR><TD><B>proven</B></TD><TD><B>inferred</B></TD>"
                    "<TD ALIGN=\"LEFT\"><B>root cause (the thread it names)</B></TD></TR>\n");
    for (int k = 0; k < WDG_ROOT_KIND_COUNT; k++) {
        if (k == WDG_ROOT_UNKNOWN)
            continue;   /* never a root now */
        wdg_buf_printf(b, "<TR><TD BGCOLOR=\"%s\"> </TD><TD BGCOLOR=\"%s\"> </TD>"
                          "<TD ALIGN=\"LEFT\">%s</TD></TR>\n",
                       looks[k].proven, looks[k].inferred, wdg_root_kind_name(k));
    }
    wdg_buf_puts(b, "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">ellipse: a wedged ");
    html_text(b, r->opts.cand_name);
    wdg_buf_puts(b, " thread; rounded box: running; dotted: silent</TD></TR>\n"
                    "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">grey dotted box: a ");
    html_text(b, r->opts.ref_name);
    wdg_buf_puts(b, " thread with no analog</TD></TR>\n"
                    "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">A -&gt; B: A waits on the object for "
                    "the key B should fire</TD></TR>\n"
                    "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">red arrow: to the root; dashed: a "
                    "rung no iteration could check</TD></TR>\n"
                    "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">dashed border: an inferred root; "
                    "dashed cluster: unexplained wedges</TD></TR>\n"
                    "</TABLE>>];\n  }\n");
}

static void title(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf t = WDG_BUF_INIT;
    if (d->outcome == WDG_OUTCOME_INCONCLUSIVE)
        wdg_buf_printf(&t, "INCONCLUSIVE: these traces cannot support a verdict; the graph is "
                           "provisional (%s)\n",
                       wdg_outcome_name(d->provisional_outcome));
    wdg_buf_printf(&t, "Why %s hangs: %zu root cause%s, %zu unexplained wedged thread%s. "
                       "An arrow goes from a waiting thread to the thread that should wake it.",
                   r->opts.cand_name, d->n_roots, d->n_roots == 1 ? "" : "s", d->n_unexplained,
                   d->n_unexplained == 1 ? "" : "s");
    wdg_buf_puts(b, "  labelloc=t;\n  label=\"");
    wdg_dot_text(b, t.ptr ? t.ptr : "", 1);
    wdg_buf_puts(b, "\";\n");
    b->oom |= t.oom;
    wdg_buf_free(&t);
}

/* in the unexplained cluster: a wedge no root explains, and a suspect
 * (a reference-only producer) no root names */
static int lost(const wdg_diagnosis *d, const gnode *n)
{
    if (!n->ref)
        return n->lost != NULL;
    return d->n_unexplained && n->root == WDG_NO_INDEX && n->suspect;
}

static void put_node(wdg_buf *b, const wdg_report *r, const gnode *n)
{
    if (n->ref)
        ref_node(b, r, n);
    else
        cand_node(b, r, n);
}

void wdg_report_dot(const wdg_report *r, wdg_buf *b)
{
    const wdg_diagnosis *d = &r->diag;
    size_t start = b->len;
    graph g = {NULL, 0, 0, 0};
    collect(&g, r);
    if (g.oom) {
        free(g.nodes);
        b->oom = 1;
        return;
    }
    wdg_buf_puts(b, "digraph waitfor {\n  rankdir=LR;\n  fontname=\"sans-serif\";\n"
                    "  node [fontname=\"monospace\", fontsize=10];\n"
                    "  edge [fontname=\"monospace\", fontsize=9];\n");
    title(b, r);
    for (size_t i = 0; i < g.n; i++)
        if (!lost(d, &g.nodes[i]))
            put_node(b, r, &g.nodes[i]);
    if (d->n_unexplained) {
        wdg_buf_puts(b, "  subgraph cluster_unexplained {\n    label=\"unexplained: wedged, "
                        "no root cause found\";\n    style=dashed;\n    color=\"#888888\";\n");
        for (size_t i = 0; i < g.n; i++)
            if (lost(d, &g.nodes[i])) {
                wdg_buf_puts(b, "  ");
                put_node(b, r, &g.nodes[i]);
            }
        wdg_buf_puts(b, "  }\n");
    }
    rung_edges(b, r, &g);
    link_edges(b, r);
    legend(b, r);
    wdg_buf_puts(b, "}\n");
    free(g.nodes);
    wdg_buf_repair_utf8(b, start);   /* graphviz reads UTF-8 */
}
