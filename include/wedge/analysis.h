/* wedge/analysis.h - the producer key table and the first divergence
 * (docs/analysis.md).
 *
 * A wdg_keytable owns its arrays; it reads the two traces it was built
 * from (which must outlive it) but keeps no pointer to them.
 */
#ifndef WEDGE_ANALYSIS_H
#define WEDGE_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/error.h"
#include "wedge/symbols.h"
#include "wedge/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wdg_status {
    WDG_ST_MATCH,
    WDG_ST_UNDER,
    WDG_ST_OVER,
    WDG_ST_MISSING,
    WDG_ST_EXTRA,
    WDG_ST_UNOBSERVABLE,
    WDG_ST_MIXED            /* a member of a match class: the class has the status */
} wdg_status;

WDG_API const char *wdg_status_name(wdg_status st);

#define WDG_ST_COUNT (WDG_ST_MIXED + 1)   /* how many statuses */

#define WDG_NO_KEY UINT32_MAX

typedef struct wdg_key {
    uint8_t cat;            /* wdg_category */
    uint8_t has_lr;         /* keyed by (cat, lr); else by (cat, op) */
    wdg_addr lr;
    uint32_t op;            /* the key's op; for lr keys the op most seen there */
    uint64_t ref, cand;     /* counts over the common span */
    uint64_t ref_total, cand_total;
    wdg_status status;
    uint32_t cls;           /* its match class (index), or WDG_NO_KEY */
} wdg_key;

/* What a producer is keyed by (--key-by; docs/analysis.md "Wrappers and match
 * classes").  site: its lr, lifted out of wrappers through its frames;
 * function: the function containing that site (per the symbols); caller:
 * its first frame when it has frames, else its lr. */
typedef enum wdg_key_by {
    WDG_KEY_BY_SITE,
    WDG_KEY_BY_FUNCTION,
    WDG_KEY_BY_CALLER
} wdg_key_by;

WDG_API const char *wdg_key_by_name(wdg_key_by by);
/* "site", "function" or "caller": 0, else -1 */
WDG_API int wdg_key_by_parse(const char *s, wdg_key_by *out);

/* How keys are formed.  Borrowed: wrappers (the --wrapper values: a symbol
 * name, or an address) and symbols (may be NULL) must outlive the build. */
typedef struct wdg_key_opts {
    wdg_key_by by;
    const char *const *wrappers;
    size_t n_wrappers;
    const wdg_symbols *symbols;
} wdg_key_opts;

#define WDG_KEY_OPTS_INIT {WDG_KEY_BY_SITE, NULL, 0, NULL}

/* A match class: keys of the two sides that stand for the same producers
 * (a wrapper's site recorded by one engine, its callers by the other).
 * Its counts are its members' summed; its status comes from them by the
 * usual rule; every member key has status WDG_ST_MIXED. */
typedef struct wdg_match_class {
    uint32_t *keys;         /* member key indexes, ascending (into the
                             * keytable's class_keys array) */
    size_t n_keys;
    wdg_addr via;           /* the wrapper site that formed it (the first) */
    int via_side;           /* the side that recorded it */
    uint8_t cat;
    uint64_t ref, cand;     /* summed over the common span */
    uint64_t ref_total, cand_total;
    wdg_status status;
} wdg_match_class;

/* How the common span is chosen (--span; docs/analysis.md "Common span"). */
typedef enum wdg_span_method {
    WDG_SPAN_PROGRESS,      /* by a heartbeat key's beats (the default) */
    WDG_SPAN_TIME,          /* the shorter trace's length in relative time */
    WDG_SPAN_WHOLE          /* every event */
} wdg_span_method;

WDG_API const char *wdg_span_method_name(wdg_span_method m);
/* "progress", "time" or "whole": 0, else -1 */
WDG_API int wdg_span_method_parse(const char *s, wdg_span_method *out);

/* The two sides of a comparison, as an index into per-side arrays. */
enum { WDG_SIDE_REF = 0, WDG_SIDE_CAND = 1 };

/* The common span.  A position is an event's t in a trace whose events all
 * carry t, else its index in the ordered events; an event is in the span
 * when its position <= its side's end.  Positions grow along the ordered
 * events, so each side's span is a prefix of them: count[side] events. */
typedef struct wdg_span {
    wdg_span_method method;     /* as applied */
    wdg_span_method requested;  /* as asked for */
    int64_t end[2];             /* per side: the last position in the span */
    size_t count[2];            /* per side: events in the span */
    int has_heartbeat;
    uint32_t heartbeat;         /* index into wdg_keytable.keys */
    uint64_t beats[2];          /* the heartbeat's events, whole trace */
    const char *reason;         /* static sentence: why method != requested;
                                 * NULL otherwise */
} wdg_span;

/* Finds the common span of tr[0] (ref) and tr[1] (cand).  key[side][i]
 * is the key index of event i (WDG_NO_KEY for other events), key_id[k] the
 * wdg_event_key id of key k, n_keys their number.  Fails only with
 * WDG_ENOMEM. */
WDG_API int wdg_span_find(wdg_span *sp, const wdg_trace *const tr[2], const uint32_t *const key[2],
                          const uint64_t *key_id, size_t n_keys, wdg_span_method requested,
                          wdg_error *err);

