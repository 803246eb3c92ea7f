/* The wait-for graph and its root causes and the outcome
 * class (docs/analysis.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"
#include "../base/grow.h"
#include "diag_internal.h"
#include "scc.h"

typedef struct balance {
    int64_t value;
    size_t last_producer;      /* event index, WDG_NO_INDEX */
} balance;

/* A wedged thread's last wait on obj (event wait), and the last pulse or
 * condition signal of obj that came while it waited (by, WDG_NO_INDEX). */
typedef struct delivery {
    uint32_t tid;
    wdg_addr obj;
    size_t wait, by;
} delivery;

typedef struct roots_ctx {
    diag_ctx *c;
    delivery *dl;              /* one per (wedged thread, object of its wait) */
    size_t n_dl, cap_dl;
    wdg_map dl_objs;           /* objects some wedged thread waits on */
    const diag_producer *prods;   /* ref producers, sorted by object (the ctx's) */
    size_t n_prods;
    wdg_map bal;               /* cand obj -> index into bals */
    balance *bals;
    size_t n_bals, cap_bals;
    wdg_map ref_of;            /* cand obj -> ref obj */
    wdg_map how_of;            /* cand obj -> its object map how */
    int ref_has_waits;         /* the reference logs any wait */
    wdg_map cand_prod;         /* cand objects some cand producer signals */
    const char **why;          /* per cand thread: why unexplained, or NULL */
    wdg_addr *why_obj;
    char *why_has_obj;
    size_t cap_roots, cap_edges, cap_links;
    const wdg_root *found;     /* add_root's argument, for link_root's object and key */
    wdg_map *last_of;          /* per cand thread: key -> its last event (key_cache) */
    char *last_built;
    /* the dedupe of roots, links and edges as they are added: a hash of
     * what makes two equal -> the first with it; later ones with the same
     * hash chained in *_next (WDG_NO_INDEX ends a chain) */
    wdg_map root_at, link_at, edge_at;
    size_t *root_next, *edge_next;
    size_t cap_root_next, cap_edge_next;
} roots_ctx;

static balance *bal_of(roots_ctx *x, wdg_addr obj)
{
    uint64_t *i = wdg_map_get(&x->bal, obj);
    if (i)
        return &x->bals[*i];
    if (wdg_grow((void **)&x->bals, &x->cap_bals, x->n_bals + 1, sizeof *x->bals, 64) < 0)
        return NULL;
    if (!wdg_map_put(&x->bal, obj, x->n_bals, NULL))
        return NULL;
    x->bals[x->n_bals] = (balance){0, WDG_NO_INDEX};
    return &x->bals[x->n_bals++];
}

static int by_obj_then_event(const void *a, const void *b)
{
    const diag_producer *x = a, *y = b;
    if (x->obj != y->obj)
        return x->obj < y->obj ? -1 : 1;
    return x->event < y->event ? -1 : x->event > y->event;
}

/* Every distinct (ref object, thread, key) once, in one pass. */
int diag_index_producers(const diag_ctx *c, diag_producer **out, size_t *n)
{
    const engine_view *rv = &c->ref;
    wdg_map seen = WDG_MAP_INIT;
    size_t cap = 0;
    int rc = 0;
    *out = NULL, *n = 0;
    for (size_t i = 0; i < rv->t->n_events; i++) {
        const wdg_event *e = &rv->t->events[i];
        if (!wdg_category_is_producer(wdg_ev_cat(rv->t->ops, e)) || !(e->flags & WDG_EV_OBJ))
            continue;
        wdg_addr obj = diag_obj(rv, wdg_ev_obj(e));
        uint64_t id = wdg_hash64(wdg_hash64(ev_key(c->kt, e)) ^ ((uint64_t)e->tid << 32 | obj));
        int fresh = 0;
        if (!wdg_map_put(&seen, id == UINT64_MAX ? 0 : id, 0, &fresh)) {
            rc = -1;
            break;
        }
        if (!fresh)
            continue;
        if (wdg_grow((void **)out, &cap, *n + 1, sizeof **out, 256) < 0) {
            rc = -1;
            break;
        }
        (*out)[(*n)++] = (diag_producer){obj, i};
    }
    wdg_map_free(&seen);
    if (rc == 0 && *n)
        qsort(*out, *n, sizeof **out, by_obj_then_event);
    return rc;
}

/* The wedged threads' last waits, one delivery slot per object. */
static int wedged_waits(roots_ctx *x)
{
    const engine_view *v = &x->c->cand;
    wdg_addr objs[64];
    for (size_t k = 0; k < v->n; k++) {
        if (v->threads[k].state != WDG_TS_WEDGED)
            continue;
        size_t at = v->threads[k].last;
        int n = diag_wait_objs(v, &v->t->events[at], objs);
        if (wdg_grow((void **)&x->dl, &x->cap_dl, x->n_dl + (size_t)n + 1, sizeof *x->dl, 16) < 0)
            return -1;
        for (int j = 0; j < n; j++) {
            if (!wdg_map_put(&x->dl_objs, objs[j], 1, NULL))
                return -1;
            x->dl[x->n_dl++] = (delivery){v->threads[k].tid, objs[j], at, WDG_NO_INDEX};
        }
    }
    return 0;
}

/* A pulse or condition signal at event i reaches the wedged threads
 * already waiting on obj: they should have woken. */
static void deliver(roots_ctx *x, wdg_addr obj, size_t i)
{
    if (!wdg_map_get(&x->dl_objs, obj))
        return;
    for (size_t j = 0; j < x->n_dl; j++)
        if (x->dl[j].obj == obj && x->dl[j].wait < i)
            x->dl[j].by = i;
}

/* The pulse or condition signal delivered to wedged tid on obj, or WDG_NO_INDEX. */
static size_t delivered(const roots_ctx *x, uint32_t tid, wdg_addr obj)
{
    for (size_t j = 0; j < x->n_dl; j++)
        if (x->dl[j].tid == tid && x->dl[j].obj == obj)
            return x->dl[j].by;
    return WDG_NO_INDEX;
}

/* One producer event: a latched signal holds at most one, a count adds
 * its count; a pulse or condition signal leaves nothing (lost without a
 * waiter, taken by the waiter it woke) but reaches those waiting. */
static int produce(roots_ctx *x, const wdg_event *e, size_t i)
{
    const engine_view *v = &x->c->cand;
    wdg_addr obj = diag_obj(v, wdg_ev_obj(e));
    wdg_signal_kind kind = wdg_ops_signal_kind(v->t->ops, e->op);
    if (kind == WDG_SIG_PULSE || kind == WDG_SIG_CONDITION) {
        deliver(x, obj, i);
        return 0;
    }
    balance *b = bal_of(x, obj);
    if (!b)
        return -1;
    if (kind == WDG_SIG_COUNT) {
        wdg_event_ext ext_buf, *ext = wdg_event_ext_of(v->t, e, &ext_buf);
        b->value += (e->flags & WDG_EV_COUNT) && ext ? ext->count : 1;
    } else {
        b->value = b->value + 1 > 1 ? 1 : b->value + 1;
    }
    b->last_producer = i;
    return 0;
}

