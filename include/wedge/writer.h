/* wedge/writer.h - write a wedge JSONL trace from an engine (docs/writer.md).
 *
 * An engine opens one trace, emits an event for each guest kernel call
 * from whichever thread makes it, and closes the trace when it stops.  The
 * writer produces the format of docs/format.md: a header line, one JSON
 * object per event, and {"op":"trace.end","t":T} as the last line.
 *
 * Rules (as in wedge/buf.h, stated once here):
 *  - A wdg_writer is opened by wdg_writer_open() and owned by its caller;
 *    wdg_writer_close() ends the trace and frees it.  Nothing else frees it.
 *  - wdg_writer_emit() and its helpers may be called from any number of
 *    threads at once, without a lock: each thread appends to its own
 *    buffer.  open, flush and close may be called from one thread at a
 *    time, and close only when no thread emits any more.
 *  - The writer keeps no pointer given to it: strings and arrays of an
 *    event or of the options are copied before the call returns.
 *  - Lines reach the file whole, in each thread's own order, at most
 *    flush_interval_ms after they were emitted (a background thread writes
 *    them with write(2)), or sooner when a thread's buffer fills.  A
 *    process killed by SIGKILL loses what it emitted in its last interval.
 *  - trace.end is written once: by wdg_writer_close(), else at exit(), else
 *    when the process dies of SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
 *    SIGTERM or SIGINT (handlers installed only for signals whose action
 *    was the default when the trace was opened; they write what they can
 *    and re-raise the signal).  Its "reason" says which: "exit" from
 *    close and exit(), "signal" from a signal (wdg_writer_emergency_end()
 *    included).
 *  - Numbers are written without printf and without the locale.
 */
#ifndef WEDGE_WRITER_H
#define WEDGE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_writer wdg_writer;

/* What wdg_writer_open() takes; all zero (or a NULL pointer) is the
 * defaults.  The strings are copied into the header at once. */
typedef struct wdg_writer_opts {
    const char *engine;          /* header "engine" (<= 63 bytes kept by wedge); NULL: none */
    const char *title_id;        /* header "title_id"; NULL: none */
    const char *const *observes; /* header "observes": category names ("set", "wait", ...) */
    size_t n_observes;           /* 0: no "observes" member (wedge then infers it) */
    int32_t zstd;                /* 1: zstd-compressed output (one frame per flush) */
    uint32_t flush_interval_ms;  /* 0: 100 */
    uint32_t buffer_bytes;       /* each thread's buffer; 0: 256 KiB; at least 64 KiB */
    int32_t no_handlers;         /* 1: install no signal handler and no atexit() */
} wdg_writer_opts;

/* One event.  Zero means absent for every field but op (required), t and
 * tid (filled in) and timeout (see has_timeout).  Addresses are 64-bit;
 * wedge's reader takes 32-bit ones today (docs/format.md). */
typedef struct wdg_writer_event {
    const char *op;          /* the kernel call or pseudo op, 1 to 255 bytes */
    const char *site;        /* "module+0xOFF", written as lr instead of lr; NULL: none */
    uint64_t t;              /* host time in ns; 0: now (CLOCK_MONOTONIC) */
    uint64_t lr;             /* the call's return address */
    uint64_t pc;             /* the probe address that fired */
    uint64_t obj;            /* the object (pointer or handle) */
    uint64_t entry_pc;       /* thread.create: the new thread's start */
    const uint64_t *objs;    /* a multi-object wait's objects */
    const uint64_t *frames;  /* return addresses above lr, innermost first */
    int64_t timeout;         /* the wait's timeout as the guest passed it */
    uint32_t tid;            /* the guest thread; 0: the calling thread's id (gettid) */
    uint32_t new_tid;        /* thread.create: the new thread's tid */
    uint32_t count;          /* a release's count */
    uint32_t n_objs;         /* <= 64 */
    uint32_t n_frames;       /* <= 64 */
    int32_t wait_all;        /* with objs: 1 waits for all, 0 for any */
    int32_t has_timeout;     /* 1: timeout is written (else an infinite wait) */
    const char *entry_site;  /* thread.create: "module+0xOFF" of the new
                              * thread's start, written as entry_pc in place
                              * of the number; NULL: none (last, so callers
                              * built before it lost nothing) */
} wdg_writer_event;

/* Creates (or truncates) path and writes the header line.  opts may be
 * NULL.  On success *out owns the trace (close it with wdg_writer_close());
 * on failure *out is NULL and err says why (WDG_EOUTPUT, WDG_ENOMEM,
 * WDG_EUSAGE). */
WDG_API int wdg_writer_open(wdg_writer **out, const char *path, const wdg_writer_opts *opts,
                            wdg_error *err);

/* Appends one event to the calling thread's buffer.  Returns 0, or
 * WDG_EUSAGE (no op, an op, site or entry_site over 255 bytes, more than 64 objects
 * or frames, t over INT64_MAX; nothing is written) or WDG_ENOMEM (the
 * thread's first event could not get a buffer).  Thread-safe, lock-free
 * unless the buffer is full. */
WDG_API int wdg_writer_emit(wdg_writer *w, const wdg_writer_event *ev);

/* Shorthands: a signal (set or release) and an infinite wait on one
 * object from call site lr, by the calling thread, now. */
WDG_API int wdg_writer_signal(wdg_writer *w, const char *op, uint64_t lr, uint64_t obj);
WDG_API int wdg_writer_wait(wdg_writer *w, const char *op, uint64_t lr, uint64_t obj);

/* Writes every buffered line now (before a step that may hang, say).
 * Returns 0 or WDG_EOUTPUT when a write failed since the trace opened. */
WDG_API int wdg_writer_flush(wdg_writer *w, wdg_error *err);

/* Writes what is buffered and trace.end (unless written already), closes
 * the file and frees w.  Returns 0, or WDG_EOUTPUT when any write of the
 * trace failed (the trace is incomplete).  w is freed either way. */
WDG_API int wdg_writer_close(wdg_writer *w, wdg_error *err);

/* For an engine with its own fatal-signal handlers (the writer installs
 * none over them): writes what it safely can of every open trace and its
 * trace.end.  Async-signal-safe; the process should die right after. */
WDG_API void wdg_writer_emergency_end(void);

#ifdef __cplusplus
}
#endif

#endif
