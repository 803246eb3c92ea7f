/* Wrappers: sites lifted out of them through frames (--wrapper, detection,
 * --key-by) and the match classes they leave between the two engines'
 * keys (docs/analysis.md "Wrappers and match classes"). */
#include "wrappers.h"

#include <stdlib.h>
#include <string.h>

#include "../base/map.h"

#define NO_UNIT UINT64_MAX

void wrap_free(wrap_set *w)
{
    free(w->funcs);
    free(w->sites);
    free(w->spread);
    memset(w, 0, sizeof *w);
}

static int cmp_addr(const void *a, const void *b)
{
    wdg_addr x = *(const wdg_addr *)a, y = *(const wdg_addr *)b;
    return x < y ? -1 : x > y;
}

static size_t sort_unique(wdg_addr *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_addr);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[m - 1])
            v[m++] = v[i];
    return m;
}

static int has(const wdg_addr *v, size_t n, wdg_addr x)
{
    return n && bsearch(&x, v, n, sizeof *v, cmp_addr) != NULL;
}

/* The wrapper addr lies in: a given function (1 << 33 | start) or a
 * single site (addr); NO_UNIT outside every wrapper.  Sites detected by
 * their spread over threads and objects count only with `spread` set:
 * they have no frames to lift through, and a shared thread function's
 * site fits them too, so they form classes but never stop a key from
 * being another wrapper's caller. */
static uint64_t unit_in(const wrap_set *w, wdg_addr addr, int spread)
{
    const char *name;
    wdg_addr start;
    if (w->n_funcs && wdg_symbols_lookup(w->symbols, addr, &name, &start) &&
        has(w->funcs, w->n_funcs, start))
        return (uint64_t)1 << 33 | wdg_addr_key33(start);
    if (has(w->sites, w->n_sites, addr) || (spread && has(w->spread, w->n_spread, addr)))
        return wdg_addr_key33(addr);
    return NO_UNIT;
}

static uint64_t unit_of(const wrap_set *w, wdg_addr addr)
{
    return unit_in(w, addr, 0);
}

/* "0x824AB158" as an address; anything else names a symbol. */
static int parse_addr(const char *s, uint32_t *out)
{
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
        return 0;
    uint64_t v = 0;
    for (const char *p = s + 2; *p; p++) {
        int d = *p >= '0' && *p <= '9'   ? *p - '0'
                : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
                                         : -1;
        if (d < 0 || (v = v << 4 | (uint64_t)d) > UINT32_MAX)
            return -1;
    }
    *out = (uint32_t)v;
    return 1;
}

/* The --wrapper values: a symbol's function, the function containing an
 * address, or (no symbol contains it) that exact site. */
static int resolve_given(wrap_set *w, const wdg_key_opts *ko, wdg_error *err)
{
    for (size_t i = 0; i < ko->n_wrappers; i++) {
        const char *v = ko->wrappers[i], *name;
        uint32_t a;
        wdg_addr start;
        int kind = parse_addr(v, &a);
        if (kind < 0)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--wrapper takes a symbol name or an address such as "
                                 "0x824AB158: '%s'", v);
        if (kind == 0 && !wdg_symbols_find(w->symbols, v, &start))
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--wrapper %s: no symbol of that name (give --symbols with it, "
                                 "or its address)", v);
        if (kind == 1 && !wdg_symbols_lookup(w->symbols, a, &name, &start))
            w->sites[w->n_sites++] = a;
        else
            w->funcs[w->n_funcs++] = start;
    }
    return 0;
}

/* Event e's frames (*n of them, read with wdg_x_frame), or NULL; buf
 * holds its record. */
static wdg_event_ext *frames_of(const wdg_trace *t, const wdg_event *e, uint32_t *n,
                                wdg_event_ext *buf)
{
    /* the flag first: detect() asks this of every event */
    wdg_event_ext *x = (e->flags & WDG_EV_FRAMES) ? wdg_event_ext_of(t, e, buf) : NULL;
    *n = x ? x->frames_n : 0;
    return *n ? x : NULL;
}

/* A (site, caller) pair as one id: exact for 32-bit addresses (as
 * before), a hash of both otherwise. */
static uint64_t pair_id(wdg_addr lr, wdg_addr caller)
{
    if (!wdg_addr_is_site(lr) && !wdg_addr_is_site(caller))
        return lr << 32 | caller;
    return wdg_hash64(wdg_hash64(wdg_addr_key33(lr)) ^ wdg_addr_key33(caller));
}

/* Detected wrapper sites: producer sites whose first frames name >= 2
 * distinct callers.  Appends to w->sites (room for every event given). */
