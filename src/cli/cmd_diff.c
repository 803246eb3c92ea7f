/* wedge diff REF CAND --tid R[=C]: one thread pair, side by side. */
#include <errno.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common_opts.h"

/* What the command line asks of diff. */
typedef struct diff_args {
    const char *paths[2], *tid;
    size_t npaths;
    long context, width;
    int whole;
} diff_args;

static int whole_number(const char *name, const char *v, long max, long *out, wdg_error *err)
{
    char *end;
    errno = 0;
    *out = strtol(v, &end, 10);
    if (errno || end == v || *end || *out < 0 || *out > max)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--%s takes a whole number up to %ld: '%s'",
                             name, max, v);
    return 0;
}

static int context(void *ctx, const char *name, const char *value, wdg_error *err)
{
    return whole_number(name, value, 100000, &((diff_args *)ctx)->context, err);
}

static int width(void *ctx, const char *name, const char *value, wdg_error *err)
{
    return whole_number(name, value, 200, &((diff_args *)ctx)->width, err);
}

static const cli_opt diff_opts[] = {
    {"tid", 0, CLI_STR, offsetof(diff_args, tid), NULL},
    {"context", 'C', CLI_PARSE, 0, context},
    {"all", 0, CLI_FLAG, offsetof(diff_args, whole), NULL},
    {"width", 0, CLI_PARSE, 0, width},
    CLI_OPT_END};

static int trace_path(void *ctx, const char *name, const char *value, wdg_error *err)
{
    diff_args *a = ctx;
    (void)name;
    if (a->npaths == 2)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "diff takes two traces");
    a->paths[a->npaths++] = value;
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    cli_input in = {0};
    cli_pair pair = CLI_PAIR_INIT;
    diff_args args = {{NULL, NULL}, NULL, 0, 3, 48, 0};
    cli_help help = {cli_help_diff, NULL, NULL};
    const cli_table tables[] = {{diff_opts, &args}, {cli_pair_opts, &pair},
                                {cli_input_opts, &in}, {cli_help_opts, &help}, {NULL, NULL}};
    wdg_error err = {0};
    wdg_buf out = WDG_BUF_INIT;
    wdg_pair_diff pd = {0};
    int rc = cli_parse(argc, argv, tables, trace_path, &args, &err);
    if (rc != 0)
        goto done;
    const char *tid = args.tid;
    if (args.npaths != 2 || !tid) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "usage: wedge diff REF CAND --tid R[=C]");
        goto done;
    }
    uint32_t rt, ct = 0;
    int has_ct = 0;   /* C given; else R's analog */
    char *end;
    errno = 0;
    unsigned long r_id = strtoul(tid, &end, 10), c_id = 0;
    int bad = errno || end == tid || (*end && *end != '=') || r_id > UINT32_MAX;
    if (!bad && *end == '=') {
        const char *c = end + 1;
        c_id = strtoul(c, &end, 10);
        bad = errno || end == c || *end || c_id > UINT32_MAX || *c == '-';
        ct = (uint32_t)c_id;
        has_ct = 1;
    }
    rt = (uint32_t)r_id;
    if (bad || tid[0] == '-') {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "--tid takes REF or REF=CAND thread ids: '%s'",
                           tid);
        goto done;
    }
    pair.ro.one_pair = 1;   /* one pair shown: no other pair's boot delta */
    if ((rc = cli_pair_open(&pair, &in, args.paths, &err)) < 0)
        goto done;
    const wdg_thread *r = wdg_diag_ref_thread(&pair.rep.diag, rt);
    if (!r) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "ref has no thread %u", rt);
        goto done;
    }
    if (!has_ct && !r->has_analog) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           "ref thread %u has no analog in cand: name one with --tid %u=C", rt, rt);
        goto done;
    }
    if (!has_ct)
        ct = r->analog;
    if (!wdg_diag_cand_thread(&pair.rep.diag, ct)) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "cand has no thread %u", ct);
        goto done;
    }
    if ((rc = wdg_pair_diff_build(&pd, &pair.rep, rt, ct, args.whole, &err)) < 0)
        goto done;
    wdg_render_diff(&out, &pair.rep, &pd, (int)args.context, (int)args.width);
    rc = cli_write_stdout(&out, &err);
done:
    wdg_pair_diff_free(&pd);
    wdg_buf_free(&out);
    cli_pair_close(&pair);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
