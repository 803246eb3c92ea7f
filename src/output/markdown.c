/* The Markdown report: what an engineer reads first. */
#include "cp_out.h"
#include "md_diag.h"
#include "render.h"

#include <stdio.h>
#include <string.h>

static void num(wdg_buf *b, uint64_t v)
{
    /* 79014 -> 79,014 */
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    wdg_buf_puts(b, out);
}

static void span_text(const wdg_trace *t, char *out, size_t cap)
{
    int64_t span;
    const char *unit;
    if (!wdg_trace_span(t, &span, &unit)) {
        snprintf(out, cap, "-");
    } else if (strcmp(unit, "ns") == 0) {
        char a[32], z[32];
        wdg_format_ns(t->first_t, a, sizeof a);
        wdg_format_ns(t->last_t, z, sizeof z);
        snprintf(out, cap, "%s to %s", a, z);
    } else {
        snprintf(out, cap, "lines %u to %u (no t)", wdg_ev_line(t, &t->events[0]),
                 wdg_ev_line(t, &t->events[t->n_events - 1]));
    }
}

static void trace_table(wdg_buf *b, const wdg_report *r)
{
    const wdg_trace *t[2] = {r->ref, r->cand};
    wdg_buf_printf(b, "| | %s | %s |\n|---|---|---|\n", r->opts.ref_name, r->opts.cand_name);
    wdg_buf_printf(b, "| file | `%s` | `%s` |\n", wdg_trace_display_name(t[0]),
                   wdg_trace_display_name(t[1]));
    /* compression is left out on purpose: the same trace plain, gzip or
     * zstd gives a byte-identical report (wedge stats names it) */
    wdg_buf_printf(b, "| format | %s | %s |\n", t[0]->format, t[1]->format);
    static const char *const rows[] = {"lines", "events", "ignored", "malformed", "producers",
                                       "threads"};
    for (int i = 0; i < 6; i++) {
        wdg_buf_printf(b, "| %s |", rows[i]);
        for (int j = 0; j < 2; j++) {
            uint64_t v = i == 0 ? t[j]->lines : i == 1 ? t[j]->n_events : i == 2 ? t[j]->ignored
                       : i == 3 ? t[j]->malformed : i == 4 ? t[j]->producers : t[j]->threads;
            wdg_buf_putc(b, ' ');
            num(b, v);
            wdg_buf_puts(b, " |");
        }
        wdg_buf_putc(b, '\n');
    }
    char s0[96], s1[96];
    span_text(t[0], s0, sizeof s0);
    span_text(t[1], s1, sizeof s1);
    wdg_buf_printf(b, "| span | %s | %s |\n", s0, s1);
    wdg_buf_puts(b, "| observes |");
    for (int j = 0; j < 2; j++) {
        wdg_buf_putc(b, ' ');
        int first = 1;
        for (int c = 0; c < WDG_CAT_COUNT; c++)
            if (t[j]->observes & WDG_CAT_BIT(c)) {
                wdg_buf_printf(b, "%s%s", first ? "" : ", ", wdg_category_name(c));
                first = 0;
            }
        wdg_buf_printf(b, "%s%s |", first ? "nothing" : "",
                       t[j]->has_observes ? " (header)" : "");
    }
    wdg_buf_putc(b, '\n');
    for (int j = 0; j < 2; j++) {
        if (!t[j]->malformed)
            continue;
        wdg_buf_printf(b, "\n%s has %llu malformed line%s (counted, not read):\n",
                       j ? r->opts.cand_name : r->opts.ref_name,
                       (unsigned long long)t[j]->malformed, t[j]->malformed == 1 ? "" : "s");
        for (unsigned i = 0; i < t[j]->n_samples; i++)
            wdg_buf_printf(b, "- `%s:%llu`: %s\n", wdg_trace_display_name(t[j]),
                           (unsigned long long)t[j]->samples[i].line, t[j]->samples[i].msg);
        if (t[j]->malformed > t[j]->n_samples)
            wdg_buf_printf(b, "- ... and %llu more\n",
                           (unsigned long long)(t[j]->malformed - t[j]->n_samples));
    }
}

