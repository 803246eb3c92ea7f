#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/utf8.h"
#include "../formats/formats.h"
#include "grow.h"
#include "map.h"
#include "trace_build.h"

static const char *const reason_names[WDG_MAL_COUNT] = {
    "syntax", "type", "range", "missing", "too_long", "unresolved", "truncated"};

const char *wdg_malformed_reason_name(int reason)
{
    return reason >= 0 && reason < WDG_MAL_COUNT ? reason_names[reason] : "?";
}

const char *wdg_trace_display_name(const wdg_trace *t)
{
    return strcmp(t->path, "-") == 0 ? "<stdin>" : t->path;
}

int wdg_trace_new(wdg_trace **out, const char *path, wdg_ops *ops, wdg_error *err)
{
    wdg_trace *t = calloc(1, sizeof *t);
    if (t)
        t->path = strdup(path);
    if (!t || !t->path) {
        free(t);
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    }
    t->ops = ops;
    t->format = "unknown";
    t->compression = "none";
    *out = t;
    return 0;
}

void wdg_trace_free(wdg_trace *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->events);
    free(t->ext);
    free(t->words);
    free(t->imports);
    free(t);
}

void wdg_trace_set_header(wdg_trace *t, int has_observes, unsigned observes,
                          const char *engine, const char *title_id, const char *module_hash)
{
    t->has_header = 1;
    if (has_observes) {
        t->has_observes = 1;
        t->header_observes = observes;
    }
    wdg_utf8_snprintf(t->engine, sizeof t->engine, "%s", engine);
    wdg_utf8_snprintf(t->title_id, sizeof t->title_id, "%s", title_id);
    wdg_utf8_snprintf(t->module_hash, sizeof t->module_hash, "%s", module_hash);
}

/* Event arrays start at 1024 elements: most traces have far more. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    return wdg_grow(p, cap, need, sz, 1024);
}

static int push_words(wdg_trace *t, const uint32_t *w, uint32_t n, uint32_t *off)
{
    *off = (uint32_t)t->n_words;
    if (!n)
        return 0;   /* an empty list: nothing to store (words may be NULL) */
    if (t->n_words + n > UINT32_MAX ||
        grow((void **)&t->words, &t->cap_words, t->n_words + n, sizeof *t->words) < 0)
        return -1;
    *off = (uint32_t)t->n_words;
    memcpy(t->words + t->n_words, w, n * sizeof *w);
    t->n_words += n;
    return 0;
}

static const uint32_t ext_fields = R_CYCLE | R_TIMEOUT | R_RET | R_PC | R_ENTRY | R_NEW_TID |
                                  R_ALIAS | R_COUNT | R_OBJS | R_FRAMES;

/* The flags rec gives without an ext record; fills e's matching fields.
 * have: the rec fields to take. */
static uint32_t set_core(wdg_event *e, const wdg_rec *r, uint32_t have)
{
    uint32_t f = 0;
    if (have & R_T)
        e->t = r->t, f |= WDG_EV_T;
    if (have & R_LR)
        e->lr = r->lr, f |= WDG_EV_LR;
    if (have & R_OBJ)
        e->obj = r->obj, f |= WDG_EV_OBJ;
    if (have & R_WAIT_ALL)
        f |= WDG_EV_WAIT_KIND | (r->wait_all ? WDG_EV_WAIT_ALL : 0);
    if (have & R_TIMEOUT)
        f |= WDG_EV_TIMEOUT | WDG_EV_TIMEOUT_VALUE;
    if (have & R_TIMEOUT_PTR)
        f |= WDG_EV_TIMEOUT;
    if ((have & R_SUSPENDED) && r->suspended)
        f |= WDG_EV_SUSPENDED;
    return f;
}

/* Fills the ext record x with rec's fields in have; returns their flags,
 * or UINT32_MAX when out of memory. */
