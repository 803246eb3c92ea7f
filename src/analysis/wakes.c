/* Who woke whom (docs/analysis.md "Wake-ups"): for each wait of one
 * trace, the event that ends it and the producer that satisfied it. */
#include <stdlib.h>

#include "../base/map.h"
#include "wedge/diagnosis.h"

#define NONE ((uint64_t)WDG_NO_INDEX)

/* the canonical id of obj: object.alias links may chain; a few hops */
static wdg_addr canon(const wdg_map *alias, wdg_addr obj)
{
    for (int hops = 0; hops < 8; hops++) {
        uint64_t *to = wdg_map_get(alias, obj);
        if (!to || *to == obj)
            break;
        obj = *to;
    }
    return obj;
}

/* The objects wait event e waits on (a signal_wait: its second object). */
static int wait_objs(const wdg_trace *t, const wdg_map *alias, const wdg_event *e, wdg_addr *out)
{
    int n = 0;
    wdg_event_ext x_buf, *x = (e->flags & WDG_EV_OBJS) ? wdg_event_ext_of(t, e, &x_buf) : NULL;
    int has_list = x != NULL;
    if (wdg_ev_cat(t->ops, e) == WDG_CAT_SIGNAL_WAIT) {
        if (has_list && x->objs_n)
            out[n++] = canon(alias, wdg_x_obj(t, x, 0));
        return n;
    }
    if (e->flags & WDG_EV_OBJ)
        out[n++] = canon(alias, wdg_ev_obj(e));
    for (uint32_t i = 0; has_list && i < x->objs_n && n < 64; i++)
        out[n++] = canon(alias, wdg_x_obj(t, x, i));
    return n;
}

/* The latest producer on one of wait w's objects, by another thread,
 * after w: the one that satisfied it. */
static size_t waker_of(const wdg_trace *t, const wdg_map *alias, const wdg_map *last, size_t w)
{
    wdg_addr objs[64];
    int n = wait_objs(t, alias, &t->events[w], objs);
    size_t best = WDG_NO_INDEX;
    for (int k = 0; k < n; k++) {
        uint64_t *p = wdg_map_get(last, objs[k]);
        if (!p || *p == NONE || *p <= w || t->events[*p].tid == t->events[w].tid)
            continue;
        if (best == WDG_NO_INDEX || *p > best)
            best = (size_t)*p;
    }
    return best;
}

/* Each producer's list of the waits it woke, in the waits' order: built
 * backwards so that each wait goes in front. */
static void link_woken(wdg_wakes *w)
{
    for (size_t i = w->n; i-- > 0;) {
        size_t p = w->waker[i];
        if (p == WDG_NO_INDEX)
            continue;
        w->next_woken[i] = w->first_woken[p];
        w->first_woken[p] = i;
    }
}

static int is_wait(const wdg_ops *ops, const wdg_event *e)
{
    return wdg_ev_cat(ops, e) == WDG_CAT_WAIT || wdg_ev_cat(ops, e) == WDG_CAT_SIGNAL_WAIT;
}

/* One event in order: it ends its thread's pending wait, then records
 * itself as its objects' last producer and as its thread's pending wait. */
static int step(wdg_wakes *w, const wdg_trace *t, wdg_map *alias, wdg_map *last,
                wdg_map *pending, size_t i)
{
    const wdg_event *e = &t->events[i];
    uint64_t *p = wdg_map_get(pending, e->tid);
    if (p && *p != NONE) {
        w->ended_by[*p] = i;
        w->waker[*p] = waker_of(t, alias, last, (size_t)*p);
        *p = NONE;
    }
    wdg_event_ext x_buf,
        *x = e->op == WDG_OP_OBJECT_ALIAS ? wdg_event_ext_of(t, e, &x_buf) : NULL;
    if (x && (e->flags & WDG_EV_OBJ)) {
        if (!wdg_map_put(alias, wdg_x_alias(x), wdg_ev_obj(e), NULL))
            return -1;
    }
    if (wdg_category_is_producer(wdg_ev_cat(t->ops, e)) && (e->flags & WDG_EV_OBJ)) {
        uint64_t *slot = wdg_map_put(last, canon(alias, wdg_ev_obj(e)), i, NULL);
        if (!slot)
            return -1;
        *slot = i;
    }
    if (is_wait(t->ops, e)) {
        uint64_t *slot = wdg_map_put(pending, e->tid, i, NULL);
        if (!slot)
            return -1;
        *slot = i;
    }
    return 0;
}

int wdg_wakes_build(wdg_wakes *w, const wdg_trace *t, wdg_error *err)
{
    size_t n = t->n_events ? t->n_events : 1;
    wdg_map alias = WDG_MAP_INIT, last = WDG_MAP_INIT, pending = WDG_MAP_INIT;
    int rc = 0;
    w->n = t->n_events;
    w->ended_by = malloc(n * sizeof *w->ended_by);
    w->waker = malloc(n * sizeof *w->waker);
    w->first_woken = malloc(n * sizeof *w->first_woken);
    w->next_woken = malloc(n * sizeof *w->next_woken);
    if (!w->ended_by || !w->waker || !w->first_woken || !w->next_woken)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < t->n_events; i++)
        w->ended_by[i] = w->waker[i] = w->first_woken[i] = w->next_woken[i] = WDG_NO_INDEX;
    for (size_t i = 0; rc == 0 && i < t->n_events; i++)
        rc = step(w, t, &alias, &last, &pending, i);
    if (rc == 0)
        link_woken(w);
    wdg_map_free(&alias);
    wdg_map_free(&last);
    wdg_map_free(&pending);
    if (rc < 0) {
        wdg_wakes_free(w);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    return 0;
}

void wdg_wakes_free(wdg_wakes *w)
{
    free(w->ended_by);
    free(w->waker);
    free(w->first_woken);
    free(w->next_woken);
    w->ended_by = w->waker = w->first_woken = w->next_woken = NULL;
    w->n = 0;
}
