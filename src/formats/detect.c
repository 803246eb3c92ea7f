/* Format detection from the first non-blank lines of a trace.
 *
 * The detector is fed the same lines the parsers will see, so its answer
 * never depends on how the bytes arrived (mapped, streamed, compressed). */
#include <string.h>

#include "formats.h"

enum { SAMPLE_LINES = 200 };

const char *wdg_format_name(wdg_format f)
{
    switch (f) {
    case FMT_EMPTY: return "empty";
    case FMT_JSONL: return "jsonl";
    case FMT_XENIA: return "xenia-log";
    case FMT_TEMPLATE: return "template";
    default: return "unknown";
    }
}

void wdg_detect_init(wdg_detector *d, const wdg_templates *ts)
{
    memset(d, 0, sizeof *d);
    d->first_is_json = -1;
    d->ts = ts && wdg_templates_count(ts) ? ts : NULL;
}

void wdg_detect_line(wdg_detector *d, const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == n)
        return;
    d->seen++;
    if (d->first_is_json < 0)
        d->first_is_json = line[i] == '{';
    if (line[n - 1] == '\r')
        n--;
    wdg_rec rec;
    wdg_line_result res;
    if (d->ts && !d->tmpl && wdg_templates_parse(d->ts, line, n, &rec, &res) != LINE_IGNORED)
        d->tmpl = 1;
    if (!d->xenia && wdg_xenia_line_looks(line, n))
        d->xenia = 1;
}

/* A template that matches a line wins (the user asked for it); then JSONL
 * when the first non-blank line opens an object; then xenia when any line
 * has its shape. */
wdg_format wdg_detect_result(const wdg_detector *d)
{
    if (d->tmpl)
        return FMT_TEMPLATE;
    if (d->first_is_json == 1)
        return FMT_JSONL;
    if (d->xenia)
        return FMT_XENIA;
    return d->seen ? FMT_UNKNOWN : FMT_EMPTY;
}

int wdg_detect_settled(const wdg_detector *d)
{
    if (d->tmpl)
        return 1;
    if (d->ts)   /* a later line may still match a template */
        return d->seen >= SAMPLE_LINES && wdg_detect_result(d) != FMT_UNKNOWN;
    return d->first_is_json == 1 || d->xenia;
}
