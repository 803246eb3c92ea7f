/* html.h - report.html's parts (internal): the page (html.c), its SVG
 * drawings (html_svg.c) and its style and script (html_assets.c). */
#ifndef WEDGE_HTML_H
#define WEDGE_HTML_H

#include "wedge/report.h"

/* Caps that keep the page of a million-event pair loadable; the page says
 * what each one left out. */
#define HTML_MAX_KEYS 1500      /* key table rows */
#define HTML_KEY_HEAD 6         /* aligned rows per key: the first ones ... */
#define HTML_KEY_ONESIDED 6     /* ... and the first one-sided ones after them */
#define HTML_MAX_THREADS 400    /* thread table rows per engine */
#define HTML_MAX_PAIRS 16       /* timelines drawn */
#define HTML_MAX_DELTAS 200     /* boot delta rows */
#define HTML_MAX_MILESTONES 60
#define HTML_SIDE_ROWS 80       /* rows of the side-by-side boot streams */
#define HTML_SIDE_BLOCK 20      /* ... of them per change */
#define HTML_BINS 900           /* a timeline lane's width in columns */

/* s (n bytes) HTML-escaped: & < > " ' as entities, control characters
 * dropped; safe in text and in quoted attributes. */
void html_esc(wdg_buf *b, const char *s, size_t n);
void html_escs(wdg_buf *b, const char *s);
/* Markdown as report.md's renderers write it (paragraphs, "- " and "1. "
 * items, "##" headings, **bold**, `code`) as HTML, escaped. */
void html_md(wdg_buf *b, const char *s, size_t n);
/* "cache_thread 7", or "thread 7" when the family is unknown */
void html_label(const wdg_thread *th, uint32_t tid, char *out, size_t cap);
/* The time of event i of t as the analysis rebases it: ns since the
 * engine's first event, 1 us per event without t. */
int64_t html_rel_ns(const wdg_trace *t, size_t i);
/* The end of an engine's run, rebased. */
int64_t html_end_ns(const wdg_report *r, int side);

/* One root's ladders as a graph: a column of boxes per ladder, down to
 * the root's box. */
void html_ladder_svg(wdg_buf *b, const wdg_report *r, size_t root);
/* A timeline per thread pair; cand_at_div is the cand producer last
 * paired before the first divergence (WDG_NO_INDEX: none). */
/* wakes: both traces' wake-ups when the caller has them, else NULL */
int html_timelines(wdg_buf *b, const wdg_report *r, size_t cand_at_div, const wdg_wakes *wakes,
                   wdg_error *err);

/* NULL-ended pieces, written one after the other */
extern const char *const html_css[];
extern const char *const html_js[];

#endif