static void where(const wdg_trace *t, const wdg_event *e, char *out, size_t cap)
{
    char when[40];
    if (e->flags & WDG_EV_T)
        wdg_format_ns(e->t, when, sizeof when);
    else
        snprintf(when, sizeof when, "line %u", wdg_ev_line(t, e));
    snprintf(out, cap, "at %s, thread %u", when, e->tid);
}

static void site(const wdg_report *r, const wdg_event *e, char *out, size_t cap)
{
    char fn[160], obj[WDG_ADDR_TEXT + 8] = "", a[WDG_ADDR_TEXT];
    if (e->flags & WDG_EV_OBJ)
        wdg_utf8_snprintf(obj, sizeof obj, " on %s", wdg_fmt_addr(r, wdg_ev_obj(e), a, sizeof a));
    if (e->flags & WDG_EV_LR && r->keys.by_lr) {
        wdg_fmt_function(r, wdg_ev_lr(e), fn, sizeof fn);
        wdg_utf8_snprintf(out, cap, "`%s` at `%s` (%s%s)", wdg_category_name(wdg_ev_cat(r->ref->ops, e)), fn,
                 wdg_ops_name(r->ref->ops, e->op), obj);
    } else {
        wdg_utf8_snprintf(out, cap, "`%s` by `%s`%s", wdg_category_name(wdg_ev_cat(r->ref->ops, e)),
                 wdg_ops_name(r->ref->ops, e->op), obj);
    }
}

/* "at 3.250 s (250.000 ms after its first event)" - the trace's own clock
 * first, as the other times of the report, then rebased - or "at line 12" */
static void span_end_text(const wdg_trace *t, const wdg_span *sp, int side, char *out, size_t cap)
{
    char when[128];
    size_t n = sp->count[side];
    if (!n) {
        snprintf(out, cap, "nowhere (no events)");
        return;
    }
    if (t->all_t) {
        char raw[32], rel[32];
        wdg_format_ns(sp->end[side], raw, sizeof raw);
        wdg_format_ns(sp->end[side] - t->first_t, rel, sizeof rel);
        snprintf(when, sizeof when, "at %s (%s after its first event)", raw, rel);
    } else {
        snprintf(when, sizeof when, "at line %u", wdg_ev_line(t, &t->events[n - 1]));
    }
    snprintf(out, cap, "%s%s", when, n == t->n_events ? ", its last event" : "");
}

/* One line: how the common span was chosen and where it ends. */
static void span_line(wdg_buf *b, const wdg_report *r)
{
    const wdg_span *sp = &r->keys.span;
    char re[160], ce[160];
    span_end_text(r->ref, sp, WDG_SIDE_REF, re, sizeof re);
    span_end_text(r->cand, sp, WDG_SIDE_CAND, ce, sizeof ce);
    wdg_buf_printf(b, "**Common span** (by %s", wdg_span_method_name(sp->method));
    if (sp->method != sp->requested)
        wdg_buf_printf(b, ", --span %s fell back", wdg_span_method_name(sp->requested));
    wdg_buf_puts(b, "): ");
    if (sp->has_heartbeat) {
        const wdg_key *k = &r->keys.keys[sp->heartbeat];
        char key[256];
        if (k->has_lr) {
            char fn[160];
            wdg_fmt_function(r, k->lr, fn, sizeof fn);
            wdg_utf8_snprintf(key, sizeof key, "`%s` at `%s` (%s)", wdg_category_name(k->cat), fn,
                              wdg_ops_name(r->ref->ops, k->op));
        } else {
            wdg_utf8_snprintf(key, sizeof key, "`%s` by `%s`", wdg_category_name(k->cat),
                              wdg_ops_name(r->ref->ops, k->op));
        }
        wdg_buf_printf(b, "heartbeat %s, %llu beats in %s and %llu in %s; ", key,
                       (unsigned long long)sp->beats[0], r->opts.ref_name,
                       (unsigned long long)sp->beats[1], r->opts.cand_name);
    } else if (sp->method == WDG_SPAN_TIME) {
        wdg_buf_puts(b, "the shorter trace's length from each trace's first event; ");
    }
    if (sp->reason)
        wdg_buf_printf(b, "%s; ", sp->reason);
    wdg_buf_printf(b, "it ends in %s %s; in %s %s.\n\n", r->opts.ref_name, re,
                   r->opts.cand_name, ce);
}

