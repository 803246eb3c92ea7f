#include "common_opts.h"

#include <string.h>

int cli_input_take(cli_input *in, const char *name, const char *value)
{
    if (strcmp(name, "line-format") == 0)
        return cli_list_push(&in->line_formats, value) < 0 ? -1 : 1;
    if (strcmp(name, "probe") == 0)
        return cli_list_push(&in->probes, value) < 0 ? -1 : 1;
    if (strcmp(name, "op-category") == 0)
        return cli_list_push(&in->op_categories, value) < 0 ? -1 : 1;
    if (strcmp(name, "strict") == 0) {
        in->strict = 1;
        return 1;
    }
    return 0;
}

void cli_input_free(cli_input *in)
{
    cli_list_free(&in->line_formats);
    cli_list_free(&in->probes);
    cli_list_free(&in->op_categories);
}

int cli_input_load(cli_input *in, const char *const *paths, size_t n, wdg_trace **traces,
                   wdg_ops **ops_out, wdg_templates **tmpl_out, wdg_error *err)
{
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    int rc = wdg_ops_new(&ops, err);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < in->op_categories.n; i++)
        if ((rc = wdg_ops_override(ops, in->op_categories.items[i], err)) < 0)
            goto done;
    if ((rc = wdg_templates_new(&ts, err)) < 0)
        goto done;
    for (size_t i = 0; i < in->line_formats.n; i++)
        if ((rc = wdg_templates_add(ts, in->line_formats.items[i], err)) < 0)
            goto done;
    wdg_read_opts ro = {ts, in->strict, NULL, NULL};
    if (cli_progress_wanted())
        ro.progress = cli_progress;
    rc = wdg_load_traces(traces, paths, n, ops, &ro, in->probes.items, in->probes.n, err);
    cli_progress_done();
done:
    if (rc < 0) {
        wdg_templates_free(ts);
        wdg_ops_free(ops);
        return rc;
    }
    *ops_out = ops;
    *tmpl_out = ts;
    return 0;
}
