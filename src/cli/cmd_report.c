/* wedge report REF CAND */
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/numparse.h"
#include "common_opts.h"

/* What the command line asks of report. */
typedef struct report_args {
    const char *paths[2];
    size_t npaths;
    const char *json_path, *out_dir, *dot_path, *timeline_path, *html_path;
    wdg_timeline_opts tl;      /* --timeline-window, --timeline-cap */
    int brief, full;           /* --brief, --full: the terminal's forms */
    int color;                 /* --color: TERM_AUTO, TERM_ALWAYS, TERM_NEVER */
} report_args;

enum { TERM_AUTO, TERM_ALWAYS, TERM_NEVER };

static int color_opt(void *ctx, const char *name, const char *value, wdg_error *err)
{
    static const char *const names[] = {"auto", "always", "never"};
    (void)name;
    for (int i = 0; i < 3; i++)
        if (strcmp(value, names[i]) == 0) {
            ((report_args *)ctx)->color = i;
            return 0;
        }
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--color takes auto, always or never: '%s'",
                         value);
}

static int timeline_window(void *ctx, const char *name, const char *value, wdg_error *err)
{
    (void)name;
    return wdg_parse_timeline_window(&((report_args *)ctx)->tl, value, err);
}

static int timeline_cap(void *ctx, const char *name, const char *value, wdg_error *err)
{
    int64_t v;
    (void)name;
    if (wdg_parse_int64(value, strlen(value), &v) < 0 || v <= 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--timeline-cap '%s': expected a size in bytes above 0", value);
    ((report_args *)ctx)->tl.cap = (uint64_t)v;
    return 0;
}

static const cli_opt report_opts[] = {
    {"json", 0, CLI_STR, offsetof(report_args, json_path), NULL},
    {"output", 'o', CLI_STR, offsetof(report_args, out_dir), NULL},
    {"dot", 0, CLI_STR, offsetof(report_args, dot_path), NULL},
    {"timeline", 0, CLI_STR, offsetof(report_args, timeline_path), NULL},
    {"html", 0, CLI_STR, offsetof(report_args, html_path), NULL},
    {"timeline-window", 0, CLI_PARSE, 0, timeline_window},
    {"timeline-cap", 0, CLI_PARSE, 0, timeline_cap},
    {"brief", 0, CLI_FLAG, offsetof(report_args, brief), NULL},
    {"full", 0, CLI_FLAG, offsetof(report_args, full), NULL},
    {"color", 0, CLI_PARSE, 0, color_opt},
    CLI_OPT_END};

static int trace_path(void *ctx, const char *name, const char *value, wdg_error *err)
{
    report_args *a = ctx;
    (void)name;
    if (a->npaths == 2)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "report takes two traces, REF and CAND; '%s' is a third", value);
    a->paths[a->npaths++] = value;
    return 0;
}

/* The files one run writes.  Each is written under a temporary name and
 * all are renamed over their paths only once every one is complete, so a
 * run that fails leaves every older file whole (wedge/outfile.h). */
typedef struct outset {
    wdg_outfile files[13];     /* --json, --dot, --timeline, --html and the nine of -o DIR */
    size_t n;
} outset;

/* Opens dir/name (or the path name when dir is NULL) in the set. */
static wdg_outfile *outset_open(outset *s, const char *dir, const char *name, wdg_error *err)
{
    if (s->n == sizeof s->files / sizeof s->files[0]) {   /* a file added, the set not grown */
        wdg_error_set(err, WDG_EINTERNAL, NULL, 0, "more output files than the set holds");
        return NULL;
    }
    wdg_outfile *f = &s->files[s->n];
    int rc = dir ? wdg_outfile_open_in(f, dir, name, err) : wdg_outfile_open(f, name, err);
    if (rc < 0)
        return NULL;
    s->n++;
    return f;
}

static int outset_put(outset *s, const char *dir, const char *name, const wdg_buf *b,
                      wdg_error *err)
{
    if (b->oom)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_outfile *f = outset_open(s, dir, name, err);
    return f ? wdg_outfile_write(f, b->ptr ? b->ptr : "", b->len, err) : err->code ? err->code : WDG_EOUTPUT;
}

static void outset_abort(outset *s)
{
    for (size_t i = 0; i < s->n; i++)
        wdg_outfile_abort(&s->files[i]);
    s->n = 0;
}

/* Closes every file (where late write errors show), then renames them. */
static int outset_commit(outset *s, wdg_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < s->n && rc == 0; i++)
        rc = wdg_outfile_close(&s->files[i], err);
    for (size_t i = 0; i < s->n && rc == 0; i++)
        rc = wdg_outfile_commit(&s->files[i], err);
    outset_abort(s);   /* what is left after a failure */
    return rc;
}

