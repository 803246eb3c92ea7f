#include "common_opts.h"
#include "../base/clock.h"
#include "../base/numparse.h"

#include <errno.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --profile NAME: op settings for a user's own log of one family of
 * calls, applied before --op-category, --op-kind and --op-signal (which
 * may change them).  Calls that wedge record writes are built in; these
 * are the ones a log may hold besides (docs/wedge.md, Profiles).  Each
 * entry is "c:NAME=CATEGORY" or "s:NAME=SIGNAL". */
static const char *const profile_posix[] = {
    "c:pthread_mutex_timedlock=wait", "c:pthread_mutex_clocklock=wait",
    "c:sem_clockwait=wait", "c:pthread_cond_clockwait=wait",
    "c:pthread_rwlock_rdlock=wait", "c:pthread_rwlock_wrlock=wait",
    "c:pthread_rwlock_unlock=release",
    "c:pthread_spin_lock=wait", "c:pthread_spin_unlock=release",
    "c:futex_wait=wait", "c:futex_wake=set", "s:futex_wake=condition",
    "c:recv=wait", "c:send=release", "s:send=latch",
    "c:mq_receive=wait", "c:mq_send=release",
    NULL};
static const char *const profile_xbox[] = {
    "c:RtlEnterCriticalSection=wait", "c:RtlTryEnterCriticalSection=wait",
    "c:RtlLeaveCriticalSection=release",
    "c:KeInsertQueue=release", "c:KeRemoveQueue=wait",
    "c:NtSetIoCompletion=release", "c:NtRemoveIoCompletion=wait",
    "c:NtCreateIoCompletion=create",
    NULL};

static int profile(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_input *in = ctx;
    (void)name;
    if (strcmp(value, "posix") == 0)
        in->profile = profile_posix;
    else if (strcmp(value, "xbox") == 0)
        in->profile = profile_xbox;
    else
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--profile takes posix or xbox: '%s'",
                             value);
    return 0;
}