static int detect(wrap_set *w, const wdg_trace *t)
{
    wdg_map pairs = WDG_MAP_INIT, callers = WDG_MAP_INIT;
    int rc = 0;
    for (size_t i = 0; i < t->n_events && rc == 0; i++) {
        const wdg_event *e = &t->events[i];
        uint32_t n;
        wdg_event_ext fr_buf, *fr = frames_of(t, e, &n, &fr_buf);
        if (!fr || !(e->flags & WDG_EV_LR) || !wdg_category_is_producer(wdg_ev_cat(t->ops, e)))
            continue;
        wdg_addr lr = wdg_ev_lr(e);
        uint64_t pair = pair_id(lr, wdg_x_frame(t, fr, 0));
        int fresh;
        if (pair == UINT64_MAX)
            continue;
        if (!wdg_map_put(&pairs, pair, 0, &fresh))
            rc = -1;
        else if (fresh) {
            uint64_t *c = wdg_map_put(&callers, lr, 0, NULL);
            if (!c)
                rc = -1;
            else if (++*c == 2)
                w->sites[w->n_sites++] = lr;
        }
    }
    wdg_map_free(&pairs);
    wdg_map_free(&callers);
    return rc;
}

/* What one trace's frameless events at a producer site name so far. */
typedef struct site_seen {
    wdg_addr lr, obj;            /* the site; its first event's object */
    uint32_t tid;                /* its first event's thread */
    uint8_t tids2, objs2, framed; /* a 2nd thread, a 2nd object, any frames */
} site_seen;

/* Wrapper sites without frames: producer sites whose events carry no
 * frames and name >= 2 distinct threads and >= 2 distinct objects in t
 * (a wrapper fired by several callers, each on its own object).  Appends
 * to w->spread (room for every event given). */
