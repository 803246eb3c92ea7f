/* trace_build.h - how readers fill a wdg_trace (internal). */
#ifndef WEDGE_TRACE_BUILD_H
#define WEDGE_TRACE_BUILD_H

#include "wedge/trace.h"

struct wdg_rec;

int wdg_trace_new(wdg_trace **out, const char *path, wdg_ops *ops, wdg_error *err);
void wdg_trace_set_header(wdg_trace *t, int has_observes, unsigned observes,
                          const char *engine, const char *title_id, const char *module_hash);
/* Appends rec as an event with op id op (WDG_OP_NONE for a probe event). */
int wdg_trace_append(wdg_trace *t, const struct wdg_rec *rec, uint32_t op, uint64_t line,
                     wdg_error *err);
/* Merges rec into event i, the same call logged by a partner line: the
 * event keeps the fields it has and takes those it lacks from rec; it
 * takes op unless op is WDG_OP_NONE, and rec's tid when take_tid (the
 * partner is the authority for them).  0, or WDG_ENOMEM (err set). */
int wdg_trace_merge(wdg_trace *t, size_t i, const struct wdg_rec *rec, uint32_t op,
                    int take_tid, uint64_t line, wdg_error *err);
/* Counts a malformed line; under strict returns WDG_EMALFORMED naming it. */
int wdg_trace_add_malformed(wdg_trace *t, uint64_t line, int reason, const char *msg,
                            int strict, wdg_error *err);

#endif
