/* sim_truth.h - truth.json from two finished runs (internal). */
#ifndef WEDGE_SIM_TRUTH_H
#define WEDGE_SIM_TRUTH_H

#include "sim_internal.h"
#include "wedge/buf.h"
#include "../base/jsonw.h"

typedef struct sim_truth_in {
    const sim_run *ref, *cand;
    const char *scenario, *fault_specs, *ref_format, *ref_file, *cand_file;
    uint64_t seed;
    char *outcome;      /* out: 16 bytes */
    const sim_shape *shape;
    sim_format ref_fmt;
    int64_t killed_at;  /* cand clock: when the candidate was stopped */
} sim_truth_in;

int sim_truth_json(wdg_buf *b, const sim_truth_in *in);
/* the "critical_path" member: the program's family graph, and the edges
 * each fault breaks first and those downstream of them (truth_cp.c) */
void sim_truth_critpath(wdg_jw *w, const sim_run *ref, const sim_run *cand);

#endif
