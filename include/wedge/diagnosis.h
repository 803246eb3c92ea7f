/* wedge/diagnosis.h - from alignment to diagnosis (docs/analysis.md):
 * threads, the thread map, wedged threads, the object map, the
 * wait-for graph with its root causes, and the outcome class.
 *
 * A wdg_diagnosis owns its arrays; it reads the traces, key table and
 * symbols it was built from (which must outlive it).  Free it with
 * wdg_diagnosis_free().
 *
 * Every 32-bit value is a valid thread id (0xFFFFFFFF too), so a thread
 * that may be absent comes with a has_* flag, never a reserved id.
 */
#ifndef WEDGE_DIAGNOSIS_H
#define WEDGE_DIAGNOSIS_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/analysis.h"
#include "wedge/error.h"
#include "wedge/symbols.h"
#include "wedge/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WDG_NO_INDEX SIZE_MAX

typedef enum { WDG_TS_RUNNING, WDG_TS_EXITED, WDG_TS_WEDGED, WDG_TS_SILENT } wdg_thread_state;

WDG_API const char *wdg_thread_state_name(wdg_thread_state s);

/* Which rule made a thread wedged (the end of a run): its silence to the end of
 * the run, or the whole trace ending with every live thread blocked. */
typedef enum { WDG_WEDGED_NONE, WDG_WEDGED_SILENCE, WDG_WEDGED_ALL_BLOCKED } wdg_wedged_by;

/* "silence", "all_blocked", or NULL for WDG_WEDGED_NONE */
WDG_API const char *wdg_wedged_by_name(int by);

/* Where a trace's end of run came from, by precedence. */
typedef enum { WDG_END_LAST_EVENT, WDG_END_HEADER, WDG_END_MARKER, WDG_END_OPTION } wdg_end_source;

/* "last_event", "header", "marker", "option" */
WDG_API const char *wdg_end_source_name(int source);

/* One thread of one engine. */
typedef struct wdg_thread {
    uint32_t tid;
    size_t first, last;        /* event indexes */
    uint64_t count;
    int has_entry;
    wdg_addr entry_pc;
    int has_creator;
    uint32_t creator;          /* the creating thread, when has_creator */
    size_t created_at;         /* event index of its creation, WDG_NO_INDEX */
    int exited;
    wdg_thread_state state;
    int wedged_by;             /* wdg_wedged_by, when state is WDG_TS_WEDGED */
    int divergent;             /* cand: wedged and not idle the same way in ref */
    int has_analog;            /* paired in the thread map */
    uint32_t analog;           /* the other engine's tid, when has_analog */
    int how;                   /* wdg_map_how of its pair, WDG_HOW_NONE when none */
    int unexplained;           /* cand: listed in the diagnosis's unexplained */
    char family[96];           /* function of entry_pc, "0x%08X", or "-" */
} wdg_thread;

/* WDG_HOW_MAIN: the two threads nobody created, earliest first (the mains);
 * WDG_HOW_CALL_SITE: a reference thread with no entry PC whose producer
 * sites lie in the function a candidate thread starts in;
 * WDG_HOW_ELIMINATION: the one reference thread and the one candidate
 * thread left unpaired, against a reference that logs no creations */
typedef enum { WDG_HOW_NONE, WDG_HOW_EXPLICIT, WDG_HOW_ENTRY_PC, WDG_HOW_SIGNATURE,
               WDG_HOW_MAIN, WDG_HOW_CALL_SITE, WDG_HOW_ELIMINATION,
               WDG_HOW_COUNT /* how many: not a how */ } wdg_map_how;

WDG_API const char *wdg_map_how_name(int how);

typedef struct wdg_thread_pair {
    uint32_t ref, cand;
    int how;                   /* wdg_map_how */
    double similarity;         /* signature pairs: the Jaccard index */
} wdg_thread_pair;

/* How a cand object was matched to a ref object, in the order the rules
 * are tried (docs/analysis.md "Object map"). */
