/* The thread map and the object map (docs/analysis.md). */
#include <stdlib.h>
#include <string.h>

#include "../base/numparse.h"
#include "../base/grow.h"
#include "diag_internal.h"
#include "par.h"
#include "simsets.h"

static int add_pair(diag_ctx *c, size_t *cap, uint32_t ref, uint32_t cand, int how, double sim)
{
    wdg_diagnosis *d = c->d;
    if (wdg_grow((void **)&d->pairs, cap, d->n_pairs + 1, sizeof *d->pairs, 32) < 0)
        return -1;
    d->pairs[d->n_pairs++] = (wdg_thread_pair){ref, cand, how, sim};
    wdg_thread *r = &c->ref.threads[diag_thread_index(&c->ref, ref)];
    wdg_thread *k = &c->cand.threads[diag_thread_index(&c->cand, cand)];
    r->analog = cand;
    k->analog = ref;
    r->has_analog = k->has_analog = 1;
    r->how = k->how = how;
    return 0;
}

/* "6=1,10=5" */
static int explicit_pairs(diag_ctx *c, size_t *cap, const char *spec, wdg_error *err)
{
    const char *p = spec;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        uint32_t r, k;
        if (!eq || wdg_parse_udec32(p, (size_t)(eq - p), &r) < 0 ||
            wdg_parse_udec32(eq + 1, (size_t)(p + n - eq - 1), &k) < 0)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--tid-map takes REF=CAND pairs of thread ids, e.g. 6=1,10=5: '%s'",
                                 spec);
        long ri = diag_thread_index(&c->ref, r), ki = diag_thread_index(&c->cand, k);
        if (ri < 0 || ki < 0)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--tid-map %u=%u: %s thread %u is not in its trace", r, k,
                                 ri < 0 ? "ref" : "cand", ri < 0 ? r : k);
        if (c->ref.threads[ri].has_analog || c->cand.threads[ki].has_analog)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--tid-map names thread %u or %u twice", r, k);
        if (add_pair(c, cap, r, k, WDG_HOW_EXPLICIT, 1) < 0)
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        p += n + (comma ? 1 : 0);
    }
    return 0;
}

typedef struct created {
    wdg_addr entry;
    size_t at;
    size_t thread;
} created;

static int by_entry_then_time(const void *a, const void *b)
{
    const created *x = a, *y = b;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

static created *creations(const engine_view *v, size_t *n)
{
    created *out = malloc((v->n + 1) * sizeof *out);
    *n = 0;
    if (!out)
        return NULL;
    for (size_t k = 0; k < v->n; k++)
        if (v->threads[k].has_entry)
            out[(*n)++] = (created){v->threads[k].entry_pc, v->threads[k].created_at, k};
    qsort(out, *n, sizeof *out, by_entry_then_time);
    return out;
}

/* the k-th thread started at X in ref with the k-th started at X in cand */
static int entry_pairs(diag_ctx *c, size_t *cap)
{
    size_t nr, nc;
    created *r = creations(&c->ref, &nr), *k = creations(&c->cand, &nc);
    int rc = (!r || !k) ? -1 : 0;
    for (size_t i = 0, j = 0; rc == 0 && i < nr && j < nc;) {
        if (r[i].entry != k[j].entry) {
            if (r[i].entry < k[j].entry)
                i++;
            else
                j++;
            continue;
        }
        wdg_addr entry = r[i].entry;
        size_t ie = i, je = j;
        while (ie < nr && r[ie].entry == entry)
            ie++;
        while (je < nc && k[je].entry == entry)
            je++;
        /* skip threads already paired explicitly, keep creation order */
        size_t a = i, b = j;
        while (rc == 0 && a < ie && b < je) {
            wdg_thread *rt = &c->ref.threads[r[a].thread], *ct = &c->cand.threads[k[b].thread];
            if (rt->has_analog) {
                a++;
                continue;
            }
            if (ct->has_analog) {
                b++;
                continue;
            }
            rc = add_pair(c, cap, rt->tid, ct->tid, WDG_HOW_ENTRY_PC, 1);
            a++, b++;
        }
        i = ie, j = je;
    }
    free(r);
    free(k);
    return rc;
}

static void signatures_free(idset *s, size_t n)
{
    for (size_t k = 0; s && k < n; k++)
        idset_free(&s[k]);
    free(s);
}

/* the key set of each thread, over the categories both engines observe;
 * NULL when out of memory (a partial set would change the thread map) */
static idset *signatures(unsigned common, int by_lr, const engine_view *v)
{
    idset *s = calloc(v->n + 1, sizeof *s);
    if (!s)
        return NULL;
    /* in event order, which is each thread's order too, and reads the
     * events once front to back instead of thread by thread */
    tid_cache tc = TID_CACHE_INIT;
    for (size_t i = 0; i < v->t->n_events; i++) {
        const wdg_event *e = &v->t->events[i];
        if (!(common & WDG_CAT_BIT(wdg_ev_cat(v->t->ops, e))) || e->op == WDG_OP_OBJECT_ALIAS)
            continue;
        long k = diag_thread_index_cached(v, &tc, e->tid);
        if (k >= 0 && idset_add(&s[k], wdg_event_key(v->t->ops, e, by_lr)) < 0) {
            signatures_free(s, v->n);
            return NULL;
        }
    }
    for (size_t k = 0; k < v->n; k++)
        idset_finish(&s[k]);
    return s;
}

typedef struct candidate {
    double sim;
    size_t r, k;
    size_t r_first, k_first;
} candidate;

static int by_similarity(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->sim != y->sim)
        return x->sim > y->sim ? -1 : 1;
    if (x->r_first != y->r_first)
        return x->r_first < y->r_first ? -1 : 1;
    return x->k_first < y->k_first ? -1 : x->k_first > y->k_first;
}

/* the sets of the threads of v that have no analog yet (NULL for one that
 * has), for an index; NULL when out of memory */
static const idset **unpaired_sets(const engine_view *v, const idset *all)
{
    const idset **sets = malloc((v->n + 1) * sizeof *sets);
    for (size_t i = 0; sets && i < v->n; i++)
        sets[i] = v->threads[i].has_analog ? NULL : &all[i];
    return sets;
}

static int add_candidate(candidate **cands, size_t *n, size_t *cap, const candidate *c)
{
    if (wdg_grow((void **)cands, cap, *n + 1, sizeof **cands, 64) < 0)
        return -1;
    (*cands)[(*n)++] = *c;
    return 0;
}

/* a thread in a group of identical key sets */
typedef struct grouped {
    size_t group, first, thread;
} grouped;

