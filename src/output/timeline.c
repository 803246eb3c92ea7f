/* timeline.json: both engines in the Chrome Trace Event format, which
 * ui.perfetto.dev and chrome://tracing open (docs/wedge.md "timeline.json").
 * It formats the report, the diagnosis, the key table, the producer
 * alignment and the wake-ups (wdg_wakes_build()); it works out nothing. */
#include <stdio.h>
#include <string.h>

#include "render.h"

enum { PID_REF = 1, PID_CAND = 2 };
#define WHOLE_LIMIT 50000     /* events per engine drawn whole by default */
#define TAIL_RESERVE 65536    /* bytes kept under the cap for the closing parts */

enum { NAME_SLOTS = 64, NAME_CAP = 256 };

/* The token names last made, by op and call site: a trace repeats a few
 * tokens, and making a name (symbol lookup, printf) was a tenth of the
 * file.  A slot holds the name wdg_token_name() wrote for its token. */
typedef struct name_slot {
    uint32_t op;
    int used, has_lr;
    wdg_addr lr;
    const wdg_trace *t;
    char name[NAME_CAP];
} name_slot;

/* The key texts last made, by key (as the names above). */
typedef struct key_slot {
    uint32_t key;
    int used;
    char text[160];
} key_slot;

typedef struct span2 {
    int64_t from, to;          /* rebased ns, inclusive */
} span2;

/* What the writer carries through one run. */
typedef struct tl {
    const wdg_report *r;
    wdg_jw w;
    wdg_buf *out;
    uint64_t cap;
    const wdg_wakes *wakes;    /* the caller's (o->wakes), or own */
    wdg_wakes own[2];
    span2 win[2];              /* per side; a second one for the default */
    span2 approach[2];
    int has_approach, whole;
    uint64_t flow_id;
    uint64_t outside, over_cap;   /* events left out */
    int capped;
    uint64_t limit;            /* the current engine's end of budget */
    wdg_outfile *file;         /* where out goes when it holds a MiB, or NULL */
    uint64_t flushed;          /* bytes written to file so far */
    int write_rc;              /* the first write's error */
    wdg_error *err;
    name_slot names[NAME_SLOTS];
    key_slot keys[NAME_SLOTS];
} tl;

static const wdg_trace *trace_of(const tl *x, int side)
{
    return side == WDG_SIDE_CAND ? x->r->cand : x->r->ref;
}

/* An event's time as the analysis rebases it: ns since the engine's first
 * event; a trace without t counts 1 µs per event. */
static int64_t rel_ns(const wdg_trace *t, size_t i)
{
    return t->all_t ? t->events[i].t - t->first_t : (int64_t)i * 1000;
}

/* The end of the trace, rebased: the end of run when it is later. */
static int64_t end_ns(const tl *x, int side)
{
    const wdg_trace *t = trace_of(x, side);
    if (!t->all_t)
        return (int64_t)t->n_events * 1000;
    const wdg_run_end *re = side ? &x->r->diag.cand_end : &x->r->diag.ref_end;
    int64_t end = re->end > t->last_t ? re->end : t->last_t;
    return end - t->first_t;
}

static int in_window(const tl *x, int side, int64_t ns)
{
    if (x->whole)
        return 1;
    if (ns >= x->win[side].from && ns <= x->win[side].to)
        return 1;
    return x->has_approach && ns >= x->approach[side].from && ns <= x->approach[side].to;
}

/* the file's length so far */
static uint64_t pos(const tl *x) { return x->flushed + x->out->len; }

/* Writes out to the file once it holds a MiB (or at the end, force); out
 * then starts again, small and in the cache. */
static void spill(tl *x, int force)
{
    if (!x->file || x->write_rc || x->out->oom || (x->out->len < (1u << 20) && !force))
        return;
    x->write_rc = wdg_outfile_write(x->file, x->out->ptr ? x->out->ptr : "", x->out->len, x->err);
    x->flushed += x->out->len;
    wdg_buf_reset(x->out);
}

