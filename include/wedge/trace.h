/* wedge/trace.h - one engine's trace: its normalized events and what was
 * read (docs/format.md).
 *
 * Ownership: a wdg_trace owns its events, its side tables and its path
 * copy; it borrows the wdg_ops table given to wdg_trace_read(), which must
 * outlive it.  Free with wdg_trace_free().
 *
 * Reading is in wedge/load.h (the formats layer): wdg_trace_read(), probe
 * resolution, then wdg_trace_finalize() here, which orders events and
 * computes threads, span and observes.
 */
#ifndef WEDGE_TRACE_H
#define WEDGE_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/api.h"
#include "wedge/error.h"
#include "wedge/ops.h"
#include "wedge/sites.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WDG_T_NONE INT64_MIN

/* wdg_event.flags */
enum {
    WDG_EV_T = 1u << 0,          /* t is known */
    WDG_EV_LR = 1u << 1,         /* lr is known */
    WDG_EV_OBJ = 1u << 2,        /* obj is known */
    WDG_EV_WAIT_ALL = 1u << 3,   /* a multi-object wait is WaitAll */
    WDG_EV_WAIT_KIND = 1u << 4,  /* WaitAll/WaitAny is known */
    WDG_EV_TIMEOUT = 1u << 5,    /* a finite timeout was given */
    WDG_EV_SUSPENDED = 1u << 6,  /* thread.create: created suspended */
    WDG_EV_CYCLE = 1u << 7,
    WDG_EV_RET = 1u << 8,
    WDG_EV_PC = 1u << 9,
    WDG_EV_ENTRY = 1u << 10,
    WDG_EV_NEW_TID = 1u << 11,
    WDG_EV_ALIAS = 1u << 12,
    WDG_EV_COUNT = 1u << 13,     /* release count is known */
    WDG_EV_OBJS = 1u << 14,      /* objs list is known */
    WDG_EV_FRAMES = 1u << 15,
    WDG_EV_TIMEOUT_VALUE = 1u << 16, /* ext.timeout holds the value */
    WDG_EV_PROBE = 1u << 17,     /* op still to be resolved from pc */
    WDG_EV_T_PLACED = 1u << 18,  /* t was placed from a timed neighbour
                                  * (wdg_trace_finalize); WDG_EV_T is set */
    WDG_EV_LR_SITE = 1u << 19,   /* lr holds a site index (wedge/sites.h) */
    WDG_EV_OBJ_SITE = 1u << 20,  /* obj holds a site index */
    /* bits 21-25: the WDG_X_* bits of its record's fields (wdg_ev_xsites) */
    WDG_EV_XSITES_SHIFT = 21,
    WDG_EV_XSITES = 0x1fu << 21,
    WDG_EV_EXT = 1u << 26        /* it has a record: slot is its offset + 1 */
};

/* wdg_event_ext.sites, and an event's flags >> WDG_EV_XSITES_SHIFT: which
 * ext addresses are site indexes, and which lists hold two words (low,
 * high) of a wdg_addr per element. */
enum {
    WDG_X_PC_SITE = 1u << 0,
    WDG_X_ENTRY_SITE = 1u << 1,
    WDG_X_ALIAS_SITE = 1u << 2,
    WDG_X_OBJS_WIDE = 1u << 3,
    WDG_X_FRAMES_WIDE = 1u << 4
};

/* The compact event every reader produces (32 bytes).  Fields that most
 * events lack live in a record of only the fields it has, in the trace's
 * word pool: read it with wdg_event_ext_of().  Its category is its op's:
 * wdg_ev_cat(); its input line is wdg_ev_line(): slot holds it, or, for an
 * event with a record, its offset + 1 in the word pool, and the record starts with the
 * line (a word less in every event, a word more in each record: 39.8
 * rather than 45.2 bytes per event of a simulated 100 MB trace). */
typedef struct wdg_event {
    int64_t t;        /* ns since engine start, WDG_T_NONE when absent */
    uint32_t tid;
    uint32_t op;      /* id in the wdg_ops table */
    uint32_t lr;
    uint32_t obj;
    uint32_t slot;    /* WDG_EV_EXT: offset + 1 of its record in wdg_trace.words,
                       * else the input line (saturating at UINT32_MAX) */
    uint32_t flags;   /* WDG_EV_*, and WDG_X_* << WDG_EV_XSITES_SHIFT */
} wdg_event;

#if defined(__cplusplus)
static_assert(sizeof(wdg_event) == 32, "wdg_event is 32 bytes");
#else
_Static_assert(sizeof(wdg_event) == 32, "wdg_event is 32 bytes");
#endif

/* The event's category: its op's in the table its trace was read with
 * (WDG_CAT_OTHER for an op still to be resolved from its pc). */
