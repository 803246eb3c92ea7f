#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"
#include "../base/grow.h"
#include "../base/map.h"
#include "trace_build.h"

static const char *const reason_names[WDG_MAL_COUNT] = {
    "syntax", "type", "range", "missing", "too_long", "unresolved", "truncated"};

const char *wdg_malformed_reason_name(int reason)
{
    return reason >= 0 && reason < WDG_MAL_COUNT ? reason_names[reason] : "?";
}

const char *wdg_end_reason_name(int reason)
{
    static const char *const names[] = {NULL, "exit", "signal", "killed"};
    return reason > 0 && (size_t)reason < sizeof names / sizeof names[0] ? names[reason] : NULL;
}

const char *wdg_trace_display_name(const wdg_trace *t)
{
    return strcmp(t->path, "-") == 0 ? "<stdin>" : t->path;
}

int wdg_trace_new(wdg_trace **out, const char *path, wdg_ops *ops, wdg_error *err)
{
    wdg_trace *t = calloc(1, sizeof *t);
    if (t)
        t->path = strdup(path);
    if (!t || !t->path) {
        free(t);
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    }
    t->ops = ops;
    t->format = "unknown";
    t->compression = "none";
    *out = t;
    return 0;
}

void wdg_trace_free(wdg_trace *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->events);
    free(t->words);
    free(t->imports);
    if (t->fold) {
        wdg_map_free(&t->fold->tids);
        free(t->fold->tid_list);
    }
    free(t->fold);
    free(t);
}

void wdg_trace_set_header(wdg_trace *t, int has_observes, unsigned observes,
                          const char *engine, const char *title_id, const char *module_hash)
{
    t->has_header = 1;
    if (has_observes) {
        t->has_observes = 1;
        t->header_observes = observes;
    }
    wdg_utf8_snprintf(t->engine, sizeof t->engine, "%s", engine);
    wdg_utf8_snprintf(t->title_id, sizeof t->title_id, "%s", title_id);
    wdg_utf8_snprintf(t->module_hash, sizeof t->module_hash, "%s", module_hash);
}

int wdg_trace_add_malformed(wdg_trace *t, uint64_t line, int reason, const char *msg,
                            int strict, wdg_error *err)
{
    t->malformed++;
    if (reason >= 0 && reason < WDG_MAL_COUNT)
        t->malformed_by_reason[reason]++;
    if (t->n_samples < WDG_MALFORMED_SAMPLES) {
        wdg_malformed_sample *s = &t->samples[t->n_samples++];
        s->line = line;
        s->reason = reason;
        wdg_utf8_snprintf(s->msg, sizeof s->msg, "%s", msg);
    }
    if (strict)
        return wdg_error_set(err, WDG_EMALFORMED, wdg_trace_display_name(t), line,
                             "malformed line: %s", msg);
    return 0;
}

/* A record's fields in their order: each takes words when the event's
 * flags name it. */
static uint32_t take(uint32_t *at, uint32_t flags, uint32_t bit, uint32_t words)
{
    if (!(flags & bit))
        return UINT32_MAX;
    uint32_t p = *at;
    *at += words;
    return p;
}

void wdg_ext_layout(const wdg_trace *t, const wdg_event *e, wdg_ext_pos *p)
{
    uint32_t at = e->slot, f = e->flags;   /* past the line */
    p->cycle = take(&at, f, WDG_EV_CYCLE, 2);
    p->timeout = take(&at, f, WDG_EV_TIMEOUT_VALUE, 2);
    p->ret = take(&at, f, WDG_EV_RET, 2);
    p->pc = take(&at, f, WDG_EV_PC, 1);
    p->entry_pc = take(&at, f, WDG_EV_ENTRY, 1);
    p->new_tid = take(&at, f, WDG_EV_NEW_TID, 1);
    p->alias = take(&at, f, WDG_EV_ALIAS, 1);
    p->count = take(&at, f, WDG_EV_COUNT, 1);
    p->objs = take(&at, f, WDG_EV_OBJS, 1);
    if (p->objs != UINT32_MAX)
        at += wdg_list_words(t->words[p->objs], (wdg_ev_xsites(e) & WDG_X_OBJS_WIDE) != 0);
    p->frames = take(&at, f, WDG_EV_FRAMES, 1);
    if (p->frames != UINT32_MAX)
        at += wdg_list_words(t->words[p->frames], (wdg_ev_xsites(e) & WDG_X_FRAMES_WIDE) != 0);
    p->end = at;
}

static int64_t read64(const uint32_t *w)
{
    return (int64_t)((uint64_t)w[0] | (uint64_t)w[1] << 32);
}

