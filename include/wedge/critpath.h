/* wedge/critpath.h - the critical path (docs/analysis.md "Critical path"):
 * thread families, the reference's family dependency graph, each edge's
 * first divergence in the candidate, and the frontier the divergences
 * converge on.
 *
 * Ownership: a wdg_critpath owns its arrays; it keeps no pointer to the
 * traces, key table or diagnosis it was built from (key indexes refer to
 * that key table).  Free it with wdg_critpath_free() (a zeroed one too).
 */
#ifndef WEDGE_CRITPATH_H
#define WEDGE_CRITPATH_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/analysis.h"
#include "wedge/diagnosis.h"
#include "wedge/error.h"
#include "wedge/sites.h"
#include "wedge/symbols.h"
#include "wedge/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A family: the threads started in one function (main alone), both engines. */
typedef struct wdg_cp_family {
    char name[96];             /* the function of the entry PC, "main", the
                                * function of the producer sites of a thread
                                * no creation or pair names, else "tid N" /
                                * "cand tid N" */
    size_t ref_threads, cand_threads;
    size_t comp;               /* its component of the family graph: components
                                * are numbered sinks first, so an edge between
                                * two components leads to a lower number */
    int cycle;                 /* its component holds two or more families */
    int starved;               /* a diverging edge leads into it */
} wdg_cp_family;

typedef enum {
    WDG_CP_HEALTHY,            /* the candidate keeps up over the common span */
    WDG_CP_SHORT,              /* it falls short and never fires the missing signal */
    WDG_CP_LATE,               /* it fires it, but past its common span */
    WDG_CP_UNOBSERVABLE        /* the candidate cannot show the key */
} wdg_cp_status;

/* "healthy", "short", "late", "unobservable" */
WDG_API const char *wdg_cp_status_name(int status);

/* An edge: producer family -> consumer family, for one producer key on the
 * objects the producer signals and the consumer waits on (reference ids). */
typedef struct wdg_cp_edge {
    size_t producer, consumer; /* family indexes */
    uint32_t key;              /* index into the key table */
    wdg_addr obj;              /* the first (lowest) reference object */
    size_t n_objs;
    uint64_t ref_signals;      /* the producer's events of key on the objects,
                                * reference common span */
    uint64_t ref_waits;        /* the consumer's waits on them (the
                                * candidate's, whole trace, when inferred) */
    uint64_t cand_signals;     /* the producer family's events of key,
                                * candidate common span */
    int inferred;              /* the consumer comes from the candidate's waits */
    int status;                /* wdg_cp_status */
    /* the first divergence, when status is SHORT or LATE: the ordinal-th
     * reference signal of the edge has no counterpart in the candidate's
     * span; times in each trace's own units since its first event (ns, or
     * lines for a trace without t) */
    uint64_t ordinal;
    size_t ref_event;          /* index into the reference events */
    int64_t ref_t;
    uint32_t ref_tid;
    int has_cand;              /* LATE: the candidate's ordinal-th signal */
    size_t cand_event;
    int64_t cand_t;
    uint32_t cand_tid;
    int frontier;              /* diverges and its producer is not starved
                                * by an earlier diverging edge */
    size_t explained_by;       /* the first frontier edge explaining it
                                * (an edge index), or WDG_NO_INDEX */
} wdg_cp_edge;

typedef struct wdg_critpath {
    wdg_cp_family *families;   /* upstream first: components descending,
                                * then by name */
    size_t n_families;
    wdg_cp_edge *edges;        /* diverging first, in the reference order of
                                * their first divergence, then the others by
                                * producer, consumer, key */
    size_t n_edges;
    size_t n_diverging;
    size_t *frontier;          /* edge indexes, in divergence order */
    size_t n_frontier;
    size_t *explains;          /* frontier[i]'s explained edges:
                                * explains[explains_at[i] .. explains_at[i + 1]) */
    size_t *explains_at;
    size_t n_comps;
    int inferred;              /* the reference shows no waits: every edge's
                                * consumer comes from the candidate */
    int ref_timed, cand_timed; /* units of the times: ns, else lines */
} wdg_critpath;

/* Builds the critical path from the two traces, their key table and the
 * diagnosis built on them (its threads, thread map and object map);
 * symbols (may be NULL) name the family of a thread nothing else names.
 * Fails only with WDG_ENOMEM. */
WDG_API int wdg_critpath_build(wdg_critpath *cp, const wdg_trace *ref, const wdg_trace *cand,
                               const wdg_keytable *kt, const wdg_diagnosis *d,
                               const wdg_symbols *symbols, wdg_error *err);

/* Convergence on a graph whose families and edges (producer, consumer,
 * status, ref_event) are set: components, starved families, the frontier
 * and what each frontier edge explains (the diverging edges reached from
 * its consumer along diverging edges that part later).  Edges keep their
 * order.  wdg_critpath_build() calls it; tests call it on hand-built
 * graphs.  Fails only with WDG_ENOMEM. */
WDG_API int wdg_critpath_converge(wdg_critpath *cp, wdg_error *err);

WDG_API void wdg_critpath_free(wdg_critpath *cp);

#ifdef __cplusplus
}
#endif

#endif