/* Signal accounting over every cand event, in order. */
static int account(roots_ctx *x)
{
    const engine_view *v = &x->c->cand;
    const wdg_trace *t = v->t;
    char *last_of_wedged = calloc(t->n_events + 1, 1);
    if (!last_of_wedged || wedged_waits(x) < 0) {
        free(last_of_wedged);
        return -1;
    }
    for (size_t k = 0; k < v->n; k++)
        if (v->threads[k].state == WDG_TS_WEDGED)
            last_of_wedged[v->threads[k].last] = 1;
    wdg_addr objs[64];
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        if (wdg_category_is_producer(wdg_ev_cat(t->ops, e)) && (e->flags & WDG_EV_OBJ)) {
            if (produce(x, e, i) < 0) {
                rc = -1;
                break;
            }
        } else if ((e->flags & WDG_EV_OBJ) && (wdg_ops_flags(t->ops, e->op) & WDG_OPF_RESET)) {
            balance *b = bal_of(x, diag_obj(v, wdg_ev_obj(e)));
            if (!b) {
                rc = -1;
                break;
            }
            if (b->value > 0)
                b->value = 0;
        }
        if ((wdg_ev_cat(t->ops, e) != WDG_CAT_WAIT && wdg_ev_cat(t->ops, e) != WDG_CAT_SIGNAL_WAIT) || last_of_wedged[i])
            continue;
        int n = diag_wait_objs(v, e, objs);
        if (!n)
            continue;
        int all = n > 1 && (e->flags & WDG_EV_WAIT_ALL);
        int took = 0;
        for (int k = 0; k < n; k++) {
            balance *b = bal_of(x, objs[k]);
            if (!b) {
                rc = -1;
                break;
            }
            if (all) {
                b->value--;
            } else if (b->value > 0) {
                b->value--;
                took = 1;
                break;
            }
        }
        if (rc == 0 && !all && !took) {
            balance *b = bal_of(x, objs[0]);
            if (!b)
                rc = -1;
            else
                b->value--;
        }
    }
    free(last_of_wedged);
    return rc;
}

/* One root per cause: (kind, cand tid, or ref tid where there is no cand
 * thread; the object too for signaled_but_blocked).  A second finding of
 * the same cause returns the first, whose key, waiter and evidence stay. */
static int same_cause(const wdg_root *o, const wdg_root *r)
{
    if (o->kind != r->kind || o->has_tid != r->has_tid)
        return 0;
    if (o->has_tid ? o->tid != r->tid : o->has_ref_tid != r->has_ref_tid || o->ref_tid != r->ref_tid)
        return 0;
    return r->kind != WDG_ROOT_SIGNALED_BUT_BLOCKED || (o->has_obj == r->has_obj && o->obj == r->obj);
}

/* what same_cause() compares, hashed */
static uint64_t cause_hash(const wdg_root *r)
{
    uint64_t h = wdg_hash64((uint64_t)r->kind << 2 | (uint64_t)(r->has_tid != 0) << 1);
    h = wdg_hash64(h ^ (r->has_tid ? r->tid : (uint64_t)(r->has_ref_tid != 0) << 32 | r->ref_tid));
    if (r->kind == WDG_ROOT_SIGNALED_BUT_BLOCKED)
        h = wdg_hash64(h ^ (r->has_obj ? r->obj : 0));
    return h == UINT64_MAX ? 0 : h;
}

static uint64_t edge_hash(const wdg_edge *e)
{
    uint64_t h = wdg_hash64((uint64_t)e->from << 32 | e->to);
    h = wdg_hash64(h ^ e->lr);
    h = wdg_hash64(h ^ ((uint64_t)e->op << 8 | e->cat));
    return h == UINT64_MAX ? 0 : h;
}

/* Finds i in the chain from the slot for hash h whose item same() says
 * equals; WDG_NO_INDEX when none.  *slot is the map's slot (NULL when out
 * of memory). */
static size_t chain_find(wdg_map *m, uint64_t h, const size_t *next, uint64_t **slot,
                         int (*same)(const roots_ctx *, size_t, const void *), const roots_ctx *x,
                         const void *item)
{
    int added;
    *slot = wdg_map_put(m, h, WDG_NO_INDEX, &added);
    if (!*slot)
        return WDG_NO_INDEX;
    for (size_t i = (size_t)**slot; i != WDG_NO_INDEX; i = next[i])
        if (same(x, i, item))
            return i;
    return WDG_NO_INDEX;
}

static int root_is(const roots_ctx *x, size_t i, const void *r)
{
    return same_cause(&x->c->d->roots[i], r);
}

static size_t add_root(roots_ctx *x, const wdg_root *r)
{
    wdg_diagnosis *d = x->c->d;
    x->found = r;
    uint64_t *slot;
    size_t i = chain_find(&x->root_at, cause_hash(r), x->root_next, &slot, root_is, x, r);
    if (i != WDG_NO_INDEX || !slot)
        return i;
    if (wdg_grow((void **)&d->roots, &x->cap_roots, d->n_roots + 1, sizeof *d->roots, 16) < 0 ||
        wdg_grow((void **)&x->root_next, &x->cap_root_next, d->n_roots + 1, sizeof *x->root_next,
                 16) < 0)
        return WDG_NO_INDEX;
    d->roots[d->n_roots] = *r;
    x->root_next[d->n_roots] = (size_t)*slot;
    *slot = d->n_roots;
    return d->n_roots++;
}

static int link_root(roots_ctx *x, uint32_t tid, size_t root)
{
    wdg_diagnosis *d = x->c->d;
    if (root == WDG_NO_INDEX)
        return -1;
    int added;
    /* roots number far below 2^32: (root, tid) is one key */
    if (!wdg_map_put(&x->link_at, (uint64_t)root << 32 | tid, 1, &added))
        return -1;
    if (!added)
        return 0;
    if (wdg_grow((void **)&d->links, &x->cap_links, d->n_links + 1, sizeof *d->links, 16) < 0)
        return -1;
    wdg_root_link l = {tid, root, 0, 0, 0, 0, 0, 0, 0};
    const wdg_root *f = x->found;   /* this waiter's finding (a cycle's says neither) */
    if (f && f->has_obj) {
        l.has_obj = 1;
        l.obj = f->obj;
    }
    if (f && f->has_key) {
        l.has_key = 1;
        l.cat = f->cat;
        l.key_has_lr = f->key_has_lr;
        l.lr = f->lr;
        l.op = f->op;
    }
    d->links[d->n_links++] = l;
    x->found = NULL;
    return 0;
}

static int edge_is(const roots_ctx *x, size_t i, const void *item)
{
    const wdg_edge *a = &x->c->d->edges[i], *e = item;
    return a->from == e->from && a->to == e->to && a->lr == e->lr && a->op == e->op &&
           a->cat == e->cat;
}

static int add_edge(roots_ctx *x, const wdg_edge *e)
{
    wdg_diagnosis *d = x->c->d;
    uint64_t *slot;
    if (chain_find(&x->edge_at, edge_hash(e), x->edge_next, &slot, edge_is, x, e) != WDG_NO_INDEX)
        return 0;
    if (!slot ||
        wdg_grow((void **)&d->edges, &x->cap_edges, d->n_edges + 1, sizeof *d->edges, 16) < 0 ||
        wdg_grow((void **)&x->edge_next, &x->cap_edge_next, d->n_edges + 1, sizeof *x->edge_next,
                 16) < 0)
        return -1;
    d->edges[d->n_edges] = *e;
    x->edge_next[d->n_edges] = (size_t)*slot;
    *slot = d->n_edges++;
    return 0;
}

static void root_init(wdg_root *r, int kind)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    snprintf(r->family, sizeof r->family, "-");
}

static void root_evidence(wdg_root *r, int cand, size_t event, const char *what)
{
    if (event != WDG_NO_INDEX && r->n_evidence < WDG_MAX_EVIDENCE)
        r->evidence[r->n_evidence++] = (wdg_evidence_event){cand, event, what};
}

