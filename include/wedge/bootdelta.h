/* wedge/bootdelta.h - where the early boot sequences part, and where time
 * starts to skew (docs/analysis.md, "Boot delta").
 *
 * Built from a finished report (its traces, key table, first divergence and
 * thread map); owns its arrays; free with wdg_boot_delta_free().
 */
#ifndef WEDGE_BOOTDELTA_H
#define WEDGE_BOOTDELTA_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/diff.h"
#include "wedge/error.h"
#include "wedge/sites.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wdg_report;
struct wdg_trace;

/* A token is (op, lr), or op where lr is unknown: an event index names it.
 * Ops compare through wdg_ops_canonical; events of a category one of the
 * engines does not observe make no token.  Positions and counts are in
 * tokens; a run of WDG_FOLD_MIN or more equal tokens prints as one. */
#define WDG_FOLD_MIN 3

#ifndef WDG_NO_EVENT
#define WDG_NO_EVENT SIZE_MAX
#endif

typedef struct wdg_thread_delta {
    uint32_t ref_tid, cand_tid;
    size_t ref_tokens, cand_tokens;  /* compared: ref window, cand prefix */
    int differs;
    size_t index;                    /* first differing position */
    size_t ref_event, cand_event;    /* the tokens there, WDG_NO_EVENT past the end */
    size_t ref_run, cand_run;        /* equal tokens from there on in each stream */
    size_t before[3];                /* ref events of the runs before it */
    size_t before_run[3];            /* their lengths */
    int n_before;
    size_t inserted, deleted;
    int bounded;                     /* the diff hit its cost bound */
} wdg_thread_delta;

/* What a milestone is; renderers build its words (wdg_milestone_text(),
 * wedge/report.h). */
typedef enum wdg_milestone_kind {
    WDG_MILESTONE_THREAD_START,      /* a ref thread's first event, its analog's */
    WDG_MILESTONE_KEY_FIRST,         /* a key's first event in each trace */
    WDG_MILESTONE_KIND_COUNT
} wdg_milestone_kind;

typedef struct wdg_milestone {
    int kind;                        /* wdg_milestone_kind */
    wdg_addr entry_pc;               /* THREAD_START: the ref thread's entry */
    uint32_t key;                    /* KEY_FIRST: index into the report's key table */
    size_t ref_event;                /* the event it stands for in ref */
    size_t cand_event;               /* ... in cand, WDG_NO_EVENT unless has_cand */
    int64_t ref_t, cand_t;           /* ns since each trace's first event */
    int has_cand;
    int has_ratio;                   /* has_cand and ref_t > 0 */
    double ratio;                    /* cand_t / ref_t when has_ratio */
    uint32_t ref_tid, cand_tid;
} wdg_milestone;

typedef struct wdg_boot_delta {
    int has_t;                       /* both traces carry t (else no milestones) */
    uint64_t window;                 /* ref events before this t (or event index);
                                      * unsigned: one past t = INT64_MAX fits */
    int window_given;                /* --boot-window */
    wdg_thread_delta *threads;       /* main thread first */
    size_t n_threads;
    wdg_milestone *milestones;       /* in ref order (ties: thread starts in
                                      * thread order, then keys in key order) */
    size_t n_milestones;
    long skew_start;                 /* index into milestones, -1 when none */
    unsigned left_out;               /* category bits one engine only observes */
} wdg_boot_delta;

/* window < 0: the default window (up to the first divergence's t). */
/* The window of wdg_boot_delta_build() alone (bd's window, window_given,
 * has_t and left_out; no pair diffed, nothing to free): what one pair's
 * diff (wdg_pair_diff_build()) needs.  Returns 0. */
WDG_API int wdg_boot_window(wdg_boot_delta *bd, const struct wdg_report *r, int64_t window);
WDG_API int wdg_boot_delta_build(wdg_boot_delta *bd, const struct wdg_report *r, int64_t window,
                                 wdg_error *err);
WDG_API void wdg_boot_delta_free(wdg_boot_delta *bd);

/* One pair's token streams: the ref thread's tokens before window (all of
 * them with whole) and the cand thread's first as many plus slack (all with
 * whole), as event indexes and as token ids.  Owns its arrays: free with
 * wdg_streams_free. */
typedef struct wdg_streams {
    size_t *ref_events, *cand_events;
    uint32_t *a, *b;
    size_t n, m;
} wdg_streams;

WDG_API int wdg_boot_streams(wdg_streams *st, const struct wdg_report *r, uint32_t ref_tid,
                             uint32_t cand_tid, uint64_t window, int whole, wdg_error *err);
WDG_API void wdg_streams_free(wdg_streams *st);

/* wedge diff's analysis: one pair's streams (the boot window, or whole
 * threads with whole) and their edit script (wdg_diff_folded()).  Owns
 * both: free with wdg_pair_diff_free(). */
typedef struct wdg_pair_diff {
    uint32_t ref_tid, cand_tid;
    int whole;
    wdg_streams st;
    wdg_diff diff;
} wdg_pair_diff;

/* WDG_EUSAGE when either thread is not in the report's diagnosis. */
WDG_API int wdg_pair_diff_build(wdg_pair_diff *pd, const struct wdg_report *r, uint32_t ref_tid,
                                uint32_t cand_tid, int whole, wdg_error *err);
WDG_API void wdg_pair_diff_free(wdg_pair_diff *pd);

/* What the token of an event is made of, for its name: the op as trace t
 * names it (borrowed from its op table), and its call site when known.
 * The words are the output layer's (wdg_token_name(), wedge/report.h). */
typedef struct wdg_token_parts {
    const char *op;
    int has_lr;
    wdg_addr lr;
} wdg_token_parts;

WDG_API wdg_token_parts wdg_token_of(const struct wdg_trace *t, size_t event);
/* The length of the run of equal tokens s[i..] (0 when i >= n). */
WDG_API size_t wdg_token_run(const uint32_t *s, size_t n, size_t i);

#ifdef __cplusplus
}
#endif

#endif