/* timeline.json written, maybe on a thread of its own (the largest file
 * of -o DIR: it was a third of a run) while the others are written */
typedef struct timeline_job {
    const wdg_report *rep;
    wdg_timeline_opts o;       /* the caller's, with wakes */
    wdg_wakes wakes[2];        /* built once for timeline.json and report.html */
    int have_wakes;
    wdg_outfile *f;            /* in the set; written by the job alone until it ends */
    wdg_buf note;
    wdg_error err;
    int rc;
    int threaded;
    uint64_t ns;               /* its rendering's time, for WEDGE_STAGES */
    pthread_t th;
} timeline_job;

static void *render_timeline(void *p)
{
    timeline_job *j = p;
    uint64_t t0 = wdg_now_ns();
    j->rc = wdg_wakes_build(&j->wakes[0], j->rep->ref, &j->err);
    if (j->rc == 0 && (j->rc = wdg_wakes_build(&j->wakes[1], j->rep->cand, &j->err)) < 0)
        wdg_wakes_free(&j->wakes[0]);
    j->have_wakes = j->rc == 0;
    j->o.wakes = j->have_wakes ? j->wakes : NULL;
    if (j->rc == 0)
        j->rc = wdg_report_timeline_file(j->rep, &j->o, j->f, &j->note, &j->err);
    j->ns = wdg_now_ns() - t0;
    return NULL;
}

/* Opens the file in the set and starts the rendering: on a thread unless
 * WEDGE_THREADS=1 (the alloc-failure tests) or none can start, then at
 * put_timeline().  j is ready for timeline_free() even when it fails. */
static int timeline_start(timeline_job *j, outset *s, const char *dir, const char *path,
                          const wdg_report *rep, const wdg_timeline_opts *o, wdg_error *err)
{
    memset(j, 0, sizeof *j);
    j->rep = rep;
    j->o = *o;
    j->note = (wdg_buf)WDG_BUF_INIT;
    if (!(j->f = outset_open(s, dir, path, err)))
        return err->code ? err->code : WDG_EOUTPUT;
    j->threaded = rep->opts.threads != 1 && pthread_create(&j->th, NULL, render_timeline, j) == 0;
    return 0;
}

/* Waits for the rendering (or renders now); what it left out on stderr */
static int timeline_finish(timeline_job *j, wdg_error *err)
{
    if (j->threaded)
        pthread_join(j->th, NULL);
    else
        render_timeline(j);
    j->threaded = 0;
    if (j->rc < 0 && err)
        *err = j->err;
    return j->rc;
}

static void timeline_free(timeline_job *j)
{
    if (j->threaded)
        pthread_join(j->th, NULL);
    j->threaded = 0;
    wdg_buf_free(&j->note);
    if (j->have_wakes) {
        wdg_wakes_free(&j->wakes[0]);
        wdg_wakes_free(&j->wakes[1]);
    }
    j->have_wakes = 0;
}

/* timeline.json finished, what it left out on stderr */
static int put_timeline(timeline_job *j, wdg_error *err)
{
    uint64_t t0 = wdg_now_ns();
    int rc = timeline_finish(j, err);
    cli_stage("o.timeline", j->ns);
    cli_stage("o.tl_wait", wdg_now_ns() - t0);
    if (rc == 0 && j->note.len)
        fprintf(stderr, "wedge: %.*s", (int)j->note.len, j->note.ptr);
    return rc;
}

/* report.html into the set; svg is waitgraph.svg's bytes when there is one */
static int put_html(outset *s, const char *dir, const char *path, const wdg_report *rep,
                    const char *svg, size_t svg_len, const char *svg_note,
                    const wdg_wakes *wakes, wdg_error *err)
{
    wdg_buf page = WDG_BUF_INIT;
    wdg_html_opts ho = WDG_HTML_OPTS_INIT;
    ho.wakes = wakes;
    ho.svg = svg;
    ho.svg_len = svg_len;
    ho.svg_note = svg_note;
    int rc = wdg_report_html(rep, &ho, &page, err);
    if (rc == 0)
        rc = outset_put(s, dir, path, &page, err);
    wdg_buf_free(&page);
    return rc;
}