/* the wedged thread w (waiting on cand object o) the root is found for */
static void root_waiter(wdg_root *r, const wdg_thread *w)
{
    r->has_waiter = 1;
    r->waiter = w->tid;
    root_evidence(r, 1, w->last, "wait");
}

/* a wedged thread no root explains, and why (the first reason stays) */
static void unexplained(roots_ctx *x, const wdg_thread *w, int has_obj, wdg_addr obj,
                        const char *why)
{
    long k = diag_thread_index(&x->c->cand, w->tid);
    if (k < 0 || x->why[k])
        return;
    x->why[k] = why;
    x->why_has_obj[k] = (char)has_obj;
    x->why_obj[k] = obj;
}

/* how the object map matched cand object o: by similarity is a guess */
static unsigned object_inferred(const roots_ctx *x, wdg_addr o)
{
    uint64_t *how = wdg_map_get(&x->how_of, o);
    if (!how)
        return 0;
    if (*how == WDG_OBJ_HOW_ORPHAN)
        return WDG_INFER_ORPHAN;
    return *how == WDG_OBJ_HOW_PRODUCERS || *how == WDG_OBJ_HOW_WAITERS ? WDG_INFER_OBJECT : 0;
}

static void root_key_of(wdg_root *r, const wdg_ops *ops, const wdg_event *e)
{
    r->has_key = 1;
    r->cat = wdg_ev_cat(ops, e);
    r->key_has_lr = (e->flags & WDG_EV_LR) != 0;
    r->lr = r->key_has_lr ? wdg_ev_lr(e) : 0;
    r->op = e->op;
}

/* A wait site (a wait or signal_wait at w's lr, or w's op where either
 * has no lr) and a key, worked out once for a
 * scan over a thread's events: the scans compared each event with both,
 * looking the key of key_ev up again per event. */
typedef struct site_key {
    const wdg_ops *ops;
    int by_lr, w_has_lr;
    wdg_addr w_lr;
    uint32_t w_op;
    uint64_t key;
} site_key;

static site_key site_key_of(const engine_view *v, const wdg_keytable *kt, const wdg_event *w,
                            const wdg_event *key_ev)
{
    return (site_key){v->t->ops, kt->by_lr, (w->flags & WDG_EV_LR) != 0,
                      (w->flags & WDG_EV_LR) ? wdg_ev_lr(w) : 0, w->op, ev_key(kt, key_ev)};
}

/* 1 when e waits at the site, 2 when it fires the key, else 0 */
static int site_or_key(const site_key *sk, const wdg_event *e)
{
    int cat = wdg_ev_cat(sk->ops, e);
    int lr = (e->flags & WDG_EV_LR) != 0;
    if (cat == WDG_CAT_WAIT || cat == WDG_CAT_SIGNAL_WAIT) {
        if (lr && sk->w_has_lr ? wdg_ev_lr(e) == sk->w_lr : e->op == sk->w_op)
            return 1;
    }
    uint64_t key = sk->by_lr && lr ? (uint64_t)cat << 33 | wdg_addr_key33(wdg_ev_lr(e))
                                   : (uint64_t)1 << 40 | (uint64_t)cat << 32 | e->op;
    return key == sk->key ? 2 : 0;
}

/* Iterations of thread k of view v at wait site w: how many, and in how
 * many the key of event key_ev is fired.  Iterations are the events after
 * each wait at the site up to the next. */
static void iterations(const engine_view *v, size_t k, const wdg_event *w, const wdg_event *key_ev,
                       const wdg_keytable *kt, uint64_t *total, uint64_t *with)
{
    *total = *with = 0;
    int in = 0, fired = 0;
    site_key sk = site_key_of(v, kt, w, key_ev);
    for (size_t i = v->start[k]; i < v->start[k + 1]; i++) {
        int is = site_or_key(&sk, &v->t->events[v->by_thread[i]]);
        if (is == 1) {
            if (in) {
                (*total)++;
                *with += (uint64_t)fired;
            }
            in = 1;
            fired = 0;
            continue;
        }
        if (in && is == 2)
            fired = 1;
    }
}

/* Does the cand thread's last iteration (after its previous wait at the
 * site of its last wait) fire the key?  -1 when it has no previous wait
 * there: it never went round its loop. */
static int last_iteration_fires(const engine_view *v, size_t k, const wdg_event *key_ev,
                                const wdg_keytable *kt)
{
    size_t first = v->start[k], last = v->start[k + 1] - 1;
    const wdg_event *w = &v->t->events[v->by_thread[last]];
    site_key sk = site_key_of(v, kt, w, key_ev);
    for (size_t i = last; i-- > first;) {
        int is = site_or_key(&sk, &v->t->events[v->by_thread[i]]);
        if (is)
            return is == 1 ? 0 : 1;
    }
    return -1;
}

/* --- key caches: one pass over a thread for all the waiters it matters to */

/* The last event of each key of cand thread k, by its position in the
 * thread (by_thread), built on the first question about k; NULL when out
 * of memory. */
static const wdg_map *last_keys(roots_ctx *x, size_t k)
{
    const engine_view *v = &x->c->cand;
    if (!x->last_of) {
        x->last_of = calloc(v->n + 1, sizeof *x->last_of);
        x->last_built = calloc(v->n + 1, 1);
        if (!x->last_of || !x->last_built)
            return NULL;
    }
    if (!x->last_built[k]) {
        for (size_t i = v->start[k]; i < v->start[k + 1]; i++) {
            uint64_t *at = wdg_map_put(&x->last_of[k], ev_key(x->c->kt, &v->t->events[v->by_thread[i]]),
                                       0, NULL);
            if (!at)
                return NULL;
            *at = i;
        }
        x->last_built[k] = 1;
    }
    return &x->last_of[k];
}

static void last_keys_free(roots_ctx *x)
{
    for (size_t k = 0; x->last_of && k < x->c->cand.n; k++)
        wdg_map_free(&x->last_of[k]);
    free(x->last_of);
    free(x->last_built);
}

/* Does cand thread k fire the key after time since (on any object)?  A
 * thread's events are in time order (wdg_trace_finalize), so it does when
 * its last event of the key came after since.  -1 when out of memory. */
static int fires_after(roots_ctx *x, size_t k, const wdg_event *key_ev, int64_t since)
{
    const engine_view *v = &x->c->cand;
    const wdg_map *last = last_keys(x, k);
    if (!last)
        return -1;
    const uint64_t *at = wdg_map_get(last, ev_key(x->c->kt, key_ev));
    return at && ev_time(v->t, &v->t->events[v->by_thread[*at]]) > since;
}

static void set_family(wdg_root *r, const wdg_thread *th)
{
    if (th)
        wdg_utf8_snprintf(r->family, sizeof r->family, "%s", th->family);
}

/* The index of the first producer record of ro in the sorted index
 * (n_prods when it has none). */
static size_t first_prod_of(const roots_ctx *x, wdg_addr ro)
{
    size_t lo = 0, hi = x->n_prods;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->prods[mid].obj < ro)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The producers of ref object ro, for wedged thread W waiting on cand object o. */