/* Is there room under the engine's share of the cap for one more event? */
static int room(tl *x)
{
    if (!x->capped && pos(x) > x->limit)
        x->capped = 1;
    return !x->capped;
}

static void ts_member(wdg_jw *w, const char *key, int64_t ns)
{
    wdg_jw_key(w, key);
    wdg_jw_ns_as_us(w, ns);
}

/* Event i's token name, as wdg_token_name() writes it (borrowed: valid
 * until the next call) */
static const char *token_name(tl *x, const wdg_trace *t, size_t i)
{
    const wdg_event *e = &t->events[i];
    int has_lr = (e->flags & WDG_EV_LR) != 0;
    wdg_addr lr = has_lr ? wdg_ev_lr(e) : 0;
    name_slot *s = &x->names[(e->op * 31u + (uint32_t)lr * 17u) % NAME_SLOTS];
    if (!s->used || s->t != t || s->op != e->op || s->has_lr != has_lr || s->lr != lr) {
        wdg_token_name(x->r, t, i, s->name, sizeof s->name);
        s->used = 1, s->t = t, s->op = e->op, s->has_lr = has_lr, s->lr = lr;
    }
    return s->name;
}

/* Opens one event object with its common members. */
static void ev_open(tl *x, const char *ph, const char *name, const char *cat, int pid,
                    uint32_t tid, int64_t ns)
{
    wdg_jw_object(&x->w, WDG_JW_INLINE);
    wdg_jw_kstring(&x->w, "ph", ph);
    wdg_jw_kstring(&x->w, "name", name);
    wdg_jw_kstring(&x->w, "cat", cat);
    wdg_jw_kint(&x->w, "pid", pid);
    wdg_jw_kuint(&x->w, "tid", tid);
    ts_member(&x->w, "ts", ns);
}

static void meta(tl *x, const char *what, int pid, int has_tid, uint32_t tid, const char *key,
                 const char *s, int64_t v)
{
    wdg_jw_object(&x->w, WDG_JW_INLINE);
    wdg_jw_kstring(&x->w, "ph", "M");
    wdg_jw_kstring(&x->w, "name", what);
    wdg_jw_kint(&x->w, "pid", pid);
    if (has_tid)
        wdg_jw_kuint(&x->w, "tid", tid);
    wdg_jw_key(&x->w, "args");
    wdg_jw_object(&x->w, WDG_JW_INLINE);
    if (s)
        wdg_jw_kstring(&x->w, key, s);
    else
        wdg_jw_kint(&x->w, key, v);
    wdg_jw_end(&x->w);
    wdg_jw_end(&x->w);
}

/* The sort index of a thread: pair k's threads get k in both engines, so
 * the analogs sit at the same height; unpaired ones come after. */
static int64_t sort_index(const wdg_diagnosis *d, int side, const wdg_thread *th, size_t k)
{
    for (size_t p = 0; p < d->n_pairs; p++)
        if ((side ? d->pairs[p].cand : d->pairs[p].ref) == th->tid)
            return (int64_t)p;
    return (int64_t)(d->n_pairs + k);
}

static void thread_meta(tl *x, int side)
{
    const wdg_diagnosis *d = &x->r->diag;
    const wdg_thread *ths = side ? d->cand_threads : d->ref_threads;
    size_t n = side ? d->n_cand_threads : d->n_ref_threads;
    int pid = side ? PID_CAND : PID_REF;
    const char *pname = side ? x->r->opts.cand_name : x->r->opts.ref_name;
    meta(x, "process_name", pid, 0, 0, "name", pname ? pname : side ? "cand" : "ref", 0);
    meta(x, "process_sort_index", pid, 0, 0, "sort_index", NULL, side);
    for (size_t k = 0; k < n; k++) {
        char name[128];
        const char *fam = strcmp(ths[k].family, "-") == 0 ? "thread" : ths[k].family;
        wdg_utf8_snprintf(name, sizeof name, "%s %u", fam, ths[k].tid);
        meta(x, "thread_name", pid, 1, ths[k].tid, "name", name, 0);
        meta(x, "thread_sort_index", pid, 1, ths[k].tid, "sort_index", NULL,
             sort_index(d, side, &ths[k], k));
    }
}

