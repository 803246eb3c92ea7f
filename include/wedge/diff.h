/* wedge/diff.h - Myers' O(ND) difference algorithm on token sequences.
 *
 * Linear space (the middle-snake bisection), common prefix and suffix
 * stripped first, and a cost bound as git's xdiff has: when a subproblem
 * would take more than the remaining budget of steps, it is given up as
 * "delete all of a, insert all of b" and the result is marked bounded
 * (still a valid edit script, no longer a minimal one).
 */
#ifndef WEDGE_DIFF_H
#define WEDGE_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { WDG_DIFF_EQUAL = '=', WDG_DIFF_DELETE = '-', WDG_DIFF_INSERT = '+' } wdg_diff_kind;

/* One run of the edit script: len tokens equal at a[a_pos..] and
 * b[b_pos..], deleted from a at a_pos, or inserted from b at b_pos. */
typedef struct wdg_diff_run {
    int kind;           /* wdg_diff_kind */
    size_t a_pos, b_pos, len;
} wdg_diff_run;

typedef struct wdg_diff {
    wdg_diff_run *runs; /* in order; owned, free with wdg_diff_free */
    size_t n_runs;
    size_t inserted, deleted;
    int bounded;        /* the cost bound was hit: not minimal */
    uint64_t cost;      /* steps spent */
} wdg_diff;

#define WDG_DIFF_DEFAULT_COST 200000000ull

/* Diffs a[0..n) against b[0..m).  max_cost 0 takes the default. */
WDG_API int wdg_diff_tokens(wdg_diff *out, const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                            uint64_t max_cost, wdg_error *err);
/* The same on the streams folded into runs of equal tokens: each maximal
 * run is one token of the diff (so the cost bound applies to the folded
 * streams), and two matched runs of one token of different lengths match
 * their common part, the rest of the longer deleted (or inserted) at its
 * end.  The runs of the script are in unfolded positions; a deletion comes
 * before the insertion beside it. */
WDG_API int wdg_diff_folded(wdg_diff *out, const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                            uint64_t max_cost, wdg_error *err);
WDG_API void wdg_diff_free(wdg_diff *d);

#ifdef __cplusplus
}
#endif

#endif