static int follow_producers(roots_ctx *x, const wdg_thread *w, wdg_addr o, wdg_addr ro)
{
    diag_ctx *c = x->c;
    const engine_view *rv = &c->ref, *cv = &c->cand;
    const wdg_event *we = &cv->t->events[w->last];
    int64_t since = ev_time(cv->t, we);
    /* the distinct (ref thread, key) producers of ro, from the index */
    size_t lo = first_prod_of(x, ro);
    int rc = 0;
    for (size_t p = lo; rc == 0 && p < x->n_prods && x->prods[p].obj == ro; p++) {
        const wdg_event *e = &rv->t->events[x->prods[p].event];
        long ri = diag_thread_index(rv, e->tid);
        const wdg_thread *r = &rv->threads[ri];
        wdg_root root;
        root_init(&root, WDG_ROOT_MISSING_THREAD);
        root_key_of(&root, rv->t->ops, e);
        root.has_obj = 1;
        root.obj = o;
        root.has_ref_obj = 1;
        root.ref_obj = ro;
        root_waiter(&root, w);
        root_evidence(&root, 0, x->prods[p].event, "reference producer");
        root.inferred = object_inferred(x, o) | (x->ref_has_waits ? 0 : WDG_INFER_NO_REF_WAITS);
        root.has_ref_tid = 1;
        root.ref_tid = r->tid;
        root.has_entry = r->has_entry;
        root.entry_pc = r->entry_pc;
        set_family(&root, r);
        long ci = r->has_analog ? diag_thread_index(cv, r->analog) : -1;
        if (ci < 0) {
            rc = link_root(x, w->tid, add_root(x, &root));
            continue;
        }
        const wdg_thread *ct = &cv->threads[ci];
        if (r->how == WDG_HOW_SIGNATURE)
            root.inferred |= WDG_INFER_SIGNATURE;
        if (r->how == WDG_HOW_CALL_SITE)
            root.inferred |= WDG_INFER_CALL_SITE;
        if (r->how == WDG_HOW_ELIMINATION)
            root.inferred |= WDG_INFER_ELIMINATION;
        if (ct->count)   /* a thread created but never run has no event of its own */
            root_evidence(&root, 1, ct->last, ct->state == WDG_TS_WEDGED ? "its wait" : "its last event");
        root.has_tid = 1;
        root.tid = ct->tid;
        if (ct->has_entry) {
            root.has_entry = 1;
            root.entry_pc = ct->entry_pc;
        }
        set_family(&root, ct);
        const wdg_event *cwait = &cv->t->events[ct->last];
        if (ct->state == WDG_TS_WEDGED && ct->divergent) {
            uint64_t total, with;
            int from_cand = 0;
            int fires = last_iteration_fires(cv, (size_t)ci, e, c->kt);
            iterations(rv, (size_t)ri, cwait, e, c->kt, &total, &with);
            if (!total && fires >= 0) {
                /* the reference shows no waits there (a producer-only
                 * trace): the cand thread's own earlier iterations stand in */
                iterations(cv, (size_t)ci, cwait, e, c->kt, &total, &with);
                total--;   /* less its last iteration */
                with -= (uint64_t)(fires == 1);
                from_cand = 1;
            }
            if (total && 2 * with >= total && fires == 0) {
                root.kind = WDG_ROOT_SKIPPED_PRODUCER;
                root.ref_fires = with;
                root.ref_iterations = total;
                root.evidence_from_cand = from_cand;
                root.inferred |= from_cand ? WDG_INFER_CAND_ITERATIONS : 0;
                rc = link_root(x, w->tid, add_root(x, &root));
            } else {
                wdg_edge edge = {w->tid, ct->tid, wdg_ev_cat(rv->t->ops, e), (e->flags & WDG_EV_LR) != 0,
                                 (e->flags & WDG_EV_LR) ? wdg_ev_lr(e) : 0, e->op, o, total == 0};
                rc = add_edge(x, &edge);
            }
        } else if (ct->state == WDG_TS_WEDGED) {
            continue;   /* idle at the same wait in both engines: no fault of its own */
        } else if (ev_time(cv->t, &cv->t->events[ct->last]) > since) {
            int fires = fires_after(x, (size_t)ci, e, since);
            if (fires < 0)
                return -1;
            if (!fires) {
                root.kind = WDG_ROOT_LIVE_MISSING_PRODUCER;
                rc = link_root(x, w->tid, add_root(x, &root));
            }
        } else {
            root.kind = WDG_ROOT_SILENT_THREAD;
            rc = link_root(x, w->tid, add_root(x, &root));
        }
    }
    return rc;
}

/* --- external: input from outside the program ---------------------------- */

/* x->cand_prod: every cand object a producer event names */
static int index_cand_producers(roots_ctx *x)
{
    const engine_view *v = &x->c->cand;
    for (size_t i = 0; i < v->t->n_events; i++) {
        const wdg_event *e = &v->t->events[i];
        if (wdg_category_is_producer(wdg_ev_cat(v->t->ops, e)) && (e->flags & WDG_EV_OBJ) &&
            !wdg_map_put(&x->cand_prod, diag_obj(v, wdg_ev_obj(e)), 1, NULL))
            return -1;
    }
    return 0;
}

static int ref_produced(const roots_ctx *x, wdg_addr ro)
{
    size_t lo = first_prod_of(x, ro);
    return lo < x->n_prods && x->prods[lo].obj == ro;
}

/* The first wait of ref thread r on ro with no timeout that returned (an
 * event of r follows it) because of ro, or WDG_NO_INDEX.  A WaitAny of
 * several objects may have returned for another one: it does not count. */
static size_t ref_wait_returned(const engine_view *rv, size_t r, wdg_addr ro)
{
    wdg_addr objs[64];
    for (size_t i = rv->start[r]; i + 1 < rv->start[r + 1]; i++) {
        const wdg_event *e = &rv->t->events[rv->by_thread[i]];
        if ((wdg_ev_cat(rv->t->ops, e) != WDG_CAT_WAIT && wdg_ev_cat(rv->t->ops, e) != WDG_CAT_SIGNAL_WAIT) || (e->flags & WDG_EV_TIMEOUT))
            continue;
        int n = diag_wait_objs(rv, e, objs);
        if (n > 1 && !(e->flags & WDG_EV_WAIT_ALL))
            continue;
        for (int k = 0; k < n; k++)
            if (objs[k] == ro)
                return rv->by_thread[i];
    }
    return WDG_NO_INDEX;
}

/* Root external for W waiting on cand object o (ref object ro): both
 * traces log producers, neither shows one of o or ro, and W's analog
 * waited on ro in the reference and went on.  What woke it there is not in
 * the traces: input from outside the program (a pipe, a socket, a
 * terminal), which reached the reference run and not the candidate's.
 * Wedge cannot see outside the process, so the root is always inferred. */
static int external_root(roots_ctx *x, const wdg_thread *w, wdg_addr o, wdg_addr ro)
{
    const diag_ctx *c = x->c;
    const unsigned producers = WDG_CAT_BIT(WDG_CAT_SET) | WDG_CAT_BIT(WDG_CAT_RELEASE);
    if ((c->common & producers) != producers || !w->has_analog || ref_produced(x, ro) ||
        wdg_map_get(&x->cand_prod, o))
        return 0;
    long ri = diag_thread_index(&c->ref, w->analog);
    size_t back = ri < 0 ? WDG_NO_INDEX : ref_wait_returned(&c->ref, (size_t)ri, ro);
    if (back == WDG_NO_INDEX)
        return 0;
    wdg_root root;
    root_init(&root, WDG_ROOT_EXTERNAL);
    root.has_tid = 1;
    root.tid = w->tid;
    root.has_ref_tid = 1;
    root.ref_tid = w->analog;
    root.has_entry = w->has_entry;
    root.entry_pc = w->entry_pc;
    set_family(&root, w);
    root_key_of(&root, c->cand.t->ops, &c->cand.t->events[w->last]);
    root.has_obj = 1;
    root.obj = o;
    root.has_ref_obj = 1;
    root.ref_obj = ro;
    root_waiter(&root, w);
    root_evidence(&root, 0, back, "reference wait that returned");
    root.inferred = WDG_INFER_OUTSIDE | object_inferred(x, o) |
                    (w->how == WDG_HOW_SIGNATURE ? WDG_INFER_SIGNATURE : 0) |
                    (w->how == WDG_HOW_CALL_SITE ? WDG_INFER_CALL_SITE : 0) |
                    (w->how == WDG_HOW_ELIMINATION ? WDG_INFER_ELIMINATION : 0);
    return link_root(x, w->tid, add_root(x, &root));
}

