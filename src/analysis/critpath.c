/* The critical path (docs/analysis.md "Critical path"): families, the
 * reference's family dependency graph, each edge's first divergence in the
 * candidate, and the frontier.  Sorting does the joins, so the whole is
 * O(n log n) in events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/critpath.h"
#include "../base/grow.h"
#include "../base/radix.h"
#include "../base/map.h"
#include "par.h"
#include "scc.h"

/* qsort, which must not see a NULL array even when it is empty */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(v, n, size, cmp);
}

const char *wdg_cp_status_name(int status)
{
    static const char *const names[] = {"healthy", "short", "late", "unobservable"};
    return status >= 0 && status <= WDG_CP_UNOBSERVABLE ? names[status] : "?";
}

/* --- families ----------------------------------------------------------- */

typedef struct build {
    wdg_critpath *cp;
    size_t cap_families;
    wdg_map by_name;           /* hash of a name -> family index */
    const wdg_trace *tr[2];
    const wdg_keytable *kt;
    const wdg_diagnosis *d;
    const wdg_symbols *symbols;
    uint32_t *fam_of_event[2]; /* per event: its thread's family */
} build;

static long family_index(build *b, const char *name)
{
    uint64_t h = wdg_hash_bytes(name, strlen(name)) & ~(uint64_t)0 >> 1;
    wdg_critpath *cp = b->cp;
    uint64_t *slot = wdg_map_get(&b->by_name, h);
    if (slot && strcmp(cp->families[*slot].name, name) == 0)
        return (long)*slot;
    if (slot) /* two names, one hash: look the long way */
        for (size_t i = 0; i < cp->n_families; i++)
            if (strcmp(cp->families[i].name, name) == 0)
                return (long)i;
    if (wdg_grow((void **)&cp->families, &b->cap_families, cp->n_families + 1,
                 sizeof *cp->families, 16) < 0)
        return -1;
    wdg_cp_family *f = &cp->families[cp->n_families];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    if (!slot && !wdg_map_put(&b->by_name, h, cp->n_families, NULL))
        return -1;
    return (long)cp->n_families++;
}

/* An engine's main: the thread the thread map paired as main, else, in a
 * trace that logs creations, the thread nobody created whose first event
 * comes first; NULL in a trace that logs none (an audit log's first
 * thread may be a loader). */
static const wdg_thread *main_of(const wdg_diagnosis *d, int cand)
{
    const wdg_thread *all = cand ? d->cand_threads : d->ref_threads, *best = NULL;
    size_t n = cand ? d->n_cand_threads : d->n_ref_threads;
    int creations = 0;
    for (size_t i = 0; i < n; i++) {
        if (all[i].has_analog && all[i].how == WDG_HOW_MAIN)
            return &all[i];
        creations |= all[i].has_creator;
        if (!all[i].has_creator && (!best || all[i].first < best->first))
            best = &all[i];
    }
    return creations ? best : NULL;
}

static int cmp_addr(const void *x, const void *y)
{
    wdg_addr a = *(const wdg_addr *)x, b = *(const wdg_addr *)y;
    return a < b ? -1 : a > b;
}

/* The function holding the thread's most frequent producer lr (the lowest
 * on a tie), as the symbols name it: the thread pairing's call-site rule,
 * for a thread no creation or pair names.  0 when none, -1 on no memory. */
static int site_family(build *b, int side, size_t k, char *out, size_t cap)
{
    const wdg_diagnosis *d = b->d;
    const size_t *ev = side ? d->cand_events : d->ref_events;
    const size_t *start = side ? d->cand_start : d->ref_start;
    const wdg_trace *t = b->tr[side];
    wdg_addr *lr = malloc((start[k + 1] - start[k] + 1) * sizeof *lr);
    size_t n = 0, best = 0, best_n = 0;
    const char *name;
    wdg_addr at;
    if (!lr)
        return -1;
    for (size_t i = start[k]; i < start[k + 1]; i++) {
        const wdg_event *e = &t->events[ev[i]];
        if (wdg_category_is_producer(wdg_ev_cat(t->ops, e)) && (e->flags & WDG_EV_LR))
            lr[n++] = wdg_ev_lr(e);
    }
    sort(lr, n, sizeof *lr, cmp_addr);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && lr[j] == lr[i]; j++)
            ;
        if (j - i > best_n)
            best = i, best_n = j - i;
    }
    int found = best_n && wdg_symbols_lookup(b->symbols, lr[best], &name, &at);
    if (found)
        snprintf(out, cap, "%s", name);
    free(lr);
    return found;
}