static int by_group_then_first(const void *a, const void *b)
{
    const grouped *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The unpaired threads of v whose key set is one of ix's groups, sorted by
 * group, then first event; NULL when out of memory. */
static grouped *group_threads(const simindex *ix, const engine_view *v, const idset *sets,
                              size_t *n)
{
    grouped *out = malloc((v->n + 1) * sizeof *out);
    *n = 0;
    for (size_t k = 0; out && k < v->n; k++) {
        long g = v->threads[k].has_analog ? -1 : simindex_same(ix, &sets[k]);
        if (g >= 0)
            out[(*n)++] = (grouped){(size_t)g, v->threads[k].first, k};
    }
    if (out && *n)
        qsort(out, *n, sizeof *out, by_group_then_first);
    return out;
}

/* The pairs at index 1 (identical key sets): in each group of identical
 * sets, the greedy walk over every pair by first events pairs the i-th
 * ref thread with the i-th cand thread (both by first event), so each
 * group is zipped instead of listing its every pair. */
static int identical_signatures(const diag_ctx *c, const idset *rs, const idset *ks,
                                candidate **out, size_t *n, size_t *cap)
{
    const idset **sets = unpaired_sets(&c->ref, rs);
    simindex ix;
    if (!sets || simindex_build(&ix, sets, c->ref.n) < 0) {
        free(sets);
        return -1;
    }
    free(sets);
    size_t nr, nk;
    grouped *r = group_threads(&ix, &c->ref, rs, &nr), *k = group_threads(&ix, &c->cand, ks, &nk);
    int rc = r && k ? 0 : -1;
    for (size_t i = 0, j = 0; rc == 0 && i < nr && j < nk;) {
        if (r[i].group != k[j].group) {
            r[i].group < k[j].group ? i++ : j++;
            continue;
        }
        candidate cd = {1, r[i].thread, k[j].thread, r[i].first, k[j].first};
        rc = add_candidate(out, n, cap, &cd);
        i++, j++;
    }
    simindex_free(&ix);
    free(r);
    free(k);
    return rc;
}

/* every pair of unpaired threads whose key sets' index is at least 0.5
 * and below 1, through an index of the ref sets */
static int similar_signatures(const diag_ctx *c, const idset *rs, const idset *ks,
                              candidate **out, size_t *n, size_t *cap)
{
    const idset **sets = unpaired_sets(&c->ref, rs);
    size_t *gs = NULL, gcap = 0, jcap = 0, ng;
    double *js = NULL;
    simindex ix;
    if (!sets || simindex_build(&ix, sets, c->ref.n) < 0) {
        free(sets);
        return -1;
    }
    free(sets);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < c->cand.n; k++) {
        if (c->cand.threads[k].has_analog || !ks[k].n)
            continue;
        if ((rc = simindex_query(&ix, &ks[k], &gs, &js, &ng, &gcap, &jcap)) < 0)
            break;
        for (size_t i = 0; rc == 0 && i < ng; i++)
            for (size_t m = ix.at[gs[i]]; rc == 0 && js[i] < 1 && m < ix.at[gs[i] + 1]; m++) {
                size_t r = ix.member[m];
                candidate cd = {js[i], r, k, c->ref.threads[r].first, c->cand.threads[k].first};
                rc = add_candidate(out, n, cap, &cd);
            }
    }
    simindex_free(&ix);
    free(gs);
    free(js);
    return rc;
}

/* Pairs threads by the Jaccard index of their key sets, best first (then
 * by first events), each thread once: first the identical sets, then the
 * rest among the threads still unpaired, which is what one greedy walk
 * over every pair at 0.5 or more gives. */
/* signatures() of one engine, as a par_run2() job */
typedef struct sig_job {
    const diag_ctx *c;
    engine_view *v;
    idset *out;
} sig_job;

static int signatures_job(void *p)
{
    sig_job *j = p;
    /* built with the view, beside the key table: taken over here */
    engine_view *v = j->v;
    if (v->sigs) {
        j->out = v->sigs;
        v->sigs = NULL;
        return 0;
    }
    j->out = signatures(j->c->common, j->c->kt->by_lr, j->v);
    return j->out ? 0 : -1;
}

int diag_build_signatures(engine_view *ref_v, engine_view *cand_v)
{
    unsigned common = ref_v->t->observes & cand_v->t->observes;
    int by_lr = keys_by_lr(ref_v->t, cand_v->t);
    if (!(ref_v->sigs = signatures(common, by_lr, ref_v)) ||
        !(cand_v->sigs = signatures(common, by_lr, cand_v)))
        return -1;
    return 0;
}

static int signature_pairs(diag_ctx *c, size_t *cap)
{
    sig_job jr = {c, &c->ref, NULL}, jk = {c, &c->cand, NULL};
    int rc_r, rc_k;
    /* both built already (a report's), or one each on two threads */
    int threads = c->ref.sigs && c->cand.sigs ? 1 : c->threads;
    par_run2(threads, signatures_job, &jr, &rc_r, signatures_job, &jk, &rc_k);
    idset *rs = jr.out, *ks = jk.out;
    candidate *cands = NULL;
    size_t n = 0, ncap = 0;
    int rc = (!rs || !ks) ? -1 : 0;
    for (int pass = 0; rc == 0 && pass < 2; pass++) {
        n = 0;
        rc = pass == 0 ? identical_signatures(c, rs, ks, &cands, &n, &ncap)
                       : similar_signatures(c, rs, ks, &cands, &n, &ncap);
        if (rc == 0 && n)
            qsort(cands, n, sizeof *cands, by_similarity);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            wdg_thread *rt = &c->ref.threads[cands[i].r], *ct = &c->cand.threads[cands[i].k];
            if (!rt->has_analog && !ct->has_analog)
                rc = add_pair(c, cap, rt->tid, ct->tid, WDG_HOW_SIGNATURE, cands[i].sim);
        }
    }
    signatures_free(rs, c->ref.n);
    signatures_free(ks, c->cand.n);
    free(cands);
    return rc;
}

/* Does the trace log any thread creation?  Without one, "nobody created
 * it" holds for every thread and says nothing about which is main. */
static int logs_creations(const engine_view *v)
{
    for (size_t k = 0; k < v->n; k++)
        if (v->threads[k].has_creator || v->threads[k].has_entry)
            return 1;
    return 0;
}

/* the thread nobody created whose first event comes first (the main
 * thread), or NULL; in a trace without creations, the first still unpaired */
static wdg_thread *main_thread(const engine_view *v)
{
    int guess = !logs_creations(v);
    wdg_thread *best = NULL;
    for (size_t k = 0; k < v->n; k++) {
        wdg_thread *th = &v->threads[k];
        if (!th->has_creator && th->count && !(guess && th->has_analog) &&
            (!best || th->first < best->first))
            best = th;
    }
    return best;
}

/* The mains pair before signatures: their key sets differ most (boot work
 * the other engine's main does elsewhere), and a false missing thread
 * there would block most of the graph.  Where a trace logs no creations
 * (an audit log) its main is only a guess (whichever thread logs first),
 * so they pair last (late), when signatures and call sites have paired
 * what they can. */
