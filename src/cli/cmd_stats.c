/* wedge stats TRACE: what was read. */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

#include "common_opts.h"

/* What the command line asks of stats. */
typedef struct stats_args {
    const char *path;
    int json;
} stats_args;

static const cli_opt stats_opts[] = {{"json", 0, CLI_FLAG, offsetof(stats_args, json), NULL},
                                     CLI_OPT_END};

static int trace_path(void *ctx, const char *name, const char *value, wdg_error *err)
{
    stats_args *a = ctx;
    (void)name;
    if (a->path)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "stats takes one trace");
    a->path = value;
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    cli_input in = {0};
    stats_args args = {NULL, 0};
    cli_help help = {cli_help_stats, NULL, NULL};
    const cli_table tables[] = {{stats_opts, &args}, {cli_input_opts, &in},
                                {cli_help_opts, &help}, {NULL, NULL}};
    wdg_error err = {0};
    wdg_trace *t = NULL;
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    wdg_buf out = WDG_BUF_INIT;
    int rc = cli_parse(argc, argv, tables, trace_path, &args, &err);
    if (rc != 0)
        goto done;
    const char *path = args.path;
    if (!path) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "stats needs a trace: wedge stats TRACE");
        goto done;
    }
    /* counts only: events are folded into the totals every 64 Ki, so
     * memory stays bounded (WEDGE_STATS_FOLD=N sets N for the tests; 0
     * keeps every event) */
    const char *fold = getenv("WEDGE_STATS_FOLD");
    in.fold = fold ? strtoul(fold, NULL, 10) : 1u << 16;
    if ((rc = cli_input_load(&in, &path, 1, &t, &ops, &ts, &err)) < 0)
        goto done;
    if (args.json)
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
