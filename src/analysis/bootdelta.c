/* Boot delta (docs/analysis.md): each thread pair's early token
 * streams diffed with Myers, and the milestones whose times skew. */
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/map.h"
#include "wedge/bootdelta.h"
#include "wedge/diff.h"
#include "wedge/report.h"

enum { SLACK_MIN = 64 };
/* The Myers steps all pairs of a boot delta may take together (each pair
 * has its own bound too): past it, the pairs left are diffed with what
 * remains, at least one step, and come out bounded.  10^8 steps is about
 * half a second; sixty pairs whose streams share nothing took a minute
 * under the bound per pair alone. */
#define BOOT_TOTAL_COST (WDG_DIFF_DEFAULT_COST / 2)
#define SKEW_MIN_NS 10000000  /* 10 ms */

wdg_token_parts wdg_token_of(const wdg_trace *t, size_t event)
{
    const wdg_event *e = &t->events[event];
    wdg_token_parts p = {wdg_ops_name(t->ops, e->op), (e->flags & WDG_EV_LR) != 0, wdg_ev_lr(e)};
    return p;
}

size_t wdg_token_run(const uint32_t *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && s[k] == s[i])
        k++;
    return k - i;
}

/* tokens as small ids shared by both traces (the op table is shared); an
 * op's aliases make one token with it; the call site is part of it when
 * both streams know call sites (use_lr) */
/* The last token looked up: a stream repeats its token in runs (loops,
 * polls), and a hash probe per event was most of the boot delta. */
typedef struct token_cache {
    uint64_t key;
    uint32_t id;
    int valid;
} token_cache;

/* An event's token with its call site, when it has one: op << 34 |
 * (site key << 1 | 1); the op alone is raw >> 34 << 34. */
static uint64_t raw_token(const wdg_ops *ops, const wdg_event *e)
{
    uint64_t op = wdg_ops_canonical(ops, e->op);
    return op << 34 | ((e->flags & WDG_EV_LR) ? wdg_addr_key33(wdg_ev_lr(e)) << 1 | 1 : 0);
}

static uint32_t token_id(wdg_map *ids, token_cache *tc, uint64_t raw, int use_lr)
{
    uint64_t key = use_lr ? raw : raw >> 34 << 34;
    if (tc->valid && tc->key == key)
        return tc->id;
    uint64_t *v = wdg_map_put(ids, key, ids->count, NULL);
    if (!v)
        return UINT32_MAX;
    *tc = (token_cache){key, (uint32_t)*v, 1};
    return tc->id;
}

/* t (never negative), or the event index for traces without t */
static uint64_t ev_time(const wdg_trace *t, const wdg_event *e, size_t index)
{
    return t->all_t ? (uint64_t)e->t : (uint64_t)index;
}

/* The events of a thread that make tokens: of a category both engines
 * observe (a token the other engine cannot show is no difference), up to
 * limit tokens and, unless whole, before window; raw gets their
 * raw_token()s (read here, while the event is at hand: a thread's events
 * lie scattered through the trace), *has_lr whether one has a call site. */
#define PREFETCH_AHEAD 16

static size_t keep_tokens(size_t *out, uint64_t *raw, int *has_lr, const wdg_ops *ops,
                          const wdg_trace *t, const size_t *events, size_t n, unsigned common, size_t limit,
                          uint64_t window, int whole)
{
    size_t k = 0;
    *has_lr = 0;
    for (size_t i = 0; i < n && k < limit; i++) {
        const wdg_event *e = &t->events[events[i]];
#if defined(__GNUC__)
        /* the events ahead: a cache miss each, and this loop waited on them */
        if (i + PREFETCH_AHEAD < n)
            __builtin_prefetch(&t->events[events[i + PREFETCH_AHEAD]]);
#endif
        if (!whole && ev_time(t, e, events[i]) >= window)
            break;
        if (common & WDG_CAT_BIT(wdg_ev_cat(t->ops, e))) {
            raw[k] = raw_token(ops, e);
            *has_lr |= (e->flags & WDG_EV_LR) != 0;
            out[k++] = events[i];
        }
    }
    return k;
}