/* A thread's family name: its own, else its analog's, else main (it is
 * its engine's main or its analog the other's), else the function of its
 * producer sites, else the thread alone. */
static int family_name(build *b, const wdg_thread *th, int cand, size_t k,
                       const wdg_thread *const mains[2], char *out, size_t cap)
{
    const wdg_diagnosis *d = b->d;
    if (strcmp(th->family, "-") != 0) {
        snprintf(out, cap, "%s", th->family);
        return 0;
    }
    const wdg_thread *other =
        th->has_analog ? (cand ? wdg_diag_ref_thread(d, th->analog) : wdg_diag_cand_thread(d, th->analog))
                       : NULL;
    if (other && strcmp(other->family, "-") != 0)
        snprintf(out, cap, "%s", other->family);
    else if (th == mains[cand] || (other && other == mains[!cand]))
        snprintf(out, cap, "main");
    else {
        int rc = site_family(b, cand, k, out, cap);
        if (rc <= 0)
            snprintf(out, cap, "%stid %u", cand ? "cand " : "", (unsigned)th->tid);
        return rc < 0 ? -1 : 0;
    }
    return 0;
}

static int families(build *b)
{
    const wdg_diagnosis *d = b->d;
    const wdg_thread *mains[2] = {main_of(d, 0), main_of(d, 1)};
    for (int side = 0; side < 2; side++) {
        const wdg_thread *th = side ? d->cand_threads : d->ref_threads;
        size_t n = side ? d->n_cand_threads : d->n_ref_threads;
        const size_t *ev = side ? d->cand_events : d->ref_events;
        const size_t *start = side ? d->cand_start : d->ref_start;
        b->fam_of_event[side] = calloc(b->tr[side]->n_events + 1, sizeof(uint32_t));
        if (!b->fam_of_event[side])
            return -1;
        for (size_t k = 0; k < n; k++) {
            char name[96];
            long f = family_name(b, &th[k], side, k, mains, name, sizeof name) < 0
                         ? -1
                         : family_index(b, name);
            if (f < 0)
                return -1;
            if (side)
                b->cp->families[f].cand_threads++;
            else
                b->cp->families[f].ref_threads++;
            for (size_t i = start[k]; i < start[k + 1]; i++)
                b->fam_of_event[side][ev[i]] = (uint32_t)f;
        }
    }
    return 0;
}

/* --- the records the joins sort ------------------------------------------ */

typedef struct prec {          /* a producer event */
    uint32_t fam, key;
    wdg_addr obj;
    size_t ev;
} prec;

typedef struct wrec {          /* a waiter family on a (reference) object */
    wdg_addr obj;
    uint32_t fam;
    uint64_t n;
    int inferred;              /* from the candidate's waits */
} wrec;

typedef struct eobj {          /* an edge on one object: producer records [lo, hi) */
    uint32_t p, c, key;
    wdg_addr obj;
    size_t lo, hi;
    uint64_t waits;
    int inferred;
} eobj;

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int cmp_prec(const void *x, const void *y)
{
    const prec *a = x, *b = y;
    int r = CMP(a->fam, b->fam);
    if (!r)
        r = CMP(a->key, b->key);
    if (!r)
        r = CMP(a->obj, b->obj);
    return r ? r : CMP(a->ev, b->ev);
}

static int cmp_wrec(const void *x, const void *y)
{
    const wrec *a = x, *b = y;
    int r = CMP(a->obj, b->obj);
    if (!r)
        r = CMP(a->inferred, b->inferred);
    return r ? r : CMP(a->fam, b->fam);
}

static int cmp_eobj(const void *x, const void *y)
{
    const eobj *a = x, *b = y;
    int r = CMP(a->p, b->p);
    if (!r)
        r = CMP(a->c, b->c);
    if (!r)
        r = CMP(a->key, b->key);
    return r ? r : CMP(a->obj, b->obj);
}

