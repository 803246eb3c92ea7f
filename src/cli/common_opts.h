/* common_opts.h - options every trace-reading command shares (internal). */
#ifndef WEDGE_COMMON_OPTS_H
#define WEDGE_COMMON_OPTS_H

#include "cli.h"

typedef struct cli_input {
    cli_list line_formats, probes, op_categories;
    int strict;
} cli_input;

/* Takes the option if it is one of the input options; returns 1 when
 * taken, 0 when not one of them. */
int cli_input_take(cli_input *in, const char *name, const char *value);

/* Loads paths with the input options: ops table, templates, probes. On
 * success the caller frees traces, *ops and *templates. */
int cli_input_load(cli_input *in, const char *const *paths, size_t n, wdg_trace **traces,
                   wdg_ops **ops, wdg_templates **templates, wdg_error *err);

void cli_input_free(cli_input *in);

#define CLI_INPUT_OPTS                                                  \
    {"line-format", 0, 1}, {"probe", 0, 1}, {"op-category", 0, 1},      \
    {"strict", 0, 0}

#endif
