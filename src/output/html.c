/* report.html: the report as one self-contained page (docs/wedge.md
 * "report.html").  It formats the report, the diagnosis, the key table,
 * the producer alignment and the boot delta; it works out nothing.  The
 * sentences of the verdict and of each root are report.md's (md_diag.c),
 * turned from Markdown into HTML, so the two files never disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "md_diag.h"
#include "render.h"

void html_esc(wdg_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *ent = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                        : c == '"' ? "&quot;" : c == '\'' ? "&#39;" : NULL;
        int drop = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
        if (!ent && !drop)
            continue;
        wdg_buf_put(b, s + run, i - run);
        if (ent)
            wdg_buf_puts(b, ent);
        run = i + 1;
    }
    wdg_buf_put(b, s + run, n - run);
}

void html_escs(wdg_buf *b, const char *s)
{
    html_esc(b, s ? s : "", s ? strlen(s) : 0);
}

/* **bold** and `code` inside one line; the rest escaped */
static void md_inline(wdg_buf *b, const char *s, size_t n)
{
    int bold = 0, code = 0;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *tag = NULL;
        size_t skip = 1;
        if (s[i] == '`') {
            tag = code ? "</code>" : "<code>";
            code = !code;
        } else if (!code && s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
            tag = bold ? "</strong>" : "<strong>";
            bold = !bold;
            skip = 2;
        }
        if (!tag)
            continue;
        html_esc(b, s + run, i - run);
        wdg_buf_puts(b, tag);
        i += skip - 1;
        run = i + 1;
    }
    html_esc(b, s + run, n - run);
    if (code)
        wdg_buf_puts(b, "</code>");
    if (bold)
        wdg_buf_puts(b, "</strong>");
}

/* "12. " at s: its length, else 0 */
static size_t ordered_item(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i && i + 1 < n && s[i] == '.' && s[i + 1] == ' ' ? i + 2 : 0;
}

void html_md(wdg_buf *b, const char *s, size_t n)
{
    /* open: 0 nothing, 'p' a paragraph, 'u' a list, 'o' a numbered list */
    int open = 0, item = 0;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        const char *l = s + i;
        size_t len = e - i, ord = ordered_item(l, len);
        int bullet = len >= 2 && l[0] == '-' && l[1] == ' ';
        int heading = len >= 3 && l[0] == '#';
        int blank = len == 0, cont = len > 3 && l[0] == ' ' && open && item;
        if (blank || heading || bullet || ord || (!cont && item)) {
            if (item)
                wdg_buf_puts(b, "</li>");
            item = 0;
            if (open && (blank || heading || (open == 'u' && !bullet) || (open == 'o' && !ord) ||
                         open == 'p'))
            {
                wdg_buf_puts(b, open == 'p' ? "</p>\n" : open == 'u' ? "</ul>\n" : "</ol>\n");
                open = 0;
            }
        }
        if (heading) {
            size_t h = 0;
            while (h < len && l[h] == '#')
                h++;
            wdg_buf_printf(b, "<h%d>", (int)h + 1 > 5 ? 5 : (int)h + 1);
            md_inline(b, l + h + (h < len), len - h - (h < len));
            wdg_buf_printf(b, "</h%d>\n", (int)h + 1 > 5 ? 5 : (int)h + 1);
        } else if (bullet || ord) {
            if (!open) {
                wdg_buf_puts(b, bullet ? "<ul>" : "<ol>");
                open = bullet ? 'u' : 'o';
            }
            wdg_buf_puts(b, "<li>");
            item = 1;
            size_t skip = bullet ? 2 : ord;
            md_inline(b, l + skip, len - skip);
        } else if (cont) {
            wdg_buf_puts(b, "<br>");
            md_inline(b, l + 3, len - 3);
        } else if (!blank) {
            if (!open) {
                wdg_buf_puts(b, "<p>");
                open = 'p';
            } else {
                wdg_buf_putc(b, ' ');
            }
            md_inline(b, l, len);
        }
        i = e + 1;
    }
    if (item)
        wdg_buf_puts(b, "</li>");
    if (open)
        wdg_buf_puts(b, open == 'p' ? "</p>\n" : open == 'u' ? "</ul>\n" : "</ol>\n");
}

void html_label(const wdg_thread *th, uint32_t tid, char *out, size_t cap)
{
    if (!th || strcmp(th->family, "-") == 0)
        snprintf(out, cap, "thread %u", th ? th->tid : tid);
    else
        wdg_utf8_snprintf(out, cap, "%s %u", th->family, th->tid);
}

int64_t html_rel_ns(const wdg_trace *t, size_t i)
{
    return t->all_t ? t->events[i].t - t->first_t : (int64_t)i * 1000;
}

int64_t html_end_ns(const wdg_report *r, int side)
{
    const wdg_trace *t = side ? r->cand : r->ref;
    if (!t->all_t)
        return (int64_t)t->n_events * 1000;
    const wdg_run_end *re = side ? &r->diag.cand_end : &r->diag.ref_end;
    int64_t end = re->end > t->last_t ? re->end : t->last_t;
    return end - t->first_t;
}

static const char *engine(const wdg_report *r, int side)
{
    const char *n = side ? r->opts.cand_name : r->opts.ref_name;
    return n ? n : side ? "cand" : "ref";
}

/* A status as a coloured badge; the class names the colour (html_css). */
static void badge(wdg_buf *b, const char *cls, const char *text)
{
    wdg_buf_printf(b, "<span class=\"badge %s\">", cls);
    html_escs(b, text);
    wdg_buf_puts(b, "</span>");
}

