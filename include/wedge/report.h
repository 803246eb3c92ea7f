/* wedge/report.h - a comparison of two traces and its renderings:
 * Markdown for people, JSON (docs/analysis.md) for programs, CSV.
 *
 * Ownership: wdg_report_build() borrows ref, cand and symbols (they must
 * outlive the report) and owns the analysis it computes; free it with
 * wdg_report_free().  Renderers append to a caller-owned wdg_buf.
 */
#ifndef WEDGE_REPORT_H
#define WEDGE_REPORT_H

#include <stdio.h>

#include "wedge/api.h"
#include "wedge/analysis.h"
#include "wedge/bootdelta.h"
#include "wedge/critpath.h"
#include "wedge/buf.h"
#include "wedge/diagnosis.h"
#include "wedge/outfile.h"
#include "wedge/symbols.h"
#include "wedge/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_report_opts {
    double tolerance;        /* --tolerance, default 0.25 */
    const char *ref_name;    /* --ref-name, default "ref" */
    const char *cand_name;   /* --cand-name, default "cand" */
    wdg_diagnosis_opts diag; /* --tid-map, --silence */
    int64_t boot_window;     /* --boot-window ns; < 0 = up to the first divergence */
    wdg_span_method span;    /* --span, default progress */
    wdg_key_opts keys;       /* --key-by, --wrapper (symbols: the report's) */
    int one_pair;            /* 1 (wedge diff): the boot delta's window only, no pair
                                diffed, and no critical path (empty) */
    int threads;             /* 1: build on the calling thread alone; else the
                                per-trace and independent stages run on two */
} wdg_report_opts;

#define WDG_REPORT_OPTS_INIT                                                       \
    {0.25, NULL, NULL, WDG_DIAGNOSIS_OPTS_INIT, -1, WDG_SPAN_PROGRESS, WDG_KEY_OPTS_INIT, 0, 0}

/* The stages of wdg_report_build(), timed into wdg_report.stage_ns
 * (stages on two threads overlap); wdg_stage_name() names them. */
enum {
    WDG_STAGE_KEYS, WDG_STAGE_DIVERGENCE, WDG_STAGE_DIAGNOSIS, WDG_STAGE_VERDICT,
    WDG_STAGE_BOOT, WDG_STAGE_CRITPATH, WDG_STAGE_COUNT
};
WDG_API const char *wdg_stage_name(int stage);

typedef struct wdg_report {
    const wdg_trace *ref, *cand;
    const wdg_symbols *symbols;   /* may be NULL */
    wdg_report_opts opts;
    wdg_keytable keys;
    wdg_divergence first_divergence;     /* the headline */
    wdg_divergence first_shortfall;      /* the same event, for older readers */
    wdg_divergence first_key_divergence; /* first producer of a MISSING/UNDER key */
    wdg_diagnosis diag;
    wdg_boot_delta boot;
    wdg_critpath critpath;   /* families, their dependency graph, the frontier */
    uint64_t stage_ns[WDG_STAGE_COUNT];   /* wall ns per stage (WEDGE_STAGES=1) */
} wdg_report;

WDG_API int wdg_report_build(wdg_report *r, const wdg_trace *ref, const wdg_trace *cand,
                             const wdg_symbols *symbols, const wdg_report_opts *opts,
                             wdg_error *err);
WDG_API void wdg_report_free(wdg_report *r);

WDG_API void wdg_report_markdown(const wdg_report *r, wdg_buf *out);
WDG_API void wdg_report_json(const wdg_report *r, wdg_buf *out);
WDG_API void wdg_report_keys_csv(const wdg_report *r, wdg_buf *out);
/* The chronological sequence of both engines' producers side by side:
 * the n-th ref event of a key shares a row with the n-th cand event of
 * that key.  Streams to f (the caller commits or aborts it); WDG_EOUTPUT,
 * naming f's path and the reason, on a write error. */
WDG_API int wdg_report_aligned_csv(const wdg_report *r, wdg_outfile *f, wdg_error *err);

/* The wait-for graph in Graphviz DOT: wedged threads, rungs, roots. */
WDG_API void wdg_report_dot(const wdg_report *r, wdg_buf *out);

/* The critical path's family graph in Graphviz DOT (families.dot): families,
 * edges with their counts and status, the frontier bold. */
WDG_API void wdg_report_families_dot(const wdg_report *r, wdg_buf *out);

/* timeline.json (docs/wedge.md): both engines in the Chrome Trace Event
 * format for ui.perfetto.dev and chrome://tracing.  Times are ns since
 * each engine's first event (1 us per event for a trace without t).  A
 * window keeps events whose time lies in [from, to] of each engine; by
 * default the whole traces when each has at most 50000 events, else the
 * boot window and the approach to the hang.  Events stop once the file
 * would pass cap bytes (0: WDG_TIMELINE_CAP).  What was left out is in the
 * file's otherData and, as one line, appended to note (may be NULL).
 * Appends to out; WDG_ENOMEM is the only failure. */
#define WDG_TIMELINE_CAP ((uint64_t)100 * 1000 * 1000)