typedef enum {
    WDG_OBJ_HOW_NONE,
    WDG_OBJ_HOW_IDENTITY,      /* the same guest pointer in both */
    WDG_OBJ_HOW_CREATION_SITE, /* the k-th object created at one site */
    WDG_OBJ_HOW_WAIT_POSITION, /* the k-th object of the waits at one site */
    WDG_OBJ_HOW_PRODUCERS,     /* similar producer sets */
    WDG_OBJ_HOW_WAITERS,       /* similar waiter sets */
    WDG_OBJ_HOW_ORPHAN,        /* the one unsignalled object a wedged thread
                                * waits on, and the one object only threads
                                * with no analog signal */
    WDG_OBJ_HOW_ADDRESS,       /* the same address (or module site) in both,
                                * named by paired threads in both (after
                                * wait_position, before producers) */
    WDG_OBJ_HOW_COUNT          /* how many: not a how */
} wdg_object_how;

typedef struct wdg_object_pair {
    wdg_addr cand, ref;
    int how;                   /* wdg_object_how */
} wdg_object_pair;

WDG_API const char *wdg_object_how_name(int how);

typedef enum {
    WDG_ROOT_SIGNALED_BUT_BLOCKED,
    WDG_ROOT_MISSING_THREAD,
    WDG_ROOT_SKIPPED_PRODUCER,
    WDG_ROOT_LIVE_MISSING_PRODUCER,
    WDG_ROOT_SILENT_THREAD,
    WDG_ROOT_UNKNOWN,          /* never a root now: see wdg_unexplained */
    WDG_ROOT_CYCLE,
    WDG_ROOT_EXTERNAL,         /* a wait on input from outside the program */
    WDG_ROOT_KIND_COUNT        /* how many: not a kind */
} wdg_root_kind;

WDG_API const char *wdg_root_kind_name(int kind);

/* Why a root is only inferred (bits of wdg_root.inferred); none: proven. */
enum {
    WDG_INFER_OBJECT = 1,      /* its object was matched by producers/waiters */
    WDG_INFER_CAND_ITERATIONS = 2,   /* iterations were the cand thread's own */
    WDG_INFER_SIGNATURE = 4,   /* the thread pair it rests on is by signature */
    WDG_INFER_NO_REF_WAITS = 8, /* the reference shows no waits at all */
    WDG_INFER_CALL_SITE = 16,  /* the thread pair it rests on is by call site */
    WDG_INFER_ORPHAN = 32,     /* its object was matched as the orphan */
    WDG_INFER_ELIMINATION = 64, /* the thread pair it rests on is by elimination */
    WDG_INFER_OUTSIDE = 128    /* it presumes a producer outside the traced
                                * program: no trace shows one */
};

/* "proven" or "inferred" */
WDG_API const char *wdg_root_confidence_name(unsigned inferred);
/* The rule a root of this kind rests on, one sentence (static). */
WDG_API const char *wdg_root_rule(int kind);

/* One event a root rests on. */
typedef struct wdg_evidence_event {
    int cand;                  /* 1: the candidate's trace, 0: the reference's */
    size_t event;              /* event index in that trace */
    const char *what;          /* static: "wait", "producer", ... */
} wdg_evidence_event;

#define WDG_MAX_EVIDENCE 4