static void status_badge(wdg_buf *b, wdg_status st)
{
    char cls[32];
    snprintf(cls, sizeof cls, "st-%s", wdg_status_name(st));
    badge(b, cls, wdg_status_name(st));
}

static void num(wdg_buf *b, uint64_t v)
{
    wdg_buf_printf(b, "%llu", (unsigned long long)v);
}

/* ---- the verdict ---- */

static void verdict(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    const char *o = wdg_outcome_name(d->outcome);
    wdg_buf md = WDG_BUF_INIT;
    md_verdict(&md, r);
    b->oom |= md.oom;
    wdg_buf_printf(b, "<section id=\"verdict\" class=\"verdict out-%s\">\n<div class=\"outcome\">"
                      "outcome <span class=\"big\">",
                   o);
    html_escs(b, o);
    wdg_buf_puts(b, "</span></div>\n<div class=\"why\">");
    html_md(b, md.ptr ? md.ptr : "", md.len);
    wdg_buf_free(&md);
    wdg_buf_puts(b, "</div>\n<dl class=\"facts\">");
    /* the headline divergence */
    wdg_buf_puts(b, "<dt>first divergence</dt><dd id=\"headline\">");
    const wdg_divergence *dv = &r->first_divergence;
    if (dv->found) {
        char key[200], ord[32], when[48], sym[256];
        wdg_fmt_key(r, &r->keys.keys[dv->key], key, sizeof key);
        wdg_fmt_ordinal(dv->ordinal, ord, sizeof ord);
        wdg_format_ns(html_rel_ns(r->ref, dv->event), when, sizeof when);
        wdg_token_name(r, r->ref, dv->event, sym, sizeof sym);
        /* "the 1st `set@0x824D292C` (KeSetEvent@..., reference thread 22 at
         * 18.948 ms) has no counterpart in candidate" */
        wdg_buf_puts(b, "the ");
        html_escs(b, ord);
        wdg_buf_puts(b, " <code>");
        html_escs(b, key);
        wdg_buf_puts(b, "</code> (<code>");
        html_escs(b, sym);
        wdg_buf_puts(b, "</code>, ");
        html_escs(b, engine(r, 0));
        wdg_buf_printf(b, " thread %u at %s) has no counterpart in ", r->ref->events[dv->event].tid,
                       when);
        html_escs(b, engine(r, 1));
        wdg_buf_puts(b, " ");
        status_badge(b, wdg_key_verdict(&r->keys, dv->key));
    } else {
        wdg_buf_puts(b, "none");
    }
    wdg_buf_puts(b, "</dd>\n<dt>skew</dt><dd id=\"skew\">");
    const wdg_boot_delta *bd = &r->boot;
    if (bd->skew_start >= 0) {
        const wdg_milestone *m = &bd->milestones[bd->skew_start];
        char what[192], a[48], z[48], x[64] = "";
        wdg_milestone_text(r, m, what, sizeof what);
        wdg_format_ns(m->ref_t, a, sizeof a);
        wdg_format_ns(m->cand_t, z, sizeof z);
        if (m->has_ratio)
            wdg_fmt_num(x, sizeof x, m->ratio, 'f', 1);
        wdg_buf_puts(b, "starts at ");
        html_escs(b, what);
        wdg_buf_printf(b, ": %s in ", z);
        html_escs(b, engine(r, 1));
        wdg_buf_printf(b, " against %s", a);
        if (x[0])
            wdg_buf_printf(b, " (%sx later)", x);
    } else {
        wdg_buf_puts(b, bd->has_t ? "none (no milestone twice as late and 10 ms late)"
                                  : "unknown (a trace carries no t)");
    }
    wdg_buf_printf(b, "</dd>\n<dt>producer keys</dt><dd>%zu, %llu diverging, %llu MISSING</dd>",
                   r->keys.n, (unsigned long long)d->keys_diverging,
                   (unsigned long long)d->missing_keys);
    wdg_buf_printf(b, "<dt>wedged threads</dt><dd>%llu in ", (unsigned long long)d->divergent_wedged);
    html_escs(b, engine(r, 1));
    wdg_buf_printf(b, ", %zu unexplained</dd>\n</dl>\n</section>\n", d->n_unexplained);
}

/* ---- roots ---- */

/* The Markdown item of root i in md_roots()'s text ("3. `kind`: ..."
 * with its indented lines), or n = 0. */
static const char *root_item(const char *s, size_t len, size_t i, size_t *n)
{
    char head[32];
    int hl = snprintf(head, sizeof head, "%zu. `", i + 1);
    *n = 0;
    for (size_t p = 0; p < len; p++) {
        if ((p && s[p - 1] != '\n') || len - p < (size_t)hl || memcmp(s + p, head, (size_t)hl))
            continue;
        size_t e = p;
        for (;;) {
            while (e < len && s[e] != '\n')
                e++;
            if (e + 1 < len && s[e + 1] == ' ') {
                e++;
                continue;
            }
            break;
        }
        *n = e - p;
        return s + p;
    }
    return NULL;
}

static void unexplained_section(wdg_buf *b, const char *s, size_t len)
{
    static const char mark[] = "## Unexplained";
    for (size_t p = 0; p + sizeof mark - 1 <= len; p++)
        if ((p == 0 || s[p - 1] == '\n') && memcmp(s + p, mark, sizeof mark - 1) == 0) {
            wdg_buf_puts(b, "<div class=\"unexplained\">");
            html_md(b, s + p, len - p);
            wdg_buf_puts(b, "</div>\n");
            return;
        }
}

