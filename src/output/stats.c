/* wedge stats: what was read from one trace, as text or JSON. */
#include "render.h"

#include <string.h>

void wdg_stats_text(const wdg_trace *t, wdg_buf *b)
{
    size_t start = b->len;
    const uint64_t *by_cat = t->by_cat;   /* folded events too (wedge stats) */
    wdg_buf_printf(b, "file:       %s\n", wdg_trace_display_name(t));
    wdg_buf_printf(b, "format:     %s (compression: %s)\n", t->format, t->compression);
    wdg_buf_printf(b, "lines:      %llu\n", (unsigned long long)t->lines);
    wdg_buf_printf(b, "events:     %llu\n", (unsigned long long)t->counted);
    wdg_buf_printf(b, "ignored:    %llu", (unsigned long long)t->ignored);
    if (t->merged)
        wdg_buf_printf(b, " (%llu merged into their call's event)", (unsigned long long)t->merged);
    wdg_buf_puts(b, "\n");
    wdg_buf_printf(b, "malformed:  %llu", (unsigned long long)t->malformed);
    const char *sep = " (";
    for (int i = 0; i < WDG_MAL_COUNT; i++)
        if (t->malformed_by_reason[i]) {
            wdg_buf_printf(b, "%s%s %llu", sep, wdg_malformed_reason_name(i),
                           (unsigned long long)t->malformed_by_reason[i]);
            sep = ", ";
        }
    wdg_buf_puts(b, sep[0] == ',' ? ")\n" : "\n");
    for (unsigned i = 0; i < t->n_samples; i++)
        wdg_buf_printf(b, "  %s:%llu: %s: %s\n", wdg_trace_display_name(t),
                       (unsigned long long)t->samples[i].line,
                       wdg_malformed_reason_name(t->samples[i].reason), t->samples[i].msg);
    if (t->truncated)
        wdg_buf_printf(b, "truncated:  yes: %s; every complete line before it was read\n",
                       t->truncated);
    wdg_buf_printf(b, "producers:  %llu (%llu with lr, %llu without lr)\n",
                   (unsigned long long)t->producers, (unsigned long long)t->producers_with_lr,
                   (unsigned long long)(t->producers - t->producers_with_lr));
    wdg_buf_printf(b, "threads:    %u\n", t->threads);
    int64_t span;
    const char *unit;
    if (wdg_trace_span(t, &span, &unit)) {
        if (strcmp(unit, "ns") == 0) {
            char a[32], z[32], d[32];
            wdg_format_ns(t->first_t, a, sizeof a);
            wdg_format_ns(t->last_t, z, sizeof z);
            wdg_format_ns(span, d, sizeof d);
            wdg_buf_printf(b, "span:       %s (%s to %s)\n", d, a, z);
            if (t->placed_t)
                wdg_buf_printf(b, "untimed:    %llu events without t took the t of the "
                                  "timed event before them\n",
                               (unsigned long long)t->placed_t);
        } else {
            wdg_buf_printf(b, "span:       %lld lines (events carry no t)\n", (long long)span);
        }
    } else {
        wdg_buf_puts(b, "span:       - (no events)\n");
    }
    wdg_buf_puts(b, "categories:");
    for (int c = 0; c < WDG_CAT_COUNT; c++)
        wdg_buf_printf(b, " %s %llu%s", wdg_category_name(c), (unsigned long long)by_cat[c],
                       c + 1 < WDG_CAT_COUNT ? "," : "\n");
    if (t->n_imports)
        wdg_buf_printf(b, "imports:    %zu import table lines\n", t->n_imports);
    wdg_buf_repair_utf8(b, start);   /* the path and messages as they came */
}

void wdg_stats_json(const wdg_trace *t, wdg_buf *b)
{
    wdg_jw jw, *w = &jw;
    wdg_jw_init(w, b);
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "path", t->path);
    wdg_jw_kstring(w, "format", t->format);
    wdg_jw_kstring(w, "compression", t->compression);
    wdg_jw_kuint(w, "lines", t->lines);
    wdg_jw_kuint(w, "events", t->counted);
    wdg_jw_kuint(w, "ignored", t->ignored);
    wdg_jw_kuint(w, "merged", t->merged);
    wdg_jw_kuint(w, "malformed", t->malformed);
    wdg_json_malformed(w, t);
    wdg_json_truncated(w, t);
    wdg_jw_kuint(w, "producers", t->producers);
    wdg_jw_kuint(w, "producers_with_lr", t->producers_with_lr);
    wdg_jw_kuint(w, "producers_without_lr", t->producers - t->producers_with_lr);
    wdg_jw_kuint(w, "placed_t", t->placed_t);
    wdg_jw_kuint(w, "threads", t->threads);
    int64_t span;
    const char *unit = NULL;
    wdg_jw_key(w, "span");
    if (wdg_trace_span(t, &span, &unit))
        wdg_jw_int(w, span);
    else
        wdg_jw_null(w);
    wdg_jw_kstring(w, "span_unit", unit);
    wdg_jw_end(w);
    wdg_buf_putc(b, '\n');
}