/* One pass over the record in its order (wdg_ext_layout's): the analysis
 * reads records in its loops over every event. */
wdg_event_ext *wdg_event_ext_read(const wdg_trace *t, const wdg_event *e, wdg_event_ext *x)
{
    const uint32_t *w = t->words + e->slot;   /* past the line */
    uint32_t f = e->flags;
    memset(x, 0, sizeof *x);
    x->sites = wdg_ev_xsites(e);
    if (f & WDG_EV_CYCLE) x->cycle = read64(w), w += 2;
    if (f & WDG_EV_TIMEOUT_VALUE) x->timeout = read64(w), w += 2;
    if (f & WDG_EV_RET) x->ret = read64(w), w += 2;
    if (f & WDG_EV_PC) x->pc = *w++;
    if (f & WDG_EV_ENTRY) x->entry_pc = *w++;
    if (f & WDG_EV_NEW_TID) x->new_tid = *w++;
    if (f & WDG_EV_ALIAS) x->alias = *w++;
    if (f & WDG_EV_COUNT) x->count = *w++;
    if (f & WDG_EV_OBJS) {
        x->objs_n = *w++;
        x->objs_off = (uint32_t)(w - t->words);
        w += wdg_list_words(x->objs_n, (x->sites & WDG_X_OBJS_WIDE) != 0);
    }
    if (f & WDG_EV_FRAMES) {
        x->frames_n = *w++;
        x->frames_off = (uint32_t)(w - t->words);
    }
    return x;
}

/* Sorts a[0..n) by t, stably: the events are in line order, so ties keep
 * it (the line itself is in a record for some of them, out of a
 * comparator's reach).  Bottom-up merge sort through tmp (n events). */
