/* truth.json: what the simulator knows about the two runs — per-key
 * counts, the true thread pairs, the threads blocked at the end, and the
 * injected faults as the root causes docs/analysis.md names, found by
 * following the program's own producer table, not by reading traces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "sim_truth.h"
#include "../base/grow.h"
#include "../base/jsonw.h"
#include "wedge/buf.h"
#include "wedge/ops.h"

static const char *family(const sim_run *r, int ti)
{
    return r->prog->tmpls[r->threads[ti].tmpl].family;
}

static int find_thread(const sim_run *r, int tmpl, int instance)
{
    for (int i = 0; i < r->nthreads; i++)
        if (r->threads[i].tmpl == tmpl && r->threads[i].instance == instance &&
            r->threads[i].spawned)
            return i;
    return -1;
}

/* --- where each trace ends and who is wedged (the end of a run) -------------- */

enum { MAXT = 64 };

typedef struct tctx {
    const sim_run *run[2];        /* ref, cand */
    const char *wedged_by[2][MAXT];  /* "silence", "all_blocked" or NULL */
    int64_t end[2];               /* the end in each trace's own t */
    int explicit_end[2];          /* a trace.end marker gave it */
} tctx;

/* The end of a run: silence to the end first; with no explicit end, a trace whose every
 * live thread ends in a wait with no timeout is a total hang. */
static void find_wedged(tctx *c, int e)
{
    const sim_run *r = c->run[e];
    int64_t end = c->end[e];
    int64_t threshold = (end - r->first_t) / 4;
    int live = 0, waiting = 0;
    for (int i = 0; i < r->nthreads && i < MAXT; i++) {
        const sim_thread_info *t = &r->threads[i];
        if (!t->events || t->exited)
            continue;
        live++;
        waiting += t->ends_in_wait;
    }
    int all_blocked = !c->explicit_end[e] && waiting > 0 && waiting == live;
    for (int i = 0; i < r->nthreads && i < MAXT; i++) {
        const sim_thread_info *t = &r->threads[i];
        c->wedged_by[e][i] = NULL;
        if (!t->blocked || !t->wait_infinite || t->exited)
            continue;
        if (end - t->since >= threshold)
            c->wedged_by[e][i] = "silence";
        else if (all_blocked)
            c->wedged_by[e][i] = "all_blocked";
    }
}

static int wedged(const tctx *c, const sim_run *r, int ti)
{
    return c->wedged_by[r == c->run[1]][ti] != NULL;
}

static int divergent(const tctx *c, int ci)
{
    const sim_run *ref = c->run[0], *cand = c->run[1];
    if (!wedged(c, cand, ci))
        return 0;
    int ri = find_thread(ref, cand->threads[ci].tmpl, cand->threads[ci].instance);
    return !(ri >= 0 && wedged(c, ref, ri) && ref->threads[ri].wait_lr == cand->threads[ci].wait_lr);
}

/* --- positions ------------------------------------------------ */

/* How wedge places a trace's events: by t when the trace is timed, else
 * by index in its event array; which events the format writes. */
typedef struct side {
    const sim_run *r;
    int timed;
    int producers_only;           /* xenia-kv: only producers are events */
    int no_exits;                 /* stock logs have no thread.exit line */
    int no_pseudo;                /* a probe has neither thread.create nor thread.exit */
    int64_t first, last;          /* positions of the first and last event */
} side;

static int64_t pos(const side *s, size_t i)
{
    const sim_run *r = s->r;
    if (s->timed)
        return r->prod_t[i];
    if (s->producers_only)
        return (int64_t)i;
    if (s->no_pseudo)
        return (int64_t)(r->prod_ev[i] - r->prod_pseudo[i]);
    return (int64_t)(r->prod_ev[i] - (s->no_exits ? r->prod_exits[i] : 0));
}

static void side_init(side *s, const sim_run *r, sim_format fmt, int cycle)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    switch ((int)fmt) {
    case FMT_SIM_JSONL:
        s->timed = !cycle;
        break;
    case FMT_SIM_XENIA_LOG:
        s->no_exits = 1;
        break;
    case FMT_SIM_PROBE:
        s->no_pseudo = 1;   /* untimed, no thread.create or thread.exit */
        break;
    case FMT_SIM_XENIA_KV:
        s->timed = 1;
        s->producers_only = 1;
        break;
    default:
        /* xenia debug logs: every call, timed by the producers' audit
         * lines; the rest take the nearest earlier t (events without t) */
        s->timed = 1;
        s->no_exits = 1;
        break;
    }
    if (s->timed && (s->producers_only || fmt != FMT_SIM_JSONL)) {
        s->first = r->nprod ? r->prod_t[0] : 0;
        s->last = r->nprod ? r->prod_t[r->nprod - 1] : 0;
    } else if (s->timed) {
        s->first = r->first_t;
        s->last = r->last_t;
    } else {
        uint64_t n = s->producers_only ? r->nprod
                     : s->no_pseudo      ? r->events - r->pseudo
                                         : r->events - (s->no_exits ? r->exits : 0);
        s->last = n ? (int64_t)n - 1 : 0;
    }
}

/* --- keys --------------------------------------------------------------- */

typedef struct tkey {
    int cat;
    uint32_t lr;
    const char *op;
    uint64_t id;                  /* wdg_event_key's id: tie-break of the heartbeat choice */
    uint64_t ref, cand, ref_total, cand_total;   /* in the span; whole trace */
    int64_t last[2];              /* position of its last producer per side */
    const char *status;
} tkey;

/* Producer keys as wedge keys them: (category, lr), or (category, op) when
 * the reference's lines carry no lr; idx maps each producer to its key. */
typedef struct keyset {
    tkey *k;
    size_t n;
    int by_lr;
    uint32_t *idx[2];
} keyset;

static const char *op_at(const program *p, uint32_t lr)
{
    for (int t = 0; t < p->ntmpls; t++)
        for (int s = 0; s < p->tmpls[t].nsteps; s++)
            if (p->tmpls[t].steps[s].lr == lr && p->tmpls[t].steps[s].op)
                return p->tmpls[t].steps[s].op;
    return "?";
}

