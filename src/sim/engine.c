/* One engine running the guest program: threads, a scheduler ordered by
 * time, and the kernel objects' semantics.  The candidate engine may carry
 * faults; the reference never does. */
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "sim_internal.h"
#include "wedge/ops.h"

enum { NOT_STARTED, READY, BLOCKED, EXITED, SILENT };
enum { MAX_THREADS = 64, MAX_DEPTH = 4, MAX_STEPS = 64 };
enum { WAKE_NS = 2000, START_NS = 20000 };

typedef struct thr {
    int tmpl, instance, state;
    int pc, sub;
    int loop_pc[MAX_DEPTH];
    uint32_t loop_left[MAX_DEPTH];
    int depth;
    int64_t t, block_t;
    uint64_t seq;
    uint32_t skip_visits, silent_visits;
    int silent_calls;           /* the silent fault's calls logged so far */
    uint32_t waits[MAX_STEPS];
    int misread;
    int orphan;                 /* blocked in the orphan-wait fault's wait */
    uint64_t busy;              /* guest ns spent running: its cycle clock */
} thr;

typedef struct item {
    int64_t t;
    uint64_t seq;
    int th;
} item;

typedef struct engine {
    sim_run *r;
    const program *p;
    const faults *f;
    thr th[MAX_THREADS];
    uint32_t tid[MAX_THREADS], handle[MAX_THREADS];
    int n;
    item *heap;
    size_t hn, hcap;
    uint64_t seq, rng;
    uint32_t next_handle, next_tid;
    int init_done;
} engine;

/* --- time and randomness ------------------------------------------- */

static uint64_t rnd(engine *e)
{
    e->rng ^= e->rng << 13;
    e->rng ^= e->rng >> 7;
    e->rng ^= e->rng << 17;
    return e->rng;
}

/* cost with +-10 % jitter; the init runs slower under slow-init */
static int64_t cost(engine *e, int64_t ns)
{
    double factor = 0.9 + 0.2 * (double)(rnd(e) % 10000) / 10000.0;
    if (e->f && e->f->slow_init > 1 && !e->init_done)
        factor *= e->f->slow_init;
    return (int64_t)((double)ns * factor) + 1;
}

/* the thread runs for about ns: its time and its cycle count advance */
static void spend(engine *e, thr *t, int64_t ns)
{
    if (e->f && e->f->slow_tmpl == t->tmpl && e->f->slow_step == t->pc)
        ns = (int64_t)((double)ns * e->f->slow_factor);   /* the slow fault */
    int64_t c = cost(e, ns);
    t->t += c;
    t->busy += (uint64_t)c;
}

/* --- the scheduler --------------------------------------------------- */

