/* wedge simulate [SCENARIO|FILE] -o DIR ...  and  wedge demo */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/numparse.h"
#include "cli.h"
#include "../sim/sim.h"

/* What the command line asks of simulate. */
typedef struct sim_args {
    wdg_sim_opts so;
    const char *dir;
    int quiet;
    cli_list faults;
} sim_args;

static int number(const char *name, const char *v, double max, double *out, wdg_error *err)
{
    /* locale-free, unlike strtod */
    if (wdg_parse_decimal(v, strlen(v), out) < 0 || !(*out > 0) || *out > max)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--%s takes a positive number: '%s'",
                             name, v);
    return 0;
}

static int seed(void *ctx, const char *name, const char *value, wdg_error *err)
{
    sim_args *a = ctx;
    char *end;
    (void)name;
    errno = 0;
    a->so.seed = strtoull(value, &end, 10);
    if (errno || end == value || *end || a->so.seed == 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--seed takes a whole number from 1: '%s'",
                             value);
    return 0;
}

static int seconds(void *ctx, const char *name, const char *value, wdg_error *err)
{
    return number(name, value, 1e6, &((sim_args *)ctx)->so.seconds, err);
}

static int slowdown(void *ctx, const char *name, const char *value, wdg_error *err)
{
    sim_args *a = ctx;
    int rc = number(name, value, 1000, &a->so.slowdown, err);
    if (rc == 0 && a->so.slowdown < 1)
        rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                           "--slowdown takes a factor from 1 to 1000: '%s'", value);
    return rc;
}

static int clock_offset(void *ctx, const char *name, const char *value, wdg_error *err)
{
    sim_args *a = ctx;
    char *end;
    (void)name;
    errno = 0;
    long long ns = strtoll(value, &end, 10);
    if (errno || end == value || *end || ns < 0 || ns > (long long)4e18)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--clock-offset takes whole nanoseconds from 0: '%s'", value);
    a->so.clock_offset = ns;
    a->so.has_clock_offset = 1;
    return 0;
}

static int ref_helpers(void *ctx, const char *name, const char *value, wdg_error *err)
{
    sim_args *a = ctx;
    char *end;
    (void)name;
    long n = strtol(value, &end, 10);
    if (end == value || *end || n < 1 || n > 16)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--ref-helpers takes 1 to 16: '%s'", value);
    a->so.ref_helpers = (int)n;
    return 0;
}

static int events(void *ctx, const char *name, const char *value, wdg_error *err)
{
    double d;
    int rc = number(name, value, 1e10, &d, err);
    if (rc == 0)
        ((sim_args *)ctx)->so.events = (uint64_t)d;
    return rc;
}

static void list_scenarios(void)
{
    for (const wdg_sim_scenario *s = wdg_sim_scenarios(); s->name; s++)
        printf("%-22s %s\n%-22s   faults: %s\n", s->name, s->about, "",
               s->faults[0] ? s->faults : "none");
}

static int list(void *ctx, const char *name, const char *value, wdg_error *err)
{
    (void)ctx, (void)name, (void)value, (void)err;
    list_scenarios();
    return 0;
}

