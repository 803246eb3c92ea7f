/* The reader: source -> format detection -> line parser -> events.
 *
 * Detection sees the trace's own lines: non-blank lines are held back
 * (copied) until the detector is settled or the sample bound is reached,
 * then parsed in order with their own line numbers.  So the format never
 * depends on the transport, and no line is counted before its format is
 * known. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../input/source.h"
#include "../base/grow.h"
#include "../model/trace_build.h"
#include "formats.h"

_Static_assert(WDG_SOURCE_MAX_LINE == WDG_MAX_LINE, "sources and traces agree on the longest line");

enum {
    /* progress every 4096 lines: a slow stream (stdin) shows its line after
     * a second even when lines come slowly; the callback is cheap */
    PROGRESS_EVERY = 1 << 12,
    /* held-back lines: past this the sample is judged as it is */
    SAMPLE_BYTES = 1 << 22,
    SAMPLE_LINES = 1 << 16
};

typedef struct held_line {
    size_t off, len;
    uint64_t line;
    int flag;
} held_line;

/* Op names seen recently, so that a line's op is one compare instead of
 * hashing its name into the op table: traces name a few hundred ops at
 * most, each millions of times. */
enum { OP_CACHE = 256, OP_CACHE_NAME = 42 };
typedef struct op_slot {
    uint32_t id;
    unsigned char len;   /* 0: empty */
    char name[OP_CACHE_NAME];
} op_slot;

typedef struct reader {
    wdg_trace *t;
    wdg_ops *ops;
    const wdg_read_opts *opts;
    const char *name;
    wdg_rec *rec;
    const wdg_format_def *fmt;  /* NULL until decided */
    int decided;
    wdg_format_ctx fc;          /* what the format's parser uses */
    wdg_detector det;
    char *held;                 /* the held-back lines' bytes */
    size_t held_len, held_cap;
    held_line *lines;
    size_t n_lines, cap_lines;
    op_slot *op_cache;          /* OP_CACHE slots */
    const wdg_read_part *part;  /* a chunk of the file, or NULL */
    int detect_only;            /* stop once the format is decided */
    const char *path;
    int segments;               /* may parse the rest in segments (read_segments) */
} reader;