static void roots(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf md = WDG_BUF_INIT;
    md_roots(&md, r);
    b->oom |= md.oom;
    const char *s = md.ptr ? md.ptr : "";
    wdg_buf_puts(b, "<section id=\"roots\"><h2>Root causes</h2>\n");
    if (d->outcome == WDG_OUTCOME_INCONCLUSIVE && d->n_roots)
        wdg_buf_puts(b, "<p class=\"warn\">Provisional: the verdict is INCONCLUSIVE.</p>\n");
    if (!d->n_roots)
        wdg_buf_puts(b, "<p>No root cause.</p>\n");
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        const char *conf = wdg_root_confidence_name(x->inferred);
        wdg_buf_printf(b, "<article class=\"root conf-%s\" id=\"root-%zu\"><header><span "
                          "class=\"rootno\">%zu</span> <code class=\"kind\">",
                       conf, i + 1, i + 1);
        html_escs(b, wdg_root_kind_name(x->kind));
        wdg_buf_puts(b, "</code> ");
        badge(b, x->inferred ? "conf-inferred" : "conf-proven", conf);
        wdg_buf_printf(b, " <span class=\"blocks\">blocks %zu wedged thread%s</span></header>\n",
                       x->n_blocks, x->n_blocks == 1 ? "" : "s");
        size_t n;
        const char *item = root_item(s, md.len, i, &n);
        if (item) {
            /* the item without its "N. `kind`: " lead, which the header shows */
            const char *colon = memchr(item, ':', n);
            size_t skip = colon ? (size_t)(colon - item) + 2 : 0;
            wdg_buf_puts(b, "<div class=\"evidence\">");
            html_md(b, item + skip, n > skip ? n - skip : 0);
            wdg_buf_puts(b, "</div>\n");
        }
        html_ladder_svg(b, r, i);
        wdg_buf_puts(b, "</article>\n");
    }
    unexplained_section(b, s, md.len);
    wdg_buf_free(&md);
    wdg_buf_puts(b, "</section>\n");
}

/* ---- threads and the thread map ---- */

static const char *how_confidence(int how)
{
    /* docs/analysis.md "Confidence": a root resting on these pairs is inferred */
    return how == WDG_HOW_SIGNATURE || how == WDG_HOW_CALL_SITE || how == WDG_HOW_ELIMINATION
               ? "inferred" : "proven";
}

static void thread_rows(wdg_buf *b, const wdg_report *r, int side)
{
    const wdg_diagnosis *d = &r->diag;
    const wdg_thread *ts = side ? d->cand_threads : d->ref_threads;
    size_t n = side ? d->n_cand_threads : d->n_ref_threads;
    const wdg_trace *t = side ? r->cand : r->ref;
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        const wdg_thread *th = &ts[i];
        /* wedged threads always; the others up to the cap */
        if (th->state != WDG_TS_WEDGED && shown >= HTML_MAX_THREADS)
            continue;
        shown++;
        const char *st = wdg_thread_state_name(th->state);
        wdg_buf_printf(b, "<tr class=\"ts-%s%s\" data-e=\"%s\" data-tid=\"%u\"><td>", st,
                       th->unexplained ? " unexpl" : "", side ? "cand" : "ref", th->tid);
        html_escs(b, engine(r, side));
        wdg_buf_printf(b, "</td><td class=\"n\">%u</td><td>", th->tid);
        html_escs(b, th->family);
        char first[48] = "-", last[48] = "-";
        if (th->count) {
            wdg_format_ns(html_rel_ns(t, th->first), first, sizeof first);
            wdg_format_ns(html_rel_ns(t, th->last), last, sizeof last);
        }
        wdg_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%llu"
                          "</td><td>",
                       first, last, (unsigned long long)th->count);
        badge(b, th->state == WDG_TS_WEDGED ? (th->divergent ? "ts-wedged" : "ts-idle")
                                            : "ts-other", st);
        if (th->state == WDG_TS_WEDGED && th->count) {
            char sym[256];
            wdg_token_name(r, t, th->last, sym, sizeof sym);
            wdg_buf_puts(b, " at <code>");
            html_escs(b, sym);
            wdg_buf_puts(b, "</code>");
            if (!th->divergent)
                wdg_buf_puts(b, " (so is its analog)");
            if (th->unexplained)
                wdg_buf_puts(b, " <em>unexplained</em>");
        }
        wdg_buf_puts(b, "</td><td>");
        if (th->has_analog) {
            wdg_buf_printf(b, "%u <span class=\"dim\">(%s, ", th->analog, wdg_map_how_name(th->how));
            badge(b, strcmp(how_confidence(th->how), "proven") ? "conf-inferred" : "conf-proven",
                  how_confidence(th->how));
            wdg_buf_puts(b, ")</span>");
        } else {
            wdg_buf_puts(b, "<span class=\"dim\">none</span>");
        }
        wdg_buf_puts(b, "</td></tr>\n");
    }
    if (n > shown)
        wdg_buf_printf(b, "<tr><td colspan=\"8\" class=\"capped\">%zu more %s threads left out "
                          "(report.md lists them all)</td></tr>\n",
                       n - shown, side ? "candidate" : "reference");
}