static int key_order(const tkey *x, const tkey *y)
{
    if (x->ref != y->ref)
        return x->ref > y->ref ? -1 : 1;
    if (x->cand != y->cand)
        return x->cand > y->cand ? -1 : 1;
    if (x->cat != y->cat)
        return x->cat < y->cat ? -1 : 1;
    return x->lr < y->lr ? -1 : x->lr > y->lr;
}

static void keyset_free(keyset *ks)
{
    free(ks->k);
    free(ks->idx[0]);
    free(ks->idx[1]);
    memset(ks, 0, sizeof *ks);
}

static uint64_t key_id(int cat, uint32_t lr, const char *op, int by_lr, const wdg_ops *ops)
{
    if (by_lr)
        return (uint64_t)cat << 32 | lr;
    uint32_t id = ops ? wdg_ops_find(ops, op, strlen(op)) : WDG_OP_NONE;
    return (uint64_t)1 << 40 | (uint64_t)cat << 32 | id;
}

static int keyset_build(keyset *ks, const side sd[2], int by_lr, const wdg_ops *ops)
{
    memset(ks, 0, sizeof *ks);
    ks->by_lr = by_lr;
    size_t cap = 64;
    ks->k = calloc(cap, sizeof *ks->k);
    for (int e = 0; e < 2; e++)
        ks->idx[e] = malloc((sd[e].r->nprod + 1) * sizeof *ks->idx[e]);
    if (!ks->k || !ks->idx[0] || !ks->idx[1])
        return -1;
    const program *p = sd[0].r->prog;
    enum { SITES = 64 };
    uint32_t site_lr[SITES];      /* the program's call sites met so far, */
    const char *site_op[SITES];   /* so that op_at runs once a site */
    int nsites = 0;
    for (int e = 0; e < 2; e++) {
        const sim_run *r = sd[e].r;
        for (size_t i = 0; i < r->nprod; i++) {
            int si = 0;
            while (si < nsites && site_lr[si] != r->prod_lr[i])
                si++;
            const char *op = si < nsites ? site_op[si] : op_at(p, r->prod_lr[i]);
            if (si == nsites && nsites < SITES) {
                site_lr[nsites] = r->prod_lr[i];
                site_op[nsites++] = op;
            }
            uint64_t id = key_id(r->prod_cat[i], r->prod_lr[i], op, by_lr, ops);
            size_t j = 0;
            while (j < ks->n && ks->k[j].id != id)
                j++;
            if (j == ks->n) {
                if (wdg_grow((void **)&ks->k, &cap, ks->n + 1, sizeof *ks->k, 64) < 0)
                    return -1;
                memset(&ks->k[j], 0, sizeof ks->k[j]);
                ks->k[j].cat = r->prod_cat[i];
                ks->k[j].lr = r->prod_lr[i];
                ks->k[j].op = op;
                ks->k[j].id = id;
                ks->n++;
            }
            ks->idx[e][i] = (uint32_t)j;
            if (e == 0)
                ks->k[j].ref_total++;
            else
                ks->k[j].cand_total++;
            ks->k[j].last[e] = pos(&sd[e], i);
        }
    }
    return 0;
}

/* The counts within each side's span end, and each key's status. */
static void keyset_count(keyset *ks, const side sd[2], const int64_t end[2])
{
    for (int e = 0; e < 2; e++)
        for (size_t i = 0; i < sd[e].r->nprod; i++)
            if (pos(&sd[e], i) <= end[e]) {
                tkey *x = &ks->k[ks->idx[e][i]];
                if (e == 0)
                    x->ref++;
                else
                    x->cand++;
            }
    for (size_t j = 0; j < ks->n; j++) {
        tkey *x = &ks->k[j];
        x->status = x->ref > 0 && x->cand == 0                    ? "MISSING"
                    : x->ref == 0 && x->cand > 0                  ? "EXTRA"
                    : x->cand > 0 && (double)x->cand < x->ref / 1.25 ? "UNDER"
                    : x->ref > 0 && (double)x->cand > x->ref * 1.25  ? "OVER"
                                                                   : "MATCH";
    }
}

/* --- the common span ---------------------------------------------- */

typedef struct tspan {
    const char *method;           /* "progress" or "whole" */
    int64_t end[2];               /* positions */
    long hb;                      /* heartbeat key in the analysis keyset, or -1 */
} tspan;

/* the k-th (1-based) producer of key j on side e, by position; k beyond
 * the last gives INT64_MAX */
static int64_t beat(const keyset *ks, const side *sd, int e, size_t j, uint64_t k)
{
    uint64_t seen = 0;
    for (size_t i = 0; i < sd->r->nprod; i++)
        if (ks->idx[e][i] == j && ++seen == k)
            return pos(sd, i);
    return INT64_MAX;
}

static void common_span(tspan *sp, const keyset *ks, const side sd[2])
{
    sp->method = "whole";
    sp->hb = -1;
    sp->end[0] = sd[0].last;
    sp->end[1] = sd[1].last;
    uint64_t best = 0;
    for (size_t j = 0; j < ks->n; j++) {
        const tkey *x = &ks->k[j];
        if (x->ref_total < 8 || x->cand_total < 8)
            continue;
        int late = 1;
        for (int e = 0; e < 2; e++)
            late &= (double)(x->last[e] - sd[e].first) >= 0.9 * (double)(sd[e].last - sd[e].first);
        if (!late)
            continue;
        uint64_t m = x->ref_total < x->cand_total ? x->ref_total : x->cand_total;
        if (sp->hb < 0 || m > best || (m == best && x->id < ks->k[sp->hb].id)) {
            sp->hb = (long)j;
            best = m;
        }
    }
    if (sp->hb < 0)
        return;
    sp->method = "progress";
    const tkey *h = &ks->k[sp->hb];
    if (h->ref_total == h->cand_total)
        return;
    int S = h->cand_total < h->ref_total, L = !S;
    uint64_t n = best;
    int64_t s1 = beat(ks, &sd[S], S, (size_t)sp->hb, 1), sn = beat(ks, &sd[S], S, (size_t)sp->hb, n);
    int64_t l1 = beat(ks, &sd[L], L, (size_t)sp->hb, 1), ln = beat(ks, &sd[L], L, (size_t)sp->hb, n);
    int64_t ln1 = beat(ks, &sd[L], L, (size_t)sp->hb, n + 1);
    double rate = n >= 2 && sn > s1 ? (double)(ln - l1) / (double)(sn - s1) : 1.0;
    int64_t lend = ln + sim_llround((double)(sd[S].last - sn) * rate);
    if (lend > ln1 - 1)
        lend = ln1 - 1;
    if (lend < ln)
        lend = ln;
    sp->end[L] = lend;
}

