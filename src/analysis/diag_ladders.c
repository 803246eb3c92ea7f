/* The ladders (docs/analysis.md "Ladders"): from each wedged thread a root
 * blocks, the rungs it waits along, down to the thread that holds the root.
 * Computed with the diagnosis so that report.md only prints them. */
#include <stdlib.h>

#include "diag_internal.h"

static int linked(const wdg_diagnosis *d, uint32_t tid, size_t root)
{
    for (size_t i = 0; i < d->n_links; i++)
        if (d->links[i].tid == tid && d->links[i].root == root)
            return 1;
    return 0;
}

static int blocks(const wdg_root *x, uint32_t tid)
{
    for (size_t i = 0; i < x->n_blocks; i++)
        if (x->blocks[i] == tid)
            return 1;
    return 0;
}

/* Walks one ladder from tid for root ri: its tids into out (when not NULL);
 * returns how many.  The first rung to a thread the root also blocks is
 * taken; the walk stops at a thread linked to the root, where no such rung
 * leaves, or after as many hops as there are threads (a cycle). */
static size_t walk(const wdg_diagnosis *d, uint32_t tid, size_t ri, uint32_t *out)
{
    const wdg_root *x = &d->roots[ri];
    size_t n = 0;
    for (size_t hops = 0; hops <= d->n_cand_threads; hops++) {
        if (out)
            out[n] = tid;
        n++;
        if (linked(d, tid, ri))
            break;
        size_t e = 0;
        while (e < d->n_edges &&
               !(d->edges[e].from == tid && d->edges[e].to != tid && blocks(x, d->edges[e].to)))
            e++;
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
    /* sizes first, so that the tids are one array */
    size_t n = 0, n_tids = 0;
    for (size_t i = 0; i < d->n_roots; i++)
        for (size_t k = 0; k < ladders_of(&d->roots[i]); k++, n++)
            n_tids += walk(d, d->roots[i].blocks[k], i, NULL);
    d->ladders = calloc(n + 1, sizeof *d->ladders);
    d->ladder_tids = calloc(n_tids + 1, sizeof *d->ladder_tids);
    if (!d->ladders || !d->ladder_tids)
        return -1;
    for (size_t i = 0; i < d->n_roots; i++) {
        wdg_root *x = &d->roots[i];
        x->ladder = d->n_ladders;
        x->n_ladders = ladders_of(x);
        for (size_t k = 0; k < x->n_ladders; k++) {
            wdg_ladder *l = &d->ladders[d->n_ladders++];
            l->root = i;
            l->first = d->n_ladder_tids;
            l->n_tids = walk(d, x->blocks[k], i, d->ladder_tids + l->first);
            d->n_ladder_tids += l->n_tids;
        }
    }
    return 0;
}
