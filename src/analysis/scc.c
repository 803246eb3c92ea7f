/* Tarjan's strongly connected components (scc.h). */
#include <stdlib.h>

#include "scc.h"

int wdg_scc(size_t n, const size_t *out_at, const size_t *out, const char *is_node,
            size_t *comp, size_t *comp_at, size_t *members, size_t *n_comps)
{
    size_t counter = 0, sp = 0, cp = 0, done = 0;
    size_t *index = malloc((n + 1) * sizeof *index), *low = malloc((n + 1) * sizeof *low);
    size_t *stack = malloc((n + 1) * sizeof *stack), *calls = malloc((n + 1) * sizeof *calls);
    size_t *next = malloc((n + 1) * sizeof *next);
    char *on = calloc(n + 1, 1);
    int rc = -1;
    if (!index || !low || !stack || !calls || !next || !on)
        goto out;
    for (size_t k = 0; k < n; k++) {
        index[k] = WDG_NO_COMP;
        comp[k] = WDG_NO_COMP;
    }
    *n_comps = 0;
    for (size_t s = 0; s < n; s++) {
        if (index[s] != WDG_NO_COMP || (is_node && !is_node[s]))
            continue;
        index[s] = low[s] = counter++;
        stack[sp++] = s, on[s] = 1;
        calls[cp++] = s, next[s] = out_at[s];
        while (cp) {
            size_t v = calls[cp - 1];
            if (next[v] < out_at[v + 1]) {
                size_t w = out[next[v]++];
                if (index[w] == WDG_NO_COMP) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w, on[w] = 1;
                    calls[cp++] = w, next[w] = out_at[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (cp && low[v] < low[calls[cp - 1]])
                low[calls[cp - 1]] = low[v];
            if (low[v] != index[v])
                continue;
            /* v roots a component: everything above it on the stack */
            comp_at[*n_comps] = done;
            size_t w;
            do {
                w = stack[--sp];
                on[w] = 0;
                comp[w] = *n_comps;
                members[done++] = w;
            } while (w != v);
            (*n_comps)++;
        }
    }
    comp_at[*n_comps] = done;
    rc = 0;
out:
    free(index);
    free(low);
    free(stack);
    free(calls);
    free(next);
    free(on);
    return rc;
}
