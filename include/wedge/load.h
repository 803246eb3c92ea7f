/* wedge/load.h - read traces ready for analysis in one call.
 *
 * Reads each path, resolves PC-probe events with the --probe specs and
 * with the import tables found in any of the traces, then finalizes each.
 * On success out[0..n) own new traces (free each with wdg_trace_free); on
 * failure none is left allocated.
 */
#ifndef WEDGE_LOAD_H
#define WEDGE_LOAD_H

#include <stddef.h>

#include "wedge/api.h"
#include "wedge/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

WDG_API int wdg_load_traces(wdg_trace **out, const char *const *paths, size_t n, wdg_ops *ops,
                            const wdg_read_opts *opts, const char *const *probe_specs,
                            size_t n_probe_specs, wdg_error *err);

#ifdef __cplusplus
}
#endif

#endif
