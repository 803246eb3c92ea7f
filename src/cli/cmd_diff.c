/* wedge diff REF CAND --tid R[=C]: one thread pair, side by side. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../formats/formats.h"
#include "common_opts.h"

static const cli_opt diff_opts[] = {
    {"tid", 0, 1}, {"context", 'C', 1}, {"all", 0, 0}, {"boot-window", 0, 1}, {"width", 0, 1},
    {"symbols", 0, 1}, {"tid-map", 0, 1}, {"ref-name", 0, 1}, {"cand-name", 0, 1},
    {"help", 'h', 0}, CLI_INPUT_OPTS, {NULL, 0, 0}};

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

int cmd_diff(int argc, char **argv)
{
    cli_iter it = {argc, argv, 1, 0};
    cli_input in = {0};
    cli_list syms = {0};
    const char *paths[2] = {NULL, NULL}, *tid = NULL;
    size_t npaths = 0;
    long context = 3, width = 48, window = -1;
    int whole = 0, rc = 0, have_report = 0;
    wdg_report_opts ro = WDG_REPORT_OPTS_INIT;
    wdg_error err = {0};
    wdg_trace *traces[2] = {NULL, NULL};
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    wdg_symbols *symbols = NULL;
    wdg_report rep;
    wdg_buf out = WDG_BUF_INIT;
    for (;;) {
        const char *name, *value;
        int kind = cli_next(&it, diff_opts, &name, &value, &err);
        if (kind < 0) {
            rc = kind;
            goto done;
        }
        if (kind == CLI_END)
            break;
        if (kind == CLI_POSITIONAL) {
            if (npaths == 2) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "diff takes two traces");
                goto done;
            }
            paths[npaths++] = value;
            continue;
        }
        int taken = cli_input_take(&in, name, value);
        if (taken < 0 || (taken == 0 && strcmp(name, "symbols") == 0 && cli_list_push(&syms, value) < 0)) {
            rc = wdg_error_set(&err, WDG_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
        if (taken || strcmp(name, "symbols") == 0)
            continue;
        if (strcmp(name, "help") == 0) {
            fputs(cli_help_diff, stdout);
            goto done;
        } else if (strcmp(name, "tid") == 0) {
            tid = value;
        } else if (strcmp(name, "all") == 0) {
            whole = 1;
        } else if (strcmp(name, "context") == 0) {
            if ((rc = whole_number(name, value, 100000, &context, &err)) < 0)
                goto done;
        } else if (strcmp(name, "width") == 0) {
            if ((rc = whole_number(name, value, 200, &width, &err)) < 0)
                goto done;
        } else if (strcmp(name, "boot-window") == 0) {
            if ((rc = whole_number(name, value, __LONG_MAX__, &window, &err)) < 0)
                goto done;
            ro.boot_window = window;
        } else if (strcmp(name, "tid-map") == 0) {
            ro.diag.tid_map = value;
        } else if (strcmp(name, "ref-name") == 0) {
            ro.ref_name = value;
        } else if (strcmp(name, "cand-name") == 0) {
            ro.cand_name = value;
        }
    }
    if (npaths != 2 || !tid) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "usage: wedge diff REF CAND --tid R[=C]");
        goto done;
    }
    uint32_t rt, ct = WDG_NO_THREAD;
    const char *eq = strchr(tid, '=');
    if (wdg_parse_udec32(tid, eq ? (size_t)(eq - tid) : strlen(tid), &rt) < 0 ||
        (eq && wdg_parse_udec32(eq + 1, strlen(eq + 1), &ct) < 0)) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "--tid takes REF or REF=CAND thread ids: '%s'",
                           tid);
        goto done;
    }
    if (strcmp(paths[0], "-") == 0 && strcmp(paths[1], "-") == 0) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "only one trace can be read from stdin");
        goto done;
    }
    if ((rc = wdg_symbols_new(&symbols, &err)) < 0)
        goto done;
    for (size_t i = 0; i < syms.n; i++)
        if ((rc = wdg_symbols_load(symbols, syms.items[i], NULL, &err)) < 0)
            goto done;
    if ((rc = cli_input_load(&in, paths, 2, traces, &ops, &ts, &err)) < 0)
        goto done;
    if ((rc = wdg_report_build(&rep, traces[0], traces[1], symbols, &ro, &err)) < 0)
        goto done;
    have_report = 1;
    const wdg_thread *r = wdg_diag_ref_thread(&rep.diag, rt);
    if (!r) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "ref has no thread %u", rt);
        goto done;
    }
    if (ct == WDG_NO_THREAD)
        ct = r->analog;
    if (ct == WDG_NO_THREAD || !wdg_diag_cand_thread(&rep.diag, ct)) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           ct == WDG_NO_THREAD ? "ref thread %u has no analog in cand: name one "
                                                 "with --tid %u=C"
                                               : "cand has no thread %u",
                           ct == WDG_NO_THREAD ? rt : ct, rt);
        goto done;
    }
    if ((rc = wdg_render_diff(&out, &rep, rt, ct, whole, (int)context, (int)width, &err)) < 0)
        goto done;
    if (out.oom || fwrite(out.ptr, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
        rc = wdg_error_set(&err, WDG_EOUTPUT, "<stdout>", 0, "write failed");
done:
    if (have_report)
        wdg_report_free(&rep);
    wdg_buf_free(&out);
    wdg_trace_free(traces[0]);
    wdg_trace_free(traces[1]);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
    wdg_symbols_free(symbols);
    cli_list_free(&syms);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