static void threads(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, "<section id=\"threads\"><h2>Threads and the thread map</h2>\n<p>");
    wdg_buf_printf(b, "%zu pairs:", d->n_pairs);
    const char *sep = " ";
    for (int how = WDG_HOW_EXPLICIT; how < WDG_HOW_COUNT; how++)
        if (d->pairs_by_how[how]) {
            wdg_buf_printf(b, "%s%zu by %s (%s)", sep, d->pairs_by_how[how], wdg_map_how_name(how),
                           how_confidence(how));
            sep = ", ";
        }
    wdg_buf_printf(b, "; %zu reference thread%s with no analog. A root that rests on an "
                      "inferred pair is inferred.</p>\n",
                   d->n_no_analog, d->n_no_analog == 1 ? "" : "s");
    if (d->pairs_by_how[WDG_HOW_SIGNATURE]) {
        wdg_buf_puts(b, "<p>By key signature (Jaccard similarity):");
        for (size_t i = 0, k = 0; i < d->n_pairs; i++)
            if (d->pairs[i].how == WDG_HOW_SIGNATURE && k++ < 200) {
                char sim[32];
                wdg_buf_printf(b, " %u=%u&nbsp;%s", d->pairs[i].ref, d->pairs[i].cand,
                               wdg_fmt_num(sim, sizeof sim, d->pairs[i].similarity, 'f', 2));
            }
        wdg_buf_puts(b, "</p>\n");
    }
    wdg_buf_puts(b, "<table class=\"grid\"><thead><tr><th>engine</th><th>tid</th><th>family</th>"
                    "<th>first</th><th>last</th><th>events</th><th>state</th>"
                    "<th>analog (how, confidence)</th></tr></thead><tbody>\n");
    thread_rows(b, r, WDG_SIDE_REF);
    thread_rows(b, r, WDG_SIDE_CAND);
    wdg_buf_puts(b, "</tbody></table>\n</section>\n");
}

/* ---- boot delta ---- */

static void token_cell(wdg_buf *b, const wdg_report *r, const wdg_trace *t, size_t ev, size_t run,
                       const char *none)
{
    char tok[256];
    if (ev == WDG_NO_EVENT) {
        wdg_buf_printf(b, "<span class=\"dim\">%s</span>", none);
        return;
    }
    wdg_token_run_name(r, t, ev, run, tok, sizeof tok);
    wdg_buf_puts(b, "<code>");
    html_escs(b, tok);
    wdg_buf_puts(b, "</code>");
}

/* A unit of a token stream: a run of WDG_FOLD_MIN or more equal tokens,
 * else one token (as wedge diff prints them). */
static size_t unit_len(const uint32_t *s, size_t n, size_t at)
{
    size_t l = wdg_token_run(s, n, at);
    return l >= WDG_FOLD_MIN ? l : 1;
}

static void side_row(wdg_buf *b, const wdg_report *r, const wdg_streams *st, int mark, size_t a,
                     size_t na, size_t c, size_t nc)
{
    static const char *const cls[] = {"eq", "chg", "del", "ins"};
    wdg_buf_printf(b, "<tr class=\"%s\"><td class=\"n\">", cls[mark]);
    if (a != SIZE_MAX)
        wdg_buf_printf(b, "%zu</td><td>", a);
    else
        wdg_buf_puts(b, "</td><td>");
    token_cell(b, r, r->ref, a != SIZE_MAX ? st->ref_events[a] : WDG_NO_EVENT, na, "");
    wdg_buf_puts(b, "</td><td class=\"n\">");
    if (c != SIZE_MAX)
        wdg_buf_printf(b, "%zu", c);
    wdg_buf_puts(b, "</td><td>");
    token_cell(b, r, r->cand, c != SIZE_MAX ? st->cand_events[c] : WDG_NO_EVENT, nc, "");
    wdg_buf_puts(b, "</td></tr>\n");
}

/* The first pair's streams side by side, from a little before its first
 * change, up to HTML_SIDE_ROWS rows. */