static inline wdg_category wdg_ev_cat(const wdg_ops *ops, const wdg_event *e)
{
    return wdg_ops_cat(ops, e->op);
}
/* The offset + 1 of the event's record in wdg_trace.words, 0 = none. */
static inline uint32_t wdg_ev_ext(const wdg_event *e)
{
    return e->flags & WDG_EV_EXT ? e->slot : 0;
}
/* The WDG_X_* bits of the event's record. */
static inline uint32_t wdg_ev_xsites(const wdg_event *e)
{
    return (e->flags & WDG_EV_XSITES) >> WDG_EV_XSITES_SHIFT;
}

/* An event's rarer fields, as wdg_event_ext_of() fills them: a field the
 * event's flags do not name is 0 (cycle WDG_EV_CYCLE, timeout
 * WDG_EV_TIMEOUT_VALUE, ret WDG_EV_RET, pc WDG_EV_PC, entry_pc
 * WDG_EV_ENTRY, new_tid WDG_EV_NEW_TID, alias WDG_EV_ALIAS, count
 * WDG_EV_COUNT, objs WDG_EV_OBJS, frames WDG_EV_FRAMES).  The stored
 * record holds the event's line and then those words in that order, a list as its length and then
 * its elements; objs_off and frames_off are its elements' offset in
 * wdg_trace.words. */
typedef struct wdg_event_ext {
    int64_t cycle;
    int64_t timeout;  /* 100 ns units as the guest passed it */
    int64_t ret;
    uint32_t pc, entry_pc, new_tid, alias, count;
    uint32_t objs_off, objs_n;     /* into wdg_trace.words */
    uint32_t frames_off, frames_n; /* into wdg_trace.words */
    uint32_t sites;                /* WDG_X_* */
} wdg_event_ext;

/* Address words are read through these: a site index becomes its wdg_addr
 * (a 32-bit guest's trace has none, and its words are their values). */
static inline wdg_addr wdg_addr_word(uint32_t w, int is_site)
{
    return is_site ? WDG_ADDR_SITE | w : w;
}
static inline wdg_addr wdg_ev_lr(const wdg_event *e)
{
    return wdg_addr_word(e->lr, (e->flags & WDG_EV_LR_SITE) != 0);
}
static inline wdg_addr wdg_ev_obj(const wdg_event *e)
{
    return wdg_addr_word(e->obj, (e->flags & WDG_EV_OBJ_SITE) != 0);
}
static inline wdg_addr wdg_x_pc(const wdg_event_ext *x)
{
    return wdg_addr_word(x->pc, (x->sites & WDG_X_PC_SITE) != 0);
}
static inline wdg_addr wdg_x_entry_pc(const wdg_event_ext *x)
{
    return wdg_addr_word(x->entry_pc, (x->sites & WDG_X_ENTRY_SITE) != 0);
}
static inline wdg_addr wdg_x_alias(const wdg_event_ext *x)
{
    return wdg_addr_word(x->alias, (x->sites & WDG_X_ALIAS_SITE) != 0);
}
/* Element i of a list at words off: one word each, or two when wide. */
static inline wdg_addr wdg_words_addr(const uint32_t *words, uint32_t off, uint32_t i, int wide)
{
    return wide ? (wdg_addr)words[off + 2 * i] | (wdg_addr)words[off + 2 * i + 1] << 32
                : words[off + i];
}

/* Why a line was malformed. */
typedef enum wdg_malformed_reason {
    WDG_MAL_SYNTAX,      /* not valid JSON / not the line's shape */
    WDG_MAL_TYPE,        /* a field of the wrong type */
    WDG_MAL_RANGE,       /* a number out of range */
    WDG_MAL_MISSING,     /* a required field is missing */
    WDG_MAL_TOO_LONG,    /* longer than WDG_MAX_LINE */
    WDG_MAL_UNRESOLVED,  /* a PC-probe event whose pc names no op */
    WDG_MAL_TRUNCATED,   /* the partial last line of a trace cut short */
    WDG_MAL_COUNT
} wdg_malformed_reason;

WDG_API const char *wdg_malformed_reason_name(int reason);

#define WDG_MALFORMED_SAMPLES 8
#define WDG_MAX_LINE (1u << 20)

typedef struct wdg_malformed_sample {
    uint64_t line;
    int reason;
    char msg[160];
} wdg_malformed_sample;

typedef struct wdg_import {
    uint32_t pc;   /* thunk address */
    uint32_t op;
} wdg_import;

/* How a run ended, from its trace.end line's "reason" member: "exit" (the
 * process exited normally), "signal" (a fatal signal), "killed" (wedge
 * record's --timeout).  UNKNOWN: no reason, a word not known, or no
 * trace.end at all. */
typedef enum {
    WDG_END_REASON_UNKNOWN, WDG_END_REASON_EXIT, WDG_END_REASON_SIGNAL, WDG_END_REASON_KILLED
} wdg_end_reason;

