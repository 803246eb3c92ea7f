/* wedge/analysis.h - the producer key table and the first divergence
 * (ANALYSIS.md sections 3 and 4).
 *
 * A wdg_keytable owns its arrays; it reads the two traces it was built
 * from (which must outlive it) but keeps no pointer to them.
 */
#ifndef WEDGE_ANALYSIS_H
#define WEDGE_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/error.h"
#include "wedge/trace.h"

typedef enum wdg_status {
    WDG_ST_MATCH,
    WDG_ST_UNDER,
    WDG_ST_OVER,
    WDG_ST_MISSING,
    WDG_ST_EXTRA,
    WDG_ST_UNOBSERVABLE
} wdg_status;

const char *wdg_status_name(wdg_status st);

#define WDG_NO_KEY UINT32_MAX

typedef struct wdg_key {
    uint8_t cat;            /* wdg_category */
    uint8_t has_lr;         /* keyed by (cat, lr); else by (cat, op) */
    uint32_t lr;
    uint32_t op;            /* the key's op; for lr keys the op most seen there */
    uint64_t ref, cand;     /* counts over the common span */
    uint64_t ref_total, cand_total;
    wdg_status status;
} wdg_key;

typedef struct wdg_keytable {
    wdg_key *keys;          /* sorted as ANALYSIS.md section 3 says */
    size_t n;
    int by_lr;              /* lr-keyed (else every key is (cat, op)) */
    int has_cutoff;         /* both traces carry t: common span ends at cutoff */
    int64_t cutoff;
    double tolerance;
    uint32_t *ref_key;      /* per ref event: key index, or WDG_NO_KEY */
    uint32_t *cand_key;     /* per cand event */
} wdg_keytable;

/* Builds the key table; tolerance is --tolerance (default 0.25). */
int wdg_keytable_build(wdg_keytable *kt, const wdg_trace *ref, const wdg_trace *cand,
                       double tolerance, wdg_error *err);
void wdg_keytable_free(wdg_keytable *kt);

/* A key as one 64-bit id: (category, lr) when keyed by lr and lr is known,
 * else (category, op).  The id space is shared by every analysis stage. */
static inline uint64_t wdg_event_key(const wdg_event *e, int by_lr)
{
    if (by_lr && (e->flags & WDG_EV_LR))
        return (uint64_t)e->cat << 32 | e->lr;
    return (uint64_t)1 << 40 | (uint64_t)e->cat << 32 | e->op;
}

/* Is event i of trace within the common span? */
static inline int wdg_in_common_span(const wdg_keytable *kt, const wdg_event *e)
{
    return !kt->has_cutoff || e->t <= kt->cutoff;
}

typedef struct wdg_divergence {
    int found;
    uint64_t ref_index;     /* index among ref producers */
    size_t event;           /* index into ref->events */
    uint64_t ordinal;       /* the n-th ref event of its key (1-based) */
    uint32_t key;           /* index into kt->keys */
} wdg_divergence;

/* Scans ref producers of the common span (section 4). */
int wdg_find_divergence(const wdg_keytable *kt, const wdg_trace *ref,
                        wdg_divergence *first_divergence, wdg_divergence *first_shortfall,
                        wdg_error *err);

#endif
