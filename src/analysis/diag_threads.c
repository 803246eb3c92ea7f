/* Threads per engine and their states (docs/analysis.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/radix.h"
#include "diag_internal.h"

long diag_thread_index(const engine_view *v, uint32_t tid)
{
    uint64_t *i = wdg_map_get(&v->by_tid, tid);
    return i ? (long)*i : -1;
}

wdg_addr diag_obj(const engine_view *v, wdg_addr obj)
{
    /* follow alias links a bounded number of times (they may chain) */
    for (int hops = 0; hops < 8; hops++) {
        uint64_t *to = wdg_map_get(&v->alias, obj);
        if (!to || *to == obj)
            break;
        obj = *to;
    }
    return obj;
}

int diag_wait_objs(const engine_view *v, const wdg_event *e, wdg_addr *out)
{
    int n = 0;
    /* the record only for a list: most waits name one obj */
    wdg_event_ext x_buf, *x = (e->flags & WDG_EV_OBJS) ? wdg_event_ext_of(v->t, e, &x_buf) : NULL;
    if (wdg_ev_cat(v->t->ops, e) == WDG_CAT_SIGNAL_WAIT) {
        /* signals obj, then waits on objs[0] */
        if (x && (e->flags & WDG_EV_OBJS) && x->objs_n)
            out[n++] = diag_obj(v, wdg_x_obj(v->t, x, 0));
        return n;
    }
    if (e->flags & WDG_EV_OBJ)
        out[n++] = diag_obj(v, wdg_ev_obj(e));
    if (x && (e->flags & WDG_EV_OBJS))
        for (uint32_t i = 0; i < x->objs_n && n < 64; i++)
            out[n++] = diag_obj(v, wdg_x_obj(v->t, x, i));
    return n;
}

static int add_thread(engine_view *v, uint32_t tid, size_t at, size_t *cap)
{
    if (wdg_grow((void **)&v->threads, cap, v->n + 1, sizeof *v->threads, 32) < 0)
        return -1;
    wdg_thread *th = &v->threads[v->n];
    memset(th, 0, sizeof *th);
    th->tid = tid;
    th->first = th->last = at;
    th->created_at = WDG_NO_INDEX;
    snprintf(th->family, sizeof th->family, "-");
    if (!wdg_map_put(&v->by_tid, tid, v->n, NULL))
        return -1;
    v->n++;
    return 0;
}

int diag_build_threads(engine_view *v, const wdg_trace *t, const wdg_symbols *s)
{
    size_t cap = 0;
    uint32_t last_tid = 0;
    long last_k = -1;
    v->t = t;
    for (size_t i = 0; i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        if (e->op == WDG_OP_OBJECT_ALIAS) {
            wdg_event_ext x_buf, *x = wdg_event_ext_of(t, e, &x_buf);
            /* the alias names the same object as obj */
            if (x && !wdg_map_put(&v->alias, wdg_x_alias(x), wdg_ev_obj(e), NULL))
                return -1;
        }
        /* runs of one thread's events: the last answer saves a probe */
        long k = e->tid == last_tid && last_k >= 0 ? last_k : diag_thread_index(v, e->tid);
        if (k < 0) {
            if (add_thread(v, e->tid, i, &cap) < 0)
                return -1;
            k = (long)v->n - 1;
        }
        last_tid = e->tid;
        last_k = k;
        wdg_thread *th = &v->threads[k];
        th->last = i;
        th->count++;
        if (wdg_ops_flags(t->ops, e->op) & WDG_OPF_TERMINATE)   /* thread.exit, ExTerminateThread */
            th->exited = 1;
    }
    /* creations: thread.create (or ExCreateThread with new_tid) names the
     * new thread's entry and creator */
    for (size_t i = 0; i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        /* the flags first: reading the record of every event was a tenth
         * of this function */
        if (!(e->flags & WDG_EV_NEW_TID) || wdg_ev_cat(t->ops, e) != WDG_CAT_THREAD)
            continue;
        wdg_event_ext x_buf, *x = wdg_event_ext_of(t, e, &x_buf);
        if (!x)
            continue;
        long k = diag_thread_index(v, x->new_tid);
        if (k < 0) {
            /* created, never ran: a thread of no events */
            if (add_thread(v, x->new_tid, i, &cap) < 0)
                return -1;
            k = (long)v->n - 1;
            v->threads[k].count = 0;
        }
        wdg_thread *th = &v->threads[k];
        if (th->created_at != WDG_NO_INDEX)
            continue;
        th->created_at = i;
        th->has_creator = 1;
        th->creator = e->tid;
        if (e->flags & WDG_EV_ENTRY) {
            th->has_entry = 1;
            th->entry_pc = wdg_x_entry_pc(x);
            if (!wdg_symbols_format(s, th->entry_pc, th->family, sizeof th->family))
                wdg_addr_format(wdg_ops_sites(t->ops), th->entry_pc, th->family,
                                sizeof th->family);
        }
    }
    /* events grouped by thread (a counting sort keeps their order) */
    v->start = calloc(v->n + 1, sizeof *v->start);
    v->by_thread = malloc((t->n_events + 1) * sizeof *v->by_thread);
    if (!v->start || !v->by_thread)
        return -1;
    tid_cache tc = TID_CACHE_INIT;
    for (size_t i = 0; i < t->n_events; i++)
        v->start[diag_thread_index_cached(v, &tc, t->events[i].tid) + 1]++;
    for (size_t k = 0; k < v->n; k++)
        v->start[k + 1] += v->start[k];
    size_t *fill = calloc(v->n + 1, sizeof *fill);
    if (!fill)
        return -1;
    for (size_t i = 0; i < t->n_events; i++) {
        long k = diag_thread_index_cached(v, &tc, t->events[i].tid);
        v->by_thread[v->start[k] + fill[k]++] = i;
    }
    free(fill);
    return 0;
}