static const char *key_text(const tl *x, uint32_t key, char *buf, size_t cap)
{
    if (key == WDG_NO_KEY || key >= x->r->keys.n)
        return NULL;
    wdg_fmt_key(x->r, &x->r->keys.keys[key], buf, cap);
    return buf;
}

/* key, status, object, symbol (sym, its token name) and op of event i:
 * the args of a producer */
static void event_args(tl *x, int side, size_t i, const char *sym)
{
    const wdg_trace *t = trace_of(x, side);
    const wdg_event *e = &t->events[i];
    const uint32_t *keys = side ? x->r->keys.cand_key : x->r->keys.ref_key;
    uint32_t key = keys ? keys[i] : WDG_NO_KEY;
    wdg_jw_kstring(&x->w, "op", wdg_ops_name(t->ops, e->op));
    wdg_jw_kstring(&x->w, "symbol", sym);
    wdg_jw_key(&x->w, "object");
    wdg_json_addr(&x->w, x->r, (e->flags & WDG_EV_OBJ) != 0, wdg_ev_obj(e));
    const char *kt = NULL;
    if (key != WDG_NO_KEY && key < x->r->keys.n) {   /* key_text(), kept by key */
        key_slot *ks = &x->keys[key % NAME_SLOTS];
        if (!ks->used || ks->key != key) {
            key_text(x, key, ks->text, sizeof ks->text);
            ks->used = 1, ks->key = key;
        }
        kt = ks->text;
    }
    wdg_jw_kstring(&x->w, "key", kt);
    if (key != WDG_NO_KEY && key < x->r->keys.n)
        wdg_jw_kstring(&x->w, "status", wdg_status_name(wdg_key_verdict(&x->r->keys, key)));
}

/* A flow arrow: "s" at one event's place, "f" (bound to the enclosing
 * slice) at the other's. */
static void flow(tl *x, const char *name, const char *cat, int pid_a, uint32_t tid_a,
                 int64_t ns_a, int pid_b, uint32_t tid_b, int64_t ns_b)
{
    uint64_t id = ++x->flow_id;
    ev_open(x, "s", name, cat, pid_a, tid_a, ns_a);
    wdg_jw_kuint(&x->w, "id", id);
    wdg_jw_end(&x->w);
    ev_open(x, "f", name, cat, pid_b, tid_b, ns_b);
    wdg_jw_kuint(&x->w, "id", id);
    wdg_jw_kstring(&x->w, "bp", "e");
    wdg_jw_end(&x->w);
}

/* A wait as a slice from the wait to its wake-up (the end of the trace
 * when it has none), with the arrow from the producer that woke it. */
static void wait_slice(tl *x, int side, const wdg_thread *th, size_t i)
{
    const wdg_trace *t = trace_of(x, side);
    const wdg_wakes *wk = &x->wakes[side];
    int pid = side ? PID_CAND : PID_REF;
    int64_t from = rel_ns(t, i);
    size_t end = wk->ended_by[i];
    int64_t to = end == WDG_NO_INDEX ? end_ns(x, side) : rel_ns(t, end);
    if (to < from)
        to = from;
    int wedged = end == WDG_NO_INDEX && th->state == WDG_TS_WEDGED;
    const char *sym = token_name(x, t, i);
    ev_open(x, "X", sym, "wait", pid, th->tid, from);
    ts_member(&x->w, "dur", to - from);
    wdg_jw_key(&x->w, "args");
    wdg_jw_object(&x->w, WDG_JW_INLINE);
    event_args(x, side, i, sym);
    wdg_event_ext xe_buf, *xe = wdg_event_ext_of(t, &t->events[i], &xe_buf);
    if (xe && (t->events[i].flags & WDG_EV_OBJS)) {
        wdg_jw_key(&x->w, "objects");
        wdg_jw_array(&x->w, WDG_JW_INLINE);
        for (uint32_t k = 0; k < xe->objs_n; k++)
            wdg_json_addr(&x->w, x->r, 1, wdg_x_obj(t, xe, k));
        wdg_jw_end(&x->w);
    }
    wdg_jw_kbool(&x->w, "wedged", wedged);
    wdg_jw_kbool(&x->w, "woken", end != WDG_NO_INDEX);
    size_t by = wk->waker[i];
    if (by != WDG_NO_INDEX)
        wdg_jw_kuint(&x->w, "woken_by_tid", t->events[by].tid);
    wdg_jw_end(&x->w);
    wdg_jw_end(&x->w);
}

