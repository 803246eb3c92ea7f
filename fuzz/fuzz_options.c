/* libFuzzer target: the option parsers (--line-format, --probe,
 * --op-category, --tid-map, --silence, --tolerance, --boot-window,
 * --span, --strict) driving the whole pipeline on two small traces: load, report,
 * every renderer.  Nothing may crash, leak, hang or read out of bounds;
 * every error is one of the codes the step can give, with a one-line
 * message; lines add up.
 *
 * Input, line by line (a readable shape, so that seeds are easy to write):
 *
 *   f TEMPLATE    --line-format      p PC=OP     --probe
 *   c NAME=CAT    --op-category      t R=C,...   --tid-map
 *   s S           --silence          x X         --tolerance
 *   b N           --boot-window      strict      --strict
 *   m M           --span (progress, time, whole; anything else: the default)
 *   e SIDE=T      --ended-at         M PCT       --max-malformed
 *   ==ref         the lines up to ==cand are the reference trace
 *   ==cand        the lines after it are the candidate
 *
 * In option values \n, \t and \\ stand for a newline, a tab, a backslash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wedge/wedge.h"

#include "fuzz_files.h"

enum { MAX_OPTS = 8 };

typedef struct fuzz_opts {
    char *templates[MAX_OPTS], *probes[MAX_OPTS], *cats[MAX_OPTS];
    unsigned n_templates, n_probes, n_cats;
    char *tid_map, *silence, *span, *ended_at[2], *max_malformed;
    int strict;
    double tolerance;
    int64_t boot_window;
    const uint8_t *ref, *cand;
    size_t ref_len, cand_len;
} fuzz_opts;

/* A copy of s[0..n) with the escapes decoded; NULL when out of memory. */
static char *unescape(const uint8_t *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'n' || s[i + 1] == 't' || s[i + 1] == '\\')) {
            i++;
            *o++ = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : '\\';
        } else {
            *o++ = (char)s[i];
        }
    }
    *o = 0;
    return out;
}

static void keep(char **list, unsigned *n, char *v)
{
    if (*n < MAX_OPTS)
        list[(*n)++] = v;
    else
        free(v);
}

static void replace(char **slot, char *v)
{
    free(*slot);
    *slot = v;
}

/* One option line; unknown lines are skipped. */
static void take_option(fuzz_opts *o, const uint8_t *s, size_t n)
{
    if (n == 6 && memcmp(s, "strict", 6) == 0) {
        o->strict = 1;
        return;
    }
    if (n < 2 || s[1] != ' ')
        return;
    char *v = unescape(s + 2, n - 2);
    if (!v)
        return;
    switch (s[0]) {
    case 'f': keep(o->templates, &o->n_templates, v); return;
    case 'p': keep(o->probes, &o->n_probes, v); return;
    case 'c': keep(o->cats, &o->n_cats, v); return;
    case 't': replace(&o->tid_map, v); return;
    case 's': replace(&o->silence, v); return;
    case 'm': replace(&o->span, v); return;
    case 'e': replace(&o->ended_at[o->ended_at[0] != NULL], v); return;
    case 'M': replace(&o->max_malformed, v); return;
    case 'x': o->tolerance = strtod(v, NULL); break;
    case 'b': o->boot_window = strtoll(v, NULL, 10); break;
    default: break;
    }
    free(v);
}

static const uint8_t *find_line(const uint8_t *p, const uint8_t *end, const char *want)
{
    size_t wn = strlen(want);
    for (const uint8_t *q = p; q < end;) {
        const uint8_t *nl = memchr(q, '\n', (size_t)(end - q));
        const uint8_t *e = nl ? nl : end;
        if ((size_t)(e - q) == wn && memcmp(q, want, wn) == 0)
            return q;
        q = nl ? nl + 1 : end;
    }
    return NULL;
}

