/* wedge stats: what was read from one trace, as text or JSON. */
#include "render.h"

#include <string.h>

void wdg_stats_text(const wdg_trace *t, wdg_buf *b)
{
    size_t start = b->len;
    uint64_t by_cat[WDG_CAT_COUNT] = {0};
    for (size_t i = 0; i < t->n_events; i++)
        by_cat[t->events[i].cat]++;
    wdg_buf_printf(b, "file:       %s\n", wdg_trace_display_name(t));
    wdg_buf_printf(b, "format:     %s (compression: %s)\n", t->format, t->compression);
    wdg_buf_printf(b, "lines:      %llu\n", (unsigned long long)t->lines);
    wdg_buf_printf(b, "events:     %zu\n", t->n_events);
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
    wdg_buf_puts(b, "{\"path\": ");
    wdg_buf_json_str(b, t->path);
    wdg_buf_printf(b, ", \"format\": \"%s\", \"compression\": \"%s\", \"lines\": %llu, "
                      "\"events\": %zu, \"ignored\": %llu, \"merged\": %llu, "
                      "\"malformed\": %llu, \"malformed_by_reason\": ",
                   t->format, t->compression, (unsigned long long)t->lines, t->n_events,
                   (unsigned long long)t->ignored, (unsigned long long)t->merged,
                   (unsigned long long)t->malformed);
    wdg_json_malformed(b, t);
    wdg_json_truncated(b, t);
    wdg_buf_printf(b, ", \"producers\": %llu, \"producers_with_lr\": %llu, "
                      "\"producers_without_lr\": %llu, \"placed_t\": %llu, \"threads\": %u, "
                      "\"span\": ",
                   (unsigned long long)t->producers, (unsigned long long)t->producers_with_lr,
                   (unsigned long long)(t->producers - t->producers_with_lr),
                   (unsigned long long)t->placed_t, t->threads);
    int64_t span;
    const char *unit;
    if (wdg_trace_span(t, &span, &unit))
        wdg_buf_printf(b, "%lld, \"span_unit\": \"%s\"}\n", (long long)span, unit);
    else
        wdg_buf_puts(b, "null, \"span_unit\": null}\n");
}