void diag_free_view(engine_view *v)
{
    for (size_t k = 0; v->sigs && k < v->n; k++)
        idset_free(&v->sigs[k]);
    free(v->sigs);
    wdg_map_free(&v->by_tid);
    wdg_map_free(&v->alias);
    free(v->threads);          /* NULL once moved into a diagnosis */
    free(v->by_thread);
    free(v->start);
    memset(v, 0, sizeof *v);
}

/* The end of the run in ev-time: --ended-at wins over the last
 * trace.end marker, which wins over the header's ended_at; without any, the
 * last event.  An end before the last event is ignored (with a warning) and
 * the next source is tried; a trace without t can use only the marker, by
 * its line. */
static void run_end(wdg_run_end *re, const wdg_trace *t, int has_opt, int64_t opt)
{
    memset(re, 0, sizeof *re);
    re->source = WDG_END_LAST_EVENT;
    re->end = t->n_events ? ev_time(t, &t->events[t->n_events - 1]) : 0;
    struct { int has, source; int64_t at; } cand[3] = {
        {has_opt, WDG_END_OPTION, opt},
        {t->has_end_marker, WDG_END_MARKER, t->end_marker_t},
        {t->has_header_end, WDG_END_HEADER, t->header_end}};
    for (int i = 0; i < 3; i++) {
        if (!cand[i].has)
            continue;
        int64_t at = cand[i].at;
        if (!t->all_t && cand[i].source == WDG_END_MARKER)
            at = t->end_marker_line > INT64_MAX ? INT64_MAX : (int64_t)t->end_marker_line;
        int usable = t->all_t || cand[i].source == WDG_END_MARKER;
        if (usable && (!t->n_events || at >= re->end)) {
            re->source = cand[i].source;
            re->end = at;
            break;
        }
        if (!re->ignored) {
            re->ignored = 1;
            re->ignored_source = cand[i].source;
            re->ignored_end = cand[i].at;
        }
    }
    if (t->all_t && t->n_events) {
        re->has_ended_at = 1;
        re->ended_at = re->end - t->first_t;
    }
}

static int64_t threshold(const wdg_trace *t, int64_t end, const wdg_diagnosis_opts *o)
{
    int64_t first = t->n_events ? ev_time(t, &t->events[0]) : 0;
    if (!t->n_events)
        end = 0;
    if (o->silence_is_fraction) {
        /* a span near INT64_MAX times 100% rounds to 2^63: cap it */
        double v = (double)(end - first) * o->silence_fraction;
        return v >= (double)INT64_MAX ? INT64_MAX : (int64_t)v;
    }
    return o->silence;
}

static int blocks_for_good(const wdg_ops *ops, const wdg_event *e)
{
    return (wdg_ev_cat(ops, e) == WDG_CAT_WAIT || wdg_ev_cat(ops, e) == WDG_CAT_SIGNAL_WAIT) &&
           !(e->flags & WDG_EV_TIMEOUT);
}

/* The total hang (the end of a run): with no explicit end, a trace whose every live
 * thread (events, not exited) sits in a wait with no timeout stopped in a
 * hang, however short the last silence. */
static int all_blocked(const engine_view *v, const wdg_run_end *re)
{
    if (re->source != WDG_END_LAST_EVENT || re->ignored)
        return 0;
    size_t live = 0;
    for (size_t k = 0; k < v->n; k++) {
        const wdg_thread *th = &v->threads[k];
        if (th->exited || !th->count)
            continue;
        if (!blocks_for_good(v->t->ops, &v->t->events[th->last]))
            return 0;
        live++;
    }
    return live > 0;
}

