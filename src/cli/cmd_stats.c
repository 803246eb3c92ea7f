/* wedge stats TRACE: what was read. */
#include <stdio.h>
#include <string.h>

#include "common_opts.h"

static const cli_opt stats_opts[] = {{"json", 0, 0}, {"help", 'h', 0}, CLI_INPUT_OPTS,
                                     {NULL, 0, 0}};

int cmd_stats(int argc, char **argv)
{
    cli_iter it = {argc, argv, 1, 0};
    cli_input in = {0};
    const char *path = NULL;
    int json = 0, rc = 0;
    wdg_error err = {0};
    wdg_trace *t = NULL;
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    wdg_buf out = WDG_BUF_INIT;
    for (;;) {
        const char *name, *value;
        int kind = cli_next(&it, stats_opts, &name, &value, &err);
        if (kind < 0) {
            rc = kind;
            goto done;
        }
        if (kind == CLI_END)
            break;
        if (kind == CLI_POSITIONAL) {
            if (path) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "stats takes one trace");
                goto done;
            }
            path = value;
            continue;
        }
        int taken = cli_input_take(&in, name, value, &err);
        if (taken < 0) {
            rc = taken;
            goto done;
        }
        if (taken)
            continue;
        if (strcmp(name, "help") == 0) {
            fputs(cli_help_stats, stdout);
            goto done;
        }
        if (strcmp(name, "json") == 0)
            json = 1;
    }
    if (!path) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "stats needs a trace: wedge stats TRACE");
        goto done;
    }
    if ((rc = cli_input_load(&in, &path, 1, &t, &ops, &ts, &err)) < 0)
        goto done;
    if (json)
        wdg_stats_json(t, &out);
    else
        wdg_stats_text(t, &out);
    rc = cli_write_stdout(&out, &err);
done:
    wdg_buf_free(&out);
    wdg_trace_free(t);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
