/* wedge simulate: scenario -> two engine runs -> ref trace, cand.jsonl,
 * truth.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/numparse.h"
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
    sim_shape shape;
} setup;

/* The shape settings, shared by the scenario file and the options:
 * 0 or a negative WDG_E* code (message without file and line). */
static int set_slowdown(setup *s, const char *v, wdg_error *err)
{
    double k;
    if (wdg_parse_decimal(v, strlen(v), &k) < 0 || !(k >= 1) || k > 1000)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "slowdown takes a factor from 1 to 1000: '%s'", v);
    s->shape.slowdown = k;
    return 0;
}

static int set_clock_offset(setup *s, const char *v, wdg_error *err)
{
    char *end;
    errno = 0;
    long long ns = strtoll(v, &end, 10);
    if (errno || end == v || *end || ns < 0 || ns > (long long)4e18)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "clock-offset takes whole nanoseconds from 0: '%s'", v);
    s->shape.clock_offset = ns;
    return 0;
}

static int set_cand_clock(setup *s, const char *v, wdg_error *err)
{
    if (strcmp(v, "t") != 0 && strcmp(v, "cycle") != 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "cand-clock takes t or cycle: '%s'", v);
    s->shape.cand_cycle = strcmp(v, "cycle") == 0;
    return 0;
}

static int set_flag(int *out, const char *name, const char *v, wdg_error *err)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "no") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
        *out = 0;
    else
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "%s takes yes or no: '%s'", name, v);
    return 0;
}

enum { MAX_HELPERS = 16 };

static int set_ref_helpers(setup *s, const char *v, wdg_error *err)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < 0 || n > MAX_HELPERS)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "ref-helpers takes 0 to %d: '%s'",
                             MAX_HELPERS, v);
    s->shape.ref_helpers = (int)n;
    return 0;
}

static int set_program(setup *s, const char *v, wdg_error *err)
{
    if (strcmp(v, "game") != 0 && strcmp(v, "investigation") != 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "program takes game or investigation: '%s'", v);
    s->shape.v.investigation = strcmp(v, "investigation") == 0;
    return 0;
}

static int set_cand_format(setup *s, const char *v, wdg_error *err)
{
    if (strcmp(v, "jsonl") != 0 && strcmp(v, "probe") != 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "cand-format takes jsonl or probe: '%s'",
                             v);
    s->shape.cand_probe = strcmp(v, "probe") == 0;
    return 0;
}

/* A shape setting of a scenario file: 1 when key names none */
static int shape_setting(setup *s, const char *key, const char *val, wdg_error *err)
{
    if (strcmp(key, "program") == 0)
        return set_program(s, val, err);
    if (strcmp(key, "cand-format") == 0)
        return set_cand_format(s, val, err);
    if (strcmp(key, "waitany-workers") == 0)
        return set_flag(&s->shape.v.waitany_workers, key, val, err);
    if (strcmp(key, "condvar") == 0)
        return set_flag(&s->shape.v.condvar, key, val, err);
    if (strcmp(key, "pulse") == 0)
        return set_flag(&s->shape.v.pulse, key, val, err);
    if (strcmp(key, "wrappers") == 0)
        return set_flag(&s->shape.v.wrappers, key, val, err);
    if (strcmp(key, "slowdown") == 0)
        return set_slowdown(s, val, err);
    if (strcmp(key, "clock-offset") == 0)
        return set_clock_offset(s, val, err);
    if (strcmp(key, "cand-clock") == 0)
        return set_cand_clock(s, val, err);
    if (strcmp(key, "killed-at-hang") == 0)
        return set_flag(&s->shape.killed_at_hang, key, val, err);
    if (strcmp(key, "end-marker") == 0)
        return set_flag(&s->shape.end_marker, key, val, err);
    if (strcmp(key, "ref-helpers") == 0)
        return set_ref_helpers(s, val, err);
    return 1;
}

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

/* a built-in scenario's faults and settings ("KEY VALUE;...") */
static int add_builtin(setup *s, const program *p, const wdg_sim_scenario *sc, wdg_error *err)
{
    int rc = add_faults(s, p, sc->faults, err);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", sc->settings ? sc->settings : "");
    for (char *save = NULL, *kv = strtok_r(buf, ";", &save); rc == 0 && kv;
         kv = strtok_r(NULL, ";", &save)) {
        char *sp = strchr(kv, ' ');
        if (!sp)
            continue;
        *sp = 0;
        rc = shape_setting(s, kv, sp + 1, err);
    }
    return rc < 0 ? rc : 0;
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
                rc = add_builtin(s, p, sc, err);
        } else if (strcmp(key, "fault") == 0) {
            rc = add_faults(s, p, val, err);
        } else if (strcmp(key, "seed") == 0) {
            s->seed = strtoull(val, &end, 10);
            if (*end)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "seed takes a number");
        } else if (strcmp(key, "seconds") == 0) {
            if (wdg_parse_decimal(val, strlen(val), &s->seconds) < 0 || !(s->seconds > 0))
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "seconds takes a positive number");
        } else if (strcmp(key, "events") == 0) {
            s->events = strtoull(val, &end, 10);
            if (*end)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "events takes a number");
        } else if (strcmp(key, "ref-format") == 0) {
            snprintf(s->ref_format, sizeof s->ref_format, "%.15s", val);
        } else {
            rc = shape_setting(s, key, val, err);
            if (rc == 1)
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "unknown setting '%s'", key);
            else if (rc < 0 && err) {   /* the same message, now with file and line */
                char msg[sizeof err->msg];
                memcpy(msg, err->msg, sizeof msg);
                rc = wdg_error_set(err, WDG_EUSAGE, path, n, "%s", msg);
            }
        }
    }
    fclose(f);
    return rc;
}

