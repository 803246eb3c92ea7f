/* Reader records (wdg_rec) into a trace's compact events: the core fields
 * in wdg_event, the rarer ones in a record of only the fields present,
 * with its lists, in the word pool. */
#include <stdint.h>
#include <string.h>

#include "../base/grow.h"
#include "../model/trace_build.h"
#include "formats.h"

/* Event arrays start at 1024 elements: most traces have far more. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    return wdg_grow(p, cap, need, sz, 1024);
}

/* An address's event word: the value, or its site index with bit set in
 * *flags. */
static uint32_t word_of(wdg_addr a, uint32_t bit, uint32_t *flags)
{
    if (wdg_addr_is_site(a))
        *flags |= bit;
    return (uint32_t)a;
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
        e->lr = word_of(r->lr, WDG_EV_LR_SITE, &f), f |= WDG_EV_LR;
    if (have & R_OBJ)
        e->obj = word_of(r->obj, WDG_EV_OBJ_SITE, &f), f |= WDG_EV_OBJ;
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

/* The event flags of the rec's ext fields in have. */
static uint32_t ext_flags(uint32_t have)
{
    return (have & R_CYCLE ? WDG_EV_CYCLE : 0) |
           (have & R_TIMEOUT ? WDG_EV_TIMEOUT | WDG_EV_TIMEOUT_VALUE : 0) |
           (have & R_RET ? WDG_EV_RET : 0) | (have & R_PC ? WDG_EV_PC : 0) |
           (have & R_ENTRY ? WDG_EV_ENTRY : 0) | (have & R_NEW_TID ? WDG_EV_NEW_TID : 0) |
           (have & R_ALIAS ? WDG_EV_ALIAS : 0) | (have & R_COUNT ? WDG_EV_COUNT : 0) |
           (have & R_OBJS ? WDG_EV_OBJS : 0) | (have & R_FRAMES ? WDG_EV_FRAMES : 0);
}

/* A list of a record: rec's addresses (a), or the elements of a record
 * already stored, at words off (a merge). */
typedef struct list_src {
    const wdg_addr *a;
    uint32_t off, n;
    int wide;   /* two words (low, high) per element: some is a site */
} list_src;

static list_src rec_list(const wdg_addr *a, uint32_t n)
{
    list_src l = {a, 0, n, 0};
    for (uint32_t i = 0; i < n; i++)
        l.wide |= wdg_addr_is_site(a[i]);
    return l;
}

static uint32_t *put_list(uint32_t *w, const uint32_t *words, const list_src *l)
{
    *w++ = l->n;
    if (!l->a) {
        uint32_t n = wdg_list_words(l->n, l->wide);
        memcpy(w, words + l->off, n * sizeof *w);
        return w + n;
    }
    for (uint32_t i = 0; i < l->n; i++) {
        *w++ = (uint32_t)l->a[i];
        if (l->wide)
            *w++ = (uint32_t)(l->a[i] >> 32);
    }
    return w;
}

static uint32_t *put64(uint32_t *w, int64_t v)
{
    w[0] = (uint32_t)(uint64_t)v;
    w[1] = (uint32_t)((uint64_t)v >> 32);
    return w + 2;
}

/* Writes e's record at the end of the word pool: the fields *flagsp names
 * (WDG_EV_*; wedge/trace.h gives their order), their values from x, its
 * lists from objs and frames; its WDG_X_* bits go into *flagsp.  -1 out of
 * memory. */
static int put_record(wdg_trace *t, wdg_event *e, uint32_t *flagsp, const wdg_event_ext *x,
                      const list_src *objs, const list_src *frames)
{
    uint32_t flags = *flagsp, line = wdg_ev_line(t, e);
    size_t need = 1 + 11 + 2;
    if (flags & WDG_EV_OBJS)
        need += wdg_list_words(objs->n, objs->wide);
    if (flags & WDG_EV_FRAMES)
        need += wdg_list_words(frames->n, frames->wide);
    if (t->n_words + need > t->cap_words &&
        (t->n_words + need >= UINT32_MAX ||
         grow((void **)&t->words, &t->cap_words, t->n_words + need, sizeof *t->words) < 0))
        return -1;
    uint32_t at = (uint32_t)t->n_words, *w = t->words + at;
    *w++ = line;
    if (flags & WDG_EV_CYCLE) w = put64(w, x->cycle);
    if (flags & WDG_EV_TIMEOUT_VALUE) w = put64(w, x->timeout);
    if (flags & WDG_EV_RET) w = put64(w, x->ret);
    if (flags & WDG_EV_PC) *w++ = x->pc;
    if (flags & WDG_EV_ENTRY) *w++ = x->entry_pc;
    if (flags & WDG_EV_NEW_TID) *w++ = x->new_tid;
    if (flags & WDG_EV_ALIAS) *w++ = x->alias;
    if (flags & WDG_EV_COUNT) *w++ = x->count;
    uint32_t sites = x->sites & (WDG_X_PC_SITE | WDG_X_ENTRY_SITE | WDG_X_ALIAS_SITE);
    if (flags & WDG_EV_OBJS) {
        w = put_list(w, t->words, objs);
        sites |= objs->wide ? WDG_X_OBJS_WIDE : 0;
    }
    if (flags & WDG_EV_FRAMES) {
        w = put_list(w, t->words, frames);
        sites |= frames->wide ? WDG_X_FRAMES_WIDE : 0;
    }
    t->n_words = (size_t)(w - t->words);
    e->slot = at + 1;
    *flagsp = (flags & ~(uint32_t)WDG_EV_XSITES) | sites << WDG_EV_XSITES_SHIFT | WDG_EV_EXT;
    return 0;
}

/* Copies rec's ext fields in have into x (lists into objs and frames). */
static void set_ext(wdg_event_ext *x, list_src *objs, list_src *frames, const wdg_rec *r,
                    uint32_t have)
{
    if (have & R_CYCLE) x->cycle = r->cycle;
    if (have & R_TIMEOUT) x->timeout = r->timeout;
    if (have & R_RET) x->ret = r->ret;
    if (have & R_PC) x->pc = word_of(r->pc, WDG_X_PC_SITE, &x->sites);
    if (have & R_ENTRY) x->entry_pc = word_of(r->entry_pc, WDG_X_ENTRY_SITE, &x->sites);
    if (have & R_NEW_TID) x->new_tid = r->new_tid;
    if (have & R_ALIAS) x->alias = word_of(r->alias, WDG_X_ALIAS_SITE, &x->sites);
    if (have & R_COUNT) x->count = r->count;
    if (have & R_OBJS) *objs = rec_list(r->objs, r->n_objs);
    if (have & R_FRAMES) *frames = rec_list(r->frames, r->n_frames);
}

static int nomem(wdg_trace *t, uint64_t line, wdg_error *err)
{
    return wdg_error_set(err, WDG_ENOMEM, wdg_trace_display_name(t), line, "out of memory");
}

/* The event flags that the rec fields in have give by their presence
 * alone (set_core's and ext_flags' without the values' bits), a table per
 * six bits of have: three loads instead of a test per field. */
#define HF(h)                                                                              \
    (((h) & R_T ? WDG_EV_T : 0u) | ((h) & R_LR ? WDG_EV_LR : 0u) |                         \
     ((h) & R_OBJ ? WDG_EV_OBJ : 0u) | ((h) & R_WAIT_ALL ? WDG_EV_WAIT_KIND : 0u) |        \
     ((h) & R_TIMEOUT ? WDG_EV_TIMEOUT | WDG_EV_TIMEOUT_VALUE : 0u) |                      \
     ((h) & R_TIMEOUT_PTR ? WDG_EV_TIMEOUT : 0u) | ((h) & R_CYCLE ? WDG_EV_CYCLE : 0u) |   \
     ((h) & R_RET ? WDG_EV_RET : 0u) | ((h) & R_PC ? WDG_EV_PC : 0u) |                     \
     ((h) & R_ENTRY ? WDG_EV_ENTRY : 0u) | ((h) & R_NEW_TID ? WDG_EV_NEW_TID : 0u) |       \
     ((h) & R_ALIAS ? WDG_EV_ALIAS : 0u) | ((h) & R_COUNT ? WDG_EV_COUNT : 0u) |           \
     ((h) & R_OBJS ? WDG_EV_OBJS : 0u) | ((h) & R_FRAMES ? WDG_EV_FRAMES : 0u))
#define HF4(k, i) HF((i) << 6 * (k)), HF(((i) + 1u) << 6 * (k)), HF(((i) + 2u) << 6 * (k)), \
                  HF(((i) + 3u) << 6 * (k))
#define HF16(k, i) HF4(k, i), HF4(k, (i) + 4u), HF4(k, (i) + 8u), HF4(k, (i) + 12u)
#define HF64(k) HF16(k, 0u), HF16(k, 16u), HF16(k, 32u), HF16(k, 48u)
static const uint32_t have_flags[3][64] = {{HF64(0)}, {HF64(1)}, {HF64(2)}};
_Static_assert(R_TIMEOUT_PTR < 1u << 18 && R_FRAMES < 1u << 18, "have_flags covers the fields");
#undef HF64
#undef HF16
#undef HF4
#undef HF

/* put_record() for a new event, straight from the rec (no wdg_event_ext
 * on the way): the fields of have in the record's order. */
static int put_rec_record(wdg_trace *t, wdg_event *e, uint32_t *flagsp, const wdg_rec *r,
                          uint32_t have)
{
    list_src objs = {0}, frames = {0};
    size_t need = 1 + 11 + 2;
    if (have & R_OBJS) {
        objs = rec_list(r->objs, r->n_objs);
        need += wdg_list_words(objs.n, objs.wide);
    }
    if (have & R_FRAMES) {
        frames = rec_list(r->frames, r->n_frames);
        need += wdg_list_words(frames.n, frames.wide);
    }
    if (t->n_words + need > t->cap_words &&
        (t->n_words + need >= UINT32_MAX ||
         grow((void **)&t->words, &t->cap_words, t->n_words + need, sizeof *t->words) < 0))
        return -1;
    uint32_t at = (uint32_t)t->n_words, *w = t->words + at, sites = 0;
    *w++ = e->slot;   /* the line, until now in the event */
    if (have & R_CYCLE) w = put64(w, r->cycle);
    if (have & R_TIMEOUT) w = put64(w, r->timeout);
    if (have & R_RET) w = put64(w, r->ret);
    if (have & R_PC) *w++ = word_of(r->pc, WDG_X_PC_SITE, &sites);
    if (have & R_ENTRY) *w++ = word_of(r->entry_pc, WDG_X_ENTRY_SITE, &sites);
    if (have & R_NEW_TID) *w++ = r->new_tid;
    if (have & R_ALIAS) *w++ = word_of(r->alias, WDG_X_ALIAS_SITE, &sites);
    if (have & R_COUNT) *w++ = r->count;
    if (have & R_OBJS) {
        w = put_list(w, t->words, &objs);
        sites |= objs.wide ? WDG_X_OBJS_WIDE : 0;
    }
    if (have & R_FRAMES) {
        w = put_list(w, t->words, &frames);
        sites |= frames.wide ? WDG_X_FRAMES_WIDE : 0;
    }
    t->n_words = (size_t)(w - t->words);
    e->slot = at + 1;
    *flagsp |= sites << WDG_EV_XSITES_SHIFT | WDG_EV_EXT;
    return 0;
}

/* The event is built in a local and stored whole: its flags from
 * have_flags, the values' own bits (sites, wait_all, suspended) added
 * without a test per absent field. */
int wdg_trace_append(wdg_trace *t, const wdg_rec *r, uint32_t op, uint64_t line,
                     wdg_error *err)
{
    if (t->n_events >= t->cap_events &&
        grow((void **)&t->events, &t->cap_events, t->n_events + 1, sizeof *t->events) < 0)
        return nomem(t, line, err);
    uint32_t have = r->have;
    uint32_t f = have_flags[0][have & 63] | have_flags[1][have >> 6 & 63] |
                 have_flags[2][have >> 12 & 63];
    wdg_event ev;
    ev.t = have & R_T ? r->t : WDG_T_NONE;
    ev.tid = r->tid;
    ev.op = op;
    ev.lr = have & R_LR ? (uint32_t)r->lr : 0;
    ev.obj = have & R_OBJ ? (uint32_t)r->obj : 0;
    ev.slot = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;   /* until it has a record */
    if (have & R_LR && wdg_addr_is_site(r->lr))
        f |= WDG_EV_LR_SITE;
    if (have & R_OBJ && wdg_addr_is_site(r->obj))
        f |= WDG_EV_OBJ_SITE;
    if (have & R_WAIT_ALL && r->wait_all)
        f |= WDG_EV_WAIT_ALL;
    if (have & R_SUSPENDED && r->suspended)
        f |= WDG_EV_SUSPENDED;
    if (op == WDG_OP_NONE) {
        f |= WDG_EV_PROBE;
        t->probe_events++;
    }
    if ((have & ext_fields) && put_rec_record(t, &ev, &f, r, have) < 0)
        return nomem(t, line, err);
    /* a wait that always times out comes back (pthread_cond_timedwait) */
    if (op != WDG_OP_NONE && wdg_ops_always_timed(t->ops, op))
        f |= WDG_EV_TIMEOUT;
    ev.flags = f;
    t->events[t->n_events++] = ev;
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
    /* the stored record as it is, read before the flags change */
    wdg_event_ext x = {0};
    list_src objs = {0}, frames = {0};
    if (wdg_event_ext_of(t, e, &x)) {
        objs = (list_src){NULL, x.objs_off, x.objs_n, (x.sites & WDG_X_OBJS_WIDE) != 0};
        frames = (list_src){NULL, x.frames_off, x.frames_n, (x.sites & WDG_X_FRAMES_WIDE) != 0};
    }
    e->flags |= set_core(e, r, take);
    if (op != WDG_OP_NONE) {
        e->op = op;
        if (wdg_ops_always_timed(t->ops, op))
            e->flags |= WDG_EV_TIMEOUT;
    }
    if (take_tid && (r->have & R_TID))
        e->tid = r->tid;
    if (!(take & ext_fields))
        return 0;
    /* a new record at the end of the pool; the old one is left unused */
    set_ext(&x, &objs, &frames, r, take & ext_fields);
    uint32_t f = e->flags | ext_flags(take & ext_fields);
    if (put_record(t, e, &f, &x, &objs, &frames) < 0)
        return nomem(t, line, err);
    e->flags = f;
    return 0;
}