static int examine(roots_ctx *x, const wdg_thread *w)
{
    diag_ctx *c = x->c;
    const engine_view *cv = &c->cand;
    const wdg_event *we = &cv->t->events[w->last];
    wdg_addr objs[64];
    int n = diag_wait_objs(cv, we, objs);
    int all = n > 1 && (we->flags & WDG_EV_WAIT_ALL);
    int positive[64], n_pos = 0;
    size_t by[64];
    for (int k = 0; k < n; k++) {
        uint64_t *i = wdg_map_get(&x->bal, objs[k]);
        /* a latched signal left unconsumed, or a pulse while W waited */
        by[k] = i && x->bals[*i].value > 0 ? x->bals[*i].last_producer
                                            : delivered(x, w->tid, objs[k]);
        positive[k] = (i && x->bals[*i].value > 0) || by[k] != WDG_NO_INDEX;
        n_pos += positive[k];
    }
    for (int k = 0; k < n; k++) {
        if (!positive[k] || (all && n_pos < n))
            continue;
        /* a signal was left unconsumed while W waited */
        wdg_root root;
        root_init(&root, WDG_ROOT_SIGNALED_BUT_BLOCKED);
        root.has_tid = 1;
        root.tid = w->tid;
        root.has_ref_tid = w->has_analog;
        root.ref_tid = w->analog;
        root.has_entry = w->has_entry;
        root.entry_pc = w->entry_pc;
        set_family(&root, w);
        root.has_obj = 1;
        root.obj = objs[k];
        if (by[k] != WDG_NO_INDEX)
            root_key_of(&root, cv->t->ops, &cv->t->events[by[k]]);
        root_waiter(&root, w);
        root_evidence(&root, 1, by[k], "unconsumed signal");
        if (link_root(x, w->tid, add_root(x, &root)) < 0)
            return -1;
        if (all)
            return 0;   /* one root says it for the whole WaitAll */
    }
    if (n_pos && !all)
        return 0;
    size_t links = c->d->n_links, edges = c->d->n_edges;
    int unmapped = -1;
    for (int k = 0; k < n; k++) {
        if (positive[k])
            continue;   /* in a WaitAll, that one did its part */
        uint64_t *ro = wdg_map_get(&x->ref_of, objs[k]);
        if (!ro) {
            if (unmapped < 0)
                unmapped = k;
            continue;
        }
        if (follow_producers(x, w, objs[k], *ro) < 0 || external_root(x, w, objs[k], *ro) < 0)
            return -1;
    }
    /* an object with no ref counterpart: for a WaitAny it matters only
     * when no other object of the wait explains it */
    int explained = c->d->n_links > links || c->d->n_edges > edges;
    if (unmapped >= 0 && (all || !explained))
        unexplained(x, w, 1, objs[unmapped],
                    "the object it waits on has no counterpart in the reference");
    return 0;
}

/* --- graph: components, cycles, blocks ---------------------------------- */

static long node_of(const diag_ctx *c, uint32_t tid)
{
    long k = diag_thread_index(&c->cand, tid);
    return k >= 0 && c->cand.threads[k].state == WDG_TS_WEDGED && c->cand.threads[k].divergent
               ? k
               : -1;
}

/* The wait-for graph: its nodes are the wedged divergent cand threads (by
 * cand thread index), its edges the wait edges between two nodes, kept
 * both ways in compressed rows (node k's successors are
 * out[out_at[k] .. out_at[k + 1]), its predecessors likewise in in[]).
 * comp[k] is k's strongly connected component; components are numbered in
 * the order Tarjan's algorithm completes them, so every edge between two
 * components leads to a lower number; members[] lists the nodes component
 * by component (component i from comp_at[i]). */
typedef struct wgraph {
    size_t n;                  /* cand threads, nodes or not */
    size_t *out_at, *out, *in_at, *in;
    size_t *comp;              /* NO_COMP for a thread that is no node */
    size_t n_comps;
    size_t *comp_at, *members;
    char *linked;              /* per thread: it has a root link */
} wgraph;

#define NO_COMP WDG_NO_COMP

static void graph_free(wgraph *g)
{
    free(g->out_at);
    free(g->out);
    free(g->in_at);
    free(g->in);
    free(g->comp);
    free(g->comp_at);
    free(g->members);
    free(g->linked);
}

/* the rows: at[] counts first, then offsets, then the filled rows */
static void graph_rows(const diag_ctx *c, size_t *at, size_t *row, int forward)
{
    const wdg_diagnosis *d = c->d;
    size_t n = c->cand.n;
    memset(at, 0, (n + 2) * sizeof *at);
    for (size_t e = 0; e < d->n_edges; e++) {
        long f = node_of(c, d->edges[e].from), t = node_of(c, d->edges[e].to);
        if (f >= 0 && t >= 0)
            at[(size_t)(forward ? f : t) + 2]++;
    }
    for (size_t k = 0; k < n; k++)
        at[k + 2] += at[k + 1];
    for (size_t e = 0; e < d->n_edges; e++) {
        long f = node_of(c, d->edges[e].from), t = node_of(c, d->edges[e].to);
        if (f >= 0 && t >= 0)
            row[at[(size_t)(forward ? f : t) + 1]++] = (size_t)(forward ? t : f);
    }
}

/* the components of the nodes (wedged divergent threads), by scc.c */
static int graph_components(const diag_ctx *c, wgraph *g)
{
    char *is_node = malloc(g->n + 1);
    if (!is_node)
        return -1;
    for (size_t k = 0; k < g->n; k++)
        is_node[k] = node_of(c, c->cand.threads[k].tid) >= 0;
    int rc = wdg_scc(g->n, g->out_at, g->out, is_node, g->comp, g->comp_at, g->members,
                     &g->n_comps);
    free(is_node);
    return rc;
}

static int graph_build(const diag_ctx *c, wgraph *g)
{
    size_t n = c->cand.n;
    memset(g, 0, sizeof *g);
    g->n = n;
    size_t m = c->d->n_edges;
    g->out_at = malloc((n + 2) * sizeof *g->out_at);
    g->in_at = malloc((n + 2) * sizeof *g->in_at);
    g->out = malloc((m + 1) * sizeof *g->out);
    g->in = malloc((m + 1) * sizeof *g->in);
    g->comp = malloc((n + 1) * sizeof *g->comp);
    g->comp_at = malloc((n + 1) * sizeof *g->comp_at);
    g->members = malloc((n + 1) * sizeof *g->members);
    g->linked = malloc(n + 1);
    if (!g->out_at || !g->in_at || !g->out || !g->in || !g->comp || !g->comp_at || !g->members ||
        !g->linked)
        return -1;
    graph_rows(c, g->out_at, g->out, 1);
    graph_rows(c, g->in_at, g->in, 0);
    return graph_components(c, g);
}