static int heap_less(const item *a, const item *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static int schedule(engine *e, int ti)
{
    if (wdg_grow((void **)&e->heap, &e->hcap, e->hn + 1, sizeof *e->heap, 64) < 0)
        return -1;
    thr *t = &e->th[ti];
    t->seq = ++e->seq;
    size_t i = e->hn++;
    e->heap[i] = (item){t->t, t->seq, ti};
    while (i && heap_less(&e->heap[i], &e->heap[(i - 1) / 2])) {
        item tmp = e->heap[i];
        e->heap[i] = e->heap[(i - 1) / 2];
        e->heap[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
    return 0;
}

static item pop(engine *e)
{
    item top = e->heap[0];
    e->heap[0] = e->heap[--e->hn];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < e->hn && heap_less(&e->heap[l], &e->heap[m]))
            m = l;
        if (r < e->hn && heap_less(&e->heap[r], &e->heap[m]))
            m = r;
        if (m == i)
            break;
        item tmp = e->heap[i];
        e->heap[i] = e->heap[m];
        e->heap[m] = tmp;
        i = m;
    }
    return top;
}

/* --- objects ----------------------------------------------------------- */

static sim_obj_info *obj(engine *e, int def, int instance)
{
    return &e->r->objs[sim_obj_slot(e->p, def, instance)];
}

static int signaled(const engine *e, const sim_obj_info *o)
{
    (void)e;
    return o->state > 0;
}

static void consume(engine *e, sim_obj_info *o)
{
    if (e->p->objs[o->def].kind != OBJ_MANUAL_EVENT)
        o->state--;
}

/* the objects a wait step names, as slots */
static int wait_slots(engine *e, const thr *t, const step *s, sim_obj_info **out)
{
    int n = 0;
    if (s->per_instance_objs) {
        for (int i = 0; i < e->p->workers; i++)
            out[n++] = obj(e, s->objs[0], i);
        return n;
    }
    for (int i = 0; i < s->nobjs; i++)
        out[n++] = obj(e, s->objs[i], e->p->objs[s->objs[i]].instances > 1 ? t->instance : 0);
    return n;
}

static int effective_all(const engine *e, const step *s, int n)
{
    return s->wait_all || (e->f && e->f->waitany_as_all && n > 1);
}

/* Could the wait go now?  With take, also takes what it needs. */
static int acquire(engine *e, const thr *t, const step *s, int take)
{
    sim_obj_info *o[MAX_WAIT];
    int n = wait_slots(e, t, s, o);
    if (effective_all(e, s, n)) {
        for (int i = 0; i < n; i++)
            if (!signaled(e, o[i]))
                return 0;
        for (int i = 0; take && i < n; i++)
            consume(e, o[i]);
        return 1;
    }
    for (int i = 0; i < n; i++)
        if (signaled(e, o[i])) {
            if (take)
                consume(e, o[i]);
            return 1;
        }
    return 0;
}

static const step *wait_step(const engine *e, const thr *t)
{
    return &e->p->tmpls[t->tmpl].steps[t->pc];
}

static int waits_on(engine *e, const thr *t, const sim_obj_info *target)
{
    if (t->state != BLOCKED)
        return 0;
    sim_obj_info *o[MAX_WAIT];
    int n = wait_slots(e, t, wait_step(e, t), o);
    for (int i = 0; i < n; i++)
        if (o[i] == target)
            return 1;
    return 0;
}

/* Wakes blocked waiters of o that can now go, oldest wait first. */
static int wake_waiters(engine *e, sim_obj_info *o, int64_t now, int *woke)
{
    *woke = 0;
    for (;;) {
        int best = -1;
        for (int i = 0; i < e->n; i++)
            if (waits_on(e, &e->th[i], o) && acquire(e, &e->th[i], wait_step(e, &e->th[i]), 0) &&
                (best < 0 || e->th[i].block_t < e->th[best].block_t))
                best = i;
        if (best < 0)
            return 0;
        thr *t = &e->th[best];
        acquire(e, t, wait_step(e, t), 1);
        t->state = READY;
        t->misread = 0;
        t->pc++;
        t->t = (t->t > now ? t->t : now) + cost(e, WAKE_NS);
        if (schedule(e, best) < 0)
            return -1;
        (*woke)++;
        if (!signaled(e, o))
            return 0;
    }
}

/* --- events ----------------------------------------------------------- */

/* *p, one of the producer arrays sharing capacity cap, grown to hold need
 * elements; *next gets the new capacity (the same for every array) */
static int grow_prod(void **p, size_t cap, size_t need, size_t size, size_t *next)
{
    return wdg_grow(p, &cap, need, size, 4096) < 0 ? -1 : (*next = cap, 0);
}

static int record_producer(sim_run *r, int64_t t, uint32_t lr, int cat)
{
    /* the parallel arrays grow together; a failure leaves each valid */
    size_t cap = r->capprod, need = r->nprod + 1;
    if (grow_prod((void **)&r->prod_pseudo, r->capprod, need, sizeof *r->prod_pseudo, &cap) < 0 ||
        grow_prod((void **)&r->prod_ev, r->capprod, need, sizeof *r->prod_ev, &cap) < 0 ||
        grow_prod((void **)&r->prod_exits, r->capprod, need, sizeof *r->prod_exits, &cap) < 0 ||
        grow_prod((void **)&r->prod_t, r->capprod, need, sizeof *r->prod_t, &cap) < 0 ||
        grow_prod((void **)&r->prod_lr, r->capprod, need, sizeof *r->prod_lr, &cap) < 0 ||
        grow_prod((void **)&r->prod_cat, r->capprod, need, sizeof *r->prod_cat, &cap) < 0)
        return -1;
    r->capprod = cap;
    r->prod_t[r->nprod] = t;
    r->prod_lr[r->nprod] = lr;
    r->prod_cat[r->nprod] = (uint8_t)cat;
    r->prod_ev[r->nprod] = r->events;
    r->prod_exits[r->nprod] = r->exits;
    r->prod_pseudo[r->nprod] = r->pseudo;
    r->nprod++;
    return 0;
}

int64_t sim_written_t(const sim_run *r, int64_t guest_t)
{
    if (!r->cand || !r->shape)
        return guest_t;
    return r->shape->clock_offset + sim_llround(r->shape->slowdown * (double)guest_t);
}

static int emit(engine *e, int ti, sim_event *ev)
{
    sim_run *r = e->r;
    thr *t = &e->th[ti];
    ev->t = sim_written_t(r, t->t);
    ev->tid = e->tid[ti];
    ev->handle = e->handle[ti];
    ev->use_cycle = r->cand && r->shape && r->shape->cand_cycle;
    ev->cycle = t->busy * 3;   /* about 3 instructions a guest ns */
    if (!r->events)
        r->first_t = ev->t;
    r->last_t = ev->t;
    sim_thread_info *info = &r->threads[ti];
    if (!info->events)
        info->first_t = ev->t;
    info->last_t = ev->t;
    info->events++;
    info->ends_in_wait = ev->cat == WDG_CAT_WAIT && !ev->has_timeout;
    /* the truth keys a wrapper's producer by its caller (the lifted site) */
    if (wdg_category_is_producer(ev->cat) &&
        record_producer(r, ev->t, ev->has_frame ? ev->frame : ev->lr, ev->cat) < 0)
        return -1;
    r->events++;
    if (ev->cat == WDG_CAT_THREAD && strcmp(ev->op, "thread.exit") == 0)
        r->exits++;
    if (!ev->has_lr)
        r->pseudo++;
    r->emit(r->emit_ud, ev);
    return 0;
}

static void site(sim_event *ev, const step *s, int cat)
{
    memset(ev, 0, sizeof *ev);
    ev->op = s->op;
    ev->lr = s->lr;
    ev->has_lr = 1;
    ev->cat = cat;
}

/* --- threads ---------------------------------------------------------- */

static int new_thread(engine *e, int tmpl, int instance, int64_t t)
{
    if (e->n == MAX_THREADS)
        return -1;
    int i = e->n++;
    memset(&e->th[i], 0, sizeof e->th[i]);
    e->th[i].tmpl = tmpl;
    e->th[i].instance = instance;
    e->th[i].state = READY;
    e->th[i].t = t;
    if (i == 0) {
        e->tid[i] = e->r->cand ? 1 : 6;
        e->handle[i] = e->r->cand ? 0x1000 : 0xF8000010;
    } else {
        /* the reference's ids have gaps, the candidate's count from 1 */
        e->next_tid += e->r->cand ? 1 : 1 + (uint32_t)(rnd(e) % 3);
        e->tid[i] = e->next_tid;
        e->handle[i] = e->next_handle;
        e->next_handle += 4;
    }
    sim_thread_info *info = &e->r->threads[i];
    memset(info, 0, sizeof *info);
    info->tmpl = tmpl;
    info->instance = instance;
    info->tid = e->tid[i];
    info->handle = e->handle[i];
    info->spawned = 1;
    e->r->nthreads = e->n;
    return i;
}

static uint32_t new_object_id(engine *e, int def, int instance)
{
    if (e->p->objs[def].ke)
        return 0x7015FA80u + 0x40u * (uint32_t)sim_obj_slot(e->p, def, instance);
    uint32_t h = e->next_handle;
    e->next_handle += 4;
    return h;
}

/* The silent fault's last calls: the thread takes and drops a spin lock
 * (as audio A did in the investigation), then logs nothing more, so its
 * last event is no wait. */
static const char *const silent_ops[] = {"KeRaiseIrqlToDpcLevel", "KeAcquireSpinLockAtRaisedIrql",
                                         "KeReleaseSpinLockFromRaisedIrql", "KfLowerIrql"};
enum { SILENT_CALLS = (int)(sizeof silent_ops / sizeof silent_ops[0]) };

/* The silent fault at producer step s: 0 when it does not apply; 1 when
 * *ev is the next of the thread's last calls (each at its own lr just
 * before the site's, in the thread's function); 2 when the thread has
 * stopped for good (it runs on in guest code: no event, no wait). */
static int falls_silent(engine *e, thr *t, int ti, const step *s, sim_event *ev)
{
    if (!e->f || e->f->silent_tmpl != t->tmpl || e->f->silent_step != t->pc)
        return 0;
    if (t->silent_calls == 0 && t->silent_visits++ < e->f->silent_after)
        return 0;
    if (t->silent_calls < SILENT_CALLS) {
        site(ev, s, WDG_CAT_OTHER);
        ev->op = silent_ops[t->silent_calls];
        ev->lr = s->lr - 4u * (uint32_t)(SILENT_CALLS - t->silent_calls);
        t->silent_calls++;
        return 1;
    }
    t->state = SILENT;
    e->r->threads[ti].silent = 1;
    return 2;
}

static int skipped(engine *e, thr *t, int ti)
{
    if (!e->f || e->f->skip_tmpl != t->tmpl || e->f->skip_step != t->pc)
        return 0;
    if (++t->skip_visits <= e->f->skip_after)
        return 0;
    e->r->threads[ti].skip_fired = 1;
    return 1;
}

/* Runs thread ti until it emits one event, blocks, or exits. */
static int step_once(engine *e, int ti)
{
    thr *t = &e->th[ti];
    const tmpl *tp = &e->p->tmpls[t->tmpl];
    sim_event ev;
    for (;;) {
        if (t->pc >= tp->nsteps) {
            t->state = EXITED;
            return 0;
        }
        const step *s = &tp->steps[t->pc];
        switch (s->kind) {
        case ST_LOOP:
            t->loop_pc[t->depth] = t->pc + 1;
            t->loop_left[t->depth] = s->count;
            t->depth++;
            t->pc++;
            continue;
        case ST_END_LOOP:
            if (t->loop_left[t->depth - 1] == 0 || --t->loop_left[t->depth - 1] > 0) {
                t->pc = t->loop_pc[t->depth - 1];
            } else {
                t->depth--;
                t->pc++;
            }
            continue;
        case ST_INIT_DONE:
            e->init_done = 1;
            t->pc++;
            continue;
        case ST_WORK:
            spend(e, t, s->cost);
            t->pc++;
            return schedule(e, ti);
        case ST_CALL:
            site(&ev, s, WDG_CAT_OTHER);
            if (emit(e, ti, &ev) < 0)
                return -1;
            spend(e, t, s->cost);
            t->pc++;
            return schedule(e, ti);
        case ST_POLL: {
            uint32_t n = e->f ? e->f->extra_poll : 0;
            if ((uint32_t)t->sub / 2 >= n) {
                t->sub = 0;
                t->pc++;
                continue;
            }
            if (t->sub == 0 && e->r->poll_at < 0)
                e->r->poll_at = (long)e->r->threads[ti].events;
            site(&ev, s, WDG_CAT_OTHER);
            if (t->sub % 2) {
                ev.op = "KeDelayExecutionThread";
                ev.lr = s->lr + 4;
                ev.cat = WDG_CAT_WAIT;
                ev.has_timeout = 1;
                ev.timeout = -10000;   /* 1 ms */
            }
            if (emit(e, ti, &ev) < 0)
                return -1;
            if (t->sub % 2)
                t->t += 1000000;
            else
                spend(e, t, s->cost);
            t->sub++;
            return schedule(e, ti);
        }
        case ST_CREATE: {
            const objdef *d = &e->p->objs[s->obj];
            int count = s->per_instance ? d->instances : 1;
            sim_obj_info *o = obj(e, s->obj, t->sub);
            o->id = new_object_id(e, s->obj, t->sub);
            o->created = 1;
            o->state = d->kind == OBJ_SEMAPHORE ? d->init : 0;
            site(&ev, s, WDG_CAT_CREATE);
            ev.has_obj = 1;
            ev.obj = o->id;
            ev.create_kind = d->kind;
            if (d->kind == OBJ_CONDVAR)
                ev.cat = WDG_CAT_OTHER;   /* pthread_cond_init: no kernel object */
            ev.sem_init = d->init;
            ev.sem_max = d->max;
            if (emit(e, ti, &ev) < 0)
                return -1;
            spend(e, t, s->cost);
            if (++t->sub == count) {
                t->sub = 0;
                t->pc++;
            }
            return schedule(e, ti);
        }
        case ST_SET:
        case ST_RELEASE: {
            int silent = falls_silent(e, t, ti, s, &ev);
            if (silent == 2)
                return 0;
            if (silent == 1) {
                if (emit(e, ti, &ev) < 0)
                    return -1;
                spend(e, t, 1000);
                return schedule(e, ti);
            }
            if (skipped(e, t, ti)) {
                t->pc++;
                continue;
            }
            int set = s->kind == ST_SET;
            sim_obj_info *o = obj(e, s->obj, s->per_instance ? t->instance : 0);
            site(&ev, s, set ? WDG_CAT_SET : WDG_CAT_RELEASE);
            if (s->via && !e->r->cand) {
                ev.lr = s->via;   /* the reference records the wrapper's site */
                ev.frame = s->lr;
                ev.has_frame = 1;
            }
            o->producers++;
            ev.has_obj = 1;
            ev.obj = o->id;
            if (!set) {
                ev.has_count = 1;
                ev.count = s->count;
            }
            if (emit(e, ti, &ev) < 0)
                return -1;
            o->last_producer_lr = s->lr;
            o->last_producer_cat = ev.cat;
            o->last_producer_op = s->op;
            int woke = 0;
            if (set) {
                int had_waiter = 0;
                for (int i = 0; i < e->n; i++)
                    had_waiter |= waits_on(e, &e->th[i], o);
                int kind = e->p->objs[o->def].kind;
                int pulse = strcmp(s->op, "KePulseEvent") == 0;
                if (kind == OBJ_AUTO_EVENT && !pulse && !had_waiter && e->f && e->f->lost_set) {
                    if (!o->lost_sets++)   /* the fault: nobody waits, the signal is gone */
                        o->first_lost_t = t->t;
                } else {
                    /* a condition's signal raises its predicate's count */
                    o->state = kind == OBJ_CONDVAR ? o->state + 1 : 1;
                    if (wake_waiters(e, o, t->t, &woke) < 0)
                        return -1;
                    if (pulse)
                        o->state = 0;   /* a pulse wakes current waiters only */
                }
            } else {
                int64_t max = e->p->objs[o->def].max;
                if (o->state + (int64_t)s->count <= max) {
                    o->state += s->count;
                    if (wake_waiters(e, o, t->t, &woke) < 0)
                        return -1;
                }
            }
            spend(e, t, s->cost);
            t->pc++;
            return schedule(e, ti);
        }
        case ST_DELAY:
            site(&ev, s, WDG_CAT_WAIT);
            ev.has_timeout = 1;
            ev.timeout = -(s->cost / 100);
            if (emit(e, ti, &ev) < 0)
                return -1;
            spend(e, t, s->cost);
            t->pc++;
            return schedule(e, ti);
        case ST_WAIT: {
            sim_obj_info *o[MAX_WAIT];
            int n = wait_slots(e, t, s, o);
            if (e->p->objs[o[0]->def].kind == OBJ_CONDVAR && acquire(e, t, s, 1)) {
                /* the predicate holds: the guest never calls the wait */
                spend(e, t, s->cost);
                t->pc++;
                return schedule(e, ti);
            }
            for (int i = 0; i < n; i++)
                o[i]->waits++;
            site(&ev, s, WDG_CAT_WAIT);
            if (n == 1 && !s->per_instance_objs) {
                ev.has_obj = 1;
                ev.obj = o[0]->id;
            } else {
                ev.nobjs = n;
                for (int i = 0; i < n; i++)
                    ev.objs[i] = o[i]->id;
                ev.has_wait_kind = 1;
                ev.wait_all = s->wait_all;
            }
            if (emit(e, ti, &ev) < 0)
                return -1;
            if (t->pc < MAX_STEPS)
                t->waits[t->pc]++;
            if (acquire(e, t, s, 1)) {
                spend(e, t, s->cost);
                t->pc++;
                return schedule(e, ti);
            }
            t->state = BLOCKED;
            t->block_t = t->t;
            t->misread = effective_all(e, s, n) && !s->wait_all;
            return 0;
        }
        case ST_SPAWN: {
            int k = t->sub / 3, phase = t->sub % 3;
            if (k >= (int)s->count) {
                t->sub = 0;
                t->pc++;
                continue;
            }
            const tmpl *child = &e->p->tmpls[s->tmpl];
            int missing = e->f && (e->f->missing & (1u << s->tmpl));
            site(&ev, s, WDG_CAT_THREAD);
            if (phase == 0) {
                ev.has_entry = 1;
                ev.entry_pc = child->entry_pc;
                ev.suspended = 1;
                t->sub += missing ? 3 : 1;   /* the engine never makes the thread */
            } else if (phase == 1) {
                int ci = new_thread(e, s->tmpl, k, 0);
                if (ci < 0)
                    return -1;
                e->th[ci].state = NOT_STARTED;
                ev.op = "thread.create";
                ev.has_lr = 0;
                ev.has_entry = 1;
                ev.entry_pc = child->entry_pc;
                ev.new_tid = e->tid[ci];
                ev.new_handle = e->handle[ci];
                ev.suspended = 1;
                t->sub++;
            } else {
                int ci = e->n - 1;
                ev.op = "KeResumeThread";
                ev.lr = s->lr + 8;
                ev.has_obj = 1;
                ev.obj = e->handle[ci];
                e->th[ci].state = READY;
                e->th[ci].t = t->t + cost(e, START_NS);
                if (schedule(e, ci) < 0)
                    return -1;
                t->sub++;
            }
            if (emit(e, ti, &ev) < 0)
                return -1;
            spend(e, t, s->cost / 3);
            return schedule(e, ti);
        }
        case ST_EXIT:
            if (e->f && e->f->orphan_wait) {
                /* the fault: instead of its exit, a wait for good on an
                 * object nobody creates or signals */
                memset(&ev, 0, sizeof ev);
                ev.op = "KeWaitForSingleObject";
                ev.lr = 0x821780E0;
                ev.has_lr = 1;
                ev.cat = WDG_CAT_WAIT;
                ev.has_obj = 1;
                ev.obj = SIM_ORPHAN_OBJ;
                if (emit(e, ti, &ev) < 0)
                    return -1;
                t->state = BLOCKED;
                t->block_t = t->t;
                t->orphan = 1;
                return 0;
            }
            memset(&ev, 0, sizeof ev);
            ev.op = "thread.exit";
            ev.cat = WDG_CAT_THREAD;
            if (emit(e, ti, &ev) < 0)
                return -1;
            t->state = EXITED;
            e->r->threads[ti].exited = 1;
            return 0;
        }
    }
}

int sim_run_engine(sim_run *r, wdg_error *err)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    e->r = r;
    e->p = r->prog;
    e->f = r->cand ? r->f : NULL;
    e->rng = r->seed * 0x9E3779B97F4A7C15ull + (r->cand ? 0x1234567 : 0x7654321) + 1;
    e->next_handle = r->cand ? 0x1004 : 0xF8000014;
    e->next_tid = r->cand ? 1 : 6;
    r->poll_at = -1;
    r->nobjs = e->p->nobjs * e->p->workers;
    r->objs = calloc((size_t)r->nobjs, sizeof *r->objs);
    r->threads = calloc(MAX_THREADS, sizeof *r->threads);
    int rc = 0;
    if (!r->objs || !r->threads)
        goto oom;
    for (int d = 0; d < e->p->nobjs; d++)
        for (int i = 0; i < e->p->workers; i++) {
            r->objs[sim_obj_slot(e->p, d, i)].def = d;
            r->objs[sim_obj_slot(e->p, d, i)].instance = i;
        }
    if (new_thread(e, 0, 0, 1000) < 0 || schedule(e, 0) < 0)
        goto oom;
    /* the reference's host helpers run from just after the guest's start */
    int helpers = !r->cand && r->shape ? r->shape->ref_helpers : 0;
    for (int k = 0; k < helpers; k++) {
        int hi = new_thread(e, e->p->helper_tmpl, k, 3000 + 1000 * (int64_t)k);
        if (hi < 0 || schedule(e, hi) < 0)
            goto oom;
        r->threads[hi].helper = 1;
    }
    int stopped = 0;   /* by time or event count, not for want of a ready thread */
    while (e->hn) {
        item it = pop(e);
        thr *t = &e->th[it.th];
        if (it.seq != t->seq || t->state != READY)
            continue;   /* a stale entry */
        if (it.t > r->end_t || (r->max_events && r->events >= r->max_events)) {
            stopped = 1;
            break;
        }
        if (step_once(e, it.th) < 0)
            goto oom;
    }
    /* nothing left to run: every live thread waits for good (the waits of
     * the model have no timeout), a total hang from the last one's wait */
    for (int i = 0; i < e->n; i++)
        if (e->th[i].state == SILENT)
            stopped = 1;   /* it spins on in guest code: no hang */
    if (!stopped) {
        int64_t last_block = -1;
        for (int i = 0; i < e->n; i++)
            if (e->th[i].state == BLOCKED && e->th[i].block_t > last_block)
                last_block = e->th[i].block_t;
        if (last_block >= 0) {
            r->total_hang = 1;
            r->hang_t = sim_written_t(r, last_block);
        }
    }
    /* what each thread was doing at the end */
    for (int i = 0; i < e->n; i++) {
        thr *t = &e->th[i];
        sim_thread_info *info = &r->threads[i];
        if (t->state == NOT_STARTED)
            info->spawned = 0;
        if (t->state != BLOCKED)
            continue;
        const step *s = &e->p->tmpls[t->tmpl].steps[t->pc];
        info->blocked = 1;
        info->since = sim_written_t(r, t->block_t);
        info->wait_infinite = 1;
        if (t->orphan) {
            info->orphan = 1;   /* no object of the program: no producer */
            info->wait_lr = 0x821780E0;
            info->wait_op = "KeWaitForSingleObject";
            info->waits_at_lr = 1;
            continue;
        }
        info->wait_lr = s->lr;
        info->wait_op = s->op;
        info->wait_all_given = s->wait_all;
        info->wait_infinite = s->timeout < 0;
        info->waits_at_lr = t->pc < MAX_STEPS ? (int)t->waits[t->pc] : 1;
        info->misread_any = t->misread;
        sim_obj_info *o[MAX_WAIT];
        int n = wait_slots(e, t, s, o);
        info->wait_nobjs = n;
        for (int k = 0; k < n; k++)
            info->wait_objs[k] = (int)(o[k] - r->objs);
    }
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory (simulation)");
done:
    free(e->heap);
    free(e);
    return rc;
}

void sim_run_free(sim_run *r)
{
    free(r->objs);
    free(r->threads);
    free(r->prod_t);
    free(r->prod_lr);
    free(r->prod_cat);
    free(r->prod_ev);
    free(r->prod_exits);
    free(r->prod_pseudo);
    r->prod_pseudo = NULL;
    r->prod_ev = NULL;
    r->prod_exits = NULL;
    r->objs = NULL;
    r->threads = NULL;
    r->prod_t = NULL;
    r->prod_lr = NULL;
    r->prod_cat = NULL;
}