typedef struct wdg_timeline_opts {
    int has_window;            /* --timeline-window FROM:TO */
    int64_t from, to;          /* rebased ns, inclusive */
    uint64_t cap;              /* --timeline-cap bytes; 0: WDG_TIMELINE_CAP */
    /* both traces' wake-ups (ref, cand) from wdg_wakes_build() when the
     * caller has them (borrowed); NULL: built and freed by the call */
    const struct wdg_wakes *wakes;
} wdg_timeline_opts;

#define WDG_TIMELINE_OPTS_INIT {0, 0, 0, 0, NULL}

/* Parses --timeline-window FROM:TO (durations: "0:2s", "1.5s:3s"; an
 * empty TO is the end) into o; WDG_EUSAGE otherwise. */
WDG_API int wdg_parse_timeline_window(wdg_timeline_opts *o, const char *text, wdg_error *err);
WDG_API int wdg_report_timeline(const wdg_report *r, const wdg_timeline_opts *o, wdg_buf *out,
                                wdg_buf *note, wdg_error *err);
/* The same bytes written to f as they are made, a MiB at a time (the file
 * is up to cap bytes: no buffer of its size); a write's error too. */
WDG_API int wdg_report_timeline_file(const wdg_report *r, const wdg_timeline_opts *o,
                                     wdg_outfile *f, wdg_buf *note, wdg_error *err);

/* report.html (docs/wedge.md): one self-contained page (inline CSS, JS
 * and SVG; no network) with the verdict, the roots and their ladders, a
 * timeline per thread pair, the key table (sortable, filterable, each key
 * opening its aligned sequence), the thread map and the boot delta.  Every
 * text from the traces is HTML-escaped.  Large inputs are capped (the page
 * says what was left out).  o may be NULL; o->svg (borrowed, not copied
 * beyond the call) is the wait-for graph as Graphviz drew it
 * (waitgraph.svg), embedded as an image; NULL says it is absent, and
 * svg_note (may be NULL) why.  Appends to out; WDG_ENOMEM is the only
 * failure. */
typedef struct wdg_html_opts {
    const char *svg;           /* waitgraph.svg's bytes, or NULL */
    size_t svg_len;
    const char *svg_note;      /* why there is none: "Graphviz is not installed" */
    const struct wdg_wakes *wakes;   /* as in wdg_timeline_opts */
} wdg_html_opts;

#define WDG_HTML_OPTS_INIT {NULL, 0, NULL, NULL}

WDG_API int wdg_report_html(const wdg_report *r, const wdg_html_opts *o, wdg_buf *out,
                            wdg_error *err);

/* wedge diff: a pair diff (wdg_pair_diff_build(), wedge/bootdelta.h) side
 * by side, with context lines around each change and the ref column
 * width characters wide. */
WDG_API void wdg_render_diff(wdg_buf *out, const wdg_report *r, const wdg_pair_diff *pd,
                             int context, int width);

/* The report for a terminal (docs/wedge.md, "On a terminal"): the full
 * report's text, or with brief the verdict, the roots with their ladders,
 * the headline and the skew; wrapped and tables fitted to width columns
 * (at least 20), counted in characters (two for wide ones), never cut
 * inside one; ANSI colours by status and kind when color; control
 * characters from the input as '?'.  more, when not NULL, is a last line
 * (where the rest is).  Appends to out (out->oom on failure). */
typedef struct wdg_term_opts {
    int width;               /* columns */
    int color;               /* ANSI colours */
    int brief;               /* the one-screen form */
    const char *more;        /* a last line, or NULL */
} wdg_term_opts;

#define WDG_TERM_OPTS_INIT {80, 0, 0, NULL}

WDG_API void wdg_report_terminal(const wdg_report *r, const wdg_term_opts *o, wdg_buf *out);

/* wedge stats: what was read from one trace, as text or as one JSON object. */
WDG_API void wdg_stats_text(const wdg_trace *t, wdg_buf *out);
WDG_API void wdg_stats_json(const wdg_trace *t, wdg_buf *out);

/* A boot milestone in words (report.json's "what"): "cache_thread 7
 * starts (entry 0x82001000)", "thread 9 starts (...)" when the family is
 * an address, or "first set KeSetEvent@sub_824D2000+0x10".  At most 191
 * bytes, cut on a character boundary. */
WDG_API void wdg_milestone_text(const wdg_report *r, const wdg_milestone *m, char *out,
                                size_t cap);

/* A token in words (wdg_token_of()'s parts, wedge/bootdelta.h):
 * "KeWaitForSingleObject@sub_824D29F0+0xA0", or the op alone. */
WDG_API void wdg_token_name(const wdg_report *r, const wdg_trace *t, size_t event, char *out,
                            size_t cap);
/* The same for a run of count equal tokens: "NAME x COUNT" when count is
 * WDG_FOLD_MIN or more, else the name alone. */
WDG_API void wdg_token_run_name(const wdg_report *r, const wdg_trace *t, size_t event,
                                size_t count, char *out, size_t cap);

/* "277.967 ms"-style duration for ns. */
WDG_API void wdg_format_ns(int64_t ns, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
