/* trace_build.h - how readers fill a wdg_trace (internal, model layer).
 * Turning a reader's record into events is src/formats/append.c. */
#ifndef WEDGE_TRACE_BUILD_H
#define WEDGE_TRACE_BUILD_H

#include "wedge/trace.h"
#include "../base/map.h"

/* The events a folding read has counted and dropped (wdg_trace_fold):
 * what wdg_trace_finalize() needs of them, none of it in line order but
 * first_line, last_line and last_t. */
struct wdg_fold {
    uint64_t n, by_cat[WDG_CAT_COUNT], producers, producers_with_lr;
    unsigned seen;              /* category bits */
    int any_t;                  /* some event had t */
    int64_t min_t, max_t, last_t;   /* last_t: the last timed event's */
    uint64_t untimed;           /* events without t */
    uint32_t first_line, last_line;
    wdg_map tids;               /* the tids seen, also listed in tid_list */
    uint32_t *tid_list;
    size_t n_tids, cap_tids;
};

/* Counts t's events into t->fold and drops them (events, ext records,
 * words; the arrays keep their room), so that reading a trace for its
 * counts holds a bounded number of events.  Only for events nothing
 * refers to later (no probe events, no reader state naming events). */
int wdg_trace_fold(wdg_trace *t, wdg_error *err);

/* Where the words of event e's record (wedge/trace.h) lie in t->words,
 * UINT32_MAX for a field it lacks; objs and frames are their length
 * words, the elements follow.  end: one past the record. */
typedef struct wdg_ext_pos {
    uint32_t cycle, timeout, ret, pc, entry_pc, new_tid, alias, count, objs, frames, end;
} wdg_ext_pos;
void wdg_ext_layout(const wdg_trace *t, const wdg_event *e, wdg_ext_pos *p);
/* A list's words: n elements of one word, or two when wide. */
static inline uint32_t wdg_list_words(uint32_t n, int wide)
{
    return wide ? 2 * n : n;
}

/* A copy of ops with the same ids and site indexes, or NULL (out of
 * memory); free with wdg_ops_free(). */
wdg_ops *wdg_ops_clone(const wdg_ops *ops);

int wdg_trace_new(wdg_trace **out, const char *path, wdg_ops *ops, wdg_error *err);
void wdg_trace_set_header(wdg_trace *t, int has_observes, unsigned observes,
                          const char *engine, const char *title_id, const char *module_hash);
/* Counts a malformed line; under strict returns WDG_EMALFORMED naming it. */
int wdg_trace_add_malformed(wdg_trace *t, uint64_t line, int reason, const char *msg,
                            int strict, wdg_error *err);

#endif
