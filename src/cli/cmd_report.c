/* wedge report REF CAND */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/numparse.h"
#include "common_opts.h"

/* What the command line asks of report. */
typedef struct report_args {
    const char *paths[2];
    size_t npaths;
    const char *json_path, *out_dir, *dot_path, *timeline_path;
    wdg_timeline_opts tl;      /* --timeline-window, --timeline-cap */
} report_args;

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
    {"timeline-window", 0, CLI_PARSE, 0, timeline_window},
    {"timeline-cap", 0, CLI_PARSE, 0, timeline_cap},
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
    wdg_outfile files[10];     /* --json, --dot, --timeline and the seven of -o DIR */
    size_t n;
} outset;

/* Opens dir/name (or the path name when dir is NULL) in the set. */
static wdg_outfile *outset_open(outset *s, const char *dir, const char *name, wdg_error *err)
{
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
    return f ? wdg_outfile_write(f, b->ptr ? b->ptr : "", b->len, err) : WDG_EOUTPUT;
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

/* timeline.json into the set, what it left out on stderr */
static int put_timeline(outset *s, const char *dir, const char *path, const wdg_report *rep,
                        const wdg_timeline_opts *o, wdg_error *err)
{
    wdg_buf tl = WDG_BUF_INIT, note = WDG_BUF_INIT;
    int rc = wdg_report_timeline(rep, o, &tl, &note, err);
    if (rc == 0)
        rc = outset_put(s, dir, path, &tl, err);
    if (rc == 0 && note.len)
        fprintf(stderr, "wedge: %.*s", (int)note.len, note.ptr);
    wdg_buf_free(&tl);
    wdg_buf_free(&note);
    return rc;
}

static int write_dir(outset *s, const char *dir, const wdg_report *rep, const wdg_buf *md,
                     const wdg_buf *json, const wdg_timeline_opts *tlo, wdg_error *err)
{
    wdg_buf csv = WDG_BUF_INIT;
    int rc = wdg_mkdir_p(dir, err);
    if (rc == 0)
        rc = outset_put(s, dir, "report.md", md, err);
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
    if (rc == 0) {
        wdg_buf_reset(&csv);
        wdg_report_families_dot(rep, &csv);
        rc = outset_put(s, dir, "families.dot", &csv, err);
    }
    if (rc == 0) {
        wdg_outfile *f = outset_open(s, dir, "aligned-sequence.csv", err);
        rc = f ? wdg_report_aligned_csv(rep, f, err) : WDG_EOUTPUT;
    }
    if (rc == 0)
        rc = put_timeline(s, dir, "timeline.json", rep, tlo, err);
    wdg_buf_free(&csv);
    return rc;
}

/* --json FILE, --dot FILE, --timeline FILE and -o DIR, all or none; "-"
 * is stdout, later. */
static int write_files(outset *s, const wdg_report *rep, const report_args *a, const wdg_buf *md,
                       const wdg_buf *json, wdg_error *err)
{
    const char *json_path = a->json_path, *dot_path = a->dot_path, *out_dir = a->out_dir;
    int rc = 0;
    if (a->timeline_path)
        rc = put_timeline(s, NULL, a->timeline_path, rep, &a->tl, err);
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
    if (rc == 0)
        return outset_commit(s, err);
    outset_abort(s);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    cli_input in = {0};
    cli_pair pair = CLI_PAIR_INIT;
    report_args args = {{NULL, NULL}, 0, NULL, NULL, NULL, NULL, WDG_TIMELINE_OPTS_INIT};
    cli_help help = {cli_help_report, cli_help_report_input};
    const cli_table tables[] = {{report_opts, &args}, {cli_pair_opts, &pair},
                                {cli_input_opts, &in}, {cli_help_opts, &help}, {NULL, NULL}};
    wdg_error err = {0};
    wdg_buf md = WDG_BUF_INIT, json = WDG_BUF_INIT;
    int rc = cli_parse(argc, argv, tables, trace_path, &args, &err);
    if (rc != 0)
        goto done;
    if (args.npaths != 2) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           "report needs two traces: wedge report REF CAND");
        goto done;
    }
    const char *json_path = args.json_path, *dot_path = args.dot_path;
    if ((rc = cli_pair_open(&pair, &in, args.paths, &err)) < 0)
        goto done;
    const wdg_report *rep = &pair.rep;
    int json_to_stdout = json_path && strcmp(json_path, "-") == 0;
    /* each document only where it goes (report.json can take seconds) */
    if (!json_to_stdout || args.out_dir)
        wdg_report_markdown(rep, &md);
    if (json_path || args.out_dir)
        wdg_report_json(rep, &json);
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
    rc = cli_write_stdout(json_to_stdout ? &json : &md, &err);
done:
    wdg_buf_free(&md);
    wdg_buf_free(&json);
    cli_pair_close(&pair);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
