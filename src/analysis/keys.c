/* The producer key table and the first divergence (docs/analysis.md,
 * "Key table" and "Headline"). */
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/map.h"
#include "wedge/analysis.h"
#include "diag_internal.h"
#include "wrappers.h"

const char *wdg_status_name(wdg_status st)
{
    switch (st) {
    case WDG_ST_MATCH: return "MATCH";
    case WDG_ST_UNDER: return "UNDER";
    case WDG_ST_OVER: return "OVER";
    case WDG_ST_MISSING: return "MISSING";
    case WDG_ST_EXTRA: return "EXTRA";
    case WDG_ST_UNOBSERVABLE: return "UNOBSERVABLE";
    case WDG_ST_MIXED: return "MIXED";
    }
    return "?";
}

static const char *const key_by_names[] = {"site", "function", "caller"};

const char *wdg_key_by_name(wdg_key_by by)
{
    return (unsigned)by < 3 ? key_by_names[by] : "?";
}

int wdg_key_by_parse(const char *s, wdg_key_by *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, key_by_names[i]) == 0) {
            *out = (wdg_key_by)i;
            return 0;
        }
    return -1;
}

void wdg_keytable_free(wdg_keytable *kt)
{
    free(kt->keys);
    free(kt->ref_key);
    free(kt->cand_key);
    free(kt->classes);
    free(kt->class_keys);
    memset(kt, 0, sizeof *kt);
}

/* A key as sorted: ops compare by name, carried along because qsort's
 * comparison has no context (and a global one would make report building
 * unsafe in threads). */
typedef struct sorted_key {
    wdg_key k;
    uint32_t old;
    const char *name;   /* the op's name, owned by the ops table */
} sorted_key;

static int key_order(const void *a, const void *b)
{
    const sorted_key *sa = a, *sb = b;
    const wdg_key *x = &sa->k, *y = &sb->k;
    if (x->ref != y->ref)
        return x->ref > y->ref ? -1 : 1;
    if (x->cand != y->cand)
        return x->cand > y->cand ? -1 : 1;
    if (x->cat != y->cat)
        return x->cat < y->cat ? -1 : 1;
    if (x->has_lr != y->has_lr)
        return x->has_lr ? -1 : 1;
    if (x->has_lr && x->lr != y->lr)
        return x->lr < y->lr ? -1 : 1;
    return strcmp(sa->name, sb->name);
}

/* The usual rule, on a key's counts or a match class's summed ones. */
static wdg_status status_of(int cat, uint64_t ref_n, uint64_t cand_n, const wdg_trace *ref,
                            const wdg_trace *cand, double tol)
{
    unsigned bit = WDG_CAT_BIT(cat);
    if (!(ref->observes & bit) || !(cand->observes & bit))
        return WDG_ST_UNOBSERVABLE;
    if (ref_n > 0 && cand_n == 0)
        return WDG_ST_MISSING;
    if (ref_n == 0 && cand_n > 0)
        return WDG_ST_EXTRA;
    if (cand_n > 0 && (double)cand_n < (double)ref_n / (1.0 + tol))
        return WDG_ST_UNDER;
    if (ref_n > 0 && (double)cand_n > (double)ref_n * (1.0 + tol))
        return WDG_ST_OVER;
    return WDG_ST_MATCH;
}

/* The key id of a key: (category, address) or (category, op), as
 * wdg_event_key gives for an event keyed at its own lr. */
static uint64_t key_id(const wdg_key *k)
{
    if (k->has_lr)
        return (uint64_t)k->cat << 33 | wdg_addr_key33(k->lr);
    return (uint64_t)1 << 40 | (uint64_t)k->cat << 32 | k->op;
}

/* Each lr key's count of its first op, in an array: most keys see one op,
 * and a hash probe per producer for it was a fifth of the key table.  The
 * other ops' counts go into a map (count_trace()). */
