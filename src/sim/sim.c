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

static int make_dirs(const char *dir, wdg_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1;; p++) {
        if (*p && *p != '/')
            continue;
        char c = *p;
        *p = 0;
        if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
            return wdg_error_set(err, WDG_EOUTPUT, tmp, 0, "cannot create: %s", strerror(errno));
        *p = c;
        if (!c)
            return 0;
    }
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
    snprintf(s->name, sizeof s->name, "%s", path);
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

/* DIR/symbols.txt: the guest functions of the simulated title, so that a
 * report names call sites as an engineer's symbol file would. */
static int write_symbols(const char *dir, const program *p, wdg_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/symbols.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot create: %s", strerror(errno));
    fprintf(f, "# guest functions of the simulated title: ADDRESS NAME SIZE\n");
    for (int t = 0; t < p->ntmpls; t++) {
        /* each thread's code spans from its entry to past its last call site */
        uint32_t end = p->tmpls[t].entry_pc;
        for (int s = 0; s < p->tmpls[t].nsteps; s++) {
            uint32_t lr = p->tmpls[t].steps[s].lr;
            /* call sites far away sit in shared helpers, named below */
            if (lr > end && lr - p->tmpls[t].entry_pc < 0x10000)
                end = lr;
        }
        fprintf(f, "%08X %s_thread 0x%X\n", p->tmpls[t].entry_pc, p->tmpls[t].family,
                end + 0x10 - p->tmpls[t].entry_pc);
    }
    /* shared helpers called from several threads */
    fprintf(f, "824AB158 NtReleaseSemaphoreWrapper 0x20\n824AAF50 KeSetEventWrapper 0x100\n"
               "824D2200 AudioDispatch 0xA0\n");
    if (fclose(f) != 0)
        return wdg_error_set(err, WDG_EOUTPUT, path, 0, "write failed");
    return 0;
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
    else
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--ref-format takes jsonl, xenia-kv or xenia-log: '%s'", s.ref_format);
    if (!(s.seconds > 0) || s.seconds > 1e6)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--seconds takes a number from 0 to 1e6");
    if ((rc = make_dirs(dir, err)) < 0)
        return rc;

    wdg_sim_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    snprintf(res->ref_path, sizeof res->ref_path, "%s/%s", dir, ref_file);
    snprintf(res->cand_path, sizeof res->cand_path, "%s/cand.jsonl", dir);
    snprintf(res->truth_path, sizeof res->truth_path, "%s/truth.json", dir);

    sim_run runs[2];
    memset(runs, 0, sizeof runs);
    sim_writer w[2];
    int opened = 0;
    wdg_buf truth = WDG_BUF_INIT;
    const char *paths[2] = {res->ref_path, res->cand_path};
    for (int e = 0; e < 2; e++) {
        rc = sim_writer_open(&w[e], paths[e], e ? FMT_SIM_JSONL : fmt,
                             e ? "candidate (wedge simulate)" : "reference (wedge simulate)");
        if (rc < 0) {
            rc = rc == WDG_ENOMEM
                     ? wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory")
                     : wdg_error_set(err, WDG_EOUTPUT, paths[e], 0, "cannot create: %s",
                                     strerror(errno));
            goto done;
        }
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
    if ((rc = write_symbols(dir, p, err)) < 0)
        goto done;
    sim_truth_in in = {&runs[0], &runs[1], s.name, s.f.specs, s.ref_format, ref_file,
                       "cand.jsonl", s.seed, res->outcome};
    if (sim_truth_json(&truth, &in) < 0) {
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (truth)");
        goto done;
    }
    FILE *tf = fopen(res->truth_path, "wb");
    if (!tf || fwrite(truth.ptr, 1, truth.len, tf) != truth.len) {
        rc = wdg_error_set(err, WDG_EOUTPUT, res->truth_path, 0, "cannot write");
        if (tf)
            fclose(tf);
        goto done;
    }
    if (fclose(tf) != 0)
        rc = wdg_error_set(err, WDG_EOUTPUT, res->truth_path, 0, "cannot write");
    res->ref_events = runs[0].events;
    res->cand_events = runs[1].events;
done:
    for (int e = 0; e < opened; e++) {
        int wrc = sim_writer_close(&w[e]);
        if (wrc < 0 && rc == 0)
            rc = wrc == WDG_ENOMEM ? wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory")
                                   : wdg_error_set(err, WDG_EOUTPUT, paths[e], 0, "write failed");
    }
    sim_run_free(&runs[0]);
    sim_run_free(&runs[1]);
    wdg_buf_free(&truth);
    return rc;
}
