/* sim_internal.h - the simulator's guest program, engines and faults. */
#ifndef WEDGE_SIM_INTERNAL_H
#define WEDGE_SIM_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "../base/map.h"
#include "wedge/outfile.h"
#include "sim.h"

/* --- the guest program --------------------------------------------- */

typedef enum {
    ST_CALL,        /* a noise import: op only */
    ST_CREATE,      /* create object obj (+ instance) */
    ST_SET,         /* set event */
    ST_RELEASE,     /* release semaphore by count */
    ST_WAIT,        /* wait on objs (one: single-object import) */
    ST_DELAY,       /* KeDelayExecutionThread for cost */
    ST_WORK,        /* guest computation: time passes, no event */
    ST_SPAWN,       /* ExCreateThread + thread.create + KeResumeThread */
    ST_LOOP,        /* loop start: count times, 0 = forever */
    ST_END_LOOP,
    ST_EXIT,
    ST_INIT_DONE,   /* main: the frame loop starts here (no event) */
    ST_POLL         /* the extra-poll fault: N x (op, then a 1 ms delay) */
} step_kind;

enum { MAX_WAIT = 8 };

typedef struct step {
    step_kind kind;
    const char *name;     /* site name for --fault skip:FAMILY:SITE:K */
    const char *op;
    uint32_t lr;
    int obj;              /* object index; with per_instance, + instance */
    int per_instance;
    int objs[MAX_WAIT];
    int nobjs;
    int per_instance_objs;/* wait on objs[0] + 0 .. workers-1 (WaitAll pool) */
    int wait_all;
    int64_t timeout;      /* ns; < 0 = infinite */
    uint32_t count;       /* release count; loop count; spawn count */
    int tmpl;             /* spawn: template */
    int64_t cost;         /* ns */
    uint32_t via;         /* a wrapper's site the reference records (frames: lr) */
} step;

typedef struct tmpl {
    const char *family;
    uint32_t entry_pc;
    const step *steps;
    int nsteps;
} tmpl;

typedef enum { OBJ_AUTO_EVENT, OBJ_MANUAL_EVENT, OBJ_SEMAPHORE,
               OBJ_CONDVAR  /* state: the predicate's count; a wait with it > 0 is not called */
} obj_kind;

typedef struct objdef {
    const char *name;
    obj_kind kind;
    int ke;               /* Ke* object: a guest pointer, same in both engines */
    int32_t init, max;    /* semaphore */
    int instances;        /* copies (one per worker) */
} objdef;

typedef struct program {
    const tmpl *tmpls;
    int ntmpls;
    const objdef *objs;
    int nobjs;
    int workers;
    int helper_tmpl;      /* the reference's host helper: never spawned by the guest */
} program;

/* Program variants: the shapes that change the guest itself (both engines). */
typedef struct sim_variant {
    int investigation;    /* the investigation's program: boot, slow audio init, dispatch */
    int waitany_workers;  /* workers wait on WaitAny(work, quit) */
    int condvar;          /* the cache handshake through condition variables */
    int pulse;            /* vsync pulses its event */
    int wrappers;         /* NtSetEvent callers go through a wrapper */
} sim_variant;

enum { SIM_MAX_TMPLS = 16, SIM_MAX_STEPS = 48, SIM_MAX_OBJS = 16 };
#define SIM_WRAPPER_LR 0x824AA304u
#define SIM_ORPHAN_OBJ 0x7016F000u    /* the orphan-wait fault's object: nobody's */    /* inside NtSetEventWrapper (0x824AA2F0) */

typedef struct sim_program_buf {
    program p;
    tmpl tmpls[SIM_MAX_TMPLS];
    step steps[SIM_MAX_TMPLS][SIM_MAX_STEPS];
    objdef objs[SIM_MAX_OBJS];
} sim_program_buf;

/* The program with variant v (NULL: the base program) into b. */
void sim_program_build(sim_program_buf *b, const sim_variant *v);
/* template index of family, or -1 */
int sim_family(const program *p, const char *family);