static int main_pair(diag_ctx *c, size_t *cap, int late)
{
    if (!late && (!logs_creations(&c->ref) || !logs_creations(&c->cand)))
        return 0;
    wdg_thread *r = main_thread(&c->ref), *k = main_thread(&c->cand);
    if (!r || !k || r->has_analog || k->has_analog)
        return 0;
    return add_pair(c, cap, r->tid, k->tid, WDG_HOW_MAIN, 1);
}

/* A reference thread's most frequent producer lr (ties: the first seen):
 * 1, 0 when it fires none with an lr, -1 when out of memory. */
static int top_producer_lr(const engine_view *v, size_t k, wdg_addr *lr)
{
    wdg_map count = WDG_MAP_INIT;
    uint64_t best_n = 0;
    *lr = 0;
    for (size_t i = v->start[k]; i < v->start[k + 1]; i++) {
        const wdg_event *e = &v->t->events[v->by_thread[i]];
        if (!wdg_category_is_producer(wdg_ev_cat(v->t->ops, e)) || !(e->flags & WDG_EV_LR))
            continue;
        uint64_t *n = wdg_map_put(&count, wdg_ev_lr(e), 0, NULL);
        if (!n) {
            wdg_map_free(&count);
            return -1;
        }
        if (++*n > best_n) {
            best_n = *n;
            *lr = wdg_ev_lr(e);
        }
    }
    wdg_map_free(&count);
    return best_n > 0;
}

/* The function a call site lies in, as a start address: by the symbols
 * when they know it, else the greatest cand entry PC at or below it within
 * 4 KiB (a thread function holds its own sites).  1, or 0 when none. */
#define CALL_SITE_REACH 0x1000u
static int site_function(const diag_ctx *c, wdg_addr lr, wdg_addr *fn)
{
    const char *name;
    if (wdg_symbols_lookup(c->symbols, lr, &name, fn))
        return 1;
    int found = 0;
    /* distances only between 32-bit addresses: a site index is no place */
    for (size_t k = 0; k < c->cand.n && !wdg_addr_is_site(lr); k++) {
        const wdg_thread *th = &c->cand.threads[k];
        if (th->has_entry && !wdg_addr_is_site(th->entry_pc) && th->entry_pc <= lr &&
            lr - th->entry_pc < CALL_SITE_REACH &&
            (!found || th->entry_pc > *fn)) {
            *fn = th->entry_pc;
            found = 1;
        }
    }
    return found;
}

/* the function a cand thread starts in, as a start address */
static wdg_addr entry_function(const diag_ctx *c, const wdg_thread *th)
{
    const char *name;
    wdg_addr fn;
    return wdg_symbols_lookup(c->symbols, th->entry_pc, &name, &fn) ? fn : th->entry_pc;
}

typedef struct site_thread {
    wdg_addr fn;
    size_t first, thread;
} site_thread;

static int by_fn_then_first(const void *a, const void *b)
{
    const site_thread *x = a, *y = b;
    if (x->fn != y->fn)
        return x->fn < y->fn ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* A cand thread that never ran sorts after those that did, by creation. */
static size_t first_event(const wdg_thread *th)
{
    return th->count ? th->first : th->created_at;
}

/* it ran, or its creation was seen */
static int first_event_known(const wdg_thread *th)
{
    return th->count || th->created_at != WDG_NO_INDEX;
}

/* Call site: an unpaired ref thread with no entry PC (an audit log names
 * none) pairs with an unpaired cand thread that starts in the function
 * holding the ref thread's most frequent producer site; a pool (several of
 * one function on either side) pairs in first-event order. */
static int call_site_pairs(diag_ctx *c, size_t *cap)
{
    site_thread *r = malloc((c->ref.n + 1) * sizeof *r), *k = malloc((c->cand.n + 1) * sizeof *k);
    size_t nr = 0, nk = 0;
    int rc = (!r || !k) ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < c->ref.n; i++) {
        const wdg_thread *th = &c->ref.threads[i];
        wdg_addr lr, fn;
        if (th->has_analog || th->has_entry)
            continue;
        int top = top_producer_lr(&c->ref, i, &lr);
        if (top < 0)
            rc = -1;
        else if (top && site_function(c, lr, &fn))
            r[nr++] = (site_thread){fn, th->first, i};
    }
    for (size_t i = 0; rc == 0 && i < c->cand.n; i++) {
        const wdg_thread *th = &c->cand.threads[i];
        if (!th->has_analog && th->has_entry)
            k[nk++] = (site_thread){entry_function(c, th), first_event(th), i};
    }
    if (rc == 0) {
        qsort(r, nr, sizeof *r, by_fn_then_first);
        qsort(k, nk, sizeof *k, by_fn_then_first);
    }
    for (size_t i = 0, j = 0; rc == 0 && i < nr && j < nk;) {
        if (r[i].fn != k[j].fn) {
            if (r[i].fn < k[j].fn)
                i++;
            else
                j++;
            continue;
        }
        rc = add_pair(c, cap, c->ref.threads[r[i].thread].tid, c->cand.threads[k[j].thread].tid,
                      WDG_HOW_CALL_SITE, 1);
        i++, j++;
    }
    free(r);
    free(k);
    return rc;
}

/* Elimination: against a reference that logs no creations (an audit log:
 * no entry PC, producers only), when exactly one reference thread and one
 * candidate thread are left unpaired they are taken for one thread.  A
 * candidate thread that wedged before it fired anything has no key to pair
 * by, and its producer site may lie in a helper function no call site rule
 * reaches; a guess, so the roots resting on it are inferred. */
static int elimination_pair(diag_ctx *c, size_t *cap)
{
    if (logs_creations(&c->ref))
        return 0;
    const wdg_thread *left[2] = {NULL, NULL};
    const engine_view *v[2] = {&c->ref, &c->cand};
    for (int s = 0; s < 2; s++)
        for (size_t k = 0; k < v[s]->n; k++) {
            const wdg_thread *th = &v[s]->threads[k];
            if (th->has_analog || !first_event_known(th))
                continue;
            if (left[s])
                return 0;   /* two or more: nothing to eliminate */
            left[s] = th;
        }
    if (!left[0] || !left[1])
        return 0;
    return add_pair(c, cap, left[0]->tid, left[1]->tid, WDG_HOW_ELIMINATION, 1);
}

int diag_thread_map(diag_ctx *c, const char *tid_map, wdg_error *err)
{
    size_t cap = 0;
    int rc;
    if (tid_map && (rc = explicit_pairs(c, &cap, tid_map, err)) < 0)
        return rc;
    if (entry_pairs(c, &cap) < 0 || main_pair(c, &cap, 0) < 0 || signature_pairs(c, &cap) < 0 ||
        call_site_pairs(c, &cap) < 0 || main_pair(c, &cap, 1) < 0 ||
        elimination_pair(c, &cap) < 0)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    return 0;
}

