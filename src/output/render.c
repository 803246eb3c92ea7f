#include "render.h"

#include <stdio.h>
#include <string.h>

const char *wdg_fmt_num(char *out, size_t cap, double v, char conv, int prec)
{
    if (wdg_json_number(out, cap, v, conv, prec) < 0 && cap)
        out[0] = 0;
    return out;
}

void wdg_format_ns(int64_t ns, char *out, size_t cap)
{
    char n[64];
    /* the magnitude in unsigned arithmetic: -INT64_MIN does not fit */
    uint64_t mag = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
    double v = (double)mag;
    const char *sign = ns < 0 ? "-" : "";
    if (v < 1e3)
        snprintf(out, cap, "%s%llu ns", sign, (unsigned long long)mag);
    else if (v < 1e6)
        snprintf(out, cap, "%s%s µs", sign, wdg_fmt_num(n, sizeof n, v / 1e3, 'f', 3));
    else if (v < 1e9)
        snprintf(out, cap, "%s%s ms", sign, wdg_fmt_num(n, sizeof n, v / 1e6, 'f', 3));
    else
        snprintf(out, cap, "%s%s s", sign, wdg_fmt_num(n, sizeof n, v / 1e9, 'f', 3));
}

void wdg_token_name(const wdg_report *r, const wdg_trace *t, size_t event, char *out, size_t cap)
{
    wdg_token_parts p = wdg_token_of(t, event);
    if (p.has_lr) {
        char fn[160];
        wdg_fmt_function(r, p.lr, fn, sizeof fn);
        wdg_utf8_snprintf(out, cap, "%s@%s", p.op, fn);
    } else {
        wdg_utf8_snprintf(out, cap, "%s", p.op);
    }
}

void wdg_token_run_name(const wdg_report *r, const wdg_trace *t, size_t event, size_t count,
                        char *out, size_t cap)
{
    wdg_token_name(r, t, event, out, cap);
    if (count >= WDG_FOLD_MIN) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, " x %zu", count);
    }
}

void wdg_milestone_text(const wdg_report *r, const wdg_milestone *m, char *out, size_t cap)
{
    char what[192];   /* the size report.json's "what" always had */
    if (m->kind == WDG_MILESTONE_THREAD_START) {
        const wdg_thread *t = wdg_diag_ref_thread(&r->diag, m->ref_tid);
        char a[WDG_ADDR_TEXT];
        wdg_fmt_addr(r, m->entry_pc, a, sizeof a);
        /* a family that is only the address adds nothing */
        if (!t || strncmp(t->family, "0x", 2) == 0 || strcmp(t->family, a) == 0)
            wdg_utf8_snprintf(what, sizeof what, "thread %u starts (entry %s)", m->ref_tid, a);
        else
            wdg_utf8_snprintf(what, sizeof what, "%s %u starts (entry %s)", t->family,
                              m->ref_tid, a);
    } else {
        char tok[224];
        wdg_token_name(r, r->ref, m->ref_event, tok, sizeof tok);
        tok[wdg_utf8_cut(tok, strlen(tok), 150)] = 0;
        wdg_utf8_snprintf(what, sizeof what, "first %s %s",
                          wdg_category_name(wdg_ev_cat(r->ref->ops, &r->ref->events[m->ref_event])), tok);
    }
    wdg_utf8_snprintf(out, cap, "%s", what);
}

const char *wdg_fmt_addr(const wdg_report *r, wdg_addr a, char *out, size_t cap)
{
    return wdg_addr_format(wdg_ops_sites(r->ref->ops), a, out, cap);
}

void wdg_fmt_function(const wdg_report *r, wdg_addr addr, char *out, size_t cap)
{
    if (!wdg_symbols_format(r->symbols, addr, out, cap))
        wdg_fmt_addr(r, addr, out, cap);
}

void wdg_json_addr(wdg_jw *w, const wdg_report *r, int has, wdg_addr a)
{
    char text[WDG_ADDR_TEXT];
    wdg_jw_string(w, has ? wdg_fmt_addr(r, a, text, sizeof text) : NULL);
}

void wdg_fmt_key(const wdg_report *r, const wdg_key *k, char *out, size_t cap)
{
    if (k->has_lr)
    {
        char a[WDG_ADDR_TEXT];
        wdg_utf8_snprintf(out, cap, "%s@%s", wdg_category_name(k->cat),
                          wdg_fmt_addr(r, k->lr, a, sizeof a));
    }
    else
        wdg_utf8_snprintf(out, cap, "%s:%s", wdg_category_name(k->cat), wdg_ops_name(r->ref->ops, k->op));
}

void wdg_fmt_ratio(const wdg_key *k, char *out, size_t cap)
{
    double ratio = 0;
    char n[64];
    if (k->status == WDG_ST_UNDER && k->cand)
        ratio = (double)k->ref / (double)k->cand;
    else if (k->status == WDG_ST_OVER && k->ref)
        ratio = (double)k->cand / (double)k->ref;
    if (ratio <= 0)
        out[0] = 0;
    else if (ratio >= 10 || ratio - (double)(long long)ratio < 0.05)
        snprintf(out, cap, "x%s", wdg_fmt_num(n, sizeof n, ratio, 'f', 0));
    else
        snprintf(out, cap, "x%s", wdg_fmt_num(n, sizeof n, ratio, 'f', 1));
}

void wdg_fmt_ordinal(uint64_t n, char *out, size_t cap)
{
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        if (n % 10 == 1) suffix = "st";
        else if (n % 10 == 2) suffix = "nd";
        else if (n % 10 == 3) suffix = "rd";
    }
    snprintf(out, cap, "%llu%s", (unsigned long long)n, suffix);
}

void wdg_fmt_when(const wdg_trace *t, int64_t v, const char *what, char *out, size_t cap)
{
    if (t->all_t)
        wdg_format_ns(v, out, cap);
    else
        snprintf(out, cap, "%s %lld", what, (long long)v);
}

int wdg_trace_span(const wdg_trace *t, int64_t *span, const char **unit)
{
    if (!t->counted)   /* events a folding read dropped count too */
        return 0;
    if (t->all_t) {
        *span = t->last_t - t->first_t;
        *unit = "ns";
    } else {
        *span = (int64_t)t->last_line - (int64_t)t->first_line;
        *unit = "lines";
    }
    return 1;
}

void wdg_dot_text(wdg_buf *b, const char *s, int line_breaks)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            wdg_buf_putc(b, '\\');
            wdg_buf_putc(b, (char)c);
        } else if (c == '\n' && line_breaks) {
            wdg_buf_puts(b, "\\n");
        } else if (c >= 0x20 && c != 0x7F && c != '`') {
            wdg_buf_putc(b, (char)c);
        }
    }
}