/* The arrows from producer i to the waits it woke, written right after
 * its instant so that each starts there; each ends just inside its wait's
 * slice, so that it binds to it.  Those waits came earlier in the trace's
 * order and were written when in the window. */
static void wake_flows(tl *x, int side, size_t i)
{
    const wdg_trace *t = trace_of(x, side);
    const wdg_wakes *wk = &x->wakes[side];
    int pid = side ? PID_CAND : PID_REF;
    for (size_t w = wk->first_woken[i]; w != WDG_NO_INDEX; w = wk->next_woken[w]) {
        if (!in_window(x, side, rel_ns(t, w)))
            continue;
        int64_t from = rel_ns(t, w), to = rel_ns(t, wk->ended_by[w]);
        int64_t at = to - from > 1 ? to - 1 : from;
        flow(x, "wake", "wake", pid, t->events[i].tid, rel_ns(t, i), pid, t->events[w].tid, at);
    }
}

static void producer_instant(tl *x, int side, const wdg_thread *th, size_t i)
{
    const wdg_trace *t = trace_of(x, side);
    const char *sym = token_name(x, t, i);
    ev_open(x, "i", sym, "producer", side ? PID_CAND : PID_REF, th->tid, rel_ns(t, i));
    wdg_jw_kstring(&x->w, "s", "t");
    wdg_jw_key(&x->w, "args");
    wdg_jw_object(&x->w, WDG_JW_INLINE);
    event_args(x, side, i, sym);
    wdg_jw_end(&x->w);
    wdg_jw_end(&x->w);
}

/* One engine's waits and producers in the trace's order (each track then
 * runs forward in time), until its share of the cap is spent. */
static void engine_events(tl *x, int side)
{
    const wdg_trace *t = trace_of(x, side);
    const wdg_diagnosis *d = &x->r->diag;
    /* the reference gets half of what is left, the candidate the rest:
     * a cap never leaves an engine out */
    uint64_t left = pos(x) + TAIL_RESERVE < x->cap ? x->cap - pos(x) - TAIL_RESERVE : 0;
    x->limit = pos(x) + (side ? left : left / 2);
    x->capped = 0;
    for (size_t i = 0; i < t->n_events && !x->write_rc; i++) {
        spill(x, 0);
        const wdg_event *e = &t->events[i];
        int wait = wdg_ev_cat(t->ops, e) == WDG_CAT_WAIT || wdg_ev_cat(t->ops, e) == WDG_CAT_SIGNAL_WAIT;
        int producer = wdg_category_is_producer(wdg_ev_cat(t->ops, e));
        if (!wait && !producer)
            continue;
        if (!in_window(x, side, rel_ns(t, i))) {
            x->outside++;
            continue;
        }
        if (!room(x)) {
            x->over_cap++;
            continue;
        }
        const wdg_thread *th = side ? wdg_diag_cand_thread(d, e->tid) : wdg_diag_ref_thread(d, e->tid);
        if (!th)
            continue;
        if (wait)
            wait_slice(x, side, th, i);
        if (producer) {
            producer_instant(x, side, th, i);
            wake_flows(x, side, i);
        }
    }
}

