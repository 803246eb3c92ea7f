/* wedge simulate [SCENARIO|FILE] -o DIR ...  and  wedge demo */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const cli_opt sim_opts[] = {
    {"output", 'o', 1}, {"seed", 0, 1}, {"seconds", 0, 1}, {"ref-format", 0, 1},
    {"events", 0, 1}, {"fault", 0, 1}, {"list", 0, 0}, {"quiet", 'q', 0}, {"help", 'h', 0},
    {"slowdown", 0, 1}, {"clock-offset", 0, 1}, {"cand-clock", 0, 1}, {"killed-at-hang", 0, 0},
    {"end-marker", 0, 0}, {"ref-helpers", 0, 1}, {"cand-format", 0, 1},
    {"waitany-workers", 0, 0}, {"condvar", 0, 0}, {"pulse", 0, 0}, {"wrappers", 0, 0},
    {NULL, 0, 0}};

static int number(const char *name, const char *v, double max, double *out, wdg_error *err)
{
    char *end;
    errno = 0;
    *out = strtod(v, &end);
    if (errno || end == v || *end || !(*out > 0) || *out > max)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--%s takes a positive number: '%s'",
                             name, v);
    return 0;
}

static void list_scenarios(void)
{
    for (const wdg_sim_scenario *s = wdg_sim_scenarios(); s->name; s++)
        printf("%-22s %s\n%-22s   faults: %s\n", s->name, s->about, "",
               s->faults[0] ? s->faults : "none");
}

int cmd_simulate(int argc, char **argv)
{
    cli_iter it = {argc, argv, 1, 0};
    cli_list faults = {0};
    wdg_sim_opts so = WDG_SIM_OPTS_INIT;
    const char *dir = NULL;
    int quiet = 0, rc = 0;
    wdg_error err = {0};
    for (;;) {
        const char *name, *value;
        int kind = cli_next(&it, sim_opts, &name, &value, &err);
        if (kind < 0) {
            rc = kind;
            goto done;
        }
        if (kind == CLI_END)
            break;
        double d;
        if (kind == CLI_POSITIONAL) {
            if (so.scenario) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "simulate takes one scenario");
                goto done;
            }
            so.scenario = value;
        } else if (strcmp(name, "help") == 0) {
            fputs(cli_help_simulate, stdout);
            goto done;
        } else if (strcmp(name, "list") == 0) {
            list_scenarios();
            goto done;
        } else if (strcmp(name, "output") == 0) {
            dir = value;
        } else if (strcmp(name, "quiet") == 0) {
            quiet = 1;
        } else if (strcmp(name, "ref-format") == 0) {
            so.ref_format = value;
        } else if (strcmp(name, "fault") == 0) {
            if (cli_list_push(&faults, value) < 0) {
                rc = wdg_error_set(&err, WDG_ENOMEM, NULL, 0, "out of memory");
                goto done;
            }
        } else if (strcmp(name, "seed") == 0) {
            char *end;
            errno = 0;
            so.seed = strtoull(value, &end, 10);
            if (errno || end == value || *end || so.seed == 0) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                                   "--seed takes a whole number from 1: '%s'", value);
                goto done;
            }
        } else if (strcmp(name, "seconds") == 0) {
            if ((rc = number(name, value, 1e6, &so.seconds, &err)) < 0)
                goto done;
        } else if (strcmp(name, "slowdown") == 0) {
            if ((rc = number(name, value, 1000, &so.slowdown, &err)) < 0)
                goto done;
            if (so.slowdown < 1) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                                   "--slowdown takes a factor from 1 to 1000: '%s'", value);
                goto done;
            }
        } else if (strcmp(name, "clock-offset") == 0) {
            char *end;
            errno = 0;
            long long ns = strtoll(value, &end, 10);
            if (errno || end == value || *end || ns < 0 || ns > (long long)4e18) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                                   "--clock-offset takes whole nanoseconds from 0: '%s'", value);
                goto done;
            }
            so.clock_offset = ns;
            so.has_clock_offset = 1;
        } else if (strcmp(name, "cand-clock") == 0) {
            so.cand_clock = value;
        } else if (strcmp(name, "cand-format") == 0) {
            so.cand_format = value;
        } else if (strcmp(name, "waitany-workers") == 0) {
            so.waitany_workers = 1;
        } else if (strcmp(name, "condvar") == 0) {
            so.condvar = 1;
        } else if (strcmp(name, "pulse") == 0) {
            so.pulse = 1;
        } else if (strcmp(name, "wrappers") == 0) {
            so.wrappers = 1;
        } else if (strcmp(name, "killed-at-hang") == 0) {
            so.killed_at_hang = 1;
        } else if (strcmp(name, "end-marker") == 0) {
            so.end_marker = 1;
        } else if (strcmp(name, "ref-helpers") == 0) {
            char *end;
            long n = strtol(value, &end, 10);
            if (end == value || *end || n < 1 || n > 16) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                                   "--ref-helpers takes 1 to 16: '%s'", value);
                goto done;
            }
            so.ref_helpers = (int)n;
        } else if (strcmp(name, "events") == 0) {
            if ((rc = number(name, value, 1e10, &d, &err)) < 0)
                goto done;
            so.events = (uint64_t)d;
        }
    }
    if (!dir) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "simulate needs -o DIR");
        goto done;
    }
    so.faults = faults.items;
    so.n_faults = faults.n;
    wdg_sim_result res;
    if ((rc = wdg_simulate(dir, &so, &res, &err)) < 0)
        goto done;
    if (!quiet)
        printf("%s: %llu events\n%s: %llu events\n%s: outcome %s\n", res.ref_path,
               (unsigned long long)res.ref_events, res.cand_path,
               (unsigned long long)res.cand_events, res.truth_path, res.outcome);
done:
    cli_list_free(&faults);
    return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_demo(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            fputs(cli_help_demo, stdout);
            return 0;
        }
        fprintf(stderr, "wedge: demo takes no arguments\nTry 'wedge --help'.\n");
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
                     "--ref-name", "reference", "--cand-name", "candidate", "-o", outdir, NULL};
    return cmd_report(11, rargv);
}
