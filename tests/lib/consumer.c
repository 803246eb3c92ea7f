/* consumer.c - a program outside the tree that uses the installed library:
 * reads a reference and a candidate trace, builds the report and prints
 * the library's version, each trace's event count and the outcome.
 *   consumer REF CAND
 * Built by tests/lib/run.sh with `pkg-config --cflags --libs wedge` only. */
#include <stdio.h>
#include <string.h>

#include <wedge/wedge.h>

int main(int argc, char **argv)
{
    wdg_error err = {0};
    wdg_ops *ops = NULL;
    wdg_trace *t[2] = {NULL, NULL};
    wdg_report r;
    wdg_report_opts ro = WDG_REPORT_OPTS_INIT;
    wdg_read_opts rd = {NULL, 0, NULL, NULL, 0, 0, 0};
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: consumer REF CAND\n");
        return 64;
    }
    printf("version %s (headers %s)\n", wdg_version(), WDG_VERSION_STRING);
    if ((rc = wdg_ops_new(&ops, &err)) < 0 ||
        (rc = wdg_load_traces(t, (const char *const *)argv + 1, 2, ops, &rd, NULL, 0, &err)) < 0) {
        fprintf(stderr, "consumer: %s:%llu: %s\n", err.file, (unsigned long long)err.line, err.msg);
        wdg_ops_free(ops);
        return wdg_exit_status(rc);
    }
    memset(&r, 0, sizeof r);
    rc = wdg_report_build(&r, t[0], t[1], NULL, &ro, &err);
    if (rc == 0) {
        printf("events %zu %zu\n", t[0]->n_events, t[1]->n_events);
        printf("outcome %s\n", wdg_outcome_name(r.diag.outcome));
        wdg_report_free(&r);
    } else {
        fprintf(stderr, "consumer: %s\n", err.msg);
    }
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_ops_free(ops);
    return rc < 0 ? wdg_exit_status(rc) : 0;
}