/* The counts and status a sentence gives for key k: a MIXED key's are its
 * match class's, and *that names the class. */
static wdg_key spoken(const wdg_report *r, const wdg_key *k, char *that, size_t cap)
{
    wdg_key ck = *k;
    snprintf(that, cap, "that key");
    if (k->status == WDG_ST_MIXED) {
        const wdg_match_class *m = &r->keys.classes[k->cls];
        ck.ref = m->ref, ck.cand = m->cand, ck.status = m->status;
        snprintf(that, cap, "its match class %u (%zu keys)", k->cls, m->n_keys);
    }
    return ck;
}

/* the headline: the first divergence in one paragraph */
void md_headline(wdg_buf *b, const wdg_report *r)
{
    const wdg_divergence *d = &r->first_divergence;
    char at[96], st[256], ord[32], ratio[32];
    wdg_buf_puts(b, "**First divergence.** ");
    if (d->found) {
        const wdg_event *e = &r->ref->events[d->event];
        const wdg_key *k = &r->keys.keys[d->key];
        where(r->ref, e, at, sizeof at);
        site(r, e, st, sizeof st);
        wdg_fmt_ordinal(d->ordinal, ord, sizeof ord);
        char that[64];
        wdg_key ck = spoken(r, k, that, sizeof that);
        wdg_fmt_ratio(&ck, ratio, sizeof ratio);
        wdg_buf_printf(b, "%s producer #%llu, %s, is the first %s has no counterpart for at "
                          "that point of progress: the %s %s, while over the common span %s "
                          "fires %s %llu time%s and %s %llu (%s%s%s).\n\n",
                       r->opts.ref_name, (unsigned long long)d->ref_index, at,
                       r->opts.cand_name, ord, st, r->opts.cand_name, that,
                       (unsigned long long)ck.cand, ck.cand == 1 ? "" : "s", r->opts.ref_name,
                       (unsigned long long)ck.ref, wdg_status_name(ck.status),
                       ratio[0] ? " " : "", ratio);
    } else {
        wdg_buf_printf(b, "none: over the common span %s fires every %s producer key at least "
                          "as often.\n\n",
                       r->opts.cand_name, r->opts.ref_name);
    }
}

static void sentences(wdg_buf *b, const wdg_report *r)
{
    const wdg_divergence *d = &r->first_divergence, *kd = &r->first_key_divergence;
    char at[96], st[256], ord[32], ratio[32];
    md_headline(b, r);
    wdg_buf_puts(b, "First key divergence (the first producer whose key is MISSING or UNDER): ");
    if (!kd->found) {
        wdg_buf_puts(b, "none.\n\n");
    } else if (d->found && kd->event == d->event) {
        wdg_buf_puts(b, "the same event.\n\n");
    } else {
        const wdg_event *e = &r->ref->events[kd->event];
        const wdg_key *k = &r->keys.keys[kd->key];
        where(r->ref, e, at, sizeof at);
        site(r, e, st, sizeof st);
        wdg_fmt_ordinal(kd->ordinal, ord, sizeof ord);
        char that[64];
        wdg_key ck = spoken(r, k, that, sizeof that);
        wdg_fmt_ratio(&ck, ratio, sizeof ratio);
        wdg_buf_printf(b, "%s producer #%llu, %s: %s, its %s occurrence; %s fires %llu "
                          "time%s in %s and %llu in %s (%s%s%s).\n\n",
                       r->opts.ref_name, (unsigned long long)kd->ref_index, at, st, ord,
                       k->status == WDG_ST_MIXED ? that : "the key",
                       (unsigned long long)ck.ref, ck.ref == 1 ? "" : "s", r->opts.ref_name,
                       (unsigned long long)ck.cand, r->opts.cand_name, wdg_status_name(ck.status),
                       ratio[0] ? " " : "", ratio);
    }
}