/* The options' shape settings win over the scenario file's. */
static int shape_options(setup *s, const wdg_sim_opts *o, wdg_error *err)
{
    if (o->slowdown != 0) {
        if (!(o->slowdown >= 1) || o->slowdown > 1000)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--slowdown takes a factor from 1 to 1000");
        s->shape.slowdown = o->slowdown;
    }
    if (o->has_clock_offset) {
        if (o->clock_offset < 0 || o->clock_offset > (int64_t)4e18)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--clock-offset takes whole nanoseconds from 0");
        s->shape.clock_offset = o->clock_offset;
    }
    int rc;
    if (o->cand_clock && (rc = set_cand_clock(s, o->cand_clock, err)) < 0)
        return rc;
    if (o->killed_at_hang)
        s->shape.killed_at_hang = 1;
    if (o->end_marker)
        s->shape.end_marker = 1;
    if (o->ref_helpers) {
        if (o->ref_helpers < 0 || o->ref_helpers > MAX_HELPERS)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--ref-helpers takes 0 to %d",
                                 MAX_HELPERS);
        s->shape.ref_helpers = o->ref_helpers;
    }
    if (o->cand_format && (rc = set_cand_format(s, o->cand_format, err)) < 0)
        return rc;
    s->shape.v.waitany_workers |= o->waitany_workers;
    s->shape.v.condvar |= o->condvar;
    s->shape.v.pulse |= o->pulse;
    s->shape.v.wrappers |= o->wrappers;
    /* a trace.end line has a t, which would make a cycle-clocked trace timed */
    if (s->shape.end_marker && (s->shape.cand_cycle || s->shape.cand_probe))
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--end-marker needs a timed candidate (not --cand-clock cycle "
                             "or --cand-format probe)");
    return 0;
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

/* whether some step of p spawns template t */
static int spawned(const program *p, int t)
{
    for (int u = 0; u < p->ntmpls; u++)
        for (int k = 0; k < p->tmpls[u].nsteps; k++)
            if (p->tmpls[u].steps[k].kind == ST_SPAWN && p->tmpls[u].steps[k].tmpl == t)
                return 1;
    return 0;
}

/* DIR/probes.txt: the --probe PC=OP options that resolve an IAT probe's
 * lines (the import table a xenia log carries, for a JSONL reference) */
static int write_probes(wdg_outfile *out, const char *dir, wdg_error *err)
{
    wdg_buf f = WDG_BUF_INIT;
    size_t n;
    const char *const *ops = sim_imports(&n);
    for (size_t i = 0; i < n; i++)
        wdg_buf_printf(&f, "--probe 0x%08X=%s\n", sim_thunk(ops[i]), ops[i]);
    int rc = put_in(out, dir, "probes.txt", &f, err);
    wdg_buf_free(&f);
    return rc;
}

/* DIR/symbols.txt: the guest functions of the simulated title, so that a
 * report names call sites as an engineer's symbol file would. */