/* --- the object map -------------------------------------------------- */

typedef struct objinfo {
    wdg_addr id;
    uint64_t create_site;      /* key of its creation, 0 = none */
    uint32_t create_ordinal;   /* k-th object created at that site */
    int has_create_lr;
    wdg_addr create_lr;
    int pointer;               /* a pointer-kind op names it */
    size_t first;              /* first event naming it */
    idset producers, waiters;
    idset prod_keys;           /* the keys of its producers, any thread */
    int paired_producer;       /* a thread with an analog signals it */
    int taken;
} objinfo;

/* One object at one position of the waits at one site: group is (lr,
 * number of objects, position, thread), obj an index into its objtab. */
typedef struct slot {
    uint64_t group;
    size_t obj;
    uint64_t n;
} slot;

typedef struct slots {
    slot *s;
    size_t n, cap;
    wdg_map at;                /* hash of (group, obj) -> index into s */
} slots;

/* One engine's objects, and what the rules ask of its events beyond them
 * (all built per engine at once, each engine on a thread of its own). */
typedef struct objtab {
    objinfo *o;
    size_t n, cap;
    wdg_map by_id;
    slots slots;               /* the waits by site and position */
    wdg_map sites;             /* creation site key -> creations there */
    wdg_map uses;              /* id -> USE_* bits of the events naming it */
} objtab;

static objinfo *obj_get(objtab *t, wdg_addr id, size_t at)
{
    uint64_t *slot = wdg_map_get(&t->by_id, id);
    if (slot)
        return &t->o[*slot];
    if (wdg_grow((void **)&t->o, &t->cap, t->n + 1, sizeof *t->o, 64) < 0)
        return NULL;
    if (!wdg_map_put(&t->by_id, id, t->n, NULL))
        return NULL;
    objinfo *o = &t->o[t->n++];
    memset(o, 0, sizeof *o);
    o->id = id;
    o->first = at;
    return o;
}

/* A producer or waiter as a set element: its key and its thread, named by
 * the reference tid (a cand thread by its analog), so that two objects
 * signalled at the same call site by different threads stay apart. */
static uint64_t who_and_key(const diag_ctx *c, const engine_view *v, const wdg_event *e, long k)
{
    uint64_t who = e->tid;
    if (v == &c->cand) {
        /* a thread with no analog matches nothing in the reference */
        who = k >= 0 && v->threads[k].has_analog ? v->threads[k].analog
                                                 : (uint64_t)1 << 32 | e->tid;
    }
    uint64_t x = wdg_hash64(ev_key(c->kt, e) ^ wdg_hash64(who));
    return x == UINT64_MAX ? 0 : x;
}

static void objtab_free(objtab *t)
{
    for (size_t k = 0; k < t->n; k++) {
        idset_free(&t->o[k].producers);
        idset_free(&t->o[k].waiters);
        idset_free(&t->o[k].prod_keys);
    }
    free(t->o);
    wdg_map_free(&t->by_id);
    free(t->slots.s);
    wdg_map_free(&t->slots.at);
    wdg_map_free(&t->sites);
    wdg_map_free(&t->uses);
}

static int add_obj_pair(wdg_diagnosis *d, size_t *cap, wdg_addr cand, wdg_addr ref, int how)
{
    if (wdg_grow((void **)&d->objects, cap, d->n_objects + 1, sizeof *d->objects, 64) < 0)
        return -1;
    d->objects[d->n_objects++] = (wdg_object_pair){cand, ref, how};
    return 0;
}

static const idset *obj_set(const objinfo *o, int waiters)
{
    return waiters ? &o->waiters : &o->producers;
}

/* The ref object cand set ks matches best (at 0.5 or more), through the
 * index of the untaken ref objects' sets: best_r is the first ref object
 * at the best index; -1 when none reaches 0.5 or two or more share the
 * best index (a comparison with every ref object in turn gives the same). */
static int best_object(simindex *ix, const idset *ks, candidate *out, size_t **gs, double **js,
                       size_t *cap, size_t *cap_j)
{
    size_t n;
    if (simindex_query(ix, ks, gs, js, &n, cap, cap_j) < 0)
        return -2;
    double best = 0;
    size_t best_r = 0, at_best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t g = (*gs)[i], first = ix->member[ix->at[g]], count = ix->at[g + 1] - ix->at[g];
        if ((*js)[i] > best) {
            best = (*js)[i];
            best_r = first;
            at_best = count;
        } else if ((*js)[i] == best) {
            best_r = first < best_r ? first : best_r;
            at_best += count;
        }
    }
    if (best < 0.5 || at_best > 1)
        return -1;
    out->sim = best;
    out->r = best_r;
    return 0;
}

/* Pairs left-over objects by the Jaccard index of one set (producers or
 * waiters), best first.  A cand object whose best match is shared by
 * another ref object stays unpaired: a guess would be a confident wrong
 * answer later.  The candidates come from an index of the ref sets
 * (simsets.h), not a comparison of every pair. */
static int similar_objects(wdg_diagnosis *d, size_t *cap, objtab *rt, objtab *kt, int waiters)
{
    candidate *cands = NULL;
    size_t n = 0, ncap = 0, *gs = NULL, gcap = 0, jcap = 0;
    double *js = NULL;
    const idset **sets = malloc((rt->n + 1) * sizeof *sets);
    simindex ix;
    if (!sets)
        return -1;
    for (size_t r = 0; r < rt->n; r++)
        sets[r] = rt->o[r].taken ? NULL : obj_set(&rt->o[r], waiters);
    int rc = simindex_build(&ix, sets, rt->n);
    free(sets);
    if (rc < 0)
        return -1;
    for (size_t k = 0; rc == 0 && k < kt->n; k++) {
        const idset *ks = obj_set(&kt->o[k], waiters);
        candidate c;
        if (kt->o[k].taken || !ks->n)
            continue;
        int found = best_object(&ix, ks, &c, &gs, &js, &gcap, &jcap);
        if (found == -2 ||
            (found == 0 && wdg_grow((void **)&cands, &ncap, n + 1, sizeof *cands, 64) < 0)) {
            rc = -1;
            break;
        }
        if (found == 0)
            cands[n++] = (candidate){c.sim, c.r, k, rt->o[c.r].first, kt->o[k].first};
    }
    simindex_free(&ix);
    free(gs);
    free(js);
    if (rc == 0 && n)
        qsort(cands, n, sizeof *cands, by_similarity);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        objinfo *r = &rt->o[cands[i].r], *k = &kt->o[cands[i].k];
        if (r->taken || k->taken)
            continue;
        r->taken = k->taken = 1;
        rc = add_obj_pair(d, cap, k->id, r->id, waiters ? WDG_OBJ_HOW_WAITERS : WDG_OBJ_HOW_PRODUCERS);
    }
    free(cands);
    return rc;
}