static int apply_profile(wdg_ops *ops, const char *const *p, wdg_error *err)
{
    for (; p && *p; p++) {
        int rc = (*p)[0] == 'c' ? wdg_ops_override(ops, *p + 2, err)
                                : wdg_ops_override_signal(ops, *p + 2, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

const cli_opt cli_input_opts[] = {
    {"line-format", 0, CLI_LIST, offsetof(cli_input, line_formats), NULL},
    {"probe", 0, CLI_LIST, offsetof(cli_input, probes), NULL},
    {"op-category", 0, CLI_LIST, offsetof(cli_input, op_categories), NULL},
    {"op-kind", 0, CLI_LIST, offsetof(cli_input, op_kinds), NULL},
    {"op-signal", 0, CLI_LIST, offsetof(cli_input, op_signals), NULL},
    {"profile", 0, CLI_PARSE, 0, profile},
    {"strict", 0, CLI_FLAG, offsetof(cli_input, strict), NULL},
    CLI_OPT_END};

void cli_input_free(cli_input *in)
{
    cli_list_free(&in->line_formats);
    cli_list_free(&in->probes);
    cli_list_free(&in->op_categories);
    cli_list_free(&in->op_kinds);
    cli_list_free(&in->op_signals);
}

/* WEDGE_MEMSTATS=1: the bytes each trace keeps per event, on stderr (for
 * make bench; the input itself is never kept). */
static void cli_memstats(wdg_trace *const *traces, size_t n)
{
    const char *v = getenv("WEDGE_MEMSTATS");
    if (!v || strcmp(v, "1") != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t b = wdg_trace_mem_bytes(traces[i]);
        size_t e = traces[i]->n_events;
        fprintf(stderr,
                "wedge: memstats: %s: %zu events, %zu bytes retained, %.1f B/event "
                "(%llu events read%s%.0u%s)\n",
                wdg_trace_display_name(traces[i]), e, b, e ? (double)b / (double)e : 0.0,
                (unsigned long long)traces[i]->counted,
                traces[i]->chunks == 2 ? ", in 2 chunks at once" : traces[i]->chunks ? ", in " : "",
                traces[i]->chunks > 2 ? traces[i]->chunks : 0u,
                traces[i]->chunks > 2 ? " segments, two at once" : "");
    }
}

int cli_input_load(cli_input *in, const char *const *paths, size_t n, wdg_trace **traces,
                   wdg_ops **ops_out, wdg_templates **tmpl_out, wdg_error *err)
{
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    int rc = wdg_ops_new(&ops, err);
    if (rc < 0 || (rc = apply_profile(ops, in->profile, err)) < 0)
        goto done;
    for (size_t i = 0; i < in->op_categories.n; i++)
        if ((rc = wdg_ops_override(ops, in->op_categories.items[i], err)) < 0)
            goto done;
    for (size_t i = 0; i < in->op_kinds.n; i++)
        if ((rc = wdg_ops_override_kind(ops, in->op_kinds.items[i], err)) < 0)
            goto done;
    for (size_t i = 0; i < in->op_signals.n; i++)
        if ((rc = wdg_ops_override_signal(ops, in->op_signals.items[i], err)) < 0)
            goto done;
    if ((rc = wdg_templates_new(&ts, err)) < 0)
        goto done;
    for (size_t i = 0; i < in->line_formats.n; i++)
        if ((rc = wdg_templates_add(ts, in->line_formats.items[i], err)) < 0)
            goto done;
    wdg_read_opts ro = {ts, in->strict, NULL, NULL, in->fold, 0, 0};
    const char *threads = getenv("WEDGE_THREADS");   /* 1: one thread (tests, timing) */
    ro.threads = threads ? atoi(threads) : 0;
    const char *chunk = getenv("WEDGE_CHUNK_MIN");   /* bytes: tests split tiny files */
    ro.chunk_min = chunk ? strtoul(chunk, NULL, 10) : 0;
    if (cli_progress_wanted()) {
        ro.progress = cli_progress;
        cli_progress_start();
    }
    rc = wdg_load_traces(traces, paths, n, ops, &ro, in->probes.items, in->probes.n, err);
    cli_progress_done();
    if (rc == 0)
        cli_memstats(traces, n);
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

static int key_by(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    (void)name;
    if (wdg_key_by_parse(value, &p->ro.keys.by) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--key-by takes site, function or caller: '%s'", value);
    return 0;
}

static int silence(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    (void)name;
    return wdg_parse_silence(&p->ro.diag, value, err);
}

static int ended_at(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    (void)name;
    return wdg_parse_ended_at(&p->ro.diag, value, err);
}

static int max_malformed(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    (void)name;
    return wdg_parse_max_malformed(&p->ro.diag, value, err);
}

static int boot_window(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    char *end;
    (void)name;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end || v < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--boot-window takes a time in ns (an event index for traces "
                             "without t): '%s'", value);
    p->ro.boot_window = v;
    return 0;
}

static int span(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    (void)name;
    if (wdg_span_method_parse(value, &p->ro.span) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--span takes progress, time or whole: '%s'", value);
    return 0;
}

static int tolerance(void *ctx, const char *name, const char *value, wdg_error *err)
{
    cli_pair *p = ctx;
    double x;
    (void)name;
    /* not strtod: a ',' locale would stop it at the '.' of 0.25 */
    if (wdg_parse_decimal(value, strlen(value), &x) < 0 || !(x >= 0) || x > 1e9)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--tolerance takes a number >= 0, e.g. 0.25: '%s'", value);
    p->ro.tolerance = x;
    return 0;
}

const cli_opt cli_pair_opts[] = {
    {"symbols", 0, CLI_LIST, offsetof(cli_pair, symbol_files), NULL},
    {"wrapper", 0, CLI_LIST, offsetof(cli_pair, wrappers), NULL},
    {"tid-map", 0, CLI_STR, offsetof(cli_pair, ro.diag.tid_map), NULL},
    {"ref-name", 0, CLI_STR, offsetof(cli_pair, ro.ref_name), NULL},
    {"cand-name", 0, CLI_STR, offsetof(cli_pair, ro.cand_name), NULL},
    {"key-by", 0, CLI_PARSE, 0, key_by},
    {"silence", 0, CLI_PARSE, 0, silence},
    {"ended-at", 0, CLI_PARSE, 0, ended_at},
    {"max-malformed", 0, CLI_PARSE, 0, max_malformed},
    {"boot-window", 0, CLI_PARSE, 0, boot_window},
    {"span", 0, CLI_PARSE, 0, span},
    {"tolerance", 0, CLI_PARSE, 0, tolerance},
    CLI_OPT_END};

/* What a path reads: stdin's file for "-"; 0 when it cannot be told. */
static int identity(const char *path, struct stat *st)
{
    return (strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, st) : stat(path, st)) == 0;
}

/* A pipe, FIFO or device can be read once: two names of one such stream
 * (- and /dev/stdin, a FIFO named twice) would leave the second reader
 * an empty trace.  A regular file can be read twice. */
static int one_stream_each(const char *const *paths, size_t n, wdg_error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct stat a;
        int stdin_a = strcmp(paths[i], "-") == 0, known = identity(paths[i], &a);
        for (size_t j = i + 1; j < n; j++) {
            struct stat b;
            int same = stdin_a && strcmp(paths[j], "-") == 0;
            if (!same && known && !S_ISREG(a.st_mode) && identity(paths[j], &b))
                same = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
            if (same)
                return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                     "'%s' and '%s' are one stream, which can be read only once "
                                     "(save it to a file to use it twice)",
                                     paths[i], paths[j]);
        }
    }
    return 0;
}


/* --symbols FILE, or MODULE=FILE: the functions of one module (a MODULE
 * holds no '/', so a path with '=' in a directory name stays a path). */
static int load_symbols(wdg_symbols *s, const char *spec, wdg_error *err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || memchr(spec, '/', (size_t)(eq - spec)))
        return wdg_symbols_load(s, spec, NULL, err);
    char module[256];
    if ((size_t)(eq - spec) >= sizeof module)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--symbols: module name too long: '%s'", spec);
    memcpy(module, spec, (size_t)(eq - spec));
    module[eq - spec] = 0;
    return wdg_symbols_load_module(s, module, eq + 1, NULL, err);
}

void cli_stage(const char *name, uint64_t ns)
{
    const char *v = getenv("WEDGE_STAGES");
    if (v && strcmp(v, "1") == 0)
        fprintf(stderr, "wedge: stage %-12s %8.1f ms\n", name, (double)ns / 1e6);
}

int cli_pair_open(cli_pair *p, cli_input *in, const char *const paths[2], wdg_error *err)
{
    int rc;
    /* the symbol files are read first: they could empty a trace's stream too */
    size_t n = p->symbol_files.n;
    const char **all = malloc((n + 2) * sizeof *all);
    if (!all)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        all[i] = p->symbol_files.items[i];
    all[n] = paths[0];
    all[n + 1] = paths[1];
    rc = one_stream_each(all, n + 2, err);
    free(all);
    if (rc < 0)
        return rc;
    if ((rc = wdg_symbols_new(&p->symbols, err)) < 0)
        return rc;
    for (size_t i = 0; i < p->symbol_files.n; i++)
        if ((rc = load_symbols(p->symbols, p->symbol_files.items[i], err)) < 0)
            return rc;
    uint64_t t0 = wdg_now_ns();
    if ((rc = cli_input_load(in, paths, 2, p->traces, &p->ops, &p->ts, err)) < 0)
        return rc;
    cli_stage("read", wdg_now_ns() - t0);
    if ((rc = wdg_symbols_bind(p->symbols, wdg_ops_sites(p->ops), err)) < 0)
        return rc;
    cli_warn_read(p->traces[0]);
    cli_warn_read(p->traces[1]);
    p->ro.keys.wrappers = p->wrappers.items;
    p->ro.keys.n_wrappers = p->wrappers.n;
    const char *threads = getenv("WEDGE_THREADS");   /* 1: one thread (tests, timing) */
    p->ro.threads = threads ? atoi(threads) : 0;
    t0 = wdg_now_ns();
    if ((rc = wdg_report_build(&p->rep, p->traces[0], p->traces[1], p->symbols, &p->ro, err)) < 0)
        return rc;
    cli_stage("analysis", wdg_now_ns() - t0);
    for (int i = 0; i < WDG_STAGE_COUNT; i++)
        cli_stage(wdg_stage_name(i), p->rep.stage_ns[i]);
    for (int i = 0; i < WDG_DIAG_STAGE_COUNT; i++)
        cli_stage(wdg_diag_stage_name(i), p->rep.diag.stage_ns[i]);
    p->have_report = 1;
    return 0;
}

void cli_pair_close(cli_pair *p)
{
    if (p->have_report)
        wdg_report_free(&p->rep);
    wdg_trace_free(p->traces[0]);
    wdg_trace_free(p->traces[1]);
    wdg_templates_free(p->ts);
    wdg_ops_free(p->ops);
    wdg_symbols_free(p->symbols);
    cli_list_free(&p->symbol_files);
    cli_list_free(&p->wrappers);
}