static int side_by_side(wdg_buf *b, const wdg_report *r, const wdg_thread_delta *td,
                        wdg_error *err)
{
    wdg_pair_diff pd;
    int rc = wdg_pair_diff_build(&pd, r, td->ref_tid, td->cand_tid, 0, err);
    if (rc == WDG_EUSAGE)
        return 0;
    if (rc < 0)
        return rc;
    const wdg_streams *st = &pd.st;
    wdg_buf_printf(b, "<h3>Thread pair %u / %u side by side</h3>\n<table class=\"grid side\">"
                      "<thead><tr><th>#</th><th>", td->ref_tid, td->cand_tid);
    html_escs(b, engine(r, 0));
    wdg_buf_puts(b, "</th><th>#</th><th>");
    html_escs(b, engine(r, 1));
    wdg_buf_puts(b, "</th></tr></thead><tbody>\n");
    size_t rows = 0, left = 0;
    for (size_t k = 0; k < pd.diff.n_runs; k++) {
        const wdg_diff_run *run = &pd.diff.runs[k];
        if (run->kind == WDG_DIFF_EQUAL) {
            /* context: the last 3 units before a change, the first 3 after */
            size_t a = run->a_pos, end = run->a_pos + run->len, units = 0;
            for (size_t p = a; p < end; p += unit_len(st->a, end, p))
                units++;
            size_t u = 0, head = k ? 3 : 0, tail = k + 1 < pd.diff.n_runs ? 3 : 0;
            for (size_t p = a; p < end; u++) {
                size_t l = unit_len(st->a, end, p);
                if (u < head || u + tail >= units) {
                    if (rows++ < HTML_SIDE_ROWS)
                        side_row(b, r, st, 0, p, l, run->b_pos + (p - a), l);
                } else if (u == head && rows++ < HTML_SIDE_ROWS) {
                    wdg_buf_printf(b, "<tr class=\"skip\"><td colspan=\"4\">%zu equal units</td></tr>\n",
                                   units - head - tail);
                }
                p += l;
            }
            continue;
        }
        /* a deletion beside the insertion after it: one change block */
        size_t da = run->a_pos, dn = 0, ia = run->b_pos, in = 0;
        if (run->kind == WDG_DIFF_DELETE) {
            dn = run->len;
            if (k + 1 < pd.diff.n_runs && pd.diff.runs[k + 1].kind == WDG_DIFF_INSERT) {
                ia = pd.diff.runs[k + 1].b_pos;
                in = pd.diff.runs[++k].len;
            }
        } else {
            in = run->len;
        }
        /* a long change block shows its start, so that later blocks show too */
        size_t pa = da, pb = ia, shown = 0, hidden = 0;
        while (pa < da + dn || pb < ia + in) {
            size_t la = pa < da + dn ? unit_len(st->a, da + dn, pa) : 0;
            size_t lb = pb < ia + in ? unit_len(st->b, ia + in, pb) : 0;
            if (shown++ >= HTML_SIDE_BLOCK)
                hidden++;
            else if (rows++ < HTML_SIDE_ROWS)
                side_row(b, r, st, la && lb ? 1 : la ? 2 : 3, la ? pa : SIZE_MAX, la,
                         lb ? pb : SIZE_MAX, lb);
            pa += la;
            pb += lb;
        }
        if (hidden && rows++ < HTML_SIDE_ROWS)
            wdg_buf_printf(b, "<tr class=\"skip\"><td colspan=\"4\">%zu more changed rows</td></tr>\n",
                           hidden);
    }
    if (rows > HTML_SIDE_ROWS)
        left = rows - HTML_SIDE_ROWS;
    wdg_buf_puts(b, "</tbody></table>\n");
    if (left)
        wdg_buf_printf(b, "<p class=\"capped\">%zu more rows left out (cap %d): <code>wedge diff "
                          "--tid %u=%u</code> prints them all.</p>\n",
                       left, HTML_SIDE_ROWS, td->ref_tid, td->cand_tid);
    wdg_pair_diff_free(&pd);
    return 0;
}

static int boot(wdg_buf *b, const wdg_report *r, wdg_error *err)
{
    const wdg_boot_delta *bd = &r->boot;
    wdg_buf_puts(b, "<section id=\"boot\"><h2>Boot delta</h2>\n<p>Each thread pair's early "
                    "boot: the reference's tokens (op and call site) before the boot window's "
                    "end against as many candidate tokens, diffed.</p>\n");
    if (bd->n_threads) {
        wdg_buf_puts(b, "<table class=\"grid\"><thead><tr><th>ref tid</th><th>cand tid</th>"
                        "<th>tokens</th><th>first difference</th><th>");
        html_escs(b, engine(r, 0));
        wdg_buf_puts(b, " there</th><th>");
        html_escs(b, engine(r, 1));
        wdg_buf_puts(b, " there</th><th>inserted</th><th>deleted</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < bd->n_threads && i < HTML_MAX_DELTAS; i++) {
            const wdg_thread_delta *t = &bd->threads[i];
            wdg_buf_printf(b, "<tr class=\"%s\"><td class=\"n\">%u</td><td class=\"n\">%u</td>"
                              "<td class=\"n\">%zu / %zu</td>",
                           t->differs ? "differs" : "same", t->ref_tid, t->cand_tid, t->ref_tokens,
                           t->cand_tokens);
            if (!t->differs) {
                wdg_buf_puts(b, "<td>none</td><td></td><td></td><td class=\"n\">0</td>"
                                "<td class=\"n\">0</td></tr>\n");
                continue;
            }
            wdg_buf_printf(b, "<td class=\"n\">%zu</td><td>", t->index);
            token_cell(b, r, r->ref, t->ref_event, t->ref_run, "(end)");
            wdg_buf_puts(b, "</td><td>");
            token_cell(b, r, r->cand, t->cand_event, t->cand_run, "(its stream ends)");
            wdg_buf_printf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu%s</td></tr>\n",
                           t->inserted, t->deleted, t->bounded ? " (bounded)" : "");
        }
        wdg_buf_puts(b, "</tbody></table>\n");
        if (bd->n_threads > HTML_MAX_DELTAS)
            wdg_buf_printf(b, "<p class=\"capped\">%zu more pairs left out (cap %d).</p>\n",
                           bd->n_threads - HTML_MAX_DELTAS, HTML_MAX_DELTAS);
        /* the first pair that differs, side by side */
        for (size_t i = 0; i < bd->n_threads; i++)
            if (bd->threads[i].differs) {
                int rc = side_by_side(b, r, &bd->threads[i], err);
                if (rc < 0)
                    return rc;
                break;
            }
    }
    if (bd->n_milestones) {
        wdg_buf_puts(b, "<h3>Milestones</h3><table class=\"grid\"><thead><tr><th>milestone</th><th>");
        html_escs(b, engine(r, 0));
        wdg_buf_puts(b, " t</th><th>");
        html_escs(b, engine(r, 1));
        wdg_buf_puts(b, " t</th><th>ratio</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < bd->n_milestones && i < HTML_MAX_MILESTONES; i++) {
            const wdg_milestone *m = &bd->milestones[i];
            char what[192], a[48], z[48] = "-", ratio[32] = "-";
            wdg_milestone_text(r, m, what, sizeof what);
            wdg_format_ns(m->ref_t, a, sizeof a);
            if (m->has_cand)
                wdg_format_ns(m->cand_t, z, sizeof z);
            if (m->has_ratio)
                wdg_fmt_num(ratio, sizeof ratio, m->ratio, 'f', 2);
            int skew = (long)i == bd->skew_start;
            wdg_buf_printf(b, "<tr%s><td>", skew ? " class=\"skew\"" : m->has_cand ? "" : " class=\"gone\"");
            html_escs(b, what);
            wdg_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">"
                              "%s%s</td></tr>\n",
                           a, z, ratio, skew ? " <strong>skew starts</strong>" : "");
        }
        wdg_buf_puts(b, "</tbody></table>\n");
        if (bd->n_milestones > HTML_MAX_MILESTONES)
            wdg_buf_printf(b, "<p class=\"capped\">%zu more milestones in report.json (cap %d).</p>\n",
                           bd->n_milestones - HTML_MAX_MILESTONES, HTML_MAX_MILESTONES);
    }
    wdg_buf_puts(b, "</section>\n");
    return 0;
}

