/* cli.h - the wedge command line (not part of the library). */
#ifndef WEDGE_CLI_H
#define WEDGE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/wedge.h"

/* Option parsing: long options (--name VALUE or --name=VALUE), a few short
 * ones (-o DIR, -h), "-" as a positional (stdin), "--" ends options.
 *
 * Each command declares its options as tables; the options several
 * commands share (input, pair, --help) are tables of their own, declared
 * once in common_opts.c.  An option says where its value goes in the
 * context its table is given. */
typedef enum cli_kind {
    CLI_FLAG,    /* no value: sets the int at off to 1 */
    CLI_STR,     /* a value, kept as given in the const char * at off */
    CLI_LIST,    /* a repeatable value, pushed on the cli_list at off */
    CLI_PARSE,   /* a value, handed to fn */
    CLI_ACTION   /* no value: fn runs and the command ends, done (--help) */
} cli_kind;

/* Takes one option's value (NULL for CLI_ACTION) into ctx: 0 or < 0 with
 * err set.  name is the option's name without "--". */
typedef int (*cli_take_fn)(void *ctx, const char *name, const char *value, wdg_error *err);

typedef struct cli_opt {
    const char *name;     /* without "--"; NULL ends a table */
    char short_name;      /* 0 when none */
    cli_kind kind;
    size_t off;           /* CLI_FLAG, CLI_STR, CLI_LIST: offsetof in ctx */
    cli_take_fn fn;       /* CLI_PARSE, CLI_ACTION */
} cli_opt;

#define CLI_OPT_END {NULL, 0, CLI_FLAG, 0, NULL}

/* A table of options and the context its options write into. */
typedef struct cli_table {
    const cli_opt *opts;  /* NULL ends a list of tables */
    void *ctx;
} cli_table;

enum { CLI_DONE = 1 };

/* Parses argv[1..argc) left to right: options through tables, the other
 * arguments through positional(pos_ctx, NULL, arg, err).  0 when every
 * argument was taken, CLI_DONE when an action ended the command (the
 * command exits 0), < 0 (err set) at the first failure: WDG_EUSAGE for an
 * unknown option, a missing value or a value given to a flag. */
int cli_parse(int argc, char **argv, const cli_table *tables, cli_take_fn positional,
              void *pos_ctx, wdg_error *err);

/* --help: ctx is a cli_help, whose texts are printed to stdout. */
typedef struct cli_help {
    const char *text, *more, *last;   /* more, last: NULL or printed after text, in order */
} cli_help;
extern const cli_opt cli_help_opts[];

/* Repeatable option values. */
typedef struct cli_list {
    const char **items;
    size_t n, cap;
} cli_list;
int cli_list_push(cli_list *l, const char *v);
void cli_list_free(cli_list *l);

/* Progress on stderr when it is a terminal: nothing for a read that ends
 * within a second of cli_progress_start(), then "reading PATH: N% of M MB"
 * (or the bytes read, when the size is unknown) until cli_progress_done()
 * clears the line. */
void cli_progress_start(void);
void cli_progress(void *ud, const char *path, uint64_t done, uint64_t total);
void cli_progress_done(void);
int cli_progress_wanted(void);

/* Prints "wedge: <error>" and returns the exit status for it. */
int cli_fail(const wdg_error *err);
/* Writes what b holds to stdout: WDG_ENOMEM when b ran out of memory
 * (its text is incomplete), WDG_EOUTPUT when stdout fails. */
int cli_write_stdout(const wdg_buf *b, wdg_error *err);
/* waitgraph.svg: dot -Tsvg (or $WEDGE_DOT) on dot into svg, with a
 * timeout.  0: svg holds it; 1: no SVG, a note said why on stderr (never
 * fatal); WDG_ENOMEM with err set. */
int cli_render_svg(const wdg_buf *dot, wdg_buf *svg, wdg_error *err);
/* Warns on stderr of what reading a trace lost: a cut-short end, malformed lines. */
void cli_warn_read(const wdg_trace *t);

int cmd_report(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_record(int argc, char **argv);

extern const char cli_help_main[], cli_help_report[], cli_help_report_analysis[],
    cli_help_report_input[],
    cli_help_stats[], cli_help_simulate[], cli_help_demo[], cli_help_diff[],
    cli_help_record[];

/* wedge report --help: both parts */
void cli_help_report_print(void);

#endif