static const uint8_t *after_line(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

static void split(fuzz_opts *o, const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size;
    const uint8_t *ref = find_line(data, end, "==ref");
    const uint8_t *opt_end = ref ? ref : end;
    for (const uint8_t *q = data; q < opt_end;) {
        const uint8_t *nl = memchr(q, '\n', (size_t)(opt_end - q));
        const uint8_t *e = nl ? nl : opt_end;
        take_option(o, q, (size_t)(e - q));
        q = nl ? nl + 1 : opt_end;
    }
    if (!ref)
        return;
    o->ref = after_line(ref, end);
    const uint8_t *cand = find_line(o->ref, end, "==cand");
    o->ref_len = (size_t)((cand ? cand : end) - o->ref);
    if (cand) {
        o->cand = after_line(cand, end);
        o->cand_len = (size_t)(end - o->cand);
    }
}

static void free_opts(fuzz_opts *o)
{
    for (unsigned i = 0; i < o->n_templates; i++)
        free(o->templates[i]);
    for (unsigned i = 0; i < o->n_probes; i++)
        free(o->probes[i]);
    for (unsigned i = 0; i < o->n_cats; i++)
        free(o->cats[i]);
    free(o->tid_map);
    free(o->silence);
    free(o->span);
    free(o->ended_at[0]);
    free(o->ended_at[1]);
    free(o->max_malformed);
}

/* An error must be one the step can give (a bit mask of -code), with a
 * message on one line. */
static void check_error(int rc, const wdg_error *err, unsigned allowed, const char *step)
{
    if (rc >= 0)
        return;
    if (rc != err->code || -rc >= 32 || !(allowed & (1u << -rc)) || !err->msg[0] ||
        strchr(err->msg, '\n') || strchr(err->file, '\n')) {
        fprintf(stderr, "fuzz-options: %s gave code %d: '%s'\n", step, rc, err->msg);
        abort();
    }
}

#define CODE(c) (1u << -(c))

static const char *temp_path(int which)
{
    static char path[2][64];
    if (!path[which][0])
        snprintf(path[which], sizeof path[which], "/tmp/wedge-fuzz-opt-%d-%d", (int)getpid(),
                 which);
    return path[which];
}

/* wedge diff as cmd_diff runs it: the analysis, then the renderer */
static int render_diff(wdg_buf *b, wdg_report *rep, uint32_t rt, uint32_t ct, int whole,
                       int context, int width, wdg_error *err)
{
    wdg_pair_diff pd;
    int rc = wdg_pair_diff_build(&pd, rep, rt, ct, whole, err);
    if (rc >= 0)
        wdg_render_diff(b, rep, &pd, context, width);
    wdg_pair_diff_free(&pd);
    return rc;
}

static void render_all(wdg_report *rep)
{
    wdg_error err = {0};
    wdg_buf b = WDG_BUF_INIT;
    wdg_report_markdown(rep, &b);
    wdg_report_json(rep, &b);
    wdg_report_keys_csv(rep, &b);
    wdg_report_dot(rep, &b);
    wdg_stats_text(rep->ref, &b);
    wdg_stats_json(rep->cand, &b);
    for (size_t i = 0; i < rep->diag.n_pairs && i < 2; i++) {
        int rc = render_diff(&b, rep, rep->diag.pairs[i].ref, rep->diag.pairs[i].cand, (int)i,
                             2, 60, &err);
        check_error(rc, &err, CODE(WDG_EUSAGE), "diff");
    }
    /* a thread pair that need not exist: a usage error, never a crash */
    int rc = render_diff(&b, rep, 1, 1, 0, 1, 40, &err);
    check_error(rc, &err, CODE(WDG_EUSAGE), "diff 1=1");
    wdg_buf_free(&b);
    wdg_outfile null;
    if (wdg_outfile_open(&null, "/dev/null", &err) == 0) {
        rc = wdg_report_aligned_csv(rep, &null, &err);
        check_error(rc, &err, CODE(WDG_EOUTPUT), "aligned csv");
        wdg_outfile_commit(&null, &err);
    }
}

static void run(const fuzz_opts *o)
{
    wdg_error err = {0};
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    wdg_trace *t[2] = {NULL, NULL};
    int rc;
    if (wdg_ops_new(&ops, &err) < 0 || wdg_templates_new(&ts, &err) < 0)
        goto done;
    for (unsigned i = 0; i < o->n_cats; i++) {
        rc = wdg_ops_override(ops, o->cats[i], &err);
        check_error(rc, &err, CODE(WDG_EUSAGE), "--op-category");
        if (rc < 0)
            goto done;
    }
    for (unsigned i = 0; i < o->n_templates; i++) {
        rc = wdg_templates_add(ts, o->templates[i], &err);
        check_error(rc, &err, CODE(WDG_EUSAGE), "--line-format");
        if (rc < 0)
            goto done;
    }
    wdg_report_opts ro = WDG_REPORT_OPTS_INIT;
    if (o->silence) {
        rc = wdg_parse_silence(&ro.diag, o->silence, &err);
        check_error(rc, &err, CODE(WDG_EUSAGE), "--silence");
        if (rc < 0)
            goto done;
    }
    for (int i = 0; i < 2 && o->ended_at[i]; i++) {
        rc = wdg_parse_ended_at(&ro.diag, o->ended_at[i], &err);
        check_error(rc, &err, CODE(WDG_EUSAGE), "--ended-at");
        if (rc < 0)
            goto done;
    }
    if (o->max_malformed) {
        rc = wdg_parse_max_malformed(&ro.diag, o->max_malformed, &err);
        check_error(rc, &err, CODE(WDG_EUSAGE), "--max-malformed");
        if (rc < 0)
            goto done;
    }
    ro.diag.tid_map = o->tid_map;
    /* the command line takes a tolerance >= 0 up to 1e9 */
    if (o->tolerance >= 0 && o->tolerance <= 1e9)
        ro.tolerance = o->tolerance;
    ro.boot_window = o->boot_window;
    if (o->span && wdg_span_method_parse(o->span, &ro.span) < 0)
        ro.span = WDG_SPAN_PROGRESS;
    if (fuzz_write_file(temp_path(0), o->ref, o->ref_len) < 0 ||
        fuzz_write_file(temp_path(1), o->cand, o->cand_len) < 0)
        goto done;
    const char *paths[2] = {temp_path(0), temp_path(1)};
    wdg_read_opts rdo = {ts, o->strict, NULL, NULL, 0, 0, 0};
    rc = wdg_load_traces(t, paths, 2, ops, &rdo, (const char *const *)o->probes, o->n_probes,
                         &err);
    check_error(rc, &err, CODE(WDG_EUSAGE) | CODE(WDG_EINPUT) | (o->strict ? CODE(WDG_EMALFORMED) : 0),
                "load");
    if (rc < 0)
        goto done;
    for (int i = 0; i < 2; i++)
        if (t[i]->lines != t[i]->n_events + t[i]->ignored + t[i]->malformed)
            abort();
    wdg_report rep;
    rc = wdg_report_build(&rep, t[0], t[1], NULL, &ro, &err);
    check_error(rc, &err, CODE(WDG_EUSAGE), "report");
    if (rc == 0) {
        render_all(&rep);
        wdg_report_free(&rep);
    }
done:
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
    unlink(temp_path(0));
    unlink(temp_path(1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_opts o;
    memset(&o, 0, sizeof o);
    o.tolerance = 0.25;
    o.boot_window = -1;
    split(&o, data, size);
    run(&o);
    free_opts(&o);
    return 0;
}
