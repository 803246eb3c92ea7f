#include "wedge/load.h"

#include <string.h>

int wdg_load_traces(wdg_trace **out, const char *const *paths, size_t n, wdg_ops *ops,
                    const wdg_read_opts *opts, const char *const *probe_specs,
                    size_t n_probe_specs, wdg_error *err)
{
    wdg_probes probes = {0};
    int rc = 0;
    size_t loaded = 0;
    for (size_t i = 0; i < n_probe_specs; i++)
        if ((rc = wdg_probes_add_spec(&probes, ops, probe_specs[i], err)) < 0)
            goto done;
    for (; loaded < n; loaded++)
        if ((rc = wdg_trace_read(&out[loaded], paths[loaded], ops, opts, err)) < 0)
            goto done;
    for (size_t i = 0; i < n; i++)
        if ((rc = wdg_probes_add_imports(&probes, out[i], err)) < 0)
            goto done;
    for (size_t i = 0; i < n; i++) {
        if ((rc = wdg_trace_resolve_probes(out[i], &probes, opts ? opts->strict : 0, err)) < 0)
            goto done;
        if ((rc = wdg_trace_finalize(out[i], err)) < 0)
            goto done;
    }
done:
    wdg_probes_free(&probes);
    if (rc < 0)
        for (size_t i = 0; i < loaded; i++) {
            wdg_trace_free(out[i]);
            out[i] = NULL;
        }
    return rc;
}
