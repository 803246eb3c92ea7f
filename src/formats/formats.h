/* formats.h - the line parsers shared by the reader (internal).
 *
 * Each parser turns one line into a wdg_rec (every field a reader can
 * give), or says the line is ignored, or malformed with a reason and a
 * message.  The reader (reader.c) counts lines and stores events.
 */
#ifndef WEDGE_FORMATS_H
#define WEDGE_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/template.h"
#include "wedge/load.h"
#include "wedge/trace.h"
#include "../base/numparse.h"

#define WDG_MAX_OBJS 64
#define WDG_MAX_FRAMES 64

/* wdg_rec.have */
enum {
    R_T = 1u << 0, R_CYCLE = 1u << 1, R_TID = 1u << 2, R_OP = 1u << 3,
    R_LR = 1u << 4, R_PC = 1u << 5, R_OBJ = 1u << 6, R_OBJS = 1u << 7,
    R_WAIT_ALL = 1u << 8, R_TIMEOUT = 1u << 9, R_ENTRY = 1u << 10,
    R_NEW_TID = 1u << 11, R_RET = 1u << 12, R_FRAMES = 1u << 13,
    R_ALIAS = 1u << 14, R_SUSPENDED = 1u << 15, R_COUNT = 1u << 16,
    R_TIMEOUT_PTR = 1u << 17, /* finite timeout, value not known */
    R_REASON = 1u << 18
};

typedef struct wdg_rec {
    wdg_sites *sites;        /* where wide addresses and module sites are
                              * interned; NULL: only 32-bit addresses.  Set
                              * by the reader (wdg_rec_init), kept by
                              * wdg_rec_clear. */
    uint32_t have;
    int64_t t, cycle, timeout, ret;
    uint32_t tid, new_tid, count;
    wdg_addr lr, pc, obj, entry_pc, alias;
    int wait_all, suspended;
    int end_reason;          /* wdg_end_reason (trace.end) */
    const char *op;          /* op text, op_len bytes, not NUL-terminated */
    size_t op_len;
    uint32_t op_id;          /* set instead of op when already interned */
    char op_buf[256];        /* op text decoded from escapes */
    int tid_from_handle;     /* xenia: tid is a handle not yet bound */
    uint32_t n_objs, n_frames;
    wdg_addr objs[WDG_MAX_OBJS];
    wdg_addr frames[WDG_MAX_FRAMES];
} wdg_rec;

/* LINE_NOMEM: the parser ran out of memory; the read fails (exit 71), as a
 * line counted malformed or ignored instead would change the result.
 * LINE_MERGED: the line was merged into its partner's event (xenia debug
 * logs); it counts as ignored and as merged. */
typedef enum {
    LINE_EVENT, LINE_IGNORED, LINE_MALFORMED, LINE_NOMEM, LINE_MERGED
} wdg_line_kind;

typedef struct wdg_line_result {
    int reason;              /* wdg_malformed_reason, for LINE_MALFORMED */
    char msg[160];
} wdg_line_result;

/* A record interning into sites (may be NULL), cleared. */
void wdg_rec_init(wdg_rec *r, wdg_sites *sites);
/* Inline: every line clears the record.  The objs/frames arrays are only
 * read up to n_objs/n_frames. */