static int detect_spread(wrap_set *w, const wdg_trace *t)
{
    wdg_map at = WDG_MAP_INIT;
    site_seen *seen = malloc((t->n_events + 1) * sizeof *seen);
    size_t n = 0;
    int rc = seen ? 0 : -1;
    for (size_t i = 0; i < t->n_events && rc == 0; i++) {
        const wdg_event *e = &t->events[i];
        if (!(e->flags & WDG_EV_LR) || !(e->flags & WDG_EV_OBJ) ||
            !wdg_category_is_producer(wdg_ev_cat(t->ops, e)))
            continue;
        int fresh;
        uint64_t *slot = wdg_map_put(&at, wdg_ev_lr(e), n, &fresh);
        if (!slot) {
            rc = -1;
            break;
        }
        site_seen *s = &seen[*slot];
        if (fresh)
            *s = (site_seen){wdg_ev_lr(e), wdg_ev_obj(e), e->tid, 0, 0, 0}, n++;
        s->tids2 |= e->tid != s->tid;
        s->objs2 |= wdg_ev_obj(e) != s->obj;
        s->framed |= (e->flags & WDG_EV_FRAMES) != 0;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (seen[i].tids2 && seen[i].objs2 && !seen[i].framed)
            w->spread[w->n_spread++] = seen[i].lr;
    wdg_map_free(&at);
    free(seen);
    return rc;
}

int wrap_init(wrap_set *w, const wdg_key_opts *ko, const wdg_trace *const tr[2],
              wdg_error *err)
{
    memset(w, 0, sizeof *w);
    w->symbols = ko ? ko->symbols : NULL;
    w->by = ko ? ko->by : WDG_KEY_BY_SITE;
    size_t given = ko ? ko->n_wrappers : 0;
    w->funcs = malloc((given + 1) * sizeof *w->funcs);
    w->sites = malloc((given + tr[0]->n_events + tr[1]->n_events + 1) * sizeof *w->sites);
    w->spread = malloc((tr[0]->n_events + tr[1]->n_events + 1) * sizeof *w->spread);
    if (!w->funcs || !w->sites || !w->spread || detect(w, tr[0]) < 0 || detect(w, tr[1]) < 0 ||
        detect_spread(w, tr[0]) < 0 || detect_spread(w, tr[1]) < 0) {
        wrap_free(w);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    int rc = given ? resolve_given(w, ko, err) : 0;
    if (rc < 0) {
        wrap_free(w);
        return rc;
    }
    w->n_funcs = sort_unique(w->funcs, w->n_funcs);
    w->n_sites = sort_unique(w->sites, w->n_sites);
    w->n_spread = sort_unique(w->spread, w->n_spread);
    return 0;
}

wdg_addr wrap_key_addr(const wrap_set *w, const wdg_trace *t, const wdg_event *e, int *lifted)
{
    uint32_t n;
    wdg_addr a = wdg_ev_lr(e);
    wdg_event_ext fr_buf, *fr = frames_of(t, e, &n, &fr_buf);
    *lifted = 0;
    if (fr && w->by == WDG_KEY_BY_CALLER) {
        a = wdg_x_frame(t, fr, 0), *lifted = 1;
    } else if (fr && unit_of(w, a) != NO_UNIT) {
        /* the first frame outside every wrapper (a wrapper may call one) */
        for (uint32_t i = 0; i < n && !*lifted; i++)
            if (unit_of(w, wdg_x_frame(t, fr, i)) == NO_UNIT)
                a = wdg_x_frame(t, fr, i), *lifted = 1;
    }
    const char *name;
    wdg_addr start;
    if (w->by == WDG_KEY_BY_FUNCTION && wdg_symbols_lookup(w->symbols, a, &name, &start))
        a = start;
    return a;
}

/* ---- match classes ---- */

typedef struct rec {
    uint64_t unit;
    wdg_addr lr;            /* the first recorded site */
    uint32_t anchor;        /* the first key its events went to */
    uint32_t op;            /* the op of a key its unlifted events went to */
    uint8_t cat, side, one_sided, unlifted;
} rec;

typedef struct class_ctx {
    wdg_keytable *kt;
    const wrap_set *w;
    const wdg_trace *const *tr;
    wdg_map ids;            /* (side, cat, unit) -> rec index */
    rec *recs;
    size_t n_recs;
    uint32_t *parent;       /* union-find over key indexes */
    uint8_t *joined;
} class_ctx;

static uint64_t rec_id(int side, int cat, uint64_t unit)
{
    return (uint64_t)side << 48 | (uint64_t)cat << 40 | unit;
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static void join(class_ctx *c, uint32_t a, uint32_t b)
{
    a = find(c->parent, a), b = find(c->parent, b);
    c->joined[a] = c->joined[b] = 1;
    if (a != b)   /* the lower index (the more important key) is the root */
        a < b ? (c->parent[b] = a) : (c->parent[a] = b);
}

/* The recorded wrapper sites: one rec per (side, category, wrapper). */
static int collect(class_ctx *c, int pass)
{
    const uint32_t *per[2] = {c->kt->ref_key, c->kt->cand_key};
    for (int s = 0; s < 2; s++) {
        const wdg_trace *t = c->tr[s];
        for (size_t i = 0; i < t->n_events; i++) {
            const wdg_event *e = &t->events[i];
            uint64_t u;
            if (per[s][i] == WDG_NO_KEY || !(e->flags & WDG_EV_LR) ||
                (u = unit_in(c->w, wdg_ev_lr(e), 1)) == NO_UNIT)
                continue;
            int fresh;
            uint64_t *slot = wdg_map_put(&c->ids, rec_id(s, wdg_ev_cat(t->ops, e), u), c->n_recs, &fresh);
            if (!slot)
                return -1;
            rec *r = &c->recs[*slot];
            if (pass == 0 && fresh)
                *r = (rec){u, wdg_ev_lr(e), per[s][i], 0, wdg_ev_cat(t->ops, e), (uint8_t)s, 0, 0}, c->n_recs++;
            if (pass == 0 || !r->one_sided)
                continue;
            int lifted;
            wrap_key_addr(c->w, t, e, &lifted);
            if (!lifted && !r->unlifted)
                r->unlifted = 1, r->op = c->kt->keys[per[s][i]].op;
            join(c, per[s][i], r->anchor);
        }
    }
    return 0;
}

/* A one-sided rec whose events stayed at the wrapper's site: the other
 * side's keys of the same category and op that the recording side never
 * fires, outside every wrapper, are its callers. */
static void adopt_callers(class_ctx *c, const rec *r)
{
    /* aliases name one op: xeKeReleaseSemaphore is KeReleaseSemaphore */
    const wdg_ops *ops = c->tr[0]->ops;
    uint32_t op = wdg_ops_canonical(ops, r->op);
    for (size_t k = 0; k < c->kt->n; k++) {
        const wdg_key *x = &c->kt->keys[k];
        uint64_t mine = r->side == WDG_SIDE_REF ? x->ref_total : x->cand_total;
        uint64_t theirs = r->side == WDG_SIDE_REF ? x->cand_total : x->ref_total;
        if (x->has_lr && x->cat == r->cat && wdg_ops_canonical(ops, x->op) == op && !mine &&
            theirs &&
            unit_of(c->w, x->lr) == NO_UNIT)
            join(c, (uint32_t)k, r->anchor);
    }
}

/* Turns the joined groups into classes (>= 2 keys, fired on both sides). */
static int emit(class_ctx *c)
{
    wdg_keytable *kt = c->kt;
    size_t n = kt->n;
    uint32_t *size = calloc(n + 1, sizeof *size), *cls = malloc((n + 1) * sizeof *cls);
    uint64_t *sides = calloc(n + 1, sizeof *sides);
    int rc = -1;
    if (!size || !cls || !sides)
        goto done;
    size_t members = 0, classes = 0;
    for (size_t k = 0; k < n; k++) {
        cls[k] = WDG_NO_KEY;
        if (!c->joined[find(c->parent, (uint32_t)k)])
            continue;
        uint32_t root = find(c->parent, (uint32_t)k);
        size[root]++;
        sides[root] |= (kt->keys[k].ref_total ? 1u : 0u) | (kt->keys[k].cand_total ? 2u : 0u);
    }
    for (size_t k = 0; k < n; k++) {
        uint32_t root = find(c->parent, (uint32_t)k);
        if (!c->joined[root] || size[root] < 2 || sides[root] != 3)
            continue;
        members++;
        if (root == k)
            classes++;
    }
    if (!classes) {
        rc = 0;
        goto done;
    }
    kt->classes = calloc(classes, sizeof *kt->classes);
    kt->class_keys = malloc(members * sizeof *kt->class_keys);
    if (!kt->classes || !kt->class_keys)
        goto done;
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {   /* roots come first in their group */
        uint32_t root = find(c->parent, (uint32_t)k);
        if (!c->joined[root] || size[root] < 2 || sides[root] != 3)
            continue;
        if (root == k) {
            wdg_match_class *m = &kt->classes[kt->n_classes];
            cls[root] = (uint32_t)kt->n_classes++;
            m->keys = &kt->class_keys[at];
            m->cat = kt->keys[k].cat;
            m->via_side = -1;
            at += size[root];
        }
        wdg_match_class *m = &kt->classes[cls[root]];
        wdg_key *x = &kt->keys[k];
        m->keys[m->n_keys++] = (uint32_t)k;
        m->ref += x->ref, m->cand += x->cand;
        m->ref_total += x->ref_total, m->cand_total += x->cand_total;
        x->cls = cls[root];
        x->status = WDG_ST_MIXED;
    }
    for (size_t i = 0; i < c->n_recs; i++) {   /* the first wrapper site it stands for */
        const rec *r = &c->recs[i];
        uint32_t root = find(c->parent, r->anchor);
        if (r->one_sided && cls[root] != WDG_NO_KEY && kt->classes[cls[root]].via_side < 0)
            kt->classes[cls[root]].via = r->lr, kt->classes[cls[root]].via_side = r->side;
    }
    rc = 0;
done:
    free(size);
    free(cls);
    free(sides);
    return rc;
}

int wrap_classes(wdg_keytable *kt, const wrap_set *w, const wdg_trace *const tr[2],
                 wdg_error *err)
{
    if (!kt->by_lr || (!w->n_funcs && !w->n_sites && !w->n_spread) || !kt->n)
        return 0;
    class_ctx c = {kt, w, tr, WDG_MAP_INIT, NULL, 0, NULL, NULL};
    int rc = -1;
    c.recs = malloc((tr[0]->n_events + tr[1]->n_events + 1) * sizeof *c.recs);
    c.parent = malloc(kt->n * sizeof *c.parent);
    c.joined = calloc(kt->n, 1);
    if (!c.recs || !c.parent || !c.joined || collect(&c, 0) < 0)
        goto done;
    for (size_t k = 0; k < kt->n; k++)
        c.parent[k] = (uint32_t)k;
    /* a wrapper both engines record keys alike on both sides: no class;
     * nor does a spread site whose key the other side fires (its events
     * were lifted there, or it is a thread function both engines share) */
    for (size_t i = 0; i < c.n_recs; i++) {
        rec *r = &c.recs[i];
        const wdg_key *k = &kt->keys[r->anchor];
        uint64_t theirs = r->side == WDG_SIDE_REF ? k->cand_total : k->ref_total;
        r->one_sided = !wdg_map_get(&c.ids, rec_id(!r->side, r->cat, r->unit)) &&
                       (unit_of(w, r->lr) != NO_UNIT || !theirs);
    }
    if (collect(&c, 1) < 0)
        goto done;
    for (size_t i = 0; i < c.n_recs; i++)
        if (c.recs[i].one_sided && c.recs[i].unlifted)
            adopt_callers(&c, &c.recs[i]);
    rc = emit(&c);
done:
    wdg_map_free(&c.ids);
    free(c.recs);
    free(c.parent);
    free(c.joined);
    if (rc < 0) {
        free(kt->classes);
        free(kt->class_keys);
        kt->classes = NULL, kt->class_keys = NULL, kt->n_classes = 0;
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    return 0;
}