static int write_dir(outset *s, const char *dir, const wdg_report *rep, const wdg_buf *md,
                     const wdg_buf *json, const wdg_timeline_opts *tlo, wdg_error *err)
{
    wdg_buf csv = WDG_BUF_INIT, svg = WDG_BUF_INIT;
    timeline_job tj;
    memset(&tj, 0, sizeof tj);
    uint64_t t0 = wdg_now_ns();
    int rc = wdg_mkdir_p(dir, err);
    if (rc == 0)
        rc = outset_put(s, dir, "report.md", md, err);
    if (rc == 0)   /* its file stays in the set: the job writes it as it goes */
        rc = timeline_start(&tj, s, dir, "timeline.json", rep, tlo, err);
    if (rc == 0)
        rc = outset_put(s, dir, "report.json", json, err);
    if (rc == 0) {
        wdg_report_keys_csv(rep, &csv);
        rc = outset_put(s, dir, "keys.csv", &csv, err);
    }
    if (rc == 0) {
        wdg_buf_reset(&csv);
        wdg_report_dot(rep, &csv);
        rc = outset_put(s, dir, "waitgraph.dot", &csv, err);
    }
    /* waitgraph.svg when Graphviz draws it; svg stays for report.html */
    cli_stage("o.small", wdg_now_ns() - t0);
    t0 = wdg_now_ns();
    if (rc == 0 && (rc = cli_render_svg(&csv, &svg, err)) >= 0)
        rc = rc == 0 ? outset_put(s, dir, "waitgraph.svg", &svg, err) : 0;
    cli_stage("o.svg", wdg_now_ns() - t0);
    t0 = wdg_now_ns();
    if (rc == 0) {
        wdg_buf_reset(&csv);
        wdg_report_families_dot(rep, &csv);
        rc = outset_put(s, dir, "families.dot", &csv, err);
    }
    if (rc == 0) {
        wdg_outfile *f = outset_open(s, dir, "aligned-sequence.csv", err);
        rc = f ? wdg_report_aligned_csv(rep, f, err) : err->code ? err->code : WDG_EOUTPUT;
    }
    cli_stage("o.aligned", wdg_now_ns() - t0);
    if (rc == 0)
        rc = put_timeline(&tj, err);
    t0 = wdg_now_ns();
    /* last, so that it can embed waitgraph.svg once that is drawn */
    if (rc == 0)
        rc = put_html(s, dir, "report.html", rep, svg.len ? svg.ptr : NULL, svg.len,
                      "it is drawn only when Graphviz is installed",
                      tj.have_wakes ? tj.wakes : NULL, err);
    cli_stage("o.html", wdg_now_ns() - t0);
    timeline_free(&tj);
    wdg_buf_free(&csv);
    wdg_buf_free(&svg);
    return rc;
}

/* --json FILE, --dot FILE, --timeline FILE, --html FILE and -o DIR, all or none; "-"
 * is stdout, later. */
static int write_files(outset *s, const wdg_report *rep, const report_args *a, const wdg_buf *md,
                       const wdg_buf *json, wdg_error *err)
{
    const char *json_path = a->json_path, *dot_path = a->dot_path, *out_dir = a->out_dir;
    int rc = 0;
    if (a->timeline_path) {
        timeline_job tj;
        rc = timeline_start(&tj, s, NULL, a->timeline_path, rep, &a->tl, err);
        if (rc == 0)
            rc = put_timeline(&tj, err);
        timeline_free(&tj);
    }
    if (rc == 0 && a->html_path) {
        /* the page embeds the wait graph when Graphviz can draw it */
        wdg_buf dot = WDG_BUF_INIT, svg = WDG_BUF_INIT;
        wdg_report_dot(rep, &dot);
        rc = cli_render_svg(&dot, &svg, err);
        if (rc >= 0)
            rc = put_html(s, NULL, a->html_path, rep, svg.len ? svg.ptr : NULL, svg.len,
                          "it is drawn only when Graphviz is installed", NULL, err);
        wdg_buf_free(&dot);
        wdg_buf_free(&svg);
    }
    if (rc == 0 && json_path && strcmp(json_path, "-") != 0)
        rc = outset_put(s, NULL, json_path, json, err);
    if (rc == 0 && dot_path && strcmp(dot_path, "-") != 0) {
        wdg_buf dot = WDG_BUF_INIT;
        wdg_report_dot(rep, &dot);
        rc = outset_put(s, NULL, dot_path, &dot, err);
        wdg_buf_free(&dot);
    }
    if (rc == 0 && out_dir)
        rc = write_dir(s, out_dir, rep, md, json, &a->tl, err);
    if (rc == 0) {
        uint64_t t0 = wdg_now_ns();
        rc = outset_commit(s, err);
        cli_stage("o.commit", wdg_now_ns() - t0);
        return rc;
    }
    outset_abort(s);
    return rc;
}

/* --- on a terminal ------------------------------------------------- */