/* "0x82450D2C, 0x82450CE0" (sub_...+0x1C4 ...): the class's keys one side fires */
static void class_keys(wdg_buf *b, const wdg_report *r, const wdg_match_class *m, int cand)
{
    int first = 1;
    for (size_t j = 0; j < m->n_keys; j++) {
        const wdg_key *k = &r->keys.keys[m->keys[j]];
        char fn[160], a[WDG_ADDR_TEXT];
        if (!(cand ? k->cand_total : k->ref_total))
            continue;
        wdg_buf_printf(b, "%s`%s`", first ? "" : ", ", wdg_fmt_addr(r, k->lr, a, sizeof a));
        if (wdg_symbols_format(r->symbols, k->lr, fn, sizeof fn))
            wdg_buf_printf(b, " (%s)", fn);
        first = 0;
    }
}

/* The match classes, below the key table (only when one formed). */
static void match_classes(wdg_buf *b, const wdg_report *r)
{
    const wdg_keytable *kt = &r->keys;
    if (!kt->n_classes)
        return;
    wdg_buf_puts(b, "\n## Match classes\n\n");
    wdg_buf_printf(b, "Keys of one engine that stand for keys of the other (a wrapper's site "
                      "against its callers); a class sums its keys' counts and carries their "
                      "status, its keys are MIXED.\n\n");
    wdg_buf_printf(b, "| class | status | category | via | %s keys | %s keys | %s | %s |\n",
                   r->opts.ref_name, r->opts.cand_name, r->opts.ref_name, r->opts.cand_name);
    wdg_buf_puts(b, "|---|---|---|---|---|---|---:|---:|\n");
    for (size_t i = 0; i < kt->n_classes; i++) {
        const wdg_match_class *m = &kt->classes[i];
        wdg_key ck = {0};
        char ratio[32], via[160];
        ck.ref = m->ref, ck.cand = m->cand, ck.status = m->status;
        wdg_fmt_ratio(&ck, ratio, sizeof ratio);
        wdg_fmt_function(r, m->via, via, sizeof via);
        wdg_buf_printf(b, "| %zu | %s%s%s%s | %s | `%s` in %s | ", i,
                            wdg_status_name(m->status), ratio[0] ? " (" : "", ratio,
                            ratio[0] ? ")" : "", wdg_category_name(m->cat), via,
                            m->via_side == WDG_SIDE_CAND ? r->opts.cand_name : r->opts.ref_name);
        class_keys(b, r, m, 0);
        wdg_buf_puts(b, " | ");
        class_keys(b, r, m, 1);
        wdg_buf_puts(b, " | ");
        num(b, m->ref);
        wdg_buf_puts(b, " | ");
        num(b, m->cand);
        wdg_buf_puts(b, " |\n");
    }
}