typedef struct wdg_root {
    int kind;                  /* wdg_root_kind */
    int has_tid;
    uint32_t tid;              /* cand thread, when has_tid */
    int has_ref_tid;
    uint32_t ref_tid;          /* ref thread, when has_ref_tid */
    int has_entry;
    wdg_addr entry_pc;
    char family[96];
    int has_key;
    uint8_t cat;
    int key_has_lr;
    wdg_addr lr;
    uint32_t op;
    int has_obj;
    wdg_addr obj;              /* cand object */
    int has_ref_obj;
    wdg_addr ref_obj;
    uint64_t ref_fires;        /* evidence: in how many iterations at the wait */
    uint64_t ref_iterations;   /* ... of how many the key is fired */
    int evidence_from_cand;    /* those iterations are the cand thread's own
                                * (the reference shows no waits there) */
    uint32_t *blocks;          /* cand tids, ascending */
    size_t n_blocks;
    int has_waiter;
    uint32_t waiter;           /* the wedged cand thread whose wait on obj
                                * first found it (the sentences name it) */
    unsigned inferred;         /* WDG_INFER_* bits; 0: proven */
    wdg_evidence_event evidence[WDG_MAX_EVIDENCE];
    size_t n_evidence;
    /* Facts the sentences about a root need, computed so that renderers
     * compute none: */
    uint32_t key;              /* its key's index in the key table the
                                * diagnosis was built with; WDG_NO_KEY when
                                * it has none or the table lacks it */
    uint64_t ref_thread_fires; /* has_ref_tid and has_key: how often ref
                                * thread ref_tid fires the key over the
                                * whole reference trace */
    size_t ladder, n_ladders;  /* its ladders: the diagnosis's
                                * ladders[ladder .. ladder + n_ladders), one
                                * per thread of blocks, the first
                                * WDG_MAX_LADDERS of them */
} wdg_root;

/* A root's ladders stop at this many (report.md lists these). */
#define WDG_MAX_LADDERS 32

/* A ladder: a wedged cand thread a root blocks, then the thread it waits
 * for along the rungs, and so on down to the thread linked to the root (or
 * to where the rungs stop).  Its tids are the diagnosis's
 * ladder_tids[first .. first + n_tids). */
typedef struct wdg_ladder {
    size_t root;               /* index into roots */
    size_t first, n_tids;
} wdg_ladder;

/* A divergent wedged cand thread no root explains. */
typedef struct wdg_unexplained {
    uint32_t tid;
    char family[96];
    int has_obj;
    wdg_addr obj;              /* the object of its wait the reason is about */
    const char *why;           /* static sentence */
} wdg_unexplained;

/* A reference thread with no analog that produces on an object wedged
 * cand threads may wait on (listed once, not per root). */
typedef struct wdg_suspect {
    uint32_t ref_tid;
    int has_entry;
    wdg_addr entry_pc;
    char family[96];
    wdg_addr *objs;            /* ref objects, ascending */
    size_t n_objs;
} wdg_suspect;

/* A rung: wedged cand thread `from` waits for wedged cand thread `to`,
 * which should fire the key. */
typedef struct wdg_edge {
    uint32_t from, to;
    uint8_t cat;
    int key_has_lr;
    wdg_addr lr;
    uint32_t op;
    wdg_addr obj;
    int unproven;              /* no iteration of either engine could say
                                * whether `to` went round its loop */
} wdg_edge;

/* A root found for one wedged thread (the graph's leaves).  A root found
 * for several waiters keeps its first waiter's object and key; the link
 * says what this waiter waits on and for which key it reaches the root. */
typedef struct wdg_root_link {
    uint32_t tid;
    size_t root;
    int has_obj;
    wdg_addr obj;              /* cand object tid waits on, when has_obj */
    int has_key;               /* the key it needs, when has_key: */
    uint8_t cat;
    int key_has_lr;
    wdg_addr lr;
    uint32_t op;
} wdg_root_link;

typedef enum { WDG_OUTCOME_NONE, WDG_OUTCOME_A, WDG_OUTCOME_B, WDG_OUTCOME_C,
               WDG_OUTCOME_DIVERGED, WDG_OUTCOME_INCONCLUSIVE,
               WDG_OUTCOME_COUNT /* how many: not an outcome */ } wdg_outcome;

WDG_API const char *wdg_outcome_name(int outcome);

typedef struct wdg_diagnosis_opts {
    const char *tid_map;       /* --tid-map "6=1,10=5", may be NULL */
    int silence_is_fraction;   /* --silence: a fraction of the span, or ... */
    double silence_fraction;   /* default 0.25 */
    int64_t silence;           /* ... a duration (ns, or lines without t) */
    int has_ref_end, has_cand_end;   /* --ended-at ref=T / cand=T */
    int64_t ref_end, cand_end;       /* in the trace's own clock (ns) */
    double max_malformed;      /* --max-malformed: share of lines, default 0.05 */
    int threads;               /* 1: on the calling thread alone; else each
                                  trace's tables on a thread of its own */
} wdg_diagnosis_opts;