typedef struct first_ops {
    uint32_t *op;
    uint64_t *n;
    size_t cap_op, cap_n;
} first_ops;

int keys_by_lr(const wdg_trace *ref, const wdg_trace *cand)
{
    return !(ref->producers > 0 && ref->producers_with_lr == 0) &&
           !(cand->producers > 0 && cand->producers_with_lr == 0);
}

/* Adds the producers of one trace to the table. */
static int count_trace(wdg_keytable *kt, const wrap_set *w, wdg_map *ids, wdg_map *op_counts,
                       first_ops *fo, size_t *cap, const wdg_trace *t, int is_ref,
                       uint32_t *per_event)
{
    for (size_t i = 0; i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        per_event[i] = WDG_NO_KEY;
        if (!wdg_category_is_producer(wdg_ev_cat(t->ops, e)))
            continue;
        int inserted, lifted = 0;
        uint64_t id = wdg_event_key(t->ops, e, kt->by_lr);
        wdg_addr addr = wdg_ev_lr(e);
        if (kt->by_lr && (e->flags & WDG_EV_LR)) {
            addr = wrap_key_addr(w, t, e, &lifted);
            id = (uint64_t)wdg_ev_cat(t->ops, e) << 33 | wdg_addr_key33(addr);
            kt->lifted[!is_ref] += (uint64_t)lifted;
        }
        uint64_t *slot = wdg_map_put(ids, id, kt->n, &inserted);
        if (!slot)
            return -1;
        if (inserted) {
            if (wdg_grow((void **)&kt->keys, cap, kt->n + 1, sizeof *kt->keys, 64) < 0 ||
                wdg_grow((void **)&fo->op, &fo->cap_op, kt->n + 1, sizeof *fo->op, 64) < 0 ||
                wdg_grow((void **)&fo->n, &fo->cap_n, kt->n + 1, sizeof *fo->n, 64) < 0)
                return -1;
            fo->op[kt->n] = e->op;
            fo->n[kt->n] = 0;
            wdg_key *k = &kt->keys[kt->n++];
            memset(k, 0, sizeof *k);
            k->cat = wdg_ev_cat(t->ops, e);
            k->has_lr = kt->by_lr && (e->flags & WDG_EV_LR);
            k->lr = k->has_lr ? addr : 0;
            k->op = e->op;
            k->cls = WDG_NO_KEY;
        }
        uint32_t idx = (uint32_t)*slot;
        per_event[i] = idx;
        wdg_key *k = &kt->keys[idx];
        if (is_ref)
            k->ref_total++;
        else
            k->cand_total++;
        if (k->has_lr) {
            /* ref names first: weight ref ops above any cand count */
            uint64_t *c = fo->op[idx] == e->op
                              ? &fo->n[idx]
                              : wdg_map_put(op_counts, (uint64_t)idx << 32 | e->op, 0, NULL);
            if (!c)
                return -1;
            *c += is_ref ? (uint64_t)1 << 32 : 1;
        }
    }
    return 0;
}

/* The common span needs each key's id; then the counts over it. */
static int span_counts(wdg_keytable *kt, const wdg_trace *ref, const wdg_trace *cand,
                       wdg_span_method method, wdg_error *err)
{
    uint64_t *ids = malloc((kt->n + 1) * sizeof *ids);
    if (!ids)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    const wdg_trace *tr[2] = {ref, cand};
    const uint32_t *key[2] = {kt->ref_key, kt->cand_key};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < tr[s]->n_events; i++)
            if (key[s][i] != WDG_NO_KEY)
                ids[key[s][i]] = key_id(&kt->keys[key[s][i]]);
    int rc = wdg_span_find(&kt->span, tr, key, ids, kt->n, method, err);
    free(ids);
    if (rc < 0)
        return rc;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < kt->span.count[s]; i++)
            if (key[s][i] != WDG_NO_KEY) {
                wdg_key *k = &kt->keys[key[s][i]];
                if (s == WDG_SIDE_REF)
                    k->ref++;
                else
                    k->cand++;
            }
    return 0;
}

