/* wedge simulate: scenario -> two engine runs -> ref trace, cand.jsonl,
 * truth.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../formats/formats.h"
#include "sim_internal.h"
#include "sim_truth.h"
#include "wedge/buf.h"
#include "wedge/utf8.h"

/* DIR/NAME into one of wdg_sim_result's paths; a path that does not fit
 * is an error, never cut short. */
static int result_path(char *out, size_t cap, const char *dir, const char *name,
                       wdg_error *err)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap)
        return wdg_error_set(err, WDG_EOUTPUT, dir, 0, "cannot write %s: %s", name,
                             strerror(ENAMETOOLONG));
    return 0;
}

typedef struct setup {
    char name[256];
    faults f;
    uint64_t seed;
    double seconds;
    char ref_format[16];
    uint64_t events;
} setup;

static int add_faults(setup *s, const program *p, const char *list, wdg_error *err)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *spec = strtok_r(buf, ";", &save); spec;
         spec = strtok_r(NULL, ";", &save))
        if (*spec && sim_parse_fault(&s->f, p, spec, err) < 0)
            return WDG_EUSAGE;
    return 0;
}

static const wdg_sim_scenario *builtin(const char *name)
{
    for (const wdg_sim_scenario *sc = wdg_sim_scenarios(); sc->name; sc++)
        if (strcmp(sc->name, name) == 0)
            return sc;
    return NULL;
}

/* A scenario file: "scenario NAME", "fault SPEC", "seed N", "seconds S",
 * "ref-format F", "events N" lines; '#' starts a comment. */
static int read_scenario_file(setup *s, const program *p, const char *path, wdg_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "'%s' is neither a built-in scenario nor a readable file "
                             "(wedge simulate --list names the scenarios)", path);
    char line[1024];
    unsigned long n = 0;
    int rc = 0;
    wdg_utf8_snprintf(s->name, sizeof s->name, "%s", path);   /* truth.json names it */
    while (rc == 0 && fgets(line, sizeof line, f)) {
        n++;
        line[strcspn(line, "#\r\n")] = 0;
        char key[32], val[900];
        if (sscanf(line, " %31s %899s", key, val) < 2) {
            if (sscanf(line, " %31s", key) == 1)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "'%s' needs a value", key);
            continue;
        }
        char *end;
        if (strcmp(key, "scenario") == 0) {
            const wdg_sim_scenario *sc = builtin(val);
            if (!sc)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "no built-in scenario '%s'", val);
            else
                rc = add_faults(s, p, sc->faults, err);
        } else if (strcmp(key, "fault") == 0) {
            rc = add_faults(s, p, val, err);
        } else if (strcmp(key, "seed") == 0) {
            s->seed = strtoull(val, &end, 10);
            if (*end)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "seed takes a number");
        } else if (strcmp(key, "seconds") == 0) {
            s->seconds = strtod(val, &end);
            if (*end || !(s->seconds > 0))
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "seconds takes a positive number");
        } else if (strcmp(key, "events") == 0) {
            s->events = strtoull(val, &end, 10);
            if (*end)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "events takes a number");
        } else if (strcmp(key, "ref-format") == 0) {
            snprintf(s->ref_format, sizeof s->ref_format, "%.15s", val);
        } else {
            rc = wdg_error_set(err, WDG_EUSAGE, path, n, "unknown setting '%s'", key);
        }
    }
    fclose(f);
    return rc;
}

/* b into DIR/NAME under its temporary name, to be committed with the rest */
static int put_in(wdg_outfile *f, const char *dir, const char *name, const wdg_buf *b,
                  wdg_error *err)
{
    if (b->oom)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    int rc = wdg_outfile_open_in(f, dir, name, err);
    return rc < 0 ? rc : wdg_outfile_write(f, b->ptr ? b->ptr : "", b->len, err);
}

/* DIR/symbols.txt: the guest functions of the simulated title, so that a
 * report names call sites as an engineer's symbol file would. */
static int write_symbols(wdg_outfile *out, const char *dir, const program *p, wdg_error *err)
{
    wdg_buf f = WDG_BUF_INIT;
    wdg_buf_printf(&f, "# guest functions of the simulated title: ADDRESS NAME SIZE\n");
    for (int t = 0; t < p->ntmpls; t++) {
        /* each thread's code spans from its entry to past its last call site */
        uint32_t end = p->tmpls[t].entry_pc;
        for (int s = 0; s < p->tmpls[t].nsteps; s++) {
            uint32_t lr = p->tmpls[t].steps[s].lr;
            /* call sites far away sit in shared helpers, named below */
            if (lr > end && lr - p->tmpls[t].entry_pc < 0x10000)
                end = lr;
        }
        wdg_buf_printf(&f, "%08X %s_thread 0x%X\n", p->tmpls[t].entry_pc, p->tmpls[t].family,
                       end + 0x10 - p->tmpls[t].entry_pc);
    }
    /* shared helpers called from several threads */
    wdg_buf_puts(&f, "824AB158 NtReleaseSemaphoreWrapper 0x20\n824AAF50 KeSetEventWrapper 0x100\n"
                     "824D2200 AudioDispatch 0xA0\n");
    int rc = put_in(out, dir, "symbols.txt", &f, err);
    wdg_buf_free(&f);
    return rc;
}