static uint32_t set_ext(wdg_trace *t, wdg_event_ext *x, const wdg_rec *r, uint32_t have)
{
    uint32_t f = 0;
    if (have & R_CYCLE) x->cycle = r->cycle, f |= WDG_EV_CYCLE;
    if (have & R_TIMEOUT) x->timeout = r->timeout;
    if (have & R_RET) x->ret = r->ret, f |= WDG_EV_RET;
    if (have & R_PC) x->pc = r->pc, f |= WDG_EV_PC;
    if (have & R_ENTRY) x->entry_pc = r->entry_pc, f |= WDG_EV_ENTRY;
    if (have & R_NEW_TID) x->new_tid = r->new_tid, f |= WDG_EV_NEW_TID;
    if (have & R_ALIAS) x->alias = r->alias, f |= WDG_EV_ALIAS;
    if (have & R_COUNT) x->count = r->count, f |= WDG_EV_COUNT;
    if (have & R_OBJS) {
        if (push_words(t, r->objs, r->n_objs, &x->objs_off) < 0)
            return UINT32_MAX;
        x->objs_n = r->n_objs;
        f |= WDG_EV_OBJS;
    }
    if (have & R_FRAMES) {
        if (push_words(t, r->frames, r->n_frames, &x->frames_off) < 0)
            return UINT32_MAX;
        x->frames_n = r->n_frames;
        f |= WDG_EV_FRAMES;
    }
    return f;
}

/* A new zeroed ext record for event e. */
static wdg_event_ext *new_ext(wdg_trace *t, wdg_event *e)
{
    if (t->n_ext >= UINT32_MAX - 1 ||
        grow((void **)&t->ext, &t->cap_ext, t->n_ext + 1, sizeof *t->ext) < 0)
        return NULL;
    wdg_event_ext *x = &t->ext[t->n_ext++];
    memset(x, 0, sizeof *x);
    e->ext = (uint32_t)t->n_ext;
    return x;
}

static int nomem(wdg_trace *t, uint64_t line, wdg_error *err)
{
    return wdg_error_set(err, WDG_ENOMEM, wdg_trace_display_name(t), line, "out of memory");
}

int wdg_trace_append(wdg_trace *t, const wdg_rec *r, uint32_t op, uint64_t line,
                     wdg_error *err)
{
    if (grow((void **)&t->events, &t->cap_events, t->n_events + 1, sizeof *t->events) < 0)
        return nomem(t, line, err);
    wdg_event *e = &t->events[t->n_events];
    memset(e, 0, sizeof *e);
    e->t = WDG_T_NONE;
    uint32_t f = set_core(e, r, r->have);
    e->tid = r->tid;
    e->op = op;
    e->cat = (uint8_t)(op == WDG_OP_NONE ? WDG_CAT_OTHER : wdg_ops_category(t->ops, op));
    if (op == WDG_OP_NONE) {
        f |= WDG_EV_PROBE;
        t->probe_events++;
    }
    e->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    if (r->have & ext_fields) {
        wdg_event_ext *x = new_ext(t, e);
        uint32_t xf = x ? set_ext(t, x, r, r->have) : UINT32_MAX;
        if (xf == UINT32_MAX)
            return nomem(t, line, err);
        f |= xf;
    }
    /* a wait that always times out comes back (pthread_cond_timedwait) */
    if (op != WDG_OP_NONE && wdg_ops_always_timed(t->ops, op))
        f |= WDG_EV_TIMEOUT;
    e->flags = f;
    t->n_events++;
    return 0;
}

/* The rec fields event e already holds. */
static uint32_t fields_of(const wdg_event *e)
{
    static const struct { uint32_t ev, rec; } map[] = {
        {WDG_EV_T, R_T}, {WDG_EV_LR, R_LR}, {WDG_EV_OBJ, R_OBJ},
        {WDG_EV_WAIT_KIND, R_WAIT_ALL}, {WDG_EV_TIMEOUT, R_TIMEOUT | R_TIMEOUT_PTR},
        {WDG_EV_SUSPENDED, R_SUSPENDED}, {WDG_EV_CYCLE, R_CYCLE}, {WDG_EV_RET, R_RET},
        {WDG_EV_PC, R_PC}, {WDG_EV_ENTRY, R_ENTRY}, {WDG_EV_NEW_TID, R_NEW_TID},
        {WDG_EV_ALIAS, R_ALIAS}, {WDG_EV_COUNT, R_COUNT}, {WDG_EV_OBJS, R_OBJS},
        {WDG_EV_FRAMES, R_FRAMES}};
    uint32_t have = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (e->flags & map[i].ev)
            have |= map[i].rec;
    return have;
}

