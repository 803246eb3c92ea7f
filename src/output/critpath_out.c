/* The critical path (wdg_report.critpath) in words: report.md's section,
 * report.json's member and families.dot.  Everything here is formatting. */
#include <stdio.h>
#include <string.h>

#include "cp_out.h"
#include "render.h"

/* Markdown stays readable for 30 families and 200 edges: at most this
 * many families, edges per family and explained edges per frontier edge
 * are listed; the rest is counted (report.json lists everything). */
enum { MD_MAX_FAMILIES = 40, MD_MAX_FAMILY_EDGES = 8, MD_MAX_HEALTHY = 6, MD_MAX_EXPLAINED = 8,
       MD_MAX_FRONTIER = 16 };

/* "`KeSetEvent` at `audio_a_thread+0xB4`", or the op alone */
static void site(const wdg_report *r, const wdg_cp_edge *e, char *out, size_t cap)
{
    const wdg_key *k = &r->keys.keys[e->key];
    const char *op = wdg_ops_name(r->ref->ops, k->op);
    char fn[160];
    if (k->has_lr) {
        wdg_fmt_function(r, k->lr, fn, sizeof fn);
        wdg_utf8_snprintf(out, cap, "`%s` at `%s`", op, fn);
    } else {
        wdg_utf8_snprintf(out, cap, "`%s`", op);
    }
}

static const char *fam(const wdg_report *r, size_t f)
{
    return r->critpath.families[f].name;
}

/* "short at its 3rd signal (ref 1.2 ms, thread 20; cand never fires it)" */
static void divergence_text(const wdg_report *r, const wdg_cp_edge *e, char *out, size_t cap)
{
    char ord[32], rt[64], ct[64];
    wdg_fmt_ordinal(e->ordinal, ord, sizeof ord);
    wdg_fmt_when(r->ref, e->ref_t, "line", rt, sizeof rt);
    if (e->has_cand) {
        wdg_fmt_when(r->cand, e->cand_t, "line", ct, sizeof ct);
        snprintf(out, cap, "**late** from its %s signal (ref %s, thread %u; cand only at %s, "
                           "thread %u, past its common span)",
                 ord, rt, (unsigned)e->ref_tid, ct, (unsigned)e->cand_tid);
    } else {
        snprintf(out, cap, "**short** from its %s signal (ref %s, thread %u; cand never fires it)",
                 ord, rt, (unsigned)e->ref_tid);
    }
}

static void edge_line(wdg_buf *b, const wdg_report *r, const wdg_cp_edge *e)
{
    char s[320], dv[320];
    site(r, e, s, sizeof s);
    wdg_utf8_snprintf(dv, sizeof dv, "%s", wdg_cp_status_name(e->status));
    if (e->status == WDG_CP_SHORT || e->status == WDG_CP_LATE)
        divergence_text(r, e, dv, sizeof dv);
    char obj[WDG_ADDR_TEXT];
    wdg_buf_printf(b, "%s on %s", s, wdg_fmt_addr(r, e->obj, obj, sizeof obj));
    if (e->n_objs > 1)
        wdg_buf_printf(b, " and %zu more object%s", e->n_objs - 1, e->n_objs == 2 ? "" : "s");
    wdg_buf_printf(b, ", %llu ref / %llu cand signals, %llu waits%s: %s%s",
                   (unsigned long long)e->ref_signals, (unsigned long long)e->cand_signals,
                   (unsigned long long)e->ref_waits, e->inferred ? " (cand's, inferred)" : "", dv,
                   e->frontier ? "; **frontier**" : "");
}