/* the objects an event waits on: a signal_wait's objs[0], else obj and objs */
static int wait_objs(const wdg_trace *t, const wdg_event *e, wdg_addr *out)
{
    int n = 0;
    wdg_event_ext x_buf, *x = (e->flags & WDG_EV_OBJS) ? wdg_event_ext_of(t, e, &x_buf) : NULL;
    if (wdg_ev_cat(t->ops, e) == WDG_CAT_SIGNAL_WAIT)
        return x && (e->flags & WDG_EV_OBJS) && x->objs_n ? (out[0] = wdg_x_obj(t, x, 0), 1) : 0;
    if (e->flags & WDG_EV_OBJ)
        out[n++] = wdg_ev_obj(e);
    if (x && (e->flags & WDG_EV_OBJS))
        for (uint32_t i = 0; i < x->objs_n && n < 64; i++)
            out[n++] = wdg_x_obj(t, x, i);
    return n;
}

static int is_wait(const wdg_ops *ops, const wdg_event *e)
{
    return wdg_ev_cat(ops, e) == WDG_CAT_WAIT || wdg_ev_cat(ops, e) == WDG_CAT_SIGNAL_WAIT;
}

/* Byte b of a producer record's sort key (fam, key, obj), least
 * significant first: obj's 8 bytes, then key's 4, then fam's 4. */
static unsigned prec_byte(const prec *p, int b)
{
    if (b < 8)
        return (unsigned)(p->obj >> (8 * b)) & 0xff;
    if (b < 12)
        return (p->key >> (8 * (b - 8))) & 0xff;
    return (p->fam >> (8 * (b - 12))) & 0xff;
}

/* cmp_prec's order by a stable LSD radix sort of records appended in
 * event order (ev, the last tie-break, is that order already); bytes all
 * records share are skipped.  The counts of all 16 bytes come from one
 * pass (a byte's counts do not depend on the order).  qsort when the
 * copy cannot be had. */
