/* A host program that runs in a locale whose decimal point is ',' (it
 * calls setlocale(LC_ALL, LOCALE), as a program embedding libwedge may)
 * and writes, through the library, the three JSON files wedge makes:
 * truth.json (wdg_simulate), report.json and stats.json.  tests/e2e/locale.sh
 * checks them with jq.  It also renders report.md, keys.csv and
 * aligned-sequence.csv twice from the same report, in LOCALE and then in
 * the C locale (as NAME.c), for locale.sh to compare byte for byte.
 * Exits 2, saying so, when the locale cannot be had: a test that cannot
 * set the locale must not pass.
 *   locale-json LOCALE DIR
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "wedge/wedge.h"
#include "../../src/sim/sim.h"

static int write_file(const char *dir, const char *name, const wdg_buf *b)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fwrite(b->ptr, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "locale-json: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static int write_aligned(const char *dir, const char *name, const wdg_report *r)
{
    wdg_outfile o = WDG_OUTFILE_INIT;
    wdg_error err = {0};
    if (wdg_outfile_open_in(&o, dir, name, &err) < 0)
        return -1;
    if (wdg_report_aligned_csv(r, &o, &err) < 0) {
        wdg_outfile_abort(&o);
        return -1;
    }
    return wdg_outfile_commit(&o, &err);
}

/* report.md, keys.csv and aligned-sequence.csv, names ending in suffix */
static int write_text(const char *dir, const char *suffix, const wdg_report *r)
{
    char md[64], keys[64], aligned[64];
    snprintf(md, sizeof md, "report.md%s", suffix);
    snprintf(keys, sizeof keys, "keys.csv%s", suffix);
    snprintf(aligned, sizeof aligned, "aligned-sequence.csv%s", suffix);
    wdg_buf m = WDG_BUF_INIT, k = WDG_BUF_INIT;
    wdg_report_markdown(r, &m);
    wdg_report_keys_csv(r, &k);
    int rc = m.oom || k.oom || write_file(dir, md, &m) < 0 || write_file(dir, keys, &k) < 0 ||
             write_aligned(dir, aligned, r) < 0;
    wdg_buf_free(&m);
    wdg_buf_free(&k);
    return rc ? -1 : 0;
}

static int fail(const wdg_error *err)
{
    fprintf(stderr, "locale-json: %s%s%s\n", err->file, err->file[0] ? ": " : "", err->msg);
    return 1;
}

/* The library's own decimals, read in this ',' locale: a scenario file's
 * seconds and slowdown, a fault's factor ("1.5", never "1,5") and the
 * exported option parsers' shares and durations must be read, not refused.
 * Runs the simulator into DIR/decimals. */
static int decimals(const char *dir)
{
    char path[4200], out[4200];
    snprintf(path, sizeof path, "%s/decimals.scenario", dir);
    snprintf(out, sizeof out, "%s/decimals", dir);
    FILE *f = fopen(path, "w");
    if (!f || fputs("scenario healthy\nseconds 1.5\nslowdown 2.5\n"
                    "fault slow:main:request_cache:1.5\n", f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "locale-json: cannot write %s\n", path);
        return 1;
    }
    static const char *const faults[] = {"slow-init:1.5"};
    wdg_error err = {0};
    wdg_sim_opts so = WDG_SIM_OPTS_INIT;
    so.scenario = path;
    so.faults = faults;
    so.n_faults = 1;
    wdg_sim_result res;
    if (wdg_simulate(out, &so, &res, &err) < 0)
        return fail(&err);
    /* the option parsers the library exports */
    wdg_diagnosis_opts d = WDG_DIAGNOSIS_OPTS_INIT;
    if (wdg_parse_max_malformed(&d, "2.5%", &err) < 0 || wdg_parse_silence(&d, "2.5%", &err) < 0 ||
        wdg_parse_ended_at(&d, "ref=1.5s", &err) < 0)
        return fail(&err);
    if (d.max_malformed != 0.025 || d.silence_fraction != 0.025 || d.ref_end != 1500000000) {
        fprintf(stderr, "locale-json: 2.5%%, 2.5%% and 1.5s read as %g, %g and %lld\n",
                d.max_malformed, d.silence_fraction, (long long)d.ref_end);
        return 1;
    }
    if (wdg_parse_silence(&d, "0.5s", &err) < 0)
        return fail(&err);
    if (d.silence_is_fraction || d.silence != 500000000) {
        fprintf(stderr, "locale-json: --silence 0.5s read as %lld ns\n", (long long)d.silence);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: locale-json LOCALE DIR\n");
        return 64;
    }
    if (!setlocale(LC_ALL, argv[1]) || strcmp(localeconv()->decimal_point, ",") != 0) {
        fprintf(stderr, "locale-json: locale %s is not installed or has no ',' decimal point "
                        "(scripts/install-deps.sh generates de_DE.UTF-8)\n", argv[1]);
        return 2;
    }
    wdg_error err = {0};
    wdg_sim_opts so = WDG_SIM_OPTS_INIT;
    so.scenario = "two-faults";
    so.seconds = 2;
    so.slowdown = 3;   /* boot skew: the truth's and the report's ratios */
    wdg_sim_result res;
    if (wdg_simulate(argv[2], &so, &res, &err) < 0)
        return fail(&err);
    wdg_ops *ops = NULL;
    wdg_trace *t[2] = {NULL, NULL};
    const char *paths[2] = {res.ref_path, res.cand_path};
    wdg_read_opts ro = {NULL, 0, NULL, NULL, 0, 0, 0};
    if (wdg_ops_new(&ops, &err) < 0 || wdg_load_traces(t, paths, 2, ops, &ro, NULL, 0, &err) < 0) {
        wdg_ops_free(ops);
        return fail(&err);
    }
    wdg_report r;
    wdg_report_opts opts = WDG_REPORT_OPTS_INIT;
    int rc = 1;
    if (wdg_report_build(&r, t[0], t[1], NULL, &opts, &err) < 0) {
        fail(&err);
    } else {
        wdg_buf report = WDG_BUF_INIT, stats = WDG_BUF_INIT;
        wdg_report_json(&r, &report);
        wdg_stats_json(t[1], &stats);
        rc = report.oom || stats.oom || write_file(argv[2], "report.json", &report) < 0 ||
             write_file(argv[2], "stats.json", &stats) < 0 || write_text(argv[2], "", &r) < 0;
        /* the same renderings in the C locale, to compare with */
        if (!rc && (!setlocale(LC_ALL, "C") || write_text(argv[2], ".c", &r) < 0))
            rc = 1;
        wdg_buf_free(&report);
        wdg_buf_free(&stats);
        wdg_report_free(&r);
    }
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_ops_free(ops);
    return rc ? rc : decimals(argv[2]);
}