int wdg_trace_merge(wdg_trace *t, size_t i, const wdg_rec *r, uint32_t op, int take_tid,
                    uint64_t line, wdg_error *err)
{
    wdg_event *e = &t->events[i];
    uint32_t take = r->have & ~fields_of(e);
    e->flags |= set_core(e, r, take);
    if (op != WDG_OP_NONE) {
        e->op = op;
        e->cat = (uint8_t)wdg_ops_category(t->ops, op);
        if (wdg_ops_always_timed(t->ops, op))
            e->flags |= WDG_EV_TIMEOUT;
    }
    if (take_tid && (r->have & R_TID))
        e->tid = r->tid;
    if (!(take & ext_fields))
        return 0;
    wdg_event_ext *x = e->ext ? &t->ext[e->ext - 1] : new_ext(t, e);
    uint32_t xf = x ? set_ext(t, x, r, take & ext_fields) : UINT32_MAX;
    if (xf == UINT32_MAX)
        return nomem(t, line, err);
    t->events[i].flags |= xf;
    return 0;
}

int wdg_trace_add_malformed(wdg_trace *t, uint64_t line, int reason, const char *msg,
                            int strict, wdg_error *err)
{
    t->malformed++;
    if (reason >= 0 && reason < WDG_MAL_COUNT)
        t->malformed_by_reason[reason]++;
    if (t->n_samples < WDG_MALFORMED_SAMPLES) {
        wdg_malformed_sample *s = &t->samples[t->n_samples++];
        s->line = line;
        s->reason = reason;
        wdg_utf8_snprintf(s->msg, sizeof s->msg, "%s", msg);
    }
    if (strict)
        return wdg_error_set(err, WDG_EMALFORMED, wdg_trace_display_name(t), line,
                             "malformed line: %s", msg);
    return 0;
}

/* Why name (n bytes) cannot be a --probe op, or NULL when it can.  Names
 * are kept to what a trace line can carry: the readers' 255-byte limit,
 * printable ASCII without white space or '=' (it would be another spec). */
static const char *probe_op_problem(wdg_ops *ops, const char *name, size_t n)
{
    if (n == 0)
        return "the op name is empty";
    if (n > 255)
        return "the op name is longer than 255 bytes";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] <= ' ' || (unsigned char)name[i] > '~' || name[i] == '=')
            return "the op name must be printable ASCII without spaces or '='";
    /* the pseudo ops need fields a probe line cannot give */
    uint32_t id = wdg_ops_find(ops, name, n);
    if (id == WDG_OP_THREAD_CREATE)
        return "thread.create needs entry_pc and new_tid, which a probe line does not carry";
    if (id == WDG_OP_OBJECT_ALIAS)
        return "object.alias needs obj and alias, which a probe line does not carry";
    return NULL;
}

int wdg_probes_add_spec(wdg_probes *p, wdg_ops *ops, const char *spec, wdg_error *err)
{
    const char *eq = strchr(spec, '=');
    uint32_t pc;
    if (!eq || wdg_parse_hex32(spec, (size_t)(eq - spec), &pc) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--probe takes PC=OP with PC in hex, e.g. 0x8284E49C=KeReleaseSemaphore: '%.120s'",
                             spec);
    size_t n = strlen(eq + 1);
    const char *why = probe_op_problem(ops, eq + 1, n);
    if (why)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--probe '%.120s%s': %s", spec,
                             strlen(spec) > 120 ? "..." : "", why);
    uint32_t op = wdg_ops_intern(ops, eq + 1, n);
    if (op == WDG_OP_NONE ||
        grow((void **)&p->items, &p->cap, p->n + 1, sizeof *p->items) < 0)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    p->items[p->n++] = (wdg_import){pc, op};
    return 0;
}

int wdg_probes_add_imports(wdg_probes *p, const wdg_trace *t, wdg_error *err)
{
    if (!t->n_imports)
        return 0;
    if (grow((void **)&p->items, &p->cap, p->n + t->n_imports, sizeof *p->items) < 0)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    memcpy(p->items + p->n, t->imports, t->n_imports * sizeof *t->imports);
    p->n += t->n_imports;
    return 0;
}