int wdg_boot_streams(wdg_streams *st, const wdg_report *r, uint32_t rt, uint32_t ct,
                     uint64_t window, int whole, wdg_error *err)
{
    wdg_map ids = WDG_MAP_INIT;
    memset(st, 0, sizeof *st);
    const wdg_thread *rth = wdg_diag_ref_thread(&r->diag, rt);
    const wdg_thread *cth = wdg_diag_cand_thread(&r->diag, ct);
    if (!rth || !cth)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "no thread %u in %s", rth ? ct : rt,
                             rth ? "cand" : "ref");
    size_t nr, nc;
    const size_t *re = wdg_diag_thread_events(&r->diag, rth, &nr);
    const size_t *ce = wdg_diag_thread_events(&r->diag, cth, &nc);
    unsigned common = r->ref->observes & r->cand->observes;
    st->ref_events = malloc((nr + 1) * sizeof *st->ref_events);
    st->cand_events = malloc((nc + 1) * sizeof *st->cand_events);
    uint64_t *raw_a = malloc((nr + 1) * sizeof *raw_a), *raw_b = malloc((nc + 1) * sizeof *raw_b);
    if (!st->ref_events || !st->cand_events || !raw_a || !raw_b)
        goto oom;
    /* ref: the window; cand: as many tokens plus the slack an edit script
     * needs (its clock may run slower, so time does not cut it) */
    int lr_a, lr_b;
    size_t n = keep_tokens(st->ref_events, raw_a, &lr_a, r->ref->ops, r->ref, re, nr, common, SIZE_MAX,
                           window, whole);
    size_t slack = n / 4 > SLACK_MIN ? n / 4 : SLACK_MIN;
    size_t m = keep_tokens(st->cand_events, raw_b, &lr_b, r->ref->ops, r->cand, ce, nc, common,
                           whole ? SIZE_MAX : n + slack, 0, 1);
    st->n = n;
    st->m = m;
    st->a = malloc((n + 1) * sizeof *st->a);
    st->b = malloc((m + 1) * sizeof *st->b);
    if (!st->a || !st->b)
        goto oom;
    /* a stream with no call sites (a xenia-log reference) against one with
     * them: compare the ops alone, or nothing would ever match.  The op
     * table is the ref's (the cand's op ids are mapped into it). */
    int use_lr = lr_a && lr_b;
    token_cache tc = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        if ((st->a[i] = token_id(&ids, &tc, raw_a[i], use_lr)) == UINT32_MAX)
            goto oom;
    for (size_t i = 0; i < m; i++)
        if ((st->b[i] = token_id(&ids, &tc, raw_b[i], use_lr)) == UINT32_MAX)
            goto oom;
    free(raw_a);
    free(raw_b);
    wdg_map_free(&ids);
    return 0;
oom:
    free(raw_a);
    free(raw_b);
    wdg_map_free(&ids);
    wdg_streams_free(st);
    return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (boot delta)");
}

void wdg_streams_free(wdg_streams *st)
{
    free(st->ref_events);
    free(st->cand_events);
    free(st->a);
    free(st->b);
    memset(st, 0, sizeof *st);
}

int wdg_pair_diff_build(wdg_pair_diff *pd, const wdg_report *r, uint32_t ref_tid,
                        uint32_t cand_tid, int whole, wdg_error *err)
{
    memset(pd, 0, sizeof *pd);
    pd->ref_tid = ref_tid;
    pd->cand_tid = cand_tid;
    pd->whole = whole;
    int rc = wdg_boot_streams(&pd->st, r, ref_tid, cand_tid, r->boot.window, whole, err);
    if (rc >= 0)
        rc = wdg_diff_folded(&pd->diff, pd->st.a, pd->st.n, pd->st.b, pd->st.m, 0, err);
    if (rc < 0)
        wdg_pair_diff_free(pd);
    return rc;
}

void wdg_pair_diff_free(wdg_pair_diff *pd)
{
    wdg_streams_free(&pd->st);
    wdg_diff_free(&pd->diff);
}

/* The runs of a (up to 3) that end at index, in order: a run that goes
 * on past index is cut there. */
static void runs_before(wdg_thread_delta *out, const wdg_streams *st, size_t index)
{
    size_t starts[3], lens[3], end = index;
    int k = 0;
    while (k < 3 && end > 0) {
        size_t s = end - 1;
        while (s > 0 && st->a[s - 1] == st->a[end - 1])
            s--;
        /* a run shorter than the fold prints token by token */
        if (end - s < WDG_FOLD_MIN)
            s = end - 1;
        starts[k] = s;
        lens[k++] = end - s;
        end = s;
    }
    for (int i = 0; i < k; i++) {
        out->before[i] = st->ref_events[starts[k - 1 - i]];
        out->before_run[i] = lens[k - 1 - i];
    }
    out->n_before = k;
}