static int pair_objects(wdg_diagnosis *d, size_t *cap, objinfo *r, objinfo *k, int how)
{
    r->taken = k->taken = 1;
    return add_obj_pair(d, cap, k->id, r->id, how);
}

/* Two sorted sets share no element (both non-empty). */
static int disjoint(const idset *a, const idset *b)
{
    for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
        if (a->v[i] == b->v[j])
            return 0;
        if (a->v[i] < b->v[j])
            i++;
        else
            j++;
    }
    return 1;
}

/* 1. identity: a guest pointer both engines name through pointer-kind ops
 * is one object, unless its creation sites or its producers say otherwise. */
static int identity_objects(wdg_diagnosis *d, size_t *cap, objtab *rt, objtab *kt)
{
    for (size_t k = 0; k < kt->n; k++) {
        objinfo *ko = &kt->o[k];
        uint64_t *ri = ko->pointer ? wdg_map_get(&rt->by_id, ko->id) : NULL;
        if (!ri || ko->taken)
            continue;
        objinfo *ro = &rt->o[*ri];
        if (!ro->pointer || ro->taken)
            continue;
        if (ro->has_create_lr && ko->has_create_lr && ro->create_lr != ko->create_lr)
            continue;
        if (ro->prod_keys.n && ko->prod_keys.n && disjoint(&ro->prod_keys, &ko->prod_keys))
            continue;
        if (pair_objects(d, cap, ro, ko, WDG_OBJ_HOW_IDENTITY) < 0)
            return -1;
    }
    return 0;
}

/* 2. creation site: the k-th object created at L in both (a site key takes
 * 41 bits, the ordinal the bits above) */
static int creation_objects(wdg_diagnosis *d, size_t *cap, objtab *rt, objtab *kt)
{
    wdg_map sites = WDG_MAP_INIT;
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < rt->n; r++)
        if (rt->o[r].create_site && rt->o[r].create_ordinal < (1u << 19) &&
            !wdg_map_put(&sites, rt->o[r].create_site | (uint64_t)rt->o[r].create_ordinal << 44,
                         r, NULL))
            rc = -1;
    for (size_t k = 0; rc == 0 && k < kt->n; k++) {
        if (kt->o[k].taken || !kt->o[k].create_site || kt->o[k].create_ordinal >= (1u << 19))
            continue;
        uint64_t *r = wdg_map_get(&sites,
                                  kt->o[k].create_site | (uint64_t)kt->o[k].create_ordinal << 44);
        if (r && !rt->o[*r].taken)
            rc = pair_objects(d, cap, &rt->o[*r], &kt->o[k], WDG_OBJ_HOW_CREATION_SITE);
    }
    wdg_map_free(&sites);
    return rc;
}

static int by_group_then_obj(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->obj < y->obj ? -1 : x->obj > y->obj;
}

static uint64_t nonmax(uint64_t h) { return h == UINT64_MAX ? 0 : h; }

/* A vote: cand object k -> ref object r (indexes), with its weight. */
typedef struct vote {
    size_t k, r;
    double n;
} vote;

static int by_cand_then_ref(const void *a, const void *b)
{
    const vote *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return x->r < y->r ? -1 : x->r > y->r;
}

/* Objects more numerous than this at one position of one site (a shared
 * wait wrapper) say nothing about positions. */
#define WAIT_POSITION_MAX 64

/* Every cand wait at lr X with n objects against every ref wait at X with
 * n objects (of the same thread pair): each casts o_k -> p_k. */
static int collect_votes(const slots *rs, const slots *ks, vote **out, size_t *n_out)
{
    vote *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0, j = 0; i < ks->n && j < rs->n;) {
        uint64_t g = ks->s[i].group;
        if (g != rs->s[j].group) {
            if (g < rs->s[j].group)
                i++;
            else
                j++;
            continue;
        }
        size_t ie = i, je = j;
        while (ie < ks->n && ks->s[ie].group == g)
            ie++;
        while (je < rs->n && rs->s[je].group == g)
            je++;
        for (size_t a = i; ie - i <= WAIT_POSITION_MAX && je - j <= WAIT_POSITION_MAX && a < ie;
             a++)
            for (size_t b = j; b < je; b++) {
                if (wdg_grow((void **)&v, &cap, n + 1, sizeof *v, 64) < 0) {
                    free(v);
                    return -1;
                }
                v[n++] = (vote){ks->s[a].obj, rs->s[b].obj,
                                (double)ks->s[a].n * (double)rs->s[b].n};
            }
        i = ie, j = je;
    }
    /* one vote per (cand, ref): the sum */
    if (n)
        qsort(v, n, sizeof *v, by_cand_then_ref);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && v[m - 1].k == v[i].k && v[m - 1].r == v[i].r)
            v[m - 1].n += v[i].n;
        else
            v[m++] = v[i];
    }
    *out = v;
    *n_out = m;
    return 0;
}

/* One round: each untaken cand object's most-voted untaken ref object (a
 * tie between two maps nothing), the most votes first.  The number paired,
 * or -1 when out of memory. */
static long vote_round(wdg_diagnosis *d, size_t *cap, objtab *rt, objtab *kt, const vote *v,
                       size_t n)
{
    candidate *cands = malloc((n + 1) * sizeof *cands);
    size_t nc = 0;
    long paired = 0;
    if (!cands)
        return -1;
    for (size_t i = 0; i < n;) {
        size_t k = v[i].k, e = i;
        double best = 0, second = 0;
        size_t best_r = 0;
        for (; e < n && v[e].k == k; e++) {
            if (rt->o[v[e].r].taken)
                continue;
            if (v[e].n > best) {
                second = best;
                best = v[e].n;
                best_r = v[e].r;
            } else if (v[e].n > second) {
                second = v[e].n;
            }
        }
        if (!kt->o[k].taken && best > 0 && best != second)
            cands[nc++] = (candidate){best, best_r, k, rt->o[best_r].first, kt->o[k].first};
        i = e;
    }
    if (nc)
        qsort(cands, nc, sizeof *cands, by_similarity);
    for (size_t i = 0; i < nc; i++) {
        objinfo *r = &rt->o[cands[i].r], *k = &kt->o[cands[i].k];
        if (r->taken || k->taken)
            continue;
        if (pair_objects(d, cap, r, k, WDG_OBJ_HOW_WAIT_POSITION) < 0) {
            free(cands);
            return -1;
        }
        paired++;
    }
    free(cands);
    return paired;
}

/* 3. wait position: the k-th object of a wait at lr X in one engine is the
 * k-th of the wait at X in the other (WaitAny(work, quit) in both). */
static int wait_position_objects(const diag_ctx *c, size_t *cap, objtab *rt, objtab *kt)
{
    vote *v = NULL;
    size_t n = 0;
    int rc = -1;
    if (collect_votes(&rt->slots, &kt->slots, &v, &n) < 0)
        goto done;
    /* rounds until none pairs: a cand object whose choice was taken, or
     * that tied, may have a clear choice among what is left */
    long paired = 0;
    for (int round = 0; round < 64 && (paired = vote_round(c->d, cap, rt, kt, v, n)) > 0; round++)
        ;
    rc = paired < 0 ? -1 : 0;
done:
    free(v);
    return rc;
}