/* --- faults ---------------------------------------------------------- */

typedef struct faults {
    uint32_t missing;          /* bit per template: never spawns */
    int skip_tmpl, skip_step;  /* producer site skipped after its k-th visit */
    uint32_t skip_after;
    int silent_tmpl, silent_step;  /* the thread falls silent at that site after k visits */
    uint32_t silent_after;
    int slow_tmpl, slow_step;  /* that step costs slow_factor times more */
    double slow_factor;
    int orphan_wait;           /* the loader waits for good on an object nobody signals */
    char skip_site[32], silent_site[32], slow_site[32];   /* resolved by sim_resolve_faults */
    int lost_set;              /* set of an auto-reset event with no waiter is lost */
    int waitany_as_all;
    uint32_t extra_poll;       /* main's init polls this many more times */
    double slow_init;          /* init runs this many times slower (1 = not) */
    char specs[512];           /* as given, for truth.json */
} faults;

/* How the candidate engine runs and is stopped, and what the reference
 * has beyond the guest (issue 9: the shapes of real engines' traces). */
typedef struct sim_shape {
    double slowdown;           /* cand runs this many times slower (>= 1) */
    int64_t clock_offset;      /* cand's clock origin: written t = this + K * guest t */
    int cand_cycle;            /* cand lines carry a per-thread cycle, no t */
    int killed_at_hang;        /* cand's trace ends at a total hang */
    int end_marker;            /* a trace.end line at the kill */
    int ref_helpers;           /* host-side helper threads in the reference */
    int cand_probe;            /* the candidate is an IAT probe: tid, pc, lr, cycle */
    sim_variant v;             /* the program variants */
} sim_shape;

int sim_parse_fault(faults *f, const program *p, const char *spec, wdg_error *err);
/* the faults' sites as step indexes of program p (WDG_EUSAGE when absent) */
int sim_resolve_faults(faults *f, const program *p, wdg_error *err);

/* --- an engine run ---------------------------------------------------- */

typedef struct sim_event {
    int64_t t;
    uint32_t tid, handle;      /* handle: the logging thread's (xenia prefix) */
    const char *op;
    int cat;                   /* wdg_category */
    uint32_t lr;
    int has_lr, has_obj, nobjs, wait_all, has_wait_kind;
    uint32_t obj, objs[MAX_WAIT];
    int64_t timeout;           /* 100 ns units, relative (negative); valid if has_timeout */
    int has_timeout;
    uint32_t entry_pc, new_tid, new_handle, count;
    int suspended, has_count, has_entry;
    int create_kind;           /* ST_CREATE: obj_kind */
    int32_t sem_init, sem_max;
    uint32_t frame;            /* has_frame: the caller's site above a wrapper's lr */
    int has_frame;
    uint64_t cycle;            /* the thread's instructions so far (--cand-clock cycle) */
    int use_cycle;             /* write cycle instead of t */
} sim_event;

typedef void (*sim_emit_fn)(void *ud, const sim_event *e);

typedef struct sim_thread_info {
    int tmpl, instance;
    uint32_t tid, handle;
    int spawned, exited;
    int blocked;               /* blocked at the end of the run */
    int64_t since;             /* when that wait began */
    int64_t first_t, last_t;
    uint64_t events;
    uint32_t wait_lr;
    int wait_objs[MAX_WAIT], wait_nobjs, wait_all_given, wait_infinite;
    const char *wait_op;
    int waits_at_lr;           /* how often it waited at wait_lr */
    int skip_fired;            /* the skip fault suppressed a producer */
    int misread_any;           /* its last wait was a WaitAny read as WaitAll */
    int ends_in_wait;          /* its last event is a wait with no timeout */
    int helper;                /* a host-side helper thread (reference only) */
    int orphan;                /* blocked in the orphan-wait fault's wait */
    int silent;                /* fell silent (the silent fault): neither blocked nor exited */
} sim_thread_info;

