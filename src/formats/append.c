/* Reader records (wdg_rec) into a trace's compact events: the core fields
 * in wdg_event, the rarer ones in an ext record, lists in the word pool. */
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

/* A list's addresses into the word pool: one word each, or, when some
 * element is a site (*wide set), two words (low, high) each. */
static int push_words(wdg_trace *t, const wdg_addr *a, uint32_t n, uint32_t *off, int *wide)
{
    *off = (uint32_t)t->n_words;
    *wide = 0;
    if (!n)
        return 0;   /* an empty list: nothing to store (words may be NULL) */
    for (uint32_t i = 0; i < n; i++)
        *wide |= wdg_addr_is_site(a[i]);
    size_t need = *wide ? 2 * (size_t)n : n;
    if (t->n_words + need > UINT32_MAX ||
        grow((void **)&t->words, &t->cap_words, t->n_words + need, sizeof *t->words) < 0)
        return -1;
    uint32_t *w = t->words + t->n_words;
    for (uint32_t i = 0; i < n; i++) {
        if (*wide)
            *w++ = (uint32_t)a[i], *w++ = (uint32_t)(a[i] >> 32);
        else
            *w++ = (uint32_t)a[i];
    }
    t->n_words += need;
    return 0;
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

/* Fills the ext record x with rec's fields in have; returns their flags,
 * or UINT32_MAX when out of memory. */
static uint32_t set_ext(wdg_trace *t, wdg_event_ext *x, const wdg_rec *r, uint32_t have)
{
    uint32_t f = 0;
    if (have & R_CYCLE) x->cycle = r->cycle, f |= WDG_EV_CYCLE;
    if (have & R_TIMEOUT) x->timeout = r->timeout;
    if (have & R_RET) x->ret = r->ret, f |= WDG_EV_RET;
    if (have & R_PC) x->pc = word_of(r->pc, WDG_X_PC_SITE, &x->sites), f |= WDG_EV_PC;
    if (have & R_ENTRY)
        x->entry_pc = word_of(r->entry_pc, WDG_X_ENTRY_SITE, &x->sites), f |= WDG_EV_ENTRY;
    if (have & R_NEW_TID) x->new_tid = r->new_tid, f |= WDG_EV_NEW_TID;
    if (have & R_ALIAS) x->alias = word_of(r->alias, WDG_X_ALIAS_SITE, &x->sites), f |= WDG_EV_ALIAS;
    if (have & R_COUNT) x->count = r->count, f |= WDG_EV_COUNT;
    int wide;
    if (have & R_OBJS) {
        if (push_words(t, r->objs, r->n_objs, &x->objs_off, &wide) < 0)
            return UINT32_MAX;
        x->objs_n = r->n_objs;
        x->sites |= wide ? WDG_X_OBJS_WIDE : 0;
        f |= WDG_EV_OBJS;
    }
    if (have & R_FRAMES) {
        if (push_words(t, r->frames, r->n_frames, &x->frames_off, &wide) < 0)
            return UINT32_MAX;
        x->frames_n = r->n_frames;
        x->sites |= wide ? WDG_X_FRAMES_WIDE : 0;
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

