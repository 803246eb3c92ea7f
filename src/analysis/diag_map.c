/* The thread map (ANALYSIS.md section 2) and the object map (section 6). */
#include <stdlib.h>
#include <string.h>

#include "../formats/formats.h"
#include "diag_internal.h"

static int add_pair(diag_ctx *c, size_t *cap, uint32_t ref, uint32_t cand, int how, double sim)
{
    wdg_diagnosis *d = c->d;
    if (d->n_pairs == *cap) {
        size_t n = *cap ? *cap * 2 : 32;
        wdg_thread_pair *p = realloc(d->pairs, n * sizeof *p);
        if (!p)
            return -1;
        d->pairs = p;
        *cap = n;
    }
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
    uint32_t entry;
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
        uint32_t entry = r[i].entry;
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
static idset *signatures(const diag_ctx *c, const engine_view *v)
{
    idset *s = calloc(v->n + 1, sizeof *s);
    if (!s)
        return NULL;
    for (size_t k = 0; k < v->n; k++) {
        for (size_t i = v->start[k]; i < v->start[k + 1]; i++) {
            const wdg_event *e = &v->t->events[v->by_thread[i]];
            if (!(c->common & WDG_CAT_BIT(e->cat)) || e->op == WDG_OP_OBJECT_ALIAS)
                continue;
            if (idset_add(&s[k], ev_key(c->kt, e)) < 0) {
                signatures_free(s, v->n);
                return NULL;
            }
        }
        idset_finish(&s[k]);
    }
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

static int signature_pairs(diag_ctx *c, size_t *cap)
{
    idset *rs = signatures(c, &c->ref), *ks = signatures(c, &c->cand);
    candidate *cands = NULL;
    size_t n = 0, ncap = 0;
    int rc = (!rs || !ks) ? -1 : 0;
    for (size_t r = 0; rc == 0 && r < c->ref.n; r++) {
        if (c->ref.threads[r].has_analog)
            continue;
        for (size_t k = 0; rc == 0 && k < c->cand.n; k++) {
            if (c->cand.threads[k].has_analog)
                continue;
            double j = idset_jaccard(&rs[r], &ks[k]);
            if (j < 0.5)
                continue;
            if (n == ncap) {
                ncap = ncap ? ncap * 2 : 64;
                candidate *p = realloc(cands, ncap * sizeof *p);
                if (!p) {
                    rc = -1;
                    break;
                }
                cands = p;
            }
            cands[n++] = (candidate){j, r, k, c->ref.threads[r].first, c->cand.threads[k].first};
        }
    }
    if (rc == 0 && n)
        qsort(cands, n, sizeof *cands, by_similarity);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        wdg_thread *rt = &c->ref.threads[cands[i].r], *ct = &c->cand.threads[cands[i].k];
        if (!rt->has_analog && !ct->has_analog)
            rc = add_pair(c, cap, rt->tid, ct->tid, WDG_HOW_SIGNATURE, cands[i].sim);
    }
    signatures_free(rs, c->ref.n);
    signatures_free(ks, c->cand.n);
    free(cands);
    return rc;
}

/* the thread nobody created whose first event comes first (the main
 * thread), or NULL */
static wdg_thread *main_thread(const engine_view *v)
{
    wdg_thread *best = NULL;
    for (size_t k = 0; k < v->n; k++) {
        wdg_thread *th = &v->threads[k];
        if (!th->has_creator && th->count && (!best || th->first < best->first))
            best = th;
    }
    return best;
}

/* The mains pair before signatures: their key sets differ most (boot work
 * the other engine's main does elsewhere), and a false missing thread
 * there would block most of the graph. */
static int main_pair(diag_ctx *c, size_t *cap)
{
    wdg_thread *r = main_thread(&c->ref), *k = main_thread(&c->cand);
    if (!r || !k || r->has_analog || k->has_analog)
        return 0;
    return add_pair(c, cap, r->tid, k->tid, WDG_HOW_MAIN, 1);
}

int diag_thread_map(diag_ctx *c, const char *tid_map, wdg_error *err)
{
    size_t cap = 0;
    int rc;
    if (tid_map && (rc = explicit_pairs(c, &cap, tid_map, err)) < 0)
        return rc;
    if (entry_pairs(c, &cap) < 0 || main_pair(c, &cap) < 0 || signature_pairs(c, &cap) < 0)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    return 0;
}

/* --- the object map -------------------------------------------------- */

typedef struct objinfo {
    uint32_t id;
    uint64_t create_site;      /* key of its creation, 0 = none */
    uint32_t create_ordinal;   /* k-th object created at that site */
    size_t first;              /* first event naming it */
    idset producers, waiters;
    int taken;
} objinfo;

typedef struct objtab {
    objinfo *o;
    size_t n, cap;
    wdg_map by_id;
} objtab;

static objinfo *obj_get(objtab *t, uint32_t id, size_t at)
{
    uint64_t *slot = wdg_map_get(&t->by_id, id);
    if (slot)
        return &t->o[*slot];
    if (t->n == t->cap) {
        size_t c = t->cap ? t->cap * 2 : 64;
        objinfo *p = realloc(t->o, c * sizeof *p);
        if (!p)
            return NULL;
        t->o = p;
        t->cap = c;
    }
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
static uint64_t who_and_key(const diag_ctx *c, const engine_view *v, const wdg_event *e)
{
    uint64_t who = e->tid;
    if (v == &c->cand) {
        long k = diag_thread_index(v, e->tid);
        /* a thread with no analog matches nothing in the reference */
        who = k >= 0 && v->threads[k].has_analog ? v->threads[k].analog
                                                 : (uint64_t)1 << 32 | e->tid;
    }
    uint64_t x = wdg_hash64(ev_key(c->kt, e) ^ wdg_hash64(who));
    return x == UINT64_MAX ? 0 : x;
}

static int objects_of(const diag_ctx *c, const engine_view *v, objtab *tab)
{
    wdg_map site_count = WDG_MAP_INIT;
    uint32_t objs[64];
    for (size_t i = 0; i < v->t->n_events; i++) {
        const wdg_event *e = &v->t->events[i];
        uint64_t key = ev_key(c->kt, e);
        uint64_t elem = who_and_key(c, v, e);
        if (e->cat == WDG_CAT_CREATE && (e->flags & WDG_EV_OBJ)) {
            objinfo *o = obj_get(tab, diag_obj(v, e->obj), i);
            uint64_t *n = wdg_map_put(&site_count, key, 0, NULL);
            if (!o || !n)
                goto oom;
            if (!o->create_site) {
                o->create_site = key;
                o->create_ordinal = (uint32_t)++*n;
            }
            continue;
        }
        if (wdg_category_is_producer(e->cat) && (e->flags & WDG_EV_OBJ)) {
            objinfo *o = obj_get(tab, diag_obj(v, e->obj), i);
            if (!o || idset_add(&o->producers, elem) < 0)
                goto oom;
        }
        if (e->cat == WDG_CAT_WAIT || e->cat == WDG_CAT_SIGNAL_WAIT) {
            int n = diag_wait_objs(v, e, objs);
            for (int k = 0; k < n; k++) {
                objinfo *o = obj_get(tab, objs[k], i);
                if (!o || idset_add(&o->waiters, elem) < 0)
                    goto oom;
            }
        }
    }
    for (size_t k = 0; k < tab->n; k++) {
        idset_finish(&tab->o[k].producers);
        idset_finish(&tab->o[k].waiters);
    }
    wdg_map_free(&site_count);
    return 0;
oom:
    wdg_map_free(&site_count);
    return -1;
}

static void objtab_free(objtab *t)
{
    for (size_t k = 0; k < t->n; k++) {
        idset_free(&t->o[k].producers);
        idset_free(&t->o[k].waiters);
    }
    free(t->o);
    wdg_map_free(&t->by_id);
}

static int add_obj_pair(wdg_diagnosis *d, size_t *cap, uint32_t cand, uint32_t ref, int how)
{
    if (d->n_objects == *cap) {
        size_t n = *cap ? *cap * 2 : 64;
        wdg_object_pair *p = realloc(d->objects, n * sizeof *p);
        if (!p)
            return -1;
        d->objects = p;
        *cap = n;
    }
    d->objects[d->n_objects++] = (wdg_object_pair){cand, ref, how};
    return 0;
}

/* Pairs left-over objects by the Jaccard index of one set (producers or
 * waiters), best first.  A cand object whose best match is shared by
 * another ref object stays unpaired: a guess would be a confident wrong
 * answer later. */
static int similar_objects(wdg_diagnosis *d, size_t *cap, objtab *rt, objtab *kt, int waiters)
{
    candidate *cands = NULL;
    size_t n = 0, ncap = 0;
    int rc = 0;
    for (size_t k = 0; k < kt->n; k++) {
        if (kt->o[k].taken)
            continue;
        const idset *ks = waiters ? &kt->o[k].waiters : &kt->o[k].producers;
        double best = 0, second = 0;
        size_t best_r = 0;
        for (size_t r = 0; ks->n && r < rt->n; r++) {
            if (rt->o[r].taken)
                continue;
            double j = idset_jaccard(ks, waiters ? &rt->o[r].waiters : &rt->o[r].producers);
            if (j > best) {
                second = best;
                best = j;
                best_r = r;
            } else if (j > second) {
                second = j;
            }
        }
        if (best < 0.5 || second == best)
            continue;
        if (n == ncap) {
            ncap = ncap ? ncap * 2 : 64;
            candidate *p = realloc(cands, ncap * sizeof *p);
            if (!p) {
                free(cands);
                return -1;
            }
            cands = p;
        }
        cands[n++] = (candidate){best, best_r, k, rt->o[best_r].first, kt->o[k].first};
    }
    if (n)
        qsort(cands, n, sizeof *cands, by_similarity);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        objinfo *r = &rt->o[cands[i].r], *k = &kt->o[cands[i].k];
        if (r->taken || k->taken)
            continue;
        r->taken = k->taken = 1;
        rc = add_obj_pair(d, cap, k->id, r->id, waiters ? 3 : 2);
    }
    free(cands);
    return rc;
}

int diag_object_map(diag_ctx *c, wdg_error *err)
{
    objtab rt = {0}, kt = {0};
    size_t cap = 0;
    int rc = 0;
    if (objects_of(c, &c->ref, &rt) < 0 || objects_of(c, &c->cand, &kt) < 0)
        goto oom;
    /* 1. creation site: the k-th object created at L in both (a site key
     * takes 41 bits, the ordinal the bits above) */
    wdg_map sites = WDG_MAP_INIT;
    for (size_t r = 0; r < rt.n; r++)
        if (rt.o[r].create_site && rt.o[r].create_ordinal < (1u << 19) &&
            !wdg_map_put(&sites, rt.o[r].create_site | (uint64_t)rt.o[r].create_ordinal << 44, r,
                         NULL)) {
            wdg_map_free(&sites);
            goto oom;
        }
    for (size_t k = 0; k < kt.n; k++) {
        if (!kt.o[k].create_site || kt.o[k].create_ordinal >= (1u << 19))
            continue;
        uint64_t *r = wdg_map_get(&sites, kt.o[k].create_site | (uint64_t)kt.o[k].create_ordinal << 44);
        if (!r || rt.o[*r].taken)
            continue;
        rt.o[*r].taken = kt.o[k].taken = 1;
        if (add_obj_pair(c->d, &cap, kt.o[k].id, rt.o[*r].id, 1) < 0) {
            wdg_map_free(&sites);
            goto oom;
        }
    }
    wdg_map_free(&sites);
    /* 2. producers, 3. waiters */
    if (similar_objects(c->d, &cap, &rt, &kt, 0) < 0 || similar_objects(c->d, &cap, &rt, &kt, 1) < 0)
        goto oom;
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
done:
    objtab_free(&rt);
    objtab_free(&kt);
    return rc;
}