static void sort_prec(prec *v, size_t n)
{
    prec *tmp = n > 64 ? malloc(n * sizeof *tmp) : NULL;
    size_t(*counts)[256] = tmp ? calloc(16, sizeof *counts) : NULL;
    if (!counts) {
        free(tmp);
        sort(v, n, sizeof *v, cmp_prec);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t o = v[i].obj;
        uint64_t kf = (uint64_t)v[i].fam << 32 | v[i].key;
        for (int b = 0; b < 8; b++) {
            counts[b][(o >> (8 * b)) & 0xff]++;
            counts[b + 8][(kf >> (8 * b)) & 0xff]++;
        }
    }
    prec *src = v, *dst = tmp;
    for (int b = 0; b < 16; b++) {
        size_t *count = counts[b];
        if (count[prec_byte(&src[0], b)] == n)
            continue;
        wdg_radix_starts(count);
        for (size_t i = 0; i < n; i++)
            dst[count[prec_byte(&src[i], b)]++] = src[i];
        prec *t = src;
        src = dst, dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
    free(counts);
}

/* The reference's producer events of the common span that name an object. */
static int producers(build *b, prec **out, size_t *n)
{
    const wdg_trace *t = b->tr[0];
    size_t cap = 0, end = b->kt->span.count[0];
    *out = NULL, *n = 0;
    for (size_t i = 0; i < end && i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        if (!wdg_category_is_producer(wdg_ev_cat(t->ops, e)) || !(e->flags & WDG_EV_OBJ) ||
            b->kt->ref_key[i] == WDG_NO_KEY)
            continue;
        if (wdg_grow((void **)out, &cap, *n + 1, sizeof **out, 256) < 0)
            return -1;
        (*out)[(*n)++] = (prec){b->fam_of_event[0][i], b->kt->ref_key[i], wdg_ev_obj(e), i};
    }
    sort_prec(*out, *n);
    return 0;
}

/* One engine's waits as waiter records on reference objects (the
 * candidate's through the object map). */
#define WCACHE 4096   /* slots of add_waits()'s cache of recent records */

/* The slot of a waiter record in add_waits()'s cache. */
static size_t wcache_slot(wdg_addr obj, uint32_t fam)
{
    return (size_t)(wdg_hash64(obj ^ wdg_hash64(fam)) & (WCACHE - 1));
}

static int add_waits(build *b, int side, const wdg_map *to_ref, wrec **out, size_t *n, size_t *cap)
{
    const wdg_trace *t = b->tr[side];
    /* A wait on the object and family of a record in the cache counts
     * there: the sort then sees one record per pair instead of one per
     * wait (the merge in waiters() adds the counts up either way). */
    size_t cache[WCACHE];
    for (size_t s = 0; s < WCACHE; s++)
        cache[s] = SIZE_MAX;
    for (size_t i = 0; i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        wdg_addr objs[64];
        int k = is_wait(t->ops, e) ? wait_objs(t, e, objs) : 0;
        for (int j = 0; j < k; j++) {
            wdg_addr o = objs[j];
            if (side) {
                uint64_t *r = wdg_map_get(to_ref, o);
                if (!r)
                    continue;
                o = *r;
            }
            uint32_t fam = b->fam_of_event[side][i];
            size_t *slot = &cache[wcache_slot(o, fam)];
            if (*slot != SIZE_MAX && (*out)[*slot].obj == o && (*out)[*slot].fam == fam) {
                (*out)[*slot].n++;
                continue;
            }
            if (wdg_grow((void **)out, cap, *n + 1, sizeof **out, 256) < 0)
                return -1;
            *slot = *n;
            (*out)[(*n)++] = (wrec){o, fam, 1, side};
        }
    }
    return 0;
}

/* Waiter families by object: the reference's waits; for an object the
 * reference signals but shows no wait on (a producer-only log, a wait
 * whose objects a stock log leaves out), the candidate's waits on the
 * object the object map pairs with it, marked inferred. */
static int waiters(build *b, wrec **out, size_t *n)
{
    wdg_map to_ref = WDG_MAP_INIT;
    size_t cap = 0;
    int rc = -1;
    *out = NULL, *n = 0;
    for (size_t i = 0; i < b->d->n_objects; i++)
        if (!wdg_map_put(&to_ref, b->d->objects[i].cand, b->d->objects[i].ref, NULL))
            goto out;
    if (add_waits(b, 0, &to_ref, out, n, &cap) < 0 || add_waits(b, 1, &to_ref, out, n, &cap) < 0)
        goto out;
    sort(*out, *n, sizeof **out, cmp_wrec);
    size_t m = 0;   /* one record per (object, family), counting the waits */
    for (size_t i = 0; i < *n; i++) {
        wrec *x = &(*out)[i], *last = m ? &(*out)[m - 1] : NULL;
        if (last && last->obj == x->obj && last->fam == x->fam && last->inferred == x->inferred)
            last->n += x->n;
        else if (!(x->inferred && last && last->obj == x->obj && !last->inferred))
            (*out)[m++] = *x;   /* the candidate's only where the reference has none */
    }
    *n = m;
    rc = 0;
out:
    wdg_map_free(&to_ref);
    return rc;
}

static int ref_has_waits(const wdg_trace *t)
{
    if (!(t->observes & WDG_CAT_BIT(WDG_CAT_WAIT)))
        return 0;
    for (size_t i = 0; i < t->n_events; i++)
        if (is_wait(t->ops, &t->events[i]))
            return 1;
    return 0;
}

/* the edge-objects: every producer group against the waiters of its object */
static int edge_objects(const prec *p, size_t np, const wrec *w, size_t nw, eobj **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL, *n = 0;
    for (size_t lo = 0, hi; lo < np; lo = hi) {
        for (hi = lo + 1; hi < np && p[hi].fam == p[lo].fam && p[hi].key == p[lo].key &&
                          p[hi].obj == p[lo].obj;
             hi++)
            ;
        size_t a = 0, z = nw;   /* the first waiter record of the object */
        while (a < z) {
            size_t mid = a + (z - a) / 2;
            if (w[mid].obj < p[lo].obj)
                a = mid + 1;
            else
                z = mid;
        }
        for (; a < nw && w[a].obj == p[lo].obj; a++) {
            if (w[a].fam == p[lo].fam)
                continue;   /* a family signalling itself depends on nobody */
            if (wdg_grow((void **)out, &cap, *n + 1, sizeof **out, 64) < 0)
                return -1;
            (*out)[(*n)++] = (eobj){p[lo].fam, w[a].fam, p[lo].key, p[lo].obj, lo, hi, w[a].n, w[a].inferred};
        }
    }
    sort(*out, *n, sizeof **out, cmp_eobj);
    return 0;
}

/* --- each edge's first divergence --------------------------------------- */

static int64_t rel_time(const wdg_trace *t, size_t i)
{
    const wdg_event *e = &t->events[i];
    return t->all_t ? e->t - t->first_t : (int64_t)wdg_ev_line(t, e);
}

typedef struct crec {          /* a candidate producer event */
    uint32_t fam, key;
    size_t ev;
} crec;

static int cmp_crec(const void *x, const void *y)
{
    const crec *a = x, *b = y;
    int r = CMP(a->fam, b->fam);
    if (!r)
        r = CMP(a->key, b->key);
    return r ? r : CMP(a->ev, b->ev);
}

/* byte b (0 least significant) of a record's (fam, key) */
static unsigned crec_byte(const crec *c, int b)
{
    return b < 4 ? (c->key >> (8 * b)) & 0xff : (c->fam >> (8 * (b - 4))) & 0xff;
}

/* cmp_crec's order by a stable LSD radix sort, as sort_prec(): records
 * come in event order, so ev needs no pass.  qsort without the copy. */
static void sort_crec(crec *v, size_t n)
{
    crec *tmp = n > 64 ? malloc(n * sizeof *tmp) : NULL;
    if (!tmp) {
        sort(v, n, sizeof *v, cmp_crec);
        return;
    }
    crec *src = v, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[crec_byte(&src[i], b)]++;
        if (count[crec_byte(&src[0], b)] == n)
            continue;
        wdg_radix_starts(count);
        for (size_t i = 0; i < n; i++)
            dst[count[crec_byte(&src[i], b)]++] = src[i];
        crec *t = src;
        src = dst, dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
}

static int cand_producers(build *b, crec **out, size_t *n)
{
    const wdg_trace *t = b->tr[1];
    size_t cap = 0;
    *out = NULL, *n = 0;
    for (size_t i = 0; i < t->n_events; i++) {
        if (!wdg_category_is_producer(wdg_ev_cat(t->ops, &t->events[i])) || b->kt->cand_key[i] == WDG_NO_KEY)
            continue;
        if (wdg_grow((void **)out, &cap, *n + 1, sizeof **out, 256) < 0)
            return -1;
        (*out)[(*n)++] = (crec){b->fam_of_event[1][i], b->kt->cand_key[i], i};
    }
    sort_crec(*out, *n);
    return 0;
}

/* the candidate's run of (family, key): [*lo, *hi) */
static void cand_run(const crec *c, size_t n, uint32_t fam, uint32_t key, size_t *lo, size_t *hi)
{
    size_t a = 0, z = n;
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        if (c[mid].fam < fam || (c[mid].fam == fam && c[mid].key < key))
            a = mid + 1;
        else
            z = mid;
    }
    *lo = a;
    while (a < n && c[a].fam == fam && c[a].key == key)
        a++;
    *hi = a;
}