/* g->linked from the root links as they stand */
static void graph_links(const diag_ctx *c, wgraph *g)
{
    memset(g->linked, 0, g->n + 1);
    for (size_t l = 0; l < c->d->n_links; l++) {
        long j = diag_thread_index(&c->cand, c->d->links[l].tid);
        if (j >= 0)
            g->linked[j] = 1;
    }
}

/* ok[i]: component i reaches (or holds) a node with a root link.  Edges
 * between components lead to lower numbers, so one pass upward does. */
static void reaching_roots(const diag_ctx *c, wgraph *g, char *ok)
{
    graph_links(c, g);
    for (size_t i = 0; i < g->n_comps; i++) {
        ok[i] = 0;
        for (size_t m = g->comp_at[i]; m < g->comp_at[i + 1] && !ok[i]; m++) {
            size_t v = g->members[m];
            ok[i] = g->linked[v];
            for (size_t e = g->out_at[v]; e < g->out_at[v + 1] && !ok[i]; e++)
                ok[i] = g->comp[g->out[e]] != i && ok[g->comp[g->out[e]]];
        }
    }
}

/* seen[] marks the nodes reachable from the marked nodes in stack[0..sp)
 * along out (forward) or in (backward) */
static void graph_walk(const wgraph *g, int forward, char *seen, size_t *stack, size_t sp)
{
    const size_t *at = forward ? g->out_at : g->in_at, *row = forward ? g->out : g->in;
    while (sp) {
        size_t v = stack[--sp];
        for (size_t e = at[v]; e < at[v + 1]; e++)
            if (!seen[row[e]]) {
                seen[row[e]] = 1;
                stack[sp++] = row[e];
            }
    }
}

/* graph_walk backward, listing each node it marks in reached[] after the
 * nr there; returns the new count */
static size_t walk_reached(const wgraph *g, char *seen, size_t *stack, size_t sp, size_t *reached,
                           size_t nr)
{
    while (sp) {
        size_t v = stack[--sp];
        for (size_t e = g->in_at[v]; e < g->in_at[v + 1]; e++)
            if (!seen[g->in[e]]) {
                seen[g->in[e]] = 1;
                stack[sp++] = g->in[e];
                reached[nr++] = g->in[e];
            }
    }
    return nr;
}

static int uint_order(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int addr_order(const void *a, const void *b)
{
    wdg_addr x = *(const wdg_addr *)a, y = *(const wdg_addr *)b;
    return x < y ? -1 : x > y;
}

static int root_order(const void *a, const void *b)
{
    const wdg_root *x = a, *y = b;
    if (x->n_blocks != y->n_blocks)
        return x->n_blocks > y->n_blocks ? -1 : 1;
    uint32_t tx = x->has_tid ? x->tid : x->ref_tid;
    uint32_t ty = y->has_tid ? y->tid : y->ref_tid;
    if (tx != ty)
        return tx < ty ? -1 : 1;
    return x->kind - y->kind;
}

/* Does component i close a cycle: two members, or one waiting on itself? */
static int cyclic(const wgraph *g, size_t i)
{
    if (g->comp_at[i + 1] - g->comp_at[i] > 1)
        return 1;
    size_t v = g->members[g->comp_at[i]];
    for (size_t e = g->out_at[v]; e < g->out_at[v + 1]; e++)
        if (g->out[e] == v)
            return 1;
    return 0;
}

/* A rung nobody could check, among the nodes component i reaches, makes
 * its cycle a guess. */
static int unproven_from(const diag_ctx *c, const wgraph *g, size_t i, char *seen, size_t *stack)
{
    const wdg_diagnosis *d = c->d;
    memset(seen, 0, g->n + 1);
    size_t v = g->members[g->comp_at[i]];
    seen[v] = 1;
    stack[0] = v;
    graph_walk(g, 1, seen, stack, 1);
    for (size_t e = 0; e < d->n_edges; e++) {
        long f = diag_thread_index(&c->cand, d->edges[e].from);
        long t = diag_thread_index(&c->cand, d->edges[e].to);
        if (f >= 0 && t >= 0 && seen[f] && seen[t] && d->edges[e].unproven)
            return 1;
    }
    return 0;
}

/* The cycle roots: a cyclic component that reaches no root is a true
 * deadlock, one root (named by its lowest thread id) linked to each
 * member, or each member unexplained when a rung is unproven. */
static int cycle_roots(roots_ctx *x, const wgraph *g, const char *ok, char *seen, size_t *stack)
{
    diag_ctx *c = x->c;
    /* per component: unproven_from's answer plus one, once asked (it walks
     * the graph, so it is asked once per component, not per member) */
    char *unproven = calloc(g->n_comps + 1, 1);
    if (!unproven)
        return -1;
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->comp[k];
        if (i == NO_COMP || ok[i] || g->linked[k] || !cyclic(g, i))
            continue;
        const wdg_thread *th = &c->cand.threads[k];
        if (!unproven[i])
            unproven[i] = (char)(1 + unproven_from(c, g, i, seen, stack));
        if (unproven[i] == 2) {
            unexplained(x, th, 0, 0, "it waits in a cycle with a rung no iteration of either "
                                     "engine could check");
            continue;
        }
        size_t li = k;
        for (size_t m = g->comp_at[i]; m < g->comp_at[i + 1]; m++)
            if (c->cand.threads[g->members[m]].tid < c->cand.threads[li].tid)
                li = g->members[m];
        wdg_root root;
        root_init(&root, WDG_ROOT_CYCLE);
        root.has_tid = 1;
        root.tid = c->cand.threads[li].tid;
        set_family(&root, &c->cand.threads[li]);
        root_waiter(&root, &c->cand.threads[li]);
        root.inferred = x->ref_has_waits ? 0 : WDG_INFER_NO_REF_WAITS;
        size_t ri = add_root(x, &root);
        if (ri == WDG_NO_INDEX || link_root(x, th->tid, ri) < 0) {
            free(unproven);
            return -1;
        }
    }
    free(unproven);
    return 0;
}

static int by_root(const void *a, const void *b)
{
    const wdg_root_link *x = a, *y = b;
    return x->root < y->root ? -1 : x->root > y->root;
}

/* blocks: the nodes whose edges lead to a node linked to each root.  The
 * links are walked root by root (a sorted copy) and only the nodes a walk
 * reached are cleared after it, so the roots cost their links and walks,
 * not the thread table each; blocks are sorted by tid afterwards. */
static int root_blocks(const diag_ctx *c, const wgraph *g, char *seen, size_t *stack)
{
    wdg_diagnosis *d = c->d;
    wdg_root_link *links = malloc((d->n_links + 1) * sizeof *links);
    size_t *reached = malloc((g->n + 1) * sizeof *reached);
    if (!links || !reached) {
        free(links);
        free(reached);
        return -1;
    }
    if (d->n_links) {
        memcpy(links, d->links, d->n_links * sizeof *links);
        qsort(links, d->n_links, sizeof *links, by_root);
    }
    memset(seen, 0, g->n + 1);
    int rc = 0;
    for (size_t r = 0, l = 0; rc == 0 && r < d->n_roots; r++) {
        size_t sp = 0, nr = 0;
        for (; l < d->n_links && links[l].root == r; l++) {
            long j = diag_thread_index(&c->cand, links[l].tid);
            if (j >= 0 && g->comp[j] != NO_COMP && !seen[j]) {
                seen[j] = 1;
                stack[sp++] = (size_t)j;
                reached[nr++] = (size_t)j;
            }
        }
        nr = walk_reached(g, seen, stack, sp, reached, nr);
        d->roots[r].n_blocks = 0;
        d->roots[r].blocks = malloc((nr + 1) * sizeof *d->roots[r].blocks);
        if (!d->roots[r].blocks) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < nr; i++) {
            d->roots[r].blocks[d->roots[r].n_blocks++] = c->cand.threads[reached[i]].tid;
            seen[reached[i]] = 0;
        }
    }
    free(links);
    free(reached);
    return rc;
}

