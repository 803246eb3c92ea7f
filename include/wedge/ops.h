/* wedge/ops.h - kernel import names and their categories.
 *
 * A wdg_ops table interns op names (so an event stores a 32-bit id) and
 * knows each op's category (docs/format.md, "Op categories").  One table is
 * shared by the reference and the candidate trace of a comparison, so op
 * ids compare directly across them.  An event's category is its op's
 * (wdg_ev_cat() in wedge/trace.h); overrides from --op-category are applied
 * before traces are read, as the readers use the categories.
 */
#ifndef WEDGE_OPS_H
#define WEDGE_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/error.h"
#include "wedge/sites.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wdg_category {
    WDG_CAT_SET,
    WDG_CAT_RELEASE,
    WDG_CAT_WAIT,
    WDG_CAT_SIGNAL_WAIT,
    WDG_CAT_CREATE,
    WDG_CAT_THREAD,
    WDG_CAT_OTHER,
    WDG_CAT_COUNT
} wdg_category;

#define WDG_CAT_BIT(c) (1u << (c))
#define WDG_CAT_ALL ((1u << WDG_CAT_COUNT) - 1)

/* Producers are set, release and signal_wait events. */
static inline int wdg_category_is_producer(int c)
{
    return c == WDG_CAT_SET || c == WDG_CAT_RELEASE || c == WDG_CAT_SIGNAL_WAIT;
}

/* "set", "release", ..., "other". */
WDG_API const char *wdg_category_name(int c);
/* 0 and *out set when s[0..n) names a category, else -1. */
WDG_API int wdg_category_parse(const char *s, size_t n, wdg_category *out);

/* Ids of the pseudo ops, fixed in every table. */
enum {
    WDG_OP_THREAD_CREATE = 0,
    WDG_OP_THREAD_EXIT = 1,
    WDG_OP_OBJECT_ALIAS = 2,
    WDG_OP_TRACE_END = 3         /* the end of a run: never an event */
};
#define WDG_OP_NONE UINT32_MAX

typedef struct wdg_ops wdg_ops;

/* The start of every wdg_ops, public so that an op's category is a load
 * rather than a call (events hold no category: wdg_ev_cat() reads it here
 * for each one).  Read only; cats has count entries and moves when the
 * table grows. */
typedef struct wdg_ops_head {
    uint8_t *cats;       /* wdg_category by op id */
    uint32_t count;
} wdg_ops_head;

/* wdg_ops_category() inline: WDG_CAT_OTHER for an id not in the table. */
static inline wdg_category wdg_ops_cat(const wdg_ops *ops, uint32_t id)
{
    const wdg_ops_head *h = (const wdg_ops_head *)(const void *)ops;
    return id < h->count ? (wdg_category)h->cats[id] : WDG_CAT_OTHER;
}

/* Creates a table holding the built-in ops.  Caller frees with wdg_ops_free. */
WDG_API int wdg_ops_new(wdg_ops **out, wdg_error *err);
WDG_API void wdg_ops_free(wdg_ops *ops);
/* The run's site table (wedge/sites.h), owned by ops; NULL for NULL.
 * Readers intern into it; everything else only reads it. */
WDG_API wdg_sites *wdg_ops_sites(const wdg_ops *ops);

/* Applies "NAME=CATEGORY" (the --op-category option). */
WDG_API int wdg_ops_override(wdg_ops *ops, const char *spec, wdg_error *err);

/* Interns s[0..n); returns its id, or WDG_OP_NONE when out of memory.
 * Unknown names get category "other". */
WDG_API uint32_t wdg_ops_intern(wdg_ops *ops, const char *s, size_t n);
/* The id of s[0..n), or WDG_OP_NONE when it was never interned. */
WDG_API uint32_t wdg_ops_find(const wdg_ops *ops, const char *s, size_t n);
/* Name of id, owned by the table (valid until wdg_ops_free). */
WDG_API const char *wdg_ops_name(const wdg_ops *ops, uint32_t id);
WDG_API wdg_category wdg_ops_category(const wdg_ops *ops, uint32_t id);
WDG_API uint32_t wdg_ops_count(const wdg_ops *ops);
/* The op that id is an engine's other name for (xeKeReleaseSemaphore ->
 * KeReleaseSemaphore, XEvent::Set -> KeSetEvent), else id itself.  The
 * boot delta and wedge diff compare ops through it. */
WDG_API uint32_t wdg_ops_canonical(const wdg_ops *ops, uint32_t id);