/* Status and first divergence of edge e, whose reference signals are the
 * events evs[0 .. n) in order. */
static void diverge(build *b, wdg_cp_edge *e, const size_t *evs, size_t n, const crec *c,
                    size_t nc)
{
    size_t lo, hi, in_span = 0;
    cand_run(c, nc, (uint32_t)e->producer, e->key, &lo, &hi);
    for (size_t i = lo; i < hi && wdg_in_common_span(b->kt, WDG_SIDE_CAND, c[i].ev); i++)
        in_span++;
    e->cand_signals = in_span;
    e->explained_by = WDG_NO_INDEX;
    if (wdg_key_verdict(b->kt, e->key) == WDG_ST_UNOBSERVABLE) {
        e->status = WDG_CP_UNOBSERVABLE;
        return;
    }
    /* as the key table's UNDER and MISSING: short by more than the tolerance */
    if (n == 0 || !((double)in_span * (1 + b->kt->tolerance) < (double)n)) {
        e->status = WDG_CP_HEALTHY;
        return;
    }
    e->ordinal = in_span + 1;
    e->ref_event = evs[in_span];
    e->ref_t = rel_time(b->tr[0], e->ref_event);
    e->ref_tid = b->tr[0]->events[e->ref_event].tid;
    e->status = WDG_CP_SHORT;
    if (lo + in_span < hi) {
        e->status = WDG_CP_LATE;
        e->has_cand = 1;
        e->cand_event = c[lo + in_span].ev;
        e->cand_t = rel_time(b->tr[1], e->cand_event);
        e->cand_tid = b->tr[1]->events[e->cand_event].tid;
    }
}

/* v[0 .. at[r]) holds r runs, run i at [at[i], at[i + 1]), each in
 * ascending order: merged pairwise into one ascending order, which is
 * the sort's (the events of an edge are distinct) in n log r instead of
 * n log n.  tmp holds at[r] values; at is rewritten. */
