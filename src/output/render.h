/* render.h - small formatting helpers shared by the renderers (internal). */
#ifndef WEDGE_RENDER_H
#define WEDGE_RENDER_H

#include "wedge/report.h"
#include "wedge/utf8.h"

#include "../base/jsonw.h"

/* v as "%.*f" (conv 'f') or "%.*g" (conv 'g') writes it in the C locale,
 * whatever the host's LC_NUMERIC: renderers format every fraction through
 * this, never through printf's %f or %g.  Returns out ("" if too small). */
const char *wdg_fmt_num(char *out, size_t cap, double v, char conv, int prec);
/* An address as text (wdg_addr_format with the run's site table):
 * "0x%08X", a wider value, or "module+0xOFF".  Returns out. */
const char *wdg_fmt_addr(const wdg_report *r, wdg_addr a, char *out, size_t cap);
/* The buffer wdg_fmt_addr needs for any address. */
#define WDG_ADDR_TEXT 160
/* "sub_824D21F0+0xAC", or the address as wdg_fmt_addr writes it. */
void wdg_fmt_function(const wdg_report *r, wdg_addr addr, char *out, size_t cap);
/* The JSON string of an address; null when !has. */
void wdg_json_addr(wdg_jw *w, const wdg_report *r, int has, wdg_addr a);
/* "release@0x824D229C" or "release:KeSetEvent". */
void wdg_fmt_key(const wdg_report *r, const wdg_key *k, char *out, size_t cap);
/* "x16452" style ratio between ref and cand for UNDER and OVER, else "". */
void wdg_fmt_ratio(const wdg_key *k, char *out, size_t cap);
/* "1st", "2nd", "23rd". */
void wdg_fmt_ordinal(uint64_t n, char *out, size_t cap);
/* A time of trace t: "277.967 ms" when it carries t, else "<what> N"
 * (a line or an event index). */
void wdg_fmt_when(const wdg_trace *t, int64_t v, const char *what, char *out, size_t cap);
/* span as a number: ns when the trace carries t, else lines. */
int wdg_trace_span(const wdg_trace *t, int64_t *span, const char **unit);

/* The most rows a table of report.md holds (a million keys made 71 MB of
 * Markdown); the rest are counted under the table, and keys.csv and
 * report.json hold every row. */
#define WDG_MD_MAX_ROWS 1000
/* How many of n rows a capped table leaves out. */
size_t wdg_md_over(size_t n);
/* The line under a table that left out that many rows ("full" names where
 * all of them are); nothing when it left out none. */
void wdg_md_rows_left_out(wdg_buf *b, size_t left, const char *full);

/* s inside a DOT string: quotes and backslashes escaped (Graphviz rejects
 * the file otherwise, and reads \N, \l and friends as its own escapes),
 * control characters and Markdown backquotes dropped; a newline becomes a
 * label's line break (\n) when line_breaks is set. */
void wdg_dot_text(wdg_buf *b, const char *s, int line_breaks);

/* The "malformed_by_reason" and "malformed_lines" members of a trace object. */
void wdg_json_malformed(wdg_jw *w, const wdg_trace *t);
/* The "truncated" and "truncated_reason" members of a trace object. */
void wdg_json_truncated(wdg_jw *w, const wdg_trace *t);

#endif