static void sort_by_t(wdg_event *a, wdg_event *tmp, size_t n)
{
    wdg_event *src = a, *dst = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[j].t < src[i].t ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        wdg_event *s = src;
        src = dst, dst = s;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* Untimed events in a timed trace (events without t): each takes the t of the
 * nearest earlier timed event in line order (the events are still in
 * line order here), the leading ones the first timed t (or the last
 * timed t of the events folded before them); sorting by (t, line) then
 * keeps them right after that event.  Returns whether the trace is timed
 * (some event has t). */
static int place_untimed(wdg_trace *t)
{
    const struct wdg_fold *f = t->fold;
    size_t first = 0;
    while (first < t->n_events && !(t->events[first].flags & WDG_EV_T))
        first++;
    if (first == t->n_events && !(f && f->any_t))
        return 0;
    int64_t last = f && f->any_t ? f->last_t : t->events[first].t;
    for (size_t i = 0; i < t->n_events; i++) {
        wdg_event *e = &t->events[i];
        if (e->flags & WDG_EV_T) {
            last = e->t;
            continue;
        }
        e->t = last;
        e->flags |= WDG_EV_T | WDG_EV_T_PLACED;
        t->placed_t++;
    }
    return 1;
}

size_t wdg_trace_mem_bytes(const wdg_trace *t)
{
    return t->cap_events * sizeof *t->events + t->cap_words * sizeof *t->words +
           t->cap_imports * sizeof *t->imports;
}

/* *p (cap elements of size bytes) cut to n: the doubling of the read
 * leaves up to half of each array unused.  Shrinking cannot lose data; when
 * realloc refuses, the array stays as it was. */
static void shrink(void **p, size_t *cap, size_t n, size_t size)
{
    if (*cap <= n || n == 0)
        return;
    void *q = realloc(*p, n * size);
    if (q) {
        *p = q;
        *cap = n;
    }
}

/* One event into the counts.  The lines are taken once per batch
 * (wdg_trace_fold): an event with a record keeps its line there. */
static inline void fold_event(struct wdg_fold *f, const wdg_ops *ops, const wdg_event *e)
{
    unsigned cat = wdg_ev_cat(ops, e);
    f->by_cat[cat]++;
    f->seen |= WDG_CAT_BIT(cat);
    if (wdg_category_is_producer(cat)) {
        f->producers++;
        f->producers_with_lr += (e->flags & WDG_EV_LR) != 0;
    }
    if (!(e->flags & WDG_EV_T)) {
        f->untimed++;
        return;
    }
    int64_t v = e->t;
    if (!f->any_t) {
        f->min_t = f->max_t = v;
        f->any_t = 1;
    }
    f->min_t = v < f->min_t ? v : f->min_t;
    f->max_t = v > f->max_t ? v : f->max_t;
    f->last_t = v;
}

int wdg_trace_fold(wdg_trace *t, wdg_error *err)
{
    if (!t->fold) {
        t->fold = calloc(1, sizeof *t->fold);
        if (!t->fold)
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    struct wdg_fold *f = t->fold;
    const wdg_ops *ops = t->ops;
    if (!t->n_events)
        return 0;
    if (!f->n)
        f->first_line = wdg_ev_line(t, &t->events[0]);
    f->last_line = wdg_ev_line(t, &t->events[t->n_events - 1]);
    f->n += t->n_events;
    /* tids already put, by their low bits: most events are of a few
     * threads, so most skip the hash map (wedge stats folds every event) */
    struct { uint32_t tid, ok; } known[64] = {{0, 0}};
    for (size_t i = 0; i < t->n_events; i++) {
        int added = 0;
        uint32_t tid = t->events[i].tid;
        fold_event(f, ops, &t->events[i]);
        if (known[tid & 63].ok && known[tid & 63].tid == tid)
            continue;
        known[tid & 63].tid = tid;
        known[tid & 63].ok = 1;
        if (!wdg_map_put(&f->tids, tid, 0, &added) ||
            (added && wdg_grow((void **)&f->tid_list, &f->cap_tids, f->n_tids + 1,
                               sizeof *f->tid_list, 64) < 0))
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        if (added)
            f->tid_list[f->n_tids++] = tid;
    }
    t->n_events = t->n_words = 0;
    return 0;
}

/* The folded events' part of what finalize computes; tids holds the held
 * events' tids. */
static int add_fold(wdg_trace *t, wdg_map *tids, unsigned *seen)
{
    const struct wdg_fold *f = t->fold;
    if (!f || !f->n)
        return 0;
    for (size_t i = 0; i < f->n_tids; i++)
        if (!wdg_map_put(tids, f->tid_list[i], 0, NULL))
            return -1;
    t->counted += f->n;
    for (int c = 0; c < WDG_CAT_COUNT; c++)
        t->by_cat[c] += f->by_cat[c];
    t->producers += f->producers;
    t->producers_with_lr += f->producers_with_lr;
    *seen |= f->seen;
    if (t->all_t)   /* every folded untimed event would have been placed */
        t->placed_t += f->untimed;
    if (f->any_t) {
        if (!t->n_events || f->min_t < t->first_t)
            t->first_t = f->min_t;
        if (!t->n_events || f->max_t > t->last_t)
            t->last_t = f->max_t;
    }
    t->last_line = t->n_events ? t->last_line : f->last_line;
    t->first_line = f->first_line;
    return 0;
}

int wdg_trace_finalize(wdg_trace *t, wdg_error *err)
{
    shrink((void **)&t->events, &t->cap_events, t->n_events, sizeof *t->events);
    shrink((void **)&t->words, &t->cap_words, t->n_words, sizeof *t->words);
    wdg_map tids = WDG_MAP_INIT;
    t->all_t = place_untimed(t);
    t->producers = t->producers_with_lr = 0;
    t->counted = t->n_events;
    memset(t->by_cat, 0, sizeof t->by_cat);
    t->first_line = t->n_events ? wdg_ev_line(t, &t->events[0]) : 0;   /* still in line order */
    t->last_line = t->n_events ? wdg_ev_line(t, &t->events[t->n_events - 1]) : 0;
    unsigned seen = 0;
    int sorted = 1;
    for (size_t i = 0; i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        t->by_cat[wdg_ev_cat(t->ops, e)]++;
        if (!(e->flags & WDG_EV_T))
            t->all_t = 0;
        else if (i && (t->events[i - 1].flags & WDG_EV_T) && t->events[i - 1].t > e->t)
            sorted = 0;
        seen |= WDG_CAT_BIT(wdg_ev_cat(t->ops, e));
        if (wdg_category_is_producer(wdg_ev_cat(t->ops, e))) {
            t->producers++;
            if (e->flags & WDG_EV_LR)
                t->producers_with_lr++;
        }
        if (!wdg_map_put(&tids, e->tid, 0, NULL)) {
            wdg_map_free(&tids);
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        }
    }
    if (t->all_t && !sorted) {
        wdg_event *tmp = malloc(t->n_events * sizeof *tmp);
        if (!tmp) {
            wdg_map_free(&tids);
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        }
        sort_by_t(t->events, tmp, t->n_events);
        free(tmp);
    }
    if (t->all_t && t->n_events) {
        t->first_t = t->events[0].t;
        t->last_t = t->events[t->n_events - 1].t;
    } else {
        t->first_t = t->last_t = 0;
    }
    if (add_fold(t, &tids, &seen) < 0) {
        wdg_map_free(&tids);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    t->threads = (uint32_t)tids.count;
    wdg_map_free(&tids);
    t->observes = t->has_observes ? t->header_observes : seen;
    return 0;
}
