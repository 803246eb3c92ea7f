/* diag_internal.h - what the diagnosis stages share (internal). */
#ifndef WEDGE_DIAG_INTERNAL_H
#define WEDGE_DIAG_INTERNAL_H

#include "../base/map.h"
#include "wedge/diagnosis.h"

/* One engine's view: its trace, thread table, and events grouped by thread. */
typedef struct engine_view {
    const wdg_trace *t;
    wdg_thread *threads;
    size_t n;
    wdg_map by_tid;            /* tid -> index in threads */
    size_t *by_thread;         /* event indexes grouped by thread, in order */
    size_t *start;             /* thread i's events: by_thread[start[i] .. start[i+1]) */
    wdg_map alias;             /* object.alias: obj -> canonical obj */
    int64_t silence;
    struct idset *sigs;        /* each thread's key set, when built with the
                                  view (diag_build_signatures()), else NULL */
} engine_view;

/* A producer of a ref object: one per (thread, key), its first event. */
typedef struct diag_producer {
    wdg_addr obj;
    size_t event;
} diag_producer;

typedef struct diag_ctx {
    wdg_diagnosis *d;
    engine_view ref, cand;
    const wdg_keytable *kt;
    const wdg_symbols *symbols;
    unsigned common;           /* categories observed in both engines */
    int threads;               /* par_run2()'s: 1 = everything inline */
    diag_producer *prods;      /* the ref's producers by object (owned):
                                  diag_index_producers(), beside the
                                  candidate's object table */
    size_t n_prods;
} diag_ctx;

/* t, or the line number for traces without t */
static inline int64_t ev_time(const wdg_trace *t, const wdg_event *e)
{
    return t->all_t ? e->t : (int64_t)wdg_ev_line(t, e);
}

/* A key as one 64-bit id, lr-keyed where the table is and lr is known. */
static inline uint64_t ev_key(const wdg_keytable *kt, const wdg_event *e)
{
    return wdg_event_key(kt->ops, e, kt->by_lr);
}

/* the canonical id of an object (object.alias joins ids) */
wdg_addr diag_obj(const engine_view *v, wdg_addr obj);
/* the objects of a wait event (obj, or objs); returns how many (<= 64) */
int diag_wait_objs(const engine_view *v, const wdg_event *e, wdg_addr *out);
/* thread index of tid, or -1 */
long diag_thread_index(const engine_view *v, uint32_t tid);

/* diag_thread_index() remembering its last answer: runs of one thread's
 * events are the rule, and the lookup was a hash probe per event.  Valid
 * only while the view's threads do not change. */
typedef struct tid_cache {
    uint32_t tid;
    int valid;
    long k;
} tid_cache;
#define TID_CACHE_INIT {0, 0, -1}

static inline long diag_thread_index_cached(const engine_view *v, tid_cache *tc, uint32_t tid)
{
    if (!tc->valid || tc->tid != tid) {
        tc->tid = tid;
        tc->valid = 1;
        tc->k = diag_thread_index(v, tid);
    }
    return tc->k;
}

int diag_build_threads(engine_view *v, const wdg_trace *t, const wdg_symbols *s);
/* Both engines' views (diag_build_threads()), on two threads unless
 * threads == 1: they need no key table, so a report builds them beside
 * it.  -1 when out of memory; the views hold what was built either way. */
int diag_build_views(engine_view *ref_v, engine_view *cand_v, const wdg_trace *ref,
                     const wdg_trace *cand, const wdg_symbols *symbols, int threads);
/* wdg_diagnose() on views from diag_build_views(), which it takes over
 * (and frees on an error); views_ns: the time they took. */
int diag_diagnose_views(wdg_diagnosis *d, engine_view *ref_v, engine_view *cand_v,
                        const wdg_keytable *kt, const wdg_symbols *symbols,
                        const wdg_diagnosis_opts *opts, uint64_t views_ns, wdg_error *err);
void diag_free_view(engine_view *v);
void diag_states(diag_ctx *c, const wdg_diagnosis_opts *o);
int diag_thread_map(diag_ctx *c, const char *tid_map, wdg_error *err);
int diag_object_map(diag_ctx *c, wdg_error *err);
int diag_roots(diag_ctx *c, wdg_error *err);
/* Every distinct (ref object, thread, key) with its first event, sorted by
 * object then event, into *out (the caller frees it); -1 when out of
 * memory.  It reads only the ref's events, its aliases and the key table. */
int diag_index_producers(const diag_ctx *c, diag_producer **out, size_t *n);
/* the ladders of every root, once roots, rungs and links are final;
 * -1 when out of memory */
int diag_ladders(wdg_diagnosis *d);

/* The key table's wdg_keytable.by_lr, from the traces alone. */
int keys_by_lr(const wdg_trace *ref, const wdg_trace *cand);
/* Both views' thread signatures (the key set of each thread over the
 * categories both observe), keyed as the key table will be: they need no
 * key table, so a report builds them beside it.  -1 when out of memory. */
int diag_build_signatures(engine_view *ref_v, engine_view *cand_v);

/* Sorted unique sets of 64-bit ids, and their Jaccard index. */
typedef struct idset {
    uint64_t *v;
    size_t n, cap;
} idset;
int idset_add(idset *s, uint64_t x);
void idset_finish(idset *s);   /* sort + unique */
double idset_jaccard(const idset *a, const idset *b);
void idset_free(idset *s);

#endif