/* ---- the key table and the aligned sequence ---- */

typedef struct seqrow {
    uint64_t ordinal;
    size_t ref_event, cand_event;
} seqrow;

/* The aligned rows kept per shown key: the first HTML_KEY_HEAD, then the
 * first HTML_KEY_ONESIDED rows one side has no event for. */
typedef struct keyseq {
    seqrow *rows;              /* HTML_KEY_HEAD + HTML_KEY_ONESIDED per key */
    uint8_t *n;                /* rows kept per key */
    uint64_t *total;           /* rows per key */
    size_t shown;              /* keys with rows: the first `shown` keys */
    size_t cand_at_div;        /* cand producer last paired before the divergence */
} keyseq;

#define PER_KEY (HTML_KEY_HEAD + HTML_KEY_ONESIDED)

static int collect_rows(keyseq *ks, const wdg_report *r, wdg_error *err)
{
    ks->shown = r->keys.n < HTML_MAX_KEYS ? r->keys.n : HTML_MAX_KEYS;
    ks->cand_at_div = WDG_NO_INDEX;
    size_t n = ks->shown ? ks->shown : 1;
    ks->rows = calloc(n * PER_KEY, sizeof *ks->rows);
    ks->n = calloc(n, 1);
    ks->total = calloc(n, sizeof *ks->total);
    if (!ks->rows || !ks->n || !ks->total)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_align *a = NULL;
    int rc = wdg_align_new(&a, &r->keys, r->ref, r->cand, err);
    if (rc < 0)
        return rc;
    wdg_aligned_row row;
    int before_div = r->first_divergence.found;
    while (wdg_align_next(a, &row)) {
        if (before_div && row.ref_event == r->first_divergence.event)
            before_div = 0;
        if (before_div && row.ref_event != WDG_NO_EVENT && row.cand_event != WDG_NO_EVENT)
            ks->cand_at_div = row.cand_event;
        if (row.key >= ks->shown)
            continue;
        uint8_t *k = &ks->n[row.key];
        ks->total[row.key]++;
        int one_sided = row.ref_event == WDG_NO_EVENT || row.cand_event == WDG_NO_EVENT;
        if (*k < HTML_KEY_HEAD || (one_sided && *k < PER_KEY))
            ks->rows[row.key * PER_KEY + (*k)++] = (seqrow){row.ordinal, row.ref_event, row.cand_event};
    }
    wdg_align_free(a);
    return 0;
}

static void keyseq_free(keyseq *ks)
{
    free(ks->rows);
    free(ks->n);
    free(ks->total);
}

static void seq_cell(wdg_buf *b, const wdg_report *r, int side, size_t ev)
{
    const wdg_trace *t = side ? r->cand : r->ref;
    if (ev == WDG_NO_EVENT) {
        wdg_buf_puts(b, "<td class=\"none\" colspan=\"3\">no event</td>");
        return;
    }
    char when[48], sym[256];
    wdg_format_ns(html_rel_ns(t, ev), when, sizeof when);
    wdg_token_name(r, t, ev, sym, sizeof sym);
    wdg_buf_printf(b, "<td class=\"n\">%s</td><td class=\"n\">%u:%u</td><td><code>", when,
                   t->events[ev].tid, wdg_ev_line(t, &t->events[ev]));
    html_escs(b, sym);
    wdg_buf_puts(b, "</code></td>");
}

static void key_sequence(wdg_buf *b, const wdg_report *r, const keyseq *ks, size_t k)
{
    wdg_buf_puts(b, "<tr class=\"seq\" hidden><td colspan=\"10\"><table class=\"inner\"><thead>"
                    "<tr><th>#</th><th>");
    html_escs(b, engine(r, 0));
    wdg_buf_puts(b, " t</th><th>tid:line</th><th>event</th><th>");
    html_escs(b, engine(r, 1));
    wdg_buf_puts(b, " t</th><th>tid:line</th><th>event</th></tr></thead><tbody>");
    const seqrow *rows = &ks->rows[k * PER_KEY];
    for (size_t i = 0; i < ks->n[k]; i++) {
        if (i == HTML_KEY_HEAD && rows[i].ordinal > rows[i - 1].ordinal + 1)
            wdg_buf_puts(b, "<tr class=\"skip\"><td colspan=\"7\">...</td></tr>");
        wdg_buf_printf(b, "<tr><td class=\"n\">%llu</td>", (unsigned long long)rows[i].ordinal);
        seq_cell(b, r, 0, rows[i].ref_event);
        seq_cell(b, r, 1, rows[i].cand_event);
        wdg_buf_puts(b, "</tr>");
    }
    wdg_buf_puts(b, "</tbody></table>");
    if (ks->total[k] > ks->n[k])
        wdg_buf_printf(b, "<p class=\"capped\">%llu of %llu aligned rows shown (the first %d and "
                          "the first %d one-sided); aligned-sequence.csv has them all.</p>",
                       (unsigned long long)ks->n[k], (unsigned long long)ks->total[k],
                       HTML_KEY_HEAD, HTML_KEY_ONESIDED);
    wdg_buf_puts(b, "</td></tr>");
}

