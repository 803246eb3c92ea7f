/* Format detection from the first lines of a trace. */
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

/* Looks at up to SAMPLE_LINES complete non-blank lines.  A template that
 * matches a line wins (the user asked for it); then JSONL when the first
 * non-blank line opens an object; then xenia when any line has its shape. */
wdg_format wdg_detect_format(const char *data, size_t len, int at_eof,
                             const wdg_templates *ts)
{
    size_t pos = 0;
    int seen = 0, first_is_json = -1, xenia = 0, tmpl = 0;
    wdg_rec rec;
    wdg_line_result res;
    while (pos < len && seen < SAMPLE_LINES) {
        const char *line = data + pos;
        const char *nl = memchr(line, '\n', len - pos);
        if (!nl && !at_eof) {
            /* a partial line (longer than the sample): only its start counts */
            size_t i = 0;
            while (i < len - pos && (line[i] == ' ' || line[i] == '\t'))
                i++;
            if (first_is_json < 0 && i < len - pos) {
                first_is_json = line[i] == '{';
                seen++;
            }
            break;
        }
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        size_t i = 0;
        while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i == n)
            continue;
        seen++;
        if (first_is_json < 0)
            first_is_json = line[i] == '{';
        if (n && line[n - 1] == '\r')
            n--;
        if (ts && wdg_templates_count(ts) &&
            wdg_templates_parse(ts, line, n, &rec, &res) != LINE_IGNORED)
            tmpl = 1;
        if (wdg_xenia_line_looks(line, n))
            xenia = 1;
    }
    if (tmpl)
        return FMT_TEMPLATE;
    if (first_is_json == 1)
        return FMT_JSONL;
    if (xenia)
        return FMT_XENIA;
    if (seen == 0)
        return FMT_EMPTY;
    return FMT_UNKNOWN;
}