/* The diagnosis's stages, timed into wdg_diagnosis.stage_ns. */
enum {
    WDG_DIAG_STAGE_THREADS,      /* thread tables and events by thread */
    WDG_DIAG_STAGE_THREAD_MAP,
    WDG_DIAG_STAGE_STATES,
    WDG_DIAG_STAGE_OBJECT_MAP,
    WDG_DIAG_STAGE_ROOTS,
    WDG_DIAG_STAGE_LADDERS,
    WDG_DIAG_STAGE_COUNT
};

#define WDG_DIAGNOSIS_OPTS_INIT {NULL, 1, 0.25, 0, 0, 0, 0, 0, 0.05, 0}

/* One trace's end of run as the diagnosis used it (the end of a run). */
typedef struct wdg_run_end {
    int source;                /* wdg_end_source */
    int64_t end;               /* in ev-time: t (ns), or the line without t */
    int has_ended_at;
    int64_t ended_at;          /* ns since the first event, when has_ended_at */
    int ignored;               /* an end was given but could not be used ... */
    int ignored_source;        /* ... from there (wdg_end_source) ... */
    int64_t ignored_end;       /* ... with this value (the trace's own clock) */
    int all_blocked;           /* the total-hang rule applied */
} wdg_run_end;

/* A verdict warning: a short code ("swapped", "op_keys",
 * "assumed_unobserved", "end_ignored", "completed") and a sentence. */
typedef struct wdg_warning {
    const char *code;          /* static */
    char message[256];
} wdg_warning;

#define WDG_MAX_REASONS 8
#define WDG_MAX_WARNINGS 8

typedef struct wdg_diagnosis {
    wdg_thread *ref_threads, *cand_threads;
    size_t n_ref_threads, n_cand_threads;
    wdg_thread_pair *pairs;
    size_t n_pairs;
    wdg_object_pair *objects;
    size_t n_objects;
    wdg_edge *edges;
    size_t n_edges;
    wdg_root_link *links;
    size_t n_links;
    wdg_root *roots;           /* sorted: blocks descending, then tid */
    size_t n_roots;
    wdg_unexplained *unexplained;   /* in cand thread order */
    size_t n_unexplained;
    wdg_suspect *suspects;     /* in ref thread order */
    size_t n_suspects;
    wdg_ladder *ladders;       /* root by root, in each root's blocks order */
    size_t n_ladders;
    uint32_t *ladder_tids;     /* the ladders' cand tids */
    size_t n_ladder_tids;
    int outcome;               /* wdg_outcome */
    uint64_t keys_diverging;   /* keys not MATCH nor UNOBSERVABLE */
    uint64_t missing_keys;
    uint64_t divergent_wedged;
    int completed;             /* NONE although keys diverge: the candidate
                                * ran to completion (trace.end reason
                                * "exit", no thread wedged, no root) */
    int64_t ref_silence, cand_silence;   /* thresholds used */
    wdg_run_end ref_end, cand_end;
    int provisional_outcome;   /* the outcome before the verdict's checks */
    char reasons[WDG_MAX_REASONS][256];   /* why INCONCLUSIVE */
    size_t n_reasons;
    wdg_warning warnings[WDG_MAX_WARNINGS];
    size_t n_warnings;
    /* counts the summaries print, so renderers count nothing */
    size_t n_no_analog;                        /* ref threads with no analog */
    size_t pairs_by_how[WDG_HOW_COUNT];        /* thread pairs by wdg_map_how */
    size_t objects_by_how[WDG_OBJ_HOW_COUNT];  /* object pairs by wdg_object_how */
    /* each engine's event indexes grouped by thread, in thread-table order:
     * thread k's are events[start[k] .. start[k + 1]) */
    size_t *ref_events, *ref_start, *cand_events, *cand_start;
    /* each thread table's indexes sorted by tid, for wdg_diag_ref_thread()
     * and wdg_diag_cand_thread() (NULL: those search the table) */
    size_t *ref_by_tid, *cand_by_tid;
    /* wall ns of the stages (WDG_DIAG_STAGE_*), for WEDGE_STAGES=1 */
    uint64_t stage_ns[WDG_DIAG_STAGE_COUNT];
} wdg_diagnosis;