static void frontier(wdg_buf *b, const wdg_report *r)
{
    const wdg_critpath *cp = &r->critpath;
    wdg_buf_puts(b, "### Frontier\n\nThe diverging edges whose producer family no earlier "
                    "diverging edge starves: where the cascade starts.\n\n");
    for (size_t i = 0; i < cp->n_frontier && i < MD_MAX_FRONTIER; i++) {
        const wdg_cp_edge *e = &cp->edges[cp->frontier[i]];
        wdg_buf_printf(b, "%zu. `%s -> %s`: ", i + 1, fam(r, e->producer), fam(r, e->consumer));
        edge_line(b, r, e);
        size_t n = cp->explains_at[i + 1] - cp->explains_at[i];
        if (!n) {
            wdg_buf_puts(b, ".\n   It explains no other diverging edge.\n");
            continue;
        }
        wdg_buf_printf(b, ".\n   It explains %zu downstream edge%s", n, n == 1 ? "" : "s");
        for (size_t k = 0; k < n && k < MD_MAX_EXPLAINED; k++) {
            const wdg_cp_edge *x = &cp->edges[cp->explains[cp->explains_at[i] + k]];
            wdg_buf_printf(b, "%s `%s -> %s`", k ? "," : ":", fam(r, x->producer),
                           fam(r, x->consumer));
        }
        if (n > MD_MAX_EXPLAINED)
            wdg_buf_printf(b, " and %zu more", n - MD_MAX_EXPLAINED);
        wdg_buf_puts(b, ".\n");
    }
    if (cp->n_frontier > MD_MAX_FRONTIER)
        wdg_buf_printf(b, "%zu more frontier edges are in report.json.\n",
                       cp->n_frontier - MD_MAX_FRONTIER);
    wdg_buf_putc(b, '\n');
}

/* one family and the edges it feeds: each diverging edge on its own line
 * (up to the cap), the healthy ones on one line by consumer */
static void family_tree(wdg_buf *b, const wdg_report *r, size_t f)
{
    const wdg_critpath *cp = &r->critpath;
    const wdg_cp_family *x = &cp->families[f];
    wdg_buf_printf(b, "- **%s** (%zu ref / %zu cand thread%s)%s%s\n", x->name, x->ref_threads,
                   x->cand_threads, x->cand_threads == 1 ? "" : "s",
                   x->cycle ? ", in a cycle" : "", x->starved ? ", starved" : "");
    size_t shown = 0, folded = 0, healthy = 0;
    for (size_t e = 0; e < cp->n_edges; e++) {   /* diverging edges come first */
        const wdg_cp_edge *y = &cp->edges[e];
        if (y->producer != f)
            continue;
        if (y->status != WDG_CP_SHORT && y->status != WDG_CP_LATE) {
            healthy++;
        } else if (shown < MD_MAX_FAMILY_EDGES) {
            wdg_buf_printf(b, "  - -> %s: ", fam(r, y->consumer));
            edge_line(b, r, y);
            wdg_buf_puts(b, "\n");
            shown++;
        } else {
            folded++;
        }
    }
    if (folded)
        wdg_buf_printf(b, "  - ... and %zu more diverging edge%s (report.json lists them)\n", folded,
                       folded == 1 ? "" : "s");
    if (!healthy)
        return;
    wdg_buf_printf(b, "  - %zu edge%s keep%s up:", healthy, healthy == 1 ? "" : "s",
                   healthy == 1 ? "s" : "");
    size_t listed = 0;
    for (size_t e = 0; e < cp->n_edges && listed < MD_MAX_HEALTHY; e++) {
        const wdg_cp_edge *y = &cp->edges[e];
        if (y->producer != f || y->status == WDG_CP_SHORT || y->status == WDG_CP_LATE)
            continue;
        wdg_buf_printf(b, "%s -> %s (%llu / %llu%s)", listed ? "," : "", fam(r, y->consumer),
                       (unsigned long long)y->ref_signals, (unsigned long long)y->cand_signals,
                       y->status == WDG_CP_UNOBSERVABLE ? ", unobservable" : "");
        listed++;
    }
    if (healthy > listed)
        wdg_buf_printf(b, " and %zu more", healthy - listed);
    wdg_buf_puts(b, "\n");
}

