/* simsets.h - finding similar sets without comparing every pair (internal
 * to the analysis): the thread map's key signatures and the object map's
 * producer and waiter sets.
 *
 * An index over some sets (idsets, sorted and unique) groups identical
 * sets and lists each group under the first floor(n/2) + 1 elements of its
 * set (its prefix).  Two sets whose Jaccard index is at least 0.5 share at
 * least ceil(n/2) elements of each, so their prefixes meet (the smallest
 * shared element lies in both): a query looks at the groups under its own
 * prefix only and computes the exact index (idset_jaccard) for those, so
 * it finds every set at 0.5 or more, with the same value a comparison of
 * every pair would give.  Empty sets are never indexed (their index with
 * anything is 0). */
#ifndef WEDGE_SIMSETS_H
#define WEDGE_SIMSETS_H

#include <stddef.h>

#include "diag_internal.h"

typedef struct simindex {
    size_t n_groups;
    const idset **set;         /* per group: its set (borrowed) */
    size_t *at;                /* group g's members: member[at[g] .. at[g + 1]) */
    size_t *member;            /* the callers' indexes, ascending within a group */
    wdg_map by_hash;           /* hash of a set -> its first group; chain in next[] */
    size_t *next;
    wdg_map post;              /* prefix element -> first posting; chain in post_next[] */
    size_t *post_group, *post_next;
    size_t n_post;
    size_t *stamp;             /* per group: the query that saw it last, plus one */
    size_t queries;
} simindex;

/* Indexes sets[i] for every i < n with sets[i] non-NULL and non-empty (the
 * sets are borrowed and must outlive the index).  0, or -1 when out of
 * memory (x is then freed). */
int simindex_build(simindex *x, const idset *const *sets, size_t n);
/* the group whose set equals q, or -1 */
long simindex_same(const simindex *x, const idset *q);
/* Every group whose set's Jaccard index with q is at least 0.5, into
 * *out (grown with wdg_grow; *n_out entries, *cap room) as group numbers,
 * and their index in *j (same length, grown alike).  0, or -1 when out of
 * memory. */
int simindex_query(simindex *x, const idset *q, size_t **out, double **j, size_t *n_out,
                   size_t *cap, size_t *cap_j);
void simindex_free(simindex *x);

#endif