/* The headline: the first reference producer (in ref order, within the span) whose
 * ordinal exceeds the candidate's count of its key in the span; and the
 * older rule, the first whose key is MISSING or UNDER. */
static void first_events(wdg_jw *w, const keyset *ks, const side *ref, int64_t ref_end)
{
    uint64_t *seen = calloc(ks->n + 1, sizeof *seen);
    if (!seen) {
        w->b->oom = 1;   /* the caller checks the buffer */
        return;
    }
    const sim_run *r = ref->r;
    long div = -1, sh = -1, kd = -1;
    uint64_t div_ord = 0, sh_ord = 0, kd_ord = 0;
    for (size_t i = 0; i < r->nprod && pos(ref, i) <= ref_end && (div < 0 || sh < 0 || kd < 0);
         i++) {
        const tkey *x = &ks->k[ks->idx[0][i]];
        uint64_t ord = ++seen[ks->idx[0][i]];
        int diverging = strcmp(x->status, "MISSING") == 0 || strcmp(x->status, "UNDER") == 0;
        if (kd < 0 && diverging)
            kd = (long)i, kd_ord = ord;
        if (sh < 0 && ord > x->cand)
            sh = (long)i, sh_ord = ord;
        if (div < 0 && ord > x->cand && diverging)
            div = (long)i, div_ord = ord;
    }
    free(seen);
    const char *names[3] = {"first_divergence", "first_shortfall", "first_key_divergence"};
    long at[3] = {div, sh, kd};
    uint64_t ord[3] = {div_ord, sh_ord, kd_ord};
    for (int j = 0; j < 3; j++) {
        wdg_jw_key(w, names[j]);
        if (at[j] < 0) {
            wdg_jw_null(w);
            continue;
        }
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kint(w, "ref_index", at[j]);
        wdg_jw_kint(w, "t", r->prod_t[at[j]]);
        wdg_jw_kstring(w, "category", wdg_category_name(r->prod_cat[at[j]]));
        wdg_jw_key(w, "lr");
        wdg_jw_addr(w, r->prod_lr[at[j]]);
        wdg_jw_kuint(w, "ordinal", ord[j]);
        wdg_jw_end(w);
    }
}

/* The boot truth: where main's token stream first differs (the extra
 * poll's first event, if any), and the first milestone - a thread start or
 * a key's first event - that comes more than twice as late in cand. */
typedef struct tmile {
    int64_t ref_t, cand_t;
    int is_thread;
    const char *family;
    uint32_t lr;
} tmile;

static int mile_order(const void *a, const void *b)
{
    const tmile *x = a, *y = b;
    return x->ref_t < y->ref_t ? -1 : x->ref_t > y->ref_t;
}

/* The skew rule from the simulator's own times, rebased to each trace's first
 * event; known only when both traces carry every event's t (a JSONL
 * reference, a timed candidate). */
static void boot_truth(wdg_jw *jw, const sim_run *ref, const sim_run *cand, const keyset *ks,
                       int known)
{
    size_t cap = (size_t)ref->nthreads + ks->n + 1, n = 0;
    tmile *m = calloc(cap, sizeof *m);
    if (!m) {
        jw->b->oom = 1;   /* the caller checks the buffer */
        return;
    }
    for (int i = 0; i < ref->nthreads; i++) {
        const sim_thread_info *t = &ref->threads[i];
        int ci = find_thread(cand, t->tmpl, t->instance);
        if (i == 0 || t->helper || !t->events || ci < 0 || !cand->threads[ci].events)
            continue;   /* main has no start; a missing thread has no cand time */
        m[n++] = (tmile){t->first_t - ref->first_t, cand->threads[ci].first_t - cand->first_t, 1,
                         family(ref, i), 0};
    }
    for (size_t k = 0; k < ks->n; k++) {
        int64_t rt = -1, ct = -1;
        for (size_t i = 0; i < ref->nprod && rt < 0; i++)
            if (ks->idx[0][i] == k)
                rt = ref->prod_t[i] - ref->first_t;
        for (size_t i = 0; i < cand->nprod && ct < 0; i++)
            if (ks->idx[1][i] == k)
                ct = cand->prod_t[i] - cand->first_t;
        if (rt >= 0 && ct >= 0)
            m[n++] = (tmile){rt, ct, 0, NULL, ks->k[k].lr};
    }
    qsort(m, n, sizeof *m, mile_order);
    wdg_jw_key(jw, "boot");
    wdg_jw_object(jw, WDG_JW_INLINE);
    wdg_jw_key(jw, "main_first_diff");
    if (cand->poll_at >= 0)
        wdg_jw_int(jw, cand->poll_at);
    else
        wdg_jw_null(jw);
    wdg_jw_kbool(jw, "skew_known", known);
    wdg_jw_key(jw, "skew_start");
    size_t i = 0;
    while (known && i < n && !(m[i].cand_t > 2 * m[i].ref_t && m[i].cand_t - m[i].ref_t >= 10000000))
        i++;
    if (known && i < n) {
        wdg_jw_object(jw, WDG_JW_INLINE);
        wdg_jw_kint(jw, "ref_t", m[i].ref_t);
        wdg_jw_kint(jw, "cand_t", m[i].cand_t);
        wdg_jw_key(jw, "ratio");
        if (m[i].ref_t > 0)
            wdg_jw_general(jw, (double)m[i].cand_t / (double)m[i].ref_t, 6);
        else
            wdg_jw_null(jw);
        if (m[i].is_thread) {
            wdg_jw_kstring(jw, "thread", m[i].family);
        } else {
            wdg_jw_key(jw, "lr");
            wdg_jw_addr(jw, m[i].lr);
        }
        wdg_jw_end(jw);
    } else {
        wdg_jw_null(jw);
    }
    wdg_jw_end(jw);
    free(m);
}

