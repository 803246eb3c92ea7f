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
#include "wedge/trace.h"

#define WDG_MAX_OBJS 64
#define WDG_MAX_FRAMES 64

/* wdg_rec.have */
enum {
    R_T = 1u << 0, R_CYCLE = 1u << 1, R_TID = 1u << 2, R_OP = 1u << 3,
    R_LR = 1u << 4, R_PC = 1u << 5, R_OBJ = 1u << 6, R_OBJS = 1u << 7,
    R_WAIT_ALL = 1u << 8, R_TIMEOUT = 1u << 9, R_ENTRY = 1u << 10,
    R_NEW_TID = 1u << 11, R_RET = 1u << 12, R_FRAMES = 1u << 13,
    R_ALIAS = 1u << 14, R_SUSPENDED = 1u << 15, R_COUNT = 1u << 16,
    R_TIMEOUT_PTR = 1u << 17  /* finite timeout, value not known */
};

typedef struct wdg_rec {
    uint32_t have;
    int64_t t, cycle, timeout, ret;
    uint32_t tid, lr, pc, obj, entry_pc, new_tid, alias, count;
    int wait_all, suspended;
    const char *op;          /* op text, op_len bytes, not NUL-terminated */
    size_t op_len;
    uint32_t op_id;          /* set instead of op when already interned */
    char op_buf[256];        /* op text decoded from escapes */
    int tid_from_handle;     /* xenia: tid is a handle not yet bound */
    uint32_t n_objs, n_frames;
    uint32_t objs[WDG_MAX_OBJS];
    uint32_t frames[WDG_MAX_FRAMES];
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

void wdg_rec_clear(wdg_rec *r);
wdg_line_kind wdg_malformed(wdg_line_result *res, int reason, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* --- numbers (numparse.c) ------------------------------------------ */
/* All return 0 on success, -1 = not a number of that form, -2 = out of range. */
int wdg_parse_hex32(const char *s, size_t n, uint32_t *out);   /* opt. 0x */
int wdg_parse_dec64(const char *s, size_t n, int64_t *out);    /* opt. - */
int wdg_parse_udec32(const char *s, size_t n, uint32_t *out);
/* decimal, or hex with 0x */
int wdg_parse_int64(const char *s, size_t n, int64_t *out);
/* A decimal fraction, [+-]DIGITS[.DIGITS][e[+-]DIGITS] (digits on at least
 * one side of the point), with '.' as its point whatever the locale: options
 * such as --tolerance 0.25 mean the same in a host that called setlocale().
 * wdg_scan_decimal takes the longest such prefix ("12.5" of "12.5s") and
 * returns its length, 0 when s starts with none; *out may be an infinity
 * when the exponent is huge.  wdg_parse_decimal takes all of s (-1 when it
 * is not one number, -2 when the number is not finite). */
size_t wdg_scan_decimal(const char *s, size_t n, double *out);
int wdg_parse_decimal(const char *s, size_t n, double *out);

/* --- field names shared by JSONL and key=value lines ---------------- */
typedef enum {
    F_UNKNOWN, F_T, F_CYCLE, F_TID, F_OP, F_LR, F_FRAMES, F_PC, F_OBJ, F_OBJS,
    F_WAIT_ALL, F_TIMEOUT, F_ENTRY_PC, F_NEW_TID, F_RET, F_SUSPENDED, F_ALIAS,
    F_COUNT, F_HEADER, F_ENGINE, F_TITLE_ID, F_MODULE_HASH, F_OBSERVES, F_ENDED_AT
} wdg_field;

wdg_field wdg_field_lookup(const char *s, size_t n);
const char *wdg_field_name(wdg_field f);
/* Fields whose values are addresses (hex strings). */
int wdg_field_is_address(wdg_field f);

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

/* --- detection (detect.c) ------------------------------------------- */
typedef enum { FMT_UNKNOWN, FMT_EMPTY, FMT_JSONL, FMT_XENIA, FMT_TEMPLATE } wdg_format;

/* Fed a trace's lines in order until settled (or the caller's sample
 * bound is reached), then asked for the format. */
typedef struct wdg_detector {
    const wdg_templates *ts;   /* NULL when no --line-format was given */
    uint64_t seen;             /* non-blank lines fed */
    int first_is_json;         /* -1 before the first non-blank line */
    int xenia, tmpl;
} wdg_detector;

void wdg_detect_init(wdg_detector *d, const wdg_templates *ts);
void wdg_detect_line(wdg_detector *d, const char *line, size_t n);
/* No later line can change the answer. */
int wdg_detect_settled(const wdg_detector *d);
wdg_format wdg_detect_result(const wdg_detector *d);
const char *wdg_format_name(wdg_format f);

#endif
