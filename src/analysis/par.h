/* par.h - two independent jobs on two threads (internal).
 *
 * A report's analysis has work that is the same for each trace and
 * shares nothing (thread tables, signatures, object tables), and stages
 * that only read what came before (boot delta, critical path).  par_run2()
 * runs job b on a thread of its own while the caller runs job a, and joins
 * it before returning, so the results are those of running a then b.
 * threads == 1 (WEDGE_THREADS=1: the alloc-failure tests, whose counter is
 * not thread-safe) or a thread that cannot start runs both inline.  Each
 * job reports its own error: a job's result is a value, never shared. */
#ifndef WEDGE_ANALYSIS_PAR_H
#define WEDGE_ANALYSIS_PAR_H

typedef int (*par_job)(void *arg);

/* Runs a(arg_a) and b(arg_b); *rc_a and *rc_b get their results.  With
 * threads == 1, b does not run when a failed (*rc_b is then 0), as in one
 * thread's order: the caller frees what each job built either way. */
void par_run2(int threads, par_job a, void *arg_a, int *rc_a, par_job b, void *arg_b,
              int *rc_b);

/* wdg_critpath_build() with its record passes on two threads unless
 * threads == 1 (a report's critical path; the public call keeps to the
 * calling thread). */
struct wdg_critpath;
struct wdg_trace;
struct wdg_keytable;
struct wdg_diagnosis;
struct wdg_symbols;
struct wdg_error;
int critpath_build_par(struct wdg_critpath *cp, const struct wdg_trace *ref,
                       const struct wdg_trace *cand, const struct wdg_keytable *kt,
                       const struct wdg_diagnosis *d, const struct wdg_symbols *symbols,
                       int threads, struct wdg_error *err);

#endif