void md_critpath(wdg_buf *b, const wdg_report *r)
{
    const wdg_critpath *cp = &r->critpath;
    wdg_buf_puts(b, "## Critical path\n\n");
    wdg_buf_printf(b, "%zu thread famil%s, %zu dependency edge%s in the reference (%zu "
                      "diverge%s in the candidate, %zu on the frontier).",
                   cp->n_families, cp->n_families == 1 ? "y" : "ies", cp->n_edges,
                   cp->n_edges == 1 ? "" : "s", cp->n_diverging, cp->n_diverging == 1 ? "s" : "",
                   cp->n_frontier);
    if (cp->inferred)
        wdg_buf_puts(b, " The reference logs no waits: each edge's consumer is the family "
                        "that waits on the object in the candidate (inferred).");
    wdg_buf_puts(b, "\n\n");
    if (cp->n_frontier)
        frontier(b, r);
    if (!cp->n_edges)
        return;
    wdg_buf_puts(b, "### Dependency graph\n\nFamilies upstream first, each with the edges it "
                    "feeds: the diverging ones, then those that keep up (ref / cand signals).\n\n");
    size_t listed = 0, quiet = 0;
    for (size_t f = 0; f < cp->n_families; f++) {
        int feeds = 0;
        for (size_t e = 0; e < cp->n_edges && !feeds; e++)
            feeds = cp->edges[e].producer == f;
        if (!feeds) {
            quiet++;
            continue;
        }
        if (listed++ < MD_MAX_FAMILIES)
            family_tree(b, r, f);
    }
    if (listed > MD_MAX_FAMILIES)
        wdg_buf_printf(b, "- ... and %zu more producer families (report.json lists them)\n",
                       listed - MD_MAX_FAMILIES);
    if (quiet)
        wdg_buf_printf(b, "\n%zu famil%s feed%s no other family.\n", quiet,
                       quiet == 1 ? "y" : "ies", quiet == 1 ? "s" : "");
    wdg_buf_putc(b, '\n');
}

/* --- report.json ------------------------------------------------------------ */

static void json_time(wdg_jw *w, const char *key, int64_t v)
{
    wdg_jw_kint(w, key, v);
}

static void json_edge(wdg_jw *w, const wdg_report *r, const wdg_cp_edge *e)
{
    const wdg_key *k = &r->keys.keys[e->key];
    char fn[160];
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "producer", fam(r, e->producer));
    wdg_jw_kstring(w, "consumer", fam(r, e->consumer));
    wdg_jw_kstring(w, "category", wdg_category_name(k->cat));
    wdg_jw_key(w, "lr");
    wdg_json_addr(w, r, k->has_lr, k->lr);
    wdg_jw_kstring(w, "op", wdg_ops_name(r->ref->ops, k->op));
    wdg_jw_key(w, "function");
    wdg_jw_string(w, k->has_lr && wdg_symbols_format(r->symbols, k->lr, fn, sizeof fn) ? fn : NULL);
    wdg_jw_key(w, "obj");
    wdg_json_addr(w, r, 1, e->obj);
    wdg_jw_kuint(w, "objects", e->n_objs);
    wdg_jw_kuint(w, "ref_signals", e->ref_signals);
    wdg_jw_kuint(w, "ref_waits", e->ref_waits);
    wdg_jw_kuint(w, "cand_signals", e->cand_signals);
    wdg_jw_kbool(w, "inferred", e->inferred);
    wdg_jw_kstring(w, "status", wdg_cp_status_name(e->status));
    wdg_jw_key(w, "first_divergence");
    if (e->status == WDG_CP_SHORT || e->status == WDG_CP_LATE) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "ordinal", e->ordinal);
        json_time(w, "ref_t", e->ref_t);
        wdg_jw_kuint(w, "ref_tid", e->ref_tid);
        wdg_jw_kuint(w, "ref_line", wdg_ev_line(r->ref, &r->ref->events[e->ref_event]));
        wdg_jw_key(w, "cand_t");
        wdg_jw_opt_int(w, e->has_cand, e->cand_t);
        wdg_jw_key(w, "cand_tid");
        wdg_jw_opt_uint(w, e->has_cand, e->cand_tid);
        wdg_jw_end(w);
    } else {
        wdg_jw_null(w);
    }
    wdg_jw_kbool(w, "frontier", e->frontier);
    wdg_jw_key(w, "explained_by");
    wdg_jw_opt_uint(w, e->explained_by != WDG_NO_INDEX, e->explained_by);
    wdg_jw_end(w);
}