/* --- address: one address in both runs --------------------------------- */

#define USE_PAIRED 1u          /* a thread with an analog names it */
#define USE_HANDLE 2u          /* a handle-kind op names it */

/* 4. address: an id that names no pointer object (identity's) and no
 * handle (numbered per engine), used by paired threads in both runs, is
 * one object: an address (wedge record turns ASLR off, so a program's
 * globals and heap repeat) or a module site is the same in both.  The
 * identity rule's contradictions hold here too. */
static int address_objects(const diag_ctx *c, size_t *cap, objtab *rt, objtab *kt)
{
    const wdg_map *ru = &rt->uses, *ku = &kt->uses;
    int rc = -1;
    for (size_t k = 0; k < kt->n; k++) {
        objinfo *ko = &kt->o[k];
        uint64_t *ri = ko->taken || ko->pointer ? NULL : wdg_map_get(&rt->by_id, ko->id);
        uint64_t *kb = wdg_map_get(ku, ko->id), *rb = wdg_map_get(ru, ko->id);
        if (!ri || !kb || !rb || *kb != USE_PAIRED || *rb != USE_PAIRED)
            continue;
        objinfo *ro = &rt->o[*ri];
        if (ro->taken || ro->pointer ||
            (ro->has_create_lr && ko->has_create_lr && ro->create_lr != ko->create_lr) ||
            (ro->prod_keys.n && ko->prod_keys.n && disjoint(&ro->prod_keys, &ko->prod_keys)))
            continue;
        if (pair_objects(c->d, cap, ro, ko, WDG_OBJ_HOW_ADDRESS) < 0)
            goto done;
    }
    rc = 0;
done:
    return rc;
}

/* Is id an object of the last wait of a divergent wedged cand thread? */
static int wedged_on(const diag_ctx *c, wdg_addr id)
{
    wdg_addr objs[64];
    for (size_t k = 0; k < c->cand.n; k++) {
        const wdg_thread *th = &c->cand.threads[k];
        if (th->state != WDG_TS_WEDGED || !th->divergent)
            continue;
        int n = diag_wait_objs(&c->cand, &c->cand.t->events[th->last], objs);
        for (int j = 0; j < n; j++)
            if (objs[j] == id)
                return 1;
    }
    return 0;
}

/* 6. orphan: a wedged thread waits on a cand object nobody in the
 * candidate signals, and only reference threads with no analog signal a
 * ref object; when each is the only one of its kind they are one object
 * (the reference's missing thread signals what the candidate waits for).
 * Two guest pointers are never matched this way (identity would have). */
static int orphan_objects(const diag_ctx *c, size_t *cap, objtab *rt, objtab *kt)
{
    objinfo *ko = NULL, *ro = NULL;
    size_t nk = 0, nr = 0;
    for (size_t k = 0; k < kt->n; k++)
        if (!kt->o[k].taken && !kt->o[k].producers.n && wedged_on(c, kt->o[k].id))
            ko = &kt->o[k], nk++;
    /* where the reference shows waits, an object nobody waits on there is
     * not what the wedged thread waits for */
    int ref_waits = 0;
    for (size_t r = 0; r < rt->n && !ref_waits; r++)
        ref_waits = rt->o[r].waiters.n > 0;
    for (size_t r = 0; nk == 1 && r < rt->n; r++)
        if (!rt->o[r].taken && rt->o[r].producers.n && !rt->o[r].paired_producer &&
            (!ref_waits || rt->o[r].waiters.n))
            ro = &rt->o[r], nr++;
    if (nk != 1 || nr != 1 || (ko->pointer && ro->pointer))
        return 0;
    return pair_objects(c->d, cap, ro, ko, WDG_OBJ_HOW_ORPHAN);
}

/* One pass over an engine's events builds its whole objtab: the objects
 * and their sets, the wait slots (wait position) and the address uses.
 * Each event's objects are worked out once (three passes did it three
 * times); objects get their indexes in the order the separate passes
 * gave them. */

/* A direct-mapped cache in front of obj_get() and the uses map: a trace
 * names a few objects over and over, and each of their lookups hashed.
 * An object keeps its index, and an id's use bits only grow, so an entry
 * stays true. */
#define OBJ_CACHE 256

typedef struct obj_cache {
    wdg_addr id[OBJ_CACHE];
    uint32_t k[OBJ_CACHE];     /* objtab index + 1; 0 = none */
    wdg_addr use_id[OBJ_CACHE];
    uint8_t use_bits[OBJ_CACHE];   /* bits known set, + 4 when the entry is used */
} obj_cache;

static size_t obj_slot(wdg_addr id)
{
    return (size_t)((id * 0x9E3779B97F4A7C15ULL) >> 56);
}

static long obj_index(objtab *t, obj_cache *oc, wdg_addr id, size_t at)
{
    size_t s = obj_slot(id);
    if (oc->k[s] && oc->id[s] == id)
        return (long)oc->k[s] - 1;
    objinfo *o = obj_get(t, id, at);
    if (!o)
        return -1;
    size_t k = (size_t)(o - t->o);
    if (k < UINT32_MAX) {
        oc->id[s] = id;
        oc->k[s] = (uint32_t)k + 1;
    }
    return (long)k;
}

/* ors bits into id's uses; -1 when out of memory */
static int add_use(wdg_map *uses, obj_cache *oc, wdg_addr id, unsigned bits)
{
    size_t s = obj_slot(id);
    if (oc->use_bits[s] && oc->use_id[s] == id && (oc->use_bits[s] & bits) == bits)
        return 0;   /* or-ed in already */
    uint64_t *b = wdg_map_put(uses, id, 0, NULL);
    if (!b)
        return -1;
    *b |= bits;
    oc->use_id[s] = id;
    oc->use_bits[s] = (uint8_t)(4 | *b);
    return 0;
}

/* The thread a wait is by, in reference tids: a paired cand thread by its
 * analog, any unpaired thread of either engine as one "unpaired" thread. */
static uint64_t wait_thread(const diag_ctx *c, const engine_view *v, long k, uint32_t tid)
{
    if (k < 0 || !v->threads[k].has_analog)
        return (uint64_t)1 << 32;
    return v == &c->cand ? v->threads[k].analog : tid;
}

/* Counts the wait at site (lr, its object count, its thread) on each of
 * its objects (indexes idx) in its position there. */