typedef struct sim_obj_info {
    uint32_t id;               /* handle or guest pointer in this engine */
    int def, instance;
    int64_t state;             /* event 0/1, semaphore count */
    uint32_t last_producer_lr; /* key of the last set/release on it */
    int last_producer_cat;
    const char *last_producer_op;
    int lost_sets;             /* sets lost by the lost-set fault */
    int64_t first_lost_t;      /* guest time of the first of them */
    int created;
    uint64_t waits, producers; /* events naming it */
} sim_obj_info;

typedef struct sim_run {
    int cand;                  /* 0 = reference engine */
    const program *prog;
    const faults *f;           /* NULL for the reference */
    const sim_shape *shape;    /* NULL = plain */
    uint64_t seed;
    int64_t end_t;             /* stop when guest time passes this */
    uint64_t max_events;       /* or after this many events (0 = no limit) */
    sim_emit_fn emit;
    void *emit_ud;
    /* results */
    int64_t *prod_t;           /* every producer event: time, lr, category */
    uint32_t *prod_lr;
    uint8_t *prod_cat;
    uint64_t *prod_ev;         /* its index among all events */
    uint64_t *prod_exits;      /* thread.exit events before it */
    uint64_t *prod_pseudo;     /* thread.create and thread.exit events before it */
    size_t nprod, capprod;
    sim_thread_info *threads;
    int nthreads;
    sim_obj_info *objs;        /* [def * workers + instance] */
    int nobjs;
    uint64_t events, exits, pseudo;   /* pseudo: thread.create and thread.exit */
    int64_t first_t, last_t;   /* written t (the candidate's clock for cand) */
    int total_hang;            /* every live thread ended blocked for good */
    int64_t hang_t;            /* written t of the total hang */
    long poll_at;              /* main's event count when the extra poll began, -1 */
} sim_run;

int sim_run_engine(sim_run *r, wdg_error *err);
/* llround() without libm: to the nearest, halves away from zero */
static inline int64_t sim_llround(double x)
{
    return x < 0 ? -(int64_t)(-x + 0.5) : (int64_t)(x + 0.5);
}

/* guest time -> the t this engine writes */
int64_t sim_written_t(const sim_run *r, int64_t guest_t);
void sim_run_free(sim_run *r);
/* slot of object def/instance in r->objs */
int sim_obj_slot(const program *p, int def, int instance);

/* --- writers --------------------------------------------------------- */

typedef enum {
    FMT_SIM_JSONL, FMT_SIM_XENIA_KV, FMT_SIM_XENIA_LOG,
    FMT_SIM_XENIA_DEBUG,  /* xenia-log lines plus each producer's audit line */
    FMT_SIM_PROBE         /* IAT-probe JSONL: tid, pc (the import's thunk), lr, cycle */
} sim_format;

/* The import thunk an IAT probe records for op (FMT_SIM_PROBE's pc), and
 * the import table: n entries of every op the program calls. */
uint32_t sim_thunk(const char *op);
const char *const *sim_imports(size_t *n);

typedef struct sim_writer {
    wdg_outfile f;             /* renamed into place by sim_writer_close() */
    sim_format fmt;
    int oom;                   /* an allocation failed: the trace lacks lines */
    wdg_map started;           /* tids that logged their XThread::Execute line */
    char *buf;                 /* output buffer */
    size_t len, cap;
} sim_writer;

/* Writes DIR/NAME through an outfile (wedge/outfile.h): finish() writes
 * the rest and closes it, the caller then commits w->f to rename it into
 * place; free() releases the writer, removing a file not committed. */
int sim_writer_open(sim_writer *w, const char *dir, const char *name, sim_format fmt,
                    const char *engine, wdg_error *err);
void sim_writer_emit(void *ud, const sim_event *e);
/* the {"t":T,"op":"trace.end"} line whoever stopped the engine writes (JSONL) */
void sim_writer_end_marker(sim_writer *w, int64_t t);
/* the import table lines of the program's imports (a xenia log's) */
void sim_writer_imports(sim_writer *w);
int sim_writer_finish(sim_writer *w, wdg_error *err);
void sim_writer_free(sim_writer *w);

#endif