typedef struct wdg_keytable {
    wdg_key *keys;          /* sorted as docs/analysis.md "Key table" says */
    size_t n;
    int by_lr;              /* lr-keyed (else every key is (cat, op)) */
    const wdg_ops *ops;     /* the traces' op table, borrowed: events' categories */
    wdg_span span;          /* the common span the counts are over */
    double tolerance;
    uint32_t *ref_key;      /* per ref event: key index, or WDG_NO_KEY */
    uint32_t *cand_key;     /* per cand event */
    wdg_key_by key_by;      /* as applied */
    uint64_t lifted[2];     /* per side: producers keyed off their lr */
    wdg_match_class *classes;
    size_t n_classes;
    uint32_t *class_keys;   /* the classes' member lists */
    uint64_t by_status[WDG_ST_COUNT];   /* how many keys have each status
                                         * (a class's members count as MIXED) */
} wdg_keytable;

/* Builds the key table over the common span chosen as span says (--span,
 * default progress); tolerance is --tolerance (default 0.25). */
WDG_API int wdg_keytable_build(wdg_keytable *kt, const wdg_trace *ref, const wdg_trace *cand,
                               double tolerance, wdg_span_method span, wdg_error *err);
/* The same, keyed as ko says (NULL: by site, no --wrapper).  WDG_EUSAGE
 * for a --wrapper that is neither an address nor a symbol's name. */
WDG_API int wdg_keytable_build_keyed(wdg_keytable *kt, const wdg_trace *ref, const wdg_trace *cand,
                                     double tolerance, wdg_span_method span, const wdg_key_opts *ko,
                                     wdg_error *err);
WDG_API void wdg_keytable_free(wdg_keytable *kt);

/* The status that counts for key i: its class's for a MIXED key. */
static inline wdg_status wdg_key_verdict(const wdg_keytable *kt, size_t i)
{
    const wdg_key *k = &kt->keys[i];
    return k->status == WDG_ST_MIXED ? kt->classes[k->cls].status : k->status;
}

/* A key as one 64-bit id: (category, lr) when keyed by lr and lr is known,
 * else (category, op).  The id space is shared by every analysis stage. */
static inline uint64_t wdg_event_key(const wdg_ops *ops, const wdg_event *e, int by_lr)
{
    if (by_lr && (e->flags & WDG_EV_LR))
        return (uint64_t)wdg_ev_cat(ops, e) << 33 | wdg_addr_key33(wdg_ev_lr(e));
    return (uint64_t)1 << 40 | (uint64_t)wdg_ev_cat(ops, e) << 32 | e->op;
}

/* Is event index (of the ordered events) of side WDG_SIDE_REF or
 * WDG_SIDE_CAND within the common span? */
static inline int wdg_in_common_span(const wdg_keytable *kt, int side, size_t index)
{
    return index < kt->span.count[side];
}

typedef struct wdg_divergence {
    int found;
    uint64_t ref_index;     /* index among ref producers */
    size_t event;           /* index into ref->events */
    uint64_t ordinal;       /* the n-th ref event of its key (1-based) */
    uint32_t key;           /* index into kt->keys */
} wdg_divergence;

/* Scans ref producers of the common span.  first_shortfall is the first
 * with no counterpart: its ordinal exceeds its key's cand count over the
 * span (keys not UNOBSERVABLE); first_divergence, the headline, the first
 * such one whose key is MISSING or UNDER; first_key_divergence the first
 * whose key is MISSING or UNDER, matched or not. */
WDG_API int wdg_find_divergence(const wdg_keytable *kt, const wdg_trace *ref,
                                wdg_divergence *first_divergence, wdg_divergence *first_shortfall,
                                wdg_divergence *first_key_divergence, wdg_error *err);

/* The producer alignment (aligned-sequence.csv): the n-th ref event of a
 * key pairs with the n-th cand event of that key.  Rows come in ref's
 * producer order; a cand event no ref event pairs with comes just before
 * the row of the first ref event whose partner lies after it in cand's
 * order, and those left after the last ref event come at the end in cand's
 * order.  A streaming iterator: it holds a few indexes per producer, never
 * the rows.
 *
 * Ownership: wdg_align_new() borrows kt, ref and cand (they must outlive
 * the iterator) and fills *out with an iterator the caller frees with
 * wdg_align_free() (NULL is fine).  Fails only with WDG_ENOMEM. */
#ifndef WDG_NO_EVENT
#define WDG_NO_EVENT SIZE_MAX
#endif

typedef struct wdg_aligned_row {
    uint32_t key;            /* index into kt->keys */
    uint64_t ordinal;        /* the n-th event of its key on each side (1-based) */
    size_t ref_event;        /* index into ref->events, or WDG_NO_EVENT */
    size_t cand_event;       /* index into cand->events, or WDG_NO_EVENT */
    uint64_t ref_index;      /* ref_event's place among ref's producers (0-based) */
    uint64_t cand_index;     /* cand_event's among cand's */
} wdg_aligned_row;

typedef struct wdg_align wdg_align;

WDG_API int wdg_align_new(wdg_align **out, const wdg_keytable *kt, const wdg_trace *ref,
                          const wdg_trace *cand, wdg_error *err);
/* The next row into *row: 1, or 0 when there are no more. */
WDG_API int wdg_align_next(wdg_align *a, wdg_aligned_row *row);
WDG_API void wdg_align_free(wdg_align *a);

#ifdef __cplusplus
}
#endif

#endif