/* A marker: a thread-scoped instant with a few string args. */
static void marker(tl *x, const char *name, int pid, uint32_t tid, int64_t ns,
                   const char *const *kv, size_t n)
{
    ev_open(x, "i", name, "marker", pid, tid, ns);
    wdg_jw_kstring(&x->w, "s", "t");
    wdg_jw_key(&x->w, "args");
    wdg_jw_object(&x->w, WDG_JW_INLINE);
    for (size_t i = 0; i + 1 < n; i += 2)
        wdg_jw_kstring(&x->w, kv[i], kv[i + 1]);
    wdg_jw_end(&x->w);
    wdg_jw_end(&x->w);
}

/* The cand producer last paired before the first divergence: where the
 * candidate stood when the reference went its own way. */
static size_t cand_at_divergence(tl *x, int *rc, wdg_error *err)
{
    wdg_align *a = NULL;
    size_t last = WDG_NO_INDEX;
    *rc = wdg_align_new(&a, &x->r->keys, x->r->ref, x->r->cand, err);
    if (*rc < 0)
        return WDG_NO_INDEX;
    wdg_aligned_row row;
    while (wdg_align_next(a, &row)) {
        if (row.ref_event == x->r->first_divergence.event)
            break;
        if (row.ref_event != WDG_NO_EVENT && row.cand_event != WDG_NO_EVENT)
            last = row.cand_event;
    }
    wdg_align_free(a);
    return last;
}

static int divergence(tl *x, wdg_error *err)
{
    const wdg_report *r = x->r;
    if (!r->first_divergence.found)
        return 0;
    int rc;
    size_t ce = cand_at_divergence(x, &rc, err);
    if (rc < 0)
        return rc;
    size_t re = r->first_divergence.event;
    char kb[160], sym[256], ord[32];
    wdg_token_name(r, r->ref, re, sym, sizeof sym);
    wdg_fmt_ordinal(r->first_divergence.ordinal, ord, sizeof ord);
    const char *kv[] = {"key", key_text(x, r->first_divergence.key, kb, sizeof kb), "event", sym,
                        "ordinal", ord, "rule",
                        "the first reference producer the candidate has no counterpart for"};
    uint32_t rtid = r->ref->events[re].tid;
    int64_t rns = rel_ns(r->ref, re);
    marker(x, "first divergence", PID_REF, rtid, rns, kv, 8);
    /* the candidate's mark: on the ref thread's analog when it has one */
    const wdg_thread *rth = wdg_diag_ref_thread(&r->diag, rtid);
    uint32_t ctid = ce != WDG_NO_INDEX ? r->cand->events[ce].tid : rtid;
    if (rth && rth->has_analog)
        ctid = rth->analog;
    int64_t cns = ce != WDG_NO_INDEX ? rel_ns(r->cand, ce) : 0;
    const char *ckv[] = {"key", kv[1], "missing", sym, "at",
                         "the candidate's last producer paired before it"};
    marker(x, "first divergence", PID_CAND, ctid, cns, ckv, 6);
    flow(x, "first divergence", "divergence", PID_REF, rtid, rns, PID_CAND, ctid, cns);
    return 0;
}

/* A root on one thread it names, at its evidence event there (else the
 * thread's last event). */
static void root_mark(tl *x, const wdg_root *ro, int side, uint32_t tid)
{
    const wdg_report *r = x->r;
    const wdg_thread *th = side ? wdg_diag_cand_thread(&r->diag, tid) : wdg_diag_ref_thread(&r->diag, tid);
    if (!th)
        return;
    size_t at = th->last;
    for (size_t k = 0; k < ro->n_evidence; k++)
        if (ro->evidence[k].cand == side) {
            at = ro->evidence[k].event;
            break;
        }
    char name[160], kb[160], obj[WDG_ADDR_TEXT], blocks[192];
    snprintf(name, sizeof name, "root: %s", wdg_root_kind_name(ro->kind));
    wdg_fmt_addr(x->r, side ? ro->obj : ro->ref_obj, obj, sizeof obj);
    size_t len = 0;
    blocks[0] = 0;
    for (size_t i = 0; i < ro->n_blocks && len + 12 < sizeof blocks; i++)
        len += (size_t)snprintf(blocks + len, sizeof blocks - len, "%s%u", i ? " " : "",
                                ro->blocks[i]);
    int has_obj = side ? ro->has_obj : ro->has_ref_obj;
    const char *kv[] = {"kind", wdg_root_kind_name(ro->kind),
                        "confidence", wdg_root_confidence_name(ro->inferred),
                        "rule", wdg_root_rule(ro->kind),
                        "family", ro->family,
                        "key", key_text(x, ro->key, kb, sizeof kb),
                        "object", has_obj ? obj : NULL,
                        "blocks", blocks};
    marker(x, name, side ? PID_CAND : PID_REF, tid, rel_ns(trace_of(x, side), at), kv, 14);
}