static inline void wdg_rec_clear(wdg_rec *r)
{
    r->have = 0;
    r->n_objs = r->n_frames = 0;
    r->op = NULL;
    r->op_len = 0;
    r->op_id = WDG_OP_NONE;
    r->wait_all = r->suspended = 0;
    r->end_reason = WDG_END_REASON_UNKNOWN;
    r->tid_from_handle = 0;
}
wdg_line_kind wdg_malformed(wdg_line_result *res, int reason, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* --- records into events (append.c) --------------------------------- */
/* Appends rec as an event with op id op (WDG_OP_NONE for a probe event). */
int wdg_trace_append(wdg_trace *t, const wdg_rec *rec, uint32_t op, uint64_t line,
                     wdg_error *err);
/* Merges rec into event i, the same call logged by a partner line: the
 * event keeps the fields it has and takes those it lacks from rec; it
 * takes op unless op is WDG_OP_NONE, and rec's tid when take_tid (the
 * partner is the authority for them).  0, or WDG_ENOMEM (err set). */
int wdg_trace_merge(wdg_trace *t, size_t i, const wdg_rec *rec, uint32_t op,
                    int take_tid, uint64_t line, wdg_error *err);
/* --- the field table (fields.c) ------------------------------------- */
/* Every field a reader knows, event fields first, then the JSONL header's
 * members.  Names and aliases, value types, ranges and the wdg_rec flag
 * live in one table in fields.c; readers parse the text of a value and
 * store it through the wdg_rec_set_* functions, which apply the ranges. */
typedef enum {
    F_UNKNOWN, F_T, F_CYCLE, F_TID, F_OP, F_LR, F_FRAMES, F_PC, F_OBJ, F_OBJS,
    F_WAIT_ALL, F_TIMEOUT, F_ENTRY_PC, F_NEW_TID, F_RET, F_SUSPENDED, F_ALIAS,
    F_COUNT, F_REASON, F_HEADER, F_ENGINE, F_TITLE_ID, F_MODULE_HASH, F_OBSERVES, F_ENDED_AT,
    F_FIELD_COUNT
} wdg_field;

typedef enum {
    FT_NONE,        /* unknown name */
    FT_TIME,        /* int64, >= 0 */
    FT_INT,         /* int64 */
    FT_U32,         /* an integer of 32 bits: thread ids, counts */
    FT_ADDR,        /* an address (wdg_addr_parse) */
    FT_ADDR_LIST,   /* up to WDG_MAX_OBJS / WDG_MAX_FRAMES addresses */
    FT_BOOL,
    FT_OP,          /* an op name, 1 to 255 bytes */
    FT_END_REASON,  /* a word naming how a run ended (wdg_end_reason) */
    FT_HEADER       /* a JSONL header member, not an event field */
} wdg_field_type;

/* A field's row of the table (fields.c). */
typedef struct wdg_field_info {
    const char *name;         /* canonical */
    size_t len;
    wdg_field_type type;
    uint32_t flag;            /* wdg_rec.have bit; 0 for header members */
    size_t off;               /* where the value is in a wdg_rec */
    size_t count_off;         /* FT_ADDR_LIST: where its count is */
    uint32_t max;             /* FT_ADDR_LIST: most entries */
    int null_unsets;          /* "null" unsets it (timeout: null is an
                               * infinite wait) rather than leaving it */
} wdg_field_info;

extern const wdg_field_info wdg_fields[F_FIELD_COUNT];

/* By name or alias; F_UNKNOWN when none. */
wdg_field wdg_field_lookup(const char *s, size_t n);
/* The i-th name a field answers to (its aliases included): 1 with *name
 * and *f set, 0 past the last.  wdg_field_lookup() must agree with it. */
int wdg_field_alias(size_t i, const char **name, wdg_field *f);

/* The accessors are inline: readers ask them for every member. */
static inline wdg_field wdg_field_ok(wdg_field f)
{
    return (unsigned)f < F_FIELD_COUNT ? f : F_UNKNOWN;
}
static inline const char *wdg_field_name(wdg_field f) { return wdg_fields[wdg_field_ok(f)].name; }
static inline wdg_field_type wdg_field_type_of(wdg_field f)
{
    return wdg_fields[wdg_field_ok(f)].type;
}
/* Values are addresses: FT_ADDR, FT_ADDR_LIST. */
static inline int wdg_field_is_address(wdg_field f)
{
    return wdg_field_type_of(f) == FT_ADDR || wdg_field_type_of(f) == FT_ADDR_LIST;
}
/* An event field (stored in a wdg_rec), not a header member or unknown. */
static inline int wdg_field_is_event(wdg_field f) { return wdg_fields[wdg_field_ok(f)].flag != 0; }
static inline int wdg_field_null_unsets(wdg_field f)
{
    return wdg_fields[wdg_field_ok(f)].null_unsets;
}

/* Addresses: the one place that turns text or a number into an address
 * (wedge/sites.h: up to 64 bits, or "MODULE+0xOFF"), interned into sites
 * when wide or a module site.  0, -1 when not one, -2 out of range (more
 * than 64 bits, or wider than 32 bits with no sites, or the site table
 * full), -3 out of memory. */
int wdg_addr_parse_any(wdg_sites *sites, const char *s, size_t n, wdg_addr *out);
int wdg_addr_from_u64(wdg_sites *sites, uint64_t v, wdg_addr *out);
/* Inline for a 32-bit guest's addresses: read as fast as before. */
static inline int wdg_addr_parse(wdg_sites *sites, const char *s, size_t n, wdg_addr *out)
{
    uint64_t v;
    if (wdg_parse_hex64(s, n, &v) == 0 && v <= UINT32_MAX) {
        *out = v;
        return 0;
    }
    return wdg_addr_parse_any(sites, s, n, out);
}
int wdg_addr_from_int(wdg_sites *sites, int64_t v, wdg_addr *out);

/* Storing a value: 0, or -2 when it is out of the field's range (negative
 * time, a tid beyond 32 bits, an address beyond 64 bits, a full list), or
 * -1 when the field does not take that kind of value.  A reader words
 * the message.  An integer stored into an address field goes through
 * wdg_addr_from_int; an address stored into a list field makes a list of
 * one. */
int wdg_rec_set_int(wdg_rec *r, wdg_field f, int64_t v);   /* -3 out of memory */
int wdg_rec_set_addr(wdg_rec *r, wdg_field f, wdg_addr v);
int wdg_rec_set_bool(wdg_rec *r, wdg_field f, int v);
/* trace.end's reason: a word it does not know is UNKNOWN (a newer
 * writer's word), not an error; -1 when f is not a reason field. */
int wdg_rec_set_reason(wdg_rec *r, wdg_field f, const char *s, size_t n);
/* op text of 1 to 255 bytes (not copied): -1 empty, -2 too long. */
int wdg_rec_set_op(wdg_rec *r, const char *s, size_t n);
/* Lists: clear (count 0, flag unchanged), add (sets the flag; -2 when
 * full), full, and mark (the flag alone: an empty list). */
void wdg_rec_list_clear(wdg_rec *r, wdg_field f);
int wdg_rec_list_add(wdg_rec *r, wdg_field f, wdg_addr v);
int wdg_rec_list_full(const wdg_rec *r, wdg_field f);
void wdg_rec_mark(wdg_rec *r, wdg_field f);
void wdg_rec_unset(wdg_rec *r, wdg_field f);

/* --- ELF symbols (elf.c) ------------------------------------------- */
/* Adds the functions of the ELF image d[0..n) to s (in its current
 * module): their count, -1 out of memory, -2 not an ELF file. */
int wdg_elf_symbols(wdg_symbols *s, const unsigned char *d, size_t n);

/* --- JSONL (jsonl.c) ------------------------------------------------ */
typedef struct wdg_jsonl_header {
    int is_header;
    int has_observes;
    unsigned observes;
    char engine[64], title_id[32], module_hash[80];
    int has_ended_at;          /* header member "ended_at" */
    int64_t ended_at;
} wdg_jsonl_header;

wdg_line_kind wdg_jsonl_parse(const char *line, size_t len, wdg_rec *rec,
                              wdg_jsonl_header *hdr, wdg_line_result *res);
/* The same without the quick path for the common keys and values (for
 * tests: both must give the same record, kind and message). */
wdg_line_kind wdg_jsonl_parse_general(const char *line, size_t len, wdg_rec *rec,
                                      wdg_jsonl_header *hdr, wdg_line_result *res);

/* --- xenia logs (xenia.c) ------------------------------------------- */
typedef struct wdg_xenia wdg_xenia;
int wdg_xenia_new(wdg_xenia **out, wdg_ops *ops);
void wdg_xenia_free(wdg_xenia *x);
/* Parses one line; import table lines are appended to trace->imports.
 * A stock kernel-call line and a key=value line of the same call on the
 * same thread, one right after the other, become one event: the second
 * is merged into the first's event (trace->events) and is LINE_MERGED.
 * So the caller must append every LINE_EVENT before the next line. */
wdg_line_kind wdg_xenia_parse(wdg_xenia *x, wdg_trace *trace, const char *line,
                              size_t len, wdg_rec *rec, wdg_line_result *res);
/* Remembers that event_index took a handle as tid (rec.tid_from_handle). */
int wdg_xenia_note_unbound(wdg_xenia *x, size_t event_index);
/* Events whose tid is a handle bound only later get the bound tid. */
void wdg_xenia_rebind(wdg_xenia *x, wdg_trace *trace);
/* Format detection: does the line look like a xenia log line? */
int wdg_xenia_line_looks(const char *line, size_t len);

/* --- key=value messages (xenia.c) ----------------------------------- */
int wdg_kv_line_looks(const char *msg, size_t len);
wdg_line_kind wdg_kv_parse(const char *msg, size_t len, wdg_rec *rec,
                           wdg_line_result *res);

/* --- templates (template.c) ----------------------------------------- */
/* LINE_IGNORED when no template matches. */
wdg_line_kind wdg_templates_parse(const wdg_templates *ts, const char *line,
                                  size_t len, wdg_rec *rec, wdg_line_result *res);

/* --- the format registry (detect.c) --------------------------------- */
/* What a format's parser may use besides the line. */
typedef struct wdg_format_ctx {
    wdg_trace *trace;
    wdg_ops *ops;
    const wdg_templates *templates;
    void *state;                  /* from state_new, or NULL */
} wdg_format_ctx;

/* wdg_format_def.flags */
enum {
    WDG_FMT_FIRST_LINE = 1u << 0,   /* only the first non-blank line is looked at */
    WDG_FMT_TEMPLATES = 1u << 1     /* only when --line-format gave templates */
};

/* One trace format.  Detection feeds each sample line (trailing '\r'
 * dropped) to line_looks; the first format of the registry that some line
 * looked like is the trace's format. */
typedef struct wdg_format_def {
    const char *name;             /* wdg_trace.format */
    unsigned flags;
    int (*line_looks)(const wdg_templates *ts, const char *line, size_t n);
    /* State across lines, or both NULL: 0, or -1 out of memory. */
    int (*state_new)(void **state, wdg_ops *ops);
    void (*state_free)(void *state);
    wdg_line_kind (*parse_line)(const wdg_format_ctx *c, const char *line, size_t len,
                                wdg_rec *rec, wdg_line_result *res);
    /* Optional: event index took a handle as tid (rec.tid_from_handle);
     * 0, or -1 out of memory. */
    int (*note_unbound)(void *state, size_t index);
    /* Optional: called once after the last line. */
    void (*finish)(void *state, wdg_trace *trace);
} wdg_format_def;

/* --- a file read in two chunks (reader.c, load.c) ------------------- */
/* Bytes [start, end) of a plain file.  The second chunk gets the first
 * chunk's format in fmt (no detection, no byte-order mark); its counts,
 * line numbers and ids are its own until load.c merges them. */
typedef struct wdg_read_part {
    uint64_t start, end;
    const wdg_format_def *fmt;
    const wdg_format_def **detected;   /* wdg_detect_part's answer */
} wdg_read_part;

int wdg_trace_read_part(wdg_trace **out, const char *path, wdg_ops *ops,
                        const wdg_read_opts *opts, const wdg_read_part *part, wdg_error *err);
/* A part of a trace read with a private op table priv (a clone of ops,
 * load.c): its op ids and sites moved to ops, in the order the part first
 * named them, as reading it after what ops has seen would have given. */
int wdg_part_adopt(wdg_trace *t, wdg_ops *priv, wdg_ops *ops, wdg_error *err);
/* t2, the lines right after t's (in t's ids: wdg_part_adopt), into t as if
 * read on: lines shifted, samples, header, trace.end, folds.  1 when the
 * folds cannot be put in line order (t holds probe events, which are
 * never folded, and t2 folded); then nothing was merged. */
int wdg_part_merge(wdg_trace *t, wdg_trace *t2, wdg_error *err);

/* The format a read decides from the lines of [0, end) alone, or NULL
 * when its sample reaches past end (or on any error).  Only holds lines:
 * interns nothing into ops. */
const wdg_format_def *wdg_detect_part(const char *path, wdg_ops *ops,
                                      const wdg_read_opts *opts, uint64_t end);

/* The formats, each defined in its own file; the registry (detect.c)
 * lists them in order of precedence. */
extern const wdg_format_def wdg_format_template;
extern const wdg_format_def wdg_format_jsonl;
extern const wdg_format_def wdg_format_xenia;

/* Fed a trace's lines in order until settled (or the caller's sample
 * bound is reached), then asked for the format. */
typedef struct wdg_detector {
    const wdg_templates *ts;   /* NULL when no --line-format was given */
    uint64_t seen;             /* non-blank lines fed */
    uint32_t hit;              /* bit i: a line looked like registry entry i */
} wdg_detector;

void wdg_detect_init(wdg_detector *d, const wdg_templates *ts);
void wdg_detect_line(wdg_detector *d, const char *line, size_t n);
/* No later line can change the answer. */
int wdg_detect_settled(const wdg_detector *d);
/* The format, or NULL when no line looked like any. */
const wdg_format_def *wdg_detect_result(const wdg_detector *d);
/* "empty" when no non-blank line was fed, else "unknown". */
const char *wdg_detect_none_name(const wdg_detector *d);

#endif