/* --- root causes ---------------------------------------------------------- */

enum { MAX_ROOTS = 32 };

typedef struct troot {
    const char *kind;
    int tid, ref_tid;             /* -1 = null */
    uint32_t entry_pc;
    int has_entry;
    const char *family;
    int cat;
    uint32_t lr;
    const char *op;
    uint32_t obj;
    int has_key, has_obj;
    int blocks[64];
    int nblocks;
    int ladder[MAXT];             /* the wedged rungs, the root's waiter first */
    int nladder;
} troot;

typedef struct walk {
    const sim_run *ref, *cand;
    const tctx *c;
    troot roots[MAX_ROOTS];
    int nroots;
    char on_path[64];
    char reached[MAX_ROOTS];
    int path[MAXT];               /* the threads being followed, the start first */
    int depth;
} walk;

static int add_root(walk *w, troot r)
{
    for (int i = 0; i < w->nroots; i++) {
        troot *o = &w->roots[i];
        if (strcmp(o->kind, r.kind) == 0 && o->tid == r.tid && o->ref_tid == r.ref_tid &&
            o->lr == r.lr && o->obj == r.obj)
            return i;
    }
    if (w->nroots == MAX_ROOTS)
        return -1;
    w->roots[w->nroots] = r;
    return w->nroots++;
}

/* root is reached along w's path: its longest chain of rungs (the
 * producers followed to it, nearest first) is its ladder */
static void reach(walk *w, int root)
{
    if (root < 0)
        return;
    w->reached[root] = 1;
    troot *r = &w->roots[root];
    int rungs = w->depth - 1;
    if (strcmp(r->kind, "cycle") == 0 || strcmp(r->kind, "unknown") == 0 || rungs <= r->nladder)
        return;
    r->nladder = rungs;
    for (int k = 0; k < rungs; k++)
        r->ladder[k] = (int)w->cand->threads[w->path[w->depth - 1 - k]].tid;
}

/* Follows wedged cand thread ci to the roots that keep it waiting. */
static void follow(walk *w, int ci)
{
    const sim_run *cand = w->cand, *ref = w->ref;
    const program *p = cand->prog;
    const sim_thread_info *t = &cand->threads[ci];
    if (w->on_path[ci]) {
        troot r = {"cycle", (int)t->tid, -1, 0, 0, family(cand, ci), 0, 0, NULL, 0, 0, 0, {0}, 0,
                   {0}, 0};
        reach(w, add_root(w, r));
        return;
    }
    w->on_path[ci] = 1;
    w->path[w->depth++] = ci;
    int found = 0;
    /* a signal the candidate lost, or a WaitAny it read as WaitAll */
    for (int k = 0; k < t->wait_nobjs && !found; k++) {
        const sim_obj_info *o = &cand->objs[t->wait_objs[k]];
        if (o->lost_sets > 0 || (t->misread_any && o->state > 0)) {
            troot r = {"signaled_but_blocked", (int)t->tid, -1, 0, 0, family(cand, ci),
                       o->last_producer_cat, o->last_producer_lr, o->last_producer_op, o->id,
                       1, 1, {0}, 0, {0}, 0};
            reach(w, add_root(w, r));
            found = 1;
        }
    }
    for (int k = 0; k < t->wait_nobjs && !found; k++) {
        const sim_obj_info *o = &cand->objs[t->wait_objs[k]];
        for (int pt = 0; pt < p->ntmpls; pt++)
            for (int s = 0; s < p->tmpls[pt].nsteps; s++) {
                const step *st = &p->tmpls[pt].steps[s];
                if ((st->kind != ST_SET && st->kind != ST_RELEASE) || st->obj != o->def)
                    continue;
                int cat = st->kind == ST_SET ? WDG_CAT_SET : WDG_CAT_RELEASE;
                for (int inst = 0; inst < p->workers; inst++) {
                    if (st->per_instance && inst != o->instance)
                        continue;
                    int ri = find_thread(ref, pt, inst);
                    if (ri < 0)
                        continue;   /* no such producer even in the reference */
                    int c = find_thread(cand, pt, inst);
                    troot r = {NULL, -1, -1, 0, 0, p->tmpls[pt].family, cat, st->lr, st->op,
                               o->id, 1, 1, {0}, 0, {0}, 0};
                    found = 1;
                    if (c < 0) {
                        r.kind = "missing_thread";
                        r.ref_tid = (int)ref->threads[ri].tid;
                        r.entry_pc = p->tmpls[pt].entry_pc;
                        r.has_entry = 1;
                        reach(w, add_root(w, r));
                        continue;
                    }
                    const sim_thread_info *ct = &cand->threads[c];
                    int skipped_here = ct->skip_fired && cand->f && cand->f->skip_tmpl == pt &&
                                       cand->f->skip_step == s;
                    r.tid = (int)ct->tid;
                    if (divergent(w->c, c)) {
                        if (skipped_here && ct->waits_at_lr >= 2) {
                            r.kind = "skipped_producer";
                            reach(w, add_root(w, r));
                        } else {
                            follow(w, c);   /* a rung of the ladder */
                        }
                    } else if (skipped_here) {
                        r.kind = "live_missing_producer";
                        reach(w, add_root(w, r));
                    } else if (ct->exited || ct->last_t < t->since) {
                        r.kind = "silent_thread";
                        reach(w, add_root(w, r));
                    } else if (ct->silent) {
                        /* it logged on after W began to wait, never firing */
                        r.kind = "live_missing_producer";
                        reach(w, add_root(w, r));
                    } else {
                        found = 0;
                    }
                }
            }
    }
    if (!found) {
        /* no producer explains the wait: unexplained, not a root */
        troot r = {"unknown", (int)t->tid, -1, 0, 0, family(cand, ci), 0, 0, NULL, 0, 0, 0,
                   {0}, 0, {0}, 0};
        if (t->orphan)
            r.obj = SIM_ORPHAN_OBJ, r.has_obj = 1;
        else if (t->wait_nobjs)
            r.obj = cand->objs[t->wait_objs[0]].id, r.has_obj = 1;
        reach(w, add_root(w, r));
    }
    w->on_path[ci] = 0;
    w->depth--;
}

