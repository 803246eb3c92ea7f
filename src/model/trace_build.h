/* trace_build.h - how readers fill a wdg_trace (internal, model layer).
 * Turning a reader's record into events is src/formats/append.c. */
#ifndef WEDGE_TRACE_BUILD_H
#define WEDGE_TRACE_BUILD_H

#include "wedge/trace.h"

int wdg_trace_new(wdg_trace **out, const char *path, wdg_ops *ops, wdg_error *err);
void wdg_trace_set_header(wdg_trace *t, int has_observes, unsigned observes,
                          const char *engine, const char *title_id, const char *module_hash);
/* Counts a malformed line; under strict returns WDG_EMALFORMED naming it. */
int wdg_trace_add_malformed(wdg_trace *t, uint64_t line, int reason, const char *msg,
                            int strict, wdg_error *err);

#endif
