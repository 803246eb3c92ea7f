/* cli.h - the wedge command line (not part of the library). */
#ifndef WEDGE_CLI_H
#define WEDGE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/wedge.h"

/* Option parsing: long options (--name VALUE or --name=VALUE), a few short
 * ones (-o DIR, -h), "-" as a positional (stdin), "--" ends options. */
typedef struct cli_opt {
    const char *name;     /* without "--" */
    char short_name;      /* 0 when none */
    int takes_value;
} cli_opt;

typedef struct cli_iter {
    int argc;
    char **argv;
    int i;
    int positional_only;
} cli_iter;

enum { CLI_END = 0, CLI_POSITIONAL = 1, CLI_OPTION = 2 };

/* Next item; for options *name is the spec's name.  WDG_EUSAGE for an
 * unknown option or a missing value. */
int cli_next(cli_iter *it, const cli_opt *opts, const char **name, const char **value,
             wdg_error *err);

/* Repeatable option values. */
typedef struct cli_list {
    const char **items;
    size_t n, cap;
} cli_list;
int cli_list_push(cli_list *l, const char *v);
void cli_list_free(cli_list *l);

/* Progress on stderr when it is a terminal. */
void cli_progress(void *ud, const char *path, uint64_t done, uint64_t total);
void cli_progress_done(void);
int cli_progress_wanted(void);

/* Prints "wedge: <error>" and returns the exit status for it. */
int cli_fail(const wdg_error *err);
/* Writes what b holds to stdout: WDG_ENOMEM when b ran out of memory
 * (its text is incomplete), WDG_EOUTPUT when stdout fails. */
int cli_write_stdout(const wdg_buf *b, wdg_error *err);
/* Warns on stderr of what reading a trace lost: a cut-short end, malformed lines. */
void cli_warn_read(const wdg_trace *t);

int cmd_report(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_diff(int argc, char **argv);

extern const char cli_help_main[], cli_help_report[], cli_help_report_input[],
    cli_help_stats[], cli_help_simulate[], cli_help_demo[], cli_help_diff[];

/* wedge report --help: both parts */
void cli_help_report_print(void);

#endif