static int root_order(const void *a, const void *b)
{
    const troot *x = a, *y = b;
    if (x->nblocks != y->nblocks)
        return x->nblocks > y->nblocks ? -1 : 1;
    int tx = x->tid >= 0 ? x->tid : x->ref_tid, ty = y->tid >= 0 ? y->tid : y->ref_tid;
    return tx < ty ? -1 : tx > ty;
}

static int int_order(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* --- JSON ------------------------------------------------------------------- */

/* ended_at: the end the diagnosis measures silence to, ns since the first event */
static void run_obj(wdg_jw *w, const sim_run *r, const char *path, const tctx *c, int e)
{
    int exits = 0;
    for (int i = 0; i < r->nthreads; i++)
        exits += r->threads[i].exited;
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "path", path);
    wdg_jw_kuint(w, "events", r->events);
    wdg_jw_kint(w, "threads", r->nthreads);
    wdg_jw_kint(w, "exits", exits);
    wdg_jw_kint(w, "first_t", r->first_t);
    wdg_jw_kint(w, "last_t", r->last_t);
    wdg_jw_kint(w, "ended_at", c->end[e] - r->first_t);
    wdg_jw_kstring(w, "end_source", c->explicit_end[e] ? "marker" : "last_event");
    wdg_jw_end(w);
}

static void blocked_list(wdg_jw *w, const tctx *c, int only_wedged)
{
    wdg_jw_key(w, only_wedged ? "wedged" : "blocked");
    wdg_jw_array(w, WDG_JW_LINES_ALWAYS);
    for (int e = 0; e < 2; e++)
        for (int i = 0; i < c->run[e]->nthreads; i++) {
            const sim_run *r = c->run[e];
            const sim_thread_info *t = &r->threads[i];
            if (!t->blocked || (only_wedged && !wedged(c, r, i)))
                continue;
            wdg_jw_object(w, WDG_JW_INLINE);
            wdg_jw_kstring(w, "engine", e ? "cand" : "ref");
            wdg_jw_kuint(w, "tid", t->tid);
            wdg_jw_kstring(w, "op", t->wait_op);
            wdg_jw_key(w, "lr");
            wdg_jw_addr(w, t->wait_lr);
            wdg_jw_key(w, "objs");
            wdg_jw_array(w, WDG_JW_INLINE);
            for (int k = 0; k < t->wait_nobjs; k++)
                wdg_jw_addr(w, r->objs[t->wait_objs[k]].id);
            if (t->orphan)
                wdg_jw_addr(w, SIM_ORPHAN_OBJ);
            wdg_jw_end(w);
            wdg_jw_kint(w, "since", t->since);
            wdg_jw_kbool(w, "divergent", e && divergent(c, i));
            wdg_jw_kstring(w, "family", family(r, i));
            if (!only_wedged)
                wdg_jw_kbool(w, "wedged", wedged(c, r, i));
            else
                wdg_jw_kstring(w, "wedged_by", c->wedged_by[e][i]);
            wdg_jw_end(w);
        }
    wdg_jw_end(w);
}

/* The common span as truth.json states it: ends in ns since each trace's first
 * event (an untimed trace: the event index) */
static void span_json(wdg_jw *w, const tspan *sp, const keyset *ks, const side sd[2])
{
    wdg_jw_kstring(w, "key_mode", ks->by_lr ? "lr" : "op");
    wdg_jw_key(w, "common_span");
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "method", sp->method);
    const char *end[2] = {"ref_end", "cand_end"}, *unit[2] = {"ref_unit", "cand_unit"};
    for (int e = 0; e < 2; e++) {
        wdg_jw_kint(w, end[e], sp->end[e] - sd[e].first);
        wdg_jw_kstring(w, unit[e], sd[e].timed ? "ns" : "index");
    }
    wdg_jw_key(w, "heartbeat");
    if (sp->hb < 0) {
        wdg_jw_null(w);
    } else {
        const tkey *h = &ks->k[sp->hb];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "category", wdg_category_name(h->cat));
        wdg_jw_key(w, "lr");
        wdg_jw_opt_addr(w, ks->by_lr, h->lr);
        wdg_jw_kstring(w, "op", h->op);
        wdg_jw_kuint(w, "ref_beats", h->ref_total);
        wdg_jw_kuint(w, "cand_beats", h->cand_total);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

/* The outcome of the diagnosis: which roots hold the divergent wedged
 * threads; the key statuses tell NONE from DIVERGED. */