static void roots(tl *x)
{
    const wdg_diagnosis *d = &x->r->diag;
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *ro = &d->roots[i];
        if (ro->has_tid)
            root_mark(x, ro, WDG_SIDE_CAND, ro->tid);
        if (ro->has_ref_tid)
            root_mark(x, ro, WDG_SIDE_REF, ro->ref_tid);
    }
}

/* Where the candidate hangs: the latest last event of its wedged threads
 * (rebased); -1 when none is wedged. */
static int64_t hang_point(const tl *x)
{
    const wdg_diagnosis *d = &x->r->diag;
    int64_t h = -1;
    for (size_t k = 0; k < d->n_cand_threads; k++) {
        const wdg_thread *th = &d->cand_threads[k];
        int64_t at = rel_ns(x->r->cand, th->last);
        if (th->state == WDG_TS_WEDGED && at > h)
            h = at;
    }
    return h;
}

/* The default window: the boot window, and the approach to the hang (as
 * long as the boot window, at least a tenth of the time to the hang) and
 * as long past it, at the same times in both engines; without a wedged thread
 * the approach is each trace's last tenth.  A boot window longer than a
 * quarter of the reference (no divergence: the whole span) is cut to its
 * first tenth.  Small traces go whole. */
static void default_window(tl *x)
{
    const wdg_report *r = x->r;
    if (r->ref->n_events <= WHOLE_LIMIT && r->cand->n_events <= WHOLE_LIMIT) {
        x->whole = 1;
        return;
    }
    int64_t boot = r->ref->all_t ? (int64_t)r->boot.window - r->ref->first_t
                                 : (int64_t)r->boot.window * 1000;
    if (boot < 0)
        boot = 0;
    /* with no divergence the boot window is the whole span: a tenth then */
    if (boot > end_ns(x, WDG_SIDE_REF) / 4)
        boot = end_ns(x, WDG_SIDE_REF) / 10;
    int64_t hang = hang_point(x);
    for (int s = 0; s < 2; s++) {
        int64_t end = end_ns(x, s), at = hang >= 0 ? hang : end;
        int64_t len = boot > at / 10 ? boot : at / 10;
        x->win[s] = (span2){0, boot};
        /* a little past the hang too: what the reference did next */
        x->approach[s] = (span2){at - len, hang >= 0 ? at + len : end};
    }
    x->has_approach = 1;
    /* a gap shorter than the approach is not worth a hole */
    if (x->approach[0].from - boot < x->approach[0].to - x->approach[0].from) {
        for (int s = 0; s < 2; s++)
            x->win[s].to = x->approach[s].to;
        x->has_approach = 0;
    }
}

static void window_text(const tl *x, char *out, size_t cap)
{
    char a[48], b[48], c[48], d[48];
    if (x->whole) {
        snprintf(out, cap, "whole traces");
        return;
    }
    wdg_format_ns(x->win[0].from, a, sizeof a);
    wdg_format_ns(x->win[0].to, b, sizeof b);
    if (x->win[0].to == INT64_MAX)
        snprintf(b, sizeof b, "the end");
    if (!x->has_approach) {
        snprintf(out, cap, "%s to %s of each engine", a, b);
        return;
    }
    wdg_format_ns(x->approach[0].from, c, sizeof c);
    wdg_format_ns(x->approach[1].to, d, sizeof d);
    snprintf(out, cap, "boot %s to %s, and the approach to the hang %s to %s", a,
             b, c, d);
}

