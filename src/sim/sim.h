/* sim.h - the simulator: a guest program run on a correct reference engine
 * and on a faulty candidate engine, writing both traces and the ground
 * truth.  Its own module (src/sim/, built as libwedge-sim.a for the wedge
 * command and the tests), above the library's model layer; it is not part
 * of libwedge and not installed.
 *
 * The guest is a small model of a game: a main thread that creates events
 * and semaphores, spawns thread families (a worker pool, a cache thread, an
 * audio chain, a loader, a vsync heartbeat) and runs a frame loop.  The
 * kernel is modelled faithfully (auto- and manual-reset events, counted
 * semaphores, WaitAny/WaitAll, timeouts, thread creation); the candidate
 * engine can carry faults (see docs/simulate.md).  The truth is what the
 * simulator knows, not what wedge infers.
 */
#ifndef WEDGE_SIM_H
#define WEDGE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/error.h"


/* Zero / NULL fields take the scenario file's value, else the default. */
typedef struct wdg_sim_opts {
    const char *scenario;          /* built-in name or scenario file; NULL = "healthy" */
    uint64_t seed;                 /* default 1 */
    double seconds;                /* simulated seconds per engine (default 10) */
    const char *ref_format;        /* "jsonl" (default), "xenia-kv", "xenia-log", "xenia-debug" */
    uint64_t events;               /* > 0: run until the reference wrote this many events */
    const char *const *faults;     /* extra --fault specs, added to the scenario's */
    size_t n_faults;
    /* the shapes of real engines' traces (docs/simulate.md) */
    double slowdown;               /* >= 1: the candidate runs this many times slower */
    int has_clock_offset;          /* clock_offset given (0 is a value) */
    int64_t clock_offset;          /* ns: the candidate's clock origin */
    const char *cand_clock;        /* "t" (default) or "cycle" */
    int killed_at_hang;            /* 1: the candidate is killed at a total hang */
    int end_marker;                /* 1: a trace.end line at the candidate's kill */
    int ref_helpers;               /* > 0: host helper threads in the reference */
    /* issue 10: the shapes of real programs and probes (docs/simulate.md) */
    const char *cand_format;       /* "jsonl" (default) or "probe" (an IAT probe) */
    int waitany_workers;           /* 1: the workers wait on WaitAny(work, quit) */
    int condvar;                   /* 1: the cache handshake through condition variables */
    int pulse;                     /* 1: vsync pulses its event */
    int wrappers;                  /* 1: NtSetEvent callers go through a wrapper */
} wdg_sim_opts;

#define WDG_SIM_OPTS_INIT {NULL, 0, 0, NULL, 0, NULL, 0, 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 0, 0, 0}

typedef struct wdg_sim_result {
    char ref_path[4096];           /* the files written */
    char cand_path[4096];
    char truth_path[4096];
    uint64_t ref_events, cand_events;
    char outcome[16];              /* the true outcome class */
} wdg_sim_result;

/* Simulates into dir (created if needed).  WDG_EUSAGE for an unknown
 * scenario or a bad fault spec, WDG_EOUTPUT when a file cannot be written. */
int wdg_simulate(const char *dir, const wdg_sim_opts *opts, wdg_sim_result *res,
                         wdg_error *err);

/* The built-in scenarios: name and one-line description, NULL-terminated. */
typedef struct wdg_sim_scenario {
    const char *name;
    const char *faults;            /* fault specs separated by ';' */
    const char *about;
    const char *settings;          /* scenario-file settings "KEY VALUE" separated by ';' */
} wdg_sim_scenario;

const wdg_sim_scenario *wdg_sim_scenarios(void);


#endif
