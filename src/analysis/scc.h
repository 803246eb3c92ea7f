/* scc.h - strongly connected components (internal to the analysis): the
 * diagnosis's wait-for graph and the critical path's family graph share it. */
#ifndef WEDGE_SCC_H
#define WEDGE_SCC_H

#include <stddef.h>

#define WDG_NO_COMP ((size_t)-1)

/* Tarjan's algorithm with explicit stacks (no recursion, whatever the
 * graph's depth) over a graph in compressed rows: node k's successors are
 * out[out_at[k] .. out_at[k + 1]).  Only nodes with is_node[k] (NULL: every
 * node) take part; a successor that is no node must not appear.  Fills
 * comp[k] (WDG_NO_COMP for a non-node), numbering components in the order
 * they complete, so every edge between two components leads to a lower
 * number; members[] lists the nodes component by component (component i
 * from comp_at[i] to comp_at[i + 1]).  comp, comp_at and members hold n + 1
 * entries each.  Returns 0, or -1 when out of memory. */
int wdg_scc(size_t n, const size_t *out_at, const size_t *out, const char *is_node,
            size_t *comp, size_t *comp_at, size_t *members, size_t *n_comps);

#endif