int wdg_simulate(const char *dir, const wdg_sim_opts *opts, wdg_sim_result *res,
                 wdg_error *err)
{
    static const wdg_sim_opts defaults = WDG_SIM_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    const program *p = sim_program();
    setup s;
    memset(&s, 0, sizeof s);
    s.f.skip_tmpl = -1;
    s.f.slow_init = 1;
    s.seed = 1;
    s.seconds = 10;
    snprintf(s.ref_format, sizeof s.ref_format, "jsonl");
    const char *scenario = opts->scenario ? opts->scenario : "healthy";
    const wdg_sim_scenario *sc = builtin(scenario);
    int rc;
    if (sc) {
        snprintf(s.name, sizeof s.name, "%s", sc->name);
        if ((rc = add_faults(&s, p, sc->faults, err)) < 0)
            return rc;
    } else if ((rc = read_scenario_file(&s, p, scenario, err)) < 0) {
        return rc;
    }
    /* what the command line gives wins over the scenario file */
    if (opts->seed)
        s.seed = opts->seed;
    if (opts->seconds > 0)
        s.seconds = opts->seconds;
    if (opts->events)
        s.events = opts->events;
    if (opts->ref_format)
        snprintf(s.ref_format, sizeof s.ref_format, "%s", opts->ref_format);
    for (size_t i = 0; i < opts->n_faults; i++)
        if ((rc = sim_parse_fault(&s.f, p, opts->faults[i], err)) < 0)
            return rc;
    sim_format fmt;
    const char *ref_file;
    if (strcmp(s.ref_format, "jsonl") == 0)
        fmt = FMT_SIM_JSONL, ref_file = "ref.jsonl";
    else if (strcmp(s.ref_format, "xenia-kv") == 0)
        fmt = FMT_SIM_XENIA_KV, ref_file = "ref.log";
    else if (strcmp(s.ref_format, "xenia-log") == 0)
        fmt = FMT_SIM_XENIA_LOG, ref_file = "ref.log";
    else if (strcmp(s.ref_format, "xenia-debug") == 0)
        fmt = FMT_SIM_XENIA_DEBUG, ref_file = "ref.log";
    else
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--ref-format takes jsonl, xenia-kv, xenia-log or xenia-debug: '%s'",
                             s.ref_format);
    if (!(s.seconds > 0) || s.seconds > 1e6)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--seconds takes a number from 0 to 1e6");
    wdg_sim_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if ((rc = result_path(res->ref_path, sizeof res->ref_path, dir, ref_file, err)) < 0 ||
        (rc = result_path(res->cand_path, sizeof res->cand_path, dir, "cand.jsonl", err)) < 0 ||
        (rc = result_path(res->truth_path, sizeof res->truth_path, dir, "truth.json", err)) < 0 ||
        (rc = wdg_mkdir_p(dir, err)) < 0)
        return rc;

    sim_run runs[2];
    memset(runs, 0, sizeof runs);
    sim_writer w[2];
    wdg_outfile more[2] = {WDG_OUTFILE_INIT, WDG_OUTFILE_INIT};   /* symbols.txt, truth.json */
    int opened = 0;
    wdg_buf truth = WDG_BUF_INIT;
    const char *names[2] = {ref_file, "cand.jsonl"};
    for (int e = 0; e < 2; e++) {
        if ((rc = sim_writer_open(&w[e], dir, names[e], e ? FMT_SIM_JSONL : fmt,
                                  e ? "candidate (wedge simulate)" : "reference (wedge simulate)",
                                  err)) < 0)
            goto done;
        opened = e + 1;
        sim_run *r = &runs[e];
        r->cand = e;
        r->prog = p;
        r->f = &s.f;
        r->seed = s.seed;
        r->emit = sim_writer_emit;
        r->emit_ud = &w[e];
        if (s.events) {
            /* the reference runs until it wrote that many events, the
             * candidate for the same guest time */
            r->end_t = e ? runs[0].last_t : INT64_MAX;
            r->max_events = e ? 0 : s.events;
        } else {
            r->end_t = (int64_t)(s.seconds * 1e9);
        }
        if ((rc = sim_run_engine(r, err)) < 0)
            goto done;
    }
    if ((rc = write_symbols(&more[0], dir, p, err)) < 0)
        goto done;
    sim_truth_in in = {&runs[0], &runs[1], s.name, s.f.specs, s.ref_format, ref_file,
                       "cand.jsonl", s.seed, res->outcome};
    if (sim_truth_json(&truth, &in) < 0) {
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (truth)");
        goto done;
    }
    if ((rc = put_in(&more[1], dir, "truth.json", &truth, err)) < 0)
        goto done;
    /* every file complete before any of them replaces an older one */
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = sim_writer_finish(&w[e], err);
    for (int i = 0; i < 2 && rc == 0; i++)
        rc = wdg_outfile_close(&more[i], err);
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = wdg_outfile_commit(&w[e].f, err);
    for (int i = 0; i < 2 && rc == 0; i++)
        rc = wdg_outfile_commit(&more[i], err);
    res->ref_events = runs[0].events;
    res->cand_events = runs[1].events;
done:
    for (int e = 0; e < opened; e++)
        sim_writer_free(&w[e]);
    wdg_outfile_abort(&more[0]);
    wdg_outfile_abort(&more[1]);
    sim_run_free(&runs[0]);
    sim_run_free(&runs[1]);
    wdg_buf_free(&truth);
    return rc;
}