static void markdown(const wdg_report *r, wdg_buf *b)
{
    const uint64_t *by_status = r->keys.by_status;
    wdg_buf_printf(b, "# wedge report: %s against %s\n\n", r->opts.cand_name, r->opts.ref_name);
    md_verdict(b, r);
    md_roots(b, r);
    md_critpath(b, r);
    wdg_buf_puts(b, "## First divergence\n\n");
    wdg_buf_printf(b, "%zu producer keys: ", r->keys.n);
    static const wdg_status order[] = {WDG_ST_MISSING, WDG_ST_UNDER, WDG_ST_OVER, WDG_ST_EXTRA,
                                       WDG_ST_MATCH, WDG_ST_UNOBSERVABLE, WDG_ST_MIXED};
    int first = 1;
    for (int i = 0; i < 7; i++) {
        if (!by_status[order[i]])
            continue;
        wdg_buf_printf(b, "%s%llu %s", first ? "" : ", ", (unsigned long long)by_status[order[i]],
                       wdg_status_name(order[i]));
        first = 0;
    }
    wdg_buf_puts(b, first ? "none.\n\n" : ".\n\n");
    span_line(b, r);
    sentences(b, r);
    md_threads(b, r);
    md_boot(b, r);
    wdg_buf_puts(b, "## Traces\n\n");
    trace_table(b, r);
    wdg_buf_puts(b, "\n## Producer keys\n\n");
    wdg_buf_puts(b, "Counts over the common span (see above); whole-trace totals beside them. ");
    char tol[64];
    wdg_buf_printf(b, "Keys are `(category, %s)`; tolerance %s.\n\n",
                   r->keys.by_lr ? "lr)` where lr is known, else `(category, op" : "op",
                   wdg_fmt_num(tol, sizeof tol, r->keys.tolerance, 'g', 6));
    if (!r->keys.n) {
        wdg_buf_puts(b, "No producer events in either trace.\n");
        return;
    }
    wdg_buf_printf(b, "| status | category | lr | function | op | %s | %s | %s total | %s total |\n",
                   r->opts.ref_name, r->opts.cand_name, r->opts.ref_name, r->opts.cand_name);
    wdg_buf_puts(b, "|---|---|---|---|---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < r->keys.n && i < WDG_MD_MAX_ROWS; i++) {
        const wdg_key *k = &r->keys.keys[i];
        char ratio[32], fn[160], lr[WDG_ADDR_TEXT];
        wdg_fmt_ratio(k, ratio, sizeof ratio);
        if (k->has_lr) {
            wdg_fmt_addr(r, k->lr, lr, sizeof lr);
            wdg_fmt_function(r, k->lr, fn, sizeof fn);
        } else {
            snprintf(lr, sizeof lr, "-");
            snprintf(fn, sizeof fn, "-");
        }
        if (k->status == WDG_ST_MIXED)
            snprintf(ratio, sizeof ratio, "class %u", k->cls);
        wdg_buf_printf(b, "| %s%s%s%s | %s | %s | %s | %s | ", wdg_status_name(k->status),
                       ratio[0] ? " (" : "", ratio, ratio[0] ? ")" : "", wdg_category_name(k->cat),
                       lr, fn, wdg_ops_name(r->ref->ops, k->op));
        num(b, k->ref);
        wdg_buf_puts(b, " | ");
        num(b, k->cand);
        wdg_buf_puts(b, " | ");
        num(b, k->ref_total);
        wdg_buf_puts(b, " | ");
        num(b, k->cand_total);
        wdg_buf_puts(b, " |\n");
    }
    wdg_md_rows_left_out(b, wdg_md_over(r->keys.n), "keys.csv");
    match_classes(b, r);
}

size_t wdg_md_over(size_t n)
{
    return n > WDG_MD_MAX_ROWS ? n - WDG_MD_MAX_ROWS : 0;
}

void wdg_md_rows_left_out(wdg_buf *b, size_t left, const char *full)
{
    if (left)
        wdg_buf_printf(b, "\n%zu more rows left out (at most %d are shown); %s has them all.\n",
                       left, WDG_MD_MAX_ROWS, full);
}

void wdg_report_markdown(const wdg_report *r, wdg_buf *b)
{
    size_t start = b->len;
    markdown(r, b);
    /* names from the input went in as they came: make the text UTF-8 */
    wdg_buf_repair_utf8(b, start);
}