static const char *diagnose(walk *w, const keyset *keys)
{
    const sim_run *cand = w->cand;
    int any_divergent = 0;
    for (int ci = 0; ci < cand->nthreads; ci++) {
        if (!divergent(w->c, ci))
            continue;
        any_divergent = 1;
        memset(w->reached, 0, sizeof w->reached);
        follow(w, ci);
        for (int r = 0; r < w->nroots; r++)
            if (w->reached[r] && w->roots[r].nblocks < 64)
                w->roots[r].blocks[w->roots[r].nblocks++] = (int)cand->threads[ci].tid;
    }
    for (int r = 0; r < w->nroots; r++)
        qsort(w->roots[r].blocks, (size_t)w->roots[r].nblocks, sizeof(int), int_order);
    qsort(w->roots, (size_t)w->nroots, sizeof w->roots[0], root_order);
    int keys_match = 1;
    for (size_t i = 0; i < keys->n; i++)
        keys_match &= strcmp(keys->k[i].status, "MATCH") == 0;
    /* the outcome counts roots only: an unexplained wedge changes nothing */
    int nroots = 0, first = -1;
    for (int r = 0; r < w->nroots; r++)
        if (strcmp(w->roots[r].kind, "unknown") != 0 && nroots++ == 0)
            first = r;
    (void)any_divergent;
    return nroots == 0 ? (keys_match ? "NONE" : "DIVERGED")
           : nroots >= 2 ? "C"
           : strcmp(w->roots[first].kind, "missing_thread") == 0 ? "A"
                                                                 : "B";
}

static int tkey_cmp(const void *a, const void *b)
{
    return key_order(*(const tkey *const *)a, *(const tkey *const *)b);
}

static void keys_json(wdg_jw *w, const keyset *ks)
{
    const tkey **order = malloc((ks->n + 1) * sizeof *order);
    if (!order) {
        w->b->oom = 1;
        return;
    }
    for (size_t i = 0; i < ks->n; i++)
        order[i] = &ks->k[i];
    qsort(order, ks->n, sizeof *order, tkey_cmp);
    wdg_jw_key(w, "keys");
    wdg_jw_array(w, WDG_JW_LINES_ALWAYS);
    for (size_t i = 0; i < ks->n; i++) {
        const tkey *x = order[i];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "category", wdg_category_name(x->cat));
        wdg_jw_key(w, "lr");
        wdg_jw_addr(w, x->lr);
        wdg_jw_kstring(w, "op", x->op);
        wdg_jw_kuint(w, "ref", x->ref);
        wdg_jw_kuint(w, "cand", x->cand);
        wdg_jw_kuint(w, "ref_total", x->ref_total);
        wdg_jw_kuint(w, "cand_total", x->cand_total);
        wdg_jw_kstring(w, "status", x->status);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    free(order);
}

static void threads_json(wdg_jw *w, const sim_run *ref, const sim_run *cand)
{
    const program *p = ref->prog;
    wdg_jw_key(w, "thread_pairs");
    wdg_jw_array(w, WDG_JW_LINES_ALWAYS);
    for (int ri = 0; ri < ref->nthreads; ri++) {
        const sim_thread_info *rt = &ref->threads[ri];
        int ci = find_thread(cand, rt->tmpl, rt->instance);
        if (ci < 0 || !rt->spawned || rt->helper)
            continue;
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "ref", rt->tid);
        wdg_jw_kuint(w, "cand", cand->threads[ci].tid);
        wdg_jw_kstring(w, "family", family(ref, ri));
        wdg_jw_kint(w, "instance", rt->instance);
        wdg_jw_key(w, "entry_pc");
        wdg_jw_addr(w, p->tmpls[rt->tmpl].entry_pc);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_key(w, "ref_only_threads");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (int ri = 0; ri < ref->nthreads; ri++) {
        const sim_thread_info *rt = &ref->threads[ri];
        if (find_thread(cand, rt->tmpl, rt->instance) >= 0 || !rt->spawned || rt->helper)
            continue;
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "tid", rt->tid);
        wdg_jw_kstring(w, "family", family(ref, ri));
        wdg_jw_key(w, "entry_pc");
        wdg_jw_addr(w, p->tmpls[rt->tmpl].entry_pc);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_key(w, "ref_helper_threads");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (int ri = 0; ri < ref->nthreads; ri++)
        if (ref->threads[ri].helper)
            wdg_jw_uint(w, ref->threads[ri].tid);
    wdg_jw_end(w);
}

/* proven or inferred, as wedge's rules would rate the root: a
 * signaled_but_blocked rests on the candidate's own signal accounting, so
 * it is proven whatever the reference; the other roots follow reference
 * producers: a reference without waits (xenia-kv) leaves them inferred; a
 * stock log names a handle object at no creation, so its roots on handles
 * are inferred */
static const char *confidence(const troot *x, sim_format ref_fmt, const sim_run *cand)
{
    if (strcmp(x->kind, "signaled_but_blocked") == 0)
        return "proven";
    if (ref_fmt == FMT_SIM_XENIA_KV)
        return "inferred";
    if (ref_fmt == FMT_SIM_JSONL || !x->has_obj)
        return "proven";
    for (int i = 0; i < cand->nobjs; i++)
        if (cand->objs[i].id == x->obj)
            return cand->prog->objs[cand->objs[i].def].ke ? "proven" : "inferred";
    return "inferred";
}