/* wedged when its last event is a wait with an infinite
 * timeout, it has not exited, and it stayed there long enough (or the
 * whole trace ended in a hang) */
static void states(engine_view *v, wdg_run_end *re, int has_opt, int64_t opt,
                   const wdg_diagnosis_opts *o)
{
    const wdg_trace *t = v->t;
    run_end(re, t, has_opt, opt);
    v->silence = threshold(t, re->end, o);
    re->all_blocked = all_blocked(v, re);
    int64_t end = re->end;
    for (size_t k = 0; k < v->n; k++) {
        wdg_thread *th = &v->threads[k];
        th->state = WDG_TS_RUNNING;
        th->wedged_by = WDG_WEDGED_NONE;
        if (th->exited) {
            th->state = WDG_TS_EXITED;
            continue;
        }
        if (!th->count)
            continue;
        const wdg_event *e = &t->events[th->last];
        int silent = end - ev_time(t, e) >= v->silence;
        if (blocks_for_good(v->t->ops, e) && (silent || re->all_blocked)) {
            th->state = WDG_TS_WEDGED;
            th->wedged_by = silent ? WDG_WEDGED_SILENCE : WDG_WEDGED_ALL_BLOCKED;
        } else if (silent && wdg_ev_cat(v->t->ops, e) != WDG_CAT_WAIT && wdg_ev_cat(v->t->ops, e) != WDG_CAT_SIGNAL_WAIT) {
            /* a wait with a timeout comes back: such a thread is neither */
            th->state = WDG_TS_SILENT;
        }
    }
}

void diag_states(diag_ctx *c, const wdg_diagnosis_opts *o)
{
    states(&c->ref, &c->d->ref_end, o->has_ref_end, o->ref_end, o);
    states(&c->cand, &c->d->cand_end, o->has_cand_end, o->cand_end, o);
    c->d->ref_silence = c->ref.silence;
    c->d->cand_silence = c->cand.silence;
    /* a cand wedge is divergent unless its analog idles at the same wait */
    for (size_t k = 0; k < c->cand.n; k++) {
        wdg_thread *th = &c->cand.threads[k];
        if (th->state != WDG_TS_WEDGED)
            continue;
        th->divergent = 1;
        long r = th->has_analog ? diag_thread_index(&c->ref, th->analog) : -1;
        if (r < 0 || c->ref.threads[r].state != WDG_TS_WEDGED)
            continue;
        const wdg_event *ce = &c->cand.t->events[th->last];
        const wdg_event *re = &c->ref.t->events[c->ref.threads[r].last];
        int same = (ce->flags & WDG_EV_LR) && (re->flags & WDG_EV_LR) ? wdg_ev_lr(ce) == wdg_ev_lr(re)
                                                                      : ce->op == re->op;
        if (same)
            th->divergent = 0;
    }
}

/* --- id sets ---------------------------------------------------------- */

int idset_add(idset *s, uint64_t x)
{
    /* a thread repeats its last keys often (a loop of a few calls): the
     * sort need not see them again */
    for (size_t i = s->n, stop = s->n > 4 ? s->n - 4 : 0; i > stop; i--)
        if (s->v[i - 1] == x)
            return 0;
    if (wdg_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v, 16) < 0)
        return -1;
    s->v[s->n++] = x;
    return 0;
}

static int u64_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void insertion_sort(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* LSD radix sort by bytes, skipping the bytes all values share: a set is
 * sorted once per thread and object, and qsort's calls were most of the
 * diagnosis.  Without memory for the copy it falls back to qsort (the
 * same order). */
static void u64_sort(uint64_t *v, size_t n)
{
    if (n < 64) {
        insertion_sort(v, n);
        return;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    size_t(*count)[256] = calloc(8, sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        qsort(v, n, sizeof *v, u64_order);
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            count[b][(v[i] >> (8 * b)) & 0xff]++;
    uint64_t *src = v, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        if (count[b][(v[0] >> (8 * b)) & 0xff] == n)
            continue;
        wdg_radix_starts(count[b]);
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i] >> (8 * b)) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst, dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
    free(count);
}

void idset_finish(idset *s)
{
    if (!s->n)
        return;
    u64_sort(s->v, s->n);
    size_t w = 1;
    for (size_t i = 1; i < s->n; i++)
        if (s->v[i] != s->v[w - 1])
            s->v[w++] = s->v[i];
    s->n = w;
}

double idset_jaccard(const idset *a, const idset *b)
{
    if (!a->n && !b->n)
        return 0;
    size_t i = 0, j = 0, both = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] == b->v[j])
            both++, i++, j++;
        else if (a->v[i] < b->v[j])
            i++;
        else
            j++;
    }
    return (double)both / (double)(a->n + b->n - both);
}

void idset_free(idset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
