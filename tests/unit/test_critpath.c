/* The critical path's convergence on hand-built family graphs: components
 * (cycles condensed), starved families, the frontier and what it explains. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "wedge/critpath.h"

/* a graph of nf families and the edges "p c ref_event" (ref_event 0: healthy) */
static void graph(wdg_critpath *cp, size_t nf, const size_t (*e)[3], size_t ne)
{
    memset(cp, 0, sizeof *cp);
    cp->families = calloc(nf, sizeof *cp->families);
    cp->edges = calloc(ne, sizeof *cp->edges);
    cp->n_families = nf;
    cp->n_edges = ne;
    for (size_t f = 0; f < nf; f++)
        snprintf(cp->families[f].name, sizeof cp->families[f].name, "f%zu", f);
    for (size_t i = 0; i < ne; i++) {
        cp->edges[i].producer = e[i][0];
        cp->edges[i].consumer = e[i][1];
        cp->edges[i].ref_event = e[i][2];
        cp->edges[i].status = e[i][2] ? WDG_CP_SHORT : WDG_CP_HEALTHY;
    }
}

/* frontier edge k's explained edges, as "i,j," */
static const char *explains(const wdg_critpath *cp, size_t k, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = cp->explains_at[k]; i < cp->explains_at[k + 1]; i++)
        n += (size_t)snprintf(out + n, cap - n, "%zu,", cp->explains[i]);
    return out;
}

void test_critpath_converge(void)
{
    wdg_critpath cp;
    wdg_error err;
    char buf[64];
    /* X -> Y parts first; Y <-> Z is a cycle; Z -> W and V -> W healthy */
    static const size_t chain[][3] = {{0, 1, 10}, {1, 2, 20}, {2, 1, 30}, {2, 3, 0}, {4, 3, 0}};
    graph(&cp, 5, chain, 5);
    CHECK_INT(wdg_critpath_converge(&cp, &err), 0);
    CHECK_INT(cp.n_diverging, 3);
    CHECK_INT(cp.n_frontier, 1);
    CHECK_INT(cp.frontier[0], 0);
    CHECK_STR(explains(&cp, 0, buf, sizeof buf), "1,2,");
    CHECK_INT(cp.edges[1].explained_by, 0);
    CHECK_INT(cp.edges[2].explained_by, 0);
    CHECK_INT(cp.edges[3].explained_by, WDG_NO_INDEX);
    CHECK(cp.families[1].comp == cp.families[2].comp);   /* the cycle condensed */
    CHECK(cp.families[1].cycle && cp.families[2].cycle && !cp.families[0].cycle);
    CHECK(cp.families[0].comp > cp.families[1].comp);    /* edges lead lower */
    CHECK(cp.families[2].comp > cp.families[3].comp);
    CHECK(cp.families[1].starved && cp.families[2].starved && !cp.families[0].starved);
    CHECK(!cp.families[3].starved);
    wdg_critpath_free(&cp);

    /* two causes: Z -> W parts before the edge into Z does, so it is a
     * frontier edge of its own and X -> Y does not explain it */
    static const size_t two[][3] = {{0, 1, 1}, {1, 2, 5}, {2, 3, 3}};
    graph(&cp, 4, two, 3);
    CHECK_INT(wdg_critpath_converge(&cp, &err), 0);
    CHECK_INT(cp.n_frontier, 2);
    CHECK_INT(cp.frontier[0], 0);   /* in divergence order */
    CHECK_INT(cp.frontier[1], 2);
    CHECK_STR(explains(&cp, 0, buf, sizeof buf), "1,");
    CHECK_STR(explains(&cp, 1, buf, sizeof buf), "");
    CHECK_INT(cp.edges[2].explained_by, WDG_NO_INDEX);
    wdg_critpath_free(&cp);

    /* a cycle whose second edge parts first: that one is the frontier */
    static const size_t cyc[][3] = {{0, 1, 10}, {1, 0, 5}};
    graph(&cp, 2, cyc, 2);
    CHECK_INT(wdg_critpath_converge(&cp, &err), 0);
    CHECK_INT(cp.n_frontier, 1);
    CHECK_INT(cp.frontier[0], 1);
    CHECK_STR(explains(&cp, 0, buf, sizeof buf), "0,");
    CHECK(cp.families[0].cycle);
    wdg_critpath_free(&cp);

    /* nothing diverges: no frontier, nobody starved */
    static const size_t healthy[][3] = {{0, 1, 0}, {1, 2, 0}};
    graph(&cp, 3, healthy, 2);
    CHECK_INT(wdg_critpath_converge(&cp, &err), 0);
    CHECK_INT(cp.n_diverging, 0);
    CHECK_INT(cp.n_frontier, 0);
    CHECK(!cp.families[1].starved);
    wdg_critpath_free(&cp);

    /* a long chain (deeper than any recursion would like): one frontier edge
     * explains the rest */
    enum { N = 20000 };
    size_t (*longc)[3] = malloc(N * sizeof *longc);
    for (size_t i = 0; i < N; i++)
        longc[i][0] = i, longc[i][1] = i + 1, longc[i][2] = i + 1;
    graph(&cp, N + 1, (const size_t (*)[3])longc, N);
    CHECK_INT(wdg_critpath_converge(&cp, &err), 0);
    CHECK_INT(cp.n_frontier, 1);
    CHECK_INT(cp.explains_at[1] - cp.explains_at[0], N - 1);
    CHECK_INT(cp.edges[N - 1].explained_by, 0);
    wdg_critpath_free(&cp);
    free(longc);
}