static void roots_json(wdg_jw *jw, const walk *w, sim_format ref_fmt)
{
    wdg_jw_key(jw, "root_causes");
    wdg_jw_array(jw, WDG_JW_LINES_ALWAYS);
    for (int r = 0; r < w->nroots; r++) {
        const troot *x = &w->roots[r];
        if (strcmp(x->kind, "unknown") == 0)
            continue;
        wdg_jw_object(jw, WDG_JW_INLINE);
        wdg_jw_kstring(jw, "kind", x->kind);
        wdg_jw_key(jw, "tid");
        wdg_jw_opt_int(jw, x->tid >= 0, x->tid);
        wdg_jw_key(jw, "ref_tid");
        wdg_jw_opt_int(jw, x->ref_tid >= 0, x->ref_tid);
        wdg_jw_key(jw, "entry_pc");
        wdg_jw_opt_addr(jw, x->has_entry, x->entry_pc);
        wdg_jw_kstring(jw, "family", x->family);
        wdg_jw_kstring(jw, "category", x->has_key ? wdg_category_name(x->cat) : NULL);
        wdg_jw_key(jw, "lr");
        wdg_jw_opt_addr(jw, x->has_key, x->lr);
        wdg_jw_kstring(jw, "op", x->has_key ? x->op : NULL);
        wdg_jw_key(jw, "obj");
        wdg_jw_opt_addr(jw, x->has_obj, x->obj);
        wdg_jw_key(jw, "blocks");
        wdg_jw_array(jw, WDG_JW_INLINE);
        for (int k = 0; k < x->nblocks; k++)
            wdg_jw_int(jw, x->blocks[k]);
        wdg_jw_end(jw);
        wdg_jw_key(jw, "ladder");
        wdg_jw_array(jw, WDG_JW_INLINE);
        for (int k = 0; k < x->nladder; k++)
            wdg_jw_int(jw, x->ladder[k]);
        wdg_jw_end(jw);
        wdg_jw_kstring(jw, "confidence", confidence(x, ref_fmt, w->cand));
        wdg_jw_end(jw);
    }
    wdg_jw_end(jw);
    wdg_jw_key(jw, "unexplained");
    wdg_jw_array(jw, WDG_JW_LINES_ALWAYS);
    for (int r = 0; r < w->nroots; r++) {
        const troot *x = &w->roots[r];
        if (strcmp(x->kind, "unknown") != 0)
            continue;
        wdg_jw_object(jw, WDG_JW_INLINE);
        wdg_jw_kint(jw, "tid", x->tid);
        wdg_jw_kstring(jw, "family", x->family);
        wdg_jw_key(jw, "obj");
        wdg_jw_opt_addr(jw, x->has_obj, x->obj);
        wdg_jw_kstring(jw, "why", "no thread of the program signals the object");
        wdg_jw_end(jw);
    }
    wdg_jw_end(jw);
}

static const char *status_of(uint64_t ref, uint64_t cand)
{
    return ref > 0 && cand == 0                          ? "MISSING"
           : ref == 0 && cand > 0                        ? "EXTRA"
           : cand > 0 && (double)cand < (double)ref / 1.25 ? "UNDER"
           : ref > 0 && (double)cand > (double)ref * 1.25  ? "OVER"
                                                         : "MATCH";
}

/* The wrapper shape's match class: the wrapper's site the reference
 * records and the callers the candidate records, counts summed over the
 * span (the truth's keys are the callers, lifted) */
/* The wrapper shape's class, as wedge forms it: the reference's wrapper
 * site is detected by its callers in frames (a JSONL reference) or, with
 * no frames (audit lines), by its several threads on several objects; a
 * stock log's keys are by op, with no site to detect: no class. */