static void other_data(tl *x, wdg_buf *note)
{
    char win[320];
    window_text(x, win, sizeof win);
    wdg_jw_key(&x->w, "otherData");
    wdg_jw_object(&x->w, WDG_JW_LINES);
    wdg_jw_kstring(&x->w, "generator", "wedge");
    wdg_jw_kstring(&x->w, "time", x->r->ref->all_t && x->r->cand->all_t
                                      ? "ns since each engine's first event"
                                      : "1 us per event where a trace has no t");
    wdg_jw_kstring(&x->w, "window", win);
    wdg_jw_kuint(&x->w, "left_out_outside_window", x->outside);
    wdg_jw_kuint(&x->w, "left_out_over_size_cap", x->over_cap);
    wdg_jw_kuint(&x->w, "size_cap_bytes", x->cap);
    wdg_jw_end(&x->w);
    if (note && (x->outside || x->over_cap)) {
        char line[512];
        snprintf(line, sizeof line,
                 "timeline: window %s; left out %llu events outside it and %llu over the "
                 "%llu-byte size cap\n",
                 win, (unsigned long long)x->outside, (unsigned long long)x->over_cap,
                 (unsigned long long)x->cap);
        wdg_buf_puts(note, line);
    }
}

static void tl_free(tl *x)
{
    wdg_wakes_free(&x->own[0]);
    wdg_wakes_free(&x->own[1]);
}

static int render(const wdg_report *r, const wdg_timeline_opts *o, wdg_buf *out,
                  wdg_outfile *file, wdg_buf *note, wdg_error *err)
{
    tl x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.out = out;
    x.file = file;
    x.err = err;
    x.cap = o && o->cap ? o->cap : WDG_TIMELINE_CAP;
    if (o && o->has_window) {
        x.win[0] = x.win[1] = (span2){o->from, o->to};
    } else {
        default_window(&x);
    }
    int rc = 0;
    if (o && o->wakes) {
        x.wakes = o->wakes;
    } else {
        x.wakes = x.own;
        rc = wdg_wakes_build(&x.own[0], r->ref, err);
        if (rc == 0)
            rc = wdg_wakes_build(&x.own[1], r->cand, err);
    }
    if (rc < 0) {
        tl_free(&x);
        return rc;
    }
    wdg_jw_init(&x.w, out);
    wdg_jw_object(&x.w, WDG_JW_LINES);
    wdg_jw_key(&x.w, "traceEvents");
    wdg_jw_array(&x.w, WDG_JW_LINES);
    thread_meta(&x, WDG_SIDE_REF);
    thread_meta(&x, WDG_SIDE_CAND);
    rc = divergence(&x, err);
    roots(&x);
    engine_events(&x, WDG_SIDE_REF);
    engine_events(&x, WDG_SIDE_CAND);
    wdg_jw_end(&x.w);
    wdg_jw_kstring(&x.w, "displayTimeUnit", "ns");
    other_data(&x, note);
    wdg_jw_end(&x.w);
    wdg_buf_puts(out, "\n");
    tl_free(&x);
    if (rc == 0 && (out->oom || (note && note->oom)))
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    if (rc == 0)
        spill(&x, 1);
    return rc == 0 ? x.write_rc : rc;
}

int wdg_report_timeline(const wdg_report *r, const wdg_timeline_opts *o, wdg_buf *out,
                        wdg_buf *note, wdg_error *err)
{
    return render(r, o, out, NULL, note, err);
}

int wdg_report_timeline_file(const wdg_report *r, const wdg_timeline_opts *o, wdg_outfile *f,
                             wdg_buf *note, wdg_error *err)
{
    wdg_buf out = WDG_BUF_INIT;
    int rc = render(r, o, &out, f, note, err);
    wdg_buf_free(&out);
    return rc;
}
