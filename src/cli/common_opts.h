/* common_opts.h - options every trace-reading command shares (internal). */
#ifndef WEDGE_COMMON_OPTS_H
#define WEDGE_COMMON_OPTS_H

#include "cli.h"

typedef struct cli_input {
    cli_list line_formats, probes, op_categories, op_kinds, op_signals;
    int strict;
    const char *const *profile;   /* --profile: its op settings, NULL-ended; NULL none */
    size_t fold;                  /* wdg_read_opts.fold: wedge stats */
} cli_input;

/* --line-format, --probe, --op-category, --op-kind, --op-signal,
 * --profile, --strict: a table over a cli_input. */
extern const cli_opt cli_input_opts[];

/* Loads paths with the input options: ops table, templates, probes. On
 * success the caller frees traces, *ops and *templates. */
int cli_input_load(cli_input *in, const char *const *paths, size_t n, wdg_trace **traces,
                   wdg_ops **ops, wdg_templates **templates, wdg_error *err);

void cli_input_free(cli_input *in);

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

/* --symbols, --tid-map, --silence, --boot-window, --ref-name,
 * --cand-name, --span, --ended-at, --max-malformed, --wrapper, --key-by,
 * --tolerance: a table over a cli_pair (what report and diff share). */
extern const cli_opt cli_pair_opts[];
/* Loads symbols and both traces (warning about malformed lines) and builds
 * the report. */
int cli_pair_open(cli_pair *p, cli_input *in, const char *const paths[2], wdg_error *err);
void cli_pair_close(cli_pair *p);
/* WEDGE_STAGES=1: one line on stderr with a stage's wall time */
void cli_stage(const char *name, uint64_t ns);

#endif