int wdg_keytable_build(wdg_keytable *kt, const wdg_trace *ref, const wdg_trace *cand,
                       double tolerance, wdg_span_method span, wdg_error *err)
{
    return wdg_keytable_build_keyed(kt, ref, cand, tolerance, span, NULL, err);
}

/* Match classes, and their statuses from their summed counts. */
static int classes(wdg_keytable *kt, const wrap_set *w, const wdg_trace *ref,
                   const wdg_trace *cand, wdg_error *err)
{
    const wdg_trace *tr[2] = {ref, cand};
    int rc = wrap_classes(kt, w, tr, err);
    for (size_t i = 0; rc == 0 && i < kt->n_classes; i++) {
        wdg_match_class *m = &kt->classes[i];
        m->status = status_of(m->cat, m->ref, m->cand, ref, cand, kt->tolerance);
    }
    return rc;
}

/* the keys by status, once the classes have made their members MIXED */
static void count_statuses(wdg_keytable *kt)
{
    for (size_t i = 0; i < kt->n; i++)
        if ((unsigned)kt->keys[i].status < WDG_ST_COUNT)
            kt->by_status[kt->keys[i].status]++;
}

int wdg_keytable_build_keyed(wdg_keytable *kt, const wdg_trace *ref, const wdg_trace *cand,
                             double tolerance, wdg_span_method span, const wdg_key_opts *ko,
                             wdg_error *err)
{
    memset(kt, 0, sizeof *kt);
    wrap_set w;
    const wdg_trace *tr[2] = {ref, cand};
    int wrc = wrap_init(&w, ko, tr, err);
    if (wrc < 0)
        return wrc;
    wdg_map ids = WDG_MAP_INIT, op_counts = WDG_MAP_INIT;
    uint32_t *remap = NULL;
    first_ops fo = {NULL, NULL, 0, 0};
    size_t cap = 0;
    int rc = 0;
    kt->tolerance = tolerance;
    kt->key_by = w.by;
    kt->ops = ref->ops;
    /* A trace whose producers carry no lr forces op keys on both sides. */
    kt->by_lr = keys_by_lr(ref, cand);
    kt->ref_key = malloc((ref->n_events + 1) * sizeof *kt->ref_key);
    kt->cand_key = malloc((cand->n_events + 1) * sizeof *kt->cand_key);
    if (!kt->ref_key || !kt->cand_key ||
        count_trace(kt, &w, &ids, &op_counts, &fo, &cap, ref, 1, kt->ref_key) < 0 ||
        count_trace(kt, &w, &ids, &op_counts, &fo, &cap, cand, 0, kt->cand_key) < 0)
        goto oom;
    /* the op shown for an lr key: the one seen most there, ref first, ties
     * to the first name (which makes the order of looking irrelevant) */
    uint64_t *best = calloc(kt->n + 1, sizeof *best);
    if (!best)
        goto oom;
    for (size_t i = 0; i < kt->n; i++)
        if (kt->keys[i].has_lr) {
            best[i] = fo.n[i];
            kt->keys[i].op = fo.op[i];
        }
    for (size_t i = 0; i < op_counts.cap; i++) {
        if (op_counts.keys[i] == UINT64_MAX)
            continue;
        uint32_t idx = (uint32_t)(op_counts.keys[i] >> 32);
        uint32_t op = (uint32_t)op_counts.keys[i];
        uint64_t c = op_counts.vals[i];
        wdg_key *k = &kt->keys[idx];
        if (c > best[idx] || (c == best[idx] && strcmp(wdg_ops_name(ref->ops, op),
                                                       wdg_ops_name(ref->ops, k->op)) < 0)) {
            best[idx] = c;
            k->op = op;
        }
    }
    free(best);
    if ((rc = span_counts(kt, ref, cand, span, err)) < 0) {
        wdg_keytable_free(kt);
        goto done;
    }
    for (size_t i = 0; i < kt->n; i++)
        kt->keys[i].status = status_of(kt->keys[i].cat, kt->keys[i].ref, kt->keys[i].cand, ref,
                                       cand, tolerance);
    /* sort, remembering each key's old index to renumber per-event keys */
    remap = malloc((kt->n + 1) * sizeof *remap);
    sorted_key *tmp = malloc((kt->n + 1) * sizeof *tmp);
    if (!remap || !tmp) {
        free(tmp);
        goto oom;
    }
    for (size_t i = 0; i < kt->n; i++)
        tmp[i] = (sorted_key){kt->keys[i], (uint32_t)i, wdg_ops_name(ref->ops, kt->keys[i].op)};
    qsort(tmp, kt->n, sizeof *tmp, key_order);
    for (size_t i = 0; i < kt->n; i++) {
        kt->keys[i] = tmp[i].k;
        remap[tmp[i].old] = (uint32_t)i;
    }
    free(tmp);
    if (kt->span.has_heartbeat)
        kt->span.heartbeat = remap[kt->span.heartbeat];
    for (size_t i = 0; i < ref->n_events; i++)
        if (kt->ref_key[i] != WDG_NO_KEY)
            kt->ref_key[i] = remap[kt->ref_key[i]];
    for (size_t i = 0; i < cand->n_events; i++)
        if (kt->cand_key[i] != WDG_NO_KEY)
            kt->cand_key[i] = remap[kt->cand_key[i]];
    if ((rc = classes(kt, &w, ref, cand, err)) < 0)
        wdg_keytable_free(kt);
    else
        count_statuses(kt);
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_keytable_free(kt);
done:
    free(fo.op);
    free(fo.n);
    wrap_free(&w);
    free(remap);
    wdg_map_free(&ids);
    wdg_map_free(&op_counts);
    return rc;
}