static void merge_runs(size_t *v, size_t *tmp, size_t *at, size_t r)
{
    size_t *src = v, *dst = tmp;
    while (r > 1) {
        size_t w = 0;
        for (size_t i = 0; i < r; i += 2) {
            size_t a = at[i], am = at[i + 1], bm = i + 1 < r ? at[i + 2] : am, b = am,
                   o = at[i];
            while (a < am && b < bm)
                dst[o++] = src[a] <= src[b] ? src[a++] : src[b++];
            while (a < am)
                dst[o++] = src[a++];
            while (b < bm)
                dst[o++] = src[b++];
            at[w++] = at[i];
        }
        at[w] = at[r];
        r = w;
        size_t *t = src;
        src = dst, dst = t;
    }
    if (src != v)
        memcpy(v, src, at[r] * sizeof *v);
}

/* One edge per run of edge-objects with the same (producer, consumer, key). */
static int edges(build *b, const prec *p, const eobj *eo, size_t n, const crec *c, size_t nc)
{
    wdg_critpath *cp = b->cp;
    size_t *evs = NULL, cap_evs = 0, cap = 0, *tmp = NULL, cap_tmp = 0, *at = NULL, cap_at = 0;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1; hi < n && eo[hi].p == eo[lo].p && eo[hi].c == eo[lo].c &&
                          eo[hi].key == eo[lo].key;
             hi++)
            ;
        if (wdg_grow((void **)&cp->edges, &cap, cp->n_edges + 1, sizeof *cp->edges, 32) < 0)
            goto oom;
        wdg_cp_edge *e = &cp->edges[cp->n_edges++];
        memset(e, 0, sizeof *e);
        e->producer = eo[lo].p, e->consumer = eo[lo].c, e->key = eo[lo].key;
        e->obj = eo[lo].obj, e->n_objs = hi - lo;
        size_t m = 0;
        if (wdg_grow((void **)&at, &cap_at, hi - lo + 2, sizeof *at, 16) < 0)
            goto oom;
        /* each edge-object's events are a run in event order already
         * (producers() sorts by event last) */
        for (size_t i = lo; i < hi; i++) {
            e->ref_waits += eo[i].waits;
            e->inferred |= eo[i].inferred;
            if (wdg_grow((void **)&evs, &cap_evs, m + (eo[i].hi - eo[i].lo) + 1, sizeof *evs, 64) < 0)
                goto oom;
            at[i - lo] = m;
            for (size_t j = eo[i].lo; j < eo[i].hi; j++)
                evs[m++] = p[j].ev;
        }
        at[hi - lo] = m;
        e->ref_signals = m;
        if (hi - lo > 1) {
            if (wdg_grow((void **)&tmp, &cap_tmp, m + 1, sizeof *tmp, 64) < 0)
                goto oom;
            merge_runs(evs, tmp, at, hi - lo);
        }
        diverge(b, e, evs, m, c, nc);
    }
    free(evs);
    free(tmp);
    free(at);
    return 0;
oom:
    free(evs);
    free(tmp);
    free(at);
    return -1;
}

/* --- convergence ---------------------------------------------------------- */

static int diverging(const wdg_cp_edge *e)
{
    return e->status == WDG_CP_SHORT || e->status == WDG_CP_LATE;
}

/* components of the family graph; cycle flags */
static int components(wdg_critpath *cp)
{
    size_t nf = cp->n_families, ne = cp->n_edges;
    size_t *at = calloc(nf + 2, sizeof *at), *row = malloc((ne + 1) * sizeof *row);
    size_t *comp = malloc((nf + 1) * sizeof *comp), *comp_at = malloc((nf + 1) * sizeof *comp_at);
    size_t *members = malloc((nf + 1) * sizeof *members);
    int rc = -1;
    if (!at || !row || !comp || !comp_at || !members)
        goto out;
    for (size_t e = 0; e < ne; e++)
        at[cp->edges[e].producer + 2]++;
    for (size_t k = 0; k < nf; k++)
        at[k + 2] += at[k + 1];
    for (size_t e = 0; e < ne; e++)
        row[at[cp->edges[e].producer + 1]++] = cp->edges[e].consumer;
    if (wdg_scc(nf, at, row, NULL, comp, comp_at, members, &cp->n_comps) < 0)
        goto out;
    for (size_t f = 0; f < nf; f++) {
        size_t k = comp[f];
        cp->families[f].comp = k;
        cp->families[f].cycle = comp_at[k + 1] - comp_at[k] > 1;
    }
    rc = 0;
out:
    free(at);
    free(row);
    free(comp);
    free(comp_at);
    free(members);
    return rc;
}

typedef struct order {          /* an index with what it sorts by */
    size_t by, idx;
    const char *name;
} order;