static int pair_delta(const wdg_report *r, wdg_boot_delta *bd, uint32_t rt, uint32_t ct,
                      uint64_t *spent, wdg_thread_delta *out, wdg_error *err)
{
    wdg_streams st;
    wdg_diff d = {0};
    memset(out, 0, sizeof *out);
    out->ref_tid = rt;
    out->cand_tid = ct;
    int rc = wdg_boot_streams(&st, r, rt, ct, bd->window, 0, err);
    if (rc < 0)
        return rc;
    size_t n = st.n, m = st.m;
    out->ref_tokens = n;
    out->cand_tokens = m;
    uint64_t left = *spent < BOOT_TOTAL_COST ? BOOT_TOTAL_COST - *spent : 1;
    if ((rc = wdg_diff_folded(&d, st.a, n, st.b, m, left < WDG_DIFF_DEFAULT_COST ? left : 0,
                              err)) < 0)
        goto done;
    *spent += d.cost;
    /* the cand tokens after the last one matched belong past the window */
    size_t runs = d.n_runs;
    if (runs && d.runs[runs - 1].kind == WDG_DIFF_INSERT && n < m) {
        d.inserted -= d.runs[runs - 1].len;
        runs--;
    }
    out->inserted = d.inserted;
    out->deleted = d.deleted;
    out->bounded = d.bounded;
    out->ref_event = out->cand_event = WDG_NO_EVENT;
    for (size_t i = 0; i < runs; i++) {
        if (d.runs[i].kind == WDG_DIFF_EQUAL)
            continue;
        out->differs = 1;
        out->index = d.runs[i].a_pos;
        size_t bp = d.runs[i].b_pos;
        /* what stands at that place on each side */
        if (out->index < n)
            out->ref_event = st.ref_events[out->index];
        if (bp < m)
            out->cand_event = st.cand_events[bp];
        out->ref_run = wdg_token_run(st.a, n, out->index);
        out->cand_run = wdg_token_run(st.b, m, bp);
        runs_before(out, &st, out->index);
        break;
    }
done:
    wdg_diff_free(&d);
    wdg_streams_free(&st);
    return rc;
}

typedef struct by_t {
    int64_t t;
    size_t i;
} by_t;

