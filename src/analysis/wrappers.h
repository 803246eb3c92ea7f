/* wrappers.h - wrappers, lifted sites and match classes (internal to the
 * key table; docs/analysis.md "Wrappers and match classes"). */
#ifndef WEDGE_WRAPPERS_H
#define WEDGE_WRAPPERS_H

#include "wedge/analysis.h"

/* The wrappers of one comparison: functions given with --wrapper (their
 * starts, per the symbols), single sites (an address --wrapper gave that
 * no symbol contains, and the sites detected from frames) and spread
 * sites (detected without frames: >= 2 threads on >= 2 objects; they only
 * form match classes).  Owns its arrays; borrows the symbols. */
typedef struct wrap_set {
    wdg_addr *funcs, *sites, *spread;   /* sorted, unique */
    size_t n_funcs, n_sites, n_spread;
    const wdg_symbols *symbols;
    wdg_key_by by;
} wrap_set;

/* Resolves ko's --wrapper values and detects wrapper sites in tr[0..1]:
 * a producer site whose events carry frames naming >= 2 distinct first
 * frames, or (spread) whose events carry no frames and name >= 2 distinct
 * threads and >= 2 distinct objects in one trace.  WDG_EUSAGE for a value that is no address and no symbol. */
int wrap_init(wrap_set *w, const wdg_key_opts *ko, const wdg_trace *const tr[2],
              wdg_error *err);
void wrap_free(wrap_set *w);

/* The address an lr-carrying event is keyed at (--key-by); *lifted tells
 * whether it is not its own lr. */
wdg_addr wrap_key_addr(const wrap_set *w, const wdg_trace *t, const wdg_event *e, int *lifted);

/* Forms the match classes of a sorted key table (keys, per-event keys and
 * statuses set); the classes' statuses are left to the caller.  Fails
 * only with WDG_ENOMEM. */
int wrap_classes(wdg_keytable *kt, const wrap_set *w, const wdg_trace *const tr[2],
                 wdg_error *err);

#endif