void wdg_probes_free(wdg_probes *p)
{
    free(p->items);
    memset(p, 0, sizeof *p);
}

int wdg_trace_resolve_probes(wdg_trace *t, const wdg_probes *p, int strict, wdg_error *err)
{
    wdg_map by_pc = WDG_MAP_INIT;
    int rc = 0;
    if (!t->probe_events)
        return 0;
    /* the first entry for a pc wins: --probe before import tables */
    for (size_t i = 0; p && i < p->n; i++)
        if (!wdg_map_put(&by_pc, p->items[i].pc, p->items[i].op, NULL)) {
            rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
    size_t w = 0;
    for (size_t i = 0; i < t->n_events; i++) {
        wdg_event e = t->events[i];
        if (e.flags & WDG_EV_PROBE) {
            const wdg_event_ext *x = wdg_event_ext_of(t, &e);
            uint64_t *op = x ? wdg_map_get(&by_pc, x->pc) : NULL;
            if (!op) {
                char msg[96];
                snprintf(msg, sizeof msg,
                         "no op for probe pc 0x%08X (give --probe PC=OP or an import table)",
                         x ? x->pc : 0);
                if ((rc = wdg_trace_add_malformed(t, e.line, WDG_MAL_UNRESOLVED, msg, strict,
                                                  err)) < 0)
                    goto done;
                continue;
            }
            e.op = (uint32_t)*op;
            e.cat = (uint8_t)wdg_ops_category(t->ops, e.op);
            e.flags &= ~(uint32_t)WDG_EV_PROBE;
        }
        t->events[w++] = e;
    }
    t->n_events = w;
    t->probe_events = 0;
done:
    wdg_map_free(&by_pc);
    return rc;
}

static int by_time(const void *a, const void *b)
{
    const wdg_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Untimed events in a timed trace (events without t): each takes the t of the
 * nearest earlier timed event in line order (the events are still in
 * line order here), the leading ones the first timed t; sorting by
 * (t, line) then keeps them right after that event.  Returns whether
 * the trace is timed (some event has t). */
static int place_untimed(wdg_trace *t)
{
    size_t first = 0;
    while (first < t->n_events && !(t->events[first].flags & WDG_EV_T))
        first++;
    if (first == t->n_events)
        return 0;
    int64_t last = t->events[first].t;
    for (size_t i = 0; i < t->n_events; i++) {
        wdg_event *e = &t->events[i];
        if (e->flags & WDG_EV_T) {
            last = e->t;
            continue;
        }
        e->t = last;
        e->flags |= WDG_EV_T | WDG_EV_T_PLACED;
        t->placed_t++;
    }
    return 1;
}

int wdg_trace_finalize(wdg_trace *t, wdg_error *err)
{
    wdg_map tids = WDG_MAP_INIT;
    t->all_t = place_untimed(t);
    t->producers = t->producers_with_lr = 0;
    unsigned seen = 0;
    int sorted = 1;
    for (size_t i = 0; i < t->n_events; i++) {
        const wdg_event *e = &t->events[i];
        if (!(e->flags & WDG_EV_T))
            t->all_t = 0;
        else if (i && (t->events[i - 1].flags & WDG_EV_T) && t->events[i - 1].t > e->t)
            sorted = 0;
        seen |= WDG_CAT_BIT(e->cat);
        if (wdg_category_is_producer(e->cat)) {
            t->producers++;
            if (e->flags & WDG_EV_LR)
                t->producers_with_lr++;
        }
        if (!wdg_map_put(&tids, e->tid, 0, NULL)) {
            wdg_map_free(&tids);
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        }
    }
    t->threads = (uint32_t)tids.count;
    wdg_map_free(&tids);
    /* Lines are unique per file, so (t, line) makes the sort stable. */
    if (t->all_t && !sorted)
        qsort(t->events, t->n_events, sizeof *t->events, by_time);
    if (t->all_t) {
        t->first_t = t->events[0].t;
        t->last_t = t->events[t->n_events - 1].t;
    } else {
        t->first_t = t->last_t = 0;
    }
    t->observes = t->has_observes ? t->header_observes : seen;
    return 0;
}