static int finish_graph(roots_ctx *x)
{
    diag_ctx *c = x->c;
    wdg_diagnosis *d = c->d;
    size_t n = c->cand.n;
    wgraph g;
    char *ok = calloc(n + 1, 1), *seen = calloc(n + 1, 1), *out_any = calloc(n + 1, 1);
    size_t *stack = calloc(n + 1, sizeof *stack);
    int rc = 0;
    if (graph_build(c, &g) < 0 || !ok || !seen || !out_any || !stack)
        goto oom;
    /* nodes that reach no root: a cycle among them is a true deadlock */
    reaching_roots(c, &g, ok);
    if (cycle_roots(x, &g, ok, seen, stack) < 0)
        goto oom;
    /* what still reaches nothing ends in threads with no way on */
    reaching_roots(c, &g, ok);
    for (size_t e = 0; e < d->n_edges; e++) {
        long f = diag_thread_index(&c->cand, d->edges[e].from);
        if (f >= 0)
            out_any[f] = 1;
    }
    for (size_t k = 0; k < n; k++) {
        const wdg_thread *th = &c->cand.threads[k];
        if (g.comp[k] != NO_COMP && !ok[g.comp[k]] && !out_any[k])
            unexplained(x, th, 0, 0, "no producer of the objects it waits on says who should "
                                     "have signalled them");
    }
    if (root_blocks(c, &g, seen, stack) < 0)
        goto oom;
    /* sort the roots; links follow the new order */
    size_t *order = malloc((d->n_roots + 1) * sizeof *order);
    wdg_root *sorted = malloc((d->n_roots + 1) * sizeof *sorted);
    if (!order || !sorted) {
        free(order);
        free(sorted);
        goto oom;
    }
    for (size_t r = 0; r < d->n_roots; r++) {
        qsort(d->roots[r].blocks, d->roots[r].n_blocks, sizeof(uint32_t), uint_order);
        sorted[r] = d->roots[r];
    }
    /* sort indexes (insertion: roots are few), so links can follow */
    for (size_t r = 0; r < d->n_roots; r++)
        order[r] = r;
    for (size_t i = 1; i < d->n_roots; i++)
        for (size_t j = i; j > 0 && root_order(&sorted[order[j]], &sorted[order[j - 1]]) < 0; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    size_t *where = malloc((d->n_roots + 1) * sizeof *where);
    if (!where) {
        free(order);
        free(sorted);
        goto oom;
    }
    for (size_t r = 0; r < d->n_roots; r++) {
        d->roots[r] = sorted[order[r]];
        where[order[r]] = r;
    }
    for (size_t l = 0; l < d->n_links; l++)
        d->links[l].root = where[d->links[l].root];
    free(where);
    free(order);
    free(sorted);
    goto done;
oom:
    rc = -1;
done:
    graph_free(&g);
    free(ok);
    free(seen);
    free(out_any);
    free(stack);
    return rc;
}

/* every divergent wedged thread no root blocks, with why */
static int list_unexplained(roots_ctx *x)
{
    diag_ctx *c = x->c;
    wdg_diagnosis *d = c->d;
    d->unexplained = calloc(c->cand.n + 1, sizeof *d->unexplained);
    char *blocked = calloc(c->cand.n + 1, 1);
    if (!d->unexplained || !blocked) {
        free(blocked);
        return -1;
    }
    for (size_t r = 0; r < d->n_roots; r++)
        for (size_t i = 0; i < d->roots[r].n_blocks; i++) {
            long j = diag_thread_index(&c->cand, d->roots[r].blocks[i]);
            if (j >= 0)
                blocked[j] = 1;
        }
    for (size_t k = 0; k < c->cand.n; k++) {
        const wdg_thread *th = &c->cand.threads[k];
        if (node_of(c, th->tid) < 0 || blocked[k])
            continue;
        c->cand.threads[k].unexplained = 1;   /* the DOT graph marks it */
        wdg_unexplained *u = &d->unexplained[d->n_unexplained++];
        u->tid = th->tid;
        wdg_utf8_snprintf(u->family, sizeof u->family, "%s", th->family);
        u->has_obj = x->why[k] && x->why_has_obj[k];
        u->obj = u->has_obj ? x->why_obj[k] : 0;
        u->why = x->why[k] ? x->why[k] : "it waits for wedged threads that are unexplained";
    }
    free(blocked);
    return 0;
}

/* value added to the set *v (of *n, room for *cap) unless there */
static int add_addr(wdg_addr **v, size_t *n, size_t *cap, wdg_addr value)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == value)
            return 0;
    if (wdg_grow((void **)v, cap, *n + 1, sizeof **v, 8) < 0)
        return -1;
    (*v)[(*n)++] = value;
    return 0;
}

/* What list_suspects asks of every producer, worked out once: the ref
 * objects with a counterpart (value 1), and those whose counterpart a
 * divergent wedged thread's last wait names (value 2); the ref tids of
 * missing_thread roots. */
typedef struct suspect_facts {
    wdg_map ref_objs;
    wdg_map missing;
} suspect_facts;

static int suspect_facts_build(const roots_ctx *x, suspect_facts *f)
{
    const diag_ctx *c = x->c;
    const wdg_diagnosis *d = c->d;
    wdg_map waited = WDG_MAP_INIT;   /* cand objects of the nodes' last waits */
    memset(f, 0, sizeof *f);
    for (size_t k = 0; k < c->cand.n; k++) {
        const wdg_thread *th = &c->cand.threads[k];
        wdg_addr objs[64];
        if (node_of(c, th->tid) < 0)
            continue;
        int n = diag_wait_objs(&c->cand, &c->cand.t->events[th->last], objs);
        for (int j = 0; j < n; j++)
            if (!wdg_map_put(&waited, objs[j], 1, NULL))
                goto oom;
    }
    for (size_t i = 0; i < d->n_objects; i++) {
        uint64_t *v = wdg_map_put(&f->ref_objs, d->objects[i].ref, 1, NULL);
        if (!v)
            goto oom;
        if (wdg_map_get(&waited, d->objects[i].cand))
            *v = 2;
    }
    for (size_t r = 0; r < d->n_roots; r++)
        if (d->roots[r].kind == WDG_ROOT_MISSING_THREAD &&
            !wdg_map_put(&f->missing, d->roots[r].ref_tid, 1, NULL))
            goto oom;
    wdg_map_free(&waited);
    return 0;
oom:
    wdg_map_free(&waited);
    wdg_map_free(&f->ref_objs);
    wdg_map_free(&f->missing);
    return -1;
}

/* Is ref object ro one a wedged cand thread may wait on: the counterpart of
 * an object of a divergent wedged thread's wait, or (while some wedged
 * thread waits on an object with no counterpart) an object with none? */