static inline int is_blank(const char *s, size_t n)
{
    if (n && (unsigned char)s[0] > ' ')   /* most lines: the first byte tells */
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Checks the fields pseudo ops require; LINE_EVENT when fine. */
static wdg_line_kind check_pseudo(uint32_t op, const wdg_rec *rec, wdg_line_result *res)
{
    if (op == WDG_OP_THREAD_CREATE && (rec->have & (R_ENTRY | R_NEW_TID)) != (R_ENTRY | R_NEW_TID))
        return wdg_malformed(res, WDG_MAL_MISSING, "thread.create needs entry_pc and new_tid");
    if (op == WDG_OP_OBJECT_ALIAS && (rec->have & (R_OBJ | R_ALIAS)) != (R_OBJ | R_ALIAS))
        return wdg_malformed(res, WDG_MAL_MISSING, "object.alias needs obj and alias");
    if (op == WDG_OP_TRACE_END && !(rec->have & R_T))
        return wdg_malformed(res, WDG_MAL_MISSING, "trace.end needs t");
    return LINE_EVENT;
}

static int oom(reader *r, uint64_t line, wdg_error *err)
{
    return wdg_error_set(err, WDG_ENOMEM, r->name, line, "out of memory");
}

static unsigned op_hash(const char *s, size_t n)
{
    uint64_t a = 0, b;
    if (n >= 8) {   /* most names: two loads of a known size, no call */
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else {
        memcpy(&a, s, n);
        b = a;
    }
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ n) * 0xC2B2AE3D27D4EB4FULL;
    return (unsigned)(h >> 56) % OP_CACHE;
}

/* a == b for n bytes, a word at a time (the last word overlapping the one
 * before it): a line's op is compared with its cached name on every line,
 * and memcmp is a call for a length known only here. */
static inline int same_name(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

/* The op id of a name: from the cache, else interned (and cached). */
static uint32_t intern_op(reader *r, const char *s, size_t n)
{
    if (n > OP_CACHE_NAME)
        return wdg_ops_intern(r->ops, s, n);
    op_slot *slot = &r->op_cache[op_hash(s, n)];
    if (slot->len == n && same_name(slot->name, s, n))
        return slot->id;
    uint32_t id = wdg_ops_intern(r->ops, s, n);
    if (id != WDG_OP_NONE) {
        slot->id = id;
        slot->len = (unsigned char)n;
        memcpy(slot->name, s, n);
    }
    return id;
}

static wdg_line_kind parse_line(reader *r, const char *line, size_t len, wdg_line_result *res)
{
    if (!r->fmt)   /* an empty trace: only cut lines reach here */
        return LINE_IGNORED;
    return r->fmt->parse_line(&r->fc, line, len, r->rec, res);
}

/* Counts one non-blank line of the decided format as exactly one of
 * event, ignored or malformed. */
static int process(reader *r, const char *line, size_t len, int flag, uint64_t line_no,
                   wdg_error *err)
{
    wdg_trace *t = r->t;
    wdg_rec *rec = r->rec;
    wdg_line_result res;
    wdg_line_kind kind;
    if (flag == WDG_LINE_WHOLE)
        kind = parse_line(r, line, len, &res);
    else if (flag == WDG_LINE_TOO_LONG)
        kind = wdg_malformed(&res, WDG_MAL_TOO_LONG, "line longer than %u bytes", WDG_MAX_LINE);
    else if (flag == WDG_LINE_CUT)
        kind = wdg_malformed(&res, WDG_MAL_TRUNCATED, "the trace ends inside this line");
    else
        kind = parse_line(r, line, len, &res);
    if (kind == LINE_NOMEM)
        return oom(r, line_no, err);
    if (kind == LINE_EVENT) {
        uint32_t op = WDG_OP_NONE;
        if (rec->op_id != WDG_OP_NONE)
            op = rec->op_id;
        else if (rec->have & R_OP)
            op = intern_op(r, rec->op, rec->op_len);
        if ((rec->have & R_OP) && op == WDG_OP_NONE)
            return oom(r, line_no, err);
        /* the pseudo ops are the first ids: one compare for the rest */
        kind = op <= WDG_OP_TRACE_END ? check_pseudo(op, rec, &res) : LINE_EVENT;
        if (kind == LINE_EVENT && op == WDG_OP_TRACE_END) {
            /* the end of the run, not a thread's event: the trace keeps
             * the last one, and its line counts as ignored like the header */
            t->has_end_marker = 1;
            t->end_marker_t = rec->t;
            t->end_marker_line = line_no;
            t->end_reason = (rec->have & R_REASON) ? rec->end_reason : WDG_END_REASON_UNKNOWN;
            kind = LINE_IGNORED;
        }
        if (kind == LINE_EVENT) {
            int rc = wdg_trace_append(t, rec, op, line_no, err);
            if (rc < 0)
                return rc;
            if (r->opts->fold && t->n_events >= r->opts->fold && !t->probe_events &&
                !r->fmt->state_new && wdg_trace_fold(t, err) < 0)
                return oom(r, line_no, err);
            if (rec->tid_from_handle && r->fmt->note_unbound &&
                r->fmt->note_unbound(r->fc.state, t->n_events - 1) < 0)
                return oom(r, line_no, err);
            return 0;
        }
    }
    if (kind == LINE_IGNORED || kind == LINE_MERGED) {
        t->ignored++;
        t->merged += kind == LINE_MERGED;
        return 0;
    }
    return wdg_trace_add_malformed(t, line_no, res.reason, res.msg, r->opts->strict, err);
}

static int hold(reader *r, const char *line, size_t len, int flag, uint64_t line_no,
                wdg_error *err)
{
    if (wdg_grow((void **)&r->held, &r->held_cap, r->held_len + len + 1, 1, 64) < 0 ||
        wdg_grow((void **)&r->lines, &r->cap_lines, r->n_lines + 1, sizeof *r->lines, 64) < 0)
        return oom(r, line_no, err);
    memcpy(r->held + r->held_len, line, len);
    r->lines[r->n_lines++] = (held_line){r->held_len, len, line_no, flag};
    r->held_len += len;
    if (flag != WDG_LINE_CUT)
        wdg_detect_line(&r->det, line, len);
    return 0;
}

/* Fixes the format from the sample and parses the held lines. */
static int decide(reader *r, wdg_error *err)
{
    r->fmt = wdg_detect_result(&r->det);
    r->decided = 1;
    if (!r->fmt && r->det.seen)
        return wdg_error_set(err, WDG_EINPUT, r->name, 0,
                             "no known trace format (not wedge JSONL, not a xenia log%s)",
                             wdg_templates_count(r->opts->templates)
                                 ? ", no --line-format template matches"
                                 : "; for another text log give --line-format");
    r->t->format = r->fmt ? r->fmt->name : wdg_detect_none_name(&r->det);
    if (r->fmt && r->fmt->state_new && r->fmt->state_new(&r->fc.state, r->ops) < 0)
        return oom(r, 0, err);
    for (size_t i = 0; i < r->n_lines; i++) {
        const held_line *h = &r->lines[i];
        int rc = process(r, r->held + h->off, h->len, h->flag, h->line, err);
        if (rc < 0)
            return rc;
    }
    free(r->held);
    free(r->lines);
    r->held = NULL;
    r->lines = NULL;
    r->held_len = r->held_cap = r->n_lines = r->cap_lines = 0;
    return 0;
}

/* The first line may open with a byte-order mark: UTF-8's is skipped,
 * UTF-16 (a shell redirect on Windows) is refused by name. */
static int first_line(reader *r, const char **line, size_t *len, wdg_error *err)
{
    const unsigned char *p = (const unsigned char *)*line;
    size_t n = *len;
    const char *enc = NULL;
    if (n >= 2 && p[0] == 0xff && p[1] == 0xfe)
        enc = "UTF-16LE";
    else if (n >= 2 && p[0] == 0xfe && p[1] == 0xff)
        enc = "UTF-16BE";
    else if (n >= 4 && p[0] && p[0] < 0x80 && !p[1] && p[2] && p[2] < 0x80 && !p[3])
        enc = "UTF-16LE";   /* no mark, but ASCII text in 16-bit units */
    else if (n >= 4 && !p[0] && p[1] && p[1] < 0x80 && !p[2] && p[3] && p[3] < 0x80)
        enc = "UTF-16BE";
    if (enc)
        return wdg_error_set(err, WDG_EINPUT, r->name, 1,
                             "the file is %s text; wedge reads UTF-8 (convert it, e.g. "
                             "iconv -f %s -t UTF-8)", enc, enc);
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        *line += 3;
        *len -= 3;
    }
    return 0;
}

/* Takes one line from src and counts it: 1, 0 at the end, < 0 on error,
 * 2 when detect_only has its answer. */
static int next_line_in(reader *r, wdg_source *src, uint64_t total, wdg_error *err)
{
    wdg_trace *t = r->t;
    const char *line;
    size_t len;
    int flag;
    int got = wdg_source_next_line(src, &line, &len, &flag, err);
    if (got <= 0)
        return got;
    t->lines++;
    if (r->opts->progress && (t->lines & (PROGRESS_EVERY - 1)) == 0)
        r->opts->progress(r->opts->progress_ud, r->name, wdg_source_raw_done(src), total);
    int rc = 0;
    if (flag == WDG_LINE_CUT && r->opts->strict)
        return wdg_error_set(err, WDG_EINPUT, r->name, t->lines, "truncated: %s",
                             wdg_source_truncated(src));
    if (t->lines == 1 && !(r->part && r->part->fmt) && (rc = first_line(r, &line, &len, err)) < 0)
        return rc;
    if (flag == WDG_LINE_WHOLE && is_blank(line, len)) {
        t->ignored++;   /* blank in every format */
        return 1;
    }
    if (r->decided)
        return (rc = process(r, line, len, flag, t->lines, err)) < 0 ? rc : 1;
    rc = hold(r, line, len, flag, t->lines, err);
    if (rc == 0 && (wdg_detect_settled(&r->det) || r->held_len >= SAMPLE_BYTES ||
                    r->n_lines >= SAMPLE_LINES)) {
        if (r->detect_only) {
            r->fmt = wdg_detect_result(&r->det);
            r->decided = 1;
            return 2;
        }
        rc = decide(r, err);
    }
    return rc < 0 ? rc : 1;
}

/* --- the rest of a stream in segments, on two threads ----------------
 * Compressed input and stdin cannot be split like a plain file, but once
 * the format is known their decoded lines can: runs of whole lines
 * (wdg_source_read_lines, a few MiB each) go into a small queue of
 * segments, numbered in the order they are read, and are read and parsed
 * by whichever thread is free: this one or a worker thread that lives as
 * long as the read.  The segment next in line order, taken here, is parsed
 * straight into the trace; any other is parsed into a part trace with a
 * copy of the op table as it was when the queue started (ops only grow
 * and a part maps its ops back by name, so any earlier table will do, and
 * that one never changes while it is copied), and the parts are merged
 * here in order as load.c merges a file's second chunk (wdg_part_adopt,
 * wdg_part_merge): every count, id, line number, sample and first error
 * equals a one-thread read's.  The decoder thread decodes on meanwhile.
 * Parts hold their events unfolded (a segment's worth), and the trace
 * folds after each merge, so memory stays bounded (SEG_SLOTS segments)
 * when folding. */
enum { SEGMENT_DEFAULT = WDG_SOURCE_RUN_MAX, SEG_SLOTS = 4 };

typedef struct seg_job {
    reader r;                   /* its own trace, record, op cache, op table */
    wdg_read_opts opts;         /* the caller's, without folding */
    wdg_error err;
    int rc;
} seg_job;

enum { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE };

typedef struct seg_slot {
    char *buf;
    size_t len;
    uint64_t seq;               /* its place in line order */
    int state;                  /* SLOT_* */
    int no_part;                /* no part could be set up: parsed into the trace */
    seg_job job;
} seg_slot;

typedef struct seg_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    seg_slot slot[SEG_SLOTS];
    uint64_t next_seq, next_merge;
    const reader *r;            /* read only by the worker: fmt, opts, names */
    wdg_ops *base;              /* the op table parts start from */
    wdg_source *src;
    size_t cap;
    int reading;                /* a thread is in wdg_source_read_lines */
    int stalled;                /* no run of whole lines next: drain, one line */
    int stop;
} seg_queue;