static int add_slots(const diag_ctx *c, const engine_view *v, const wdg_event *e, long t,
                     const size_t *idx, int n, slots *out)
{
    uint64_t site = wdg_hash64(wdg_hash64(wdg_ev_lr(e)) ^ ((uint64_t)n << 40) ^
                               wdg_hash64(wait_thread(c, v, t, e->tid) + 7));
    for (int k = 0; k < n; k++) {
        uint64_t group = nonmax(wdg_hash64(site + (uint64_t)k));
        int fresh = 0;
        uint64_t *at = wdg_map_put(&out->at, nonmax(wdg_hash64(group ^ wdg_hash64(idx[k]))),
                                   out->n, &fresh);
        if (!at)
            return -1;
        if (!fresh) {
            out->s[*at].n++;
            continue;
        }
        if (wdg_grow((void **)&out->s, &out->cap, out->n + 1, sizeof *out->s, 64) < 0)
            return -1;
        out->s[out->n++] = (slot){group, idx[k], 1};
    }
    return 0;
}

/* The events [lo, hi) of v into tab (not finished: objtab_finish());
 * tab->sites counts the creations at each site. */
static int engine_objects(const diag_ctx *c, const engine_view *v, objtab *tab, size_t lo,
                          size_t hi)
{
    const wdg_trace *tr = v->t;
    wdg_map *site_count = &tab->sites;
    wdg_addr objs[65];
    size_t idx[64];
    tid_cache tc = TID_CACHE_INIT;
    obj_cache *oc = calloc(1, sizeof *oc);
    if (!oc)
        return -1;
    for (size_t i = lo; i < hi; i++) {
        const wdg_event *e = &tr->events[i];
        int cat = wdg_ev_cat(tr->ops, e);
        int is_wait = cat == WDG_CAT_WAIT || cat == WDG_CAT_SIGNAL_WAIT;
        int has_obj = (e->flags & WDG_EV_OBJ) != 0;
        int nw = is_wait ? diag_wait_objs(v, e, objs) : 0;
        /* the objects the event names: a wait's, and obj unless a wait's
         * objects hold it already (a signal_wait's do not) */
        int named = nw;
        if (has_obj && (cat != WDG_CAT_WAIT || nw == 0))
            objs[named++] = diag_obj(v, wdg_ev_obj(e));
        if (!named)
            continue;   /* names no object: nothing here to keep */
        wdg_obj_kind kind = wdg_ops_obj_kind(tr->ops, e->op);
        long t = diag_thread_index_cached(v, &tc, e->tid);
        if (kind == WDG_OBJ_POINTER)
            for (int k = 0; k < named; k++) {
                long o = obj_index(tab, oc, objs[k], i);
                if (o < 0)
                    goto oom;
                tab->o[o].pointer = 1;
            }
        /* the uses of each id (address) */
        uint64_t bits = (t >= 0 && v->threads[t].has_analog ? USE_PAIRED : 0) |
                        (kind == WDG_OBJ_HANDLE ? USE_HANDLE : 0);
        for (int j = 0; j < named; j++)
            if (add_use(&tab->uses, oc, objs[j], (unsigned)bits) < 0)
                goto oom;
        int is_prod = wdg_category_is_producer(cat) && has_obj;
        int is_create = cat == WDG_CAT_CREATE && has_obj;
        if (!is_wait && !is_prod && !is_create)
            continue;   /* names no object this table keeps */
        uint64_t key = ev_key(c->kt, e);
        uint64_t elem = who_and_key(c, v, e, t);
        /* a create's or producer's obj: objs[nw] (not a plain wait) */
        if (is_create) {
            long o = obj_index(tab, oc, objs[nw], i);
            uint64_t *n = wdg_map_put(site_count, key, 0, NULL);
            if (o < 0 || !n)
                goto oom;
            objinfo *x = &tab->o[o];
            if (!x->create_site) {
                x->create_site = key;
                x->create_ordinal = (uint32_t)++*n;
                x->has_create_lr = (e->flags & WDG_EV_LR) != 0;
                x->create_lr = wdg_ev_lr(e);
            }
            continue;
        }
        if (is_prod) {
            long o = obj_index(tab, oc, objs[nw], i);
            if (o < 0 || idset_add(&tab->o[o].producers, elem) < 0 ||
                idset_add(&tab->o[o].prod_keys, key == UINT64_MAX ? 0 : key) < 0)
                goto oom;
            tab->o[o].paired_producer |= t >= 0 && v->threads[t].has_analog;
        }
        if (is_wait) {
            for (int k = 0; k < nw; k++) {
                long o = obj_index(tab, oc, objs[k], i);
                if (o < 0 || idset_add(&tab->o[o].waiters, elem) < 0)
                    goto oom;
                idx[k] = (size_t)o;
            }
            if ((e->flags & WDG_EV_LR) && add_slots(c, v, e, t, idx, nw, &tab->slots) < 0)
                goto oom;
        }
    }
    free(oc);
    return 0;
oom:
    free(oc);
    return -1;
}

/* The sets sorted, the slots in order. */
static void objtab_finish(objtab *tab)
{
    for (size_t k = 0; k < tab->n; k++) {
        idset_finish(&tab->o[k].producers);
        idset_finish(&tab->o[k].waiters);
        idset_finish(&tab->o[k].prod_keys);
    }
    if (tab->slots.n)
        qsort(tab->slots.s, tab->slots.n, sizeof *tab->slots.s, by_group_then_obj);
}

/* b's elements after a's (a set: idset_finish() sorts them) */
static int idset_cat(idset *a, const idset *b)
{
    if (!b->n)
        return 0;
    if (wdg_grow((void **)&a->v, &a->cap, a->n + b->n, sizeof *a->v, 16) < 0)
        return -1;
    memcpy(a->v + a->n, b->v, b->n * sizeof *b->v);
    a->n += b->n;
    return 0;
}

/* A creation of b's table: its site, its ordinal there, its index */
typedef struct creation_at {
    uint64_t site;
    uint32_t ordinal;
    size_t k;
} creation_at;

static int by_site_then_ordinal(const void *x, const void *y)
{
    const creation_at *p = x, *q = y;
    if (p->site != q->site)
        return p->site < q->site ? -1 : 1;
    return (p->ordinal > q->ordinal) - (p->ordinal < q->ordinal);
}

/* b's creations renumbered as one pass counts them: on from a's count at
 * their site, skipping an object a created already (one pass keeps its
 * first creation and counts no other). */
static int renumber_creations(objtab *a, objtab *b)
{
    creation_at *c = malloc((b->n + 1) * sizeof *c);
    size_t m = 0;
    if (!c)
        return -1;
    for (size_t k = 0; k < b->n; k++)
        if (b->o[k].create_site)
            c[m++] = (creation_at){b->o[k].create_site, b->o[k].create_ordinal, k};
    if (m)
        qsort(c, m, sizeof *c, by_site_then_ordinal);
    uint64_t count = 0;
    for (size_t i = 0; i < m; i++) {
        objinfo *bo = &b->o[c[i].k];
        if (i == 0 || c[i].site != c[i - 1].site) {
            uint64_t *before = wdg_map_get(&a->sites, c[i].site);
            count = before ? *before : 0;
        }
        uint64_t *ai = wdg_map_get(&a->by_id, bo->id);
        if (ai && a->o[*ai].create_site)
            continue;   /* not counted: the merge keeps a's creation */
        bo->create_ordinal = (uint32_t)++count;
    }
    free(c);
    return 0;
}