void json_critpath(wdg_jw *w, const wdg_report *r)
{
    const wdg_critpath *cp = &r->critpath;
    wdg_jw_key(w, "critical_path");
    wdg_jw_object(w, WDG_JW_LINES);
    wdg_jw_kbool(w, "inferred", cp->inferred);
    wdg_jw_kstring(w, "ref_unit", cp->ref_timed ? "ns" : "line");
    wdg_jw_kstring(w, "cand_unit", cp->cand_timed ? "ns" : "line");
    wdg_jw_key(w, "families");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t f = 0; f < cp->n_families; f++) {
        const wdg_cp_family *x = &cp->families[f];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "name", x->name);
        wdg_jw_kuint(w, "ref_threads", x->ref_threads);
        wdg_jw_kuint(w, "cand_threads", x->cand_threads);
        wdg_jw_kuint(w, "component", x->comp);
        wdg_jw_kbool(w, "cycle", x->cycle);
        wdg_jw_kbool(w, "starved", x->starved);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_key(w, "edges");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t e = 0; e < cp->n_edges; e++)
        json_edge(w, r, &cp->edges[e]);
    wdg_jw_end(w);
    wdg_jw_key(w, "frontier");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < cp->n_frontier; i++) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "edge", cp->frontier[i]);
        wdg_jw_key(w, "explains");
        wdg_jw_array(w, WDG_JW_INLINE);
        for (size_t k = cp->explains_at[i]; k < cp->explains_at[i + 1]; k++)
            wdg_jw_uint(w, cp->explains[k]);
        wdg_jw_end(w);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_end(w);
}

/* --- families.dot ------------------------------------------------------------ */

void wdg_report_families_dot(const wdg_report *r, wdg_buf *b)
{
    const wdg_critpath *cp = &r->critpath;
    size_t start = b->len;
    wdg_buf_puts(b, "digraph families {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (size_t f = 0; f < cp->n_families; f++) {
        const wdg_cp_family *x = &cp->families[f];
        wdg_buf_printf(b, "  f%zu [label=\"", f);
        wdg_dot_text(b, x->name, 0);
        wdg_buf_printf(b, "\\n%zu ref / %zu cand\"%s];\n", x->ref_threads, x->cand_threads,
                       x->starved ? ", style=filled, fillcolor=\"#fce5cd\"" : "");
    }
    for (size_t i = 0; i < cp->n_edges; i++) {
        const wdg_cp_edge *e = &cp->edges[i];
        const wdg_key *k = &r->keys.keys[e->key];
        char fn[160];
        if (k->has_lr)
            wdg_fmt_function(r, k->lr, fn, sizeof fn);
        else
            wdg_utf8_snprintf(fn, sizeof fn, "%s", wdg_ops_name(r->ref->ops, k->op));
        wdg_buf_printf(b, "  f%zu -> f%zu [label=\"", e->producer, e->consumer);
        wdg_dot_text(b, fn, 0);
        wdg_buf_printf(b, "\\n%llu / %llu %s", (unsigned long long)e->ref_signals,
                       (unsigned long long)e->cand_signals, wdg_cp_status_name(e->status));
        if (e->status == WDG_CP_SHORT || e->status == WDG_CP_LATE)
            wdg_buf_printf(b, " #%llu", (unsigned long long)e->ordinal);
        wdg_buf_printf(b, "\"%s%s%s];\n",
                       e->status == WDG_CP_SHORT || e->status == WDG_CP_LATE ? ", color=\"#cc0000\"" : "",
                       e->frontier ? ", style=bold, penwidth=3" : "", e->inferred ? ", style=dashed" : "");
    }
    wdg_buf_puts(b, "}\n");
    wdg_buf_repair_utf8(b, start);
}