/* What an op's object argument is (docs/format.md "Op kinds"): a guest
 * pointer to a dispatcher object (the same value in both engines), a
 * handle (engine-specific), or unknown (treated as a handle). */
typedef enum wdg_obj_kind { WDG_OBJ_NONE, WDG_OBJ_POINTER, WDG_OBJ_HANDLE } wdg_obj_kind;

/* How a producer op's signal behaves (docs/format.md "Op kinds and signal kinds"):
 * latched until a wait takes it, pulsed to current waiters only, counted
 * (a semaphore or mutant release), or a condition-variable signal (lost
 * without a waiter).  WDG_SIG_NONE for ops that signal nothing. */
typedef enum wdg_signal_kind {
    WDG_SIG_NONE, WDG_SIG_LATCH, WDG_SIG_PULSE, WDG_SIG_COUNT, WDG_SIG_CONDITION
} wdg_signal_kind;

/* "none", "pointer", "handle" / "none", "latch", "pulse", "count", "condition" */
WDG_API const char *wdg_obj_kind_name(int kind);
WDG_API const char *wdg_signal_kind_name(int kind);

WDG_API wdg_obj_kind wdg_ops_obj_kind(const wdg_ops *ops, uint32_t id);
/* The signal kind of id: its own, or else by its category (set and
 * signal_wait latch, release counts, others none). */
WDG_API wdg_signal_kind wdg_ops_signal_kind(const wdg_ops *ops, uint32_t id);
/* 1 when every wait of op id has a timeout (pthread_cond_timedwait). */
WDG_API int wdg_ops_always_timed(const wdg_ops *ops, uint32_t id);

/* What an op's name tells beyond its category (docs/format.md "Op facts"),
 * set once when the op is interned, so that no reader or analysis compares
 * op names per event.  An alias (wdg_ops_canonical) has its canonical op's
 * facts. */
enum {
    WDG_OPF_RESET = 1u << 0,     /* unsignals its object: KeResetEvent, NtClearEvent */
    WDG_OPF_TERMINATE = 1u << 1  /* ends the calling thread: ExTerminateThread, thread.exit */
};
WDG_API unsigned wdg_ops_flags(const wdg_ops *ops, uint32_t id);

/* Where a xenia stock call line "NAME(ARG, ARG, ...)" holds what wedge
 * reads: 0-based argument positions, -1 for none.  They follow the op's
 * category: the positions its name gives apply while it keeps its built-in
 * category (set and release count as one); under another category (from
 * --op-category) or for an op without its own, the category's: a producer
 * or a wait takes its object at 0, a signal_wait its signaled object at 0,
 * the object it waits on at 1 and its timeout pointer at 4. */
typedef struct wdg_op_args {
    int8_t obj;          /* the object: guest pointer or handle (wdg_ops_obj_kind) */
    int8_t obj2;         /* a second object, the one a signal_wait waits on */
    int8_t timeout;      /* a pointer to the timeout; null is an infinite wait */
    int8_t count;        /* a release count */
    int8_t wait_type;    /* WaitType: 0 waits for all objects, 1 for any */
    int8_t entry;        /* a new thread's start address (thread creation) */
    int8_t create_flags; /* a new thread's creation flags: bit 0 = suspended */
    int8_t sleeps;       /* 1: a delay, always a finite timeout (KeDelayExecutionThread) */
} wdg_op_args;
WDG_API wdg_op_args wdg_ops_args(const wdg_ops *ops, uint32_t id);

/* The audit hook whose key=value line a debug-level xenia log writes with
 * op's stock call line (XEvent::Set for KeSetEvent, NtSetEvent and
 * KeSetEventBoostPriority; xeKeReleaseSemaphore for KeReleaseSemaphore and
 * NtReleaseSemaphore), else WDG_OP_NONE.  A hook line and a stock line of
 * one call are one event. */
WDG_API uint32_t wdg_ops_hook(const wdg_ops *ops, uint32_t id);

/* Apply "NAME=pointer|handle" (--op-kind) and "NAME=latch|pulse|count|
 * condition" (--op-signal); WDG_EUSAGE on a bad spec. */
WDG_API int wdg_ops_override_kind(wdg_ops *ops, const char *spec, wdg_error *err);
WDG_API int wdg_ops_override_signal(wdg_ops *ops, const char *spec, wdg_error *err);

#ifdef __cplusplus
}
#endif

#endif