static void classes_json(wdg_jw *w, const keyset *ks, const sim_run *cand, sim_format ref_fmt,
                         int by_lr)
{
    const program *p = cand->prog;
    uint64_t ref = 0, cnd = 0;
    int n = 0;
    wdg_jw_key(w, "match_classes");
    wdg_jw_array(w, WDG_JW_LINES);
    for (int t = 0; t < p->ntmpls && by_lr; t++)
        for (int s = 0; s < p->tmpls[t].nsteps; s++) {
            const step *st = &p->tmpls[t].steps[s];
            if (!st->via)
                continue;
            if (!n++) {
                wdg_jw_object(w, WDG_JW_INLINE);
                wdg_jw_kstring(w, "category", "set");
                wdg_jw_key(w, "wrapper_lr");
                wdg_jw_addr(w, st->via);
                wdg_jw_kstring(w, "detected_by", ref_fmt == FMT_SIM_JSONL ? "frames" : "threads");
                wdg_jw_key(w, "callers");
                wdg_jw_array(w, WDG_JW_INLINE);
            }
            wdg_jw_addr(w, st->lr);
            for (size_t j = 0; j < ks->n; j++)
                if (ks->k[j].lr == st->lr && ks->k[j].cat == WDG_CAT_SET)
                    ref += ks->k[j].ref, cnd += ks->k[j].cand;
        }
    if (n) {
        wdg_jw_end(w);
        wdg_jw_kuint(w, "ref", ref);
        wdg_jw_kuint(w, "cand", cnd);
        wdg_jw_kstring(w, "status", status_of(ref, cnd));
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

/* Does this engine's trace name object slot i, and is it a pointer object
 * there (named by a Ke* op: a Ke object that is no condition variable)? */
static int names_obj(const sim_run *r, int i, sim_format fmt)
{
    const sim_obj_info *o = &r->objs[i];
    if (fmt == FMT_SIM_XENIA_KV)
        return o->producers > 0;
    return o->created || o->waits || o->producers;
}

/* The object map wedge's rules should find, from the simulator's own
 * object slots (the same slot is the same object): identity for pointer
 * objects, then creation_site, wait_position, producers.  Stated for a
 * JSONL or xenia-kv reference and a JSONL candidate (a probe names no
 * object); entries for the candidate's objects the reference names. */
static void object_map_json(wdg_jw *w, const sim_run *ref, const sim_run *cand,
                            sim_format ref_fmt, const sim_shape *sh)
{
    wdg_jw_key(w, "object_map");
    if ((ref_fmt != FMT_SIM_JSONL && ref_fmt != FMT_SIM_XENIA_KV) || sh->cand_probe) {
        wdg_jw_null(w);
        return;
    }
    wdg_jw_array(w, WDG_JW_LINES);
    for (int i = 0; i < cand->nobjs; i++) {
        const sim_obj_info *c = &cand->objs[i], *r = &ref->objs[i];
        if (!names_obj(cand, i, FMT_SIM_JSONL) || !names_obj(ref, i, ref_fmt))
            continue;
        const objdef *d = &cand->prog->objs[c->def];
        int pointer = d->ke && d->kind != OBJ_CONDVAR;
        int ref_jsonl = ref_fmt == FMT_SIM_JSONL;
        const char *how = pointer                                       ? "identity"
                          : ref_jsonl && c->created && r->created       ? "creation_site"
                          : ref_jsonl && c->waits && r->waits           ? "wait_position"
                          : c->producers && r->producers                ? "producers"
                                                                        : NULL;
        if (!how)
            continue;
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_key(w, "cand");
        wdg_jw_addr(w, c->id);
        wdg_jw_key(w, "ref");
        wdg_jw_addr(w, r->id);
        wdg_jw_kstring(w, "how", how);
        wdg_jw_kstring(w, "name", d->name);
        wdg_jw_kint(w, "instance", c->instance);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

/* the simulate options that shaped the traces */
static void shape_json(wdg_jw *w, const sim_shape *sh)
{
    wdg_jw_key(w, "shape");
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_key(w, "slowdown");
    wdg_jw_general(w, sh->slowdown, 6);
    wdg_jw_kint(w, "clock_offset", sh->clock_offset);
    wdg_jw_kstring(w, "cand_clock", sh->cand_cycle ? "cycle" : "t");
    wdg_jw_kbool(w, "killed_at_hang", sh->killed_at_hang);
    wdg_jw_kbool(w, "end_marker", sh->end_marker);
    wdg_jw_kint(w, "ref_helpers", sh->ref_helpers);
    wdg_jw_kstring(w, "cand_format", sh->cand_probe ? "probe" : "jsonl");
    wdg_jw_kstring(w, "program", sh->v.investigation ? "investigation" : "game");
    wdg_jw_kbool(w, "waitany_workers", sh->v.waitany_workers);
    wdg_jw_kbool(w, "condvar", sh->v.condvar);
    wdg_jw_kbool(w, "pulse", sh->v.pulse);
    wdg_jw_kbool(w, "wrappers", sh->v.wrappers);
    wdg_jw_end(w);
}

int sim_truth_json(wdg_buf *b, const sim_truth_in *in)
{
    const sim_run *ref = in->ref, *cand = in->cand;
    static const sim_shape plain = {1, 0, 0, 0, 0, 0, 0, {0, 0, 0, 0, 0}};
    const sim_shape *sh = in->shape ? in->shape : &plain;
    side sd[2];
    side_init(&sd[0], ref, in->ref_fmt, 0);
    side_init(&sd[1], cand, sh->cand_probe ? FMT_SIM_PROBE : FMT_SIM_JSONL, sh->cand_cycle);
    /* keys as the truth lists them (lr), and as wedge keys them: a stock
     * log's lines carry no lr, so its keys are (category, op) */
    int by_lr = in->ref_fmt != FMT_SIM_XENIA_LOG;
    wdg_ops *ops = NULL;
    keyset keys, akeys;
    memset(&akeys, 0, sizeof akeys);
    walk *w = calloc(1, sizeof *w);
    tctx *c = calloc(1, sizeof *c);
    int rc = -1;
    if (keyset_build(&keys, sd, 1, NULL) < 0 || !w || !c ||
        (!by_lr && wdg_ops_new(&ops, NULL) < 0) ||
        keyset_build(&akeys, sd, by_lr, ops) < 0)
        goto done;
    tspan sp;
    common_span(&sp, &akeys, sd);
    keyset_count(&keys, sd, sp.end);
    keyset_count(&akeys, sd, sp.end);

    c->run[0] = ref;
    c->run[1] = cand;
    c->end[0] = ref->last_t;
    c->end[1] = sh->end_marker ? in->killed_at : cand->last_t;
    c->explicit_end[1] = sh->end_marker;
    find_wedged(c, 0);
    find_wedged(c, 1);
    w->ref = ref;
    w->cand = cand;
    w->c = c;
    const char *outcome = diagnose(w, &keys);
    snprintf(in->outcome, 16, "%s", outcome);

    wdg_jw jw, *jp = &jw;
    wdg_jw_init(jp, b);
    wdg_jw_object(jp, WDG_JW_LINES);
    wdg_jw_kint(jp, "wedge_truth", 1);
    wdg_jw_kstring(jp, "scenario", in->scenario);
    wdg_jw_kstring(jp, "faults", in->fault_specs);
    wdg_jw_kuint(jp, "seed", in->seed);
    wdg_jw_kstring(jp, "ref_format", in->ref_format);
    shape_json(jp, sh);
    wdg_jw_key(jp, "ref");
    run_obj(jp, ref, in->ref_file, c, 0);
    wdg_jw_key(jp, "cand");
    run_obj(jp, cand, in->cand_file, c, 1);
    /* the candidate's stop: a total hang (every live thread waits for good)
     * and the kill, 5 s later with --killed-at-hang, else the timeout */
    wdg_jw_kbool(jp, "total_hang", cand->total_hang);
    wdg_jw_same_line(jp);
    wdg_jw_key(jp, "hang_at");
    wdg_jw_opt_int(jp, cand->total_hang, cand->hang_t);
    wdg_jw_same_line(jp);
    wdg_jw_kint(jp, "killed_at", in->killed_at);
    wdg_jw_same_line(jp);
    wdg_jw_kstring(jp, "killed_by", sh->killed_at_hang && cand->total_hang ? "hang" : "timeout");
    wdg_jw_same_line(jp);
    wdg_jw_key(jp, "end_marker");
    wdg_jw_opt_int(jp, sh->end_marker, in->killed_at);
    span_json(jp, &sp, &akeys, sd);
    wdg_jw_kint(jp, "common_span_end", sp.end[0]);
    keys_json(jp, &keys);
    first_events(jp, &akeys, &sd[0], sp.end[0]);
    threads_json(jp, ref, cand);
    blocked_list(jp, c, 0);
    blocked_list(jp, c, 1);
    roots_json(jp, w, in->ref_fmt);
    classes_json(jp, &keys, cand, in->ref_fmt, by_lr);
    object_map_json(jp, ref, cand, in->ref_fmt, sh);
    boot_truth(jp, ref, cand, &keys, in->ref_fmt == FMT_SIM_JSONL && sd[1].timed);
    sim_truth_critpath(jp, ref, cand);
    wdg_jw_kstring(jp, "outcome", outcome);
    wdg_jw_end(jp);
    wdg_buf_putc(b, '\n');
    rc = b->oom ? -1 : 0;
done:
    keyset_free(&keys);
    keyset_free(&akeys);
    wdg_ops_free(ops);
    free(w);
    free(c);
    return rc;
}