static void key_rows(wdg_buf *b, const wdg_report *r, const keyseq *ks)
{
    for (size_t i = 0; i < ks->shown; i++) {
        const wdg_key *k = &r->keys.keys[i];
        wdg_status st = wdg_key_verdict(&r->keys, i);
        char lr[WDG_ADDR_TEXT] = "-", fn[160] = "-", ratio[32] = "";
        if (k->has_lr) {
            wdg_fmt_addr(r, k->lr, lr, sizeof lr);
            wdg_fmt_function(r, k->lr, fn, sizeof fn);
        }
        wdg_fmt_ratio(k, ratio, sizeof ratio);
        /* a tbody per key keeps its sequence row beside it when sorted */
        wdg_buf_printf(b, "<tbody class=\"key st-%s\" data-i=\"%zu\"><tr class=\"krow\"><td "
                          "data-v=\"%d\">",
                       wdg_status_name(st), i, (int)st);
        status_badge(b, k->status);
        if (k->status == WDG_ST_MIXED)
            wdg_buf_printf(b, " <span class=\"dim\">class %u: %s</span>", k->cls,
                           wdg_status_name(st));
        wdg_buf_printf(b, "</td><td>%s</td><td><code>", wdg_category_name(k->cat));
        html_escs(b, lr);
        wdg_buf_puts(b, "</code></td><td><code>");
        html_escs(b, fn);
        wdg_buf_puts(b, "</code></td><td>");
        html_escs(b, wdg_ops_name(r->ref->ops, k->op));
        wdg_buf_printf(b, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td "
                          "class=\"n\">%llu</td><td class=\"n\">%llu</td><td>%s</td></tr>",
                       (unsigned long long)k->ref, (unsigned long long)k->cand,
                       (unsigned long long)k->ref_total, (unsigned long long)k->cand_total, ratio);
        key_sequence(b, r, ks, i);
        wdg_buf_puts(b, "</tbody>\n");
    }
}

static void keys(wdg_buf *b, const wdg_report *r, const keyseq *ks)
{
    wdg_buf_printf(b, "<section id=\"keys\"><h2>Producer keys</h2>\n<p>Counts over the common span, "
                      "whole-trace totals beside them; %zu keys. Click a column to sort, a key to "
                      "open its aligned sequence (the n-th %s event of a key beside the n-th ",
                   r->keys.n, "reference");
    wdg_buf_puts(b, "candidate one).</p>\n<div class=\"filters\"><input id=\"kfilter\" "
                    "type=\"search\" placeholder=\"filter: text in any column\"> <select "
                    "id=\"kstatus\"><option value=\"\">every status</option>");
    for (int s = 0; s < WDG_ST_COUNT; s++)
        if (r->keys.by_status[s])
            wdg_buf_printf(b, "<option value=\"st-%s\">%s (%llu)</option>", wdg_status_name(s),
                           wdg_status_name(s), (unsigned long long)r->keys.by_status[s]);
    wdg_buf_puts(b, "</select> <span id=\"kcount\"></span></div>\n<table class=\"grid keys\" "
                    "id=\"keytable\"><thead><tr><th data-t=\"v\">status</th><th>category</th>"
                    "<th>lr</th><th>function</th><th>op</th>");
    for (int i = 0; i < 4; i++) {
        wdg_buf_puts(b, "<th data-t=\"n\">");
        html_escs(b, engine(r, i & 1));
        wdg_buf_puts(b, i >= 2 ? " total</th>" : "</th>");
    }
    wdg_buf_puts(b, "<th>ratio</th></tr></thead>\n");
    key_rows(b, r, ks);
    wdg_buf_puts(b, "</table>\n");
    if (r->keys.n > ks->shown)
        wdg_buf_printf(b, "<p class=\"capped\">%zu more keys left out (the first %d shown, in the "
                          "key table's order: diverging first); keys.csv has them all.</p>\n",
                       r->keys.n - ks->shown, HTML_MAX_KEYS);
    wdg_buf_puts(b, "</section>\n");
}

/* ---- the wait-for graph ---- */

static void base64(wdg_buf *b, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        wdg_buf_put(b, q, 4);
    }
}

static void waitgraph(wdg_buf *b, const wdg_html_opts *o)
{
    wdg_buf_puts(b, "<section id=\"waitgraph\"><h2>Wait-for graph</h2>\n");
    if (o && o->svg && o->svg_len) {
        /* as an image: whatever the SVG holds, no script of it runs here */
        wdg_buf_puts(b, "<p>waitgraph.svg, as Graphviz drew waitgraph.dot.</p><img class=\"graph\" "
                        "alt=\"wait-for graph\" src=\"data:image/svg+xml;base64,");
        base64(b, (const unsigned char *)o->svg, o->svg_len);
        wdg_buf_puts(b, "\">\n");
    } else {
        wdg_buf_puts(b, "<p class=\"absent\" id=\"nosvg\">waitgraph.svg is absent");
        if (o && o->svg_note) {
            wdg_buf_puts(b, ": ");
            html_escs(b, o->svg_note);
        }
        wdg_buf_puts(b, ". waitgraph.dot holds the graph (<code>dot -Tsvg waitgraph.dot</code> "
                        "draws it).</p>\n");
    }
    wdg_buf_puts(b, "</section>\n");
}

