/* wedge stats TRACE: what was read. */
#include <stdio.h>
#include <string.h>

#include "../output/render.h"
#include "common_opts.h"

static const cli_opt stats_opts[] = {{"json", 0, 0}, {"help", 'h', 0}, CLI_INPUT_OPTS,
                                     {NULL, 0, 0}};

static void print_text(const wdg_trace *t, wdg_buf *b)
{
    uint64_t by_cat[WDG_CAT_COUNT] = {0};
    for (size_t i = 0; i < t->n_events; i++)
        by_cat[t->events[i].cat]++;
    wdg_buf_printf(b, "file:       %s\n", wdg_trace_display_name(t));
    wdg_buf_printf(b, "format:     %s (compression: %s)\n", t->format, t->compression);
    wdg_buf_printf(b, "lines:      %llu\n", (unsigned long long)t->lines);
    wdg_buf_printf(b, "events:     %zu\n", t->n_events);
    wdg_buf_printf(b, "ignored:    %llu\n", (unsigned long long)t->ignored);
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
    wdg_buf_printf(b, "producers:  %llu (%llu with lr)\n", (unsigned long long)t->producers,
                   (unsigned long long)t->producers_with_lr);
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
}

static void print_json(const wdg_trace *t, wdg_buf *b)
{
    wdg_buf_puts(b, "{\"path\": ");
    wdg_buf_json_str(b, t->path);
    wdg_buf_printf(b, ", \"format\": \"%s\", \"compression\": \"%s\", \"lines\": %llu, "
                      "\"events\": %zu, \"ignored\": %llu, \"malformed\": %llu, "
                      "\"malformed_by_reason\": {",
                   t->format, t->compression, (unsigned long long)t->lines, t->n_events,
                   (unsigned long long)t->ignored, (unsigned long long)t->malformed);
    const char *sep = "";
    for (int i = 0; i < WDG_MAL_COUNT; i++)
        if (t->malformed_by_reason[i]) {
            wdg_buf_printf(b, "%s\"%s\": %llu", sep, wdg_malformed_reason_name(i),
                           (unsigned long long)t->malformed_by_reason[i]);
            sep = ", ";
        }
    wdg_buf_puts(b, "}, \"malformed_lines\": [");
    for (unsigned i = 0; i < t->n_samples; i++) {
        wdg_buf_printf(b, "%s{\"line\": %llu, \"reason\": \"%s\", \"message\": ", i ? ", " : "",
                       (unsigned long long)t->samples[i].line,
                       wdg_malformed_reason_name(t->samples[i].reason));
        wdg_buf_json_str(b, t->samples[i].msg);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_printf(b, "], \"producers\": %llu, \"threads\": %u, \"span\": ",
                   (unsigned long long)t->producers, t->threads);
    int64_t span;
    const char *unit;
    if (wdg_trace_span(t, &span, &unit))
        wdg_buf_printf(b, "%lld, \"span_unit\": \"%s\"}\n", (long long)span, unit);
    else
        wdg_buf_puts(b, "null, \"span_unit\": null}\n");
}

int cmd_stats(int argc, char **argv)
{
    cli_iter it = {argc, argv, 1, 0};
    cli_input in = {0};
    const char *path = NULL;
    int json = 0, rc = 0;
    wdg_error err = {0};
    wdg_trace *t = NULL;
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    wdg_buf out = WDG_BUF_INIT;
    for (;;) {
        const char *name, *value;
        int kind = cli_next(&it, stats_opts, &name, &value, &err);
        if (kind < 0) {
            rc = kind;
            goto done;
        }
        if (kind == CLI_END)
            break;
        if (kind == CLI_POSITIONAL) {
            if (path) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "stats takes one trace");
                goto done;
            }
            path = value;
            continue;
        }
        int taken = cli_input_take(&in, name, value);
        if (taken < 0) {
            rc = wdg_error_set(&err, WDG_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
        if (taken)
            continue;
        if (strcmp(name, "help") == 0) {
            fputs(cli_help_stats, stdout);
            goto done;
        }
        if (strcmp(name, "json") == 0)
            json = 1;
    }
    if (!path) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "stats needs a trace: wedge stats TRACE");
        goto done;
    }
    if ((rc = cli_input_load(&in, &path, 1, &t, &ops, &ts, &err)) < 0)
        goto done;
    if (json)
        print_json(t, &out);
    else
        print_text(t, &out);
    if (fwrite(out.ptr, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
        rc = wdg_error_set(&err, WDG_EOUTPUT, "<stdout>", 0, "write failed");
done:
    wdg_buf_free(&out);
    wdg_trace_free(t);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