int wdg_find_divergence(const wdg_keytable *kt, const wdg_trace *ref, wdg_divergence *div,
                        wdg_divergence *shortfall, wdg_divergence *key_div, wdg_error *err)
{
    memset(div, 0, sizeof *div);
    memset(shortfall, 0, sizeof *shortfall);
    memset(key_div, 0, sizeof *key_div);
    /* a MIXED key's events count in its class: ordinals there, against the
     * class's cand count and status */
    uint64_t *seen = calloc(kt->n + kt->n_classes + 1, sizeof *seen);
    if (!seen)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    uint64_t index = 0;
    (void)ref;
    /* the span is a prefix of the ordered events */
    for (size_t i = 0; wdg_in_common_span(kt, WDG_SIDE_REF, i) &&
                       !(div->found && shortfall->found && key_div->found);
         i++) {
        uint32_t k = kt->ref_key[i];
        if (k == WDG_NO_KEY)
            continue;
        uint64_t ordinal = ++seen[k], pos = ordinal, cand = kt->keys[k].cand;
        wdg_status st = wdg_key_verdict(kt, k);
        if (kt->keys[k].status == WDG_ST_MIXED) {
            pos = ++seen[kt->n + kt->keys[k].cls];
            cand = kt->classes[kt->keys[k].cls].cand;
        }
        wdg_divergence here = {1, index, i, ordinal, k};
        int diverging = st == WDG_ST_MISSING || st == WDG_ST_UNDER;
        /* no counterpart at this point of progress */
        int unmatched = st != WDG_ST_UNOBSERVABLE && pos > cand;
        if (!shortfall->found && unmatched)
            *shortfall = here;
        /* the headline: unmatched, of a key that diverges (a MATCH key one
         * event short at the span's edge is noise, not where engines part) */
        if (!div->found && unmatched && diverging)
            *div = here;
        if (!key_div->found && diverging)
            *key_div = here;
        index++;
    }
    free(seen);
    return 0;
}