/* the terminal's size: TIOCGWINSZ, else COLUMNS (LINES), else 80 by 24 */
static void term_size(int *cols, int *rows)
{
    struct winsize ws;
    const char *c = getenv("COLUMNS"), *l = getenv("LINES");
    *cols = c && atoi(c) > 0 ? atoi(c) : 80;
    *rows = l && atoi(l) > 0 ? atoi(l) : 24;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        *cols = ws.ws_col;
        if (ws.ws_row > 0)
            *rows = ws.ws_row;
    }
}

/* colours: --color, else on a terminal unless NO_COLOR is set and not
 * empty (no-color.org's rule) or TERM is dumb */
static int term_color(const report_args *a, int tty)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    if (a->color != TERM_AUTO)
        return a->color == TERM_ALWAYS;
    return tty && !(nc && nc[0]) && !(term && strcmp(term, "dumb") == 0);
}

static size_t count_lines(const wdg_buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->ptr[i] == '\n';
    return n;
}

/* Writes the report for a terminal to stdout: the full form when it fits
 * the screen (or --full), else the brief one and where the rest is. */
static int term_report(const wdg_report *rep, const report_args *a, int tty, wdg_error *err)
{
    int cols, rows;
    term_size(&cols, &rows);
    char more[512];
    if (a->out_dir)
        snprintf(more, sizeof more, "The full report: %s/report.md, or wedge report ... --full.",
                 a->out_dir);
    else
        snprintf(more, sizeof more, "The full report: wedge report ... --full (| less -R), or -o DIR "
                                    "for report.md and the other files.");
    wdg_term_opts o = {cols, term_color(a, tty), a->brief, NULL};
    wdg_buf out = WDG_BUF_INIT;
    wdg_report_terminal(rep, &o, &out);
    if (!a->brief && !a->full && count_lines(&out) >= (size_t)rows) {
        wdg_buf_reset(&out);
        o.brief = 1, o.more = more;
        wdg_report_terminal(rep, &o, &out);
    }
    int rc = cli_write_stdout(&out, err);
    wdg_buf_free(&out);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    cli_input in = {0};
    cli_pair pair = CLI_PAIR_INIT;
    report_args args = {{NULL, NULL}, 0, NULL, NULL, NULL, NULL, NULL, WDG_TIMELINE_OPTS_INIT,
                        0, 0, TERM_AUTO};
    cli_help help = {cli_help_report, cli_help_report_analysis, cli_help_report_input};
    const cli_table tables[] = {{report_opts, &args}, {cli_pair_opts, &pair},
                                {cli_input_opts, &in}, {cli_help_opts, &help}, {NULL, NULL}};
    wdg_error err = {0};
    wdg_buf md = WDG_BUF_INIT, json = WDG_BUF_INIT;
    int rc = cli_parse(argc, argv, tables, trace_path, &args, &err);
    if (rc != 0)
        goto done;
    if (args.brief && args.full) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "--brief and --full: choose one");
        goto done;
    }
    if (args.npaths != 2) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           "report needs two traces: wedge report REF CAND");
        goto done;
    }
    const char *json_path = args.json_path, *dot_path = args.dot_path;
    if ((rc = cli_pair_open(&pair, &in, args.paths, &err)) < 0)
        goto done;
    const wdg_report *rep = &pair.rep;
    uint64_t t0 = wdg_now_ns();
    int json_to_stdout = json_path && strcmp(json_path, "-") == 0;
    /* each document only where it goes (report.json can take seconds) */
    if (!json_to_stdout || args.out_dir)
        wdg_report_markdown(rep, &md);
    if (json_path || args.out_dir)
        wdg_report_json(rep, &json);
    cli_stage("o.md_json", wdg_now_ns() - t0);
    if (md.oom || json.oom) {
        rc = wdg_error_set(&err, WDG_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    outset files = {0};
    if ((rc = write_files(&files, rep, &args, &md, &json, &err)) < 0)
        goto done;
    if (dot_path && strcmp(dot_path, "-") == 0) {
        wdg_buf dot = WDG_BUF_INIT;
        wdg_report_dot(rep, &dot);
        rc = cli_write_stdout(&dot, &err);
        wdg_buf_free(&dot);
        if (rc < 0)
            goto done;
    }
    /* scripts read the Markdown from a pipe: the terminal's form only on
     * a terminal or when asked for */
    int tty = isatty(STDOUT_FILENO);
    if (!json_to_stdout && (tty || args.brief || args.full))
        rc = term_report(rep, &args, tty, &err);
    else
        rc = cli_write_stdout(json_to_stdout ? &json : &md, &err);
    cli_stage("outputs", wdg_now_ns() - t0);
done:
    wdg_buf_free(&md);
    wdg_buf_free(&json);
    cli_pair_close(&pair);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