#define SO(field) offsetof(sim_args, so.field)
static const cli_opt sim_opts[] = {
    {"output", 'o', CLI_STR, offsetof(sim_args, dir), NULL},
    {"quiet", 'q', CLI_FLAG, offsetof(sim_args, quiet), NULL},
    {"fault", 0, CLI_LIST, offsetof(sim_args, faults), NULL},
    {"list", 0, CLI_ACTION, 0, list},
    {"seed", 0, CLI_PARSE, 0, seed},
    {"seconds", 0, CLI_PARSE, 0, seconds},
    {"events", 0, CLI_PARSE, 0, events},
    {"slowdown", 0, CLI_PARSE, 0, slowdown},
    {"clock-offset", 0, CLI_PARSE, 0, clock_offset},
    {"ref-helpers", 0, CLI_PARSE, 0, ref_helpers},
    {"ref-format", 0, CLI_STR, SO(ref_format), NULL},
    {"cand-clock", 0, CLI_STR, SO(cand_clock), NULL},
    {"cand-format", 0, CLI_STR, SO(cand_format), NULL},
    {"killed-at-hang", 0, CLI_FLAG, SO(killed_at_hang), NULL},
    {"end-marker", 0, CLI_FLAG, SO(end_marker), NULL},
    {"waitany-workers", 0, CLI_FLAG, SO(waitany_workers), NULL},
    {"condvar", 0, CLI_FLAG, SO(condvar), NULL},
    {"pulse", 0, CLI_FLAG, SO(pulse), NULL},
    {"wrappers", 0, CLI_FLAG, SO(wrappers), NULL},
    CLI_OPT_END};
#undef SO

static int scenario(void *ctx, const char *name, const char *value, wdg_error *err)
{
    sim_args *a = ctx;
    (void)name;
    if (a->so.scenario)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "simulate takes one scenario");
    a->so.scenario = value;
    return 0;
}

int cmd_simulate(int argc, char **argv)
{
    sim_args args = {WDG_SIM_OPTS_INIT, NULL, 0, {0}};
    cli_help help = {cli_help_simulate, NULL, NULL};
    const cli_table tables[] = {{sim_opts, &args}, {cli_help_opts, &help}, {NULL, NULL}};
    wdg_sim_opts *so = &args.so;
    wdg_error err = {0};
    int rc = cli_parse(argc, argv, tables, scenario, &args, &err);
    if (rc != 0)
        goto done;
    if (!args.dir) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "simulate needs -o DIR");
        goto done;
    }
    so->faults = args.faults.items;
    so->n_faults = args.faults.n;
    wdg_sim_result res;
    if ((rc = wdg_simulate(args.dir, so, &res, &err)) < 0)
        goto done;
    if (!args.quiet)
        printf("%s: %llu events\n%s: %llu events\n%s: outcome %s\n", res.ref_path,
               (unsigned long long)res.ref_events, res.cand_path,
               (unsigned long long)res.cand_events, res.truth_path, res.outcome);
done:
    cli_list_free(&args.faults);
    return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_demo(int argc, char **argv)
{
    const char *out = NULL;   /* -o DIR: the report's files there */
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(cli_help_demo, stdout);
        return 0;
    }
    if (argc == 3 && (strcmp(argv[1], "-o") == 0 || strcmp(argv[1], "--output") == 0)) {
        out = argv[2];
    } else if (argc > 1) {
        fprintf(stderr, "wedge: demo takes only -o DIR\nTry 'wedge demo --help'.\n");
        return 64;
    }
    char dir[] = "/tmp/wedge-demo-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("wedge: mkdtemp");
        return 73;
    }
    wdg_sim_opts so = WDG_SIM_OPTS_INIT;
    so.scenario = "two-faults";
    so.seed = 7;
    wdg_sim_result res;
    wdg_error err = {0};
    if (wdg_simulate(dir, &so, &res, &err) < 0)
        return cli_fail(&err);
    printf("wedge demo: simulated the 'two-faults' scenario into %s\n"
           "(a correct reference engine and a candidate with two faults; the truth is in\n"
           "truth.json).  What wedge finds, from the traces alone:\n\n",
           dir);
    fflush(stdout);
    char outdir[64], symbols[64];
    snprintf(outdir, sizeof outdir, "%s/report", dir);
    snprintf(symbols, sizeof symbols, "%s/symbols.txt", dir);
    char *rargv[] = {"report", res.ref_path, res.cand_path, "--symbols", symbols,
                     "--ref-name", "reference", "--cand-name", "candidate", "-o",
                     out ? (char *)out : outdir, NULL};
    return cmd_report(11, rargv);
}
