/* The format registry, and format detection from the first non-blank
 * lines of a trace.
 *
 * The detector is fed the same lines the parsers will see, so its answer
 * never depends on how the bytes arrived (mapped, streamed, compressed). */
#include <string.h>

#include "formats.h"

enum { SAMPLE_LINES = 200 };

/* The registry, in order of precedence: a template that matches a line
 * wins (the user asked for it); then JSONL when the first non-blank line
 * opens an object; then xenia when any line has its shape.  A new format
 * is one line here. */
static const wdg_format_def *const registry[] = {
    &wdg_format_template,
    &wdg_format_jsonl,
    &wdg_format_xenia,
};
enum { N_FORMATS = sizeof registry / sizeof registry[0] };
_Static_assert(N_FORMATS <= 32, "wdg_detector.hit has a bit per format");

void wdg_detect_init(wdg_detector *d, const wdg_templates *ts)
{
    memset(d, 0, sizeof *d);
    d->ts = ts && wdg_templates_count(ts) ? ts : NULL;
}

/* Can entry i still say yes to a line after the seen ones? */
static int may_look(const wdg_detector *d, unsigned i)
{
    unsigned flags = registry[i]->flags;
    if ((flags & WDG_FMT_TEMPLATES) && !d->ts)
        return 0;
    return !(flags & WDG_FMT_FIRST_LINE) || d->seen == 0;
}

void wdg_detect_line(wdg_detector *d, const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == n)
        return;
    if (line[n - 1] == '\r')
        n--;
    for (unsigned f = 0; f < N_FORMATS; f++)
        if (!(d->hit & (1u << f)) && may_look(d, f) && registry[f]->line_looks(d->ts, line, n))
            d->hit |= 1u << f;
    d->seen++;
}

static int first_hit(const wdg_detector *d)
{
    for (unsigned f = 0; f < N_FORMATS; f++)
        if (d->hit & (1u << f))
            return (int)f;
    return -1;
}

const wdg_format_def *wdg_detect_result(const wdg_detector *d)
{
    int f = first_hit(d);
    return f < 0 ? NULL : registry[f];
}

const char *wdg_detect_none_name(const wdg_detector *d) { return d->seen ? "unknown" : "empty"; }

/* Settled when some format was seen and no format before it in the
 * registry can still claim a later line; a format that may match any line
 * stops being waited for after the sample. */
int wdg_detect_settled(const wdg_detector *d)
{
    int hit = first_hit(d);
    if (hit < 0)
        return 0;
    for (unsigned f = 0; f < (unsigned)hit; f++)
        if (may_look(d, f) && d->seen < SAMPLE_LINES)
            return 0;
    return 1;
}