static int by_ref_t(const void *x, const void *y)
{
    const by_t *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* By ref_t, ties in the order they were added: qsort alone is not stable
 * everywhere, and the order of ties shows in report.md. */
static int sort_milestones(wdg_boot_delta *bd)
{
    size_t n = bd->n_milestones;
    if (n < 2)
        return 0;
    by_t *o = malloc(n * sizeof *o);
    wdg_milestone *sorted = malloc(n * sizeof *sorted);
    if (!o || !sorted) {
        free(o);
        free(sorted);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (by_t){bd->milestones[i].ref_t, i};
    qsort(o, n, sizeof *o, by_ref_t);
    for (size_t i = 0; i < n; i++)
        sorted[i] = bd->milestones[o[i].i];
    free(o);
    free(bd->milestones);
    bd->milestones = sorted;
    return 0;
}

static int add_milestone(wdg_boot_delta *bd, size_t *cap, const wdg_milestone *m)
{
    if (wdg_grow((void **)&bd->milestones, cap, bd->n_milestones + 1, sizeof *bd->milestones,
                 32) < 0)
        return -1;
    bd->milestones[bd->n_milestones++] = *m;
    return 0;
}

static int milestones(const wdg_report *r, wdg_boot_delta *bd)
{
    const wdg_diagnosis *d = &r->diag;
    size_t cap = 0;
    /* thread starts: the k-th thread at entry X in ref with its analog */
    for (size_t i = 0; i < d->n_ref_threads; i++) {
        const wdg_thread *t = &d->ref_threads[i];
        if (!t->has_entry || !t->count)
            continue;
        wdg_milestone m;
        memset(&m, 0, sizeof m);
        m.kind = WDG_MILESTONE_THREAD_START;
        m.entry_pc = t->entry_pc;
        m.ref_event = t->first;
        m.cand_event = WDG_NO_EVENT;
        m.ref_tid = t->tid;
        m.ref_t = r->ref->events[t->first].t - r->ref->first_t;
        const wdg_thread *c = t->has_analog ? wdg_diag_cand_thread(d, t->analog) : NULL;
        if (c && c->count) {
            m.has_cand = 1;
            m.cand_event = c->first;
            m.cand_tid = c->tid;
            m.cand_t = r->cand->events[c->first].t - r->cand->first_t;
        }
        if (add_milestone(bd, &cap, &m) < 0)
            return -1;
    }
    /* each key's first event in both */
    size_t nk = r->keys.n;
    size_t *first_ref = malloc((nk + 1) * sizeof *first_ref);
    size_t *first_cand = malloc((nk + 1) * sizeof *first_cand);
    if (!first_ref || !first_cand) {
        free(first_ref);
        free(first_cand);
        return -1;
    }
    for (size_t k = 0; k < nk; k++)
        first_ref[k] = first_cand[k] = WDG_NO_EVENT;
    for (size_t i = 0; i < r->ref->n_events; i++)
        if (r->keys.ref_key[i] != WDG_NO_KEY && first_ref[r->keys.ref_key[i]] == WDG_NO_EVENT)
            first_ref[r->keys.ref_key[i]] = i;
    for (size_t i = 0; i < r->cand->n_events; i++)
        if (r->keys.cand_key[i] != WDG_NO_KEY && first_cand[r->keys.cand_key[i]] == WDG_NO_EVENT)
            first_cand[r->keys.cand_key[i]] = i;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < nk; k++) {
        if (first_ref[k] == WDG_NO_EVENT)
            continue;
        const wdg_event *e = &r->ref->events[first_ref[k]];
        wdg_milestone m;
        memset(&m, 0, sizeof m);
        m.kind = WDG_MILESTONE_KEY_FIRST;
        m.key = (uint32_t)k;
        m.ref_event = first_ref[k];
        m.cand_event = first_cand[k];
        m.ref_tid = e->tid;
        m.ref_t = e->t - r->ref->first_t;
        if (first_cand[k] != WDG_NO_EVENT) {
            m.has_cand = 1;
            m.cand_tid = r->cand->events[first_cand[k]].tid;
            m.cand_t = r->cand->events[first_cand[k]].t - r->cand->first_t;
        }
        rc = add_milestone(bd, &cap, &m);
    }
    free(first_ref);
    free(first_cand);
    if (rc < 0)
        return rc;
    if (sort_milestones(bd) < 0)
        return -1;
    bd->skew_start = -1;
    /* The skew rule: late by more than twice and by 10 ms at least, so that tiny
     * early times (4.8 us against 5.4 ms) never start a skew */
    for (size_t i = 0; i < bd->n_milestones; i++) {
        wdg_milestone *m = &bd->milestones[i];
        if (!m->has_cand)
            continue;
        if (m->ref_t > 0) {
            m->has_ratio = 1;
            m->ratio = (double)m->cand_t / (double)m->ref_t;
        }
        /* both are >= 0: late - ref_t > ref_t is cand_t > 2 ref_t, unbounded */
        int64_t late = m->cand_t - m->ref_t;
        if (bd->skew_start < 0 && late > m->ref_t && late >= SKEW_MIN_NS)
            bd->skew_start = (long)i;
    }
    return 0;
}

int wdg_boot_window(wdg_boot_delta *bd, const wdg_report *r, int64_t window)
{
    memset(bd, 0, sizeof *bd);
    bd->skew_start = -1;
    bd->has_t = r->ref->all_t && r->cand->all_t;
    bd->left_out = (r->ref->observes ^ r->cand->observes) & WDG_CAT_ALL;
    const wdg_trace *ref = r->ref;
    /* t is never negative: one past the last t fits in the unsigned window */
    if (window >= 0) {
        bd->window = (uint64_t)window;
        bd->window_given = 1;
    } else if (r->first_divergence.found) {
        bd->window = ev_time(ref, &ref->events[r->first_divergence.event],
                             r->first_divergence.event);
    } else {
        /* one past the ref's span: an event index past it when untimed */
        const wdg_span *sp = &r->keys.span;
        bd->window = ref->all_t ? (uint64_t)sp->end[WDG_SIDE_REF] + 1 : sp->count[WDG_SIDE_REF];
    }
    return 0;
}

int wdg_boot_delta_build(wdg_boot_delta *bd, const wdg_report *r, int64_t window, wdg_error *err)
{
    wdg_boot_window(bd, r, window);
    const wdg_diagnosis *d = &r->diag;
    int rc = 0;
    bd->threads = calloc(d->n_pairs + 1, sizeof *bd->threads);
    if (!bd->threads)
        goto oom;
    /* main first: the ref thread nobody created that started first */
    long main_pair = -1;
    size_t main_first = SIZE_MAX;
    uint64_t spent = 0;
    for (size_t i = 0; i < d->n_pairs; i++) {
        const wdg_thread *t = wdg_diag_ref_thread(d, d->pairs[i].ref);
        if (t && t->count && !t->has_creator && t->first < main_first) {
            main_first = t->first;
            main_pair = (long)i;
        }
    }
    for (long pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < d->n_pairs; i++) {
            if ((pass == 0) != ((long)i == main_pair))
                continue;
            wdg_thread_delta td;
            if ((rc = pair_delta(r, bd, d->pairs[i].ref, d->pairs[i].cand, &spent, &td, err)) < 0)
                goto done;
            if (td.ref_tokens)
                bd->threads[bd->n_threads++] = td;
        }
    if (bd->has_t && milestones(r, bd) < 0)
        goto oom;
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (boot delta)");
done:
    if (rc < 0)
        wdg_boot_delta_free(bd);
    return rc;
}

void wdg_boot_delta_free(wdg_boot_delta *bd)
{
    free(bd->threads);
    free(bd->milestones);
    memset(bd, 0, sizeof *bd);
    bd->skew_start = -1;
}