static int write_symbols(wdg_outfile *out, const char *dir, const program *p, wdg_error *err)
{
    wdg_buf f = WDG_BUF_INIT;
    wdg_buf_printf(&f, "# guest functions of the simulated title: ADDRESS NAME SIZE\n");
    for (int t = 0; t < p->ntmpls; t++) {
        if (t == p->helper_tmpl || (t > 0 && !spawned(p, t)))
            continue;   /* host code, or no thread of this program */
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
    for (int t = 0; t < p->ntmpls; t++)
        for (int k = 0; k < p->tmpls[t].nsteps; k++)
            if (p->tmpls[t].steps[k].via) {
                wdg_buf_puts(&f, "824AA2F0 NtSetEventWrapper 0x20\n");
                t = p->ntmpls - 1;   /* once */
                break;
            }
    int rc = put_in(out, dir, "symbols.txt", &f, err);
    wdg_buf_free(&f);
    return rc;
}

/* pb: room for two programs (the run's, and the largest one faults are
 * checked against before the variants are known) */
static int simulate(const char *dir, const wdg_sim_opts *opts, wdg_sim_result *res,
                    sim_program_buf *pb, wdg_error *err)
{
    sim_variant all = {1, 1, 1, 1, 1};
    sim_program_build(&pb[1], &all);
    const program *p = &pb[1].p;
    setup s;
    memset(&s, 0, sizeof s);
    s.f.skip_tmpl = -1;
    s.f.silent_tmpl = -1;
    s.f.slow_tmpl = -1;
    s.f.slow_init = 1;
    s.seed = 1;
    s.seconds = 10;
    s.shape.slowdown = 1;
    snprintf(s.ref_format, sizeof s.ref_format, "jsonl");
    const char *scenario = opts->scenario ? opts->scenario : "healthy";
    const wdg_sim_scenario *sc = builtin(scenario);
    int rc;
    if (sc) {
        snprintf(s.name, sizeof s.name, "%s", sc->name);
        if ((rc = add_builtin(&s, p, sc, err)) < 0)
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
    if ((rc = shape_options(&s, opts, err)) < 0)
        return rc;
    sim_program_build(&pb[0], &s.shape.v);
    p = &pb[0].p;
    if ((rc = sim_resolve_faults(&s.f, p, err)) < 0)
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
    /* symbols.txt, truth.json, probes.txt */
    wdg_outfile more[3] = {WDG_OUTFILE_INIT, WDG_OUTFILE_INIT, WDG_OUTFILE_INIT};
    int nmore = s.shape.cand_probe ? 3 : 2;
    int opened = 0;
    wdg_buf truth = WDG_BUF_INIT;
    const char *names[2] = {ref_file, "cand.jsonl"};
    for (int e = 0; e < 2; e++) {
        sim_format cf = s.shape.cand_probe ? FMT_SIM_PROBE : FMT_SIM_JSONL;
        if ((rc = sim_writer_open(&w[e], dir, names[e], e ? cf : fmt,
                                  e ? "candidate (wedge simulate)" : "reference (wedge simulate)",
                                  err)) < 0)
            goto done;
        opened = e + 1;
        if (!e && fmt != FMT_SIM_JSONL && s.shape.cand_probe)
            sim_writer_imports(&w[e]);   /* what resolves the probe's pcs */
        sim_run *r = &runs[e];
        r->cand = e;
        r->prog = p;
        r->f = &s.f;
        r->shape = &s.shape;
        r->seed = s.seed;
        r->emit = sim_writer_emit;
        r->emit_ud = &w[e];
        /* each engine runs as long on its own clock: a slowed candidate
         * gets through 1/K of the guest time */
        double k = e ? s.shape.slowdown : 1;
        if (s.events) {
            /* the reference runs until it wrote that many events, the
             * candidate for the same time on its own clock */
            r->end_t = e ? (int64_t)((double)runs[0].last_t / k) : INT64_MAX;
            r->max_events = e ? 0 : s.events;
        } else {
            r->end_t = (int64_t)(s.seconds * 1e9 / k);
        }
        if ((rc = sim_run_engine(r, err)) < 0)
            goto done;
    }
    /* killed 5 s after a total hang, or by the timeout */
    int64_t killed_at = sim_written_t(&runs[1], runs[1].end_t);
    if (s.shape.killed_at_hang && runs[1].total_hang)
        killed_at = runs[1].hang_t + 5000000000;
    if (s.shape.end_marker)
        sim_writer_end_marker(&w[1], killed_at);
    if ((rc = write_symbols(&more[0], dir, p, err)) < 0 ||
        (nmore == 3 && (rc = write_probes(&more[2], dir, err)) < 0))
        goto done;
    sim_truth_in in = {&runs[0], &runs[1], s.name, s.f.specs, s.ref_format, ref_file,
                       "cand.jsonl", s.seed, res->outcome, &s.shape, fmt, killed_at};
    if (sim_truth_json(&truth, &in) < 0) {
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (truth)");
        goto done;
    }
    if ((rc = put_in(&more[1], dir, "truth.json", &truth, err)) < 0)
        goto done;
    /* every file complete before any of them replaces an older one */
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = sim_writer_finish(&w[e], err);
    for (int i = 0; i < nmore && rc == 0; i++)
        rc = wdg_outfile_close(&more[i], err);
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = wdg_outfile_commit(&w[e].f, err);
    for (int i = 0; i < nmore && rc == 0; i++)
        rc = wdg_outfile_commit(&more[i], err);
    res->ref_events = runs[0].events;
    res->cand_events = runs[1].events;
done:
    for (int e = 0; e < opened; e++)
        sim_writer_free(&w[e]);
    for (int i = 0; i < 3; i++)
        wdg_outfile_abort(&more[i]);
    sim_run_free(&runs[0]);
    sim_run_free(&runs[1]);
    wdg_buf_free(&truth);
    return rc;
}

int wdg_simulate(const char *dir, const wdg_sim_opts *opts, wdg_sim_result *res,
                 wdg_error *err)
{
    static const wdg_sim_opts defaults = WDG_SIM_OPTS_INIT;
    sim_program_buf *pb = malloc(2 * sizeof *pb);
    if (!pb)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    int rc = simulate(dir, opts ? opts : &defaults, res, pb, err);
    free(pb);
    return rc;
}