static int waited_on(const suspect_facts *f, wdg_addr ro, int any_unmapped)
{
    const uint64_t *v = wdg_map_get(&f->ref_objs, ro);
    return v ? *v == 2 : any_unmapped;
}

/* reference threads with no analog, not already a root, that produce on
 * objects wedged threads may wait on: listed once */
static int list_suspects(roots_ctx *x)
{
    diag_ctx *c = x->c;
    wdg_diagnosis *d = c->d;
    int any_unmapped = 0;
    suspect_facts f;
    for (size_t i = 0; i < d->n_unexplained; i++)
        any_unmapped |= d->unexplained[i].has_obj;
    d->suspects = calloc(c->ref.n + 1, sizeof *d->suspects);
    if (!d->suspects || suspect_facts_build(x, &f) < 0)
        return -1;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < c->ref.n; k++) {
        const wdg_thread *r = &c->ref.threads[k];
        if (r->has_analog || wdg_map_get(&f.missing, r->tid))
            continue;
        wdg_suspect *s = &d->suspects[d->n_suspects];
        memset(s, 0, sizeof *s);
        size_t cap = 0;
        for (size_t p = 0; p < x->n_prods; p++) {
            const wdg_event *e = &c->ref.t->events[x->prods[p].event];
            if (e->tid == r->tid && waited_on(&f, x->prods[p].obj, any_unmapped) &&
                add_addr(&s->objs, &s->n_objs, &cap, x->prods[p].obj) < 0) {
                free(s->objs);
                rc = -1;
                break;
            }
        }
        if (rc < 0 || !s->n_objs)
            continue;
        qsort(s->objs, s->n_objs, sizeof *s->objs, addr_order);
        s->ref_tid = r->tid;
        s->has_entry = r->has_entry;
        s->entry_pc = r->entry_pc;
        wdg_utf8_snprintf(s->family, sizeof s->family, "%s", r->family);
        d->n_suspects++;
    }
    wdg_map_free(&f.ref_objs);
    wdg_map_free(&f.missing);
    return rc;
}

/* the key of the root's (cat, site): lr-keyed where the key is */
static uint32_t root_key(const wdg_keytable *kt, const wdg_root *x)
{
    for (size_t i = 0; i < kt->n; i++) {
        const wdg_key *k = &kt->keys[i];
        if (k->cat != x->cat)
            continue;
        if (k->has_lr ? x->key_has_lr && k->lr == x->lr : k->op == x->op)
            return (uint32_t)i;
    }
    return WDG_NO_KEY;
}

/* how often ref thread tid fires the root's key (its own events only) */
static uint64_t thread_fires(const wdg_keytable *kt, const engine_view *v, uint32_t tid,
                             const wdg_root *x)
{
    uint64_t n = 0;
    long k = diag_thread_index(v, tid);
    for (size_t i = k >= 0 ? v->start[k] : 0; k >= 0 && i < v->start[k + 1]; i++) {
        const wdg_event *e = &v->t->events[v->by_thread[i]];
        if (wdg_ev_cat(v->t->ops, e) != x->cat)
            continue;
        if (kt->by_lr && x->key_has_lr ? (e->flags & WDG_EV_LR) && wdg_ev_lr(e) == x->lr : e->op == x->op)
            n++;
    }
    return n;
}

/* the facts each root's sentences need (wdg_root's last members) */
/* The candidate's run says it exited normally and none of its threads is
 * wedged: keys that differ in count are scheduling, not a hang
 * (analysis.md, "A candidate that ran to completion"). */
static int ran_to_completion(const engine_view *cand)
{
    if (!cand->t->has_end_marker || cand->t->end_reason != WDG_END_REASON_EXIT)
        return 0;
    for (size_t k = 0; k < cand->n; k++)
        if (cand->threads[k].state == WDG_TS_WEDGED)
            return 0;
    return 1;
}

static void root_facts(const diag_ctx *c)
{
    for (size_t i = 0; i < c->d->n_roots; i++) {
        wdg_root *x = &c->d->roots[i];
        x->key = x->has_key ? root_key(c->kt, x) : WDG_NO_KEY;
        if (x->has_key && x->has_ref_tid)
            x->ref_thread_fires = thread_fires(c->kt, &c->ref, x->ref_tid, x);
    }
}

int diag_roots(diag_ctx *c, wdg_error *err)
{
    roots_ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    wdg_diagnosis *d = c->d;
    int rc = 0;
    for (size_t i = 0; i < d->n_objects; i++)
        if (!wdg_map_put(&x.ref_of, d->objects[i].cand, d->objects[i].ref, NULL) ||
            !wdg_map_put(&x.how_of, d->objects[i].cand, (uint64_t)d->objects[i].how, NULL))
            goto oom;
    x.why = calloc(c->cand.n + 1, sizeof *x.why);
    x.why_obj = calloc(c->cand.n + 1, sizeof *x.why_obj);
    x.why_has_obj = calloc(c->cand.n + 1, 1);
    if (!x.why || !x.why_obj || !x.why_has_obj)
        goto oom;
    for (size_t i = 0; i < c->ref.t->n_events && !x.ref_has_waits; i++)
        x.ref_has_waits = wdg_ev_cat(c->ref.t->ops, &c->ref.t->events[i]) == WDG_CAT_WAIT ||
                          wdg_ev_cat(c->ref.t->ops, &c->ref.t->events[i]) == WDG_CAT_SIGNAL_WAIT;
    x.prods = c->prods;
    x.n_prods = c->n_prods;
    if (account(&x) < 0 || index_cand_producers(&x) < 0)
        goto oom;
    for (size_t k = 0; k < c->cand.n; k++) {
        const wdg_thread *th = &c->cand.threads[k];
        if (th->state != WDG_TS_WEDGED || !th->divergent)
            continue;
        d->divergent_wedged++;
        if (examine(&x, th) < 0)
            goto oom;
    }
    if (finish_graph(&x) < 0 || list_unexplained(&x) < 0 || list_suspects(&x) < 0)
        goto oom;
    root_facts(c);
    /* the outcome counts roots only; an unexplained wedge changes no class */
    for (size_t i = 0; i < c->kt->n; i++) {
        wdg_status st = wdg_key_verdict(c->kt, i);   /* a MIXED key's: its class's */
        d->keys_diverging += st != WDG_ST_MATCH && st != WDG_ST_UNOBSERVABLE;
        d->missing_keys += st == WDG_ST_MISSING;
    }
    if (!d->n_roots) {
        d->completed = d->keys_diverging && ran_to_completion(&c->cand);
        d->outcome = d->keys_diverging && !d->completed ? WDG_OUTCOME_DIVERGED : WDG_OUTCOME_NONE;
    }
    else if (d->n_roots >= 2)
        d->outcome = WDG_OUTCOME_C;
    else if (d->n_roots == 1 && d->roots[0].kind == WDG_ROOT_MISSING_THREAD)
        d->outcome = WDG_OUTCOME_A;
    else
        d->outcome = WDG_OUTCOME_B;
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
done:
    wdg_map_free(&x.bal);
    wdg_map_free(&x.ref_of);
    wdg_map_free(&x.how_of);
    wdg_map_free(&x.cand_prod);
    free(x.why);
    free(x.why_obj);
    free(x.why_has_obj);
    last_keys_free(&x);
    wdg_map_free(&x.root_at);
    wdg_map_free(&x.link_at);
    wdg_map_free(&x.edge_at);
    free(x.root_next);
    free(x.edge_next);
    wdg_map_free(&x.dl_objs);
    free(x.dl);
    free(x.bals);
    return rc;
}