/* Parses --silence: "25%" (of the span), or a duration "2s", "500ms",
 * "1500us", "1000000ns" (a bare number is ns; lines for traces without t). */
WDG_API int wdg_parse_silence(wdg_diagnosis_opts *o, const char *text, wdg_error *err);

/* Parses one --ended-at "ref=T" or "cand=T" (T: ns, or a duration like
 * 12.5s, 300ms, 40us, 7ns) into o. */
WDG_API int wdg_parse_ended_at(wdg_diagnosis_opts *o, const char *text, wdg_error *err);
/* Parses --max-malformed "5%" (or "5", a percentage) into o. */
WDG_API int wdg_parse_max_malformed(wdg_diagnosis_opts *o, const char *text, wdg_error *err);

WDG_API int wdg_diagnose(wdg_diagnosis *d, const wdg_trace *ref, const wdg_trace *cand,
                         const wdg_keytable *kt, const wdg_symbols *symbols,
                         const wdg_diagnosis_opts *opts, wdg_error *err);
WDG_API void wdg_diagnosis_free(wdg_diagnosis *d);
/* the name of a WDG_DIAG_STAGE_* ("threads", "roots"...) */
WDG_API const char *wdg_diag_stage_name(int stage);

/* The verdict's checks, run after wdg_diagnose on the same
 * inputs: makes the outcome INCONCLUSIVE (keeping the one it replaces in
 * provisional_outcome) when the traces cannot support a verdict, and
 * fills reasons and warnings.  Cannot fail. */
WDG_API void wdg_verdict(wdg_diagnosis *d, const wdg_trace *ref, const wdg_trace *cand,
                         const wdg_keytable *kt, const wdg_diagnosis_opts *opts);

/* The event indexes of thread th (an element of d's ref_threads or
 * cand_threads), in order; borrowed from d. */
WDG_API const size_t *wdg_diag_thread_events(const wdg_diagnosis *d, const wdg_thread *th, size_t *n);

/* Lookups: the thread of tid in one engine, or NULL. */
WDG_API const wdg_thread *wdg_diag_ref_thread(const wdg_diagnosis *d, uint32_t tid);
WDG_API const wdg_thread *wdg_diag_cand_thread(const wdg_diagnosis *d, uint32_t tid);

/* Who woke whom, for one trace (docs/analysis.md "Wake-ups").  A wait
 * ends at its thread's next event; the producer that woke it is the
 * latest producer on one of its objects (object.alias followed), by
 * another thread, after the wait and before that next event.  A wait with
 * no next event (its thread's last: wedged, or the trace ended) has
 * neither; a wait satisfied before it began (a latch already set) or that
 * timed out has no waker.  Per event of the trace, WDG_NO_INDEX for other
 * events.  The other way round, the waits one producer woke are a list:
 * first_woken[producer], then next_woken[wait], in the waits' order.
 * Owns its arrays: free with wdg_wakes_free(). */
typedef struct wdg_wakes {
    size_t *ended_by;          /* the waiting thread's next event */
    size_t *waker;             /* the producer that satisfied the wait */
    size_t *first_woken;       /* per producer: the first wait it woke */
    size_t *next_woken;        /* per wait: the next one its waker woke */
    size_t n;                  /* the trace's events */
} wdg_wakes;

/* Fails only with WDG_ENOMEM (w then holds nothing). */
WDG_API int wdg_wakes_build(wdg_wakes *w, const wdg_trace *t, wdg_error *err);
WDG_API void wdg_wakes_free(wdg_wakes *w);

#ifdef __cplusplus
}
#endif

#endif