/* Parses a run of whole lines (each ends in '\n') as the source would
 * have handed them out: a line longer than the longest kept is cut to
 * it and flagged, a '\r' before the newline dropped. */
static int parse_segment(reader *r, const char *p, size_t n, wdg_error *err)
{
    wdg_trace *t = r->t;
    const char *end = p + n;
    while (p < end) {
        const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)(nl - p);
        int flag = WDG_LINE_WHOLE;
        p = nl + 1;
        t->lines++;
        if (len > WDG_SOURCE_MAX_LINE) {
            len = WDG_SOURCE_MAX_LINE;
            flag = WDG_LINE_TOO_LONG;
        } else if (len && line[len - 1] == '\r') {
            len--;
        }
        if (flag == WDG_LINE_WHOLE && is_blank(line, len)) {
            t->ignored++;
            continue;
        }
        int rc = process(r, line, len, flag, t->lines, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void seg_free(seg_job *j)
{
    wdg_trace_free(j->r.t);
    free(j->r.rec);
    free(j->r.op_cache);
    wdg_ops_free(j->r.ops);
    memset(j, 0, sizeof *j);
}

/* Sets j up to parse a segment into a part: 0, or 1 when its copy of the
 * op table or its trace could not be had. */
static int seg_prepare(seg_job *j, const seg_queue *q)
{
    const reader *r = q->r;
    memset(j, 0, sizeof *j);
    j->opts = *r->opts;
    j->opts.fold = 0;
    reader *w = &j->r;
    w->opts = &j->opts;
    w->fmt = r->fmt;
    w->decided = 1;
    w->ops = wdg_ops_clone(q->base);
    w->rec = malloc(sizeof *w->rec);
    w->op_cache = calloc(OP_CACHE, sizeof *w->op_cache);
    if (!w->ops || !w->rec || !w->op_cache || wdg_trace_new(&w->t, r->path, w->ops, &j->err) < 0) {
        seg_free(j);
        return 1;
    }
    w->name = r->name;
    w->t->format = r->fmt->name;
    w->fc = (wdg_format_ctx){w->t, w->ops, r->opts->templates, NULL};
    wdg_rec_init(w->rec, wdg_ops_sites(w->ops));
    return 0;
}

/* Merges a parsed part after the trace's lines (its error, with its line
 * shifted, when the parse failed). */
static int seg_merge(reader *r, seg_job *j, wdg_error *err)
{
    wdg_trace *t = r->t;
    int rc = j->rc;
    if (rc < 0) {
        *err = j->err;
        if (err->line)
            err->line += t->lines;
    }
    if (rc == 0)
        rc = wdg_part_adopt(j->r.t, j->r.ops, r->ops, err);
    /* never 1: the part did not fold */
    if (rc == 0 && (rc = wdg_part_merge(t, j->r.t, err)) == 1)
        rc = wdg_error_set(err, WDG_EINTERNAL, r->name, 0, "a part that folded");
    if (rc == 0 && r->opts->fold && t->n_events >= r->opts->fold && !t->probe_events &&
        wdg_trace_fold(t, err) < 0)
        rc = oom(r, 0, err);
    seg_free(j);
    return rc;
}

/* The READY slot first in line order that the caller may parse (the
 * worker only into a part, this thread also the next in order). */
static seg_slot *seg_ready(seg_queue *q, int worker)
{
    seg_slot *best = NULL;
    for (int i = 0; i < SEG_SLOTS; i++) {
        seg_slot *s = &q->slot[i];
        if (s->state == SLOT_READY && (!s->no_part || (!worker && s->seq == q->next_merge)) &&
            (!best || s->seq < best->seq))
            best = s;
    }
    return best;
}

static seg_slot *seg_with(seg_queue *q, int state)
{
    for (int i = 0; i < SEG_SLOTS; i++)
        if (q->slot[i].state == state && (state != SLOT_DONE || q->slot[i].seq == q->next_merge))
            return &q->slot[i];
    return NULL;
}

/* Parses s into its part.  Called and returns with the lock held. */
static void seg_parse_part(seg_queue *q, seg_slot *s)
{
    s->state = SLOT_BUSY;
    pthread_mutex_unlock(&q->mu);
    int ok = seg_prepare(&s->job, q) == 0;
    if (ok)
        s->job.rc = parse_segment(&s->job.r, s->buf, s->len, &s->job.err);
    pthread_mutex_lock(&q->mu);
    s->no_part = !ok;
    s->state = ok ? SLOT_DONE : SLOT_READY;
    pthread_cond_broadcast(&q->cv);
}

/* Reads the next segment into free slot s when no other thread reads.
 * Called and returns with the lock held. */
static void seg_fill(seg_queue *q, seg_slot *s)
{
    q->reading = 1;
    s->state = SLOT_BUSY;
    pthread_mutex_unlock(&q->mu);
    int got = wdg_source_read_lines(q->src, s->buf, q->cap, &s->len);
    pthread_mutex_lock(&q->mu);
    q->reading = 0;
    if (got) {
        s->seq = q->next_seq++;
        s->no_part = 0;
        s->state = SLOT_READY;
    } else {
        s->state = SLOT_FREE;
        q->stalled = 1;
    }
    pthread_cond_broadcast(&q->cv);
}

/* A free slot to read into, when reading is due. */
static seg_slot *seg_to_fill(seg_queue *q)
{
    return q->reading || q->stalled ? NULL : seg_with(q, SLOT_FREE);
}

/* Whether the worker may parse a part: while the decoder keeps half a
 * segment ahead (always for plain stdin and at the end).  When decoding
 * is what takes longest (gzip), or when the other trace of a pair keeps
 * the second core busy, a third busy thread would only slow the decoder
 * and cost the parts' merging.  The source is asked only while no thread
 * reads from it. */
static int seg_ahead(seg_queue *q)
{
    return q->stalled || (!q->reading && wdg_source_ready(q->src) >= q->cap / 2);
}

static void *seg_worker(void *arg)
{
    seg_queue *q = arg;
    pthread_mutex_lock(&q->mu);
    while (!q->stop) {
        seg_slot *s = seg_ready(q, 1);
        if (s && seg_ahead(q)) {
            seg_parse_part(q, s);
        } else if ((s = seg_to_fill(q))) {
            seg_fill(q, s);
        } else if (seg_ready(q, 1)) {
            /* the decoder behind: look again soon, it does not signal */
            struct timespec at;
            clock_gettime(CLOCK_REALTIME, &at);
            at.tv_nsec += 1000000;
            if (at.tv_nsec >= 1000000000) {
                at.tv_sec++;
                at.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&q->cv, &q->mu, &at);
        } else {
            pthread_cond_wait(&q->cv, &q->mu);
        }
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Parses s straight into the trace (it is next in order).  Called and
 * returns with the lock held. */
static int seg_parse_here(seg_queue *q, reader *r, seg_slot *s, wdg_error *err)
{
    s->state = SLOT_BUSY;
    pthread_mutex_unlock(&q->mu);
    int rc = parse_segment(r, s->buf, s->len, err);
    pthread_mutex_lock(&q->mu);
    s->state = SLOT_FREE;
    q->next_merge++;
    pthread_cond_broadcast(&q->cv);
    return rc;
}

/* Runs the queue until the source has no run of whole lines next and
 * every segment is in the trace, or an error. */
static int seg_run(seg_queue *q, reader *r, wdg_error *err)
{
    int rc = 0;
    pthread_mutex_lock(&q->mu);
    q->stalled = 0;
    pthread_cond_broadcast(&q->cv);
    while (rc == 0) {
        seg_slot *s = seg_with(q, SLOT_DONE);
        if (s) {
            /* the next part in order: merge it */
            pthread_mutex_unlock(&q->mu);
            rc = seg_merge(r, &s->job, err);
            pthread_mutex_lock(&q->mu);
            s->state = SLOT_FREE;
            q->next_merge++;
            pthread_cond_broadcast(&q->cv);
        } else if ((s = seg_ready(q, 0))) {
            if (s->seq == q->next_merge)
                rc = seg_parse_here(q, r, s, err);
            else
                seg_parse_part(q, s);
        } else if ((s = seg_to_fill(q))) {
            seg_fill(q, s);
        } else if (q->stalled && !q->reading && q->next_merge == q->next_seq) {
            break;
        } else {
            pthread_cond_wait(&q->cv, &q->mu);
        }
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* Stops the worker and frees what the queue holds. */
static void seg_end(seg_queue *q, pthread_t th)
{
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(th, NULL);
    for (int i = 0; i < SEG_SLOTS; i++) {
        if (q->slot[i].state == SLOT_DONE)
            seg_free(&q->slot[i].job);
        free(q->slot[i].buf);
    }
    wdg_ops_free(q->base);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

/* The queue's buffers, lock and worker: 0, or 1 when any cannot be had
 * (then nothing is left). */
static int seg_start(seg_queue *q, pthread_t *th)
{
    int rc = 1;
    q->base = wdg_ops_clone(q->r->ops);
    for (int i = 0; i < SEG_SLOTS; i++)
        if (!(q->slot[i].buf = malloc(q->cap)))
            q->base = (wdg_ops_free(q->base), NULL);
    if (q->base && pthread_mutex_init(&q->mu, NULL) == 0) {
        if (pthread_cond_init(&q->cv, NULL) == 0) {
            if (pthread_create(th, NULL, seg_worker, q) == 0)
                rc = 0;
            else
                pthread_cond_destroy(&q->cv);
        }
        if (rc)
            pthread_mutex_destroy(&q->mu);
    }
    if (rc) {
        for (int i = 0; i < SEG_SLOTS; i++)
            free(q->slot[i].buf);
        wdg_ops_free(q->base);
    }
    return rc;
}

/* 1 when segments cannot be had (nothing read), else as read_lines. */
static int read_segments(reader *r, wdg_source *src, wdg_error *err)
{
    const wdg_format_def *f = r->fmt;
    if (!f || f->state_new || f->note_unbound || f->finish)
        return 1;   /* a format with state across lines */
    seg_queue q;
    memset(&q, 0, sizeof q);
    q.r = r;
    q.src = src;
    q.cap = r->opts->chunk_min && r->opts->chunk_min < SEGMENT_DEFAULT ? r->opts->chunk_min
                                                                      : SEGMENT_DEFAULT;
    pthread_t th;
    if (seg_start(&q, &th) != 0)
        return 1;
    int rc;
    for (;;) {
        if ((rc = seg_run(&q, r, err)) < 0)
            break;
        /* a line that is no run of whole lines: the ordinary way, while
         * the worker waits (stalled) */
        if ((rc = next_line_in(r, src, 0, err)) > 0)
            rc = 0;
        else
            break;
    }
    seg_end(&q, th);
    /* the segments of the queue, whichever thread parsed them */
    if (q.next_seq >= 2)
        r->t->chunks = (unsigned)q.next_seq;
    return rc;
}

static int read_lines(reader *r, wdg_source *src, wdg_error *err)
{
    uint64_t total = wdg_source_raw_total(src);
    for (;;) {
        if (r->decided && r->segments) {
            int rc = read_segments(r, src, err);
            if (rc != 1)
                return rc;
            r->segments = 0;
        }
        int rc = next_line_in(r, src, total, err);
        if (rc <= 0)
            return rc;
        if (rc == 2)
            return 0;
    }
}

static int read_part(wdg_trace **out, const char *path, wdg_ops *ops,
                     const wdg_read_opts *opts, const wdg_read_part *part, int detect_only,
                     wdg_error *err)
{
    static const wdg_read_opts no_opts = {0};
    reader r = {0};
    r.part = part;
    r.path = path;
    r.detect_only = detect_only;
    r.opts = opts ? opts : &no_opts;
    r.ops = ops;
    wdg_detect_init(&r.det, r.opts->templates);
    wdg_source *src = NULL;
    r.rec = malloc(sizeof *r.rec);
    r.op_cache = calloc(OP_CACHE, sizeof *r.op_cache);
    int rc = wdg_trace_new(&r.t, path, ops, err);
    if (rc < 0)
        goto done;
    r.name = wdg_trace_display_name(r.t);
    r.fc = (wdg_format_ctx){r.t, ops, r.opts->templates, NULL};
    if (!r.rec || !r.op_cache) {
        rc = oom(&r, 0, err);
        goto done;
    }
    wdg_rec_init(r.rec, wdg_ops_sites(ops));
    if (part && part->fmt) {
        /* the second chunk: the first chunk's format, no sample held */
        r.fmt = part->fmt;
        r.decided = 1;
        r.t->format = r.fmt->name;
    }
    if ((rc = part ? wdg_source_open_range(&src, path, part->start, part->end, err)
                   : wdg_source_open(&src, path, err)) < 0)
        goto done;
    r.t->compression = wdg_source_compression(src);
    /* what cannot be split as a file: compressed input, stdin.  Only
     * from a regular file: a segment waits for 4 MiB or the end, and a
     * pipe's writer (an engine that hangs) may pause for ever, so its
     * lines, and an error among them, must count as they come */
    r.segments = opts && opts->threads != 1 && !opts->progress && !part &&
                 (strcmp(r.t->compression, "none") != 0 || strcmp(path, "-") == 0) &&
                 wdg_source_is_file(src);
    if ((rc = read_lines(&r, src, err)) < 0)
        goto done;
    if (detect_only) {
        *part->detected = r.decided ? r.fmt : NULL;
        goto done;
    }
    r.t->truncated = wdg_source_truncated(src);
    if (r.t->truncated && r.opts->strict) {
        rc = wdg_error_set(err, WDG_EINPUT, r.name, 0, "truncated: %s", r.t->truncated);
        goto done;
    }
    if (!r.decided && (rc = decide(&r, err)) < 0)
        goto done;
    if (r.fmt && r.fmt->finish)
        r.fmt->finish(r.fc.state, r.t);
    r.t->bytes = wdg_source_bytes(src);
    if (r.opts->progress)
        r.opts->progress(r.opts->progress_ud, r.name, wdg_source_raw_total(src),
                         wdg_source_raw_total(src));
done:
    wdg_source_close(src);
    if (r.fmt && r.fmt->state_free)
        r.fmt->state_free(r.fc.state);
    free(r.rec);
    free(r.op_cache);
    free(r.held);
    free(r.lines);
    if (rc < 0 || detect_only) {
        wdg_trace_free(r.t);
        return rc;
    }
    *out = r.t;
    return 0;
}

int wdg_trace_read(wdg_trace **out, const char *path, wdg_ops *ops,
                   const wdg_read_opts *opts, wdg_error *err)
{
    return read_part(out, path, ops, opts, NULL, 0, err);
}

int wdg_trace_read_part(wdg_trace **out, const char *path, wdg_ops *ops,
                        const wdg_read_opts *opts, const wdg_read_part *part, wdg_error *err)
{
    return read_part(out, path, ops, opts, part, 0, err);
}

const wdg_format_def *wdg_detect_part(const char *path, wdg_ops *ops, const wdg_read_opts *opts,
                                      uint64_t end)
{
    wdg_read_part part = {0, end, NULL, NULL};
    const wdg_format_def *fmt = NULL;
    wdg_error err;
    part.detected = &fmt;
    if (read_part(NULL, path, ops, opts, &part, 1, &err) < 0)
        return NULL;
    return fmt;
}