static int cmp_order(const void *x, const void *y)
{
    const order *a = x, *b = y;
    int r = CMP(a->by, b->by);
    if (!r && a->name)
        r = strcmp(a->name, b->name);
    return r ? r : CMP(a->idx, b->idx);
}

int wdg_critpath_converge(wdg_critpath *cp, wdg_error *err)
{
    size_t nf = cp->n_families, ne = cp->n_edges;
    free(cp->frontier);
    free(cp->explains);
    free(cp->explains_at);
    cp->frontier = cp->explains = cp->explains_at = NULL;
    cp->n_frontier = cp->n_diverging = 0;
    size_t *div = malloc((ne + 1) * sizeof *div), *first_in = malloc((nf + 1) * sizeof *first_in);
    size_t *arrival = malloc((nf + 1) * sizeof *arrival);
    size_t cap = 0, n_expl = 0;
    if (!div || !first_in || !arrival || components(cp) < 0)
        goto oom;
    for (size_t f = 0; f < nf; f++)
        first_in[f] = WDG_NO_INDEX, cp->families[f].starved = 0;
    for (size_t e = 0; e < ne; e++) {
        wdg_cp_edge *x = &cp->edges[e];
        x->frontier = 0, x->explained_by = WDG_NO_INDEX;
        if (!diverging(x))
            continue;
        div[cp->n_diverging++] = e;
        cp->families[x->consumer].starved = 1;
        if (x->ref_event < first_in[x->consumer])
            first_in[x->consumer] = x->ref_event;
    }
    order *ord = malloc((cp->n_diverging + 1) * sizeof *ord);
    if (!ord)
        goto oom;
    for (size_t i = 0; i < cp->n_diverging; i++)
        ord[i] = (order){cp->edges[div[i]].ref_event, div[i], NULL};
    sort(ord, cp->n_diverging, sizeof *ord, cmp_order);
    for (size_t i = 0; i < cp->n_diverging; i++)
        div[i] = ord[i].idx;
    free(ord);
    cp->frontier = malloc((cp->n_diverging + 1) * sizeof *cp->frontier);
    cp->explains_at = malloc((cp->n_diverging + 2) * sizeof *cp->explains_at);
    if (!cp->frontier || !cp->explains_at)
        goto oom;
    for (size_t i = 0; i < cp->n_diverging; i++) {
        wdg_cp_edge *x = &cp->edges[div[i]];
        if (!(first_in[x->producer] < x->ref_event)) {
            x->frontier = 1;
            cp->frontier[cp->n_frontier++] = div[i];
        }
    }
    /* each frontier edge reaches its consumer when it parts; from a family
     * reached, a diverging edge that parts later is explained, and reaches
     * its own consumer then (one pass in ref order: times grow along a path) */
    for (size_t k = 0; k < cp->n_frontier; k++) {
        const wdg_cp_edge *fx = &cp->edges[cp->frontier[k]];
        cp->explains_at[k] = n_expl;
        for (size_t f = 0; f < nf; f++)
            arrival[f] = WDG_NO_INDEX;
        arrival[fx->consumer] = fx->ref_event;
        for (size_t i = 0; i < cp->n_diverging; i++) {
            wdg_cp_edge *x = &cp->edges[div[i]];
            if (div[i] == cp->frontier[k] || arrival[x->producer] == WDG_NO_INDEX ||
                !(arrival[x->producer] < x->ref_event))
                continue;
            if (wdg_grow((void **)&cp->explains, &cap, n_expl + 1, sizeof *cp->explains, 16) < 0)
                goto oom;
            cp->explains[n_expl++] = div[i];
            if (x->explained_by == WDG_NO_INDEX)
                x->explained_by = cp->frontier[k];
            if (x->ref_event < arrival[x->consumer])
                arrival[x->consumer] = x->ref_event;
        }
    }
    cp->explains_at[cp->n_frontier] = n_expl;
    free(div);
    free(first_in);
    free(arrival);
    return 0;
oom:
    free(div);
    free(first_in);
    free(arrival);
    return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
}

/* --- the order of families and edges -------------------------------------- */

static int cmp_edge(const void *x, const void *y)
{
    const wdg_cp_edge *a = x, *b = y;
    int da = diverging(a), db = diverging(b);
    if (da != db)
        return db - da;
    if (da && a->ref_event != b->ref_event)
        return CMP(a->ref_event, b->ref_event);
    int r = CMP(a->producer, b->producer);
    if (!r)
        r = CMP(a->consumer, b->consumer);
    return r ? r : CMP(a->key, b->key);
}