/* ---- the page ---- */

static void pieces(wdg_buf *b, const char *const *p)
{
    for (; *p; p++)
        wdg_buf_puts(b, *p);
}

static void head(wdg_buf *b, const wdg_report *r)
{
    wdg_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>wedge report: ");
    html_escs(b, engine(r, 1));
    wdg_buf_puts(b, " against ");
    html_escs(b, engine(r, 0));
    wdg_buf_puts(b, "</title>\n<style>\n");
    pieces(b, html_css);
    wdg_buf_puts(b, "</style>\n<script>\n"
                      /* first, so an error anywhere later is caught */
                      "window.onerror=function(m){var d=document.createElement('div');"
                      "d.id='js-error';d.textContent='script error: '+m;"
                      "(document.body||document.documentElement).appendChild(d);};\n"
                    "</script>\n</head>\n<body>\n");
}

static void nav(wdg_buf *b, const wdg_report *r)
{
    wdg_buf_puts(b, "<header class=\"top\"><h1>wedge report: <span class=\"cand\">");
    html_escs(b, engine(r, 1));
    wdg_buf_puts(b, "</span> against <span class=\"ref\">");
    html_escs(b, engine(r, 0));
    wdg_buf_puts(b, "</span></h1><nav><a href=\"#verdict\">verdict</a> <a href=\"#roots\">roots</a> "
                    "<a href=\"#timelines\">timelines</a> <a href=\"#keys\">keys</a> "
                    "<a href=\"#threads\">threads</a> <a href=\"#boot\">boot delta</a> "
                    "<a href=\"#waitgraph\">graph</a> <a href=\"#traces\">traces</a></nav>"
                    "<div class=\"files\">");
    html_escs(b, wdg_trace_display_name(r->ref));
    wdg_buf_puts(b, " &middot; ");
    html_escs(b, wdg_trace_display_name(r->cand));
    wdg_buf_puts(b, "</div></header>\n");
}

static void traces(wdg_buf *b, const wdg_report *r)
{
    const wdg_trace *t[2] = {r->ref, r->cand};
    wdg_buf_puts(b, "<section id=\"traces\"><h2>Traces</h2><table class=\"grid\"><thead><tr>"
                    "<th></th><th>");
    html_escs(b, engine(r, 0));
    wdg_buf_puts(b, "</th><th>");
    html_escs(b, engine(r, 1));
    wdg_buf_puts(b, "</th></tr></thead><tbody><tr><td>file</td>");
    for (int j = 0; j < 2; j++) {
        wdg_buf_puts(b, "<td><code>");
        html_escs(b, wdg_trace_display_name(t[j]));
        wdg_buf_puts(b, "</code></td>");
    }
    wdg_buf_puts(b, "</tr><tr><td>format</td>");
    for (int j = 0; j < 2; j++) {
        wdg_buf_puts(b, "<td>");
        html_escs(b, t[j]->format);
        wdg_buf_puts(b, "</td>");
    }
    static const char *const rows[] = {"events", "malformed", "producers", "threads"};
    for (int i = 0; i < 4; i++) {
        wdg_buf_printf(b, "</tr><tr><td>%s</td>", rows[i]);
        for (int j = 0; j < 2; j++) {
            uint64_t v = i == 0 ? t[j]->n_events : i == 1 ? t[j]->malformed
                       : i == 2 ? t[j]->producers : t[j]->threads;
            wdg_buf_puts(b, "<td class=\"n\">");
            num(b, v);
            wdg_buf_puts(b, "</td>");
        }
    }
    wdg_buf_puts(b, "</tr><tr><td>span</td>");
    for (int j = 0; j < 2; j++) {
        char s[48];
        wdg_format_ns(html_end_ns(r, j), s, sizeof s);
        wdg_buf_printf(b, "<td class=\"n\">%s%s</td>", s, t[j]->all_t ? "" : " (1 us per event: no t)");
    }
    wdg_buf_puts(b, "</tr></tbody></table></section>\n");
}

int wdg_report_html(const wdg_report *r, const wdg_html_opts *o, wdg_buf *out, wdg_error *err)
{
    size_t start = out->len;
    keyseq ks;
    memset(&ks, 0, sizeof ks);
    int rc = collect_rows(&ks, r, err);
    if (rc == 0) {
        head(out, r);
        nav(out, r);
        wdg_buf_puts(out, "<main>\n");
        verdict(out, r);
        roots(out, r);
        rc = html_timelines(out, r, ks.cand_at_div, o ? o->wakes : NULL, err);
    }
    if (rc == 0) {
        keys(out, r, &ks);
        threads(out, r);
        rc = boot(out, r, err);
    }
    if (rc == 0) {
        waitgraph(out, o);
        traces(out, r);
        wdg_buf_printf(out, "</main>\n<footer>wedge %s &middot; one self-contained file: no "
                            "network</footer>\n<script>\n",
                       WDG_VERSION_STRING);
        pieces(out, html_js);
        wdg_buf_puts(out, "</script>\n</body></html>\n");
        /* names from the input went in as they came: make the page UTF-8 */
        wdg_buf_repair_utf8(out, start);
    }
    keyseq_free(&ks);
    if (rc == 0 && out->oom)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    return rc;
}
