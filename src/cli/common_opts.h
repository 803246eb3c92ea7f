/* common_opts.h - options every trace-reading command shares (internal). */
#ifndef WEDGE_COMMON_OPTS_H
#define WEDGE_COMMON_OPTS_H

#include "cli.h"

typedef struct cli_input {
    cli_list line_formats, probes, op_categories, op_kinds, op_signals;
    int strict;
} cli_input;

/* Takes the option if it is one of the input options: 1 when taken, 0
 * when not one of them, < 0 (err set) on failure. */
int cli_input_take(cli_input *in, const char *name, const char *value, wdg_error *err);

/* Loads paths with the input options: ops table, templates, probes. On
 * success the caller frees traces, *ops and *templates. */
int cli_input_load(cli_input *in, const char *const *paths, size_t n, wdg_trace **traces,
                   wdg_ops **ops, wdg_templates **templates, wdg_error *err);

void cli_input_free(cli_input *in);

#define CLI_INPUT_OPTS                                                  \
    {"line-format", 0, 1}, {"probe", 0, 1}, {"op-category", 0, 1},      \
    {"op-kind", 0, 1}, {"op-signal", 0, 1}, {"strict", 0, 0}

/* Two traces compared: what `report` and `diff` share. */
typedef struct cli_pair {
    cli_list symbol_files;
    cli_list wrappers;      /* --wrapper */
    wdg_report_opts ro;
    wdg_trace *traces[2];
    wdg_ops *ops;
    wdg_templates *ts;
    wdg_symbols *symbols;
    wdg_report rep;
    int have_report;
} cli_pair;

#define CLI_PAIR_INIT {{0}, {0}, WDG_REPORT_OPTS_INIT, {NULL, NULL}, NULL, NULL, NULL, {0}, 0}

#define CLI_PAIR_OPTS                                                         \
    {"symbols", 0, 1}, {"tid-map", 0, 1}, {"silence", 0, 1},                  \
    {"boot-window", 0, 1}, {"ref-name", 0, 1}, {"cand-name", 0, 1},          \
    {"span", 0, 1}, {"ended-at", 0, 1}, {"max-malformed", 0, 1},             \
    {"wrapper", 0, 1}, {"key-by", 0, 1}

/* Takes one of CLI_INPUT_OPTS or CLI_PAIR_OPTS: 1 taken, 0 not one of
 * them, < 0 an error (err set). */
int cli_pair_take(cli_pair *p, cli_input *in, const char *name, const char *value,
                  wdg_error *err);
/* Loads symbols and both traces (warning about malformed lines) and builds
 * the report. */
int cli_pair_open(cli_pair *p, cli_input *in, const char *const paths[2], wdg_error *err);
void cli_pair_close(cli_pair *p);

#endif