/* Families upstream first (components descending, then by name), edges
 * as wdg_critpath says. */
static int reorder(wdg_critpath *cp)
{
    size_t nf = cp->n_families;
    order *ord = malloc((nf + 1) * sizeof *ord);
    size_t *to = malloc((nf + 1) * sizeof *to);
    wdg_cp_family *fam = malloc((nf + 1) * sizeof *fam);
    int rc = -1;
    if (!ord || !to || !fam)
        goto out;
    for (size_t f = 0; f < nf; f++)
        ord[f] = (order){cp->n_comps - cp->families[f].comp, f, cp->families[f].name};
    sort(ord, nf, sizeof *ord, cmp_order);
    for (size_t i = 0; i < nf; i++) {
        to[ord[i].idx] = i;
        fam[i] = cp->families[ord[i].idx];
    }
    if (nf)   /* memcpy must not see a NULL array */
        memcpy(cp->families, fam, nf * sizeof *fam);
    for (size_t e = 0; e < cp->n_edges; e++) {
        cp->edges[e].producer = to[cp->edges[e].producer];
        cp->edges[e].consumer = to[cp->edges[e].consumer];
    }
    sort(cp->edges, cp->n_edges, sizeof *cp->edges, cmp_edge);
    rc = 0;
out:
    free(ord);
    free(to);
    free(fam);
    return rc;
}

/* The reference's producer records, and beside them the waiter records
 * and the candidate's producer records: each reads the families and the
 * traces and writes only its own records (par_run2() jobs). */
typedef struct records {
    build *b;
    prec *p;
    wrec *w;
    crec *c;
    size_t np, nw, nc;
} records;

static int producers_job(void *x)
{
    records *r = x;
    return producers(r->b, &r->p, &r->np);
}

static int waiters_job(void *x)
{
    records *r = x;
    if (waiters(r->b, &r->w, &r->nw) < 0)
        return -1;
    return cand_producers(r->b, &r->c, &r->nc);
}

int wdg_critpath_build(wdg_critpath *cp, const wdg_trace *ref, const wdg_trace *cand,
                       const wdg_keytable *kt, const wdg_diagnosis *d,
                       const wdg_symbols *symbols, wdg_error *err)
{
    return critpath_build_par(cp, ref, cand, kt, d, symbols, 1, err);
}

int critpath_build_par(wdg_critpath *cp, const wdg_trace *ref, const wdg_trace *cand,
                       const wdg_keytable *kt, const wdg_diagnosis *d,
                       const wdg_symbols *symbols, int threads, wdg_error *err)
{
    build b = {cp, 0, WDG_MAP_INIT, {ref, cand}, kt, d, symbols, {NULL, NULL}};
    records rec = {&b, NULL, NULL, NULL, 0, 0, 0};
    eobj *eo = NULL;
    size_t neo;
    memset(cp, 0, sizeof *cp);
    cp->inferred = !ref_has_waits(ref);
    cp->ref_timed = ref->all_t;
    cp->cand_timed = cand->all_t;
    int rc = families(&b);
    if (rc == 0) {
        int rc_w;
        par_run2(threads, producers_job, &rec, &rc, waiters_job, &rec, &rc_w);
        rc = rc < 0 || rc_w < 0 ? -1 : 0;
    }
    prec *p = rec.p;
    wrec *w = rec.w;
    crec *c = rec.c;
    rc = rc < 0 || edge_objects(p, rec.np, w, rec.nw, &eo, &neo) < 0 ||
                 edges(&b, p, eo, neo, c, rec.nc) < 0
             ? wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory")
             : 0;
    if (rc == 0 && (rc = wdg_critpath_converge(cp, err)) == 0)
        rc = reorder(cp) < 0 ? wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory")
                             : wdg_critpath_converge(cp, err);
    free(p);
    free(w);
    free(eo);
    free(c);
    free(b.fam_of_event[0]);
    free(b.fam_of_event[1]);
    wdg_map_free(&b.by_name);
    if (rc < 0)
        wdg_critpath_free(cp);
    return rc;
}

void wdg_critpath_free(wdg_critpath *cp)
{
    free(cp->families);
    free(cp->edges);
    free(cp->frontier);
    free(cp->explains);
    free(cp->explains_at);
    memset(cp, 0, sizeof *cp);
}