/* The objtab of the events after a's, b, merged into a as one pass over
 * both would have built it: b's new objects after a's in b's order, a
 * creation's ordinal counted on from a's creations at its site (an object a
 * created already counts no more: renumber_creations()), the
 * first creation, sets, slots and uses joined.  -1 when out of memory. */
static int objtab_merge(objtab *a, objtab *b)
{
    size_t *to = malloc((b->n + 1) * sizeof *to);
    if (!to || renumber_creations(a, b) < 0) {
        free(to);
        return -1;
    }
    int rc = -1;
    for (size_t k = 0; k < b->n; k++) {
        objinfo *bo = &b->o[k];
        uint64_t *ai = wdg_map_get(&a->by_id, bo->id);
        if (!ai) {
            if (wdg_grow((void **)&a->o, &a->cap, a->n + 1, sizeof *a->o, 64) < 0 ||
                !wdg_map_put(&a->by_id, bo->id, a->n, NULL))
                goto out;
            a->o[a->n] = *bo;   /* its sets move */
            memset(&bo->producers, 0, sizeof bo->producers);
            memset(&bo->waiters, 0, sizeof bo->waiters);
            memset(&bo->prod_keys, 0, sizeof bo->prod_keys);
            to[k] = a->n++;
            continue;
        }
        objinfo *ao = &a->o[*ai];
        to[k] = (size_t)*ai;
        if (!ao->create_site && bo->create_site) {
            ao->create_site = bo->create_site;
            ao->create_ordinal = bo->create_ordinal;
            ao->has_create_lr = bo->has_create_lr;
            ao->create_lr = bo->create_lr;
        }
        ao->pointer |= bo->pointer;
        ao->paired_producer |= bo->paired_producer;
        if (idset_cat(&ao->producers, &bo->producers) < 0 ||
            idset_cat(&ao->waiters, &bo->waiters) < 0 ||
            idset_cat(&ao->prod_keys, &bo->prod_keys) < 0)
            goto out;
    }
    for (size_t i = 0; i < b->slots.n; i++) {
        slot x = b->slots.s[i];
        x.obj = to[x.obj];
        int fresh = 0;
        uint64_t *at = wdg_map_put(&a->slots.at, nonmax(wdg_hash64(x.group ^ wdg_hash64(x.obj))),
                                   a->slots.n, &fresh);
        if (!at)
            goto out;
        if (!fresh) {
            a->slots.s[*at].n += x.n;
            continue;
        }
        if (wdg_grow((void **)&a->slots.s, &a->slots.cap, a->slots.n + 1, sizeof *a->slots.s,
                     64) < 0)
            goto out;
        a->slots.s[a->slots.n++] = x;
    }
    for (size_t i = 0; i < b->uses.cap; i++) {
        if (b->uses.keys[i] == UINT64_MAX)
            continue;
        uint64_t *u = wdg_map_put(&a->uses, b->uses.keys[i], 0, NULL);
        if (!u)
            goto out;
        *u |= b->uses.vals[i];
    }
    rc = 0;
out:
    free(to);
    return rc;
}

/* A par_run2() job: the events [lo, hi) of one engine into an objtab,
 * then, if part2.v, a second such part, then, if prods, the reference's
 * producer index (the roots'); each reads only its engine's events, the
 * thread map and the key table. */
typedef struct obj_part {
    const engine_view *v;
    objtab *tab;
    size_t lo, hi;
} obj_part;

typedef struct obj_job {
    const diag_ctx *c;
    obj_part part, part2;
    int prods;
    diag_producer *p;
    size_t n_p;
} obj_job;

static int objects_job(void *p)
{
    obj_job *j = p;
    if (engine_objects(j->c, j->part.v, j->part.tab, j->part.lo, j->part.hi) < 0 ||
        (j->part2.v &&
         engine_objects(j->c, j->part2.v, j->part2.tab, j->part2.lo, j->part2.hi) < 0))
        return -1;
    return j->prods ? diag_index_producers(j->c, &j->p, &j->n_p) : 0;
}

/* A reference this many events long and more than twice the candidate's
 * is built in two halves, one on each core (the candidate's table beside
 * the second half); a shorter one is not worth the merge. */
#define OBJ_SPLIT_MIN 65536

int diag_object_map(diag_ctx *c, wdg_error *err)
{
    objtab rt = {0}, rt2 = {0}, kt = {0};
    size_t cap = 0;
    int rc = 0;
    size_t nr = c->ref.t->n_events, nk = c->cand.t->n_events;
    size_t mid = c->threads != 1 && nr >= OBJ_SPLIT_MIN && nr / 2 > nk ? (nr + nk) / 2 : nr;
    /* one part each, or the reference's halves, the candidate after the
     * second; the producer index beside the smaller part */
    obj_job ja = {c, {&c->ref, &rt, 0, mid}, {NULL, NULL, 0, 0}, mid < nr, NULL, 0};
    obj_job jb = {c, {&c->cand, &kt, 0, nk}, {NULL, NULL, 0, 0}, mid == nr, NULL, 0};
    if (mid < nr) {
        jb.part = (obj_part){&c->ref, &rt2, mid, nr};
        jb.part2 = (obj_part){&c->cand, &kt, 0, nk};
    }
    int rc_a, rc_b;
    par_run2(c->threads, objects_job, &ja, &rc_a, objects_job, &jb, &rc_b);
    c->prods = ja.prods ? ja.p : jb.p;   /* the ctx's owner frees it, whatever happens */
    c->n_prods = ja.prods ? ja.n_p : jb.n_p;
    if (rc_a >= 0 && rc_b >= 0 && mid < nr && objtab_merge(&rt, &rt2) < 0)
        rc_a = -1;
    objtab_free(&rt2);
    if (rc_a >= 0 && rc_b >= 0) {
        objtab_finish(&rt);
        objtab_finish(&kt);
    }
    if (rc_a < 0 || rc_b < 0 ||
        identity_objects(c->d, &cap, &rt, &kt) < 0 || creation_objects(c->d, &cap, &rt, &kt) < 0 ||
        wait_position_objects(c, &cap, &rt, &kt) < 0 || address_objects(c, &cap, &rt, &kt) < 0 ||
        similar_objects(c->d, &cap, &rt, &kt, 0) < 0 || similar_objects(c->d, &cap, &rt, &kt, 1) < 0 ||
        orphan_objects(c, &cap, &rt, &kt) < 0)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    objtab_free(&rt);
    objtab_free(&kt);
    return rc;
}
