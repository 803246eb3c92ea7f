/* The ladders (docs/analysis.md "Ladders"): from each wedged thread a root
 * blocks, the rungs it waits along, down to the thread that holds the root.
 * Computed with the diagnosis so that report.md only prints them. */
#include <stdlib.h>

#include "diag_internal.h"

/* What a walk asks at every hop, indexed once: the root links as (root,
 * tid) keys, and the edges by their from tid, in edge order. */
typedef struct ladder_index {
    wdg_map links;             /* root << 32 | tid -> 1 */
    wdg_map first_from;        /* from tid -> its first entry in by_from */
    size_t *by_from;           /* edge indexes grouped by from tid, in edge order */
    size_t *next;              /* per entry of by_from: the next of the same tid, or n_edges */
} ladder_index;

static void index_free(ladder_index *ix)
{
    wdg_map_free(&ix->links);
    wdg_map_free(&ix->first_from);
    free(ix->by_from);
    free(ix->next);
}

static int index_build(const wdg_diagnosis *d, ladder_index *ix)
{
    wdg_map last = WDG_MAP_INIT;   /* from tid -> its last entry so far */
    ix->links = ix->first_from = (wdg_map)WDG_MAP_INIT;
    ix->by_from = malloc((d->n_edges + 1) * sizeof *ix->by_from);
    ix->next = malloc((d->n_edges + 1) * sizeof *ix->next);
    if (!ix->by_from || !ix->next)
        goto oom;
    for (size_t i = 0; i < d->n_links; i++)
        if (!wdg_map_put(&ix->links, (uint64_t)d->links[i].root << 32 | d->links[i].tid, 1, NULL))
            goto oom;
    for (size_t e = 0; e < d->n_edges; e++) {
        int added;
        ix->by_from[e] = e;
        ix->next[e] = d->n_edges;
        uint64_t *at = wdg_map_put(&last, d->edges[e].from, e, &added);
        if (!at || !wdg_map_put(&ix->first_from, d->edges[e].from, e, NULL))
            goto oom;
        if (!added) {
            ix->next[*at] = e;
            *at = e;
        }
    }
    wdg_map_free(&last);
    return 0;
oom:
    wdg_map_free(&last);
    index_free(ix);
    return -1;
}

/* Is tid among the root's blocks (sorted by tid)? */
static int blocks(const wdg_root *x, uint32_t tid)
{
    size_t lo = 0, hi = x->n_blocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->blocks[mid] < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n_blocks && x->blocks[lo] == tid;
}

/* Walks one ladder from tid for root ri: its tids into out (when not NULL);
 * returns how many.  The first rung to a thread the root also blocks is
 * taken; the walk stops at a thread linked to the root, where no such rung
 * leaves, or after as many hops as there are threads (a cycle). */
static size_t walk(const wdg_diagnosis *d, const ladder_index *ix, uint32_t tid, size_t ri,
                   uint32_t *out)
{
    const wdg_root *x = &d->roots[ri];
    size_t n = 0;
    for (size_t hops = 0; hops <= d->n_cand_threads; hops++) {
        if (out)
            out[n] = tid;
        n++;
        if (wdg_map_get(&ix->links, (uint64_t)ri << 32 | tid))
            break;
        const uint64_t *first = wdg_map_get(&ix->first_from, tid);
        size_t e = first ? (size_t)*first : d->n_edges;
        while (e < d->n_edges && !(d->edges[e].to != tid && blocks(x, d->edges[e].to)))
            e = ix->next[e];
        if (e == d->n_edges)
            break;
        tid = d->edges[e].to;
    }
    return n;
}

static size_t ladders_of(const wdg_root *x)
{
    return x->n_blocks < WDG_MAX_LADDERS ? x->n_blocks : WDG_MAX_LADDERS;
}

int diag_ladders(wdg_diagnosis *d)
{
    ladder_index ix;
    if (index_build(d, &ix) < 0)
        return -1;
    /* sizes first, so that the tids are one array */
    size_t n = 0, n_tids = 0;
    for (size_t i = 0; i < d->n_roots; i++)
        for (size_t k = 0; k < ladders_of(&d->roots[i]); k++, n++)
            n_tids += walk(d, &ix, d->roots[i].blocks[k], i, NULL);
    d->ladders = calloc(n + 1, sizeof *d->ladders);
    d->ladder_tids = calloc(n_tids + 1, sizeof *d->ladder_tids);
    if (!d->ladders || !d->ladder_tids) {
        index_free(&ix);
        return -1;
    }
    for (size_t i = 0; i < d->n_roots; i++) {
        wdg_root *x = &d->roots[i];
        x->ladder = d->n_ladders;
        x->n_ladders = ladders_of(x);
        for (size_t k = 0; k < x->n_ladders; k++) {
            wdg_ladder *l = &d->ladders[d->n_ladders++];
            l->root = i;
            l->first = d->n_ladder_tids;
            l->n_tids = walk(d, &ix, x->blocks[k], i, d->ladder_tids + l->first);
            d->n_ladder_tids += l->n_tids;
        }
    }
    index_free(&ix);
    return 0;
}