/* "exit", "signal", "killed", or NULL for UNKNOWN and other values. */
WDG_API const char *wdg_end_reason_name(int reason);

typedef struct wdg_trace {
    char *path;                 /* as given ("-" for stdin) */
    const char *format;         /* "jsonl", "xenia-log", "template", "empty" */
    const char *compression;    /* "none", "gzip", "zstd" */
    const char *truncated;      /* why the input ended early (static text:
                                 * a compressed stream cut mid-member, a file
                                 * that shrank while read); NULL when whole */
    wdg_ops *ops;               /* borrowed */

    wdg_event *events;
    size_t n_events, cap_events;
    uint32_t *words;            /* the events' records of rarer fields,
                                 * with their objs and frames lists */
    size_t n_words, cap_words;

    uint64_t bytes;             /* input bytes after decompression */
    uint64_t lines, ignored, malformed;
    uint64_t merged;            /* of ignored: xenia debug-log lines merged
                                 * into their partner's event */
    uint64_t malformed_by_reason[WDG_MAL_COUNT];
    wdg_malformed_sample samples[WDG_MALFORMED_SAMPLES];
    unsigned n_samples;

    /* header (JSONL first line with wedge_trace) */
    int has_header;
    unsigned header_observes;   /* category bits, valid when has_observes */
    int has_observes;
    char engine[64], title_id[32], module_hash[80];
    int has_header_end;         /* header member "ended_at" */
    int64_t header_end;

    /* the last trace.end line (counted as ignored, never an event) */
    int has_end_marker;
    int64_t end_marker_t;
    uint64_t end_marker_line;
    int end_reason;             /* wdg_end_reason: its "reason" member */

    uint64_t probe_events;      /* events still waiting for their op */

    wdg_import *imports;        /* xenia import table lines */
    size_t n_imports, cap_imports;

    /* computed by wdg_trace_finalize() */
    unsigned observes;          /* categories observed (header or seen) */
    int all_t;                  /* every event has t (some placed): ordered by t */
    uint64_t placed_t;          /* events whose t was placed (WDG_EV_T_PLACED) */
    int64_t first_t, last_t;    /* when all_t */
    uint64_t producers;
    uint64_t producers_with_lr;
    uint32_t threads;           /* distinct tids */
    /* every event read, those a folding read (wdg_read_opts.fold) counted
     * and dropped included: n_events is what is still held */
    uint64_t counted;
    uint64_t by_cat[WDG_CAT_COUNT];
    uint32_t first_line, last_line; /* the first and last event's lines */

    unsigned chunks;            /* parts read two at once: 2 chunks of a file (load.c),
                                 * a stream's segments (reader.c); else 0 */
    struct wdg_fold *fold;      /* internal: what a folding read dropped */
} wdg_trace;

WDG_API int wdg_trace_finalize(wdg_trace *t, wdg_error *err);

WDG_API void wdg_trace_free(wdg_trace *t);

/* The bytes t holds for its events (the event array, ext records, the word
 * pool and the import table, by capacity), not counting the input, which
 * is never kept: the figure behind WEDGE_MEMSTATS. */
WDG_API size_t wdg_trace_mem_bytes(const wdg_trace *t);

/* Fills *buf with e's rarer fields and returns buf, or NULL when e has
 * none.  The lists stay in t (wdg_x_obj, wdg_x_frame). */
WDG_API wdg_event_ext *wdg_event_ext_read(const wdg_trace *t, const wdg_event *e,
                                          wdg_event_ext *buf);
static inline wdg_event_ext *wdg_event_ext_of(const wdg_trace *t, const wdg_event *e,
                                              wdg_event_ext *buf)
{
    return e->flags & WDG_EV_EXT ? wdg_event_ext_read(t, e, buf) : NULL;
}

/* e's input line (saturating at UINT32_MAX). */
static inline uint32_t wdg_ev_line(const wdg_trace *t, const wdg_event *e)
{
    return e->flags & WDG_EV_EXT ? t->words[e->slot - 1] : e->slot;
}

/* Object i (< objs_n) and frame i (< frames_n) of ext record x of t. */
static inline wdg_addr wdg_x_obj(const wdg_trace *t, const wdg_event_ext *x, uint32_t i)
{
    return wdg_words_addr(t->words, x->objs_off, i, (x->sites & WDG_X_OBJS_WIDE) != 0);
}
static inline wdg_addr wdg_x_frame(const wdg_trace *t, const wdg_event_ext *x, uint32_t i)
{
    return wdg_words_addr(t->words, x->frames_off, i, (x->sites & WDG_X_FRAMES_WIDE) != 0);
}

/* Name to show for the trace: its path, or "<stdin>". */
WDG_API const char *wdg_trace_display_name(const wdg_trace *t);

#ifdef __cplusplus
}
#endif

#endif
